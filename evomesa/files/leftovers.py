"""Cleaning what killed evomesa processes left beside a run folder.

A process killed while writing a run leaves hidden working folders beside its target
(``.NAME.tmp-*``, ``.NAME.probe-*``, ``.NAME.old-*`` during a swap). Their names carry their
owner (:mod:`evomesa.files.owner`), so the next write into the same place can tell which are
left by a process that is gone: :func:`remove_leftovers` removes those (or keeps or restores
the one that holds a run) and :func:`clean_beside` says so in one :class:`LeftoversRemoved`
warning. ``.NAME.kept-*`` folders, and anything a running (or unknown) process owns, are never
touched.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

from evomesa.errors import ConfigError
from evomesa.files.destination import OPTION
from evomesa.files.manifest import run_folder_problem
from evomesa.files.owner import hidden_name, owned_by
from evomesa.files.safe_read import as_path


class LeftoversRemoved(UserWarning):
    """Hidden working folders of killed evomesa processes were removed (or kept, if they
    held a finished run)."""


def clean_beside(out: str | Path) -> list[str]:
    """:func:`remove_leftovers` beside ``out``, said in one :class:`LeftoversRemoved`
    warning; return its lines."""
    try:
        out = as_path(out, OPTION)
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
                target = hidden_name(out, "kept")
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
