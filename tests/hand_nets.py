"""Hand-set reflex networks for the contraception world, and what the step-wise reference
shows them, for tests whose right answer is known without the kernels."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import FEATURE_BINS
from evomesa.agents.reference import Agent
from evomesa.genomes import make_genome

MOVES = ("north", "east", "south", "west")
#: the features the forager reads; every other feature enters it with weight exactly 0
FORAGER_SENSES = (
    "food_here",
    "mate_here",
    *(f"food_{m}" for m in MOVES),
    *(f"mate_{m}" for m in MOVES),
)


def forager(world):
    """(genome, genes (1, length)): a network that eats food on its cell, mates with a mate
    on its cell (unprotected), else steps toward the nearest food (toward a mate at half the
    pull), and explores at random with nothing in sight, all through direct weights (the
    same in every direction, so a network of the default genome, tied across turns). It
    ignores ``mate_offers``."""
    spec = make_genome("reflex_net", world)
    f = {name: k for k, name in enumerate(spec.features)}
    a = {name: k for k, name in enumerate(spec.actions)}
    p = np.zeros((1, spec.n_parameters))
    v = spec.layer_view(p)
    v["w_skip"][0, a["eat"], f["food_here"]] = 3.0
    v["w_skip"][0, a["mate"], f["mate_here"]] = 3.0
    for move in MOVES:
        v["w_skip"][0, a[move], f[f"food_{move}"]] = 1.0
        v["w_skip"][0, a[move], f[f"mate_{move}"]] = 0.5
    for name, bias in (("eat", -1.0), ("mate", -1.0), ("mate_protected", -3.0), ("wait", -1.0)):
        v["b_out"][0, a[name]] = bias
    return spec, spec.encode(p)


def decision_features(world, genome, genes, regime, seeds) -> np.ndarray:
    """(decisions, n_features): the features of every decision of individual 0 of ``genes``
    over the episodes of ``seeds``, stepped through ``world.simulator(regime)``."""
    brains = genome.decode(genes)
    sim = world.simulator(regime)
    rows = []
    for seed in (int(s) for s in seeds):
        agent = Agent(brains, 0, world.drive_scales, seed)
        view = sim.reset(seed, brain_load=agent.brain_load)
        while view is not None:
            rows.append(np.array(view.features, dtype=float))
            view = sim.step(agent.decide(view)).view
    return np.array(rows)


def feature_bins(x: np.ndarray) -> np.ndarray:
    """The bin of each value, of FEATURE_BINS equal bins over [-1, 1] (1 in the last)."""
    return np.clip(np.floor((x + 1.0) * (FEATURE_BINS / 2)).astype(int), 0, FEATURE_BINS - 1)


def novel_rows(train: np.ndarray, deploy: np.ndarray) -> np.ndarray:
    """(deploy decisions,) bool: some feature in a bin no training decision fell in."""
    met = np.zeros((train.shape[1], FEATURE_BINS), dtype=bool)
    for k in range(train.shape[1]):
        met[k, feature_bins(train[:, k])] = True
    b = feature_bins(deploy)
    return ~met[np.arange(deploy.shape[1])[None, :], b].all(axis=1)
