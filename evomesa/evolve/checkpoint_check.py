"""Validation of a checkpoint read back (:mod:`evomesa.evolve.checkpoint`).

Reading trusts nothing. Both files are read through :mod:`evomesa.files.safe_read`: sizes are
checked against the memory budget (``EVOMESA_MEMORY_BUDGET``) before anything is read, and
the arrays' shapes come from the run's own config, never from the file. Then every field
must match its digest, and, because a digest can be recomputed by whoever edits the file,
every field is also checked for what the run allows: the identity equals the run's, the
generation lies in ``[0, generations]`` and matches the file name, genes are finite, in
[0, 1] and of shape (population, genome length), fitness finite, one per individual and
agreeing with the logbook's last record, the logbook's generations are consecutive, its
columns those the run logs and its figures finite, the hall of fame is sorted, distinct and
holds the best fitness ever logged, and the random state is exactly the stream the run
derives for that generation. The newest checkpoint that fails any check is refused with a
:class:`~evomesa.errors.ConfigError` naming the file and the field (it is never silently
skipped: a resume never continues from a state the run did not write); removing that
checkpoint's two files resumes from the previous one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.budget import memory_budget
from evomesa.errors import ConfigError, printable
from evomesa.evolve.checkpoint_format import (
    ARRAYS,
    FIELDS,
    FORMAT,
    JSON_NAME,
    META,
    VERSION,
    State,
    canonical,
    digest,
    field_digest,
)
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.mixture import is_mixture
from evomesa.files.safe_read import read_json, read_npz
from evomesa.genomes import make_genome
from evomesa.genomes.base import check_genes
from evomesa.seeding import generator
from evomesa.worlds import make_world

#: bytes of JSON one logbook record may take (a record of ~40 figures takes about 1.5 KiB)
_RECORD_JSON_BYTES = 16_384
#: logbook columns every record has
_BASE_COLUMNS = ("gen", "nevals", "avg", "std", "min", "max")


def read_checkpoint(npz: Path, identity: Mapping[str, Any], length: int | None = None) -> State:
    """Read and check the checkpoint whose npz file is ``npz`` for the run ``identity``.

    Raises
    ------
    ConfigError
        Naming the file and the field, if the checkpoint is unreadable, too large for the
        memory budget, belongs to another run, or any field fails its digest or its check
        (see the module docstring).
    """
    want = canonical(identity)
    return _Reader(npz, want, Expected.of(want, length)).state()


@dataclass(frozen=True)
class Expected:
    """What the run itself says a checkpoint of it must hold (never read from the file).

    Attributes
    ----------
    config : EvolutionConfig
    length : int
        Genes per individual.
    columns : frozenset of str or None
        The logbook's columns (None when the world cannot be rebuilt by name to list them).
    """

    config: EvolutionConfig
    length: int
    columns: frozenset[str] | None

    @classmethod
    def of(cls, identity: Mapping[str, Any], length: int | None = None) -> Expected:
        """The expectations of the run ``identity`` (as :func:`canonical` gives it)."""
        config = EvolutionConfig.from_saved(dict(identity["config"]))
        try:
            world = make_world(identity["world"], **identity["world_params"])
        except (ConfigError, TypeError):  # a world that is not registered: only `length`
            world = None
        if world is not None:
            length = make_genome(config.genome, world).length if length is None else length
        if length is None:
            raise ConfigError(
                f"checkpoint: the genome length of world {identity['world']!r} must be known "
                "to check a checkpoint; register the world or pass length"
            )
        columns = None
        if world is not None:
            mixture = config.regime if is_mixture(config.regime) else ()
            columns = frozenset(
                (
                    *_BASE_COLUMNS,
                    *world.drives,
                    "performance",
                    *(f"event:{e}" for e in world.events),
                    "planners",
                    "horizon",
                    *(f"w_{d}" for d in world.drives),
                    *(
                        f"{r}:{w}"
                        for r in identity.get("track") or ()
                        for w in ("fitness", "retention")
                    ),
                    *(f"episodes:{r}" for r in mixture),
                )
            )
        return cls(config, int(length), columns)

    def rng(self, gen: int) -> dict:
        """The random state a checkpoint of generation ``gen`` holds, as JSON reads it."""
        config = self.config
        if config.islands == 1:
            state = {"variation": generator(config.seed, "evolve", "variation", gen)}
        else:
            state = {
                "islands": [
                    generator(config.for_island(i).seed, "evolve", "variation", gen)
                    for i in range(config.islands)
                ]
            }
        return canonical(
            {
                k: [g.bit_generator.state for g in v]
                if isinstance(v, list)
                else v.bit_generator.state
                for k, v in state.items()
            }
        )

    def json_bytes(self) -> int:
        """The most bytes the JSON file of a checkpoint of this run may take."""
        records = (self.config.generations + 1) * _RECORD_JSON_BYTES
        return 1_048_576 + records + 2048 * self.config.islands


class _Reader:
    """Reads and checks one checkpoint; every error names the file and the field."""

    def __init__(self, npz: Path, want: dict, expect: Expected) -> None:
        self.npz, self.json, self.want, self.expect = npz, npz.with_suffix(".json"), want, expect
        self.cfg = expect.config

    def fail(self, field: str, what: str, path: Path | None = None) -> ConfigError:
        where = self.json if path is None else path
        return ConfigError(
            f"checkpoint {where}: {field} {what}; remove {self.json.name} and {self.npz.name} "
            "to resume from the previous checkpoint"
        )

    def state(self) -> State:
        budget = memory_budget()
        meta = read_json(
            self.json, f"checkpoint {self.json}", min(budget, self.expect.json_bytes())
        )
        self._check_meta(meta)
        self._check_identity(meta["identity"])
        gen, hof = self._check_gen(meta["gen"]), self._check_hof_size(meta["hof"])
        n, length = self.cfg.population, self.expect.length
        shapes = {
            "genes": (n, length),
            "fitness": (n,),
            "hof_genes": (hof, length),
            "hof_fitness": (hof,),
        }
        arrays = read_npz(self.npz, shapes, f"checkpoint {self.npz}")
        for name in ARRAYS:
            if meta["sha256"][name] != digest({name: arrays[name]}):
                raise self.fail(
                    name, "does not match its SHA-256 digest (edited or damaged)", self.npz
                )
        self._check_rng(meta["rng"], gen)
        self._check_logbook(meta["logbook"], gen)
        self._check_arrays(arrays, meta["logbook"])
        return State(
            gen=gen,
            genes=arrays["genes"],
            fitness=arrays["fitness"],
            logbook=meta["logbook"],
            hof_genes=arrays["hof_genes"],
            hof_fitness=arrays["hof_fitness"],
            rng=meta["rng"],
            identity=meta["identity"],
        )

    def _check_meta(self, meta: Any) -> None:
        if not isinstance(meta, dict):
            raise self.fail("its content", f"must be a JSON object; got {type(meta).__name__}")
        extra, missing = sorted(set(meta) - META), sorted(META - set(meta))
        if extra or missing:
            got = f"the unknown key {printable(extra[0])!r}" if extra else f"no {missing[0]!r}"
            raise self.fail("its keys", f"must be {sorted(META)}; got {got}")
        if meta["format"] != FORMAT:
            raise self.fail("format", f"must be {FORMAT!r}; got {printable(meta['format'])!r}")
        if meta["version"] != VERSION or isinstance(meta["version"], bool):
            raise self.fail("version", f"must be {VERSION}; got {printable(meta['version'])!r}")
        sums = meta["sha256"]
        names = {*FIELDS, *ARRAYS}
        if not isinstance(sums, dict) or set(sums) != names:
            raise self.fail("sha256", f"must map each of {sorted(names)} to its digest")
        for name in FIELDS:  # the JSON fields first: nothing else is read before they pass
            try:
                ok = sums[name] == field_digest(name, meta[name])
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise self.fail(name, "does not match its SHA-256 digest (edited or damaged)")

    def _check_identity(self, have: Any) -> None:
        if have == self.want:
            return
        have = have if isinstance(have, dict) else {}
        key = next(
            (k for k in sorted({*self.want, *have}) if have.get(k) != self.want.get(k)), "identity"
        )
        raise ConfigError(
            f"checkpoint {self.json} belongs to another run: its identity's {key} is "
            f"{printable(have.get(key))}, this run's is {printable(self.want.get(key))}"
        )

    def _check_gen(self, gen: Any) -> int:
        last = self.cfg.generations
        if not isinstance(gen, int) or isinstance(gen, bool) or not 0 <= gen <= last:
            raise self.fail("gen", f"must be an integer in [0, {last}]; got {printable(gen)}")
        named = int(JSON_NAME.match(self.json.name).group(1))
        if gen != named:
            raise self.fail(
                "gen", f"must be {named}, the generation in the file's name; got {gen}"
            )
        return gen

    def _check_hof_size(self, hof: Any) -> int:
        top = self.cfg.hall_of_fame
        if not isinstance(hof, int) or isinstance(hof, bool) or not 1 <= hof <= top:
            raise self.fail("hof", f"must be an integer in [1, {top}]; got {printable(hof)}")
        return hof

    def _check_rng(self, rng: Any, gen: int) -> None:
        if rng != self.expect.rng(gen):
            raise self.fail(
                "rng",
                f"must be the PCG64 state of this run's variation stream of generation {gen}; "
                "it is not",
            )

    def _check_logbook(self, logbook: Any, gen: int) -> None:
        if not isinstance(logbook, list) or len(logbook) != gen + 1:
            size = len(logbook) if isinstance(logbook, list) else type(logbook).__name__
            raise self.fail(
                "logbook", f"must hold the {gen + 1} records of generations 0..{gen}; got {size}"
            )
        columns = self.expect.columns
        first = set(logbook[0]) if isinstance(logbook[0], dict) else set()
        for i, rec in enumerate(logbook):
            field = f"logbook[{i}]"
            if not isinstance(rec, dict):
                raise self.fail(field, f"must be a record (JSON object); got {type(rec).__name__}")
            keys = set(rec)
            want = columns if columns is not None else first
            if keys != want or not set(_BASE_COLUMNS) <= keys:
                odd = sorted(keys ^ (want or set()) or set(_BASE_COLUMNS) - keys)
                raise self.fail(field, f"must hold the run's columns; {printable(odd[:3])} differ")
            for key, value in rec.items():
                if (
                    isinstance(value, bool)
                    or not isinstance(value, int | float)
                    or not math.isfinite(value)
                ):
                    raise self.fail(
                        f"{field}.{printable(key)}",
                        f"must be a finite number; got {printable(value)}",
                    )
            if rec["gen"] != i or not isinstance(rec["gen"], int):
                raise self.fail(
                    f"{field}.gen", f"must be {i} (generations are consecutive); got {rec['gen']}"
                )
            if rec["nevals"] != self.cfg.population:
                raise self.fail(
                    f"{field}.nevals",
                    f"must be the population {self.cfg.population}; got {rec['nevals']}",
                )
            if not rec["min"] <= rec["max"] or not rec["std"] >= 0:
                raise self.fail(field, "must have min <= max and std >= 0")
            if not rec["min"] - _tol(rec["min"]) <= rec["avg"] <= rec["max"] + _tol(rec["max"]):
                raise self.fail(f"{field}.avg", f"must lie in [min, max]; got {rec['avg']}")
            if "planners" in rec and not 0.0 <= rec["planners"] <= 1.0:
                raise self.fail(
                    f"{field}.planners", f"must be a share in [0, 1]; got {rec['planners']}"
                )

    def _check_arrays(self, arrays: dict[str, np.ndarray], logbook: list[dict]) -> None:
        length = self.expect.length
        check_genes(
            arrays["genes"], length, name=f"checkpoint {self.npz}: genes", rows=self.cfg.population
        )
        hof_genes, hof_fitness = arrays["hof_genes"], arrays["hof_fitness"]
        check_genes(
            hof_genes, length, name=f"checkpoint {self.npz}: hof_genes", rows=len(hof_fitness)
        )
        fitness, last = arrays["fitness"], logbook[-1]
        if self.cfg.islands == 1:  # the last record is the statistics of exactly this fitness
            agree = (
                fitness.min() == last["min"]
                and fitness.max() == last["max"]
                and math.isclose(float(fitness.mean()), last["avg"], rel_tol=1e-9, abs_tol=1e-12)
            )
        else:  # after migration: some of the worst replaced by copies of others' best
            agree = fitness.min() >= last["min"] and fitness.max() <= last["max"]
        if not agree:
            raise self.fail(
                "fitness", "must agree with the logbook's last record (min, max, avg)", self.npz
            )
        if np.any(np.diff(hof_fitness) > 0):
            raise self.fail("hof_fitness", "must be sorted best first", self.npz)
        # (the best logged may be missing from the hall of fame: an identical genome logged
        # earlier with a lower fitness keeps its place, but nothing in it beats the logbook)
        best = max(rec["max"] for rec in logbook)
        if not hof_fitness[0] <= best + _tol(best):
            raise self.fail(
                "hof_fitness",
                f"must not beat the best fitness logged, {best}; got {hof_fitness[0]}",
                self.npz,
            )
        # every entry was some generation's evaluated individual: none is below every logged
        # fitness (the best logged itself may be missing, see above, so no tighter bound)
        worst = min(rec["min"] for rec in logbook)
        if not hof_fitness[-1] >= worst - _tol(worst):
            raise self.fail(
                "hof_fitness",
                f"must not fall below the worst fitness logged, {worst}; got {hof_fitness[-1]}",
                self.npz,
            )
        if len(np.unique(hof_genes, axis=0)) != len(hof_genes):
            raise self.fail("hof_genes", "must hold distinct individuals", self.npz)


def _tol(x: float) -> float:
    return 1e-9 * max(1.0, abs(x))
