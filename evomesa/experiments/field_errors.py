"""ConfigErrors that name the file and the field, for the readers of a run folder.

Every check of a run folder fails the same way: ``FILE: field 'FIELD' must be ALLOWED; got
VALUE`` (:func:`fail`), the value shortened so that a crafted file cannot flood the terminal.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.files.manifest import MANIFEST


def short(x: Any) -> str:
    """``repr(x)``, cut to 80 characters."""
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(file: str, field: str, allowed: str, got: Any) -> ConfigError:
    """The error saying that ``field`` of ``file`` must be ``allowed`` and is ``got``."""
    return ConfigError(f"{file}: field {field!r} must be {allowed}; got {short(got)}")


def plain(obj: Any) -> Any:
    """``obj`` as it reads back from JSON (numpy scalars and tuples made plain)."""
    return json.loads(json.dumps(obj, default=float))


def finite(x: Any) -> bool:
    """Whether ``x`` is a finite int or float (not a bool)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def within(file: str, where: str, err: ConfigError) -> ConfigError:
    """``err`` about a field of a report (``d field 'x' ...`` or ``field 'x' ...``) as an
    error about that field of ``file`` (``file: field 'where.x' ...``)."""
    text = re.sub(r"^(d )?field '", f"field '{where}.", str(err), count=1)
    if text == str(err):
        text = f"{where}: {text}"
    return ConfigError(f"{file}: {text}")


def require_listed(folder: Path, files: dict, name: str) -> None:
    """Raise ConfigError unless the manifest's ``files`` list ``name``: only listed files
    are read."""
    if name not in files:
        raise ConfigError(f"{folder}/{MANIFEST} must list {name}; it does not")
