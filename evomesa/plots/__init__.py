"""matplotlib figures of runs, drift reports and sweeps."""
