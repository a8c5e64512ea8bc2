"""Checkpoints of an evolution: write one every few generations, resume from the latest.

A checkpoint of the end of generation ``gen`` is two files, ``gen-NNNNNNN.npz`` (the arrays)
and ``gen-NNNNNNN.json`` (everything else a resume uses, with a SHA-256 digest of each field
and array); no pickle anywhere (:mod:`evomesa.evolve.checkpoint_format`).

The npz is written first and the JSON file, which commits the checkpoint, last (each
atomically, :mod:`evomesa.files.atomic`); an npz without its JSON file is an unfinished write and
is ignored. The last :data:`KEEP` checkpoints are kept.

Reading trusts nothing (:mod:`evomesa.evolve.checkpoint_check`): sizes are checked against the
memory budget before anything is read, every field must match its digest and what the run
allows. The newest checkpoint that fails any check is refused with a
:class:`~evomesa.errors.ConfigError` naming the file and the field (it is never silently
skipped: a resume never continues from a state the run did not write); removing that
checkpoint's two files resumes from the previous one. Since the state after a checkpoint
depends only on it, a run killed at any moment and resumed ends exactly as the uninterrupted
run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError, check_int
from evomesa.evolve.checkpoint_check import read_checkpoint
from evomesa.evolve.checkpoint_format import JSON_NAME, NPZ_NAME, State, encode
from evomesa.evolve.config import EvolutionConfig
from evomesa.files.atomic import write_bytes_atomic as write_bytes
from evomesa.worlds.base import World

#: how many of the latest checkpoints are kept (so that a damaged newest one can be removed
#: and the run resumed from the one before)
KEEP = 2


class CheckpointInterrupt(KeyboardInterrupt):
    """Ctrl-C during a checkpointed evolution: a checkpoint of the last finished generation
    was written at ``path`` before stopping."""

    def __init__(self, path: Path, gen: int) -> None:
        super().__init__(f"interrupted; checkpoint of generation {gen} in {path}")
        self.path = path
        self.gen = gen

    def __reduce__(self):  # rebuilt from its fields when it crosses a process boundary
        return (type(self), (self.path, self.gen))


def run_identity(
    world: World,
    config: EvolutionConfig,
    origin: dict | None = None,
    start: str | None = None,
    track: tuple[str, ...] = (),
) -> dict[str, Any]:
    """What makes a checkpoint one of this run: the world, its parameters, the config, where
    the initial population came from (``origin`` and the ``start`` genes' digest) and the
    tracked regimes."""
    return {
        "world": world.name,
        "world_params": dict(world.params),
        "config": config.to_dict(),
        "origin": origin,
        "start": start,
        "track": list(track),
    }


class Checkpointer:
    """Writes and finds the checkpoints of one evolution in ``folder``.

    Parameters
    ----------
    folder : str or Path
        Created if missing; holds ``gen-NNNNNNN.npz`` and ``gen-NNNNNNN.json`` files and
        nothing else of ours.
    every : int
        Write a checkpoint after every ``every``-th generation (and after the last one).
    """

    def __init__(self, folder: str | Path, every: int = 1) -> None:
        if not isinstance(folder, str | Path) or str(folder) == "":
            raise ConfigError(f"checkpoint must be a folder path; got {folder!r}")
        self.every = check_int("checkpoint_every", every, 1, 10_000_000)
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise ConfigError(f"checkpoint must be a folder path; got the file {str(folder)!r}")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.last_written: int | None = None

    def due(self, gen: int, last: int) -> bool:
        return gen == last or (gen + 1) % self.every == 0

    def path(self, gen: int) -> Path:
        """The npz file of generation ``gen``'s checkpoint (its JSON file is beside it)."""
        return self.folder / f"gen-{gen:07d}.npz"

    def files(self) -> list[tuple[int, Path]]:
        """Committed checkpoints (those with a JSON file), newest first, as (gen, npz path)."""
        found = []
        for p in self.folder.iterdir():
            m = JSON_NAME.match(p.name)
            if m and p.is_file() and not p.is_symlink():
                gen = int(m.group(1))
                found.append((gen, self.path(gen)))
        return sorted(found, reverse=True)

    def save(self, state: State) -> Path:
        """Write ``state`` (the npz, then the JSON file that commits it), then drop all but
        the :data:`KEEP` newest checkpoints."""
        npz, meta = encode(state)
        path = write_bytes(self.path(state.gen), npz)
        write_bytes(path.with_suffix(".json"), meta)
        self.last_written = state.gen
        self._prune()
        return path

    def interrupted(self, latest: State | None) -> CheckpointInterrupt | None:
        """On Ctrl-C: write ``latest`` (the state of the last finished generation, or None)
        unless it is written already; return the :class:`CheckpointInterrupt` to raise, or
        None if no checkpoint was ever written (the KeyboardInterrupt itself goes on)."""
        if latest is not None and latest.gen != self.last_written:
            self.save(latest)
        if self.last_written is None:
            return None
        return CheckpointInterrupt(self.path(self.last_written), self.last_written)

    def _prune(self) -> None:
        """Remove all but the :data:`KEEP` newest checkpoints (the JSON file first, so a
        crash never leaves a committed checkpoint without its arrays), and npz files of
        unfinished writes older than the oldest one kept."""
        committed = self.files()
        for _, old in committed[KEEP:]:
            old.with_suffix(".json").unlink(missing_ok=True)
            old.unlink(missing_ok=True)
        oldest = committed[:KEEP][-1][0] if committed else None
        for p in self.folder.iterdir():
            m = NPZ_NAME.match(p.name)
            if m and oldest is not None and int(m.group(1)) < oldest and p.is_file():
                if not p.with_suffix(".json").exists():
                    p.unlink(missing_ok=True)

    def load(self, path: Path, identity: Mapping[str, Any], length: int | None = None) -> State:
        """Read the checkpoint whose npz file is ``path`` for the run ``identity``.

        Raises
        ------
        ConfigError
            Naming the file and the field, if the checkpoint is unreadable, too large for
            the memory budget, belongs to another run, or any field fails its digest or its
            check (:mod:`evomesa.evolve.checkpoint_check`).
        """
        return read_checkpoint(path, identity, length)

    def latest(self, identity: Mapping[str, Any], length: int | None = None) -> State | None:
        """The newest checkpoint of the run ``identity``; None if there is none.

        Parameters
        ----------
        identity : dict
            The run's world, parameters, config, origin, start and tracked regimes.
        length : int, optional
            Genes per individual (default: from the world, rebuilt by name).

        Raises
        ------
        ConfigError
            If the newest checkpoint fails any check (:meth:`load`): it is refused, never
            skipped, so that a resume never continues into a different result.
        """
        files = self.files()
        if not files:
            return None
        return self.load(files[0][1], identity, length)
