"""Measuring populations: evaluation in a regime, drift between two, knock-outs.

Worlds, genomes and metrics meet here (DESIGN section 7): ``evaluate`` plays a population in
one regime; ``shift`` names what a drift measurement crosses (train and deploy regime and
world), checked once; ``population`` picks and checks the genes measured; ``drift`` is
``em.measure_drift`` and the rollouts it is made of; ``knockouts`` asks whether a part of the
brains (a planner's drive, a network's feature, a table's factor) is under selection;
``deception`` classifies behaviour in the deception world.
"""
