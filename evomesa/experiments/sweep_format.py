"""The on-disk format of a sweep folder: file names, keys, and how a record file is written.

A sweep folder holds ``sweep.json`` (the marker: what is swept, :data:`MARKER_KEYS`),
``records/`` (one JSON file per finished task, named by :func:`task_key`, holding
:data:`RECORD_KEYS` plus ``sha256``, a digest per field, :func:`record_text`),
``summary.json`` and ``figures/``. Reading these files back, trusting nothing, is
:mod:`evomesa.experiments.sweep_marker` and :mod:`evomesa.experiments.sweep_records`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from evomesa.errors import printable

RECORDS = "records"
SWEEP = "sweep.json"
SUMMARY = "summary.json"
FORMAT = "evomesa-sweep"
#: 2: each record carries the SHA-256 digest of each of its fields; 3: written since reflex
#: networks are tied across turns in grid worlds and worlds declare their reflexes' budget
#: (issue 18): a version-2 sweep's records may hold untied networks or 300 generations where
#: the defaults now give tied ones or 900, so it is not continued beside new records
VERSION = 3
#: the keys of a record (its file adds "sha256")
RECORD_KEYS = (
    "format",
    "version",
    "point",
    "genome",
    "replicate",
    "seed",
    "figures",
    "verdict",
    "drives_pursued",
    "report",
)
#: the keys of sweep.json
MARKER_KEYS = (
    "format",
    "version",
    "world",
    "world_params",
    "grid",
    "seeds",
    "genomes",
    "config",
    "deploy",
    "deploy_params",
    "episodes",
    "reference",
    "thresholds",
)
#: the most bytes one record file may take (a record is a few KiB)
RECORD_MAX_BYTES = 16 * 2**20


def task_key(point: Mapping[str, Any], genome: str, replicate: int) -> str:
    """The record file name (without ``.json``) of one task: readable, and unique per task."""
    text = json.dumps({"point": point, "genome": genome, "replicate": replicate}, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{genome}-r{replicate}-{digest}"


def field_digest(name: str, value: Any) -> str:
    """SHA-256 of one field of a record: its name and its canonical JSON text."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{name}:{text}".encode()).hexdigest()


def record_text(record: Mapping[str, Any]) -> str:
    """The JSON text of a record file: the record plus ``sha256``, a digest per field."""
    doc = json.loads(json.dumps(record))  # as it reads back
    doc["sha256"] = {k: field_digest(k, doc[k]) for k in RECORD_KEYS}
    return json.dumps(doc)


def shown(value: Any) -> str:
    """A value from a file, safe and short to print in a message."""
    try:
        text = json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return printable(text, 80)
