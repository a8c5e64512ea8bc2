"""The manifest of a run folder, and what counts as a run evomesa wrote.

``manifest.json`` is written last, once every other file of a run is in place: it lists each
file with its size and SHA-256, so its presence says the folder is complete and
:func:`verify_manifest` tells a damaged or changed file from the one the run wrote.
:func:`run_folder_problem` says whether a folder is exactly a run evomesa wrote (the only kind
``force`` may replace); :func:`read_identity` reads the run's ``run.json`` marker.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.files.atomic import write_json_atomic
from evomesa.files.safe_read import inside, read_json, regular_file, sha256

RUN_MARKER = "run.json"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "evomesa-run-manifest/1"

# How many identity fields / stray file names an error message shows before "...".
SHOWN = 4


def first_few(names: Sequence[str]) -> str:
    """The first :data:`SHOWN` of ``names``, joined, with ``...`` if there are more."""
    return ", ".join(names[:SHOWN]) + (", ..." if len(names) > SHOWN else "")


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
        return f"it holds what its {MANIFEST} does not list: {first_few(added)}"
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
