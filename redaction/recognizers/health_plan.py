"""Health-plan beneficiary numbers: member, subscriber, policy, group, Medicaid/Medicare IDs."""

from .. import entities as E
from ._base import LabelledIdRecognizer

LABELS = [
    "member id", "member number", "member no", "membership number", "subscriber id",
    "subscriber number", "policy number", "policy no", "policy id", "group number", "group id",
    "insurance id", "insurance number", "insurance card number", "health plan id",
    "health plan number", "plan id", "beneficiary id", "beneficiary number", "medicaid",
    "medicaid number", "medicaid id", "medicare", "medicare number", "medicare id", "mbi",
    "medi-cal", "medical card number",
]


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("HealthPlanIdRecognizer", E.HEALTH_PLAN_ID, LABELS, score=0.9)
