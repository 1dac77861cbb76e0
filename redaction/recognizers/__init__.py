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
        speaker_label.build(),
        # places
        street_address.build(),
        location.build(),
        zip_code.build(),
        facility.build(),
        # dates and ages
        date.build(),
        age.build(),
        # contact
        phone.build(),
        phone.SpokenPhoneRecognizer(),
        email.build(),
        url.build(),
        ip.build(),
        # numbers with labels
        ssn.build(),
        ssn.build_labelled(),
        mrn.build(),
        health_plan.build(),
        account.build(),
        card.build(),
        license.build(),
        vehicle.build(),
        vehicle.build_vin(),
        device.build(),
        device.build_mac(),
    ]
