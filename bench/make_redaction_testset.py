"""Write a redaction test set: texts plus a truth JSON for `onprem eval redaction`.

Two parts, each in its own folder with its own truth.json:

* conversational/ -- counselling sessions generated here, in the way people talk and the way
  transcribers write it down: speaker labels (roles, names, timestamps), lower-case ASR-style
  sessions, digits said as words, kinship words and titles before names, identifiers split by
  Unicode tricks, and plenty of turns with no identifiers but with numbers, months, states,
  drug names and first-name-like words that must NOT be redacted. Every line of dialogue is
  this script's own; fake values come from Faker (several locales, so names are not all ones
  our lexicon knows).
* presidio_evaluator/ -- sentences from the data generator of the `presidio-evaluator`
  package (its templates and fake-person records), labelled with its entity names, which
  `onprem eval` maps through redaction/entity_aliases.json. Needs presidio-evaluator, which is
  NOT installed in the product venv (it pulls in transformers, and once transformers is
  importable presidio-analyzer imports it on every start). Install it into a separate venv that
  layers on the product one:

      python3.11 -m venv .venv/bench
      echo 'import site; site.addsitedir("'$PWD'/.venv/lib/python3.11/site-packages")' \
          > .venv/bench/lib/python3.11/site-packages/zz_onprem.pth
      .venv/bench/bin/pip install presidio-evaluator==0.3.2
      .venv/bench/bin/python bench/make_redaction_testset.py --out /tmp/redaction-testset

  Its HospitalProvider queries WikiData over the network when it is built; this script
  replaces it with an offline list, so generation opens no socket.

The same --seed always writes the same files, byte for byte.

    python bench/make_redaction_testset.py --out DIR [--seed 20261122] [--conversations 200]
        [--presidio 600 | --no-presidio]
    onprem eval redaction --truth DIR/conversational/truth.json DIR/conversational
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Callable, Optional

from faker import Faker

Piece = tuple[str, Optional[str]]  # (text, entity type or None)

# --- fake values ---------------------------------------------------------------------------

NAME_LOCALES = (["en_US"] * 6 + ["en_GB", "en_IE", "es_MX", "pt_BR", "en_IN", "it_IT", "pl_PL", "vi_VN", "fr_FR",
                                  "de_DE", "tr_TR", "fil_PH", "yo_NG", "ig_NG", "zu_ZA", "nl_NL"])
# Real towns (not identifiers on their own, but the kind of place people name).
TOWNS = """
Dayton Tacoma Spokane Boise Eugene Fresno Bakersfield Stockton Modesto Reno Provo Ogden Flagstaff
Tucson Mesa Tempe Albuquerque Amarillo Lubbock Waco Tyler Abilene Odessa Laredo Shreveport Biloxi
Mobile Huntsville Chattanooga Knoxville Lexington Louisville Toledo Akron Canton Youngstown Erie
Scranton Allentown Trenton Camden Paterson Yonkers Utica Syracuse Rochester Buffalo Burlington
Bangor Portland Worcester Springfield Hartford Stamford Providence Pawtucket Fairbanks Anchorage
Billings Bozeman Missoula Casper Cheyenne Fargo Bismarck Duluth Rochester Madison Kenosha Racine
Peoria Joliet Gary Evansville Dubuque Davenport Topeka Wichita Tulsa Norman Fayetteville Macon
Savannah Augusta Asheville Durham Greensboro Roanoke Lynchburg Wilmington Dover Frederick
""".split() + ["Grand Rapids", "Cedar Rapids", "Baton Rouge", "Sioux Falls", "Eau Claire", "Palm Springs",
               "Little Rock", "Santa Rosa", "San Mateo", "Fort Collins", "Corpus Christi", "Walnut Creek"]
FACILITY_KINDS = ["Hospital", "Medical Center", "Clinic", "Elementary", "High School", "Community College",
                  "Nursing Home", "Recovery Center", "Pharmacy", "Middle School", "Family Clinic"]
EMPLOYER_KINDS = ["Foods", "Logistics", "Hardware", "Insurance", "Construction", "Motors", "Dental",
                  "Plumbing", "Bakery", "Landscaping", "Auto Body", "Credit Union"]
KIN = ["sister", "brother", "mom", "dad", "daughter", "son", "husband", "wife", "boyfriend", "girlfriend",
       "friend", "cousin", "aunt", "uncle", "grandma", "grandson", "neighbor", "sponsor", "boss", "roommate",
       "ex", "stepdad", "niece", "coworker", "best friend", "landlord"]
DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
TENS_WORDS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
TEENS_WORDS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
            "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def spoken_digits(digits: str, rng: random.Random, groups: Optional[list[int]] = None) -> str:
    """'5035550199' -> 'five oh three, five five five, oh one nine nine' (with some variety)."""
    words = []
    for d in digits:
        if d == "0" and rng.random() < 0.6:
            words.append("oh")
        else:
            words.append(DIGIT_WORDS[int(d)])
    if rng.random() < 0.25:  # "double five"
        for i in range(len(words) - 1):
            if words[i] == words[i + 1] and words[i] not in ("oh",):
                words[i:i + 2] = ["double " + words[i]]
                break
    if not groups:
        return " ".join(words)
    out, i = [], 0
    sizes = list(groups)
    # regroup when "double" merged two digits
    flat = []
    for w in words:
        flat.extend([w] if not w.startswith("double") else [w, None])
    for g in sizes:
        chunk = [w for w in flat[i:i + g] if w is not None]
        out.append(" ".join(chunk))
        i += g
    return ", ".join(x for x in out if x)


def number_words(n: int) -> str:
    if n < 10:
        return DIGIT_WORDS[n]
    if n < 20:
        return TEENS_WORDS[n - 10]
    if n < 100:
        t, u = divmod(n, 10)
        return TENS_WORDS[t] + ("" if u == 0 else "-" + DIGIT_WORDS[u])
    h, rest = divmod(n, 100)
    return DIGIT_WORDS[h] + " hundred" + ("" if rest == 0 else " " + number_words(rest))


def house_number_words(n: int) -> str:
    """How people say a house number: 42 -> forty-two, 1817 -> eighteen seventeen."""
    if n < 100:
        return number_words(n)
    if n < 1000:
        h, rest = divmod(n, 100)
        return DIGIT_WORDS[h] + " " + (number_words(rest) if rest >= 10 else ("oh " + DIGIT_WORDS[rest] if rest else "hundred"))
    a, b = divmod(n, 100)
    return number_words(a) + " " + (number_words(b) if b >= 10 else "oh " + DIGIT_WORDS[b])


class Values:
    """Fake identifiers, all drawn from one seeded Faker/Random pair."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.f = Faker("en_US")
        self.f.seed_instance(seed)
        self.by_locale = {}
        for i, loc in enumerate(sorted(set(NAME_LOCALES))):
            fk = Faker(loc)
            fk.seed_instance(seed * 31 + i)
            self.by_locale[loc] = fk

    def _name_faker(self) -> Faker:
        return self.by_locale[self.rng.choice(NAME_LOCALES)]

    def first(self) -> str:
        while True:
            n = self._name_faker().first_name().split()[0]
            if re.fullmatch(r"[^\W\d_][^\W\d_'\-]+", n):
                return n

    def last(self) -> str:
        while True:
            n = self._name_faker().last_name()
            if re.fullmatch(r"[^\W\d_][^\W\d_'\- ]+", n):
                return n

    def phone_digits(self) -> str:
        area = self.rng.choice(["503", "971", "206", "312", "617", "415", "646", "713", "404", "919", "614", "801"])
        return area + str(self.rng.randint(200, 999)) + f"{self.rng.randint(0, 9999):04d}"

    def ssn(self) -> str:
        while True:
            a = self.rng.randint(1, 899)
            if a != 666:
                return f"{a:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"

    def city(self) -> str:
        return self.rng.choice(TOWNS) if self.rng.random() < 0.6 else self.f.city()

    def street(self) -> tuple[int, str]:
        """(house number, rest of the address)."""
        addr = self.f.street_address()
        num, _, rest = addr.partition(" ")
        return int(num), rest

    def date(self) -> str:
        m = self.rng.choice(MONTHS)
        d = self.rng.randint(1, 28)
        style = self.rng.randrange(8)
        if style == 0:
            return f"{m} {d}"
        if style == 1:
            return f"{m} {d}{'th' if 10 <= d % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"
        if style == 2:
            return f"the {ORDINALS[d - 1]} of {m}"
        if style == 3:
            return f"{MONTHS.index(m) + 1}/{d}"
        if style == 4:
            return f"{MONTHS.index(m) + 1}/{d}/{self.rng.randint(1940, 2024)}"
        if style == 5:
            return f"{m} {d}, {self.rng.randint(1940, 2024)}"
        if style == 6:
            return f"{m} {ORDINALS[d - 1]}"
        return f"{self.rng.randint(1950, 2024)}-{MONTHS.index(m) + 1:02d}-{d:02d}"

    def mrn(self) -> str:
        return self.rng.choice([
            lambda: str(self.rng.randint(1000000, 99999999)),
            lambda: f"{self.f.random_uppercase_letter()}{self.rng.randint(10, 99)}-{self.rng.randint(1000, 9999)}",
            lambda: f"{self.rng.randint(100, 999)}-{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}",
            lambda: f"MR{self.rng.randint(100000, 999999)}",
        ])()

    def member_id(self) -> str:
        return self.rng.choice([
            lambda: self.f.bothify("???#########").upper(),
            lambda: str(self.rng.randint(10**9, 10**10 - 1)),
            lambda: self.f.bothify("#??#-??#-??##").upper(),  # Medicare MBI shape
            lambda: f"{self.f.bothify('??').upper()} {self.rng.randint(1000, 9999)} {self.rng.randint(1000, 9999)}",
        ])()

    def account(self) -> str:
        return self.rng.choice([
            lambda: str(self.rng.randint(10**9, 10**12)),
            lambda: f"{self.rng.randint(1000, 9999)} {self.rng.randint(1000, 9999)} {self.rng.randint(10, 99)}",
            lambda: f"{self.rng.randint(100000, 999999)}-{self.rng.randint(10, 99)}",
        ])()

    def licence(self) -> str:
        return self.rng.choice([
            lambda: f"{self.f.random_uppercase_letter()}{self.rng.randint(1000000, 9999999)}",
            lambda: str(self.rng.randint(10**8, 10**9 - 1)),
            lambda: f"{self.f.random_uppercase_letter()}{self.rng.randint(100, 999)}-{self.rng.randint(1000, 9999)}-{self.rng.randint(1000, 9999)}",
            lambda: f"WDL{self.f.bothify('??##??#').upper()}",
        ])()

    def plate(self) -> str:
        return self.rng.choice([
            lambda: self.f.bothify("#???###").upper(),
            lambda: self.f.bothify("??? ####").upper(),
            lambda: self.f.bothify("###-???").upper(),
            lambda: self.f.bothify("??#-####").upper(),
        ])()

    def vin(self) -> str:
        chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        while True:
            v = "".join(self.rng.choice(chars) for _ in range(17))
            if sum(c.isdigit() for c in v) >= 5 and sum(c.isalpha() for c in v) >= 2:
                return v

    def serial(self) -> str:
        return self.rng.choice([
            lambda: self.f.bothify("SN-####-??##").upper(),
            lambda: self.f.bothify("??########").upper(),
            lambda: " ".join(f"{self.rng.randint(0, 99):02d}" for _ in range(4)) + str(self.rng.randint(1000, 9999)),
            lambda: self.f.mac_address(),
        ])()

    def email(self, first: str, last: str) -> str:
        user = self.rng.choice([f"{first}.{last}", f"{first}{self.rng.randint(1, 99)}", f"{first[0]}{last}",
                                f"{first}_{last}{self.rng.randint(70, 99)}"]).lower()
        user = re.sub(r"[^a-z0-9._]", "", ascii_fold(user)) or "mail"
        return f"{user}@{self.rng.choice(['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'comcast.net', 'proton.me', self.f.domain_name()])}"

    def url(self, last: str) -> str:
        slug = re.sub(r"[^a-z]", "", ascii_fold(last).lower()) or "family"
        return self.rng.choice([
            f"www.{slug}{self.rng.choice(['family', 'photos', 'art', 'bakes'])}.com",
            f"https://www.gofundme.com/f/help-the-{slug}-family",
            f"{slug}{self.rng.choice(['blog', 'writes', 'studio'])}.net",
            f"https://instagram.com/{slug}_{self.rng.randint(10, 99)}",
            f"http://{self.f.domain_name()}/{self.f.uri_path()}",
        ])

    def ip(self) -> str:
        return self.f.ipv4_public() if self.rng.random() < 0.8 else self.f.ipv6()

    def card(self) -> str:
        n = self.f.credit_card_number(card_type=self.rng.choice(["visa16", "mastercard", "discover"]))
        if self.rng.random() < 0.5 and len(n) == 16:
            n = " ".join(n[i:i + 4] for i in range(0, 16, 4))
        return n

    def facility(self) -> str:
        return f"{self.rng.choice([self.f.last_name(), 'St. ' + self.f.first_name(), self.rng.choice(TOWNS), 'Mount ' + self.f.last_name()])} {self.rng.choice(FACILITY_KINDS)}"

    def employer(self) -> str:
        return f"{self.f.last_name()} {self.rng.choice(EMPLOYER_KINDS)}"


def ascii_fold(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


# --- Unicode tricks applied to some identifiers (the truth span covers the altered text) -----

def unicode_trick(value: str, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0 and len(value) > 3:  # zero-width space inside
        i = rng.randint(1, len(value) - 1)
        return value[:i] + "\u200b" + value[i:]
    if kind == 1 and " " in value:  # non-breaking spaces
        return value.replace(" ", "\u00a0")
    if kind == 2 and any(c.isdigit() for c in value):  # full-width digits
        return "".join(chr(ord(c) - 48 + 0xFF10) if c.isdigit() else c for c in value)
    look = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с"}  # Cyrillic look-alikes
    for i, c in enumerate(value):
        if c in look:
            return value[:i] + look[c] + value[i + 1:]
    return value


# --- the lines of dialogue -------------------------------------------------------------------

# Turns with no identifiers. Several carry words and numbers that must stay: years alone,
# durations, scores, money, states and countries, medicines, months used as verbs.
CLIENT_PLAIN = [
    "I don't know, it's been a rough couple of weeks.",
    "Honestly I slept maybe four hours a night since the last session.",
    "I've been sober for ninety days now, which feels weird to say out loud.",
    "Work is fine I guess. It's the evenings that get me.",
    "My mom keeps asking when I'm going to get my life together.",
    "I moved here from Texas back in 2019 and I still don't really know anyone.",
    "It's like a seven out of ten most days, maybe an eight on Sundays.",
    "I started the Zoloft again, fifty milligrams, like the doctor said.",
    "We spent like four hundred dollars on groceries last month and that scared me.",
    "I go to the AA meeting on Tuesdays and Thursdays at the church.",
    "Mm-hmm. Yeah. I mean, I hear you.",
    "I kept thinking about what you said about the thoughts not being facts.",
    "My sister thinks I should just snap out of it, which doesn't help.",
    "I was in the Army for six years, two tours, and I don't talk about that much.",
    "Sometimes I lie awake until three or four in the morning.",
    "I tried the breathing thing, in for four, hold for seven, out for eight.",
    "It went okay, I guess. Better than last time.",
    "I keep telling myself I'll call, and then I don't.",
    "The kids were with their dad this weekend so the house was really quiet.",
    "I may go back to school in the fall, I haven't decided.",
    "I don't want to march in there and make a scene, you know?",
    "Will it always feel like this? That's what I keep asking myself.",
    "I hope so. I really do.",
    "We grew up in a small town in Ohio, everybody knew everybody.",
    "I drank like two or three beers, not a big deal, but I noticed it.",
    "My doctor upped my dose in January and it's been a bit better since.",
    "I wrote it down in the journal, like page after page.",
    "I've been walking twenty minutes every day, most days anyway.",
    "It's a 24/7 thing with a newborn, there is no break.",
    "My therapist before you said I was avoidant, and maybe that's true.",
    "I called the crisis line once, back in 2021, and it helped.",
    "It's the third time this month I've missed a shift.",
    "We're thinking about moving to Canada, my husband has family there.",
    "I felt like a five out of ten before and like a two after.",
    "I don't know if I believe in God anymore, honestly.",
    "I skipped the Xanax last night because I wanted to see if I could.",
    "My grandmother raised me, so when she got sick it hit hard.",
    "I'm fine. Really. Okay, maybe not fine.",
    "My boss said I could take Friday off if I need it.",
    "The group on Wednesday was small, like six people.",
    "It was maybe 1998 or 1999 when things started going wrong.",
    "I think the CBT worksheet actually helped more than I expected.",
    "I listen to a podcast about grief on the bus, it makes me feel less alone.",
    "My son turned sixteen and he barely talks to me.",
    "I paid off the car, it took five years.",
    "I just want to feel normal again, whatever normal is.",
]
THERAPIST_PLAIN = [
    "How have things been since we last met?",
    "That sounds really hard. What was that like for you?",
    "Let's slow down for a second. What did you notice in your body?",
    "You mentioned the evenings. What happens around then?",
    "On a scale from zero to ten, where would you put it today?",
    "It sounds like part of you wants to reach out and part of you is scared to.",
    "What would you say to a friend who told you that?",
    "Let's look at the evidence for and against that thought.",
    "I'm hearing a lot of guilt in what you're saying.",
    "That's a real change from a few weeks ago.",
    "What got in the way this time?",
    "Would it be okay if we tried a short exercise?",
    "Let's plan one small step for this week.",
    "You've done a lot of hard work to get here.",
    "Mm-hmm. Go on.",
    "How did you take care of yourself afterwards?",
    "What would make next week ten percent easier?",
    "We have about ten minutes left today.",
    "It makes sense that you'd feel that way after everything.",
    "Let's come back to that next session.",
]
SEEKER = ["Client", "Caregiver", "Patient", "Participant", "CLIENT", "C", "Speaker 2", "Interviewee"]
HELPER = ["Therapist", "Coach", "Counselor", "THERAPIST", "T", "Speaker 1", "Interviewer", "Clinician"]

Template = Callable[["Values", random.Random], list[Piece]]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def t_kin_name(v, r):
    kin, name = r.choice(KIN), v.first()
    if r.random() < 0.4:
        name = name.lower()
    return [("honestly my ", None), (kin + " ", None), (name, "PERSON"),
            (r.choice([" has been calling nonstop.", " doesn't get it.", " said I should come here.",
                       " came over on the weekend."]), None)]


def t_kin_comma(v, r):
    return [(f"My {r.choice(KIN)}, ", None), (v.first(), "PERSON"), (", keeps checking on me, which is sweet but a lot.", None)]


def t_full_name(v, r):
    return [(f"{v.first()} {v.last()}", "PERSON"), (r.choice([" from work keeps texting me.", " is the one I told you about.",
                                                              " was my sponsor for a while."]), None)]


def t_doctor(v, r):
    last = v.last()
    if r.random() < 0.5:
        return [("I saw Dr. ", None), (last, "PERSON"), (" last week and she upped the dose.", None)]
    return [("doctor ", None), (last.lower() if r.random() < 0.5 else last, "PERSON"),
            (" said it's normal to feel flat at first.", None)]


def t_intro(v, r):
    name = v.first()
    return [(r.choice(["My name is ", "Hi, I'm ", "you can call me "]), None), (name, "PERSON"),
            (r.choice([", and I'm here because my wife made me.", ". I guess I'll start.", ", it's short for something."]), None)]


def t_told(v, r):
    return [("i told ", None), (v.first().lower(), "PERSON"), (" i was fine but i wasn't.", None)]


def t_possessive(v, r):
    return [(v.first(), "PERSON"), (r.choice(["'s birthday is coming up and I dread it.", "'s dad left when he was small."]), None)]


def t_with_name(v, r):
    return [("Me and ", None), (v.first(), "PERSON"), (r.choice([" went to the lake.", " broke up again.", " stopped talking."]), None)]


def t_phone(v, r):
    d = v.phone_digits()
    style = r.randrange(7)
    if style == 0:
        val = f"({d[:3]}) {d[3:6]}-{d[6:]}"
    elif style == 1:
        val = f"{d[:3]}-{d[3:6]}-{d[6:]}"
    elif style == 2:
        val = f"{d[:3]}.{d[3:6]}.{d[6:]}"
    elif style == 3:
        val = f"+1 {d[:3]} {d[3:6]} {d[6:]}"
    elif style == 4:
        val = d
    else:
        val = spoken_digits(d, r, [3, 3, 4])
    lead = r.choice(["my cell is ", "you can reach me at ", "call me on ", "the number is ", "her number's ",
                     "text me at "])
    return [(lead, None), (val, "PHONE_NUMBER"), (r.choice([".", " if anything changes.", ", any time after five."]), None)]


def t_email(v, r):
    first, last = v.first(), v.last()
    val = v.email(first, last)
    if r.random() < 0.3:
        user, dom = val.split("@")
        val = user.replace(".", " dot ").replace("_", " underscore ") + " at " + dom.replace(".", " dot ")
    return [(r.choice(["my email is ", "send it to ", "you can email me at "]), None), (val, "EMAIL_ADDRESS"), (".", None)]


def t_ssn(v, r):
    s = v.ssn()
    style = r.randrange(3)
    val = s if style == 0 else s.replace("-", " ") if style == 1 else spoken_digits(s.replace("-", ""), r, [3, 2, 4])
    return [(r.choice(["they wanted my social, ", "my social security number is ", "SSN "]), None), (val, "US_SSN"),
            (", which felt weird to give out.", None)]


def t_mrn(v, r):
    m = v.mrn()
    if r.random() < 0.2 and m.isdigit():
        m = spoken_digits(m, r)
    return [(r.choice(["my MRN is ", "the medical record number is ", "the chart number was ", "patient ID "]), None),
            (m, "MEDICAL_RECORD_NUMBER"), (r.choice([" if you need it.", ", it's on the discharge papers."]), None)]


def t_member(v, r):
    return [(r.choice(["my member ID is ", "the insurance lady wanted my member number, ", "Medicaid number ",
                       "the policy number is "]), None), (v.member_id(), "HEALTH_PLAN_ID"), (".", None)]


def t_account(v, r):
    return [(r.choice(["the account number is ", "my bank account number, ", "the billing number is "]), None),
            (v.account(), "ACCOUNT_NUMBER"), (", and they still charged me twice.", None)]


def t_card(v, r):
    return [("I gave them my card, ", None), (v.card(), "CREDIT_CARD"), (", and then I panicked.", None)]


def t_licence(v, r):
    return [(r.choice(["my driver's license number is ", "license number ", "the license is "]), None),
            (v.licence(), "LICENSE_NUMBER"), (r.choice([", and it's suspended.", "."]), None)]


def t_plate(v, r):
    if r.random() < 0.3:
        return [("the VIN is ", None), (v.vin(), "VEHICLE_PLATE"), (" on the insurance card.", None)]
    return [(r.choice(["the plate was ", "license plate ", "his plate number is "]), None), (v.plate(), "VEHICLE_PLATE"),
            (r.choice([", I wrote it down.", "."]), None)]


def t_device(v, r):
    return [(r.choice(["the pump's serial number is ", "the CPAP serial is ", "device ID "]), None),
            (v.serial(), "DEVICE_SERIAL"), (".", None)]


def t_url(v, r):
    return [(r.choice(["I post stuff on ", "she set up ", "it's all on "]), None), (v.url(v.last()), "URL"),
            (r.choice([" sometimes.", " for the funeral costs.", "."]), None)]


def t_ip(v, r):
    return [("the IT guy said my IP was ", None), (v.ip(), "IP_ADDRESS"), (" or something.", None)]


def t_city(v, r):
    city = v.city()
    lead = r.choice(["we moved to ", "I grew up in ", f"my {r.choice(KIN)} lives in ", "back home in ",
                     "she's staying in ", "I drove down to "])
    return [(lead, None), (city, "LOCATION"), (r.choice([" last spring.", " and I miss it.", ", it's not far.", "."]), None)]


def t_address(v, r):
    num, rest = v.street()
    if r.random() < 0.25:
        val = f"{house_number_words(num)} {rest.split(' Apt')[0].split(' Suite')[0].lower()}"
    else:
        val = f"{num} {rest}"
    if r.random() < 0.2:
        val = f"P.O. Box {r.randint(10, 9999)}"
    return [(r.choice(["we're at ", "I live at ", "the new place is ", "send it to "]), None), (val, "STREET_ADDRESS"),
            (r.choice([" now.", ", the one with the blue door.", "."]), None)]


def t_zip(v, r):
    z = v.f.zipcode()
    if r.random() < 0.2:
        z = spoken_digits(z, r)
    return [(r.choice(["zip code ", "the zip is ", "zip's "]), None), (z, "ZIP_CODE"), (".", None)]


def t_city_state_zip(v, r):
    city = v.city()
    st = v.f.state_abbr(include_territories=False)
    return [("it's ", None), (city, "LOCATION"), (f", {st} ", None), (v.f.zipcode(), "ZIP_CODE"), (".", None)]


def t_date(v, r):
    lead = r.choice(["my birthday's ", "she was admitted on ", "the court date is ", "we meet again on ",
                     "he passed away on ", "I was discharged ", "my DOB is "])
    return [(lead, None), (v.date(), "DATE_TIME"), (".", None)]


def t_age(v, r):
    n = r.randint(90, 104)
    style = r.randrange(4)
    if style == 0:
        return [(f"my {r.choice(['grandma', 'grandpa', 'great aunt'])} is ", None), (str(n), "AGE_OVER_89"), (" years old and still drives.", None)]
    if style == 1:
        return [("she turned ", None), (number_words(n) if n < 100 else str(n), "AGE_OVER_89"), (" in the spring.", None)]
    if style == 2:
        return [("he's ", None), (number_words(n) if n < 100 else "a hundred", "AGE_OVER_89"), (" and sharp as a tack.", None)]
    return [("my ", None), (f"{n}-year-old", "AGE_OVER_89"), (" grandmother lives with us.", None)]


def t_facility(v, r):
    return [(r.choice(["she was at ", "they took him to ", "I was admitted to ", "my kid goes to "]), None),
            (v.facility(), "FACILITY"), (r.choice([" for a week.", ".", " and it was awful."]), None)]


def t_employer(v, r):
    return [(r.choice(["I work at ", "I got laid off from ", "he works for "]), None), (v.employer(), "FACILITY"),
            (r.choice([" in the warehouse.", ".", " since March."]), None)]


TEMPLATES: list[tuple[Template, int]] = [
    (t_kin_name, 4), (t_kin_comma, 2), (t_full_name, 3), (t_doctor, 3), (t_intro, 2), (t_told, 2),
    (t_possessive, 1), (t_with_name, 1),
    (t_phone, 5), (t_email, 3), (t_ssn, 2), (t_mrn, 2), (t_member, 2), (t_account, 2), (t_card, 1),
    (t_licence, 2), (t_plate, 2), (t_device, 2), (t_url, 2), (t_ip, 2),
    (t_city, 4), (t_address, 3), (t_zip, 2), (t_city_state_zip, 1), (t_date, 4), (t_age, 2),
    (t_facility, 2), (t_employer, 2),
]


def conversation(v: Values, r: random.Random) -> tuple[str, list[dict]]:
    """One session: labels, plain turns, identifier turns; returns (text, truth spans)."""
    lower = r.random() < 0.25  # ASR-style: no capitals at all
    label_style = r.randrange(10)
    named = label_style >= 8  # speaker labels are the people's names
    seeker_name, helper_name = v.first(), v.last()
    seeker, helper = r.choice(SEEKER), r.choice(HELPER)
    stamp = label_style == 7
    parts: list[Piece] = []
    n_turns = r.randint(12, 24)
    pii_turns = set(r.sample(range(1, n_turns, 2), k=min(len(range(1, n_turns, 2)), r.randint(4, 9))))
    weights = [w for _, w in TEMPLATES]
    clock = r.randint(0, 300)
    for i in range(n_turns):
        is_seeker = i % 2 == 1
        if stamp:
            clock += r.randint(5, 90)
            parts.append((f"[{clock // 3600:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}] ", None))
        if named:
            if is_seeker:
                label = seeker_name.upper() if r.random() < 0.5 else seeker_name
                parts += [(label, "PERSON"), (": ", None)]
            else:
                parts += [("Dr. ", None), (helper_name, "PERSON"), (": ", None)]
        else:
            parts.append((f"{seeker if is_seeker else helper}: ", None))
        if is_seeker and i in pii_turns:
            tpl = r.choices([t for t, _ in TEMPLATES], weights)[0]
            pieces = tpl(v, r)
            if r.random() < 0.06:  # hide one identifier behind a Unicode trick
                pieces = [(unicode_trick(t, r), e) if e else (t, e) for t, e in pieces]
            pieces = [(_cap(pieces[0][0]), pieces[0][1])] + pieces[1:]
            if r.random() < 0.5:
                pieces = [(r.choice(CLIENT_PLAIN) + " ", None)] + pieces
            parts += pieces
        else:
            parts.append((r.choice(CLIENT_PLAIN if is_seeker else THERAPIST_PLAIN), None))
        parts.append(("\n", None))
    text, spans = "", []
    for bit, etype in parts:
        if lower and not (named and etype == "PERSON" and bit.isupper()):
            bit = bit.lower()
        if etype:
            spans.append({"start": len(text), "end": len(text) + len(bit), "entity_type": etype})
        text += bit
    return text.rstrip("\n") + "\n", spans


# --- presidio-evaluator part ----------------------------------------------------------------

# Our own, offline stand-ins for the generator's network-backed hospital list.
HOSPITALS = [f"{n} {k}" for n in ("Riverside", "St. Agnes", "Mercy", "Lakeview", "Good Samaritan", "Providence",
                                  "Sacred Heart", "Valley", "Northside", "Memorial")
             for k in ("Hospital", "Medical Center")]
# Finer type names than the generator's defaults, so cities are scored and states/countries
# (not identifiers under Safe Harbor) are left out through the alias table.
ENTITY_TYPE_MAPPING = {
    "city": "CITY", "country": "COUNTRY", "state": "STATE", "state_abbr": "STATE",
    "postcode": "ZIP", "zipcode": "ZIP", "year": "YEAR", "day_of_week": "DAY_OF_WEEK",
    "prefix": "TITLE", "prefix_male": "TITLE", "prefix_female": "TITLE", "job": "PROFESSION",
    "nationality": "NRP", "nation_woman": "NRP", "nation_man": "NRP", "nation_plural": "NRP",
    "religion": "RELIGION", "hospital_name": "HOSPITAL", "age": "AGE",
}


def presidio_part(n: int, seed: int, per_file: int = 25) -> list[tuple[str, list[dict]]]:
    try:
        from presidio_evaluator.data_generator import PresidioSentenceFaker
        from presidio_evaluator.data_generator import presidio_sentence_faker as psf
        from presidio_evaluator.data_generator.faker_extensions import HospitalProvider
        from presidio_evaluator.data_generator.faker_extensions.datasets import load_fake_person_df
    except ImportError as e:
        raise SystemExit(f"presidio-evaluator is not importable ({e}); see this script's docstring for the "
                         f"separate bench venv, or pass --no-presidio") from e

    class OfflineHospitals(HospitalProvider):
        def load_hospitals(self, hospital_file):  # never WikiData
            return list(HOSPITALS)

    providers = [p for p in psf.presidio_additional_entity_providers if p is not HospitalProvider] + [OfflineHospitals]
    records = load_fake_person_df()
    records = records[records["country_code"] == "US"].reset_index(drop=True)  # Safe Harbor is a US rule
    templates = []
    for line in psf.presidio_templates_file_path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("\ufeff").replace("\\n", "\n")
        # skip the file's few malformed templates ("{street_name}" with single braces)
        if line and not re.search(r"(?<!\{)\{[a-z_]+\}(?!\})", line):
            templates.append(line)
    mapping = {**PresidioSentenceFaker.ENTITY_TYPE_MAPPING, **ENTITY_TYPE_MAPPING}
    faker = PresidioSentenceFaker("en_US", lower_case_ratio=0.05, sentence_templates=templates,
                                  entity_providers=providers, base_records=records,
                                  entity_type_mapping=mapping, random_seed=seed)
    samples = faker.generate_new_fake_sentences(n)
    docs, text, spans = [], "", []
    for i, s in enumerate(samples):
        base = len(text)
        for sp in s.spans:
            etype = sp.entity_type
            if etype == "AGE":  # only ages over 89 are identifiers
                etype = "AGE_OVER_89" if re.fullmatch(r"\d+", sp.entity_value.strip()) and int(sp.entity_value) >= 90 else "AGE"
            spans.append({"start": base + sp.start_position, "end": base + sp.end_position, "entity_type": etype})
        text += s.full_text
        text += "\n\n"
        if (i + 1) % per_file == 0 or i == len(samples) - 1:
            docs.append((text.rstrip("\n") + "\n", spans))
            text, spans = "", []
    return docs


def check_spans(text: str, spans: list[dict], where: str) -> None:
    for s in spans:
        if not (0 <= s["start"] < s["end"] <= len(text)) or not text[s["start"]:s["end"]].strip():
            raise SystemExit(f"{where}: bad span {s} for this text")


def write_part(out: Path, name: str, docs: list[tuple[str, list[dict]]], meta: dict) -> int:
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    truth = {"about": meta, "documents": []}
    n_spans = 0
    for i, (text, spans) in enumerate(docs):
        fname = f"{name}_{i + 1:04d}.txt"
        check_spans(text, spans, fname)
        (folder / fname).write_text(text, encoding="utf-8", newline="\n")
        spans = sorted(spans, key=lambda s: (s["start"], s["end"]))
        truth["documents"].append({"file": fname, "spans": spans})
        n_spans += len(spans)
    (folder / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return n_spans


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--conversations", type=int, default=200)
    ap.add_argument("--presidio", type=int, default=600, help="sentences from presidio-evaluator's generator")
    ap.add_argument("--no-presidio", action="store_true")
    args = ap.parse_args(argv)

    v = Values(args.seed)
    r = random.Random(args.seed + 1)
    convs = [conversation(v, r) for _ in range(args.conversations)]
    n = write_part(args.out, "conversational", convs,
                   {"generator": "bench/make_redaction_testset.py", "seed": args.seed, "conversations": args.conversations})
    print(f"{args.out / 'conversational'}: {len(convs)} transcripts, {n} identifiers")
    if not args.no_presidio and args.presidio > 0:
        docs = presidio_part(args.presidio, args.seed)
        n = write_part(args.out, "presidio_evaluator", docs,
                       {"generator": "presidio-evaluator PresidioSentenceFaker via bench/make_redaction_testset.py",
                        "seed": args.seed, "sentences": args.presidio,
                        "records": "FakeNameGenerator rows with country US", "hospitals": "offline list"})
        print(f"{args.out / 'presidio_evaluator'}: {len(docs)} files of up to 25 sentences, {n} labelled spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
