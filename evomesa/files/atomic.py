"""Atomic file writes: a file is either its old self or its complete new self, never half.

Every writer here writes a hidden temporary file beside the target (same folder, so the
rename stays on one file system), flushes and fsyncs it, renames it over the target with
:func:`os.replace` (atomic on POSIX and Windows), then fsyncs the folder so the rename itself
survives a power loss. A crash at any moment leaves the old file or the new one, plus at worst
a stray ``.NAME.tmp-*`` file, which readers ignore; its name carries its owner
(:mod:`evomesa.files.owner`), so that :func:`remove_stale_temp_files` can remove it once its
process is gone.

A target that is a symbolic link is refused (:class:`~evomesa.errors.ConfigError`): the rename
would replace the link, not write through it, but a caller that meant to write through it
should learn that it does not. The temporary file is created with ``O_EXCL | O_NOFOLLOW``, so
a link planted at its name is never followed either.

API: :func:`write_bytes_atomic`, :func:`write_text_atomic`, :func:`write_json_atomic`,
:func:`save_npz_atomic`, :func:`save_figure_atomic`, :func:`fsync_folder`,
:func:`remove_stale_temp_files`.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.errors import ConfigError
from evomesa.files.owner import hidden_name, stale_temp_files


def _target(path: str | os.PathLike) -> Path:
    if not isinstance(path, str | os.PathLike) or str(path) == "":
        raise ConfigError(f"path must be a non-empty str or os.PathLike; got {path!r}")
    path = Path(path)
    if path.is_symlink():
        raise ConfigError(
            f"path must not be a symbolic link (evomesa never writes through one); got "
            f"{str(path)!r} -> {os.readlink(path)!r}"
        )
    if path.exists() and not path.is_file():
        raise ConfigError(f"path must be a file path; {str(path)!r} is a folder or device")
    return path


def fsync_folder(folder: str | os.PathLike) -> None:
    """fsync a folder, so that renames and creations in it are durable (no-op where the OS
    cannot open folders, such as Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems do not fsync folders; the rename is still atomic
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, flush, fsync, rename).

    Parameters
    ----------
    path : str or PathLike
        The file to (re)place; its folder must exist.
    data : bytes

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ConfigError
        If ``path`` is a symbolic link, a folder, or ``data`` is not bytes-like.
    OSError
        If the folder cannot be written (the target is then untouched).
    """
    path = _target(path)
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ConfigError(f"data must be bytes; got {type(data).__name__}")
    tmp = hidden_name(path, "tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError) and err.filename is None:
            err.filename = str(path)  # a write's error (a full disk) names no file otherwise
        raise
    fsync_folder(path.parent)
    return path


def write_text_atomic(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; see :func:`write_bytes_atomic`."""
    if not isinstance(text, str):
        raise ConfigError(f"text must be a str; got {type(text).__name__}")
    return write_bytes_atomic(path, text.encode(encoding))


def write_json_atomic(path: str | os.PathLike, obj: Any, indent: int | None = 1, **kw) -> Path:
    """Write ``obj`` as JSON to ``path`` atomically.

    NaN and infinities are refused (``allow_nan=False``): JSON has no such values, and
    evomesa's readers refuse them. Extra keyword arguments go to :func:`json.dumps`.
    """
    try:
        text = json.dumps(obj, indent=indent, allow_nan=False, **kw)
    except (TypeError, ValueError) as err:
        raise ConfigError(
            f"{Path(path).name} must be JSON-serialisable and finite ({err})"
        ) from None
    return write_text_atomic(path, text + "\n")


def save_npz_atomic(path: str | os.PathLike, **arrays: np.ndarray) -> Path:
    """:func:`numpy.savez_compressed` of ``arrays`` to ``path``, atomically.

    Object arrays are refused: they would need pickling, which evomesa never does.
    """
    checked = {}
    for name, arr in arrays.items():
        a = np.asarray(arr)
        if a.dtype.hasobject:
            raise ConfigError(f"array {name!r} must not hold Python objects; got dtype object")
        checked[name] = a
    buf = io.BytesIO()
    np.savez_compressed(buf, **checked)
    return write_bytes_atomic(path, buf.getvalue())


def save_figure_atomic(fig, path: str | os.PathLike, **savefig_kw: Any) -> Path:
    """``fig.savefig`` into memory, then written to ``path`` atomically (a crash never leaves
    a 0-byte or half-drawn image). The format is taken from the suffix, as savefig does."""
    path = Path(path)
    fmt = savefig_kw.pop("format", None) or (path.suffix.lstrip(".") or "png")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, **savefig_kw)
    return write_bytes_atomic(path, buf.getvalue())


def remove_stale_temp_files(folder: str | os.PathLike) -> list[Path]:
    """Remove the temporary files that killed writers left in ``folder`` (those whose owning
    process is gone, :mod:`evomesa.files.owner`); return them. Files of running processes, of
    other machines and of unknown owners are left alone."""
    removed = []
    for path in stale_temp_files(Path(folder)):
        try:
            path.unlink()
        except OSError:  # removed meanwhile by another cleaner, or not ours to remove
            continue
        removed.append(path)
    return removed
