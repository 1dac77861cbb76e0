"""No data leaves the machine: environment hardening and a guard against network use.

Every `onprem` command calls `install_guard()` first. It sets the offline switches that common
ML libraries honour and adds an audit hook that refuses socket connections and name lookups for
anything but this machine, naming the code that tried, so a dependency that phones home fails
loudly instead of leaking.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import traceback

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "SPACY_WARNING_IGNORE": "W095",
}

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}
_installed = False


class NetworkBlocked(RuntimeError):
    pass


def is_local(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip("[]")
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _caller() -> str:
    """The innermost frame outside this module and the socket machinery: who tried."""
    for frame in reversed(traceback.extract_stack()[:-3]):
        if not frame.filename.endswith(("offline.py", "socket.py")):
            return f"{frame.filename}:{frame.lineno}"
    return "unknown code"


def _hook(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else None  # AF_UNIX paths are local
        if not is_local(host):
            raise NetworkBlocked(f"onprem is offline: blocked a connection to {host} from {_caller()}")
    elif event == "socket.getaddrinfo":
        if not is_local(args[0]):
            raise NetworkBlocked(f"onprem is offline: blocked a lookup of {args[0]!r} from {_caller()}")


def install_guard() -> None:
    """Idempotent; audit hooks cannot be removed, which is the point."""
    global _installed
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
