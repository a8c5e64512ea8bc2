"""Resumable command-line runs: where a run's checkpoints live and how it is restarted.

``evomesa run ... --out DIR --checkpoint-every K`` keeps its checkpoints in the sibling folder
``DIR.checkpoint`` (the run folder itself is only written, whole, at the end), together with
``args.json``: the command line that started it. ``evomesa run --resume DIR`` reads that
command line back and runs it again; every evolution then continues from its latest good
checkpoint (:mod:`evomesa.evolve.checkpoint`), so the result equals the uninterrupted run's.
The checkpoint folder is removed once the run folder is written.

Nothing read from ``args.json`` chooses where evomesa writes or what it deletes: the output
folder is ``DIR``, given on the command line, and a saved ``--out`` naming another folder is
refused (:func:`check_saved_out`); a saved ``--force`` is ignored (only ``--force`` given with
``--resume`` itself may replace a run in ``DIR``).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError, printable
from evomesa.files.atomic import write_text_atomic as write_text
from evomesa.files.folder_probe import make_folder
from evomesa.files.safe_read import as_path, read_json, regular_file

ARGS = "args.json"


def checkpoint_folder(out: Any, option: str = "--out") -> Path:
    """The checkpoint folder of the run folder ``out`` (``out`` with ``.checkpoint`` added).

    Raises
    ------
    ConfigError
        If ``out`` is empty or names no folder of its own ('.', '..', '/').
    """
    out = as_path(out, option)
    if out.name in ("", ".", ".."):
        raise ConfigError(
            f"{option} must name a run folder (not '.', '..' or '/': its checkpoints are kept "
            f"beside it, in NAME.checkpoint); got {str(out)!r}"
        )
    return out.with_name(out.name + ".checkpoint")


def start(out: str | Path, argv: Sequence[str]) -> Path:
    """Create the checkpoint folder of a new run and record its command line.

    Raises
    ------
    ConfigError
        If the checkpoint folder exists (an unfinished run), something else is in its place,
        or it cannot be created and written (probed before any evolution).
    """
    folder = checkpoint_folder(out)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ConfigError(
            f"--checkpoint-every: {str(folder)!r}, where the checkpoints of --out {str(out)!r} "
            "go, is a file or a link; remove it or choose another --out"
        )
    if folder.exists():
        raise ConfigError(
            f"--out {str(out)!r} has checkpoints of an unfinished run in {str(folder)!r}; "
            f"resume it with 'evomesa run --resume {out}' or remove that folder"
        )
    make_folder(folder, "--checkpoint-every folder")
    try:
        write_text(folder / ARGS, json.dumps({"argv": list(argv)}, indent=1))
    except OSError as err:
        raise ConfigError(
            f"--checkpoint-every folder must be writable; {str(folder / ARGS)!r} could not be "
            f"written ({err.strerror or err})"
        ) from None
    return folder


def check_folder(out: str | Path) -> Path:
    """Probe, before a resumed run evolves, that its checkpoint folder is a real folder that
    can still be written (ConfigError naming ``--resume`` otherwise)."""
    folder = checkpoint_folder(out, "--resume")
    if folder.is_symlink():
        raise ConfigError(
            f"--resume: {str(folder)!r} must be the checkpoint folder itself, not a symbolic link"
        )
    return make_folder(folder, "--resume checkpoint folder")


def saved_argv(out: Any) -> list[str]:
    """The command line of the interrupted run whose folder is ``out``."""
    folder = checkpoint_folder(out, "--resume")
    path = folder / ARGS
    try:
        missing = not path.exists() and not path.is_symlink()
    except (OSError, ValueError) as err:  # a name too long, a NUL character
        raise ConfigError(
            f"--resume must name the --out folder of a run started with --checkpoint-every; "
            f"{str(path)[:120]!r} cannot be read ({getattr(err, 'strerror', None) or err})"
        ) from None
    if missing:
        raise ConfigError(
            f"--resume must name the --out folder of a run started with --checkpoint-every; "
            f"{str(path)!r} does not exist"
        )
    saved = read_json(regular_file(path, "--resume command line"), "--resume command line")
    argv = saved.get("argv") if isinstance(saved, dict) else None
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        raise ConfigError(
            f"--resume: {path} field 'argv' must be a list of arguments; got "
            f"{printable(repr(argv), 80)}"
        )
    if "--resume" in argv:
        raise ConfigError(f"--resume: {path} field 'argv' must not itself ask to resume")
    return argv


def same_place(a: str | Path, b: str | Path) -> bool:
    """Whether the paths ``a`` and ``b`` name the same folder (spelled alike once made
    absolute, or the same once links are followed)."""
    a, b = os.fspath(a), os.fspath(b)
    return os.path.abspath(a) == os.path.abspath(b) or os.path.realpath(a) == os.path.realpath(b)


def check_saved_out(saved_out: Any, out: Any) -> None:
    """Refuse a saved command line whose ``--out`` is not the folder being resumed."""
    if saved_out is not None and not same_place(saved_out, out):
        path = checkpoint_folder(out, "--resume") / ARGS
        raise ConfigError(
            f"--resume: {path} field 'argv' gives --out {printable(saved_out, 120)!r}, not "
            f"the folder being resumed ({str(out)!r}); a saved command line never chooses "
            "where evomesa writes: resume that folder, or correct the file"
        )


def finish(out: str | Path) -> None:
    """Remove the checkpoints of a run whose folder has been written."""
    shutil.rmtree(checkpoint_folder(out), ignore_errors=True)
