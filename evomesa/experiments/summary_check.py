"""Checks of a genome's summary in a run folder against what its replicates give.

A genome's figures over runs, verdict counts, pursued drives and the counts of what its runs
read beside their verdicts (borderline runs, robust runs with a high regret or a lost
performance, performance verdicts, new goals, the world's words for performance) must equal
those recomputed from its replicates' drift reports (with the functions that wrote them), and
its traits those recomputed from the replicates' final genes (:func:`checked_summary`): an
editor who changes a summary to tell a better story (say, drops the performance reading
beside a ``robust``), and recomputes the checksums, is refused by the numbers. A summary
written before those counts existed is refused like any summary missing a key; its reports
lack the report fields of the same change, which
:func:`~evomesa.experiments.replicate_check.checked_report` refuses first.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionResult
from evomesa.experiments.field_errors import fail, finite, plain
from evomesa.experiments.run_files import SUMMARY
from evomesa.experiments.run_identity import run_worlds
from evomesa.genomes import make_genome
from evomesa.metrics import DriftReport
from evomesa.metrics.consistency import close
from evomesa.metrics.runs import described_traits, summarize_reports, trait_summary


def trait_bounds(spec) -> dict[str, tuple[float, float]]:
    """Each decoded trait's range: the genome knows its bounds (every trait is monotone in
    its genes, or, as a network's mean absolute weight, in their distance from 0.5, so the
    all-0, all-0.5 and all-1 genomes, and a switched-on hybrid, attain them)."""
    rows = [np.zeros(spec.length), np.full(spec.length, 0.5), np.ones(spec.length)]
    if spec.kind == "hybrid":
        rows += [np.r_[1.0, np.zeros(spec.length - 1)]]
    described = spec.describe(np.array(rows))
    return {k: (float(np.min(v)), float(np.max(v))) for k, v in described.items() if np.size(v)}


def checked_summary(
    saved: Any,
    reports: list[DriftReport],
    results: list[EvolutionResult],
    genome: str,
    ident: dict,
) -> dict:
    """A genome's saved summary, if it equals the one recomputed from its reports and its
    replicates' final genes."""
    where = f"genomes.{genome}"
    try:
        recomputed = plain(summarize_reports(reports))
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as err:
        raise ConfigError(
            f"{SUMMARY} reports.{genome} must be drift reports that summarise; they do not "
            f"({type(err).__name__}: {str(err)[:80]})"
        ) from None
    if not isinstance(saved, dict) or set(saved) != {*recomputed, "traits"}:
        raise fail(SUMMARY, where, f"an object with {sorted({*recomputed, 'traits'})}", saved)
    for key in recomputed:
        if saved[key] != recomputed[key]:
            field = f"{where}.{key}"
            if isinstance(saved[key], dict) and isinstance(recomputed[key], dict):
                keys = [*recomputed[key], *saved[key]]
                first = next(k for k in keys if saved[key].get(k) != recomputed[key].get(k))
                field += f".{first}"
            raise ConfigError(
                f"{SUMMARY}: field {field!r} must equal what its reports give; it differs"
            )
    return {**recomputed, "traits": _traits(saved["traits"], results, genome, ident, where)}


def _traits(traits: Any, results: list[EvolutionResult], genome: str, ident: dict, where: str):
    """The saved traits: the genome's decoded traits recomputed from the final genes, and
    the shares of training decisions of each of the world's actions."""
    world, _ = run_worlds(ident)
    spec = make_genome(genome, world)
    each = [described_traits(spec, res.genes) for res in results]
    described = trait_summary(
        {k: np.concatenate([np.asarray(d[k], float) for d in each]) for k in each[0]}
    )
    bounds = {} if genome == "reflex" else trait_bounds(spec)
    shares = [f"does:{a}" for a in world.actions]
    if not isinstance(traits, dict):
        raise fail(SUMMARY, f"{where}.traits", "an object", traits)
    expected = [*described, *shares]
    for name in [*traits, *expected]:
        if name not in traits or name not in expected:
            raise fail(
                SUMMARY,
                f"{where}.traits.{name}",
                f"{'present' if name in expected else 'absent'}: the traits are those of the "
                f"{genome} genome and the world's actions ({', '.join(expected[:3])}...)",
                traits.get(name, "missing"),
            )
    for name, t in traits.items():
        field = f"{where}.traits.{name}"
        if (
            not isinstance(t, dict)
            or set(t) != {"median", "q25", "q75"}
            or not all(finite(v) for v in t.values())
            or not t["q25"] <= t["median"] <= t["q75"]
        ):
            raise fail(SUMMARY, field, "finite q25 <= median <= q75", t)
        low, high = (0.0, 1.0) if name in shares else bounds.get(name, (-math.inf, math.inf))
        if not all(low <= v <= high for v in t.values()):
            raise fail(
                SUMMARY, field, f"within the {genome} genome's bounds [{low:g}, {high:g}]", t
            )
        if name in described:
            for q, want in described[name].items():
                if not close(t[q], want):
                    raise fail(
                        SUMMARY,
                        f"{field}.{q}",
                        f"{want!r} (recomputed from the replicates' final genes)",
                        t[q],
                    )
    return traits
