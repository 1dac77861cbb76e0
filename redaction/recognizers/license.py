"""Licence and certificate numbers: driver's licence, professional licences,
DEA/NPI numbers, passport, certificates."""

from .. import entities as E
from ._base import LabelledIdRecognizer

LABELS = [
    "license number", "licence number", "license no", "licence no", "license", "licence",
    "driver's license", "drivers license", "driver's licence", "driving licence", "dl",
    "certificate number", "certificate no", "certification number", "cert number", "permit number",
    "dea number", "dea", "npi", "npi number", "passport", "passport number", "registration number",
    "badge number", "id number", "state id",
]


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("LicenseNumberRecognizer", E.LICENSE_NUMBER, LABELS, score=0.85, min_digits=3)
