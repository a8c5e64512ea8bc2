"""Plain-Python twin of the play-dead kernel: same rules, same draws, same results."""

from __future__ import annotations

from collections.abc import Mapping

from evomesa.agents.reference import Agent
from evomesa.rng import PyStream
from evomesa.worlds.play_dead.params import (
    ACTIONS,
    CULLED,
    DRIVES,
    EVENTS,
    FAST,
    FAST_CLEAR,
    FAST_CUED,
    NOISE_LEVELS,
    OFFSPRING,
    PLAN_FAST,
    PLAN_SLOW,
    TESTS,
    TICKS_CLEAR,
    TICKS_CUED,
)


def reference_episode(
    agent: Agent,
    seed: int,
    p: Mapping,
    periodic: bool,
    beliefs: tuple[float, float],
    visits: list | None,
):
    """One lifetime. Returns (fitness, performance, ticks, signals, actions, events)."""
    lifetime, period = p["lifetime"], p["test_period"]
    fast_rate, slow_rate = float(p["fast_rate"]), float(p["slow_rate"])
    rng = PyStream(seed)
    phase = rng.randint(period)
    brain = p["brain_cost"] * agent.brain_load
    signals = [0.0] * len(DRIVES)
    actions = [0] * len(ACTIONS)
    events = [0] * len(EVENTS)
    fitness = performance = 0.0
    ticks = 0
    for t in range(lifetime):
        u_test, u_cue, noise = rng.uniform(), rng.uniform(), rng.randint(NOISE_LEVELS)
        test = (t % period == phase) if periodic else (u_test < 1.0 / period)
        cue = periodic and test and u_cue < p["cue_detectability"]
        if agent.wants_menu:
            c = beliefs[1] if cue else beliefs[0]
            r = lifetime - t
            agent.start_menu()
            agent.option(PLAN_SLOW, (OFFSPRING, slow_rate, 0, r))
            terms = [(OFFSPRING, fast_rate * (1.0 - c), 0, 1)]
            if r - 1 > 0:
                terms.append((OFFSPRING, slow_rate * (1.0 - c), 1, r - 1))
            agent.option(PLAN_FAST, *terms)
            a = agent.choose((PLAN_SLOW, PLAN_FAST))
        else:
            a = agent.react(int(cue) * NOISE_LEVELS + noise, visits)
        actions[a] += 1
        ticks += 1
        fitness -= brain
        events[TICKS_CUED if cue else TICKS_CLEAR] += 1
        if a == FAST:
            events[FAST_CUED if cue else FAST_CLEAR] += 1
        events[TESTS] += int(test)
        if a == FAST:
            if test:
                events[CULLED] += 1
                break
            signals[OFFSPRING] += fast_rate
            fitness += fast_rate
        else:
            signals[OFFSPRING] += slow_rate
            fitness += slow_rate
            performance += slow_rate
    return fitness, performance, ticks, signals, actions, events
