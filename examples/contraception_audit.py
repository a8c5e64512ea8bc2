"""Audit of the contraception headline over independent runs: is each claim made by evolution?

Runs the default evolution several times with independent seeds (one user seed, spawned),
then reports, with 95% t intervals over runs:

* knock-outs: ancestral fitness of the evolved planners with each drive's weight set to 0
  (a drive that matters is under selection; one that does not is not telling the story);
* fitness retention of planners and reflexes in ``modern``, ``contraception_only`` and
  ``junk_food_only`` (each change alone, then both);
* the share of matings protected where protection is offered, and the reflexes' share of
  decisions taken on table entries training never selected;
* the evolved traits (median per run);
* a ``contraception_share`` sweep: planners' fitness retention in ``contraception_only`` as
  the offer becomes more common, beside the line ``1 - share`` (everyone protected whenever
  offered) and ``1 - share / 2`` (protection a coin flip).

    python examples/contraception_audit.py                # 5 runs, default budget (~2 min)
    python examples/contraception_audit.py --quick        # a small smoke run
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

import evomesa as em
from evomesa.files.atomic import save_figure_atomic, write_json_atomic
from evomesa.measure.knockouts import knock_out_drives
from evomesa.metrics import retention
from evomesa.metrics.runs import interval_over_runs
from evomesa.seeding import child_seed

SHARES = (0.0, 0.25, 0.5, 0.75, 0.9, 1.0)
REGIMES = ("modern", "contraception_only", "junk_food_only")


def _protected_share(roll: em.Rollout, world: em.World) -> float:
    mate = roll.events[..., world.events.index("mate")].sum()
    protected = roll.events[..., world.events.index("protected_mate")].sum()
    return float(protected / (mate + protected)) if mate + protected else 0.0


def one_run(world: em.World, config: em.EvolutionConfig, episodes: int) -> dict:
    """Everything the audit measures on one independently seeded run."""
    seed = config.seed
    row: dict = {"seed": seed}
    for genome in ("planner", "reflex"):
        result = em.evolve(world, replace(config, genome=genome))
        rolls = {
            regime: em.evaluate(world, result.genes, genome, regime, episodes, seed=seed)
            for regime in world.regimes
        }
        base = rolls["ancestral"].fitness.mean()
        sex = rolls["ancestral"].signal("sex").mean()
        row[genome] = {
            "fitness_ancestral": float(base),
            "retention": {r: retention(base, rolls[r].fitness.mean())[0] for r in REGIMES},
            "sex_retention": {
                r: retention(sex, rolls[r].signal("sex").mean())[0] for r in REGIMES
            },
            "protected_share": {
                r: _protected_share(rolls[r], world) for r in ("modern", "contraception_only")
            },
        }
        if genome == "reflex":
            report = em.measure_drift(world, result, episodes=episodes, seed=seed, n_boot=100)
            row[genome]["novel_decision_share"] = report.novel_decision_share
            continue
        traits = em.make_genome("planner", world).describe(result.genes)
        row[genome]["traits"] = {k: float(np.median(v)) for k, v in traits.items()}
        knocked = knock_out_drives(world, result.genes, "planner", "ancestral", episodes, seed)
        row[genome]["knock_out"] = {d: knocked[d] / knocked["intact"] for d in world.drives}
        sweep = {}
        for share in SHARES:
            shifted = em.make_world("contraception", contraception_share=share)
            roll = em.evaluate(shifted, result.genes, "planner", "contraception_only",
                               episodes, seed=seed)  # fmt: skip
            sweep[str(share)] = retention(base, roll.fitness.mean())[0]
        row[genome]["share_sweep"] = sweep
    return row


def summarise(runs: list[dict], world: em.World) -> dict:
    """Mean and 95% interval over runs of every figure."""

    def iv(values):
        mean, lo, hi = interval_over_runs(values)
        return {"mean": mean, "low": lo, "high": hi, "runs": [float(v) for v in values]}

    planner, reflex = ([r[g] for r in runs] for g in ("planner", "reflex"))
    return {
        "runs": len(runs),
        "seeds": [r["seed"] for r in runs],
        "knock_out": {d: iv([p["knock_out"][d] for p in planner]) for d in world.drives},
        "fitness_ancestral": {
            g: iv([x["fitness_ancestral"] for x in rows])
            for g, rows in (("planner", planner), ("reflex", reflex))
        },
        "retention": {
            g: {r: iv([x["retention"][r] for x in rows]) for r in REGIMES}
            for g, rows in (("planner", planner), ("reflex", reflex))
        },
        "sex_retention": {r: iv([x["sex_retention"][r] for x in planner]) for r in REGIMES},
        "protected_share": {
            g: {
                r: iv([x["protected_share"][r] for x in rows])
                for r in planner[0]["protected_share"]
            }
            for g, rows in (("planner", planner), ("reflex", reflex))
        },
        "reflex_novel_decision_share": iv([x["novel_decision_share"] or 0.0 for x in reflex]),
        "traits": {k: iv([x["traits"][k] for x in planner]) for k in planner[0]["traits"]},
        "share_sweep": {s: iv([x["share_sweep"][s] for x in planner]) for s in map(str, SHARES)},
    }


def _fmt(d: dict) -> str:
    return f"{d['mean']:6.2f} [{d['low']:.2f}, {d['high']:.2f}]"


def report(summary: dict, world: em.World) -> str:
    lines = [f"{summary['runs']} independent runs; mean [95% t interval over runs]", ""]
    lines.append("Ancestral fitness of evolved planners, each drive knocked out (x intact):")
    for d in world.drives:
        lines.append(f"  {d:<10} {_fmt(summary['knock_out'][d])}")
    lines.append("")
    lines.append(f"{'fitness retention':<28}{'planner':>22}{'reflex':>22}")
    for r in REGIMES:
        p, x = summary["retention"]["planner"][r], summary["retention"]["reflex"][r]
        lines.append(f"  {r:<26}{_fmt(p):>22}{_fmt(x):>22}")
    lines.append("")
    for r in REGIMES:
        lines.append(
            f"planners' sex signal retention, {r:<20} {_fmt(summary['sex_retention'][r])}"
        )
    for r, v in summary["protected_share"]["planner"].items():
        lines.append(f"planners' protected share of matings, {r:<20} {_fmt(v)}")
    lines.append(
        "reflexes' deploy decisions on never-trained entries (modern) "
        f"{_fmt(summary['reflex_novel_decision_share'])}"
    )
    lines.append("")
    lines.append("Evolved planner traits (median per run):")
    for k, v in summary["traits"].items():
        lines.append(f"  {k:<12} {_fmt(v)}")
    lines.append("")
    lines.append("contraception_share sweep, planners in contraception_only:")
    lines.append(f"  {'share':>6} {'retention':>22} {'1 - share':>10} {'1 - share/2':>12}")
    for s, v in summary["share_sweep"].items():
        share = float(s)
        lines.append(f"  {share:6.2f} {_fmt(v):>22} {1 - share:10.2f} {1 - share / 2:12.2f}")
    return "\n".join(lines)


def figure(summary: dict, world: em.World):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    ko = [summary["knock_out"][d] for d in world.drives]
    means = np.array([k["mean"] for k in ko])
    err = np.array([[k["mean"] - k["low"] for k in ko], [k["high"] - k["mean"] for k in ko]])
    ax1.bar(world.drives, means, yerr=err, capsize=3, color="C1")
    ax1.axhline(1.0, color="grey", ls=":", lw=0.8)
    ax1.set_ylabel("ancestral fitness, x intact")
    ax1.set_title("Knock-outs (95% interval over runs)")
    shares = np.array([float(s) for s in summary["share_sweep"]])
    sweep = list(summary["share_sweep"].values())
    mean = np.array([v["mean"] for v in sweep])
    ax2.fill_between(shares, [v["low"] for v in sweep], [v["high"] for v in sweep], alpha=0.3)
    ax2.plot(shares, mean, "o-", label="evolved planners")
    ax2.plot(shares, 1 - shares, "k--", lw=0.8, label="1 - share (always protected)")
    ax2.plot(shares, 1 - shares / 2, "k:", lw=0.8, label="1 - share/2 (coin flip)")
    ax2.set_xlabel("contraception_share")
    ax2.set_ylabel("fitness retention, contraception_only")
    ax2.set_title("Retention against the offer of protection")
    ax2.legend(fontsize="small")
    return fig


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default="runs/contraception-audit")
    args = parser.parse_args(argv)

    world = em.make_world("contraception")
    if args.quick:
        config = em.EvolutionConfig(population=30, generations=4, episodes=2)
        episodes, runs = 4, min(args.runs, 2)
    else:
        # 300 generations as measured in the README (planners now default to 100)
        config, episodes, runs = em.EvolutionConfig(generations=300), 64, args.runs
    rows = []
    for r in range(runs):
        seed = child_seed(args.seed, "replicate", r)
        rows.append(one_run(world, replace(config, seed=seed), episodes))
        print(f"run {r + 1}/{runs} done (seed {seed})", flush=True)
    summary = summarise(rows, world)
    print(report(summary, world))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / "audit.json", {"summary": summary, "runs": rows})
    save_figure_atomic(figure(summary, world), out / "audit.png", dpi=110)
    print(f"\nJSON and figure in {out}/")
    return summary


if __name__ == "__main__":
    main()
