"""The four generators of `bench/planted_speech.py`: templates, name pools and value makers.

Each generator has its own templates and hand-picked names; none shares one with another (see the
docstring of planted_speech.py for which set was tuned on and which was held out).
"""

from __future__ import annotations

import random


# ---- generator A (development) -------------------------------------------------------------
A_WORD_NAMES = "hunter grace rusty will summer hope faith joy dawn chase drew bill mark frank jack rose ivy holly penny sandy".split()
A_NICKNAMES = "Benji Sully Jonesy Mikey Lizzie Tommo Bex Kit".split()
A_ODD_NAMES = ["José", "Zoë", "Jean-Luc", "Marie van der Berg", "Siobhán", "Ngozi Okafor", "Dmitri", "Priya"]
A_KIN = "daughter son sister brother cousin niece nephew friend".split()
A_STREETS = "Main Oak Elm Maple Pine Cedar Washington Lincoln".split()
A_CROSS = "3rd 5th 2nd Park Broad High Church Market".split()
A_CITIES = "Fresno Tacoma Dayton Spokane Albany Toledo".split()
A_TEMPLATES = [
    ("name-word", "Client", "me and {n} went to the lake last weekend."),
    ("name-word", "Client", "i told {n} i didn't want to talk about it."),
    ("name-word", "Client", "so {n} said i should come here."),
    ("name-word", "Client", "my {kin} {N} started school this year."),
    ("name-word", "Client", "{N} called me at midnight again."),
    ("nickname", "Client", "{nick} keeps asking me to go out."),
    ("nickname", "Client", "i was with {nick} the whole night."),
    ("vocative", "Therapist", "Thanks, {voc}. That helps."),
    ("vocative", "Therapist", "{voc}, what would you like to do next?"),
    ("possessive", "Client", "{P}'s mum picked us up after."),
    ("odd-name", "Client", "my friend {odd} thinks i drink too much."),
    ("odd-name", "Client", "i live with {odd} now."),
    ("age-words", "Client", "my nan turned {age} last month."),
    ("age-words", "Client", "grandpa is {age} and still drives."),
    ("unit", "Client", "we're in unit {unit} now, it's tiny."),
    ("unit", "Client", "i got a flat, {unit}, above the shop."),
    ("unit", "Client", "it's apt {unit} if you need to send anything."),
    ("account-part", "Client", "the last four are {acct}, if that helps."),
    ("account-part", "Client", "it was the account ending {acct}."),
    ("corner", "Client", "i wait for the bus at {corner} every morning."),
    ("corner", "Client", "we met at the corner of {corner}."),
    ("phone", "Client", "you can reach me on {phone}."),
    ("email", "Client", "my email is {email}."),
    ("town", "Client", "we moved to {city} in the spring."),
    ("date", "Client", "my court date is {date}."),
]


def _digits(n: int, rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _age_words(rng: random.Random, units: list[str]) -> str:
    if rng.random() < 0.2:
        return "a hundred and " + rng.choice(["one", "two", "three"])
    return "ninety-" + rng.choice(units)


def values_a(rng: random.Random) -> dict[str, str]:
    word = rng.choice(A_WORD_NAMES)
    return {
        "n": word, "N": word.capitalize(), "kin": rng.choice(A_KIN), "nick": rng.choice(A_NICKNAMES),
        "voc": rng.choice(A_WORD_NAMES + A_NICKNAMES).capitalize(), "P": rng.choice(A_ODD_NAMES[:4] + ["Hunter", "Sully"]),
        "odd": rng.choice(A_ODD_NAMES), "age": _age_words(rng, ["one", "two", "four", "six", "eight"]),
        "unit": rng.choice([str(rng.randint(1, 40)), f"{rng.randint(1, 9)}{rng.choice('ABCD')}"]),
        "acct": _digits(4, rng), "corner": f"{rng.choice(A_STREETS)} and {rng.choice(A_CROSS)}",
        "phone": f"{_digits(3, rng)}-{_digits(3, rng)}-{_digits(4, rng)}",
        "email": f"{rng.choice(A_WORD_NAMES)}{rng.randint(1, 99)}@gmail.com", "city": rng.choice(A_CITIES),
        "date": f"March {rng.randint(2, 28)}",
    }


# ---- generator B (held out) ---------------------------------------------------------------
B_WORD_NAMES = "rocky skip hazel robin river jade ruby misty sage reed dean grant dale ray pat earl daisy destiny miles max autumn mercy".split()
B_NICKNAMES = "Robbo Gazza Tash Deano Smudge Bazza Jojo Pip".split()
B_KIN = "youngest eldest stepdad stepmum aunt uncle flatmate boyfriend".split()
B_STREETS = "Fifth King Willow Birch Harbor Mill Station Bridge".split()
B_CROSS = "Pine 7th Queen 1st Spring Water".split()
B_CITIES = "Reno Boise Macon Flagstaff Duluth Erie".split()
B_TEMPLATES = [
    ("name-word", "Client", "{n} and me got into it again on sunday."),
    ("name-word", "Client", "i was texting {n} all night instead of sleeping."),
    ("name-word", "Client", "anyway {n} goes, you need help, so here i am."),
    ("name-word", "Client", "{N}, my {kin}, won't talk to me anymore."),
    ("name-word", "Client", "i've been staying with {n} since the fight."),
    ("nickname", "Client", "me mate {nick} reckons it's nothing."),
    ("nickname", "Client", "{nick} drove me here today actually."),
    ("vocative", "Therapist", "I hear you, {voc}. It sounds exhausting."),
    ("vocative", "Client", "honestly, {voc}, i don't know."),
    ("possessive", "Client", "we stayed over at {P}'s place."),
    ("odd-name", "Client", "my case worker {odd} set this up."),
    ("odd-name", "Client", "{odd} from next door checks on me."),
    ("age-words", "Client", "my gran's {age} now and sharp as anything."),
    ("age-words", "Client", "he'll be {age} in may."),
    ("unit", "Client", "i'm in apartment {unit}, the one by the lift."),
    ("unit", "Client", "suite {unit}, second floor, that's the office."),
    ("account-part", "Client", "the card ends in {acct} i think."),
    ("account-part", "Client", "last four digits {acct}, they said."),
    ("corner", "Client", "there's a shelter by {corner}."),
    ("corner", "Client", "it happened near the intersection of {corner}."),
    ("phone", "Client", "text me at {phone} whenever."),
    ("email", "Client", "send it to {email} please."),
    ("town", "Client", "i grew up outside {city}."),
    ("date", "Client", "the hearing's on the {date}."),
]


def values_b(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(B_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.6 else f"{faker.first_name()} {faker.last_name()}"
    return {
        "n": word, "N": word.capitalize(), "kin": rng.choice(B_KIN), "nick": rng.choice(B_NICKNAMES),
        "voc": rng.choice(B_WORD_NAMES + B_NICKNAMES).capitalize(), "P": faker.first_name(), "odd": odd,
        "age": _age_words(rng, ["three", "five", "six", "seven", "nine"]),
        "unit": rng.choice([str(rng.randint(100, 450)), f"{rng.randint(1, 12)}{rng.choice('EFG')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("one two three four five six seven eight nine".split()) for _ in range(4))]),
        "corner": f"{rng.choice(B_STREETS)} {rng.choice(['and', 'and'])} {rng.choice(B_CROSS)}",
        "phone": f"({_digits(3, rng)}) {_digits(3, rng)} {_digits(4, rng)}",
        "email": f"{faker.user_name()}@{rng.choice(['yahoo.com', 'outlook.com'])}", "city": rng.choice(B_CITIES),
        "date": f"{rng.randint(2, 28)}th of {rng.choice(['june', 'july', 'october'])}",
    }


# ---- generator C (held out: written after tuning stopped) -----------------------------------
C_WORD_NAMES = "brandy crystal amber heather cliff wade glen rod don guy bud sterling ginger olive violet pearl willow colt ace storm".split()
C_NICKNAMES = "Shaz Kev Macca Fitzy Stevo Nikki Dazza Bish".split()
C_KIN = "ex bestie sponsor housemate partner stepbrother".split()
C_TEMPLATES = [
    ("name-word", "Client", "{n} offered to drive me but i said no."),
    ("name-word", "Client", "it was just {n} and me at the house."),
    ("name-word", "Client", "we had {n} over for dinner on friday."),
    ("name-word", "Client", "i keep thinking about {n}, honestly."),
    ("name-word", "Client", "my {kin}, {n}, has the kids this week."),
    ("name-word", "Therapist", "Did you hear back from {n}?"),
    ("nickname", "Client", "{nick} yelled at me in front of everyone."),
    ("nickname", "Client", "i went round to {nick}'s after work."),
    ("vocative", "Therapist", "Good to see you again, {voc}."),
    ("vocative", "Client", "{voc}, i don't know what to tell you."),
    ("odd-name", "Client", "{odd} from my group said hi to you."),
    ("odd-name", "Client", "i called {odd} when it got bad."),
    ("age-words", "Client", "my great-aunt just hit {age}."),
    ("age-words", "Client", "she's {age} next month, can you believe it."),
    ("unit", "Client", "we got a studio, unit {unit}, near the station."),
    ("unit", "Client", "they put me in room {unit} at the shelter."),
    ("unit", "Client", "it's apartment #{unit}, buzz twice."),
    ("account-part", "Client", "the last 4 on the card are {acct}."),
    ("account-part", "Client", "it's the visa ending {acct}."),
    ("corner", "Client", "i live on the corner of {corner}."),
    ("corner", "Client", "the clinic is just off {corner}."),
    ("phone", "Client", "my cell's {phone} if anything changes."),
    ("email", "Client", "you can write to {email} too."),
    ("town", "Client", "my mum still lives in {city}."),
    ("date", "Client", "i relapsed on {date}."),
]


def values_c(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(C_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Kent", "Bay", "Ocean", "Grand", "Orchard", "Hope", "Liberty", "Ferry", "4th", "9th", "Second"], 2)
    return {
        "n": word, "kin": rng.choice(C_KIN), "nick": rng.choice(C_NICKNAMES),
        "voc": rng.choice(C_WORD_NAMES + C_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety", "ninety-eight", "ninety-two", "a hundred", "91", "99"]),
        "unit": rng.choice([str(rng.randint(2, 60)), f"{rng.randint(1, 30)}{rng.choice('HJK')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("oh one two three four five six seven eight nine".split()) for _ in range(4))]),
        "corner": f"{a} {rng.choice(['and', '&'])} {b}",
        "phone": f"{_digits(3, rng)}.{_digits(3, rng)}.{_digits(4, rng)}",
        "email": f"{faker.user_name()}{rng.randint(1, 9)}@hotmail.com", "city": faker.city(),
        "date": f"{rng.choice(['new year', 'valentine', 'the fourth of july', 'labor day'])}'s eve".replace("'s eve's eve", "'s eve"),
    }


# ---- generator D (held out after the second round) -------------------------------------------
D_WORD_NAMES = "cherry dusty forrest gay goldie harmony ivory jewel kitty lacy melody nell penny? rowan sunny tanner taylor hope? birdie".replace("?", "").split()
D_NICKNAMES = "Chaz Bev Robbie Sammy Lulu Bubba Ziggy Tiff".split()
D_KIN = "godmother roommate cellmate girlfriend sister-in-law coworker".split()
D_TEMPLATES = [
    ("name-word", "Client", "{n} never showed up, again."),
    ("name-word", "Client", "i ended up crying to {n} on the phone."),
    ("name-word", "Client", "{n} and i used to be close."),
    ("name-word", "Client", "the only person i trust is {n}."),
    ("name-word", "Client", "my {kin} {n} found me on the floor."),
    ("name-word", "Therapist", "How did {n} take the news?"),
    ("nickname", "Client", "{nick} swears it wasn't him."),
    ("nickname", "Client", "i borrowed money off {nick} last month."),
    ("vocative", "Therapist", "That's a big step, {voc}."),
    ("vocative", "Client", "look, {voc}, i'm trying."),
    ("odd-name", "Client", "i had a fight with {odd} at work."),
    ("odd-name", "Client", "{odd} is my probation officer."),
    ("age-words", "Client", "my great-grandma is still going at {age}."),
    ("age-words", "Client", "pops was {age} when he passed."),
    ("unit", "Client", "we live in block {unit}, the grey one."),
    ("unit", "Client", "my address is apt. {unit} on the top floor."),
    ("account-part", "Client", "the one with the last four digits {acct} got declined."),
    ("account-part", "Client", "my checking account ends with {acct}."),
    ("corner", "Client", "i got jumped outside the shop at {corner}."),
    ("corner", "Client", "turn left at the intersection of {corner}."),
    ("phone", "Client", "the number is {phone}, it's my sister's."),
    ("email", "Client", "it goes to {email} now."),
    ("town", "Client", "we drove out to {city} for the funeral."),
    ("date", "Client", "my sobriety date is {date}."),
]


def values_d(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(D_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Chestnut", "Central", "Vine", "Hawthorne", "Lake", "6th", "10th", "Third", "Mulberry"], 2)
    return {
        "n": word, "kin": rng.choice(D_KIN), "nick": rng.choice(D_NICKNAMES),
        "voc": rng.choice(D_WORD_NAMES + D_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety-three", "ninety-nine", "a hundred and four", "97", "102"]),
        "unit": rng.choice([str(rng.randint(2, 30)), f"{rng.randint(1, 9)}{rng.choice('LMN')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("zero one two three four five six seven eight nine".split()) for _ in range(4))]),
        "corner": f"{a} and {b}",
        "phone": f"{_digits(3, rng)} {_digits(3, rng)} {_digits(4, rng)}",
        "email": f"{faker.user_name()}@protonmail.com", "city": faker.city(),
        "date": f"{rng.choice(['april', 'may', 'august', 'november'])} {rng.choice(['1st', '9th', '14th', '22nd', 'third'])}",
    }


# ---- generator E (held out for the uncertain queue: written before any figure on it was read) --
E_WORD_NAMES = "bliss coco dolly fern honor kiki lark marigold poppy raven rhett saylor scout sonny tex trixie wren zion".split()
E_NICKNAMES = "Mo Gus Tilly Bertie Fozzy Jazz Stevie Cookie".split()
E_KIN = "foster mum nephew niece godson landlord caseworker".split()
E_TEMPLATES = [
    ("name-word", "Client", "i haven't spoken to {n} since the funeral."),
    ("name-word", "Client", "{n} was the first one to notice, to be fair."),
    ("name-word", "Client", "we named the baby after {n}."),
    ("name-word", "Client", "it's {n} who keeps me sober, honestly."),
    ("name-word", "Client", "our {kin} {n} lets us stay there."),
    ("name-word", "Therapist", "What would {n} say if she were here?"),
    ("nickname", "Client", "{nick} from the meetings checks in on me."),
    ("nickname", "Client", "i told {nick} everything, probably too much."),
    ("vocative", "Therapist", "Take your time, {voc}."),
    ("vocative", "Client", "no offence {voc}, but you don't get it."),
    ("odd-name", "Client", "{odd} gave me a lift to the hospital."),
    ("odd-name", "Client", "i still dream about {odd}."),
    ("age-words", "Client", "my grandad made it to {age}."),
    ("age-words", "Client", "the old lady next door is {age} and lives alone."),
    ("unit", "Client", "i'm in flat {unit} now, council housing."),
    ("unit", "Client", "we're at number {unit}, the one with the red door."),
    ("account-part", "Client", "the bank said the one ending in {acct} was frozen."),
    ("account-part", "Client", "last four of my card is {acct}."),
    ("corner", "Client", "the bus drops me at {corner}."),
    ("corner", "Client", "there's a park on the corner of {corner}."),
    ("phone", "Client", "my new number's {phone}."),
    ("email", "Client", "email me on {email}, i check it more."),
    ("town", "Client", "i was born in {city}, moved away at ten."),
    ("date", "Client", "my son's birthday is {date}."),
]


def values_e(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(E_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Elm", "Canal", "Dover", "Ashby", "Regent", "8th", "11th", "Fifth", "Beech"], 2)
    return {
        "n": word, "kin": rng.choice(E_KIN), "nick": rng.choice(E_NICKNAMES),
        "voc": rng.choice(E_WORD_NAMES + E_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety-one", "ninety-seven", "a hundred and two", "96", "104"]),
        "unit": rng.choice([str(rng.randint(2, 90)), f"{rng.randint(1, 20)}{rng.choice('PQR')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("oh one two three four five six seven eight nine".split()) for _ in range(4))]),
        "corner": f"{a} and {b}",
        "phone": f"{_digits(3, rng)}-{_digits(4, rng)}" if rng.random() < 0.3 else f"{_digits(3, rng)}-{_digits(3, rng)}-{_digits(4, rng)}",
        "email": f"{faker.user_name()}@gmx.net", "city": faker.city(),
        "date": f"{rng.choice(['the 3rd of', 'the 19th of', 'the 27th of'])} {rng.choice(['january', 'march', 'september'])}",
    }


# ---- generator F (held out for the third round: written before any figure on it was read) -----
F_WORD_NAMES = "archer bear blue briar cricket dove ember flint goldie haven indigo juniper kit? lyric maverick onyx rebel sable stormy twig".replace("?", "").split()
F_NICKNAMES = "Dazzer Babs Frankie Moz Titch Nobby Sparky Wes".split()
F_KIN = "stepson grandson halfbrother ex-wife aunty bandmate".split()
F_TEMPLATES = [
    ("name-word", "Client", "when {n} left, the house went quiet."),
    ("name-word", "Client", "i keep picturing {n} at the door."),
    ("name-word", "Client", "nobody listens except {n}."),
    ("name-word", "Client", "{n} rang the police, not me."),
    ("name-word", "Client", "my {kin} {n} moved back in."),
    ("name-word", "Therapist", "Does {n} know how you feel?"),
    ("nickname", "Client", "{nick} reckons i'm overreacting."),
    ("nickname", "Client", "i was round {nick}'s till late."),
    ("vocative", "Therapist", "That took courage, {voc}."),
    ("vocative", "Client", "{voc}, can i ask you something?"),
    ("odd-name", "Client", "{odd} owes me money."),
    ("odd-name", "Client", "i met {odd} at the shelter."),
    ("age-words", "Client", "my great-uncle's {age}, still smoking."),
    ("age-words", "Client", "she'd have been {age} this year."),
    ("unit", "Client", "they moved me to unit {unit} in the annex."),
    ("unit", "Client", "apartment {unit}, third floor, no lift."),
    ("account-part", "Client", "the payment came from the account ending {acct}."),
    ("account-part", "Client", "the last four were {acct}."),
    ("corner", "Client", "i sleep under the bridge at {corner}."),
    ("corner", "Client", "he lives near the corner of {corner}."),
    ("phone", "Client", "my mum's number is {phone}."),
    ("email", "Client", "the letter came from {email}."),
    ("town", "Client", "we moved to {city} after the divorce."),
    ("date", "Client", "the accident was on {date}."),
]


def values_f(rng: random.Random, faker) -> dict[str, str]:
    word = rng.choice(F_WORD_NAMES)
    odd = faker.first_name() if rng.random() < 0.5 else f"{faker.first_name()} {faker.last_name()}"
    a, b = rng.sample(["Railway", "Castle", "Granby", "Orchard", "Quarry", "2nd", "12th", "Seventh", "Cedar"], 2)
    return {
        "n": word, "kin": rng.choice(F_KIN), "nick": rng.choice(F_NICKNAMES),
        "voc": rng.choice(F_WORD_NAMES + F_NICKNAMES).capitalize(), "odd": odd,
        "age": rng.choice(["ninety-four", "ninety-eight", "a hundred", "93", "101"]),
        "unit": rng.choice([str(rng.randint(2, 70)), f"{rng.randint(1, 15)}{rng.choice('STU')}"]),
        "acct": rng.choice([_digits(4, rng), " ".join(rng.choice("zero one two three four five six seven eight nine".split()) for _ in range(4))]),
        "corner": f"{a} and {b}",
        "phone": f"{_digits(3, rng)} {_digits(3, rng)}-{_digits(4, rng)}",
        "email": f"{faker.user_name()}@aol.com", "city": faker.city(),
        "date": f"{rng.choice(['june', 'july', 'december'])} {rng.choice(['2nd', '11th', '30th', 'fifth'])}",
    }
