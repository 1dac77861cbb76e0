"""Write a test set of lower-case first names in ordinary client speech, for `onprem eval redaction`.

Transcripts made by speech recognition or typed quickly drop capitals, and clients name people
from many cultures. Each session here has client turns that name someone in lower case, in one of
many everyday frames ("honestly {name} was the one who made the appointment", "so {name} and me
went", "i keep thinking about what {name} said"), next to turns that use lower-case words which
are also names but are not names there ("i will", "the phone bill", "in april", "mark my words").

The names come from this script's own lists, written by hand per culture (West and Southern
African, Russian and Ukrainian with their everyday short forms, Japanese, South and East Asian,
Arabic, Turkish, Latin American, Eastern European, Irish, ...), not from the lexicon the
recognizers use, so recall here measures how well redaction generalises beyond its own word list.
Half of each culture's list is drawn for --half dev and the other half for --half test: tune on
dev seeds, measure on test seeds the tuning never saw. The same --seed writes the same files.

    python bench/make_lowercase_names_testset.py --out DIR [--seed 1] [--sessions 120] [--half dev|test|all]
    onprem eval redaction --truth DIR/lowercase_names/truth.json DIR/lowercase_names
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_redaction_testset import write_part  # noqa: E402

NAMES = {
    "yoruba": "adebayo adewale ayodele bisola bolaji damilola folake funmilayo ifeoluwa kehinde kunle "
              "olamide olumide oluwaseun segun temitope titilayo tunde yetunde abimbola",
    "igbo": "adaeze amaka chiamaka chidi chidinma chinonso chukwuemeka ebuka ifeoma ikenna kelechi nkechi "
            "nnamdi obiageli onyeka uchenna ugochi chioma ngozi",
    "akan": "akosua ama abena adwoa afia akua yaa kofi kwame kwabena kwadwo kwaku yaw kwasi esi efua "
            "ekow kojo fiifi araba",
    "hausa": "aminu bashir hadiza halima jamilu lawal maryam rabiu salisu zainab zulaihat abdulmalik "
             "nafisa hauwa kabiru sadiq",
    "zulu_xhosa": "andile ayanda bongani lindiwe mbali nandi nkosana nomvula sbu sipho thabo thandeka "
                  "themba zanele zodwa lwazi luyanda nokuthula siyabonga thulani",
    "sotho_shona": "kagiso karabo lerato mpho neo palesa refiloe tebogo tumelo tshepo chipo farai "
                   "rudo tatenda tendai nyasha kudzai tapiwa",
    "russian_ukrainian": "alyosha dasha dima galya katya kolya lena lyuba masha misha natasha oksana "
                         "olya pasha sasha seryozha sveta tanya vanya volodya yulia zhenya "
                         "bohdan taras mykola halyna",
    "japanese": "akiko ayumi chihiro daisuke emiko haruto hiroshi kaori kenji mai makoto miyu naoki "
                "reiko ryota sakura satoshi shota takumi tomoko yuki yuna",
    "south_asian": "aarav anjali arjun deepa divya gaurav harpreet ishaan kavya lakshmi manpreet "
                   "nikhil priya rahul rohan sanjay shreya sunita vikram yash",
    "east_se_asian": "mei ling xiaoyu wei jun hao minh linh thanh huong hieu jiwoo minjun seoyeon "
                     "haneul kiet thuy bao",
    "arabic_turkish": "ahmed aisha fatima hassan karim layla mohammed omar rania samir youssef "
                      "zeynep emre elif burak mehmet ayse",
    "latin_american": "alejandra camila diego esteban fernanda guadalupe jimena lupita mateo "
                      "paola rodrigo valentina ximena yesenia",
    "european": "agnieszka bartosz dorota grzegorz katarzyna tomasz jelena milos dragan ioana "
                "bogdan siobhan niamh saoirse oisin padraig",
}

# A lower-case name where people put one in talk. {n} is the name.
FRAMES = [
    "honestly {n} was the one who made the appointment.",
    "so {n} and me went to the clinic together.",
    "i keep thinking about what {n} said to me.",
    "and then {n} just stopped answering my calls.",
    "my neighbour {n} has been really kind lately.",
    "i told {n} i was fine but i wasn't.",
    "me and {n} used to go running every morning.",
    "{n} picked me up from work on friday.",
    "the only one who really gets it is {n}.",
    "i was at {n}'s place when it happened.",
    "it was {n} who noticed i wasn't eating.",
    "yeah, {n} drove me here today.",
    "i called {n} last night and we talked for hours.",
    "because {n} thinks i should take a break.",
    "my manager, {n}, keeps piling on work.",
    "we had dinner at {n}'s on sunday.",
    "i haven't seen {n} since the funeral.",
    "{n} and i are trying to fix things.",
    "but {n} doesn't understand why i'm tired.",
    "i guess {n} was right about me.",
]
# Lower-case words that are names elsewhere, used as words: nothing here may be redacted.
NOT_NAMES = [
    "i will try to sleep earlier this week.", "it was only by the grace of god that i got through it.",
    "the phone bill came and i panicked.", "it may be the new medication.", "my exams are in april.",
    "mark my words, it's going to get worse.", "i hope things calm down soon.", "there's no joy in it anymore.",
    "i have faith it'll pass.", "the rose bush in the garden died.", "i wake up at dawn every day.",
    "last summer was the worst.", "to be frank, i don't want to talk about it.", "i need a jack for the car.",
    "she will be fine, i think.", "we may move in june.", "i'll mark it on the calendar.",
    "my dad said grace before dinner.", "i paid the bill late again.", "april was a hard month.",
    "it's just a will of my own, you know.", "i've got an appointment in may.",
]
CLIENT_PLAIN = ["i don't know, it's been a lot.", "yeah, i guess so.", "mostly at night, when it's quiet.",
                "i just feel tired all the time.", "it comes and goes.", "honestly i'm not sure."]
THERAPIST_PLAIN = ["what was that like for you?", "tell me more about that.", "how have you been sleeping?",
                   "that sounds really hard.", "what helps when it gets like that?", "mm-hm, go on."]


def pool(half: str) -> dict[str, list[str]]:
    """Each culture's names split in two fixed halves by a hash of the name (dev / test)."""
    out = {}
    for culture, names in NAMES.items():
        ns = names.split()
        if half != "all":
            ns = [n for n in ns if (hashlib.sha256(n.encode()).digest()[0] % 2 == 0) == (half == "dev")]
        out[culture] = ns
    return out


def session(r: random.Random, names: dict[str, list[str]]) -> tuple[str, list[dict]]:
    text, spans = "", []
    for i in range(r.randint(10, 18)):
        client = i % 2 == 1
        text += "client: " if client else "therapist: "
        roll = r.random()
        if client and roll < 0.45:
            culture = r.choice(sorted(names))
            name = r.choice(names[culture])
            frame = r.choice(FRAMES)
            at = frame.index("{n}")
            start = len(text) + at
            text += frame.replace("{n}", name)
            spans.append({"start": start, "end": start + len(name), "entity_type": "PERSON", "culture": culture})
        elif client and roll < 0.75:
            text += r.choice(NOT_NAMES)
        else:
            text += r.choice(CLIENT_PLAIN if client else THERAPIST_PLAIN)
        text += "\n"
    return text, spans


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sessions", type=int, default=120)
    ap.add_argument("--half", choices=("dev", "test", "all"), default="test")
    args = ap.parse_args()
    r = random.Random(args.seed)
    names = pool(args.half)
    docs = [session(r, names) for _ in range(args.sessions)]
    n = write_part(args.out, "lowercase_names", docs,
                   {"seed": args.seed, "sessions": args.sessions, "half": args.half,
                    "generator": "bench/make_lowercase_names_testset.py"})
    print(f"{args.out}/lowercase_names: {args.sessions} sessions, {n} lower-case names ({args.half} half)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
