"""Run folders that are written atomically and never silently mixed with another run.

A run's files are first written into a hidden temporary folder beside the target, together
with a ``run.json`` marker holding the run's identity (world, parameters, seed...), and last
a ``manifest.json`` listing every file with its size and SHA-256. Only when everything is
written does the temporary folder take the target's place, by renames within the same parent.
Readers (:func:`evomesa.files.manifest.verify_manifest`) refuse a folder without a manifest,
or whose files differ from it. So a crash or an exception while writing never leaves a
half-written run, and an existing folder is never partly overwritten: it is either refused
or, with ``force=True``, replaced whole.

What counts as a run (:func:`evomesa.files.manifest.run_folder_problem`): a folder whose
manifest has the right format, lists ``run.json``, verifies (every listed file with its size
and SHA-256), and which holds nothing the manifest does not list. ``force`` replaces only
such a folder: a folder holding a ``run.json`` among the user's own files, or a run folder
that someone added files to, is never deleted.

If writing fails (a full disk, a file-size limit, no memory...), what was written so far is
kept beside the target as ``.NAME.kept-*`` and the error (:class:`RunNotSaved`) names it;
only an interrupt (Ctrl-C) or a failure before anything was written removes the temporary
folder. Hidden working names carry their owner (:mod:`evomesa.files.owner`): the next write into
the same place removes the ``.NAME.tmp-*`` folders, and the ``.NAME.old-*`` folders of a
swap whose target exists, that killed processes left, and says so with a
:class:`~evomesa.files.leftovers.LeftoversRemoved` warning (:mod:`evomesa.files.leftovers`).
``.NAME.kept-*`` folders are never removed. Where a run may be written is
:func:`evomesa.files.destination.check_run_folder`.

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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.files.atomic import fsync_folder, write_text_atomic
from evomesa.files.destination import OPTION, check_run_folder
from evomesa.files.leftovers import clean_beside
from evomesa.files.manifest import RUN_MARKER, run_folder_problem, write_manifest
from evomesa.files.owner import hidden_name
from evomesa.files.safe_read import as_path

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
            f"{OPTION} {out}: the run could not be {doing} ({what}); "
            f"the files written so far are kept in {kept}"
        )


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
    clean_beside(as_path(out, OPTION))  # first: a restored run counts in the check
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
            f"{OPTION} must be a path whose parent is a folder; got {str(out)!r}"
        ) from None

    tmp = hidden_name(out, "tmp")
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
        kept = hidden_name(out, "kept")
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
    kept = hidden_name(out, "kept")
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


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` (missing or a folder) by the folder ``new``."""
    if not out.exists():
        os.rename(new, out)
        return
    # Renaming a folder onto a non-empty one fails, and deleting first would leave a window
    # with neither run: move the old one aside, rename the new one in, then delete the old.
    old = hidden_name(out, "old")
    os.rename(out, old)
    # checked again now that nobody can add to it by its name: never delete what someone
    # put into the run folder while this run was computed
    problem = run_folder_problem(old) if any(old.iterdir()) else None
    if problem is not None:
        os.rename(old, out)
        raise ConfigError(
            f"{OPTION} folder {out} changed while the run was computed and is no longer a "
            f"run that evomesa wrote ({problem}); nothing in it was deleted"
        )
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
