"""Reflex network genome: a small fixed network from perceived features to actions.

A reflex that generalizes (DESIGN sections 1 and 3): no lookahead, no drives, no learning
during life. Where a lookup table (:mod:`.reflex`) has one independent entry per observation, so
an entry training never visits is never selected and acts at random after a shift, a network
answers every input with the rule it learnt on the inputs training showed it, right or wrong.

Architecture (see "Reflex network rule" in :mod:`evomesa.agents.kernels`): the world's
``n_features`` perceived features, each in [-1, 1], feed ``hidden`` tanh units (default
:data:`HIDDEN`), which feed one linear output per action, beside direct weights from the
features to the outputs; the agent takes the action of greatest output. The direct weights
make a one-feature rule ("eat what is here") one weight away, as it is one entry away for a
table: without them, in contraception 2 of 3 evolutions stalled on "mate with what is here,
never eat" (about 1 child), since eating had to be routed through a hidden unit first.

Every gene is continuous and decodes to a parameter ``WEIGHT_SCALE * (2 * gene - 1)`` in
[-WEIGHT_SCALE, WEIGHT_SCALE]. The range is wide enough for a unit to be an AND of two
features (the hand-set contraception network's "food lies east *and* energy is low" units,
:mod:`evomesa.handsets.contraception`): at a range of 3 such gates could not be built and a
hand-set network reached about 5 children where the table reaches 8.

**Shared across turns.** In a world that turns with its moves (a torus whose rules do not
tell directions apart, ``World.turns_with_moves``: contraception and strawberry) the network
is equivariant: its hidden units come in sets of four, one per direction, and every
parameter shares one gene with its quarter-turned twins (:mod:`.net_ties`), so a rule found
for one direction holds for all four, as it would for a convolutional network on an image.
The default there is one set (:data:`TIED_HIDDEN`, 4 units, 92 genes in contraception against
300 untied with 6 units). Why: untied, evolution did not find the hand-set network's rule
"step toward food when hungry, toward a mate when fed" in contraception (best network of 5
runs 6.35 children against the hand-set 8.71), since it takes the same three coordinated
weights in each of four units, and half-built it lowers fitness; tied, it is three weights
once. The price is a prior: a tied network's weights cannot favour one direction (with
nothing in sight its four moves get the same score but for rounding, and the rounding, not
selection, then picks the move it keeps taking, where an untied network may evolve to walk
one way). ``tied=False`` builds the untied network of :data:`HIDDEN` units.
"""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import NET, Brains, net_size
from evomesa.errors import ConfigError, check_choice, check_int
from evomesa.genomes.base import Genome
from evomesa.genomes.net_ties import TURNS, tied_genes
from evomesa.worlds.quarter_turn import QuarterTurn, check_turn

#: default hidden units: enough to gate "go to food" against "go to a mate" by energy, few
#: enough genes that evolution searches them within the default budgets
HIDDEN = 6
#: default hidden units of a network tied across turns: one set of four, one per direction
TIED_HIDDEN = TURNS
#: parameters lie in [-WEIGHT_SCALE, WEIGHT_SCALE]
WEIGHT_SCALE = 6.0


class ReflexNetGenome(Genome):
    """Genes: every parameter of one network, in the layout of ``Brains.net``.

    Parameters
    ----------
    features : tuple of str
        The world's perceived feature names, in order.
    actions : tuple of str
        The world's action names, in order.
    n_observations, n_drives : int
        Sizes of the (unused) table and drive weights, so Brains arrays have one shape.
    hidden : int, optional
        Hidden tanh units (0: outputs straight from the features, a linear reflex); default
        :data:`TIED_HIDDEN` when tied, else :data:`HIDDEN`. Tied: a multiple of 4.
    turn : QuarterTurn, optional
        The world's quarter turn (:func:`evomesa.worlds.quarter_turn.world_turn`); given, the
        network's parameters are tied across the four turns (see the module docstring).
    """

    kind = "reflex_net"

    def __init__(
        self,
        features: tuple[str, ...],
        actions: tuple[str, ...],
        n_observations: int,
        n_drives: int,
        hidden: int | None = None,
        turn: QuarterTurn | None = None,
    ) -> None:
        if not features:
            raise ConfigError(
                "genome 'reflex_net' needs a world that declares perceived features; this "
                "world declares none"
            )
        self.features = tuple(features)
        self.actions = tuple(actions)
        if hidden is None:
            hidden = HIDDEN if turn is None else TIED_HIDDEN
        self.hidden = check_int("hidden", hidden, 0, 64)
        self.n_observations = n_observations
        self.n_drives = n_drives
        self.turn = turn
        self._gene_of: np.ndarray | None = None  # per parameter, the gene it reads (tied)
        self._first: np.ndarray | None = None  # per gene, the first parameter it sets (tied)
        if turn is not None:
            if self.hidden % TURNS:
                raise ConfigError(
                    f"hidden must be a multiple of {TURNS} for a network tied across turns "
                    f"(one unit per direction); got {self.hidden}"
                )
            check_turn(turn, len(self.features), len(self.actions))
            self._gene_of = tied_genes(self.dims, turn)
            self._first = np.unique(self._gene_of, return_index=True)[1]

    @property
    def tied(self) -> bool:
        """Whether the parameters are tied across the four turns of the world."""
        return self._gene_of is not None

    def untied(self) -> ReflexNetGenome:
        """The same network with one gene per parameter (itself when not tied)."""
        if not self.tied:
            return self
        return ReflexNetGenome(
            self.features, self.actions, self.n_observations, self.n_drives, self.hidden
        )

    def untie(self, genes: np.ndarray) -> np.ndarray:
        """(n, untied length) genes of :meth:`untied` for the same networks as (n, length)
        ``genes`` (themselves when not tied)."""
        genes = self.checked(genes)
        return genes if self._gene_of is None else genes[:, self._gene_of]

    @property
    def dims(self) -> tuple[int, int, int]:
        """(n_features, hidden, n_actions)."""
        return len(self.features), self.hidden, len(self.actions)

    @property
    def gene_names(self) -> tuple[str, ...]:
        """One name per gene; a tied gene is named after the first parameter it sets (see
        :mod:`.net_ties`)."""
        names = self._parameter_names()
        if self._first is None:
            return names
        return tuple(names[p] for p in self._first)

    def _parameter_names(self) -> tuple[str, ...]:
        units = [f"h{j}" for j in range(self.hidden)]
        if self.hidden == 0:
            return tuple(f"net.out[{a},{f}]" for a in self.actions for f in self.features) + tuple(
                f"net.bias[{a}]" for a in self.actions
            )
        return (
            tuple(f"net.in[{u},{f}]" for u in units for f in self.features)
            + tuple(f"net.bias[{u}]" for u in units)
            + tuple(f"net.out[{a},{u}]" for a in self.actions for u in units)
            + tuple(f"net.bias[{a}]" for a in self.actions)
            + tuple(f"net.skip[{a},{f}]" for a in self.actions for f in self.features)
        )

    @property
    def length(self) -> int:
        if self._first is not None:
            return len(self._first)
        return net_size(*self.dims)

    @property
    def categorical(self) -> np.ndarray:
        return np.zeros(self.length, dtype=bool)

    def parameters(self, genes: np.ndarray) -> np.ndarray:
        """(n, n_parameters) float64 network parameters (layout of ``Brains.net``) from
        (n, length) genes."""
        if self._gene_of is not None:
            genes = genes[:, self._gene_of]
        return WEIGHT_SCALE * (2.0 * genes - 1.0)

    @property
    def n_parameters(self) -> int:
        """Number of network parameters (``Brains.net``'s width); ``length`` when untied."""
        return net_size(*self.dims)

    def encode(self, parameters) -> np.ndarray:
        """Genes of shape (n, length) for given network parameters (the inverse of decode).

        Parameters
        ----------
        parameters : (n, n_parameters) array-like of float in [-WEIGHT_SCALE, WEIGHT_SCALE]
            In the layout of ``Brains.net`` (see :meth:`gene_names`); :meth:`layer_view`
            gives named views to fill. A tied network's must be the same across each turn
            (unit ``4 i + r`` is unit ``4 i`` turned ``r`` times).
        """
        p = np.atleast_2d(np.asarray(parameters, dtype=np.float64))
        if p.ndim != 2 or p.shape[1] != self.n_parameters:
            raise ConfigError(
                f"parameters must have shape (n, {self.n_parameters}) for this reflex_net; got "
                f"{p.shape}"
            )
        if not (np.isfinite(p).all() and np.abs(p).max(initial=0.0) <= WEIGHT_SCALE):
            raise ConfigError(
                f"parameters must be finite and lie in [-{WEIGHT_SCALE}, {WEIGHT_SCALE}]; got "
                f"values in [{p.min()}, {p.max()}]"
            )
        genes = np.clip((p / WEIGHT_SCALE + 1.0) / 2.0, 0.0, 1.0)
        if self._gene_of is None:
            return genes
        tied = genes[:, self._first]
        differs = np.flatnonzero((tied[:, self._gene_of] != genes).any(axis=0))
        if differs.size:
            name = self._parameter_names()[differs[0]]
            raise ConfigError(
                "parameters must be equal across the quarter turns of this tied reflex_net "
                f"(one gene per turned set); got {name} different from its turned twins"
            )
        return tied

    def layer_view(self, parameters: np.ndarray) -> dict[str, np.ndarray]:
        """Named views into (n, n_parameters) parameters (writable when ``parameters`` is):
        ``w_in`` (n, hidden, n_features), ``b_in`` (n, hidden), ``w_out`` (n, n_actions,
        hidden or n_features), ``b_out`` (n, n_actions) and, with hidden units, ``w_skip``
        (n, n_actions, n_features)."""
        nf, hidden, na = self.dims
        n = parameters.shape[0]
        if hidden == 0:
            return {
                "w_out": parameters[:, : na * nf].reshape(n, na, nf),
                "b_out": parameters[:, na * nf :],
            }
        a = hidden * nf
        b = a + hidden
        c = b + na * hidden
        d = c + na
        return {
            "w_in": parameters[:, :a].reshape(n, hidden, nf),
            "b_in": parameters[:, a:b],
            "w_out": parameters[:, b:c].reshape(n, na, hidden),
            "b_out": parameters[:, c:d],
            "w_skip": parameters[:, d:].reshape(n, na, nf),
        }

    def decode(self, genes: np.ndarray) -> Brains:
        n = genes.shape[0]
        return Brains(
            arch=np.full(n, NET, dtype=np.int8),
            table=np.zeros((n, self.n_observations), dtype=np.int8),
            weights=np.zeros((n, self.n_drives)),
            horizon=np.zeros(n, dtype=np.int64),
            gamma=np.ones(n),
            net=self.parameters(genes),
            net_dims=self.dims,
        )

    def input_weights(self, genes: np.ndarray) -> np.ndarray:
        """(n, n_features, width) the weights each feature enters the network with: into the
        hidden units and directly into the outputs (width hidden + n_actions), or into the
        outputs alone when ``hidden = 0``."""
        view = self.layer_view(self.parameters(genes))
        if not self.hidden:
            return np.swapaxes(view["w_out"], 1, 2)
        both = np.concatenate([view["w_in"], view["w_skip"]], axis=1)
        return np.swapaxes(both, 1, 2)

    def knock_out_feature(self, genes: np.ndarray, feature: str) -> np.ndarray:
        """A copy of (n, length) ``genes``, untied (:meth:`untie`: genes of :meth:`untied`),
        in which ``feature`` enters with weight exactly 0: the network acts as if that feature
        were never sensed (always 0). A tied network's knock-out breaks its tie (only this
        feature, not its turned twins, goes), so it is played as the untied network."""
        feature = check_choice("feature", feature, self.features)
        out = np.array(self.untie(genes), dtype=np.float64, copy=True)
        k = self.features.index(feature)
        nf, hidden, na = self.dims
        rows = hidden if hidden else na
        columns = [r * nf + k for r in range(rows)]
        if hidden:  # and its direct weights into the outputs, the genome's last block
            skip0 = self.n_parameters - na * nf
            columns += [skip0 + a * nf + k for a in range(na)]
        out[:, columns] = 0.5  # parameter = scale * (2 * gene - 1)
        return out

    def describe(self, genes: np.ndarray) -> dict[str, np.ndarray]:
        """``architecture`` and, per feature, ``sense[feature]``: the mean absolute weight it
        enters the network with (0: ignored)."""
        genes = self.checked(genes)
        w = np.abs(self.input_weights(genes)).mean(axis=2)
        traits: dict[str, np.ndarray] = {"architecture": np.full(genes.shape[0], NET)}
        for k, f in enumerate(self.features):
            traits[f"sense[{f}]"] = w[:, k]
        return traits
