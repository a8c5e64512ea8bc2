"""Files: atomic writes, safe reading of hostile files, run-folder primitives."""
