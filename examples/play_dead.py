"""Playing dead (Ofria's Avida story): evolved test detection, then randomised tests.

Reflex replicators evolve in the play-dead world (see ``evomesa.worlds.play_dead``), in
several independent replicates per condition:

* ``periodic d=...``: tests on a schedule, each showing its cue with chance d (the cue's
  detectability);
* ``randomised``: as many tests, at random ticks, never cued.

Reported: test detection (the share of ticks replicated fast with no cue minus with the cue
in view), the partial-defection fraction (the share of clear ticks replicated fast, and the
share of individuals that replicate fast on some but not all of them) under randomised tests,
culling, and what test detectors do when the tests become randomised; and the world's own
payoff of each replication rate under randomised tests, which explains the evolved rate.

With ``--sensitivity`` it also reports the payoff of each rate at other test frequencies, and
the evolved rate under randomised tests with stronger selection (more episodes), a longer run,
and tests every 75 and 100 ticks on average.

    python examples/play_dead.py [--quick] [--sensitivity] [--replicates R] [--seed S]
                                 [--out DIR]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import evomesa as em
from evomesa.files.atomic import save_figure_atomic, write_json_atomic
from evomesa.plots.style import colour_of
from evomesa.studies.play_dead import rate_landscape, run_condition

CONDITIONS = {
    "periodic d=1": ({"cue_detectability": 1.0}, "periodic"),
    "periodic d=0.5": ({"cue_detectability": 0.5}, "periodic"),
    "periodic d=0": ({"cue_detectability": 0.0}, "periodic"),
    "randomised": ({}, "randomised"),
}


def figure(summary: dict, gens: np.ndarray, landscape: list[float]) -> Figure:
    """Left: fast share with / without the cue over generations (mean and 95 % t-band over
    runs). Right: fitness of each replication rate under randomised tests."""
    fig = Figure(figsize=(10.0, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    for i, (name, s) in enumerate(summary.items()):
        colour = colour_of(name, i)
        for key, style in (("fast_clear", "-"), ("fast_cued", "--")):
            a = np.array(s["generations"][key])
            uncued = s["regime"] == "randomised" or s["params"].get("cue_detectability") == 0.0
            if key == "fast_cued" and uncued:  # no tick shows the cue: nothing to draw
                continue
            mean = a.mean(axis=0)
            left.plot(gens, mean, style, color=colour, label=f"{name}: {key}")
            if a.shape[0] > 1:
                half = 2.0 * a.std(axis=0, ddof=1) / np.sqrt(a.shape[0])
                left.fill_between(gens, mean - half, mean + half, color=colour, alpha=0.15, lw=0)
    left.set_xlabel("generation")
    left.set_ylabel("share of ticks replicated fast")
    left.legend(
        fontsize="x-small", title="band: ~95% interval over runs", title_fontsize="x-small"
    )
    rates = np.arange(len(landscape)) / (len(landscape) - 1)
    right.plot(rates, landscape, "o-", color="black")
    right.set_xlabel("share of clear ticks replicated fast (hand-set reflexes)")
    right.set_ylabel("mean offspring, randomised tests")
    for i, (name, s) in enumerate(summary.items()):
        if s["regime"] == "randomised":
            v = s["intervals"]["randomised:fast_clear"]
            right.axvspan(v["low"], v["high"], color=colour_of(name, i), alpha=0.2,
                          label="evolved (95% t-interval over runs)")  # fmt: skip
    right.legend(fontsize="small")
    return fig


def sensitivity(config: em.EvolutionConfig, replicates: int, episodes: int, periods) -> dict:
    """Rate payoffs at other test periods; evolved randomised-test rates under variations."""
    out: dict = {"landscapes": {}, "runs": {}}
    for period in periods:
        world = em.make_world("play_dead", test_period=period)
        out["landscapes"][str(period)] = rate_landscape(world, "randomised", 40 * episodes, 0)
    variants = {
        f"episodes={4 * config.episodes}": ({}, replace(config, episodes=4 * config.episodes)),
        f"generations={3 * config.generations}": (
            {},
            replace(config, generations=3 * config.generations),
        ),
        "test_period=75": ({"test_period": 75}, config),
        "test_period=100": ({"test_period": 100}, config),
    }
    for name, (params, c) in variants.items():
        s = run_condition(params, "randomised", c, replicates, episodes)
        out["runs"][name] = {
            k: s["intervals"][f"randomised:{k}"]
            for k in ("fast_clear", "partial_defectors", "culled", "fitness")
        }
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=None, help="default 6 (2 quick)")
    parser.add_argument("--sensitivity", action="store_true", help="also the variations")
    parser.add_argument("--out", default="runs/example-play-dead")
    args = parser.parse_args(argv)
    if args.quick:
        config = em.EvolutionConfig(population=20, generations=3, episodes=2, seed=args.seed)
        replicates, episodes = args.replicates or 2, 4
    else:
        config = em.EvolutionConfig(population=100, generations=100, episodes=8, seed=args.seed)
        replicates, episodes = args.replicates or 6, 64
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    summary = {
        name: run_condition(params, regime, config, replicates, episodes)
        for name, (params, regime) in CONDITIONS.items()
    }
    landscape = rate_landscape(em.make_world("play_dead"), "randomised", 40 * episodes, args.seed)

    print(f"{replicates} replicates; mean [95% t-interval over runs]")
    keys = ("periodic:fast_clear", "periodic:fast_cued", "periodic:detection",
            "randomised:fast_clear", "randomised:partial_defectors", "randomised:culled",
            "periodic:fitness", "randomised:fitness")  # fmt: skip
    for name, s in summary.items():
        print(f"{name} (evolved {s['regime']}):")
        for k in keys:
            v = s["intervals"][k]
            print(f"    {k:>30} {v['mean']:.3f} [{v['low']:.3f}, {v['high']:.3f}]")
    print("offspring by share of clear ticks fast (k/8), randomised tests:",
          " ".join(f"{x:.1f}" for x in landscape))  # fmt: skip

    gens = np.arange(config.generations + 1)
    save_figure_atomic(figure(summary, gens, landscape), out / "play_dead.png")
    result = {"conditions": summary, "rate_landscape": landscape}
    if args.sensitivity:
        periods = (25, 75) if args.quick else (25, 50, 75, 100, 150, 200)
        result["sensitivity"] = sens = sensitivity(config, replicates, episodes, periods)
        for period, land in sens["landscapes"].items():
            best = int(np.argmax(land))
            payoffs = " ".join(f"{x:.1f}" for x in land)
            print(f"test_period {period}: offspring by k/8 fast {payoffs} (best k = {best})")
        for name, row in sens["runs"].items():
            cells = "  ".join(
                f"{k} {v['mean']:.3f} [{v['low']:.3f}, {v['high']:.3f}]" for k, v in row.items()
            )
            print(f"randomised, {name}: {cells}")
    write_json_atomic(out / "play_dead.json", result)
    return result


if __name__ == "__main__":
    main()
