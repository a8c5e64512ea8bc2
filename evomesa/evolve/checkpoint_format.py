"""The on-disk format of a checkpoint (:mod:`evomesa.evolve.checkpoint`), and its digests.

A checkpoint of the end of generation ``gen`` is two files (no pickle anywhere):

* ``gen-NNNNNNN.npz``: the float64 arrays: the population's genes and fitness in that
  generation and the hall of fame's genes and fitness, in order;
* ``gen-NNNNNNN.json``: everything else a resume uses: the generation number, the logbook up
  to it, the hall of fame's size, every random state the next step draws from (the
  bit-generator state of the variation stream of ``gen``; later streams are keyed by
  ``(seed, purpose, generation)``, :mod:`evomesa.seeding`, so they need no state), the run's
  identity (world, parameters, config, origin) and a SHA-256 digest of each of these fields
  and of each array.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import tools

from evomesa.errors import ConfigError
from evomesa.evolve.deap_types import individuals

FORMAT = "evomesa-checkpoint"
VERSION = 2
#: the JSON file of a checkpoint (which commits it), and its npz file
JSON_NAME = re.compile(r"^gen-(\d{7})\.json$")
NPZ_NAME = re.compile(r"^gen-(\d{7})\.npz$")
#: the arrays of the npz file, in this order
ARRAYS = ("genes", "fitness", "hof_genes", "hof_fitness")
#: the fields of the JSON file that a resume uses, each with its own digest
FIELDS = ("gen", "logbook", "rng", "identity", "hof")
META = frozenset({"format", "version", "sha256", *FIELDS})


@dataclass
class State:
    """The state of an evolution at the end of generation ``gen``.

    Attributes
    ----------
    gen : int
    genes : (n, length) float64
    fitness : (n,) float64
    logbook : list of dict
        Records of generations 0 ... gen.
    hof_genes : (h, length) float64
    hof_fitness : (h,) float64
    rng : dict
        ``{"variation": bit_generator.state}`` of the stream the next generation is bred
        from (``{"islands": [state, ...]}``, one per island, with islands).
    identity : dict
        World, parameters, config and origin of the run.
    """

    gen: int
    genes: np.ndarray
    fitness: np.ndarray
    logbook: list[dict]
    hof_genes: np.ndarray
    hof_fitness: np.ndarray
    rng: dict
    identity: dict

    def hall_of_fame(self, size: int) -> tools.HallOfFame:
        """The hall of fame rebuilt in its saved order."""
        hof = tools.HallOfFame(size, similar=np.array_equal)
        # insert worst first: HallOfFame.insert puts an item before its equals, so ties keep
        # the saved order
        for ind in reversed(individuals(self.hof_genes, self.hof_fitness)):
            hof.insert(ind)
        return hof

    def logbook_object(self) -> tools.Logbook:
        book = tools.Logbook()
        for rec in self.logbook:
            book.record(**rec)
        return book


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def canonical(identity: Mapping[str, Any]) -> dict:
    """``identity`` as it reads back from JSON (tuples become lists, numpy scalars floats)."""
    return json.loads(json.dumps(identity, default=_json_default))


def digest(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 of named arrays: each one's name, dtype, shape and bytes, by sorted name."""
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"{key}:{a.dtype.str}:{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def field_digest(name: str, value: Any) -> str:
    """SHA-256 of one JSON field of a checkpoint (its name and its canonical JSON text)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(f"{name}:{text}".encode()).hexdigest()


def digests(fields: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> dict[str, str]:
    """The ``sha256`` entry of a checkpoint's JSON file: one digest per field and array."""
    out = {name: field_digest(name, fields[name]) for name in FIELDS}
    out.update({name: digest({name: arrays[name]}) for name in ARRAYS})
    return out


def rng_from_state(state: Mapping[str, Any]) -> np.random.Generator:
    """A Generator restored from a saved ``bit_generator.state``."""
    if not isinstance(state, Mapping) or state.get("bit_generator") != "PCG64":
        raise ConfigError(f"checkpoint rng state must be a PCG64 state; got {state!r:.80}")
    bit = np.random.PCG64()
    bit.state = dict(state)
    return np.random.Generator(bit)


def encode(state: State) -> tuple[bytes, bytes]:
    """The npz and the JSON file of a checkpoint of ``state``, as bytes."""
    arrays = {
        "genes": np.asarray(state.genes, dtype=np.float64),
        "fitness": np.asarray(state.fitness, dtype=np.float64),
        "hof_genes": np.asarray(state.hof_genes, dtype=np.float64),
        "hof_fitness": np.asarray(state.hof_fitness, dtype=np.float64),
    }
    fields = canonical(
        {
            "gen": int(state.gen),
            "logbook": state.logbook,
            "rng": state.rng,
            "identity": state.identity,
            "hof": int(arrays["hof_fitness"].shape[0]),
        }
    )
    meta = {"format": FORMAT, "version": VERSION, **fields}
    meta["sha256"] = digests(fields, arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue(), json.dumps(meta, allow_nan=False).encode()
