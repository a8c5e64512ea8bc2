"""The fuzz suites' shared budget: fixed, derandomized hypothesis settings.

Every ``tests/test_fuzz*.py`` file draws its inputs under :func:`fuzz`, so that CI runs the
same inputs every time within a known cost. ``EVOMESA_FUZZ_EXAMPLES`` multiplies every
budget for a longer local hunt, and ``EVOMESA_FUZZ_RANDOM=1`` draws fresh inputs instead of
the fixed ones.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
