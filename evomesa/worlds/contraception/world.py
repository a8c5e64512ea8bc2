"""``ContraceptionWorld``: the declarations; the rules are in :mod:`.rules`, the kernel in
:mod:`.kernel`."""

from __future__ import annotations

import numpy as np

from evomesa.errors import ConfigError
from evomesa.worlds.base import World
from evomesa.worlds.contraception.kernel import rollout_batch
from evomesa.worlds.contraception.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FEATURES,
    FLOAT_KEYS,
    INT_KEYS,
    OFFSPRING,
    PARAMETERS,
    REGIMES,
    TOIL,
)
from evomesa.worlds.contraception.rules import ContraceptionRules
from evomesa.worlds.registry import register


@register
class ContraceptionWorld(World):
    """Grid world where a sex drive stops serving reproduction once contraception arrives.

    See :mod:`evomesa.worlds.contraception` for the rules.
    """

    name = "contraception"
    regimes = tuple(REGIMES)
    default_shift = DEFAULT_SHIFT
    drives = DRIVES
    # Both follow from births alone (a birth, and the rearing it brings): neither can be had
    # without children, so neither is a proxy that could drift from them.
    aligned_drives = ("offspring", "toil")
    factors = FACTORS
    features = FEATURES
    turns_with_moves = True  # a torus, senses relative to the cell, ties by random rank
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS

    rules = ContraceptionRules
    kernel = staticmethod(rollout_batch)

    def _check_together(self, values: dict) -> None:
        if values["start_energy"] > values["max_energy"]:
            raise ConfigError(
                f"start_energy must be in (0, max_energy={values['max_energy']}]; "
                f"got {values['start_energy']!r}"
            )
        cells = values["width"] * values["height"]
        items = values["n_fruit"] + values["n_mates"] + values["n_junk"]
        if items > cells // 2:
            raise ConfigError(
                f"n_fruit + n_mates + n_junk must be at most half the cells "
                f"(width*height//2 = {cells // 2}); got {items}"
            )

    @property
    def max_horizon(self) -> int:
        return int(self.params["max_horizon"])

    @property
    def signal_delays(self) -> np.ndarray:
        """Eating and mating are felt at once; a birth, and the rearing that follows, come
        ``gestation`` steps after the mating at the earliest."""
        delays = np.zeros(len(DRIVES), dtype=np.int64)
        delays[[OFFSPRING, TOIL]] = int(self.params["gestation"])
        return delays

    @property
    def drive_scales(self) -> np.ndarray:
        """A fruit's worth of satiety and of sweetness, one act, one child, one child's rearing:
        planner weights then live on one scale. A drive whose typical signal is 0 (a world
        without sweetness or rearing costs) keeps the scale 1."""
        p = self.params
        scales = np.array(
            [
                p["fruit_energy"],
                p["fruit_sweet"],
                1.0,
                1.0,
                p["rear_cost"] * p["rear_time"],
            ],
            dtype=np.float64,
        )
        return np.where(scales > 0.0, scales, 1.0)

    def regime_table(self) -> tuple[np.ndarray, np.ndarray]:
        """(n_regimes,) int64 junk items and (n_regimes,) float64 contraception share of every
        regime, in ``regimes`` order."""
        junk = [int(self.params["n_junk"]) if j else 0 for j, _ in REGIMES.values()]
        share = [
            float(self.params["contraception_share"]) if c else 0.0 for _, c in REGIMES.values()
        ]
        return np.array(junk, dtype=np.int64), np.array(share, dtype=np.float64)

    def kernel_args(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The int and float parameter vectors (``params.INT_KEYS``/``FLOAT_KEYS``), then the
        junk items and contraception share of every regime."""
        ip = np.array([self.params[k] for k in INT_KEYS], dtype=np.int64)
        fp = np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64)
        return (ip, fp, *self.regime_table())
