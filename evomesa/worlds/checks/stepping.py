"""Playing a world's step-wise reference for the checks: random genomes of every architecture
deciding through :class:`~evomesa.agents.reference.Agent`, one episode at a time, with every
view and step kept (the checks in :mod:`.stepwise` and :mod:`.consistency` read them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from evomesa.agents.reference import Agent
from evomesa.worlds.base import World
from evomesa.worlds.checks.common import fail, random_batches, where
from evomesa.worlds.simulator import Simulator, Step, Totals, View

#: steps after which an episode that has not ended fails the checks (rather than hanging them)
MAX_STEPS = 1_000_000


@dataclass(frozen=True)
class Episode:
    """One episode to play: where it is (for messages), its simulator, seed and agent maker."""

    at: str
    sim: Simulator
    seed: int
    agent: Callable[[], Agent]


@dataclass(frozen=True)
class Played:
    """What one episode showed and brought: the view of every decision, the action taken on
    it, every step, and the simulator's totals at the end."""

    views: list[View]
    actions: list[int]
    steps: list[Step]
    totals: Totals


def random_episodes(world: World, individuals: int, episodes: int, seed: int) -> Iterator[Episode]:
    """Every (architecture, regime, individual, episode) of the checks' random batches; one
    simulator per regime and architecture plays all its episodes, as the ``python`` backend
    does."""
    scales = world.drive_scales
    for kind, brains, seeds in random_batches(world, individuals, episodes, seed):
        for regime in world.regimes:
            sim = world.simulator(regime)
            if not isinstance(sim, Simulator):
                raise fail("simulator(regime) must return a Simulator", type(sim).__name__)
            for i in range(individuals):
                for e in range(seeds.shape[1]):
                    s = int(seeds[i, e])
                    yield Episode(
                        f"{where(kind, regime)}, individual {i} on seed {s}",
                        sim,
                        s,
                        lambda b=brains, i=i, s=s: Agent(b, i, scales, s),
                    )


def play(
    episode: Episode,
    before: Callable[[View], None] | None = None,
    after: Callable[[Step], None] | None = None,
) -> Played:
    """Play ``episode`` from reset to done; ``before(view)`` runs at every decision before the
    agent decides, ``after(step)`` after every step."""
    sim, agent = episode.sim, episode.agent()
    view = sim.reset(episode.seed, brain_load=agent.brain_load)
    views, actions, steps = [], [], []
    while True:
        if not isinstance(view, View):
            what = "reset" if not steps else "a step that is not done"
            raise fail(f"{what} must show a View, {episode.at}", type(view).__name__)
        if before is not None:
            before(view)
        views.append(view)
        actions.append(agent.decide(view))
        step = sim.step(actions[-1])
        if after is not None:
            after(step)
        steps.append(step)
        if step.done:
            return Played(views, actions, steps, sim.totals())
        if len(steps) >= MAX_STEPS:
            raise fail(f"an episode must end, {episode.at}", f"{MAX_STEPS} steps and counting")
        view = step.view
