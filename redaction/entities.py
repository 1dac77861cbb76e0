"""The entity types this package reports, in one place.

Presidio's own names are kept where Presidio has one, so spans from its
built-in recognizers and ours can be compared and stored side by side.
"""

from __future__ import annotations

PERSON = "PERSON"
LOCATION = "LOCATION"  # cities, towns, counties: geography below state level
STREET_ADDRESS = "STREET_ADDRESS"
ZIP_CODE = "ZIP_CODE"
DATE_TIME = "DATE_TIME"  # a date element other than the year alone
AGE_OVER_89 = "AGE_OVER_89"
PHONE_NUMBER = "PHONE_NUMBER"  # phone and fax
EMAIL_ADDRESS = "EMAIL_ADDRESS"
US_SSN = "US_SSN"
MEDICAL_RECORD_NUMBER = "MEDICAL_RECORD_NUMBER"
HEALTH_PLAN_ID = "HEALTH_PLAN_ID"
ACCOUNT_NUMBER = "ACCOUNT_NUMBER"
CREDIT_CARD = "CREDIT_CARD"
LICENSE_NUMBER = "LICENSE_NUMBER"  # licences and certificates
VEHICLE_PLATE = "VEHICLE_PLATE"  # plates and VINs
DEVICE_SERIAL = "DEVICE_SERIAL"
URL = "URL"
IP_ADDRESS = "IP_ADDRESS"
FACILITY = "FACILITY"  # named hospitals, clinics, schools, employers

ENTITY_TYPES: tuple[str, ...] = (
    PERSON,
    LOCATION,
    STREET_ADDRESS,
    ZIP_CODE,
    DATE_TIME,
    AGE_OVER_89,
    PHONE_NUMBER,
    EMAIL_ADDRESS,
    US_SSN,
    MEDICAL_RECORD_NUMBER,
    HEALTH_PLAN_ID,
    ACCOUNT_NUMBER,
    CREDIT_CARD,
    LICENSE_NUMBER,
    VEHICLE_PLATE,
    DEVICE_SERIAL,
    URL,
    IP_ADDRESS,
    FACILITY,
)

# Types whose values are compared as digit strings (placeholders, leak check).
NUMERIC_TYPES: frozenset[str] = frozenset(
    {
        PHONE_NUMBER,
        US_SSN,
        MEDICAL_RECORD_NUMBER,
        HEALTH_PLAN_ID,
        ACCOUNT_NUMBER,
        CREDIT_CARD,
        ZIP_CODE,
        IP_ADDRESS,
    }
)

# Short tag used inside placeholders, e.g. [PERSON_1], [PHONE_2].
PLACEHOLDER_TAG: dict[str, str] = {
    PERSON: "PERSON",
    LOCATION: "LOCATION",
    STREET_ADDRESS: "ADDRESS",
    ZIP_CODE: "ZIP",
    DATE_TIME: "DATE",
    AGE_OVER_89: "AGE",
    PHONE_NUMBER: "PHONE",
    EMAIL_ADDRESS: "EMAIL",
    US_SSN: "SSN",
    MEDICAL_RECORD_NUMBER: "MRN",
    HEALTH_PLAN_ID: "HEALTH_PLAN_ID",
    ACCOUNT_NUMBER: "ACCOUNT",
    CREDIT_CARD: "CARD",
    LICENSE_NUMBER: "LICENSE",
    VEHICLE_PLATE: "PLATE",
    DEVICE_SERIAL: "DEVICE",
    URL: "URL",
    IP_ADDRESS: "IP",
    FACILITY: "FACILITY",
}
