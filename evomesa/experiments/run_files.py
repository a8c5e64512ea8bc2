"""The names and shapes of the files in a run folder, shared by its writer and its readers.

What a run folder holds is listed in :mod:`evomesa.experiments.run_io` (which writes it);
:mod:`evomesa.experiments.run_check` reads it back. Both name the files and bound what they
read through this module, so a writer and a reader can never disagree about a name.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from evomesa.files.safe_read import read_npz

SUMMARY = "summary.json"
#: written instead of the figures when drawing them failed (with the reason)
FIGURES_FAILED = "figures_failed.txt"
#: the largest JSON file of a run folder that a reader parses
MAX_JSON = 256 * 2**20
#: a replicate's folder name (``replicate-R``, R without leading zeros)
REPLICATE = re.compile(r"replicate-(0|[1-9][0-9]{0,5})")


def read_rollouts(path: Path, n: int, d: int, what: str) -> dict[str, np.ndarray]:
    """A replicate's ``rollouts.npz`` (per-individual means over the training and deploy
    episodes), read strictly: ``n`` individuals' rows, ``d`` drives' signals.

    Parameters
    ----------
    path : Path
        The file, already checked to lie inside the run folder.
    n, d : int
        The population size and the number of the world's drives.
    what : str
        How errors name the file.

    Returns
    -------
    dict of str to ndarray
        ``train_signals`` and ``deploy_signals`` of shape ``(n, d)``, ``train_fitness`` and
        ``deploy_fitness`` of shape ``(n,)``.
    """
    return read_npz(
        path,
        {
            "train_signals": (n, d),
            "train_fitness": (n,),
            "deploy_signals": (n, d),
            "deploy_fitness": (n,),
        },
        what,
    )
