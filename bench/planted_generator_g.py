"""Generator G: the held-out set of round 4 (session 14), written before the recognizers were
changed and before any figure on it was read. Other templates, other word-names (nature, virtue,
pop-culture and object words on no list the recognizers use), other nicknames and kin, other Faker
locales (bench/planted_speech.py) than generators A-F."""

from __future__ import annotations

import random

from planted_generators import _digits

G_WORD_NAMES = ("aspen brook clover echo fable gale hollis journey kestrel lennox meadow nova oakley "
                "pepper quill ripley sparrow tinsel valor yarrow bramble comet marley piper").split()
G_NICKNAMES = "Boo Dodge Fudge Kipper Lolly Noodle Scrappy Tink Bingo Pixie".split()
G_KIN = "stepdaughter granddad half-sister carer support worker best mate".split(" ")
G_TEMPLATES = [
    ("name-word", "Client", "honestly {n} is the only one who gets it."),
    ("name-word", "Client", "i went round to see {n} on sunday."),
    ("name-word", "Client", "me and {n} haven't spoken since christmas."),
    ("name-word", "Client", "{n} said i should just leave him."),
    ("name-word", "Client", "i miss {n} so much it hurts."),
    ("name-word", "Therapist", "How did {n} react when you told them?"),
    ("name-word", "Client", "my {kin}, {n}, drove me here today."),
    ("name-word", "Client", "it was {n}'s idea to come to counselling."),
    ("nickname", "Client", "we all call him {nick}, even his teachers."),
    ("nickname", "Client", "{nick} keeps texting me at 3 am."),
    ("vocative", "Therapist", "I hear you, {voc}. That sounds exhausting."),
    ("vocative", "Client", "look, {voc}, i'm trying my best."),
    ("odd-name", "Client", "my probation officer is {odd}."),
    ("odd-name", "Therapist", "You mentioned {odd} last week."),
    ("age-words", "Client", "nan just turned {age} and she still does the crossword."),
    ("age-words", "Client", "he's {age} now and can't manage the stairs."),
    ("unit", "Client", "we're in block c, flat {unit}."),
    ("unit", "Client", "my room's {unit} on the second floor of the hostel."),
    ("account-part", "Client", "the direct debit is off the card ending in {acct}."),
    ("account-part", "Client", "it's the account that ends {acct}, the joint one."),
    ("corner", "Client", "there's a food bank on {corner}."),
    ("corner", "Client", "we used to hang out where {corner} meet."),
    ("phone", "Client", "you can reach my sister on {phone}."),
    ("email", "Therapist", "I'll send the worksheet to {email}."),
    ("town", "Client", "i was born in {city} but never went back."),
    ("date", "Client", "my court date is {date}."),
]


def values_g(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(G_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Albion", "Kingsway", "Mercer", "Thornbury", "Ferris", "9th", "4th", "Eleventh", "Beacon"], 2)
    return {
        "n": word, "kin": rng.choice(G_KIN), "nick": rng.choice(G_NICKNAMES),
        "voc": rng.choice(G_WORD_NAMES + G_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety-two", "ninety-six", "a hundred and one", "97", "104"]),
        "unit": rng.choice([str(rng.randint(3, 90)), f"{rng.randint(1, 20)}{rng.choice('ABD')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("oh one two three four five six seven eight nine".split())
                                                      for _ in range(4))]),
        "corner": f"{a} and {b}",
        "phone": f"0{_digits(4, rng)} {_digits(6, rng)}",
        "email": f"{faker.user_name()}@outlook.com", "city": faker.city(),
        "date": f"the {rng.choice(['3rd', '14th', '22nd', 'ninth'])} of {rng.choice(['march', 'august', 'october'])}",
    }
