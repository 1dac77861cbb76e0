"""All recognizers, registered explicitly (no class discovery).

To add one: write a module with a ``build()`` function and append it below.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from . import (
    account,
    account_tail,
    age,
    card,
    date,
    device,
    email,
    facility,
    health_plan,
    intersection,
    ip,
    license,
    location,
    mrn,
    ner,
    person_context,
    person_lexicon,
    person_role_slot,
    person_slot,
    person_unknown,
    person_word_slot,
    phone,
    speaker_label,
    speech_tagger,
    ssn,
    street_address,
    unit_number,
    url,
    vehicle,
    zip_code,
)
from ._lexicon import dictionary_words


def build_recognizers(nlp) -> list[EntityRecognizer]:
    """Fresh instances of every recognizer; ``nlp`` is the loaded spaCy model."""
    dictionary = dictionary_words(nlp)
    slot = person_slot.PersonSlotRecognizer(dictionary)
    return [
        # names
        ner.NerRecognizer(dictionary),
        person_lexicon.PersonLexiconRecognizer(dictionary),
        person_context.PersonContextRecognizer(dictionary),
        slot,
        person_word_slot.PersonWordSlotRecognizer(slot._unknown),
        person_role_slot.PersonRoleSlotRecognizer(),
        person_unknown.UnknownCapitalisedRecognizer(slot._unknown),
        speech_tagger.SpeechTaggerRecognizer(dictionary),
        speaker_label.build(),
        speaker_label.build_name_field(),
        # places
        street_address.build(),
        unit_number.build(),
        intersection.build(),
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
        account_tail.build(),
        card.build(),
        license.build(),
        vehicle.build(),
        vehicle.build_vin(),
        device.build(),
        device.build_mac(),
    ]
