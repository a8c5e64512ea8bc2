"""``python -m evomesa``: the ``evomesa`` command line."""

import sys

from evomesa.cli import main

sys.exit(main())
