"""All recognizers, registered explicitly (no class discovery).

To add one: write a module with a ``build()`` function and append it below.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from . import (
    account,
    age,
    card,
    date,
    device,
    email,
    facility,
    health_plan,
    ip,
    license,
    location,
    mrn,
    ner,
    person_context,
    person_lexicon,
    person_slot,
    phone,
    speaker_label,
    ssn,
    street_address,
    url,
    vehicle,
    zip_code,
)
from ._lexicon import dictionary_words


def build_recognizers(nlp) -> list[EntityRecognizer]:
    """Fresh instances of every recognizer; ``nlp`` is the loaded spaCy model."""
    dictionary = dictionary_words(nlp)
    return [
        # names
        ner.NerRecognizer(dictionary),
        person_lexicon.PersonLexiconRecognizer(dictionary),
        person_context.PersonContextRecognizer(dictionary),
        person_slot.PersonSlotRecognizer(dictionary),
        speaker_label.build(),
        speaker_label.build_name_field(),
        # places
        street_address.build(),
        location.build(),
        zip_code.build(),
        zip_code.build_labelled(),
        facility.build(),
        # dates and ages
        date.build(),
        age.build(),
        # contact
        phone.build(),
        phone.SpokenPhoneRecognizer(),
        phone.build_labelled(),
        email.build(),
        url.build(),
        ip.build(),
        # numbers with labels
        ssn.build(),
        ssn.build_labelled(),
        mrn.build(),
        health_plan.build(),
        account.build(),
        account.build_iban(),
        card.build(),
        license.build(),
        vehicle.build(),
        vehicle.build_vin(),
        device.build(),
        device.build_mac(),
    ]
