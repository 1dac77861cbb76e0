"""Device identifiers and serial numbers (pumps, pacemakers, phones: IMEI, MAC)."""

from .. import entities as E
from ._base import LabelledIdRecognizer, Rule, RuleRecognizer

LABELS = [
    "serial", "serial number", "serial no", "s/n", "sn", "device id", "device number", "imei",
    "udi", "model number", "pump id", "pacemaker id", "hearing aid serial", "asset tag",
]
MAC_RULES = [Rule("mac address", r"\b(?:[0-9A-Fa-f]{2}[:\-]){5}[0-9A-Fa-f]{2}\b", 0.8, 0)]


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("DeviceSerialRecognizer", E.DEVICE_SERIAL, LABELS, score=0.85, min_digits=3)


def build_mac() -> RuleRecognizer:
    return RuleRecognizer("MacAddressRecognizer", E.DEVICE_SERIAL, MAC_RULES, context=["mac", "device"])
