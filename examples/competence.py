"""Does evolution find competent agents of each architecture? (issue "Reflexes worth comparing")

For each ``evomesa run`` folder given, prints one row per architecture: the final population's
mean training fitness over runs with its 95 % interval, the best individual's, a hand-set
competent agent's of the same architecture (:mod:`evomesa.handsets`, same information), and how
many runs had converged. Run::

    python examples/competence.py runs/contraception-seed0 runs/strawberry-seed0 ...
"""

from __future__ import annotations

import argparse

from evomesa.studies.competence import competence_of_run, competence_table


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="run folders written by evomesa run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the hand-set episodes")
    args = parser.parse_args(argv)
    rows = [row for folder in args.folders for row in competence_of_run(folder, args.seed)]
    table = competence_table(rows)
    print(table)
    return table


if __name__ == "__main__":
    main()
