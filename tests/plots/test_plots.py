"""Figures build from results and reports without a display."""

import numpy as np
import pytest
from hand_reports import (
    borderline_robust,
    new_goal,
    robust_performance_kept,
    robust_performance_lost,
)
from matplotlib.colors import to_rgba

import evomesa as em
from evomesa.errors import ConfigError
from evomesa.experiments.run_figures import _performance
from evomesa.metrics.runs import interval_over_runs, summarize_reports
from evomesa.plots import drift, runs, style


def test_every_figure_builds(world, small_planner_result):
    report = em.measure_drift(world, small_planner_result, episodes=3, n_boot=20)
    fig = runs.plot_fitness({"planner": small_planner_result})
    assert len(fig.axes[0].lines) == 2
    fig = drift.plot_drift({"planner": report})
    assert len(fig.axes[0].patches) == 1 + len(world.drives)
    n = len(small_planner_result.fitness)
    sig, fit = np.ones((n, len(world.drives))), np.ones(n)
    fig = drift.plot_signal_vs_fitness(sig, fit, sig, fit, world.drives, ("a", "b"))
    assert len(fig.axes) == len(world.drives)
    traits = em.make_genome("planner", world).describe(small_planner_result.genes)
    fig = runs.plot_traits(traits)
    assert len(fig.axes) == 3  # weights box plot, horizon and gamma histograms


# --- colours, interval labels and the figures over independent runs ---

SHARES = np.array([0, 1 / 256, 1 / 128, 1 / 64, 1 / 32, 1 / 16, 1 / 8])


def _replicates() -> dict[str, dict[str, list[float]]]:
    return {
        "reflex": {"fitness": [0.5, 0.6, 0.55], "sex": [1.0, 1.1, 0.9], "satiety": [0.9]},
        "planner": {"fitness": [0.9, 0.95, 1.0, 0.97], "sex": [0.2, 0.3, 0.25, 0.22]},
    }


def _saves_png(fig, path) -> None:
    fig.savefig(path, dpi=60)
    assert path.is_file() and path.stat().st_size > 0


def test_colour_of_genomes_and_fallback():
    assert set(style.GENOME_COLOURS) == set(em.GENOMES)
    assert len(set(style.GENOME_COLOURS.values())) == len(style.GENOME_COLOURS)
    for i, genome in enumerate(em.GENOMES):
        assert style.colour_of(genome, i) == style.GENOME_COLOURS[genome]
        assert style.colour_of(f"{genome} seed 3", 7) == style.GENOME_COLOURS[genome]
    assert style.colour_of("baseline", 2) == "C2"


def test_plot_drift_labels_its_intervals(world, small_planner_result):
    report = em.measure_drift(world, small_planner_result, episodes=3, n_boot=20)
    fig = drift.plot_drift({"planner": report})
    assert "95% bootstrap CI over individuals" in fig.axes[0].get_legend().get_title().get_text()
    fig = drift.plot_drift({"planner": report}, interval="95% t-interval over runs")
    assert "95% t-interval over runs" in fig.axes[0].get_legend().get_title().get_text()
    bar = fig.axes[0].patches[0]
    assert to_rgba(bar.get_facecolor()) == to_rgba(style.GENOME_COLOURS["planner"])


def test_plot_drift_replicates(tmp_path):
    values = _replicates()
    fig = drift.plot_drift_replicates(values, "ancestral", "modern", title="t")
    ax = fig.axes[0]
    n_bars = sum(len(v) for v in values.values())
    assert len(ax.patches) == n_bars  # "satiety" is missing for the planner: a gap
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "mean, 95% t-interval over runs (dots: runs)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["fitness", "sex", "satiety"]
    # Bar heights are the means over runs; one dot per run.
    heights = sorted(p.get_height() for p in ax.patches)
    means = sorted(float(np.mean(r)) for v in values.values() for r in v.values())
    assert np.allclose(heights, means)
    dots = sum(len(c.get_offsets()) for c in ax.collections if c.get_offsets().shape[0])
    assert dots >= sum(len(r) for v in values.values() for r in v.values())
    assert "modern / ancestral" in ax.get_ylabel()
    _saves_png(fig, tmp_path / "replicates.png")


def test_plot_over_generations(tmp_path):
    rng = np.random.default_rng(0)
    gens = np.arange(12)
    series = {"planner": rng.normal(0.8, 0.1, (5, 12)), "reflex": rng.normal(0.4, 0.1, (3, 12))}
    fig = runs.plot_over_generations(
        gens, series, "fitness retention (modern)", threshold=0.9, title="re-alignment"
    )
    ax = fig.axes[0]
    assert len(ax.collections) == 2  # one band per series
    labels = [line.get_label() for line in ax.lines]
    assert "robust threshold" in labels
    threshold_line = ax.lines[labels.index("robust threshold")]
    assert threshold_line.get_linestyle() == "--"
    assert np.allclose(threshold_line.get_ydata(), 0.9)
    assert to_rgba(ax.lines[0].get_color()) == to_rgba(style.GENOME_COLOURS["planner"])
    assert "95% t-interval over runs" in ax.get_legend().get_title().get_text()
    _saves_png(fig, tmp_path / "generations.png")


def test_plot_over_generations_band_matches_interval_over_runs():
    rng = np.random.default_rng(1)
    samples = rng.normal(0.0, 1.0, (6, 4))
    mean, low, high = runs._t_band(samples)
    for g in range(samples.shape[1]):
        assert np.allclose((mean[g], low[g], high[g]), interval_over_runs(samples[:, g]))


def test_plot_over_generations_without_band_for_one_run():
    fig = runs.plot_over_generations(np.arange(5), {"hybrid": np.ones((1, 5))}, "retention")
    ax = fig.axes[0]
    assert len(ax.collections) == 0
    assert len(ax.lines) == 1


def test_plot_dose_response(tmp_path):
    rng = np.random.default_rng(2)
    series = {"planner": rng.uniform(0.5, 1.0, (SHARES.size, 4)), "reflex": np.ones((7, 1))}
    fig = runs.plot_dose_response(SHARES, series, train="ancestral", deploy="modern")
    ax = fig.axes[0]
    assert ax.get_xscale() == "symlog"
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "0",
        "1/256",
        "1/128",
        "1/64",
        "1/32",
        "1/16",
        "1/8",
    ]
    assert ax.get_legend().get_title().get_text() == "mean, 95% t-interval over runs (dots: runs)"
    assert np.allclose(ax.lines[0].get_ydata(), series["planner"].mean(axis=1))
    _saves_png(fig, tmp_path / "dose.png")


def test_same_genome_same_colour_across_figures(small_planner_result):
    fitness_fig = runs.plot_fitness(
        {"planner": small_planner_result, "other": small_planner_result}
    )
    dose_fig = runs.plot_dose_response(
        SHARES,
        {"reflex": np.ones((7, 2)), "planner": np.ones((7, 2))},
        train="a",
        deploy="b",
    )
    expected = to_rgba(style.GENOME_COLOURS["planner"])
    assert to_rgba(fitness_fig.axes[0].lines[0].get_color()) == expected
    dose_ax = dose_fig.axes[0]
    # errorbar() labels its container, not the line: the data line and the bars sit inside.
    planner = next(c for c in dose_ax.containers if c.get_label() == "planner")
    data_line, _, (bars,) = planner.lines
    assert to_rgba(data_line.get_color()) == expected
    assert tuple(bars.get_color()[0]) == expected
    # The run dots of the planner carry its colour too (alpha aside).
    dot_colours = [
        tuple(c.get_facecolor()[0][:3])
        for c in dose_ax.collections
        if c.get_offsets().shape[0] == 14
    ]
    assert expected[:3] in dot_colours
    # Fallback colours stay off the genome palette.
    assert to_rgba(fitness_fig.axes[0].lines[2].get_color()) == to_rgba("C1")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: runs.plot_over_generations(np.arange(5), {"p": np.ones((3, 4))}, "y"), "series"),
        (lambda: runs.plot_over_generations(np.arange(5), {"p": np.ones(5)}, "y"), "series"),
        (lambda: runs.plot_over_generations(np.ones((2, 5)), {"p": np.ones((1, 5))}, "y"), "gen"),
        (lambda: runs.plot_over_generations(np.arange(2), {"p": [[1.0, np.nan]]}, "y"), "finite"),
        (lambda: runs.plot_over_generations(np.arange(2), {}, "y"), "series"),
        (
            lambda: runs.plot_over_generations(
                np.arange(2), {"p": np.ones((2, 2))}, "y", threshold=np.inf
            ),
            "threshold",
        ),
        (
            lambda: runs.plot_dose_response(SHARES, {"p": np.ones((6, 2))}, train="a", deploy="b"),
            "series",
        ),
        (
            lambda: runs.plot_dose_response(SHARES, {"p": np.ones(7)}, train="a", deploy="b"),
            "series",
        ),
        (
            lambda: runs.plot_dose_response(
                -SHARES, {"p": np.ones((7, 1))}, train="a", deploy="b"
            ),
            "shares",
        ),
        (
            lambda: runs.plot_dose_response([], {"p": np.ones((0, 1))}, train="a", deploy="b"),
            "shares",
        ),
        (lambda: drift.plot_drift_replicates({"p": {"fitness": []}}, "a", "b"), "fitness"),
        (
            lambda: drift.plot_drift_replicates({"p": {"fitness": [1.0, np.inf]}}, "a", "b"),
            "finite",
        ),
        (lambda: drift.plot_drift_replicates({"p": {"fitness": [[1.0]]}}, "a", "b"), "1-D"),
        (lambda: drift.plot_drift_replicates({}, "a", "b"), "values"),
        (lambda: drift.plot_drift_replicates({"p": {}}, "a", "b"), "values"),
    ],
)
def test_bad_inputs_raise_config_error(call, match):
    with pytest.raises(ConfigError, match=match):
        call()


def test_run_figures_module_still_offers_every_figure_of_a_run_folder():
    # run folders and user code draw through evomesa.plots.runs; the figures that moved to
    # plots.drift and plots.style stay reachable there, as the same objects
    assert all(hasattr(runs, name) for name in runs.__all__)
    assert all(getattr(runs, name) is getattr(drift, name) for name in drift.__all__)
    assert runs.plot_drift is drift.plot_drift and runs.colour_of is style.colour_of
    assert runs.GENOME_COLOURS is style.GENOME_COLOURS


# --- the verdict in a legend reads both channels (issue 17) ---


def test_plot_drift_labels_the_performance_reading_and_borderline():
    lost, border = robust_performance_lost(), borderline_robust()
    fig = drift.plot_drift({"planner": lost, "reflex": border})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["planner (robust; performance lost)", "reflex (robust, borderline)"]
    # performance gets a bar beside fitness where some report reads it apart from fitness
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "fitness",
        "performance",
        *lost.drives,
    ]
    assert len(ax.patches) == 2 * (2 + len(lost.drives))
    # where none does, no performance bar
    fig = drift.plot_drift({"reflex": border})
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["fitness", *border.drives]
    assert drift.verdict_label(robust_performance_kept()) == "robust; performance kept"


def test_the_retention_figure_of_a_run_draws_performance_only_where_it_differs():
    lost = summarize_reports([robust_performance_lost(), robust_performance_kept()])
    assert _performance(lost) == {"performance": [pytest.approx(-3.0), pytest.approx(0.9)]}
    assert _performance(summarize_reports([borderline_robust(), new_goal()])) == {}
