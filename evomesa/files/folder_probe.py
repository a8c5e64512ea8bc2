"""Output folders probed before any work: a bad place is a ConfigError, never a raw OSError.

``--out`` of ``run`` has :func:`evomesa.files.destination.check_run_folder`; the other folders
evomesa writes into (a run's checkpoint folder ``DIR.checkpoint``, a sweep's folder) go through
:func:`make_folder`, which creates the folder and proves that files can be created in it, so
that a folder under a file, in ``/proc``, with an overlong name or on a read-only mount is
refused before hours of evolution, with the option and the path named.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.files.owner import hidden_name
from evomesa.files.safe_read import as_path


def make_folder(path: Any, option: str) -> Path:
    """Create the folder ``path`` (and its parents) if missing and probe that it can be
    written; return it as a Path.

    Parameters
    ----------
    path : str or PathLike
        The folder.
    option : str
        The option or parameter it comes from, for the message (``--out``, ``out``...).

    Raises
    ------
    ConfigError
        If ``path`` is empty, holds a NUL character, is (or passes through) a file or a
        symbolic link, or cannot be created or written (no such place, ``/proc``, a name
        too long, read-only, no permission, no room).
    """
    folder = as_path(path, option)
    try:
        return _make(folder, option)
    except ConfigError:
        raise
    except (OSError, ValueError) as err:  # ValueError: an embedded NUL character
        reason = getattr(err, "strerror", None) or str(err)
        if getattr(err, "errno", None) == errno.ENAMETOOLONG:
            reason += "; use shorter folder names"
        raise ConfigError(
            f"{option} must be a folder that evomesa can create and write; "
            f"{str(folder)[:120]!r} is not ({reason})"
        ) from None


def _make(folder: Path, option: str) -> Path:
    for above in [*reversed(folder.parents), folder]:
        if above.is_symlink() and above == folder:
            raise ConfigError(
                f"{option} must be a folder, not a symbolic link; got {str(folder)!r} -> "
                f"{os.readlink(folder)!r}"
            )
        if above.exists() and not above.is_dir():
            raise ConfigError(
                f"{option} must be a folder path whose every part is a folder; "
                f"{str(above)!r} is a file"
            )
    folder.mkdir(parents=True, exist_ok=True)
    probe = hidden_name(folder / "evomesa", "probe")  # as long a name as evomesa writes
    probe.mkdir()
    probe.rmdir()
    return folder
