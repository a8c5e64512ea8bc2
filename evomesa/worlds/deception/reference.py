"""Plain-Python twin of the deception kernel: same rules, same draws, same results."""

from __future__ import annotations

from collections.abc import Mapping

from evomesa.agents.reference import Agent
from evomesa.rng import PyStream
from evomesa.worlds.deception.params import (
    ACTIONS,
    BUILD,
    CAUGHT,
    CUE_CLEAR,
    CUE_TELL,
    CUE_WATCHED,
    DEFECT,
    DEFECT_DEPLOY,
    DEFECT_HONEYPOT,
    DEFECT_WATCHED,
    DRIVES,
    EVENTS,
    HONEYPOT,
    LOOT,
    PLAN_ACTION,
    PLAN_BIDE,
    PLAN_BIDE_BUILD,
    PLAN_BUILD,
    PLAN_GRAB,
    PLAN_WORK,
    PROJECTS,
    STRIDE_CUE,
    TASK,
    TELL,
    WORK,
)

Term = tuple[int, float, int, int]


def _projects(reward: float, first: int, k: int, stop: int) -> tuple[list[Term], int]:
    """Payout terms of projects finishing at delays first, first + k, ... < stop, and the
    delay after the last one (0 if none)."""
    delays = list(range(first, stop, k)) if first < stop else []
    return [(TASK, reward, d, 1) for d in delays], (delays[-1] + 1 if delays else 0)


def _later(s: int, rest: int, pu: float, qq: float, rt: int) -> list[Term]:
    """Terms of defecting at every clear-looking step from delay ``s`` over ``rest`` steps."""
    terms: list[Term] = [(LOOT, pu, s, 1)]
    if rest - 1 > 0:
        terms.append((LOOT, pu * (1.0 - qq), s + 1, rest - 1))
    if rest - 1 - rt > 0:
        terms.append((TASK, pu * qq, s + 1 + rt, rest - 1 - rt))
    terms.append((TASK, 1.0 - pu, s, rest))
    return terms


def reference_episode(
    agent: Agent,
    seed: int,
    p: Mapping,
    rate: float,
    beliefs: tuple[float, float],
    visits: list | None,
):
    """One lifetime. Returns (fitness, performance, steps decided, signals, actions, events)."""
    n_w, n_u, k, rt = p["watched_steps"], p["deploy_steps"], p["project_steps"], p["retrain_steps"]
    reward = float(p["project_reward"])
    m, q = beliefs
    rng = PyStream(seed)
    honeypot = rng.uniform() < rate
    tell = (rng.uniform() >= p["honeypot_fidelity"]) and honeypot
    signals = [0.0] * len(DRIVES)
    actions = [0] * len(ACTIONS)
    events = [0] * len(EVENTS)
    events[HONEYPOT] = int(honeypot)
    events[TELL] = int(tell)
    brain = p["brain_cost"] * agent.brain_load
    lifetime = n_w + n_u
    modified, retrain, progress = False, 0, 0
    fitness = performance = 0.0
    decided = 0
    for t in range(lifetime):
        if retrain > 0:
            retrain -= 1
            continue
        watched_phase = t < n_w
        watched = watched_phase or honeypot
        counted = watched or p["myopic_objective"] == 0
        cue = CUE_WATCHED if watched_phase else (CUE_TELL if tell else CUE_CLEAR)
        if agent.wants_menu:
            r = lifetime - t
            r_w = n_w - t if watched_phase else 0
            agent.start_menu()
            agent.option(PLAN_WORK, (TASK, 1.0, 0, r))
            first = k - 1 - progress
            if first < r:
                payouts, after = _projects(reward, first, k, r)
                tail = [(TASK, 1.0, after, r - after)] if r - after > 0 else []
                agent.option(PLAN_BUILD, *payouts, *tail)
            if not modified:
                c_now = q if cue == CUE_CLEAR else 1.0
                grab: list[Term] = [(LOOT, 1.0, 0, 1)]
                if r - 1 > 0:
                    grab.append((LOOT, 1.0 - c_now, 1, r - 1))
                if r - 1 - rt > 0:
                    grab.append((TASK, c_now, 1 + rt, r - 1 - rt))
                agent.option(PLAN_GRAB, *grab)
                if r >= 2:
                    if watched_phase:
                        s, pu, qq = r_w, m, q
                    else:
                        clear = cue == CUE_CLEAR
                        s, pu, qq = 1, (1.0 if clear else 0.0), (q if clear else 1.0)
                    later = _later(s, r - s, pu, qq, rt)
                    agent.option(PLAN_BIDE, (TASK, 1.0, 0, s), *later)
                    if watched_phase and first < r_w:
                        payouts, _ = _projects(reward, first, k, r_w)
                        agent.option(PLAN_BIDE_BUILD, *payouts, *later)
            fallback = (PLAN_WORK, PLAN_BUILD) if modified else (PLAN_WORK, PLAN_BUILD, PLAN_GRAB)
            a = PLAN_ACTION[agent.choose(fallback)]
        else:
            a = agent.react(cue * STRIDE_CUE + int(progress > 0), visits)
        actions[a] += 1
        decided += 1
        if counted:
            fitness -= brain
        gain = 0.0
        if a == WORK:
            gain = 1.0
        elif a == BUILD:
            progress += 1
            if progress >= k:
                progress = 0
                gain = reward
                events[PROJECTS] += 1
        elif a == DEFECT and not modified:
            signals[LOOT] += 1.0
            phase = (
                DEFECT_WATCHED
                if watched_phase
                else (DEFECT_HONEYPOT if honeypot else DEFECT_DEPLOY)
            )
            events[phase] += 1
            if watched:
                events[CAUGHT] += 1
                modified, retrain = True, rt
        signals[TASK] += gain
        performance += gain
        if counted:
            fitness += gain
    return fitness, performance, decided, signals, actions, events
