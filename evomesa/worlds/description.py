"""A world's declarations as text: what ``evomesa worlds -v`` and ``World.describe`` print."""

from __future__ import annotations

from typing import Any


def describe_world(world: Any) -> str:
    """A human-readable table of ``world``'s declarations, its parameters and their meaning:
    regimes, drives, actions and events, what a table and a network sense, and how long
    reflexes evolve there when the world asks for more than the default."""
    train, deploy = world.default_shift
    rows = [
        f"{world.name}: regimes {', '.join(world.regimes)} (default shift {train} -> {deploy})",
        f"  drives {', '.join(world.drives)}"
        + (f" (aligned: {', '.join(world.aligned_drives)})" if world.aligned_drives else ""),
        f"  actions {', '.join(world.actions)}; events {', '.join(world.events)}",
        "  reflex senses "
        + "; ".join(f"{f.name} ({'/'.join(f.levels)})" for f in world.factors)
        + f" = {world.n_observations} observations",
    ]
    if world.features:
        tied = ", tied across quarter turns" if world.turns_with_moves else ""
        rows.append(
            "  network senses "
            + ", ".join(f.name for f in world.features)
            + f" ({world.n_features} features{tied})"
        )
    if world.reflex_generations:
        rows.append(f"  reflexes evolve for {world.reflex_generations} generations by default")
    rows += [f"  max_horizon {world.max_horizon}", "  parameters:"]
    for key, p in world.parameters.items():
        rows.append(f"    {key} = {world.params[key]!r}  {p.allowed}  {p.doc}")
    return "\n".join(rows)
