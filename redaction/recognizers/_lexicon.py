"""Word lists shared by the name recognizers.

First and last names come from the locale data that Faker ships (already a
dependency for surrogates; MIT licence, plain Python lists, no network), so no
list is copied into this repository. English names are `first_names()`; names
of many other cultures (West and Southern African, Russian and Ukrainian,
Japanese, South and East Asian, Arabic, Turkish, Latin American, European) are
`world_first_names()`, romanised where the locale writes another script.
"""

from __future__ import annotations

import functools
import re

# First names that are also everyday words in conversation; a lower-case or
# sentence-initial match on these needs stronger evidence than the lexicon.
COMMON_WORD_NAMES = frozenset(
    """
    will may hope grace mark bill rose joy faith summer dawn guy don jack frank art pat sue
    ray chase hunter drew lane baby babe love friend son sister doctor doc job case reason
    chance true less little long ever early general major gay harm harmony carry add link
    lucky star buddy wise con power sunday january april june august autumn winter spring
    amber angel baker bell belle berry bird bliss blossom boss brain branch brook brown buck
    bud bush cash candy cap captain champ charity cherry chip christian clay cliff coral
    crystal daisy dale dean destiny diamond doll dot dove duke earl earnest eden ember echo
    fate fern flint flora ford forest gale garland ginger glen golden grant gray green grove
    hale hall hardy haven hazel heath heather heaven herb hill holly honey hunt iris ivy
    ivory jade jewel journey judge junior justice king kit lacy lady lark laurel lemon
    liberty lily lone loyal major marsh max melody mercy merry miles misty moody noble north
    olive opal orange page park patience pearl penny pepper pink piper pleasant precious
    press price prince princess queen rain red reed rich ridge river robin rock rocky royal
    ruby rush rusty sage saint sandy scarlet shade sky silver sincere sing skip sol spring
    stone storm stormy sunny sunshine tab tea tiny toy trace treasure trinity unique urban
    velvet victory violet ward wash wells west willow wing wood worth young tai ferris kia
    ora fed van colon fairy media unknown male female le ho lu mat math ed al sal nan nanna
    mo bo jo di vi ty ali dj kim? lee chin china india paris asia cuba georgia virginia
    carolina dakota montana nevada texas indiana florida arizona tennessee kenya israel
    america missouri alabama boston brooklyn london berlin rome venice milan denver dallas
    houston austin phoenix memphis madison jordan ireland holland sydney savannah
    christ jesus messiah god lord angel unnamed infant author lawyer governor colonel
    admiral commodore deacon bishop shepherd squire steward marshal porter fisher weaver
    cooper carter mason tucker parker turner walker miller butler chandler sawyer gardner
    archer banks hayes hays oral kinda
    roll german french english irish welsh scots swiss dane dutch polish
    """.replace("?", "").split()
)

# Speaker labels that name a role, not a person.
ROLE_LABELS = frozenset(
    """
    therapist client patient counselor counsellor coach caregiver helper seeker clinician
    psychologist psychiatrist doctor nurse interviewer interviewee participant respondent
    moderator facilitator speaker narrator unknown unidentified inaudible crosstalk both all
    group family mother father mom dad parent child kid son daughter wife husband partner
    member user assistant agent staff subject provider practitioner physician counselee
    advisor adviser mentor mentee student teacher supervisor trainee host guest caller
    q a t c p i r s m f cl th pt dr int resp note notes summary transcript session date time
    location page topic question answer example warning important tip goal goals plan homework
    also re ps nb transcriber comment comments context background observation observations
    help-seeker social worker case manager audio video recording start end break pause
    """.split()
)


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    from faker.providers.person.en import Provider as En
    from faker.providers.person.en_GB import Provider as EnGB
    from faker.providers.person.en_US import Provider as EnUS

    names: set[str] = set()
    for provider in (En, EnUS, EnGB):
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            names.update(n.lower() for n in getattr(provider, attr, ()) or ())
    return frozenset(n for n in names if re.fullmatch(r"[a-z][a-z'\-]+", n))


# Faker locales whose first names (romanised ones where the locale has them) make the world lexicon.
WORLD_LOCALES = (
    "yo_NG", "ig_NG", "ha_NG", "en_NG", "tw_GH", "zu_ZA", "sw", "en_KE", "ja_JP", "ru_RU", "uk_UA", "en_IN",
    "en_PK", "vi_VN", "zh_CN", "id_ID", "tr_TR", "az_AZ", "uz_UZ", "es_MX", "es_ES", "es_CO", "pt_BR", "pl_PL",
    "ro_RO", "hr_HR", "cs_CZ", "it_IT", "fr_FR", "de_DE", "ga_IE", "nl_NL", "sv_SE", "fi_FI", "hu_HU",
)
# Cyrillic to Latin, as names are usually written in English text ("Наташа" -> "natasha").
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g".split()))


def _romanise(name: str) -> str:
    import unicodedata

    low = name.lower()
    if any(ch in _CYRILLIC for ch in low):
        low = "".join(_CYRILLIC.get(ch, ch) for ch in low).replace("-", "")
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def world_first_names() -> frozenset[str]:
    """First names of many cultures, lower-case ASCII, without the English ones."""
    import importlib

    names: set[str] = set()
    for loc in WORLD_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_romanized_names",
                     "first_romanized_names_male", "first_romanized_names_female"):
            value = getattr(provider, attr, ()) or ()
            for n in (value.keys() if isinstance(value, dict) else value):
                for part in str(n).split():
                    names.add(_romanise(part))
    return frozenset(n for n in names if re.fullmatch(r"[a-z][a-z'\-]+", n)) - first_names()


@functools.lru_cache(maxsize=1)
def last_names() -> frozenset[str]:
    from faker.providers.person.en import Provider as En
    from faker.providers.person.en_GB import Provider as EnGB
    from faker.providers.person.en_US import Provider as EnUS

    names: set[str] = set()
    for provider in (En, EnUS, EnGB):
        names.update(n.lower() for n in getattr(provider, "last_names", ()) or ())
    return frozenset(n for n in names if re.fullmatch(r"[a-z][a-z'\-]+", n))


def is_english(low: str, dictionary: frozenset[str]) -> bool:
    """The word list knows the word, or a form of it: a plural, or an ending the lemmatizer's list
    does not spell out (-ing, -ed, -ly, -y, -er, -est, with a dropped "e" or a doubled consonant:
    "ties", "quitting", "outraging", "sweaty")."""
    if low in dictionary:
        return True
    if low.endswith("s") and (low[:-1] in dictionary or (low.endswith("es") and low[:-2] in dictionary)):
        return True
    if low.endswith("ies") and low[:-3] + "y" in dictionary:
        return True
    for suffix in ("ing", "ed", "ly", "y", "er", "est"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            base = low[: -len(suffix)]
            for cand in (base, base + "e", base[:-1] if len(base) > 3 and base[-1] == base[-2] else None):
                if cand and cand in dictionary:
                    return True
    return False


def dictionary_words(nlp) -> frozenset[str]:
    """English words known to the model's lemmatizer (WordNet-derived).

    Used the other way round: a lower-case word the lemmatizer has never
    heard of, right after "my sister", is most likely a name.
    """
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except Exception:  # a model without lookups: treat everything as a word
        return frozenset()
    known: set[str] = set()
    for _, items in table.items():
        known.update(items)
    return frozenset(known)
