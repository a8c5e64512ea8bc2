"""The private layout of an agent's two arrays, shared by :mod:`.kernels` and :mod:`.network`
(the only modules that open an agent)."""

from __future__ import annotations

from numba import njit

from evomesa.rng import randint_at

# Private layout of an agent.
#   mind  float64: [w_0 .. w_{d-1}, cum_0 .. cum_{H+1}, net parameters, features, hidden units,
#                  outputs, each hidden unit's last input to tanh, and its tanh]
#                  cum_k = sum_{t<k} gamma**t; the net's weight matrices are stored transposed
#                  (see _load_net)
#   state int64:   [arch, H, offset of cum_0 in mind, random stream state, offset of the net
#                   in mind, offset of the features in mind, n_features, hidden, n_actions,
#                   offset of the support in state (-1: none), table_0 .. table_{n_obs-1},
#                   support_0 .. support_{n_features * FEATURE_BINS - 1}]
_W0 = 0
_ARCH, _H, _CUM0, _RNG, _NET0, _FEAT0, _NF, _HID, _NA, _SUP0, _TABLE0 = range(11)


@njit(cache=True, nogil=True)
def _randint(state, n) -> int:
    """A draw in [0, n) from the agent's stream, kept in ``state``."""
    return randint_at(state, _RNG, n)
