"""The shared decision kernels: reflex (table), reflex network, planner and hybrid, with
plain-Python twins.

Only this package reads decoded genes (:class:`Brains`). Worlds describe observations,
features and options and ask the agent (:func:`~evomesa.agents.kernels.react`,
:func:`~evomesa.agents.kernels.respond`, :func:`~evomesa.agents.kernels.choose`);
:mod:`evomesa.agents.kernels` states the decision rules and :mod:`evomesa.agents.reference` is
their plain-Python twin.
"""

from evomesa.agents.brains import NET, PLANNER, REFLEX, Brains

__all__ = ["NET", "PLANNER", "REFLEX", "Brains"]
