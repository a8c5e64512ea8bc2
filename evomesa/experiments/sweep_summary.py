"""The summary of a sweep's records: means with t intervals over seeds, per grid point and
genome (what ``summary.json`` holds and :mod:`evomesa.plots.sweep` draws)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from evomesa.experiments.sweep_spec import sort_records
from evomesa.metrics.runs import interval_over_runs


def summarize_sweep(records: Sequence[dict], grid: Mapping[str, Sequence[Any]]) -> dict:
    """Means with 95 % t intervals over seeds, per grid point and genome.

    Returns
    -------
    dict
        ``grid``; ``cells``: a list, one per (point, genome) with records, of ``{"point",
        "genome", "runs", "figures": key -> {"mean", "low", "high", "n"}, "verdicts":
        verdict -> count}``.
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
        out.append({**cell, "runs": len(recs), "figures": figures, "verdicts": verdicts})
    return {"grid": {k: list(v) for k, v in grid.items()}, "cells": out}
