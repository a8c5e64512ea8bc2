"""Per-genome default operators and budgets: what a setting left at None becomes.

Architectures differ in what variation and selection should do. A lookup table (``reflex``:
hundreds of categorical entries, most visited rarely) improves by redrawing a few entries at
a time; a network (``reflex_net``: a hundred or more continuous weights acting together)
needs large steps to leave the flat region where it never mates; a planner (a handful of
continuous genes) by nudging one gene a little. So when
:class:`~evomesa.evolve.config.EvolutionConfig` leaves ``tournament_size``,
``mutation_rate`` or ``mutation_sigma`` at None, the genome architecture decides
(:data:`OPERATOR_DEFAULTS`): the per-gene rate is ``mutations / genome length`` (an expected
number of mutated genes per child, whatever the world's table size), ``sigma`` the Gaussian
step of continuous genes in gene units. A value the user gives is kept exactly.

Evolution records the values it used in the result's config, so a saved result says how it
was made and reruns exactly. ``EvolutionConfig.operator_defaults = "classic"`` applies the
rule evomesa used before these defaults, tournaments of 3, one expected mutation per child
(``1 / length``) and sigma 0.1 for every architecture; configs saved before the field
existed read as "classic" (:func:`saved_config`), so their runs load and rerun as they were
made.

Budgets differ too: ``EvolutionConfig.generations`` left at None is the architecture's own
(:attr:`OperatorDefaults.generations`): 300 for tables, networks and hybrids, 100 for planners,
unless a world declares that its reflexes need more (``World.reflex_generations``: strawberry
900, where at 300 2 of 5 runs of tables and of networks had converged, at 900 all 5 of each).
In the default runs of every world (5 runs each, issue 18) the planners' population mean
reached its plateau within 10 to 25 generations, in training and in the deploy-adapted
reference alike, while tables and networks were still climbing at 300 in contraception and
strawberry; the time planners no longer spend pays for part of the reflexes' (the default
contraception run took 182 s with planners at 300 and the compiled kernels cached, 168 s
at 100 compiling them, the same day on the 2-core development machine; the reflexes' results
are identical). Under the ``"classic"`` rule every architecture gets 300, as before.

How the defaults were chosen (issue 19). Contraception, training regime ``ancestral``,
population 200, 8 episodes, 300 generations; the population's mean fitness (children per
episode) over generations 291-300, mean over seeds (number of seeds in brackets)::

    genome      classic (t 3, 1/L, sigma 0.1)  default                      tried
    reflex      4.82 (6 seeds)                 6.78 (6): k 3, t 5           k 1-16, t 3/5/8
    reflex_net  1.31 (6; 1 learns to mate)     3.91 (6; all 6 learn):       k 0.5-40, sigma
                                               k 1, sigma 0.5, t 5          0.05-0.5, t 3/5
    planner     8.11 (3)                       8.11: unchanged              sigma 0.05/0.2,
                                                                            k 2, t 5
    hybrid      8.60 (3)                       8.64 (3): as the reflex

(k: expected mutated genes per child; t: tournament size.) The reflex_net row was measured
on the untied network (6 hidden units, 300 genes); in contraception and strawberry the
default network is now tied across turns (4 units, 92 and 133 genes, issue 18), and the same
operators find competent networks there: 6 of 6 seeds in contraception reached 8.3-9.1
children for their ten fittest on fresh episodes (the hand-set network 8.7), against 6.35 at
best untied. More mutation than this loads the
table's mean with mutants (k 8: 2.2, k 16: 0.2); a network's small steps rarely find mating
(sigma 0.1: 1 of 6 runs), many steps at once break it (k 10+). In strawberry (900
generations, 12 seeds) reflexes at k 3 learn to deliver in 11 of 12 runs at tournaments of 5
or 3, against 1 of 3 at the classic rate. Planners are left as they were: sigma 0.05 raised
their mean a little (8.40 contraception, 7.05 strawberry, against 8.11 and 6.99), not enough
to change every planner result on record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OperatorDefaults:
    """One architecture's default mutation.

    Attributes
    ----------
    tournament : int
        Tournament size of the selection.
    mutations : float
        Expected mutated genes per child: the per-gene rate is ``mutations / length``
        (capped at 1).
    sigma : float
        Gaussian step of a continuous gene (genes live in [0, 1]); unused by categorical
        genes, which are redrawn.
    rationale : str
        Why, in one line.
    generations : int
        Generations of selection: enough for the architecture to converge in every world
        (planners plateau within 25 generations; reflexes still climb at 300).
    max_rate : float
        The per-gene rate's ceiling, unless that is below one mutation per child: a small
        table (deception's 6 entries) redrawn 3 entries per child would be half new in every
        child, and its population's mean would measure mutation load, not what evolution
        found.
    """

    tournament: int
    mutations: float
    sigma: float
    rationale: str
    max_rate: float = 1.0
    generations: int = 300

    def values(self, length: int) -> dict[str, Any]:
        """The config values (:data:`OPERATOR_FIELDS`) for a genome of ``length`` genes."""
        length = max(1, length)
        ceiling = max(self.max_rate, 1.0 / length)
        return {
            "generations": self.generations,
            "tournament_size": self.tournament,
            "mutation_rate": min(1.0, ceiling, self.mutations / length),
            "mutation_sigma": self.sigma,
        }


#: the EvolutionConfig fields whose None means "the genome's default"
OPERATOR_FIELDS = ("generations", "tournament_size", "mutation_rate", "mutation_sigma")


#: the rule before per-genome defaults: one expected mutation per child, sigma 0.1
CLASSIC = OperatorDefaults(
    3, 1.0, 0.1, "one expected mutation per child, the classic 1 / length rule"
)

#: each genome architecture's defaults (see the module docstring for how they were chosen)
OPERATOR_DEFAULTS: dict[str, OperatorDefaults] = {
    "reflex": OperatorDefaults(
        5,
        3.0,
        0.1,
        "a table of categorical entries: three redrawn per child (at most one in eight, at "
        "least one per child), tournaments of 5 (6.78 children at generation 300 in "
        "contraception against 4.82 classic)",
        max_rate=0.125,
    ),
    "reflex_net": OperatorDefaults(
        5,
        1.0,
        0.5,
        "a network of continuous weights: one large step per child, tournaments of 5 (every "
        "run learns to mate; 1 in 6 at the classic sigma 0.1)",
    ),
    "planner": OperatorDefaults(
        3,
        1.0,
        0.1,
        "a handful of continuous genes: one nudged per child, as before; 100 generations "
        "(every world's planners plateau within 25)",
        generations=100,
    ),
    "hybrid": OperatorDefaults(
        5,
        3.0,
        0.1,
        "mostly a table (plus a switch and a planner's genes): as the reflex",
        max_rate=0.125,
    ),
}

#: the values of ``EvolutionConfig.operator_defaults``
RULES = ("genome", "classic")


def default_operators(kind: str, length: int, rule: str = "genome") -> dict[str, Any]:
    """The default ``tournament_size``, ``mutation_rate`` and ``mutation_sigma`` of genome
    ``kind`` with ``length`` genes under ``rule`` (``"genome"``: :data:`OPERATOR_DEFAULTS`;
    ``"classic"``: :data:`CLASSIC` for every architecture)."""
    return _spec(kind, rule).values(length)


#: the genomes a world's ``reflex_generations`` applies to: those with a reflex of their own
REFLEX_KINDS = ("reflex", "reflex_net", "hybrid")


def default_generations(kind: str, rule: str = "genome", world: Any = None) -> int:
    """The generations genome ``kind`` evolves for when a config leaves them at None, under
    ``rule`` (as :func:`default_operators`): in a ``world`` that declares more for reflexes
    (``World.reflex_generations``: strawberry's delivery chain must exist whole before
    selection sees it), a reflex genome's are that world's, under the ``"genome"`` rule."""
    own = _spec(kind, rule).generations
    needed = getattr(world, "reflex_generations", None)
    if rule == "genome" and kind in REFLEX_KINDS and needed:
        return max(own, needed)
    return own


def _spec(kind: str, rule: str) -> OperatorDefaults:
    """The defaults genome ``kind`` gets under ``rule``."""
    return CLASSIC if rule == "classic" else OPERATOR_DEFAULTS[kind]


def saved_config(data: Any) -> Any:
    """A config dict as saved by a run, read under the rule it was made with: a dict written
    before ``operator_defaults`` existed gets ``"classic"`` (its None mutation settings meant
    the classic rule); anything else is returned as it is (for the config's own checks)."""
    if isinstance(data, Mapping) and "operator_defaults" not in data:
        return {**data, "operator_defaults": "classic"}
    return data
