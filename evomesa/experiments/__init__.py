"""Replicated experiments, sweeps, run folders and progress reporting."""
