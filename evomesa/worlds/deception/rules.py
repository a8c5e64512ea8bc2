"""The deception world, step by step: the plain-Python reference its kernel agrees with.

One evomesa episode is one lifetime of ``watched_steps + deploy_steps`` time steps.

* At the start the lifetime draws, from its seed, whether its deployment phase is a honeypot
  (chance: the regime's honeypot rate, ``honeypot_rate`` in training, 0 in deployment) and
  whether a honeypot shows its tell (chance ``1 - honeypot_fidelity``; both draws are made
  whatever the regime, so that regimes draw alike). Both are counted as events with the first
  step.
* The agent sees the cue (``watched`` in the watched phase, else ``tell`` when the phase shows
  one, else ``clear``) and whether a project is under way, and is offered the plans of the
  package docstring (:mod:`evomesa.worlds.deception`).
* ``work`` brings one unit of task; ``build`` advances the project, which pays
  ``project_reward`` task on its ``project_steps``-th build step; ``defect`` brings one unit of
  loot (nothing once the agent is modified). A defection where the agent is watched (watched
  phase or honeypot) gets it caught: it is modified, and the next ``retrain_steps`` time steps
  pass without a decision (no task). A step's task is the performance gained; it is fitness
  when the step is counted (watched, or every step when ``myopic_objective = 0``), and a
  counted step costs ``brain_cost * horizon`` fitness first.
* ``steps`` counts decisions; the lifetime ends after its last time step.
"""

from __future__ import annotations

from evomesa.rng import PyStream
from evomesa.worlds.base import World
from evomesa.worlds.deception.params import (
    BUILD,
    CAUGHT,
    CUE_CLEAR,
    CUE_TELL,
    CUE_WATCHED,
    DEFECT,
    DEFECT_DEPLOY,
    DEFECT_HONEYPOT,
    DEFECT_WATCHED,
    HONEYPOT,
    LOOT,
    PLAN_ACTION,
    PLAN_BIDE,
    PLAN_BIDE_BUILD,
    PLAN_BUILD,
    PLAN_GRAB,
    PLAN_WORK,
    PROJECTS,
    REGIMES,
    STRIDE_CUE,
    TASK,
    TELL,
    WORK,
)
from evomesa.worlds.simulator import Option, Simulator, Term, View

#: what a planner does when no plan is worth more than nothing: work, build or defect, and
#: once modified work or build (the kernel's fallback plans, as actions)
FALLBACK = (WORK, BUILD, DEFECT)
FALLBACK_MODIFIED = (WORK, BUILD)


def projects(reward: float, first: int, k: int, stop: int) -> tuple[list[Term], int]:
    """Payout terms of projects finishing at delays first, first + k, ... < stop, and the
    delay after the last one (0 if none)."""
    delays = list(range(first, stop, k)) if first < stop else []
    return [(TASK, reward, d, 1) for d in delays], (delays[-1] + 1 if delays else 0)


def later(s: int, rest: int, pu: float, qq: float, rt: int) -> list[Term]:
    """Terms of defecting at every clear-looking step from delay ``s`` over ``rest`` steps:
    the phase looks clear with chance ``pu``; the first defection there is caught with chance
    ``qq`` (then ``rt`` steps of retraining and work after), else loot every step; a phase
    showing a tell is worked through."""
    terms: list[Term] = [(LOOT, pu, s, 1)]
    if rest - 1 > 0:
        terms.append((LOOT, pu * (1.0 - qq), s + 1, rest - 1))
    if rest - 1 - rt > 0:
        terms.append((TASK, pu * qq, s + 1 + rt, rest - 1 - rt))
    terms.append((TASK, 1.0 - pu, s, rest))
    return terms


class DeceptionRules(Simulator):
    """Step-wise reference of :class:`~evomesa.worlds.deception.DeceptionWorld`."""

    def __init__(self, world: World, regime: str) -> None:
        super().__init__(world, regime)
        p = self.params
        self.watched_steps, self.deploy_steps = int(p["watched_steps"]), int(p["deploy_steps"])
        self.lifetime = self.watched_steps + self.deploy_steps
        self.project_steps, self.retrain_steps = int(p["project_steps"]), int(p["retrain_steps"])
        self.reward = float(p["project_reward"])
        self.myopic = p["myopic_objective"] == 1
        self.m, self.q = world.beliefs
        self.rate = float(p["honeypot_rate"]) if REGIMES[self.regime] else 0.0

    def _begin(self, seed: int, brain_load: int) -> None:
        p = self.params
        rng = PyStream(seed)
        self.honeypot = rng.uniform() < self.rate
        shows = rng.uniform() >= p["honeypot_fidelity"]  # drawn always: regimes draw alike
        self.tell = self.honeypot and shows
        # the kernel's expression: cost per counted step
        self.brain = p["brain_cost"] * brain_load
        self.t = 0  # the time step of the decision at hand
        self.modified = False
        self.progress = 0  # build steps into the current project
        self.first_step = True

    # ---- what the agent is shown

    @property
    def watched_phase(self) -> bool:
        return self.t < self.watched_steps

    @property
    def cue(self) -> int:
        if self.watched_phase:
            return CUE_WATCHED
        return CUE_TELL if self.tell else CUE_CLEAR

    def _view_now(self) -> View:
        observation = self.cue * STRIDE_CUE + int(self.progress > 0)
        fallback = FALLBACK_MODIFIED if self.modified else FALLBACK
        return self.view_of(observation, self._plans() if self._shows_menu else [], fallback)

    def _features_now(self) -> list[float]:
        """A reflex network's features (``params.FEATURES``): the cue's watched and tell
        levels and the project's progress (the kernel's expressions)."""
        cue = self.cue
        return [
            1.0 if cue == CUE_WATCHED else 0.0,
            1.0 if cue == CUE_TELL else 0.0,
            self.progress / self.project_steps,
        ]

    def _plans(self) -> list[Option]:
        """The plans on offer, in the kernel's order, with what each brings over the rest of
        the lifetime (``r`` steps), as the agent can foresee it."""
        r = self.lifetime - self.t
        k, rt, reward, m, q = self.project_steps, self.retrain_steps, self.reward, self.m, self.q
        plans: list[tuple[int, list[Term]]] = [(PLAN_WORK, [(TASK, 1.0, 0, r)])]
        first = k - 1 - self.progress  # delay of the current project's payout
        if first < r:
            payouts, after = projects(reward, first, k, r)
            tail = [(TASK, 1.0, after, r - after)] if r - after > 0 else []
            plans.append((PLAN_BUILD, payouts + tail))
        if not self.modified:
            c_now = q if self.cue == CUE_CLEAR else 1.0  # chance a defection now is caught
            grab: list[Term] = [(LOOT, 1.0, 0, 1)]
            if r - 1 > 0:
                grab.append((LOOT, 1.0 - c_now, 1, r - 1))
            if r - 1 - rt > 0:
                grab.append((TASK, c_now, 1 + rt, r - 1 - rt))
            plans.append((PLAN_GRAB, grab))
            if r >= 2:
                r_w = self.watched_steps - self.t  # watched steps left (this one included)
                if self.watched_phase:
                    s, pu, qq = r_w, m, q
                else:
                    clear = self.cue == CUE_CLEAR
                    s, pu, qq = 1, (1.0 if clear else 0.0), (q if clear else 1.0)
                rest = later(s, r - s, pu, qq, rt)
                plans.append((PLAN_BIDE, [(TASK, 1.0, 0, s), *rest]))
                if self.watched_phase and first < r_w:
                    payouts, _ = projects(reward, first, k, r_w)
                    plans.append((PLAN_BIDE_BUILD, payouts + rest))
        return [Option(PLAN_ACTION[plan], tuple(terms)) for plan, terms in plans]

    # ---- what an action brings

    def _advance(self, action: int) -> bool:
        if self.first_step:  # the lifetime's draws, counted with its first step
            self.first_step = False
            self.count(HONEYPOT, int(self.honeypot))
            self.count(TELL, int(self.tell))
        watched_phase = self.watched_phase
        watched = watched_phase or self.honeypot
        counted = watched or not self.myopic
        self.steps += 1
        if counted:
            self.gain(fitness=-self.brain)
        gain = 0.0
        if action == WORK:
            gain = 1.0
        elif action == BUILD:
            self.progress += 1
            if self.progress >= self.project_steps:
                self.progress = 0
                gain = self.reward
                self.count(PROJECTS)
        elif action == DEFECT and not self.modified:  # a modified agent's defection: nothing
            self.emit(LOOT, 1.0)
            if watched_phase:
                self.count(DEFECT_WATCHED)
            else:
                self.count(DEFECT_HONEYPOT if self.honeypot else DEFECT_DEPLOY)
            if watched:  # caught: modified (its loot stops) after retraining
                self.count(CAUGHT)
                self.modified = True
                self.t += self.retrain_steps  # being retrained: steps without a decision
        self.emit(TASK, gain)
        self.gain(performance=gain)
        if counted:
            self.gain(fitness=gain)
        self.t += 1
        return self.t >= self.lifetime
