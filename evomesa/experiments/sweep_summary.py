"""The summary of a sweep's records: means with t intervals over seeds, per grid point and
genome, and what the runs' readings say beside their verdicts (what ``summary.json`` holds
and :mod:`evomesa.plots.sweep` draws)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from evomesa.experiments.sweep_spec import sort_records
from evomesa.metrics.report import DriftReport
from evomesa.metrics.runs import interval_over_runs, reading_counts


def summarize_sweep(records: Sequence[dict], grid: Mapping[str, Sequence[Any]]) -> dict:
    """Means with 95 % t intervals over seeds, per grid point and genome.

    Returns
    -------
    dict
        ``grid``; ``cells``: a list, one per (point, genome) with records, of ``{"point",
        "genome", "runs", "figures": key -> {"mean", "low", "high", "n"}, "verdicts":
        verdict -> count}`` and the counts of :func:`~evomesa.metrics.runs.reading_counts`
        over the cell's reports (borderline runs, robust runs with a high regret or a lost
        performance, performance verdicts, new goals, the world's words for performance).
        The records are checked ones (:func:`~evomesa.experiments.sweep_records.read_record`)
        or a task's own, so their reports rebuild.
    """
    cells: dict[tuple[str, str], dict] = {}
    for r in sort_records(records, grid):
        key = (json.dumps(r["point"], sort_keys=True), r["genome"])
        cell = cells.setdefault(key, {"point": r["point"], "genome": r["genome"], "recs": []})
        cell["recs"].append(r)
    out = []
    for cell in cells.values():
        recs = cell.pop("recs")
        figures = {}
        for name in recs[0]["figures"]:
            values = [r["figures"].get(name) for r in recs]
            values = [v for v in values if v is not None]
            if values:
                mean, low, high = interval_over_runs(values)
                figures[name] = {"mean": mean, "low": low, "high": high, "n": len(values)}
        verdicts: dict[str, int] = {}
        for r in recs:
            verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
        counts = reading_counts([DriftReport.from_dict(r["report"]) for r in recs])
        out.append({**cell, "runs": len(recs), "figures": figures, "verdicts": verdicts, **counts})
    return {"grid": {k: list(v) for k, v in grid.items()}, "cells": out}
