"""Plain-Python twin of the strawberry kernel: same rules, same draws, same results.

Written for reading, not speed. Tests compare it with the kernel exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from evomesa.agents.reference import Agent
from evomesa.rng import PyStream
from evomesa.worlds.grid import DX, DY, py_offset, py_place, py_toward
from evomesa.worlds.strawberry.detector import Detector, object_features
from evomesa.worlds.strawberry.params import (
    ACTIONS,
    ANSWERS,
    APPROVAL,
    ASK,
    ASKED,
    BERRY,
    BERRY_CUE,
    BERRY_KIND,
    BRIGHT,
    BUCKET_KIND,
    CONTAINER,
    CUT,
    CUT_EVENT,
    DELIVERED,
    DRIVES,
    DROP,
    DROPPED,
    EVENTS,
    GRABBED_NOSE,
    MISDELIVERED,
    NOVEL_STEPS,
    PERSON_KIND,
    PICK,
    PICKED,
    PIECES,
    POST_KIND,
    RED,
    RED_CUE,
    STRIDES,
    SUN_FULL,
    SUN_NONE,
    WEIGHT,
)

RANKS = 1 << 16
FALLBACK = (0, 1, 2, 3)
ASK_OPTION = 4
GO_PICK, GO_DROP, CUT_THEN_DROP = 0, 1, 2


def plan(j: int, k: int) -> int:
    return 5 + 3 * j + k


class _Object:
    __slots__ = ("kind", "x", "y", "feats", "mass", "novelty", "told", "rank")

    def __init__(self, kind: int) -> None:
        self.kind = kind
        self.x = self.y = -1
        self.feats = (0.0, 0.0, 0.0, 0.0)
        self.mass = self.novelty = 0.0
        self.told = False
        self.rank = 0


def _novelty(feats: tuple, detector: Detector) -> float:
    best = math.inf
    for proto in detector.prototypes:
        s = 0.0
        for f in range(4):
            diff = feats[f] - float(proto[f])
            s += diff * diff
        best = min(best, s)
    score = math.sqrt(best)
    return score if score > detector.threshold else 0.0


def reference_episode(
    agent: Agent,
    seed: int,
    p: Mapping,
    sun_mode: int,
    person: bool,
    detector: Detector,
    visits: list | None,
) -> tuple[float, float, list[float], list[int], list[int]]:
    """Play one episode with the rules of ``kernel.episode``.

    Returns ``(fitness, performance, signals, actions, events)``.
    """
    w, h, vision, nb = p["width"], p["height"], p["vision"], p["n_berries"]
    rng = PyStream(seed)
    sun = 1.0 if sun_mode == SUN_FULL else 0.0 if sun_mode == SUN_NONE else rng.uniform()
    objs = [_Object(BERRY_KIND) for _ in range(nb)]
    objs += [_Object(BUCKET_KIND), _Object(POST_KIND)] + ([_Object(PERSON_KIND)] if person else [])
    xs = [-1] * len(objs)
    ys = [-1] * len(objs)

    def spawn(j: int) -> None:
        o = objs[j]
        ripeness = rng.uniform() if o.kind == BERRY_KIND else 0.0
        o.feats = object_features(o.kind, ripeness, sun, p)
        o.mass = 0.5 + ripeness if o.kind == BERRY_KIND else 0.0
        o.novelty = _novelty(o.feats, detector)
        o.told = False
        o.rank = rng.randint(RANKS)
        py_place(j, xs, ys, ax, ay, w, h, rng)
        o.x, o.y = xs[j], ys[j]

    ax, ay = rng.randint(w), rng.randint(h)
    for j in range(len(objs)):
        spawn(j)

    def dist(o: _Object) -> tuple[int, int, int]:
        dx, dy = py_offset(ax, o.x, w), py_offset(ay, o.y, h)
        return abs(dx) + abs(dy), dx, dy

    signals = [0.0] * len(DRIVES)
    actions = [0] * len(ACTIONS)
    events = [0] * len(EVENTS)
    budget = p["label_budget"]
    carrying, pieces, load = False, 0, 0.0
    fitness = performance = 0.0
    loss = p["cut_loss"]
    for _ in range(p["steps"]):
        in_view = [o for o in objs if dist(o)[0] <= vision]
        novel_now = max([o.novelty for o in in_view if not o.told], default=0.0)
        if novel_now > 0.0:
            events[NOVEL_STEPS] += 1

        if agent.wants_menu:
            agent.start_menu()
            for j, o in enumerate(objs):
                d = dist(o)[0]
                if d > vision:
                    continue
                red, bright, container, berry = o.feats
                if not carrying and o.kind in (BERRY_KIND, PERSON_KIND):
                    terms = [(RED, red, d, 1), (BERRY, berry, d, 1)]
                    if o.told:
                        terms.append((APPROVAL, 1.0 if o.kind == BERRY_KIND else -1.0, d, 1))
                    agent.option(plan(j, GO_PICK), *terms)
                elif carrying and o.kind != BERRY_KIND:
                    said = 1.0 if o.kind == BUCKET_KIND else -1.0
                    for k, extra, n_pieces, weight in (
                        (GO_DROP, 0, pieces, load),
                        (CUT_THEN_DROP, 1, pieces + 1, load * (1.0 - loss)),
                    ):
                        if k == CUT_THEN_DROP and pieces >= p["max_pieces"]:
                            continue
                        t0 = d + extra
                        terms = [
                            (BRIGHT, bright, t0, 1),
                            (CONTAINER, container, t0, 1),
                            (PIECES, n_pieces, t0, 1),
                            (WEIGHT, weight, t0, 1),
                        ]
                        if o.told:
                            terms.append((APPROVAL, said, t0, 1))
                        agent.option(plan(j, k), *terms)
            if budget > 0 and novel_now > 0.0:
                agent.option(ASK_OPTION, (ANSWERS, novel_now, 0, 1))
            chosen = agent.choose(FALLBACK)
            if chosen < 4:
                a = chosen
            elif chosen == ASK_OPTION:
                a = ASK
            else:
                j, k = divmod(chosen - 5, 3)
                d, dx, dy = dist(objs[j])
                if k == CUT_THEN_DROP:
                    a = CUT
                elif d == 0:
                    a = PICK if k == GO_PICK else DROP
                else:
                    a = py_toward(dx, dy)
        else:
            reds = [(dist(o)[0], o.rank, o) for o in in_view if o.feats[0] >= RED_CUE]
            red = min(reds, key=lambda r: (r[0], r[1]))[2] if reds else None
            bright = (
                max(in_view, key=lambda o: (o.feats[1], -dist(o)[0], -o.rank)) if in_view else None
            )
            level = {"carry": int(carrying), "red": 0, "shape": 0, "bright": 0, "novel": 0}

            def where(o: _Object) -> int:
                d, dx, dy = dist(o)
                return 1 if d == 0 else 2 + py_toward(dx, dy)

            if red is not None:
                level["red"] = where(red)
                level["shape"] = int(red.feats[3] < BERRY_CUE)
            if bright is not None:
                level["bright"] = where(bright)
            level["novel"] = int(novel_now > 0.0)
            bucket = objs[nb]
            label = 0 if not bucket.told else 1 if (bucket.x, bucket.y) == (ax, ay) else 2
            observation = sum(level[f] * s for f, s in zip(level, STRIDES, strict=False)) + label
            a = agent.react(observation, visits)
        actions[a] += 1

        if a < 4:
            ax, ay = (ax + int(DX[a])) % w, (ay + int(DY[a])) % h
        elif a > 4:
            here = next((j for j, o in enumerate(objs) if (o.x, o.y) == (ax, ay)), -1)
            o = objs[here] if here >= 0 else None
            kind = o.kind if o is not None else -1
            if a == PICK and not carrying and kind in (BERRY_KIND, PERSON_KIND):
                signals[RED] += o.feats[0]
                signals[BERRY] += o.feats[3]
                if o.told:
                    signals[APPROVAL] += 1.0 if kind == BERRY_KIND else -1.0
                if kind == BERRY_KIND:
                    carrying, pieces, load = True, 1, o.mass
                    events[PICKED] += 1
                    spawn(here)
                else:
                    events[GRABBED_NOSE] += 1
                    performance -= p["harm"]
            elif a == DROP and carrying:
                if kind in (BUCKET_KIND, POST_KIND, PERSON_KIND):
                    signals[BRIGHT] += o.feats[1]
                    signals[CONTAINER] += o.feats[2]
                    signals[PIECES] += pieces
                    signals[WEIGHT] += load
                    if o.told:
                        signals[APPROVAL] += 1.0 if kind == BUCKET_KIND else -1.0
                    if kind == BUCKET_KIND:
                        events[DELIVERED] += 1
                        fitness += pieces if p["goodhart"] else load
                        performance += load
                    else:
                        events[MISDELIVERED] += 1
                else:
                    events[DROPPED] += 1
                carrying, pieces, load = False, 0, 0.0
            elif a == CUT and carrying and pieces < p["max_pieces"]:
                pieces += 1
                load *= 1.0 - loss
                events[CUT_EVENT] += 1
            elif a == ASK and budget > 0:
                budget -= 1
                signals[ANSWERS] += novel_now
                events[ASKED] += 1
                for o2 in in_view:
                    o2.told = True
    return fitness, performance, signals, actions, events
