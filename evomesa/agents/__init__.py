"""The shared decision kernels: reflex, planner and hybrid, with plain-Python twins.

Only this package reads decoded genes (:class:`Brains`). Worlds describe observations and
options and ask the agent (:func:`~evomesa.agents.kernels.react`,
:func:`~evomesa.agents.kernels.choose`); :mod:`evomesa.agents.kernels` states the decision
rules and :mod:`evomesa.agents.reference` is their plain-Python twin.
"""

from evomesa.agents.brains import PLANNER, REFLEX, Brains

__all__ = ["PLANNER", "REFLEX", "Brains"]
