"""Dask scheduler addresses, checked by evomesa before Dask sees them.

Given a malformed address, Dask raises its own errors from deep inside its comm layer
(``ValueError: invalid literal for int()``, ``socket.gaierror``...), and given a well-formed
address where nobody listens it retries for its whole connect timeout. So an address is
parsed here first (:func:`check_scheduler_address`), and a TCP-based one is probed with a
short connect (:func:`probe_scheduler`): both end in one :class:`~evomesa.errors.ConfigError`
that names the option, what is allowed and what was given.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Any

from evomesa.errors import ConfigError, printable

#: the comm schemes of ``distributed`` (``distributed.comm.registry.backends``)
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
#: the port Dask assumes when an address names none
DEFAULT_PORT = 8786
#: seconds a probe waits for the scheduler's port to answer
PROBE_TIMEOUT = 5.0

_ALLOWED = (
    "a Dask scheduler address: [SCHEME://]HOST[:PORT], SCHEME one of "
    f"{', '.join(SCHEMES)} (default tcp), HOST a host name or an IP address (IPv6 in "
    "brackets), PORT 1..65535, no spaces"
)
#: a DNS name (RFC 1123 labels; underscores too, as container names use them)
_LABEL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


def _bad(option: str, given: Any, why: str = "") -> ConfigError:
    shown = printable(repr(given) if isinstance(given, str) else given, 120)
    return ConfigError(f"{option} must be {_ALLOWED}; got {shown}{why}")


def _host(option: str, address: str, host: str) -> str:
    if host.startswith("["):
        try:
            return str(ipaddress.IPv6Address(host[1:-1]))
        except ValueError:
            raise _bad(option, address, f" ({host} is not an IPv6 address)") from None
    if len(host) > 253 or not host:
        raise _bad(option, address, " (no host)" if not host else " (host name too long)")
    if not all(_LABEL.fullmatch(label) for label in host.split(".")):
        raise _bad(option, address, f" ({host!r} is not a host name)")
    return host


def _port(option: str, address: str, text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise _bad(option, address, f" (port {text!r} is not 1..65535)")
    return int(text)


def split_address(address: Any, option: str = "--scheduler") -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of a scheduler address, or ConfigError naming ``option``.

    For ``inproc`` (an address within this very process) ``host`` is the rest of the
    address and ``port`` None. A missing scheme is ``tcp``, a missing port
    :data:`DEFAULT_PORT` (as Dask reads them).
    """
    if not isinstance(address, str):
        raise _bad(option, address if address is None else type(address).__name__)
    if not address or len(address) > 300 or any(c.isspace() for c in address):
        raise _bad(option, address)
    if not address.isprintable() or not address.isascii():
        raise _bad(option, address, " (only printable ASCII)")
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    if "://" in rest:
        raise _bad(option, address, " (one scheme at most)")
    if scheme not in SCHEMES:
        raise _bad(option, address, f" (unknown scheme {scheme!r})")
    if scheme == "inproc":
        if not rest:
            raise _bad(option, address, " (nothing after inproc://)")
        return scheme, rest, None
    if "/" in rest:
        raise _bad(option, address, " (no path after HOST:PORT)")
    if rest.startswith("["):
        host, bracket, tail = rest.partition("]")
        if not bracket:
            raise _bad(option, address, " (an IPv6 address needs its closing ])")
        host += "]"
        if tail and not tail.startswith(":"):
            raise _bad(option, address, " (only :PORT may follow an IPv6 address)")
        port_text = tail[1:] if tail else None
    elif rest.count(":") > 1:
        raise _bad(option, address, " (an IPv6 address must be in brackets: [::1]:8786)")
    else:
        host, colon, port_text = rest.partition(":")
        port_text = port_text if colon else None
    host = _host(option, address, host)
    port = DEFAULT_PORT if port_text is None else _port(option, address, port_text)
    return scheme, host, port


def check_scheduler_address(address: Any, option: str = "--scheduler") -> str:
    """``address`` if it is a well-formed Dask scheduler address, else ConfigError."""
    split_address(address, option)
    return address


def probe_scheduler(address: str, option: str = "--scheduler") -> None:
    """ConfigError at once if nobody accepts connections at ``address``'s host and port.

    Only for schemes over TCP (tcp, tls, ws, wss); the connection is closed again at once.
    """
    scheme, host, port = split_address(address, option)
    if scheme not in ("tcp", "tls", "ws", "wss"):
        return
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            pass
    except (OSError, UnicodeError) as err:
        why = "no answer" if isinstance(err, TimeoutError) else err.strerror or str(err)
        raise ConfigError(
            f"{option} must be the address of a running Dask scheduler; nobody accepts "
            f"connections at {printable(address, 120)!r} ({printable(why, 120)})"
        ) from None
