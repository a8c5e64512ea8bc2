"""Hybrid genome: a switch gene, a reflex (a table or a network) and a planner, so evolution
picks the brain."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import NET, PLANNER, REFLEX, Brains
from evomesa.genomes.base import Genome
from evomesa.genomes.planner import PlannerGenome
from evomesa.genomes.reflex import ReflexGenome
from evomesa.genomes.reflex_net import ReflexNetGenome


class HybridGenome(Genome):
    """Genes: ``[switch, reflex genes..., planner genes...]``; switch >= 0.5 means planner.

    The reflex half is a lookup table (:class:`ReflexGenome`, the ``"hybrid"`` genome) or a
    network (:class:`ReflexNetGenome`).
    """

    kind = "hybrid"

    def __init__(self, reflex: ReflexGenome | ReflexNetGenome, planner: PlannerGenome) -> None:
        self.reflex = reflex
        self.planner = planner
        self._reflex_arch = NET if isinstance(reflex, ReflexNetGenome) else REFLEX

    @property
    def gene_names(self) -> tuple[str, ...]:
        return ("switch",) + self.reflex.gene_names + self.planner.gene_names

    @property
    def categorical(self) -> np.ndarray:
        return np.concatenate([[False], self.reflex.categorical, self.planner.categorical])

    def _split(self, genes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = 1 + self.reflex.length
        return genes[:, 0], genes[:, 1:r], genes[:, r:]

    def decode(self, genes: np.ndarray) -> Brains:
        switch, reflex_genes, planner_genes = self._split(genes)
        arch = np.where(switch >= 0.5, PLANNER, self._reflex_arch).astype(np.int8)
        p = self.planner.decode(planner_genes)
        r = self.reflex.decode(reflex_genes)
        # A reflex-switched individual carries its planner genes silently: it pays no brain cost.
        return Brains(
            arch=arch,
            table=r.table,
            weights=p.weights,
            horizon=np.where(arch == PLANNER, p.horizon, 0),
            gamma=p.gamma,
            net=r.net,
            net_dims=r.net_dims,
        )

    def knock_out(self, genes: np.ndarray, drive: str) -> np.ndarray:
        """A copy of ``genes`` with the planner part's ``drive`` weight set to 0."""
        out = np.array(self.checked(genes), dtype=np.float64, copy=True)
        r = 1 + self.reflex.length
        out[:, r:] = self.planner.knock_out(out[:, r:], drive)
        return out

    def describe(self, genes: np.ndarray) -> dict[str, np.ndarray]:
        """Planner traits of the planner-switched rows only (reflex rows carry unused,
        drifting planner genes), plus ``architecture`` (n,) for every row."""
        switch, _, planner_genes = self._split(self.checked(genes))
        arch = np.where(switch >= 0.5, PLANNER, self._reflex_arch).astype(np.int8)
        traits = self.planner.describe(planner_genes[arch == PLANNER])
        traits["architecture"] = arch
        return traits
