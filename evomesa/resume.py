"""Resumable command-line runs: where a run's checkpoints live and how it is restarted.

``evomesa run ... --out DIR --checkpoint-every K`` keeps its checkpoints in the sibling folder
``DIR.checkpoint`` (the run folder itself is only written, whole, at the end), together with
``args.json``: the command line that started it. ``evomesa run --resume DIR`` reads that
command line back and runs it again; every evolution then continues from its latest good
checkpoint (:mod:`evomesa.evolve.checkpoint`), so the result equals the uninterrupted run's.
The checkpoint folder is removed once the run folder is written.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from evomesa.atomic import write_text_atomic as write_text
from evomesa.errors import ConfigError
from evomesa.safe_read import read_json, regular_file

ARGS = "args.json"


def checkpoint_folder(out: str | Path) -> Path:
    """The checkpoint folder of the run folder ``out``."""
    out = Path(out)
    return out.with_name(out.name + ".checkpoint")


def start(out: str | Path, argv: Sequence[str]) -> Path:
    """Create the checkpoint folder of a new run and record its command line."""
    folder = checkpoint_folder(out)
    if folder.exists():
        raise ConfigError(
            f"--out {str(out)!r} has checkpoints of an unfinished run in {str(folder)!r}; "
            f"resume it with 'evomesa run --resume {out}' or remove that folder"
        )
    folder.mkdir(parents=True)
    write_text(folder / ARGS, json.dumps({"argv": list(argv)}, indent=1))
    return folder


def saved_argv(out: str | Path) -> list[str]:
    """The command line of the interrupted run whose folder is ``out``."""
    path = checkpoint_folder(out) / ARGS
    if not path.exists() and not path.is_symlink():
        raise ConfigError(
            f"--resume must name the --out folder of a run started with --checkpoint-every; "
            f"{str(path)!r} does not exist"
        )
    saved = read_json(regular_file(path, "--resume command line"), "--resume command line")
    argv = saved.get("argv") if isinstance(saved, dict) else None
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        raise ConfigError(f"--resume: {path} must hold a list of arguments; got {argv!r:.80}")
    if "--resume" in argv:
        raise ConfigError(f"--resume: {path} must not itself ask to resume")
    return argv


def finish(out: str | Path) -> None:
    """Remove the checkpoints of a run whose folder has been written."""
    shutil.rmtree(checkpoint_folder(out), ignore_errors=True)
