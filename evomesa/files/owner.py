"""Hidden working names that say which process made them, so that leftovers can be cleaned.

evomesa writes beside its targets under hidden names (``.NAME.tmp-*`` folders and files,
``.NAME.old-*`` during a swap, ``.NAME.kept-*`` for runs that could not take their place). A
process killed with SIGKILL leaves them behind. Each name carries its owner::

    .NAME.KIND-HHHHHHHH-PPPPPPPP-SSSSSSSSSSSS-RRRRRRRR

``H``: a hash of the machine (host name, boot, process namespace), ``P``: the process id,
``S``: the process's start time (Linux: ``/proc/PID/stat`` field 22; 0 where unknown), ``R``:
random. :func:`owner_state` says whether the owner is ``"gone"`` (same machine, and no process
with that id and start time runs), ``"alive"`` or ``"unknown"`` (another machine, an older
evomesa's name, or a platform where processes cannot be checked): only ``"gone"`` allows a
cleaner to remove anything. A reused process id is told apart by its start time; where the
start time is unknown a running process of that id counts as the owner.

API: :func:`hidden_name`, :func:`owned_by`, :func:`owner_state`, :func:`stale_temp_files`.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import sys
from functools import lru_cache
from pathlib import Path

#: the owner part of a hidden name: host hash, pid, start time, random (fixed widths, so
#: the longest name is known in advance and probed once)
_OWNER = re.compile(r"^([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{12})-([0-9a-f]{8})$")
#: characters a hidden name adds to NAME, besides its kind: ``.`` ``.`` ``-`` and the owner
OVERHEAD = 3 + 8 + 1 + 8 + 1 + 12 + 1 + 8


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read().strip()
    except OSError:
        return ""


@lru_cache(maxsize=1)
def machine() -> str:
    """8 hex digits naming this machine, boot and process namespace: processes with the
    same value can check each other by process id."""
    try:
        ns = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        ns = ""
    text = "\0".join((socket.gethostname(), _read("/proc/sys/kernel/random/boot_id"), ns))
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:8]


def start_time(pid: int) -> int | None:
    """The start time of process ``pid`` in clock ticks since boot (Linux), 0 where the
    platform does not say, None if no such process runs (Linux only)."""
    if not os.path.exists("/proc/self/stat"):
        return 0
    text = _read(f"/proc/{pid}/stat")
    if not text:
        return None
    # the command name (field 2) may hold spaces and parentheses: count after the last ')'
    fields = text.rpartition(")")[2].split()
    try:
        return int(fields[19])  # field 22 of the whole line
    except (IndexError, ValueError):
        return 0


@lru_cache(maxsize=1)
def _own_tag() -> tuple[str, int, int]:
    pid = os.getpid()
    return machine(), pid, start_time(pid) or 0


def _tag() -> str:
    host, pid, start = _own_tag()
    if pid != os.getpid():  # a forked child: its own id and start
        _own_tag.cache_clear()
        host, pid, start = _own_tag()
    pid &= 0xFFFFFFFF
    start &= 0xFFFFFFFFFFFF
    return f"{host}-{pid:08x}-{start:012x}-{secrets.token_hex(4)}"


def hidden_name(target: Path, kind: str) -> Path:
    """An unused hidden path beside ``target``: ``.NAME.KIND-<owner>``.

    Same parent as ``target`` so that renames stay on one file system and are atomic.
    """
    while True:
        path = target.parent / f".{target.name}.{kind}-{_tag()}"
        if not path.exists() and not path.is_symlink():
            return path


def owned_by(parent: Path, name: str, kind: str) -> list[tuple[Path, str]]:
    """Hidden ``kind`` entries of ``name`` in ``parent``, each with :func:`owner_state`.

    Names without an owner (an older evomesa's) are listed as ``"unknown"``.
    """
    prefix = f".{name}.{kind}-"
    try:
        entries = sorted(os.listdir(parent))
    except (OSError, ValueError):  # missing, not a folder, a NUL character
        return []
    return [
        (parent / entry, owner_state(entry[len(prefix) :]))
        for entry in entries
        if entry.startswith(prefix)
    ]


def owner_state(owner: str) -> str:
    """``"gone"``, ``"alive"`` or ``"unknown"`` for the owner part of a hidden name."""
    match = _OWNER.match(owner)
    if match is None or match.group(1) != machine():
        return "unknown"  # an older evomesa's name, or another machine's process
    pid, start = int(match.group(2), 16), int(match.group(3), 16)
    now = start_time(pid)
    if now is None:
        return "gone"  # Linux: no process with that id
    if now != 0 and start != 0:
        return "alive" if now == start else "gone"  # a reused id has another start time
    return _pid_runs(pid)


def _pid_runs(pid: int) -> str:
    """Whether a process ``pid`` runs, where start times are unknown (POSIX ``kill 0``)."""
    if sys.platform == "win32":  # os.kill would terminate it
        return "unknown"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "gone"
    except OSError:  # it runs, under another user
        return "alive"
    return "alive"


_TEMP_FILE = re.compile(r"^\.(.+)\.tmp-(.{39})$")


def stale_temp_files(folder: Path) -> list[Path]:
    """The atomic writers' temporary files (``.NAME.tmp-<owner>``, regular files) in
    ``folder`` whose owner is gone."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (OSError, ValueError):
        return []
    stale = []
    for entry in entries:
        match = _TEMP_FILE.match(entry.name)
        if match and entry.is_file(follow_symlinks=False) and owner_state(match[2]) == "gone":
            stale.append(Path(entry.path))
    return stale
