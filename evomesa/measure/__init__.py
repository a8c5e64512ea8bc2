"""Measuring populations: evaluation in a regime, drift between two, drive knock-outs.

Worlds, genomes and metrics meet here (DESIGN section 7).
"""
