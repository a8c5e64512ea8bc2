"""Where a run folder may be written: :func:`check_run_folder`, before any work is done.

A missing path or an empty folder is always fine; a folder holding a run evomesa wrote is
replaced only with ``force``; anything else (a file, a symbolic link, the working folder, a
folder of the user's own files, a place where no folder can be created) is refused with a
ConfigError naming ``--out``. Writing checks again before it swaps the new run in
(:func:`evomesa.files.runfolder.write_run_folder`).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from evomesa.errors import ConfigError
from evomesa.files.manifest import first_few, read_identity, run_folder_problem
from evomesa.files.owner import OVERHEAD, hidden_name
from evomesa.files.safe_read import as_path

# The CLI option the folder comes from: errors name it so the user knows what to change.
OPTION = "--out"
#: the longest hidden kind written beside a target (``probe``): the probe checks its length
_LONGEST_KIND = "probe"


def check_run_folder(out: str | Path, force: bool = False) -> Path:
    """Return ``Path(out)`` if a run may be written there; raise ConfigError otherwise.

    Call this before a long computation so that nothing is computed in vain;
    :func:`~evomesa.files.runfolder.write_run_folder` checks again before it swaps the new run
    in.

    Parameters
    ----------
    out : str or Path
        The run folder. A missing path or an empty folder is always fine.
    force : bool
        Allow replacing a folder holding a run that evomesa wrote (whole: none of its files
        remain). Nothing else is ever replaced.

    Returns
    -------
    Path
        ``out`` as a Path.

    Raises
    ------
    ConfigError
        If ``out`` is empty, a file or a symbolic link; the working folder or one above it;
        a non-empty folder that is not a run evomesa wrote (:func:`run_folder_problem`; with
        or without ``force``); a folder holding a run while ``force`` is false; or a place
        where no folder can be created (read-only, missing permissions, a name too long).
    """
    out = as_path(out, OPTION)
    try:
        return _check_run_folder(out, force)
    except OSError as err:  # a name too long, a folder that cannot be listed...
        raise ConfigError(
            f"{OPTION} must be a usable folder path; {str(out)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None


def _check_run_folder(out: Path, force: bool) -> Path:
    for above in out.parents:
        if above.exists() and not above.is_dir():
            raise ConfigError(
                f"{OPTION} must be a path whose parents are folders; {str(above)!r} is a file"
            )
    if out.is_symlink():
        # Renames would replace the link itself, not the folder it points to: refuse rather
        # than surprise.
        raise ConfigError(
            f"{OPTION} must be a folder path that is not a symbolic link; got the link "
            f"{str(out)!r} -> {os.readlink(out)!r}"
        )
    # renames cannot move the working folder or '/', and a nameless path has no sibling
    here = Path.cwd().resolve()
    if out.name in ("", "..") or out.resolve() == here or out.resolve() in here.parents:
        raise ConfigError(
            f"{OPTION} must name a folder that is not the working folder or one above it; "
            f"got {str(out)!r}"
        )
    if not out.exists():
        _check_writable(out)
        return out
    if not out.is_dir():
        raise ConfigError(f"{OPTION} must be a folder (new or empty); got the file {str(out)!r}")
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        _check_writable(out)
        return out
    problem = run_folder_problem(out)
    if problem is not None:
        # --force replaces runs evomesa wrote, never a folder of other things
        raise ConfigError(
            f"{OPTION} folder {out} already holds {_describe(out, entries, run=False)} and no "
            f"run that evomesa wrote ({problem}); choose another folder (--force replaces only "
            "a complete run folder with nothing added, and deletes nothing here)"
        )
    if not force:
        raise ConfigError(
            f"{OPTION} folder {out} already holds {_describe(out, entries)}; "
            f"choose another folder or pass --force to replace it"
        )
    _check_writable(out)
    return out


def _check_writable(out: Path) -> None:
    """Raise ConfigError unless a folder can be created beside ``out`` (where the run is
    written before it is renamed into place), or in the nearest existing folder above.

    A real probe (create and remove a hidden folder), not ``os.access``: permissions,
    read-only mounts and full disks all show.
    """
    here = out.parent
    while not here.exists() and here != here.parent:
        here = here.parent
    try:
        probe = hidden_name(here / out.name, _LONGEST_KIND)
        probe.mkdir()
        probe.rmdir()
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            longest = _name_max(here) - OVERHEAD - len(_LONGEST_KIND)
            raise ConfigError(
                f"{OPTION} must have a name of at most {longest} characters (evomesa writes "
                f"beside it under longer hidden names); got {len(out.name)} in {str(out)[:80]!r}"
            ) from None
        raise ConfigError(
            f"{OPTION} must be a place where a folder can be written; {str(here)!r} is not "
            f"({err.strerror or err})"
        ) from None


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _describe(folder: Path, entries: list[str], run: bool = True) -> str:
    """What an occupied folder holds, for the refusal message."""
    identity = read_identity(folder) if run else None
    if identity is not None:
        fields = [f"{k} {v}" for k, v in identity.items() if isinstance(v, str | int | float)]
        shown = first_few(fields)
        return f"another run ({shown})" if shown else "another run"
    return f"other files ({first_few(entries)})"
