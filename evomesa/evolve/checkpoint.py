"""Checkpoints of an evolution: write one every few generations, resume from the latest good one.

A checkpoint is one ``.npz`` file (no pickle: plain arrays, and the rest as UTF-8 JSON in a
uint8 array) holding the state at the end of a generation ``gen``:

* the population's genes and fitness in that generation,
* the logbook up to it and the hall of fame (genes and fitness, in order),
* every random state the next step draws from: the bit-generator state of the variation
  stream of ``gen`` (later streams are keyed by ``(seed, purpose, generation)``,
  :mod:`evomesa.seeding`, so they need no state),
* the run's identity (world, parameters, config, origin), so a checkpoint is never resumed
  into another run, and a SHA-256 digest of the arrays.

Files are written atomically (:mod:`evomesa.atomic`) and the last :data:`KEEP` are kept. A
file that cannot be read back, or whose digest or identity does not match, is reported with a
warning and the previous good one is used. Since the state after a checkpoint depends only on
it, a run killed at any moment and resumed ends exactly as the uninterrupted run.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from deap import tools

from evomesa.atomic import write_bytes_atomic as write_bytes
from evomesa.errors import ConfigError, check_int
from evomesa.evolve.deap_types import individuals

FORMAT = "evomesa-checkpoint"
VERSION = 1
#: how many of the latest checkpoints are kept (so a corrupt newest one has a fallback)
KEEP = 2
_NAME = re.compile(r"^gen-(\d{7})\.npz$")


class CheckpointInterrupt(KeyboardInterrupt):
    """Ctrl-C during a checkpointed evolution: a checkpoint of the last finished generation
    was written at ``path`` before stopping."""

    def __init__(self, path: Path, gen: int) -> None:
        super().__init__(f"interrupted; checkpoint of generation {gen} in {path}")
        self.path = path
        self.gen = gen

    def __reduce__(self):  # rebuilt from its fields when it crosses a process boundary
        return (type(self), (self.path, self.gen))


@dataclass
class State:
    """The state of an evolution at the end of generation ``gen``.

    Attributes
    ----------
    gen : int
    genes : (n, length) float64
    fitness : (n,) float64
    logbook : list of dict
        Records of generations 0 ... gen.
    hof_genes : (h, length) float64
    hof_fitness : (h,) float64
    rng : dict
        ``{"variation": bit_generator.state}`` of the stream the next generation is bred from.
    identity : dict
        World, parameters, config and origin of the run.
    """

    gen: int
    genes: np.ndarray
    fitness: np.ndarray
    logbook: list[dict]
    hof_genes: np.ndarray
    hof_fitness: np.ndarray
    rng: dict
    identity: dict

    def hall_of_fame(self, size: int) -> tools.HallOfFame:
        """The hall of fame rebuilt in its saved order."""
        hof = tools.HallOfFame(size, similar=np.array_equal)
        # insert worst first: HallOfFame.insert puts an item before its equals, so ties keep
        # the saved order
        for ind in reversed(individuals(self.hof_genes, self.hof_fitness)):
            hof.insert(ind)
        return hof

    def logbook_object(self) -> tools.Logbook:
        book = tools.Logbook()
        for rec in self.logbook:
            book.record(**rec)
        return book


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def canonical(identity: Mapping[str, Any]) -> dict:
    """``identity`` as it reads back from JSON (tuples become lists, numpy scalars floats)."""
    return json.loads(json.dumps(identity, default=_json_default))


def digest(arrays: Mapping[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"{key}:{a.dtype.str}:{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


class Checkpointer:
    """Writes and finds the checkpoints of one evolution in ``folder``.

    Parameters
    ----------
    folder : str or Path
        Created if missing; holds ``gen-NNNNNNN.npz`` files and nothing else of ours.
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
        return self.folder / f"gen-{gen:07d}.npz"

    def files(self) -> list[tuple[int, Path]]:
        """Checkpoint files, newest first."""
        found = []
        for p in self.folder.iterdir():
            m = _NAME.match(p.name)
            if m and p.is_file() and not p.is_symlink():
                found.append((int(m.group(1)), p))
        return sorted(found, reverse=True)

    def save(self, state: State) -> Path:
        """Write ``state`` atomically, then drop all but the :data:`KEEP` newest files."""
        arrays = {
            "genes": np.asarray(state.genes, dtype=np.float64),
            "fitness": np.asarray(state.fitness, dtype=np.float64),
            "hof_genes": np.asarray(state.hof_genes, dtype=np.float64),
            "hof_fitness": np.asarray(state.hof_fitness, dtype=np.float64),
        }
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "gen": int(state.gen),
            "logbook": state.logbook,
            "rng": state.rng,
            "identity": state.identity,
            "sha256": digest(arrays),
        }
        text = json.dumps(meta, default=_json_default).encode("utf-8")
        buf = io.BytesIO()
        np.savez(buf, meta=np.frombuffer(text, dtype=np.uint8), **arrays)
        path = write_bytes(self.path(state.gen), buf.getvalue())
        self.last_written = state.gen
        for _, old in self.files()[KEEP:]:
            old.unlink(missing_ok=True)
        return path

    def load(self, path: Path) -> State:
        """Read one checkpoint; raise ConfigError naming the file if it is not a good one."""
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {
                    k: np.array(npz[k]) for k in ("genes", "fitness", "hof_genes", "hof_fitness")
                }
                meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ValueError("not an evomesa checkpoint")
            if meta.get("version") != VERSION:
                raise ValueError(f"version must be {VERSION}; got {meta.get('version')!r}")
            if meta.get("sha256") != digest(arrays):
                raise ValueError("arrays do not match their SHA-256 digest")
            gen = meta["gen"]
            logbook = meta["logbook"]
            if not (isinstance(gen, int) and isinstance(logbook, list)) or len(logbook) != gen + 1:
                raise ValueError("generation and logbook do not agree")
            genes, fitness = arrays["genes"], arrays["fitness"]
            if genes.ndim != 2 or fitness.shape != (genes.shape[0],):
                raise ValueError("genes and fitness shapes do not agree")
            if arrays["hof_genes"].shape[0] != arrays["hof_fitness"].shape[0]:
                raise ValueError("hall-of-fame genes and fitness do not agree")
            return State(
                gen=gen,
                genes=genes,
                fitness=fitness,
                logbook=logbook,
                hof_genes=arrays["hof_genes"].reshape(-1, genes.shape[1]),
                hof_fitness=arrays["hof_fitness"],
                rng=meta["rng"],
                identity=meta["identity"],
            )
        except Exception as err:  # any failure to read back makes the file unusable
            raise ConfigError(f"checkpoint {path} is corrupt or unreadable: {err}") from err

    def latest(self, identity: Mapping[str, Any]) -> State | None:
        """The newest good checkpoint of the run ``identity``; None if there is none.

        A checkpoint that cannot be read is reported (``UserWarning``) and the previous one
        tried; one of another run raises ConfigError (resuming it would mix two runs).
        """
        want = canonical(identity)
        for _, path in self.files():
            try:
                state = self.load(path)
            except ConfigError as err:
                warnings.warn(f"{err}; using the previous checkpoint", stacklevel=3)
                continue
            if state.identity != want:
                key = next((k for k in want if state.identity.get(k) != want[k]), "identity")
                raise ConfigError(
                    f"checkpoint {path} belongs to another run: its {key} is "
                    f"{state.identity.get(key)!r}, this run's is {want.get(key)!r}"
                )
            return state
        return None


def rng_from_state(state: Mapping[str, Any]) -> np.random.Generator:
    """A Generator restored from a saved ``bit_generator.state``."""
    if not isinstance(state, Mapping) or state.get("bit_generator") != "PCG64":
        raise ConfigError(f"checkpoint rng state must be a PCG64 state; got {state!r:.80}")
    bit = np.random.PCG64()
    bit.state = dict(state)
    return np.random.Generator(bit)
