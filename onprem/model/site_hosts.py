"""Registered servers are the site's own: which hosts `models add-remote` accepts, and how a key
may travel to them.

A remote model's hosts get through onprem's network guard, and every transcript page goes to them,
so by default only this machine and the site's private network qualify: loopback, the private
ranges (RFC 1918, RFC 4193 unique-local, RFC 6598 shared) and names that resolve only to those. A
public host needs `--allow-public`, recorded in the registry. A key sent over plain `http://` to
another machine can be read on the wire: that needs `--insecure-http` (loopback excepted). The key
file must be its owner's only.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from onprem.errors import UserError

# The site's own network. Python's `is_private` also counts documentation and reserved ranges,
# which are no site's servers, so the ranges are named here.
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"))


@dataclass(frozen=True)
class Host:
    url: str
    host: str
    scheme: str
    reach: str            # loopback | private | public
    addresses: tuple[str, ...]


def reach_of(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.is_loopback:
        return "loopback"
    if any(ip in net for net in PRIVATE_NETWORKS if net.version == ip.version):
        return "private"
    return "public"


def classify(url: str, resolve=None) -> Host:
    """Where a server URL points. An address is read as it is; a name is resolved (through
    `resolve(name) -> [address]`) and counts as its widest reach: a name with any public address is
    public."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise UserError(f"{url}: no host in this URL; give e.g. http://gpu1:8080")
    try:
        addresses = (str(ipaddress.ip_address(host)),)
    except ValueError:
        from onprem import offline

        addresses = tuple(resolve(host) if resolve else offline.resolve(host))
        if not addresses:
            raise UserError(f"{url}: the name {host} does not resolve here; check it, or give the address") from None
    order = ("loopback", "private", "public")
    reach = max((reach_of(a) for a in addresses), key=order.index)
    return Host(url, host, parts.scheme, reach, addresses)


def check(urls: list[str], *, api_key_file: Path | None, allow_public: bool, insecure_http: bool,
          resolve=None) -> list[Host]:
    """The hosts, or one error naming the first URL (or key file) that breaks the policy."""
    hosts = [classify(u, resolve) for u in urls]
    for h in hosts:
        if h.reach == "public" and not allow_public:
            raise UserError(f"{h.url}: {h.host} is a public address ({', '.join(h.addresses)}), not the site's own "
                            f"network; transcripts would leave it. Give a loopback or private-range server, or "
                            f"--allow-public if the site's rules cover this host (recorded in the registry)")
        if h.scheme == "http" and api_key_file is not None and h.reach != "loopback" and not insecure_http:
            raise UserError(f"{h.url}: plain http:// would send the API key in clear to {h.host}; use https://, "
                            f"or --insecure-http if the network between is trusted (recorded in the registry)")
    if api_key_file is not None:
        check_key_file(api_key_file)
    return hosts


def check_key_file(path: Path) -> None:
    try:
        st = os.stat(path)
    except OSError as e:
        raise UserError(f"{path}: cannot read the API key file ({e.strerror})") from None
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        raise UserError(f"{path}: the API key file is readable by others (mode {mode:o}); run `chmod 600 {path}`")
