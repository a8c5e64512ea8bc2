"""Run folders that are written atomically and never silently mixed with another run.

A run's files are first written into a hidden temporary folder beside the target, together
with a ``run.json`` marker holding the run's identity (world, parameters, seed...). Only when
everything is written does the temporary folder take the target's place, by renames within
the same parent. So a crash or an exception while writing never leaves a half-written run,
and an existing folder is never partly overwritten: it is either refused or, with
``force=True``, replaced whole.

What this does not cover: a crash in the instant between moving an old folder aside and
renaming the new one in leaves the target missing and both runs under hidden names in the
parent; nothing is fsynced, so a power loss may lose recent writes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError

RUN_MARKER = "run.json"

# The CLI option the folder comes from: errors name it so the user knows what to change.
_OPTION = "--out"
# How many identity fields / stray file names an error message shows before "...".
_SHOWN = 4


def check_run_folder(out: str | Path, force: bool = False) -> Path:
    """Return ``Path(out)`` if a run may be written there; raise ConfigError otherwise.

    Call this before a long computation so that nothing is computed in vain;
    :func:`write_run_folder` checks again before it swaps the new run in.

    Parameters
    ----------
    out : str or Path
        The run folder. A missing path or an empty folder is always fine.
    force : bool
        Allow replacing a non-empty folder (whole: none of its files remain).

    Returns
    -------
    Path
        ``out`` as a Path.

    Raises
    ------
    ConfigError
        If ``out`` is a file or a symbolic link; a non-empty folder that holds no run (with
        or without ``force``: a folder of other things is never replaced); the working
        folder or one above it; or a folder holding a run while ``force`` is false.
    """
    out = Path(out)
    for above in out.parents:
        if above.exists() and not above.is_dir():
            raise ConfigError(
                f"{_OPTION} must be a path whose parents are folders; {str(above)!r} is a file"
            )
    if out.is_symlink():
        # Renames would replace the link itself, not the folder it points to: refuse rather
        # than surprise.
        raise ConfigError(
            f"{_OPTION} must be a folder path that is not a symbolic link; got the link "
            f"{str(out)!r} -> {os.readlink(out)!r}"
        )
    if not out.exists():
        return out
    if not out.is_dir():
        raise ConfigError(f"{_OPTION} must be a folder (new or empty); got the file {str(out)!r}")
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        return out
    here = Path.cwd().resolve()
    if out.resolve() == here or out.resolve() in here.parents:
        raise ConfigError(
            f"{_OPTION} must not be the working folder or one above it; got {str(out)!r}"
        )
    if read_identity(out) is None:
        # --force replaces runs, never a folder of other things (a folder of many runs, say)
        raise ConfigError(
            f"{_OPTION} folder {out} already holds {_describe(out, entries)} and no run; "
            "choose another folder (--force replaces only a folder holding a run)"
        )
    if not force:
        raise ConfigError(
            f"{_OPTION} folder {out} already holds {_describe(out, entries)}; "
            f"choose another folder or pass --force to replace it"
        )
    return out


def write_run_folder(
    out: str | Path,
    write: Callable[[Path], None],
    identity: Mapping[str, Any],
    *,
    force: bool = False,
) -> Path:
    """Write a run into ``out`` atomically, with ``identity`` saved as ``out/run.json``.

    Parameters
    ----------
    out : str or Path
        The run folder; its parent is created if missing. See :func:`check_run_folder` for
        which existing paths are accepted.
    write : callable
        ``write(tmp)`` writes all the run's files into the fresh, empty folder ``tmp``. A
        ``run.json`` it writes is overwritten by the marker.
    identity : mapping
        JSON-serialisable description of the run (world, parameters, config, seed...).
    force : bool
        Replace a non-empty ``out`` whole instead of refusing it.

    Returns
    -------
    Path
        The final run folder.

    Raises
    ------
    ConfigError
        If ``out`` may not be written (checked before ``write`` is called and again before
        the swap), or ``identity`` is not JSON-serialisable.
    Exception
        Whatever ``write`` raises; the temporary folder is then removed and ``out`` is left
        untouched. If the run was written but cannot take ``out``'s place (``out`` filled
        meanwhile, a failed rename), it is kept beside ``out`` as ``.NAME.kept-*`` and the
        error names that folder.
    """
    out = check_run_folder(out, force)
    try:
        marker = json.dumps(dict(identity), indent=2, allow_nan=False) + "\n"
    except (TypeError, ValueError) as err:
        raise ConfigError(
            f"identity must be a JSON-serialisable mapping; got {identity!r} ({err})"
        ) from None

    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(
            f"{_OPTION} must be a path whose parent is a folder; got {str(out)!r}"
        ) from None

    tmp = _fresh_name(out, "tmp")
    tmp.mkdir()
    try:
        write(tmp)
        (tmp / RUN_MARKER).write_text(marker, encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # nothing complete to keep
        raise
    try:
        # Something may have appeared in ``out`` while the run was computed.
        check_run_folder(out, force)
        _swap_in(tmp, out)
    except BaseException as err:
        # The run is complete: never throw it away. Keep it beside ``out`` and say where.
        kept = _fresh_name(out, "kept")
        os.rename(tmp, kept)
        if isinstance(err, ConfigError):
            raise ConfigError(f"{err}. The finished run was kept in {kept}") from None
        raise
    return out


def read_identity(folder: str | Path) -> dict | None:
    """The identity saved in ``folder/run.json``, or None if there is none or it is unreadable.

    Parameters
    ----------
    folder : str or Path
        A run folder.

    Returns
    -------
    dict or None
    """
    try:
        data = json.loads((Path(folder) / RUN_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _fresh_name(out: Path, kind: str) -> Path:
    """An unused hidden path beside ``out``, e.g. ``.x.tmp-3f9a...``.

    Same parent as ``out`` so renames stay on one file system and are atomic.
    """
    while True:
        path = out.parent / f".{out.name}.{kind}-{secrets.token_hex(6)}"
        if not path.exists() and not path.is_symlink():
            return path


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` (missing or a folder) by the folder ``new``."""
    if not out.exists():
        os.rename(new, out)
        return
    # Renaming a folder onto a non-empty one fails, and deleting first would leave a window
    # with neither run: move the old one aside, rename the new one in, then delete the old.
    old = _fresh_name(out, "old")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _describe(folder: Path, entries: list[str]) -> str:
    """What an occupied folder holds, for the refusal message."""
    identity = read_identity(folder)
    if identity is not None:
        fields = [f"{k} {v}" for k, v in identity.items() if isinstance(v, str | int | float)]
        shown = ", ".join(fields[:_SHOWN]) + (", ..." if len(fields) > _SHOWN else "")
        return f"another run ({shown})" if shown else "another run"
    shown = ", ".join(entries[:_SHOWN]) + (", ..." if len(entries) > _SHOWN else "")
    return f"other files ({shown})"
