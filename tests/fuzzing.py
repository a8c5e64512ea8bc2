"""The fuzz suites' shared budget: fixed, derandomized hypothesis settings.

Every ``tests/test_fuzz*.py`` file draws its inputs under :func:`fuzz`, so that CI runs the
same inputs every time within a known cost. ``EVOMESA_FUZZ_EXAMPLES`` multiplies every
budget for a longer local hunt, and ``EVOMESA_FUZZ_RANDOM=1`` draws fresh inputs instead of
the fixed ones.
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALE = float(os.environ.get("EVOMESA_FUZZ_EXAMPLES", "1"))


def fuzz(examples: int) -> settings:
    """Hypothesis settings for ``examples`` inputs (times ``EVOMESA_FUZZ_EXAMPLES``),
    derandomized unless ``EVOMESA_FUZZ_RANDOM`` is set, with no deadline or database."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        derandomize="EVOMESA_FUZZ_RANDOM" not in os.environ,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def hostile_scalars(*extra: st.SearchStrategy) -> st.SearchStrategy:
    """Single values a hostile user hands evomesa: None, bools, ints far beyond any range,
    NaN and infinities, complex numbers, text, bytes and numpy scalars; ``extra`` strategies
    are drawn from too (placed after the text, so a suite adding none draws what it always
    drew)."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.integers(-3, 12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(-2.0, 2.0),
        st.complex_numbers(max_magnitude=10),
        st.text(max_size=6),
        *extra,
        st.binary(max_size=3),
        st.sampled_from([np.int64(3), np.float32(0.5), np.nan, np.bool_(True), np.uint8(200)]),
    )
