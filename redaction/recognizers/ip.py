"""IPv4 and IPv6 addresses, checked with the standard library."""

from __future__ import annotations

import ipaddress

from .. import entities as E
from ._base import Rule, RuleRecognizer

RULES = [
    Rule("ipv4", r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)", 0.7, 0),
    # Any run of hex digits and at least two colons; ipaddress decides.
    Rule("ipv6", r"(?<![\w:])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{3,39}(?![\w:])", 0.7, 0),
]


def _validate(value: str, match, text: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def build() -> RuleRecognizer:
    return RuleRecognizer("IpAddressRecognizer", E.IP_ADDRESS, RULES, context=["ip", "address", "server"], validator=_validate)
