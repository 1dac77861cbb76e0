"""Medical record numbers, reported when a label names them."""

from .. import entities as E
from ._base import LabelledIdRecognizer

LABELS = [
    "mrn", "medical record", "medical record number", "medical records number", "record number",
    "chart number", "chart no", "patient id", "patient number", "hospital number", "med rec",
]


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("MedicalRecordNumberRecognizer", E.MEDICAL_RECORD_NUMBER, LABELS, score=0.9)
