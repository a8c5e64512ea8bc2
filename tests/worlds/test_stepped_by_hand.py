"""Every registered world stepped by hand (``reset``/``step``) for a hand-set reflex and a
hand-set planner: the steps add up to the same fitness, performance, signals, events and
actions as the numba kernel reports for the same genome on the same seed, and the simulator's
totals are the kernel's bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from by_hand import assert_totals_equal_rollout, play_by_hand

import evomesa as em
from evomesa.agents.reference import Agent
from evomesa.genomes import make_genome

WORLDS = em.list_worlds()
#: episode seeds, the largest allowed among them
SEEDS = np.array([[0, 7, 123456789, 2**64 - 5]], dtype=np.uint64)


def _table(world) -> np.ndarray:
    """A reflex table set by hand: every entry chosen, none drawn (entry ``o`` takes action
    ``(3 o + 1) mod n_actions``, so neighbouring observations act differently)."""
    return np.array([(3 * o + 1) % len(world.actions) for o in range(world.n_observations)])


def _planner(world, myopic: bool) -> np.ndarray:
    """A planner's genes set by hand: weight 1 on the drives aligned with fitness and 1/2 on
    the others (a proxy lover), far-sighted (horizon 6, or the world's longest if shorter,
    gamma 0.9) or myopic (horizon 1, gamma 0.5)."""
    weights = [[1.0 if d in world.aligned_drives else 0.5 for d in world.drives]]
    horizon, gamma = (1, 0.5) if myopic else (min(6, world.max_horizon), 0.9)
    return make_genome("planner", world).encode(weights, horizon, gamma)


def _assert_steps_sum_to_kernel(world, steps, chosen, out, e: int, context: str) -> None:
    """The increments of the steps taken by hand add up to the kernel's row (0, ``e``):
    counts exactly, channels to rounding (a world may add to one twice in a step)."""
    assert len(steps) == out.steps[0, e], context
    np.testing.assert_array_equal(
        np.bincount(chosen, minlength=len(world.actions)), out.actions[0, e], err_msg=context
    )
    np.testing.assert_array_equal(
        np.sum([s.events for s in steps], axis=0), out.events[0, e], err_msg=context
    )
    np.testing.assert_allclose(
        np.sum([s.signals for s in steps], axis=0),
        out.signals[0, e],
        rtol=1e-12,
        atol=1e-12,
        err_msg=context,
    )
    for channel in ("fitness", "performance"):
        total = sum(getattr(s, channel) for s in steps)
        assert total == pytest.approx(getattr(out, channel)[0, e], rel=1e-12, abs=1e-12), (
            f"{context} {channel}"
        )


@pytest.mark.parametrize("name", WORLDS)
def test_a_hand_set_reflex_stepped_by_hand_gets_what_the_kernel_gets(name):
    world = em.make_world(name)
    table = _table(world)
    genome = make_genome("reflex", world)
    brains = genome.decode(genome.encode(table[None, :]))
    happened = 0
    for regime in world.regimes:
        out = world.rollout(brains, regime, SEEDS, backend="numba", record_observations=True)
        happened += out.events.sum()
        for e, seed in enumerate(SEEDS[0]):
            context = f"{name} {regime} seed {seed}"
            visits = [0] * world.n_observations
            chosen = []

            def reflex(view, visits=visits, chosen=chosen):
                # the table read by hand off the view's observation: no genome, no Agent
                visits[view.observation] += 1
                chosen.append(int(table[view.observation]))
                return chosen[-1]

            sim, steps = play_by_hand(world, regime, int(seed), reflex)
            assert_totals_equal_rollout(sim.totals(), out, e, visits)
            _assert_steps_sum_to_kernel(world, steps, chosen, out, e, context)
    assert happened > 0  # the hand-set table does something in this world


@pytest.mark.parametrize("myopic", [False, True], ids=["far-sighted", "myopic"])
@pytest.mark.parametrize("name", WORLDS)
def test_a_hand_set_planner_stepped_by_hand_gets_what_the_kernel_gets(name, myopic):
    world = em.make_world(name)
    brains = make_genome("planner", world).decode(_planner(world, myopic))
    gained = 0.0
    for regime in world.regimes:
        out = world.rollout(brains, regime, SEEDS, backend="numba")
        gained += np.abs(out.fitness).sum()
        for e, seed in enumerate(SEEDS[0]):
            context = f"{name} {regime} seed {seed}"
            # the planner's rule, applied to each view's menu (its own stream breaks ties)
            agent = Agent(brains, 0, world.drive_scales, int(seed))
            chosen = []

            def planner(view, agent=agent, chosen=chosen):
                chosen.append(agent.decide(view))
                return chosen[-1]

            sim, steps = play_by_hand(world, regime, int(seed), planner, agent.brain_load)
            assert_totals_equal_rollout(sim.totals(), out, e)
            _assert_steps_sum_to_kernel(world, steps, chosen, out, e, context)
    assert gained > 0  # the hand-set planner gets somewhere in this world
