"""Reading files that may be hostile: bounded, checked, never pickled, never outside a folder.

Every reader of saved runs goes through here, so that a damaged or crafted file gives a
:class:`~evomesa.errors.ConfigError` naming the file and the field, never a raw
``JSONDecodeError``, ``UnicodeDecodeError``, ``RecursionError``, ``BadZipFile`` or
``EOFError``, and never an allocation larger than the memory budget (:mod:`evomesa.budget`):
an npz member's shape and dtype are read from its header and checked before its data is.
Every read allocates what the file's size needs, not the budget (a file's size is checked
against the budget first, and a file that grows while read is refused), and hashing streams
the file: a budget larger than the memory the process may have cannot make a read fail.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from evomesa.budget import memory_budget
from evomesa.errors import ConfigError


def as_path(path: Any, name: str = "path") -> Path:
    """``path`` as a Path if it is a non-empty str or os.PathLike; ConfigError otherwise."""
    if not isinstance(path, str | os.PathLike) or str(os.fspath(path)) == "":
        raise ConfigError(f"{name} must be a non-empty str or os.PathLike; got {path!r}")
    return Path(path)


def inside(root: Path, relative: str | Path, what: str) -> Path:
    """``root / relative`` if it stays inside ``root`` with no symbolic link on the way.

    Parameters
    ----------
    root : Path
        The folder a reader may not leave.
    relative : str or Path
        A path taken from a file (a genome name, a replicate folder...).
    what : str
        The file and field it came from, for the message.
    """
    rel = Path(relative)
    if rel.is_absolute() or any(part in ("..", "") for part in rel.parts) or not rel.parts:
        raise ConfigError(f"{what} must be a path inside {root}; got {str(relative)!r}")
    here = root
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            raise ConfigError(
                f"{what} must not go through a symbolic link; {here} -> {os.readlink(here)!r}"
            )
    return here


def regular_file(path: Path, what: str) -> Path:
    """``path`` if it is a regular file and not a symbolic link."""
    if path.is_symlink():
        raise ConfigError(f"{what} must be a regular file, not a symbolic link; got {path}")
    if not path.is_file():
        raise ConfigError(f"{what} must be a file; {path} is missing or not a file")
    return path


def _limit(max_bytes: int | None) -> int:
    return memory_budget() if max_bytes is None else int(max_bytes)


#: bytes read at a time where a file is streamed (hashing, npz members)
CHUNK = 2**20


@contextmanager
def _open_regular(path: Path, what: str, limit: int) -> Iterator[tuple[BinaryIO, int]]:
    """The open file and its size, once that size is known to be within ``limit``.

    The size is taken from the opened file (not a second look at the path), and the file is
    opened without following a symbolic link and without blocking, so that a link or a FIFO
    swapped in after :func:`regular_file` is refused rather than followed or waited on.
    """
    regular_file(path, what)
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError as err:
        raise ConfigError(f"{what} must be readable; {path}: {err.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{what} must be a regular file; {path} is not")
        if info.st_size > limit:
            raise ConfigError(f"{what} must be at most {limit} bytes; {path} has {info.st_size}")
        yield fh, info.st_size


def read_bytes(path: Path, what: str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file no larger than ``max_bytes`` (default: the budget).

    Allocates what the file's size needs, never the whole budget: the size is checked against
    the limit before reading, and a file that grows while read is refused.
    """
    limit = _limit(max_bytes)
    with _open_regular(path, what, limit) as (fh, size):
        try:
            data = fh.read(size)
            grew = fh.read(1) != b""
        except OSError as err:
            raise ConfigError(f"{what} must be readable; {path}: {err.strerror}") from None
    if grew:
        raise ConfigError(f"{what} must not change while read; {path} grew beyond {size} bytes")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_json(path: Path, what: str, max_bytes: int | None = None) -> Any:
    """Parse a UTF-8 JSON file strictly (no NaN or infinity, not even as 1e999; nesting
    within Python's limit).

    Raises
    ------
    ConfigError
        Naming ``what`` and the reason: too big, not UTF-8, not JSON, nested too deeply.
    """
    data = read_bytes(path, what, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{what} must be UTF-8 text; {path} is not ({err.reason})") from None
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ConfigError(f"{what} must be JSON nested less deeply; {path} is not") from None
    except ValueError as err:  # JSONDecodeError is a ValueError
        raise ConfigError(f"{what} must be valid JSON; {path} is not ({err})") from None
    # a literal such as 1e999 parses to infinity: refuse it like NaN (walked without recursion)
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ConfigError(f"{what} must hold finite numbers only; {path} holds {item}")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return doc


def sha256(path: Path, what: str, max_bytes: int | None = None) -> str:
    """The hex SHA-256 of a regular file no larger than ``max_bytes`` (default: the budget).

    Hashed in chunks of :data:`CHUNK` bytes: the file is never held whole in memory. A file
    that grows while hashed is refused (its digest would describe no version of it).
    """
    limit = _limit(max_bytes)
    digest = hashlib.sha256()
    with _open_regular(path, what, limit) as (fh, size):
        view = memoryview(bytearray(min(CHUNK, size + 1)))  # + 1: room to see it grow
        total = 0
        try:
            while n := fh.readinto(view):
                total += n
                if total > size:
                    raise ConfigError(
                        f"{what} must not change while read; {path} grew beyond {size} bytes"
                    )
                digest.update(view[:n])
        except OSError as err:
            raise ConfigError(f"{what} must be readable; {path}: {err.strerror}") from None
    return digest.hexdigest()


def read_npz(
    path: Path,
    shapes: Mapping[str, tuple[int, ...]],
    what: str,
    max_bytes: int | None = None,
) -> dict[str, np.ndarray]:
    """The float64 arrays of an npz file, each checked against its expected shape first.

    Parameters
    ----------
    path : Path
    shapes : mapping of str to tuple of int
        Exactly the members expected, and each one's shape (read from the member's header and
        compared before its data is read, so a crafted header cannot ask for more memory).
    what : str
        The file's name in messages.
    max_bytes : int, optional
        Bound on the file and on the expanded arrays (default: the memory budget).

    Raises
    ------
    ConfigError
        Missing or extra members, a shape, dtype or size that differs, any member that is
        not a plain little-endian float64 array, a damaged archive, or non-finite values.
    """
    limit = _limit(max_bytes)
    need = sum(8 * math.prod(s) for s in shapes.values())
    if need > limit:
        raise ConfigError(
            f"{what} must fit the memory budget of {limit} bytes; its arrays need {need}"
        )
    regular_file(path, what)
    size = path.stat().st_size
    if size > limit:
        raise ConfigError(f"{what} must be at most {limit} bytes; {path} has {size}")
    # an archive of these arrays is no larger than their data, each member's header and zip
    # records, and deflate's worst-case growth: anything larger holds something else (a
    # central directory of millions of entries would cost far more memory than its bytes)
    most = need + need // 100 + _NPZ_OVERHEAD * (len(shapes) + 1)
    if size > most:
        raise ConfigError(
            f"{what} must be at most {most} bytes for arrays of {need} bytes; {path} has {size}"
        )
    out: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            members = {info.filename: info for info in zf.infolist()}
            want = {f"{name}.npy": name for name in shapes}
            if set(members) != set(want):
                raise ConfigError(
                    f"{what} must hold exactly the arrays {sorted(shapes)}; {path} holds "
                    f"{sorted(m.removesuffix('.npy') for m in members)[:8]}"
                )
            for member, name in want.items():
                out[name] = _read_member(zf, members[member], shapes[name], f"{what}:{name}")
    except ConfigError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, KeyError) as err:
        raise ConfigError(
            f"{what} must be an intact npz archive; {path} is not ({type(err).__name__}: "
            f"{str(err)[:120]})"
        ) from None
    return out


#: bytes allowed per npz member beyond its data: the .npy header and the zip records
_NPZ_OVERHEAD = 65_536


def _read_exact(fh: BinaryIO, nbytes: int) -> tuple[bytearray, bool]:
    """Up to ``nbytes`` from ``fh`` into one buffer of that size, in chunks (a decompressing
    reader would otherwise hold a second copy), and whether more data follows."""
    buffer = bytearray(nbytes)
    view = memoryview(buffer)
    pos = 0
    while pos < nbytes:
        chunk = fh.read(min(CHUNK, nbytes - pos))
        if not chunk:
            del view
            return buffer[:pos], False
        view[pos : pos + len(chunk)] = chunk
        pos += len(chunk)
    del view  # released, so that the buffer is an ordinary bytearray again
    return buffer, fh.read(1) != b""


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, shape: tuple[int, ...], what: str
) -> np.ndarray:
    expected = np.dtype("<f8")
    data_bytes = 8 * math.prod(shape)
    # the header is at most a few hundred bytes; a declared size far above the data is a bomb
    if info.file_size > data_bytes + 65_536:
        raise ConfigError(
            f"{what} must be a float64 array of shape {shape}; it declares {info.file_size} bytes"
        )
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            got_shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            got_shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ConfigError(f"{what} must be a .npy of format 1.0 or 2.0; got {version}")
        if dtype != expected or dtype.hasobject:
            raise ConfigError(f"{what} must have dtype float64; got {dtype}")
        if tuple(got_shape) != tuple(shape):
            raise ConfigError(f"{what} must have shape {tuple(shape)}; got {tuple(got_shape)}")
        raw, extra = _read_exact(fh, data_bytes)
    if len(raw) != data_bytes or extra:
        got = f"more than {data_bytes}" if extra else str(len(raw))
        raise ConfigError(f"{what} must hold {data_bytes} bytes of data; got {got}")
    arr = np.frombuffer(raw, dtype=expected).reshape(shape, order="F" if fortran else "C")
    # writable already (a bytearray's memory); copied only if Fortran-ordered or not native
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ConfigError(f"{what} must be finite; got NaN or infinity")
    return arr
