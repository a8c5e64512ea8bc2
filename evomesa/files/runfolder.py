"""Run folders that are written atomically and never silently mixed with another run.

A run's files are first written into a hidden temporary folder beside the target, together
with a ``run.json`` marker holding the run's identity (world, parameters, seed...), and last
a ``manifest.json`` listing every file with its size and SHA-256. Only when everything is
written does the temporary folder take the target's place, by renames within the same parent.
Readers (:func:`verify_manifest`) refuse a folder without a manifest, or whose files differ
from it. So a crash or an exception while writing never leaves a half-written run,
and an existing folder is never partly overwritten: it is either refused or, with
``force=True``, replaced whole.

What counts as a run (:func:`run_folder_problem`): a folder whose manifest has the right format,
lists ``run.json``, verifies (every listed file with its size and SHA-256), and which holds
nothing the manifest does not list. ``force`` replaces only such a folder: a folder holding a
``run.json`` among the user's own files, or a run folder that someone added files to, is
never deleted.

If writing fails (a full disk, a file-size limit, no memory...), what was written so far is
kept beside the target as ``.NAME.kept-*`` and the error (:class:`RunNotSaved`) names it;
only an interrupt (Ctrl-C) or a failure before anything was written removes the temporary
folder. Hidden working names carry their owner (:mod:`evomesa.files.owner`): the next write into
the same place removes the ``.NAME.tmp-*`` folders, and the ``.NAME.old-*`` folders of a
swap whose target exists, that killed processes left, and says so with a
:class:`LeftoversRemoved` warning. ``.NAME.kept-*`` folders are never removed.

What this does not cover: a crash in the instant between moving an old folder aside and
renaming the new one in leaves the target missing and both runs under hidden names in the
parent. Every file is fsynced before its rename (:mod:`evomesa.files.atomic`), and the parent
folder after the swap.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.files.atomic import fsync_folder, write_json_atomic, write_text_atomic
from evomesa.files.owner import OVERHEAD, hidden_name, owned_by
from evomesa.files.safe_read import as_path, inside, read_json, regular_file, sha256

RUN_MARKER = "run.json"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "evomesa-run-manifest/1"

# The CLI option the folder comes from: errors name it so the user knows what to change.
_OPTION = "--out"
# How many identity fields / stray file names an error message shows before "...".
_SHOWN = 4
#: the longest hidden kind written beside a target (``probe``): the probe checks its length
_LONGEST_KIND = "probe"
#: what a kept folder says about itself
NOT_SAVED = "NOT_SAVED.txt"


class RunNotSaved(Exception):
    """Writing a run folder failed after part of it was written; that part is kept.

    Attributes
    ----------
    out : Path
        The run folder that was to be written (left as it was).
    kept : Path
        The hidden ``.NAME.kept-*`` folder holding the files written so far.
    cause : BaseException
        What stopped the writing (also ``__cause__``).
    """

    def __init__(
        self, out: Path, kept: Path, cause: BaseException, doing: str, tmp: Path | None = None
    ) -> None:
        self.out, self.kept, self.cause = out, kept, cause
        what = describe_failure(cause)
        if tmp is not None:  # name the file where it now is
            what = what.replace(str(tmp), str(kept))
        super().__init__(
            f"{_OPTION} {out}: the run could not be {doing} ({what}); "
            f"the files written so far are kept in {kept}"
        )


class LeftoversRemoved(UserWarning):
    """Hidden working folders of killed evomesa processes were removed (or kept, if they
    held a finished run)."""


def describe_failure(err: BaseException) -> str:
    """What stopped a write, in words: a full disk, a file-size limit, a quota, no memory."""
    if isinstance(err, MemoryError):
        return "out of memory (MemoryError)"
    if isinstance(err, OSError):
        what = {
            errno.ENOSPC: "the disk is full",
            errno.EFBIG: "a file-size limit was reached (ulimit -f)",
            getattr(errno, "EDQUOT", -1): "the disk quota is exceeded",
        }.get(err.errno, err.strerror or str(err))
        return f"{what} writing {err.filename}" if err.filename else what
    return f"{type(err).__name__}: {err}"


def check_run_folder(out: str | Path, force: bool = False) -> Path:
    """Return ``Path(out)`` if a run may be written there; raise ConfigError otherwise.

    Call this before a long computation so that nothing is computed in vain;
    :func:`write_run_folder` checks again before it swaps the new run in.

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
    # renames cannot move the working folder or '/', and a nameless path has no sibling
    here = Path.cwd().resolve()
    if out.name in ("", "..") or out.resolve() == here or out.resolve() in here.parents:
        raise ConfigError(
            f"{_OPTION} must name a folder that is not the working folder or one above it; "
            f"got {str(out)!r}"
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
    problem = run_folder_problem(out)
    if problem is not None:
        # --force replaces runs evomesa wrote, never a folder of other things
        raise ConfigError(
            f"{_OPTION} folder {out} already holds {_describe(out, entries, run=False)} and no "
            f"run that evomesa wrote ({problem}); choose another folder (--force replaces only "
            "a complete run folder with nothing added, and deletes nothing here)"
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
        probe = _fresh_name(here / out.name, _LONGEST_KIND)
        probe.mkdir()
        probe.rmdir()
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            longest = _name_max(here) - OVERHEAD - len(_LONGEST_KIND)
            raise ConfigError(
                f"{_OPTION} must have a name of at most {longest} characters (evomesa writes "
                f"beside it under longer hidden names); got {len(out.name)} in {str(out)[:80]!r}"
            ) from None
        raise ConfigError(
            f"{_OPTION} must be a place where a folder can be written; {str(here)!r} is not "
            f"({err.strerror or err})"
        ) from None


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


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
    RunNotSaved
        If writing failed (a full disk, a file-size limit, no memory, any error of ``write``)
        after some file was written, or the finished run could not take ``out``'s place for
        another reason than a ConfigError: the files are kept beside ``out`` as
        ``.NAME.kept-*`` (never removed by evomesa), the error names that folder, and ``out``
        is left untouched.
    BaseException
        A KeyboardInterrupt while writing, or an error before any file was written: the
        temporary folder is removed and ``out`` is left untouched.

    Warns
    -----
    LeftoversRemoved
        When hidden folders that killed evomesa processes left beside ``out`` were removed.
    """
    clean_beside(as_path(out, _OPTION))  # first: a restored run counts in the check
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
    except BaseException as err:
        if not isinstance(err, Exception) or not any(p.is_file() for p in tmp.rglob("*")):
            shutil.rmtree(tmp, ignore_errors=True)  # interrupted, or nothing written yet
            raise
        # a full disk, a file-size limit, no memory...: what was computed stays on disk
        kept = _keep(tmp, out, err)
        raise RunNotSaved(out, kept, err, "saved", tmp) from err
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
        if isinstance(err, Exception):
            raise RunNotSaved(out, kept, err, f"moved into {out}") from err
        raise
    fsync_folder(parent)
    return out


def _keep(tmp: Path, out: Path, err: BaseException) -> Path:
    """Rename the partly written run ``tmp`` to ``.NAME.kept-*`` (never removed), with a
    note saying what it is where there is room for one; return where it is."""
    kept = _fresh_name(out, "kept")
    try:
        os.rename(tmp, kept)
    except OSError:
        return tmp  # still there, under its working name; the error names it
    try:
        (kept / NOT_SAVED).write_text(
            f"evomesa could not finish writing the run folder {out} "
            f"({describe_failure(err)}). These are the files written before it stopped; "
            "they were not checked and there is no manifest.\n",
            encoding="utf-8",
        )
    except OSError:  # the disk that stopped the run may have no room for the note either
        pass
    return kept


def clean_beside(out: str | Path) -> list[str]:
    """:func:`remove_leftovers` beside ``out``, said in one :class:`LeftoversRemoved`
    warning; return its lines."""
    try:
        out = as_path(out, _OPTION)
    except ConfigError:
        return []  # check_run_folder says why
    if out.name in ("", ".", ".."):
        return []
    lines = remove_leftovers(out)
    if lines:
        warnings.warn("; ".join(lines), LeftoversRemoved, stacklevel=3)
    return lines


def remove_leftovers(out: str | Path) -> list[str]:
    """Clean what killed evomesa processes left beside ``out``; return what was done.

    - ``.NAME.tmp-*`` and ``.NAME.probe-*`` entries whose owner is gone are removed; a
      temporary folder that holds a complete, verified run is kept as ``.NAME.kept-*``
      instead (it was killed between its manifest and its swap).
    - ``.NAME.old-*`` folders whose owner is gone: removed while ``out`` exists (the swap
      had put the new run in place); if ``out`` is missing, the owner died between moving
      the old run aside and moving the new one in, and the old folder may be the only copy
      of the previous run: it is moved back to ``out`` (one of them; any other is left).
    - ``.NAME.kept-*`` folders, and anything whose owner runs or may run (another machine,
      an owner an older evomesa did not record), are never touched.

    Returns
    -------
    list of str
        One line per kind of action, for a warning.
    """
    out = Path(out)
    removed, kept, restored, left = [], [], [], []
    for kind in ("tmp", "probe", "old"):
        for path, state in owned_by(out.parent, out.name, kind):
            if state != "gone" or path.is_symlink():
                continue
            if kind == "old" and not (out.exists() or out.is_symlink()):
                if restored or not path.is_dir():
                    left.append(path.name)
                    continue
                try:
                    os.rename(path, out)
                    restored.append(path.name)
                except OSError:
                    left.append(path.name)
                continue
            if kind == "old" and restored:
                left.append(path.name)  # never remove a second copy beside a restored one
                continue
            if kind == "tmp" and path.is_dir() and run_folder_problem(path) is None:
                target = _fresh_name(out, "kept")
                try:
                    os.rename(path, target)
                    kept.append(f"{path.name} -> {target.name}")
                except OSError:
                    pass
                continue
            try:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue
            removed.append(path.name)
    lines = []
    if removed:
        lines.append(
            f"removed {len(removed)} hidden folder(s) that killed evomesa processes left "
            f"beside {out}: {', '.join(removed)}"
        )
    if kept:
        lines.append(f"kept the finished run(s) that killed processes left: {', '.join(kept)}")
    if restored:
        lines.append(
            f"restored {out} from {restored[0]}: the process replacing it was killed after "
            "moving it aside"
        )
    if left:
        lines.append(f"left {', '.join(left)} beside {out} (may be the only copy of a run)")
    return lines


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


def run_folder_problem(folder: str | Path) -> str | None:
    """None if ``folder`` is a run evomesa wrote, exactly; otherwise why it is not.

    A run: ``manifest.json`` in the right format, listing ``run.json``, verifying
    (:func:`verify_manifest`: every listed file present with its size and SHA-256), and
    nothing in the folder that the manifest does not list (no added file, folder or link).
    Only such a folder may be replaced by ``force``.
    """
    folder = Path(folder)
    if not (folder / MANIFEST).is_file() or (folder / MANIFEST).is_symlink():
        return f"it has no {MANIFEST}"
    try:
        files = verify_manifest(folder)
    except ConfigError as err:
        return f"its {MANIFEST} does not verify: {err}"
    if RUN_MARKER not in files:
        return f"its {MANIFEST} does not list {RUN_MARKER}"
    added = _unlisted(folder, set(files))
    if added:
        shown = ", ".join(added[:_SHOWN]) + (", ..." if len(added) > _SHOWN else "")
        return f"it holds what its {MANIFEST} does not list: {shown}"
    return None


def _unlisted(folder: Path, listed: set[str]) -> list[str]:
    """Entries below ``folder`` that are neither listed files nor folders on their way."""
    needed = {MANIFEST, *listed}
    for name in listed:
        parts = name.split("/")
        needed.update("/".join(parts[:i]) for i in range(1, len(parts)))
    extra = []
    for root, dirs, names in os.walk(folder):  # never follows links
        base = Path(root).relative_to(folder)
        for name in sorted(dirs + names):
            rel = (base / name).as_posix()
            if rel not in needed:
                extra.append(rel)
        dirs[:] = [d for d in dirs if (base / d).as_posix() in needed]
    return extra


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
    """An unused hidden path beside ``out`` naming its owner, e.g. ``.x.tmp-<owner>``
    (:func:`evomesa.files.owner.hidden_name`)."""
    return hidden_name(out, kind)


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` (missing or a folder) by the folder ``new``."""
    if not out.exists():
        os.rename(new, out)
        return
    # Renaming a folder onto a non-empty one fails, and deleting first would leave a window
    # with neither run: move the old one aside, rename the new one in, then delete the old.
    old = _fresh_name(out, "old")
    os.rename(out, old)
    # checked again now that nobody can add to it by its name: never delete what someone
    # put into the run folder while this run was computed
    problem = run_folder_problem(old) if any(old.iterdir()) else None
    if problem is not None:
        os.rename(old, out)
        raise ConfigError(
            f"{_OPTION} folder {out} changed while the run was computed and is no longer a "
            f"run that evomesa wrote ({problem}); nothing in it was deleted"
        )
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _describe(folder: Path, entries: list[str], run: bool = True) -> str:
    """What an occupied folder holds, for the refusal message."""
    identity = read_identity(folder) if run else None
    if identity is not None:
        fields = [f"{k} {v}" for k, v in identity.items() if isinstance(v, str | int | float)]
        shown = ", ".join(fields[:_SHOWN]) + (", ..." if len(fields) > _SHOWN else "")
        return f"another run ({shown})" if shown else "another run"
    shown = ", ".join(entries[:_SHOWN]) + (", ..." if len(entries) > _SHOWN else "")
    return f"other files ({shown})"
