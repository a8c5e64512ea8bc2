"""What ``evomesa run`` wraps around its work so that the machine's limits read as one line.

A full disk, a file-size limit (``ulimit -f``), a quota or no memory is not a bug of evomesa
nor of the user's flags, but it must still reach the user as the command line's one line
(status 2, :class:`~evomesa.errors.ConfigError`) saying what happened and where what was
finished is kept: the run folder's ``.NAME.kept-*`` (:class:`~evomesa.files.runfolder.RunNotSaved`)
or the checkpoints. Also the parsing of a saved command line (``--resume``) into a
ConfigError naming the file and field, and warnings printed as one line each.
"""

from __future__ import annotations

import argparse
import errno
import io
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from evomesa.errors import ConfigError, printable
from evomesa.files.runfolder import RunNotSaved, describe_failure

__all__ = [
    "RESOURCE_ERRNOS",
    "guard",
    "parse_saved",
    "resource_error",
    "warnings_as_lines",
]

#: errors that say the machine ran out of room rather than that something is wrong
RESOURCE_ERRNOS = frozenset(
    e for e in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None), errno.ENOMEM) if e
)


def resource_error(
    err: BaseException, doing: str, checkpoint: Path | None, out: Path
) -> BaseException:
    """``err`` as one line (a ConfigError) if it is a full disk, a file-size limit, a quota
    or no memory; any other error unchanged."""
    if isinstance(err, OSError) and err.errno not in RESOURCE_ERRNOS:
        return err
    if checkpoint is not None and checkpoint.exists():
        where = (
            f"the checkpoints written so far are in {checkpoint}; once there is room, resume "
            f"with: evomesa run --resume {out}"
        )
    else:
        where = "nothing was saved"
    return ConfigError(f"stopped while {doing}: {describe_failure(err)}; {where}")


@contextmanager
def guard(doing: str, checkpoint: Path | None, out: Path) -> Iterator[None]:
    """Turn a resource failure inside into one line naming what is kept (see module)."""
    try:
        yield
    except RunNotSaved as err:
        kept = f"; the checkpoints are in {checkpoint}" if checkpoint is not None else ""
        raise ConfigError(f"{err}{kept}") from None
    except (OSError, MemoryError) as err:
        converted = resource_error(err, doing, checkpoint, out)
        if converted is err:
            raise
        raise converted from None


@contextmanager
def warnings_as_lines() -> Iterator[None]:
    """Warnings raised inside as one line each on stderr (``evomesa: warning: ...``), not
    Python's two-line format with a source line."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                print(f"evomesa: warning: {printable(w.message, 1000)}", file=sys.stderr)


def parse_saved(
    parser: argparse.ArgumentParser, argv: Sequence[str], path: Path
) -> argparse.Namespace:
    """``argv`` (read from ``path``) parsed as ``run``'s command line; a ConfigError naming
    the file and field, instead of argparse's usage text, help or exit, when it is not one."""
    said, shown = io.StringIO(), io.StringIO()
    try:
        with redirect_stderr(said), redirect_stdout(shown):
            again = parser.parse_args(["run", *argv])
    except SystemExit:
        lines = said.getvalue().strip().splitlines()
        reason = lines[-1] if lines else "it asks for help, not for a run"
        raise ConfigError(
            f"--resume: {path} field 'argv' must be an 'evomesa run' command line; "
            f"{printable(reason, 200)}"
        ) from None
    if getattr(again, "resume", None) is not None:
        raise ConfigError(f"--resume: {path} field 'argv' must not itself ask to resume")
    return again
