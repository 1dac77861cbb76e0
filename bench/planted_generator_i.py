"""Generator I: the held-out set of round 5's second tagger (session 15), written and committed
before that tagger was trained and before any figure on it was read. Speech as it is transcribed:
fillers, restarts and asides around the identifier. Other templates, other word-names (stones,
plants, weather and craft words on no list of generators A-H), other nicknames and kin, Faker
locales no other generator uses. Like H, it plants only into the odd-numbered AnnoMI transcripts,
which the tagger does not train on."""

from __future__ import annotations

import random

from planted_generators import _digits

I_WORD_NAMES = ("brick jet kite nutmeg orchid pike reef sorrel thistle umber velvet yew bronze cobalt frost "
                "gravel linden mica nectar ocean quartz russet slate tide").split()
I_NICKNAMES = "Bubbles Gizmo Moose Pudding Sausage Twinkle Waffles Nugget Squid Tater".split()
I_KIN = "nephew's dad ex-partner foster brother cousin's wife stepgran neighbour's lad".split(" ")
I_TEMPLATES = [
    ("name-word", "Client", "um, so, {n}, like, just stopped answering my calls."),
    ("name-word", "Client", "i- i think {n} knew before i did, you know?"),
    ("name-word", "Client", "and then {n} goes, well what did you expect."),
    ("name-word", "Client", "it's mostly me and {n} at weekends, with the kids."),
    ("name-word", "Therapist", "Mm-hmm. And {n}, where does {n2} fit in all this?"),
    ("name-word", "Client", "yeah, my {kin}, {n}, he's been- he's been great actually."),
    ("name-word", "Client", "i borrowed fifty quid from {n} and never paid it back."),
    ("name-word", "Client", "honestly without {n} i'd have given up."),
    ("nickname", "Client", "so {nick}, that's what we call my brother, he came round."),
    ("nickname", "Client", "i haven't seen {nick} since the funeral, um."),
    ("vocative", "Therapist", "That's a big step, {voc}, really."),
    ("vocative", "Client", "{voc}, can i- can i just say something?"),
    ("odd-name", "Client", "there's a lady at church, {odd}, she drives me sometimes."),
    ("odd-name", "Therapist", "Last time you said {odd} was pressuring you."),
    ("age-words", "Client", "my nana, she's, um, {age} this year."),
    ("age-words", "Client", "he lived to be {age}, so."),
    ("unit", "Client", "it's, uh, door {unit}, right at the end of the landing."),
    ("unit", "Client", "we got moved to bay {unit} in the caravan park."),
    ("account-part", "Client", "the- the card that ends with {acct}."),
    ("account-part", "Client", "it's the savings one, ending in, um, {acct}."),
    ("corner", "Client", "you know where {corner} cross? by there."),
    ("corner", "Client", "i used to score down on {corner}, near the bookies."),
    ("phone", "Client", "my number's changed, it's {phone} now."),
    ("email", "Client", "could you, um, email it, it's {email}."),
    ("town", "Client", "we drove up to {city} for the weekend, like."),
    ("date", "Client", "my scan's booked for {date}."),
]


def values_i(rng: random.Random, faker) -> dict[str, str]:
    word, other = rng.sample(I_WORD_NAMES, 2)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Cowley", "Dunmore", "Fenwick", "Gorse", "Ladywell", "10th", "2nd", "Fourteenth", "Ravel"], 2)
    return {
        "n": word, "n2": other, "kin": rng.choice(I_KIN), "nick": rng.choice(I_NICKNAMES),
        "voc": rng.choice(I_WORD_NAMES + I_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety-one", "ninety-seven", "a hundred", "95", "102"]),
        "unit": rng.choice([str(rng.randint(2, 60)), f"{rng.randint(1, 15)}{rng.choice('AFG')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("oh one two three four five six seven eight nine".split())
                                                      for _ in range(4))]),
        "corner": f"{a} and {b}",
        "phone": f"07{_digits(9, rng)}",
        "email": f"{faker.user_name()}{rng.randint(1, 99)}@hotmail.com", "city": faker.city(),
        "date": rng.choice(["the twelfth of may", "tuesday the 9th", "next thursday the 2nd", "the 17th of july"]),
    }
