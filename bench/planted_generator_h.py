"""Generator H: the held-out set of round 5 (session 15), written and committed before the speech
tagger was trained and before any figure on it was read. Other templates, other word-names
(weather, landscape, virtue and craft words on no list of generators A-G), other nicknames and
kin, Faker locales no other generator uses (bench/planted_speech.py). It plants only into the
odd-numbered AnnoMI transcripts: the tagger trains on the even-numbered ones, so H tests it on
speech it never read as well as on phrasings and names it never saw."""

from __future__ import annotations

import random

from planted_generators import _digits

H_WORD_NAMES = ("basil cove glory rain tansy unity vale zephyr clay forest heath lake harley story banks "
                "wolf fox stone arrow sky sunday ash bay merit").split()
H_NICKNAMES = "Chippy Bugsy Lottie Muffin Rascal Peaches Skeeter Duke Biscuit Sprout".split()
H_KIN = "godfather foster mum kid brother mother-in-law neighbour old teacher key worker twin".split(" ")
H_TEMPLATES = [
    ("name-word", "Client", "i keep thinking about what {n} told me."),
    ("name-word", "Client", "yeah {n} moved out in october and the house is dead quiet."),
    ("name-word", "Client", "sometimes i ring {n} just to hear a voice."),
    ("name-word", "Therapist", "And does {n} know how you feel about that?"),
    ("name-word", "Client", "the only person i trust is {n}, to be honest."),
    ("name-word", "Client", "so it's me, my {kin} {n} and the dog."),
    ("name-word", "Client", "{n} reckons i'm overthinking it."),
    ("name-word", "Client", "i was round at {n}'s when the police came."),
    ("nickname", "Client", "{nick} was the one who found me."),
    ("nickname", "Client", "i only really talk to {nick} these days."),
    ("vocative", "Therapist", "Okay, {voc}, shall we pick this up next week?"),
    ("vocative", "Client", "i don't know what to tell you, {voc}."),
    ("odd-name", "Client", "the nurse, {odd}, was really kind to me."),
    ("odd-name", "Therapist", "Would it help to bring {odd} into a session?"),
    ("age-words", "Client", "my great-aunt is {age} and lives on her own."),
    ("age-words", "Client", "grandad made it to {age}, can you believe it."),
    ("unit", "Client", "it's number {unit} in the tower block by the station."),
    ("unit", "Client", "they moved us to room {unit} at the refuge."),
    ("account-part", "Client", "it came out of the one ending {acct}."),
    ("account-part", "Client", "the bank said the last four were {acct}."),
    ("corner", "Client", "i sleep in the doorway at {corner} sometimes."),
    ("corner", "Client", "the clinic's just off {corner}."),
    ("phone", "Client", "my mobile's {phone} if you need it."),
    ("email", "Client", "they've got my email, it's {email}."),
    ("town", "Client", "we're originally from {city}."),
    ("date", "Client", "the tribunal is on {date}."),
]


def values_h(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(H_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Cromwell", "Hatton", "Lowther", "Pembroke", "Quarry", "6th", "8th", "Twelfth", "Ashby"], 2)
    return {
        "n": word, "kin": rng.choice(H_KIN), "nick": rng.choice(H_NICKNAMES),
        "voc": rng.choice(H_WORD_NAMES + H_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety-three", "ninety-nine", "a hundred and four", "98", "101"]),
        "unit": rng.choice([str(rng.randint(2, 120)), f"{rng.randint(1, 30)}{rng.choice('BCE')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("zero one two three four five six seven eight nine".split())
                                                      for _ in range(4))]),
        "corner": f"{a} and {b}",
        "phone": f"07{_digits(3, rng)} {_digits(3, rng)} {_digits(3, rng)}",
        "email": f"{faker.user_name()}@yahoo.co.uk", "city": faker.city(),
        "date": f"{rng.choice(['monday', 'friday', 'the 5th', 'the 30th'])} {rng.choice(['june', 'november', 'january'])}",
    }
