"""Run folders that are written atomically and never silently mixed with another run.

A run's files are first written into a hidden temporary folder beside the target, together
with a ``run.json`` marker holding the run's identity (world, parameters, seed...), and last
a ``manifest.json`` listing every file with its size and SHA-256. Only when everything is
written does the temporary folder take the target's place, by renames within the same parent.
Readers (:func:`verify_manifest`) refuse a folder without a manifest, or whose files differ
from it. So a crash or an exception while writing never leaves a half-written run,
and an existing folder is never partly overwritten: it is either refused or, with
``force=True``, replaced whole.

What this does not cover: a crash in the instant between moving an old folder aside and
renaming the new one in leaves the target missing and both runs under hidden names in the
parent. Every file is fsynced before its rename (:mod:`evomesa.atomic`), and the parent
folder after the swap.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from evomesa.atomic import fsync_folder, write_json_atomic, write_text_atomic
from evomesa.errors import ConfigError
from evomesa.safe_read import as_path, inside, read_json, regular_file, sha256

RUN_MARKER = "run.json"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "evomesa-run-manifest/1"

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
        If ``out`` is empty, a file or a symbolic link; a non-empty folder that holds no run
        (with or without ``force``: a folder of other things is never replaced); the working
        folder or one above it; a folder holding a run while ``force`` is false; or a place
        where no folder can be created (read-only, missing permissions).
    """
    out = as_path(out, _OPTION)
    try:
        return _check_run_folder(out, force)
    except OSError as err:  # a name too long, a folder that cannot be listed...
        raise ConfigError(
            f"{_OPTION} must be a usable folder path; {str(out)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None


def _check_run_folder(out: Path, force: bool) -> Path:
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
        _check_writable(out)
        return out
    if not out.is_dir():
        raise ConfigError(f"{_OPTION} must be a folder (new or empty); got the file {str(out)!r}")
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        _check_writable(out)
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
        probe = _fresh_name(here / out.name, "probe")
        probe.mkdir()
        probe.rmdir()
    except OSError as err:
        raise ConfigError(
            f"{_OPTION} must be a place where a folder can be written; {str(here)!r} is not "
            f"({err.strerror or err})"
        ) from None


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
        write_text_atomic(tmp / RUN_MARKER, marker)
        write_manifest(tmp)  # last: a folder with a manifest is complete
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
    fsync_folder(parent)
    return out


def _files(folder: Path) -> list[str]:
    """Every regular file below ``folder`` (posix paths relative to it), manifest excluded."""
    names = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            raise ConfigError(f"a run folder must hold no symbolic links; got {path}")
        if path.is_file() and path.name != MANIFEST:
            names.append(path.relative_to(folder).as_posix())
    return names


def write_manifest(folder: str | Path) -> Path:
    """Write ``folder/manifest.json``: every file below ``folder`` with its size and SHA-256.

    Call it last, once every other file is written: its presence says the folder is complete.
    """
    folder = Path(folder)
    files = {
        name: {
            "size": (folder / name).stat().st_size,
            "sha256": sha256(folder / name, name),
        }
        for name in _files(folder)
    }
    return write_json_atomic(folder / MANIFEST, {"format": MANIFEST_FORMAT, "files": files})


def verify_manifest(folder: str | Path) -> dict[str, dict[str, Any]]:
    """Check a run folder against its manifest; return the manifest's ``files``.

    Every file the manifest lists must be a regular file inside ``folder`` (no ``..``, no
    symbolic link on the way) with the recorded size and SHA-256. Files it does not list
    are ignored by readers (never read).

    Raises
    ------
    ConfigError
        If the manifest is missing (an incomplete or interrupted write, or a folder written
        by an older evomesa), unreadable, or any file differs from it.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.exists() and not path.is_symlink():
        raise ConfigError(
            f"DIR must be a complete run folder (with {MANIFEST}, written last); {str(folder)!r} "
            "has none: its writing was interrupted, or an older evomesa wrote it (run it again)"
        )
    doc = read_json(path, MANIFEST, max_bytes=64 * 2**20)
    files = doc.get("files") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != MANIFEST_FORMAT
        or not isinstance(files, dict)
    ):
        raise ConfigError(
            f"{path}: field 'format' must be {MANIFEST_FORMAT!r} with an object 'files'; got "
            f"{str(doc)[:80]!r}"
        )
    for name, entry in files.items():
        file = inside(folder, name, f"{MANIFEST} entry")
        if (
            not isinstance(entry, dict)
            or set(entry) != {"size", "sha256"}
            or not isinstance(entry["size"], int)
            or not isinstance(entry["sha256"], str)
        ):
            raise ConfigError(f"{path}: files[{name!r}] must be {{size, sha256}}; got {entry!r}")
        regular_file(file, f"{MANIFEST} entry {name!r}")
        if file.stat().st_size != entry["size"] or sha256(file, name) != entry["sha256"]:
            raise ConfigError(
                f"{file} must be the file the run wrote ({MANIFEST}: {entry['size']} bytes, "
                "SHA-256 recorded); it differs: damaged or changed since"
            )
    return files


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
        data = read_json(Path(folder) / RUN_MARKER, RUN_MARKER, max_bytes=64 * 2**20)
    except (OSError, ConfigError):
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
