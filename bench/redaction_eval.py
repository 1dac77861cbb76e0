"""Recall/precision of the redaction package on generated conversational pages.

Not a test: prints figures. Each page is a short therapist-client exchange
written for this benchmark, with fake identifiers (Faker, fixed seed) planted
in spoken phrasing. Optionally writes the truth file for `onprem eval`.

    python bench/redaction_eval.py [--pages 300] [--seed 7] [--truth-out FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faker import Faker  # noqa: E402

from redaction import Redactor  # noqa: E402
from redaction.evaluate import evaluate, format_table, parse_truth  # noqa: E402

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()


def spoken(digits: str, rng: random.Random) -> str:
    words = [("oh" if d == "0" and rng.random() < 0.5 else DIGIT_WORDS[int(d)]) for d in digits]
    if len(digits) == 10:
        return f"{' '.join(words[:3])}, {' '.join(words[3:6])}, {' '.join(words[6:])}"
    return " ".join(words)


def make_page(f: Faker, rng: random.Random) -> dict:
    first = f.first_name()
    full = f"{first} {f.last_name()}"
    kin = rng.choice(["sister", "brother", "daughter", "son", "wife", "husband", "friend", "cousin"])
    doctor = f.last_name()
    phone = f.numerify("###-###-####").replace("-", "")
    phone_w = f"{phone[:3]}-{phone[3:6]}-{phone[6:]}"
    city = f.city()
    street = f.street_address()
    zipc = f.zipcode()
    month_day = f"{f.month_name()} {rng.randint(1, 28)}"
    email = f"{first.lower()}.{f.last_name().lower()}@{f.free_email_domain()}"
    ssn = f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
    mrn = f.bothify("??-######").upper()
    member = f.bothify("???#########").upper()
    plate = f.bothify("#???###").upper()
    url = f"www.{f.last_name().lower()}{rng.choice(['family', 'art', 'blog'])}.com"
    ip = f.ipv4_public()
    age = str(rng.randint(90, 104))
    lower_name = first.lower()
    spoken_phone = spoken(phone, rng)

    parts: list[tuple[str, str | None]] = []  # (text, entity_type or None)

    def say(*bits):
        for b in bits:
            parts.append(b if isinstance(b, tuple) else (b, None))

    choice = rng.sample(range(10), 5)
    say("Therapist: How have things been since last time?\n")
    for c in choice:
        if c == 0:
            say("Client: honestly my ", kin, " ", (lower_name, "PERSON"), " has been calling nonstop, like from ",
                (phone_w, "PHONE_NUMBER"), ".\n")
        elif c == 1:
            say("Client: I saw Dr. ", (doctor, "PERSON"), " on ", (month_day, "DATE_TIME"),
                " and she said my MRN is ", (mrn, "MEDICAL_RECORD_NUMBER"), ".\n")
        elif c == 2:
            say("Client: we moved to ", (city, "LOCATION"), ", we're at ", (street, "STREET_ADDRESS"),
                ", zip code ", (zipc, "ZIP_CODE"), ".\n")
        elif c == 3:
            say("Client: you can email me, it's ", (email, "EMAIL_ADDRESS"), ", or call ", (spoken_phone, "PHONE_NUMBER"), ".\n")
        elif c == 4:
            say("Client: the insurance lady wanted my member ID, ", (member, "HEALTH_PLAN_ID"),
                ", and my social, ", (ssn, "US_SSN"), ".\n")
        elif c == 5:
            say("Client: ", (full, "PERSON"), " from work keeps texting me.\n")
        elif c == 6:
            say("Client: my grandmother is ", (age, "AGE_OVER_89"), " years old and still drives, plate ",
                (plate, "VEHICLE_PLATE"), ".\n")
        elif c == 7:
            say("Client: I post stuff on ", (url, "URL"), " sometimes.\n")
        elif c == 8:
            say("Client: the IT guy said my IP was ", (ip, "IP_ADDRESS"), " or something.\n")
        elif c == 9:
            say("Client: I told ", (lower_name, "PERSON"), " I feel okay, but I don't.\n")
        say("Therapist: That sounds like a lot to carry.\n")
    say("Client: Yeah. I feel okay today though.\n")
    text, spans = "", []
    for bit, etype in parts:
        if etype:
            spans.append({"start": len(text), "end": len(text) + len(bit), "entity_type": etype})
        text += bit
    return {"text": text, "spans": spans}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--truth-out")
    args = ap.parse_args()
    f = Faker("en_US")
    f.seed_instance(args.seed)
    rng = random.Random(args.seed)
    docs = [dict(id=str(i), **make_page(f, rng)) for i in range(args.pages)]
    if args.truth_out:
        Path(args.truth_out).write_text(json.dumps({"documents": docs}, indent=1))
    r = Redactor.load()
    words = sum(len(d["text"].split()) for d in docs)
    t = time.perf_counter()
    scores = evaluate(parse_truth({"documents": docs}), r.analyze)
    dt = time.perf_counter() - t
    print(format_table(scores))
    print(f"\n{args.pages} pages, {words} words in {dt:.1f}s = {words / dt:.0f} words/s")


if __name__ == "__main__":
    main()
