"""Figures build from results and reports without a display."""

import numpy as np

import evomesa as em
from evomesa import plots


def test_every_figure_builds(world, small_planner_result):
    report = em.measure_drift(world, small_planner_result, episodes=3, n_boot=20)
    fig = plots.plot_fitness({"planner": small_planner_result})
    assert len(fig.axes[0].lines) == 2
    fig = plots.plot_drift({"planner": report})
    assert len(fig.axes[0].patches) == 1 + len(world.drives)
    n = len(small_planner_result.fitness)
    sig, fit = np.ones((n, len(world.drives))), np.ones(n)
    fig = plots.plot_signal_vs_fitness(sig, fit, sig, fit, world.drives, ("a", "b"))
    assert len(fig.axes) == len(world.drives)
    traits = em.make_genome("planner", world).describe(small_planner_result.genes)
    fig = plots.plot_traits(traits)
    assert len(fig.axes) == 3  # weights box plot, horizon and gamma histograms
