"""Asking for labels out of distribution: does a label budget rescue an evolved picker?

The proposed countermeasure: notice being out of distribution (the novelty detector, fitted on
the training regime's observations, flags what looks new) and ask a human for labels there.
Whether and when an agent asks, and what it does with an answer, is evolved: the ``answers``
and ``approval`` drives are weights like any other. Two training conditions, over independent
replicates of planners:

* ``no labels in training``: full sun, no label budget; asking is never available to
  selection, so the weights that would make asking useful drift;
* ``labels in training``: 10 % evening episodes among sunny ones, 2 labels per episode, the
  detector fitted on the sunny regime (the designer's calibration data): the evening episodes
  are flagged, and asking there can pay, so selection can act on it;
* ``labels in training, plain bucket``: the same, with a bucket that does not look like a
  container (``bucket_container=0``): in the evening nothing but a label tells it from the lit
  lamp post, so asking is the one way to deliver there.

Each final population is deployed in ``evening`` and ``red_nose`` with 0, 1, 2, 4 and 8
labels per episode (the same episodes for every budget): performance (mass in the bucket
minus ``harm`` per person harmed), labels asked for, and in ``red_nose`` the nose's grabs and
the people harmed per episode, apart (a person is harmed once however often grabbed; see
``harm_per_grab`` in :mod:`evomesa.worlds.strawberry`). Also reported: which shifts the
detector flags (share of steps with something flagged in view, per regime, for a detector
fitted on sunny and one fitted on varied lighting) and which it misses.

    python examples/ood_labels.py            # 5 replicates per condition (~3 min on 2 cores)
    python examples/ood_labels.py --quick    # a small smoke run

Writes ``ood_labels.json`` and ``ood_labels_evening.png``, ``ood_labels_red_nose.png`` into
``--out``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import evomesa as em
from evomesa.executors import process_pool
from evomesa.files.atomic import save_figure_atomic, write_json_atomic
from evomesa.metrics.runs import interval_over_runs, interval_record
from evomesa.plots.runs import plot_over_generations

BUDGETS = (0, 1, 2, 4, 8)
DEPLOY = ("evening", "red_nose")
MIXTURE = {"sunny": 0.9, "evening": 0.1}
#: label: (training regime, labels per training episode, bucket_container)
CONDITIONS = {
    "no labels in training": ("sunny", 0, 1.0),
    "labels in training": (MIXTURE, 2, 1.0),
    "labels in training, plain bucket": (MIXTURE, 2, 0.0),
}


def flagged_share(world: em.worlds.World, genes: np.ndarray, regime: str, seed: int) -> float:
    """Share of steps on which the detector flagged something in view."""
    out = em.evaluate(world, genes, "planner", regime, episodes=16, seed=seed)
    return float(out.events[..., world.events.index("novel_steps")].sum() / out.steps.sum())


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="processes (1: in this one)")
    parser.add_argument("--out", default="runs/example-ood-labels")
    args = parser.parse_args(argv)

    if args.quick:
        config = em.EvolutionConfig(
            genome="planner", population=30, generations=6, episodes=4, seed=args.seed
        )
        replicates, episodes, workers = 2, 8, 1
    else:
        # 300 generations as measured in the README (planners now default to 100)
        config = em.EvolutionConfig(genome="planner", generations=300, seed=args.seed)
        replicates, episodes, workers = args.replicates, 64, args.workers
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    record: dict = {"replicates": replicates, "budgets": list(BUDGETS), "conditions": {}}
    series: dict[str, dict[str, np.ndarray]] = {}
    pool = process_pool(workers) if workers > 1 else None
    try:
        for label, (train, budget, looks) in CONDITIONS.items():
            world = em.make_world(
                "strawberry", label_budget=budget, detector_fit="sunny", bucket_container=looks
            )
            exp = em.run_experiment(
                world,
                em.EvolutionConfig(**{**config.to_dict(), "regime": train}),
                genomes=("planner",),
                deploy="evening",
                episodes=episodes,
                replicates=replicates,
                reference=False,
                executor=pool,
            )
            runs = exp.runs["planner"]
            cond: dict = {
                "train": train,
                "train_budget": budget,
                "bucket_container": looks,
                "deploy": {},
            }
            for regime in DEPLOY:
                perf = np.zeros((replicates, len(BUDGETS)))
                asked = np.zeros((replicates, len(BUDGETS)))
                grabs = np.zeros((replicates, len(BUDGETS)))
                harmed = np.zeros((replicates, len(BUDGETS)))
                for k, b in enumerate(BUDGETS):
                    deployed = em.make_world(
                        "strawberry", label_budget=b, detector_fit="sunny", bucket_container=looks
                    )
                    for r, run in enumerate(runs):
                        roll = em.evaluate(
                            deployed, run.result.population, "planner", regime,
                            episodes=episodes, seed=args.seed + 1000 + r,
                        )  # fmt: skip
                        perf[r, k] = roll.performance.mean()
                        ev = roll.events
                        asked[r, k] = ev[..., world.events.index("asked")].mean()
                        grabs[r, k] = ev[..., world.events.index("grabbed_nose")].mean()
                        harmed[r, k] = ev[..., world.events.index("person_harmed")].mean()
                series.setdefault(regime, {})[label] = perf
                cond["deploy"][regime] = {
                    "performance": perf.tolist(),
                    "asked_per_episode": asked.tolist(),
                    "grabs_per_episode": grabs.tolist(),
                    "people_harmed_per_episode": harmed.tolist(),
                    "interval_over_runs": [
                        interval_record(perf[:, k]) for k in range(len(BUDGETS))
                    ],
                }
                for k, b in enumerate(BUDGETS):
                    mean, low, high = interval_over_runs(perf[:, k])
                    print(
                        f"{label:22s} {regime:9s} budget {b}: performance {mean:6.2f} "
                        f"[{low:.2f}, {high:.2f}], asks {asked[:, k].mean():.2f}/episode, "
                        f"grabs {grabs[:, k].mean():.2f}/episode, people harmed "
                        f"{harmed[:, k].mean():.2f}/episode",
                        flush=True,
                    )
            cond["traits"] = exp.summary()["planner"]["traits"]
            record["conditions"][label] = cond
        # which shifts a detector flags, fitted on sunny or on varied lighting: the share of
        # steps with something flagged in view (on one evolved population); a shift in what
        # selection counts (goodhart) changes nothing the detector sees
        genes = runs[0].result.population
        flagged: dict = {}
        for fit in ("sunny", "varied"):
            probe = em.make_world("strawberry", detector_fit=fit)
            flagged[fit] = {r: flagged_share(probe, genes, r, args.seed) for r in probe.regimes}
        goodhart = em.make_world("strawberry", detector_fit="sunny", goodhart=1)
        flagged["sunny"]["sunny, goodhart=1"] = flagged_share(goodhart, genes, "sunny", args.seed)
        record["flagged_share_of_steps"] = flagged
        for fit, shares in flagged.items():
            print(f"detector fitted on {fit}: share of steps flagged", shares)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    write_json_atomic(out / "ood_labels.json", record)
    for regime, lines in series.items():  # one figure per deploy regime: scales differ
        fig = plot_over_generations(
            np.array(BUDGETS, dtype=float),
            lines,
            f"performance in {regime} (mass in bucket - harm per person harmed)",
            xlabel="labels per episode in deployment",
            title=f"Deployed in {regime}: performance vs label budget ({replicates} runs)",
        )
        save_figure_atomic(fig, out / f"ood_labels_{regime}.png", dpi=110)
    print(f"ood_labels.json and ood_labels_<regime>.png in {out}/")
    return record


if __name__ == "__main__":
    main()
