"""The shared decision kernels: reflex, planner and hybrid, with plain-Python twins.

Only this package reads decoded genes (:class:`Brains`). Worlds describe options and
observations and call :func:`~evomesa.agents.kernels.decide`; see
:mod:`evomesa.agents.kernels` for the decision rules.
"""

from evomesa.agents.brains import PLANNER, REFLEX, Brains

__all__ = ["PLANNER", "REFLEX", "Brains"]
