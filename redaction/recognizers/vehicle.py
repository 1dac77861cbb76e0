"""Vehicle identifiers: licence plates after a label, and 17-character VINs."""

from .. import entities as E
from ._base import LabelledIdRecognizer, Rule, RuleRecognizer

LABELS = ["plate", "plates", "license plate", "licence plate", "plate number", "tag number", "tags", "registration plate", "vin", "vin number", "vehicle id"]
# Plates mix letters and digits; one chunk of letters may stand alone.
# Any case: transcribers often lower-case everything ("the plate was szx 4583"); the label
# is the evidence, and at least two digits are required (min_digits) so "2 years" is not one.
PLATE_VALUE = r"(?=[A-Za-z0-9\-\s]{0,10}\d)[A-Za-z0-9]{1,4}(?:[\s\-]?[A-Za-z0-9]{1,4}){1,2}\b|[A-Za-z0-9]*\d[A-Za-z0-9]*\b"

VIN_RULES = [Rule("vin", r"\b(?-i:[A-HJ-NPR-Z0-9]{17})\b", 0.6, 0)]


def _valid_vin(value: str, match, text: str) -> bool:
    return sum(c.isdigit() for c in value) >= 5 and sum(c.isalpha() for c in value) >= 2


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("VehiclePlateRecognizer", E.VEHICLE_PLATE, LABELS, score=0.85, min_digits=2, value=PLATE_VALUE)


def build_vin() -> RuleRecognizer:
    return RuleRecognizer("VinRecognizer", E.VEHICLE_PLATE, VIN_RULES, context=["vin", "vehicle"], validator=_valid_vin)
