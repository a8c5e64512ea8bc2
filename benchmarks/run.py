"""Run the evomesa benchmark suite without the console script: same as ``evomesa bench``.

Usage (from the repository root)::

    python benchmarks/run.py            # full sizes, a few minutes
    python benchmarks/run.py --quick    # smoke-test sizes, seconds
    python benchmarks/run.py --out DIR  # where bench.json, bench.md, throughput.png go

See benchmarks/README.md for what is measured.
"""

import sys

from evomesa.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
