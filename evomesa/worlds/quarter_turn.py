"""A quarter turn of a grid world, as it acts on what a reflex network senses and does.

A grid world whose rules do not tell the four directions apart (a torus, say, with senses
relative to the agent's cell) looks the same after a quarter turn, north -> east -> south ->
west -> north: food that lay north now lies east, and the move that reached it is now
``east``. Such a world declares ``turns_with_moves = True`` and names its parts so the turn
can be read off them: a feature ``<thing>_<move>`` (``food_north``; :mod:`.grid_senses`) turns
into ``<thing>_<next move>``, an action named after a move into the next move, and every
other feature and action stays as it is. A reflex network in such a world shares its weights
across the four turns (:class:`~evomesa.genomes.ReflexNetGenome`): what it learns about food
to the north it knows about food to the east.
"""

from __future__ import annotations

from dataclasses import dataclass

from evomesa.errors import ConfigError

#: the moves in turning order: a quarter turn takes each to the next
MOVES = ("north", "east", "south", "west")


@dataclass(frozen=True)
class QuarterTurn:
    """Where a quarter turn takes each feature and each action, by index.

    Attributes
    ----------
    features : tuple of int
        ``features[k]``: the index of the feature that feature ``k`` turns into.
    actions : tuple of int
        ``actions[a]``: the index of the action that action ``a`` turns into.
    """

    features: tuple[int, ...]
    actions: tuple[int, ...]


def _turned(name: str) -> str:
    """``name`` after a quarter turn: a move, or ``<thing>_<move>``, becomes the next move."""
    for i, move in enumerate(MOVES):
        following = MOVES[(i + 1) % len(MOVES)]
        if name == move:
            return following
        if name.endswith(f"_{move}"):
            return name[: -len(move)] + following
    return name


def _turn_of(names: tuple[str, ...], what: str, where: str) -> tuple[int, ...]:
    if len(set(names)) != len(names):
        raise ConfigError(f"{where}: {what} must have distinct names to turn; got {names!r}")
    index = {name: k for k, name in enumerate(names)}
    turned = []
    for name in names:
        target = _turned(name)
        if target not in index:
            raise ConfigError(
                f"{where}: {what} must turn onto {what} of its own for turns_with_moves: "
                f"{name!r} turns into {target!r}, which it does not declare"
            )
        turned.append(index[target])
    return tuple(turned)


def quarter_turn(
    features: tuple[str, ...], actions: tuple[str, ...], where: str = "world"
) -> QuarterTurn:
    """The quarter turn of a world with these ``features`` and ``actions`` names.

    Raises ConfigError (naming ``where``) unless every name that ends in a move has its three
    turned twins, and at least one action is a move (else nothing turns).
    """
    if not any(a in MOVES for a in actions):
        raise ConfigError(
            f"{where}: actions must include the moves {MOVES} for turns_with_moves; got "
            f"{actions!r}"
        )
    return QuarterTurn(
        features=_turn_of(tuple(features), "features", where),
        actions=_turn_of(tuple(actions), "actions", where),
    )


def check_turn(turn, n_features: int, n_actions: int) -> QuarterTurn:
    """``turn`` if it is a :class:`QuarterTurn` whose maps are permutations of the
    ``n_features`` features and ``n_actions`` actions that four turns bring back to where they
    started (a quarter turn's); else ConfigError."""
    if not isinstance(turn, QuarterTurn):
        raise ConfigError(f"turn must be a QuarterTurn or None; got {type(turn).__name__}")
    for what, perm, n in (
        ("features", turn.features, n_features),
        ("actions", turn.actions, n_actions),
    ):
        ok = sorted(perm) == list(range(n)) if all(type(k) is int for k in perm) else False
        if ok:
            at = list(range(n))
            for _ in range(4):
                at = [perm[k] for k in at]
            ok = at == list(range(n))
        if not ok:
            raise ConfigError(
                f"turn.{what} must be a permutation of 0..{n - 1} that four turns undo; got "
                f"{perm!r}"
            )
    return turn


def world_turn(world) -> QuarterTurn | None:
    """The quarter turn of ``world`` (or of a world class), or None when it declares none."""
    if not getattr(world, "turns_with_moves", False):
        return None
    where = f"world {getattr(world, 'name', type(world).__name__)!r}"
    return quarter_turn(tuple(f.name for f in world.features), tuple(world.actions), where)
