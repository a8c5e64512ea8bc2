"""The reflex network's hidden-unit function, written once for the kernel and its twin.

``squash(v) = sign(v) (1 - e) / (1 + e)`` with ``e = exp(-2 |v|)``: tanh, computed from one
``exp``. libm's ``tanh`` cost about 12 ns in a kernel and ``exp`` about 4 (one core,
throughput), and a network takes one per hidden unit per step (four by default in
contraception, six untied). The plain function here is the
Python twin's (:mod:`.reference`); :mod:`.network` compiles this same function, so both
compute the same operations on the same libm ``exp`` and agree to the bit. It differs from
``math.tanh`` by a few units in the last place, and gives +0.0 for an input of -0.0.
"""

from __future__ import annotations

import math


def squash(v: float) -> float:
    """tanh(v) through ``exp(-2 |v|)``: in [-1, 1], odd, exactly 1 once ``exp`` underflows."""
    e = math.exp(-2.0 * abs(v))
    t = (1.0 - e) / (1.0 + e)
    return t if v >= 0.0 else -t
