"""No data leaves the machine: environment hardening and a guard against network use.

Every `onprem` command calls `install_guard()` first. It sets the offline switches that common
ML libraries honour and adds an audit hook that refuses, before any packet is sent, every
attempt to reach anything but this machine:

* ``socket.connect`` / ``socket.sendto`` / ``socket.sendmsg`` to a non-loopback address,
* ``socket.getaddrinfo`` of a name that is not this machine (no DNS query leaves either),
* ``urllib.Request`` for a URL with a non-local host, ``http.client.connect`` to one.

The one exception is a site's own inference servers: the hosts of remote models registered with
`onprem models add-remote` (models/registry.json), and only those, are allowed too (`allow_hosts`).

The refusal names the code that tried (the innermost frame outside the standard library), so a
dependency that phones home fails loudly instead of leaking. Every attempt, refused or not, is
also kept in a short in-memory log (`attempts()`), which `onprem doctor` and the tests read.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import sysconfig
import traceback
from dataclasses import dataclass
from urllib.parse import urlsplit

# Forced, not defaulted: a user's HF_HUB_OFFLINE=0 must not switch the network back on.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    "ANONYMIZED_TELEMETRY": "False",
}
# Quietens spaCy's version-mismatch warning about the pinned English model; a user value wins.
QUIET_ENV = {"SPACY_WARNING_IGNORE": "W095"}

NETWORK_EVENTS = ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                  "urllib.Request", "http.client.connect")

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
_STDLIB = tuple({os.path.normcase(sysconfig.get_paths()[k]) + os.sep for k in ("stdlib", "platstdlib")})
_MAX_LOG = 200
_installed = False


class NetworkBlocked(RuntimeError):
    """Raised inside the code that tried to reach the network."""


@dataclass(frozen=True)
class Attempt:
    event: str       # the audit event, e.g. socket.connect
    target: str      # host (and port or URL) it was aimed at
    caller: str      # file:line (function) of the code that tried
    blocked: bool


_log: list[Attempt] = []
# Hosts (names and the addresses they resolve to) of the site's registered inference servers.
_allowed: set[str] = set()


def _norm(host) -> str:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    return str(host).strip().strip("[]").lower().split("%")[0]


def allow_hosts(hosts) -> None:
    """Let connections through to these hosts (a registered pool's servers). A name is resolved
    once here (the guard lets that lookup through) so the connection to its address passes too."""
    import socket

    for host in hosts:
        h = _norm(host)
        if not h or h in _allowed:
            continue
        _allowed.add(h)
        try:
            _allowed.update(_norm(info[4][0]) for info in socket.getaddrinfo(h, None))
        except OSError:
            pass  # unresolvable now: opening the model names it as unreachable


def resolve(host: str) -> list[str]:
    """The addresses of a name a person gave (to judge whether it is the site's own), looked up
    once with the guard's leave; [] when it does not resolve. The name is not allowed afterwards."""
    import socket

    h = _norm(host)
    added = h not in _allowed
    _allowed.add(h)
    try:
        return sorted({_norm(info[4][0]) for info in socket.getaddrinfo(h, None)})
    except OSError:
        return []
    finally:
        if added:
            _allowed.discard(h)


def allowed_hosts() -> list[str]:
    return sorted(_allowed)


def attempts() -> list[Attempt]:
    """Network attempts seen since start-up (most recent last, at most 200)."""
    return list(_log)


def is_permitted(host) -> bool:
    """This machine, or a registered inference server."""
    return is_local(host) or (host is not None and _norm(host) in _allowed)


def is_local(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip().strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _outside_stdlib(filename: str) -> bool:
    f = os.path.normcase(filename)
    if "site-packages" in f or "dist-packages" in f:
        return True
    return not f.startswith(_STDLIB) and not f.startswith("<frozen")


def caller() -> str:
    """Who tried: the innermost frame that is neither this module nor the standard library (the
    library or application code that asked), else the innermost frame outside this module."""
    frames = [f for f in reversed(traceback.extract_stack()) if not f.filename.endswith(os.sep + "offline.py")]
    for f in frames:
        if _outside_stdlib(f.filename):
            return f"{f.filename}:{f.lineno} ({f.name})"
    return f"{frames[0].filename}:{frames[0].lineno} ({frames[0].name})" if frames else "unknown code"


def _target(event: str, args: tuple) -> tuple[str, bool] | None:
    """(what was aimed at, whether it is this machine) for a network event, else None."""
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        if not isinstance(address, tuple):        # AF_UNIX paths, or sendmsg on a connected socket
            return None
        return f"{address[0]}:{address[1]}" if len(address) > 1 else str(address[0]), is_permitted(address[0])
    if event == "socket.getaddrinfo":
        return f"{args[0]}:{args[1]}" if args[1] else str(args[0]), is_permitted(args[0])
    if event == "urllib.Request":
        url = str(args[0])
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", ""):
            return url, True
        return url, is_permitted(parts.hostname)
    if event == "http.client.connect":
        return f"{args[1]}:{args[2]}", is_permitted(args[1])
    return None


def _hook(event: str, args: tuple) -> None:
    if event not in NETWORK_EVENTS:
        return
    found = _target(event, args)
    if found is None:
        return
    target, local = found
    who = caller()
    if len(_log) >= _MAX_LOG:
        del _log[0]
    _log.append(Attempt(event, target, who, blocked=not local))
    if not local:
        raise NetworkBlocked(f"onprem is offline: blocked {event} to {target} from {who}")


# What the user's environment said before the tool forced its values (for `onprem doctor`).
overridden: dict[str, str] = {}
PRIVATE_UMASK = 0o077


def harden_environment() -> None:
    """Offline switches for every library, and owner-only files: with umask 077 everything the tool
    creates (database, side files, exports, redacted copies, models, registry) is 0600/0700."""
    for key, value in OFFLINE_ENV.items():
        if os.environ.get(key, value) != value:
            overridden.setdefault(key, os.environ[key])
        os.environ[key] = value
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    os.umask(PRIVATE_UMASK)


def install_guard() -> None:
    """Idempotent; audit hooks cannot be removed, which is the point."""
    global _installed
    harden_environment()
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
        allow_hosts(registered_hosts())


def registered_hosts() -> list[str]:
    """Hosts of the remote models in the registry (an unreadable registry allows nothing). Read as
    plain JSON: the registry's pydantic models cost 0.12 s, and every command starts here."""
    import json
    from urllib.parse import urlsplit

    from onprem import config

    path = config.registry_path()
    try:
        models = json.loads(path.read_text(encoding="utf-8")).get("models", {}) if path.exists() else {}
        urls = [u for e in models.values() for u in e.get("urls", [])]
    except (OSError, ValueError, AttributeError, TypeError):
        return []
    if not all(isinstance(u, str) for u in urls):
        return []
    return sorted({urlsplit(u).hostname or "" for u in urls} - {""})


def guard_active() -> bool:
    """True when the hook is installed and refuses a (simulated) connection to a public address.
    Only the audit event is raised: no socket is created and no packet is sent."""
    if not _installed:
        return False
    try:
        sys.audit("socket.connect", None, ("192.0.2.1", 9))   # TEST-NET-1, never routed
    except NetworkBlocked:
        if _log and _log[-1].target == "192.0.2.1:9":
            del _log[-1]   # the self-test is not an attempt by any code
        return True
    return False
