"""The public entry point: find identifiers in a page and replace them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Iterable, Optional, Union

from .engine import DEFAULT_MODEL, LANGUAGE, build_analyzer
from .normalize import normalize
from .replace import PlaceholderMap
from .results import Redacted, Span

DEFAULT_THRESHOLD = 0.4
# Findings scored from here up to the threshold are "uncertain": not redacted, but put before a
# person (or redacted without asking under --strict). Recognizers that are unsure on purpose
# (a name that is also an abstract noun in a weak slot, any number from 90) score in this band.
UNCERTAIN_FLOOR = 0.2
# Our own placeholders ("[PERSON_1]") are never identifiers themselves.
PLACEHOLDER_RX = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
# spaCy is linear in text length but refuses texts over ~1M chars; very long
# pages are analysed in line-aligned chunks of this size.
CHUNK_CHARS = 20_000
CONTAINER_MIN_SCORE = 0.6
# Identifiers whose text is built from names and places (see the container rule in _resolve).
COMPOSITE_TYPES = frozenset({"STREET_ADDRESS", "FACILITY", "EMAIL_ADDRESS", "URL"})
# Types whose words stay redacted even when a surer span of another type takes part of them:
# a name split by a town reading ("Paris Hilton") must not leave its other half in the text.
KEEP_REMAINDER_TYPES = frozenset({"PERSON"})
# (general type, specific type, score): a span of the specific type at this score or more wins
# over a span of the general type on the same digits, whatever their scores. The card recognizer
# reports 0.9 only for a Luhn-valid number after a card label or with a card brand's prefix and
# length, and an account label nearby can lift the account reading of the same digits higher.
REFINES = [("ACCOUNT_NUMBER", "CREDIT_CARD", 0.9)]


def _chunks(text: str, size: int) -> Iterable[tuple[int, str]]:
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            if cut != -1:
                end = cut + 1
        yield start, text[start:end]
        start = end


def _resolve(spans: list[Span], text: str) -> list[Span]:
    """One span per stretch of text.

    Spans of the same type that overlap are merged (NER may find "Jenny",
    the lexicon "Jenny Roe"); between types the higher score wins, then the
    longer span.
    """
    spans = [s for s in spans if not _refined(s, spans)]
    by_type: dict[str, list[Span]] = {}
    for s in spans:
        by_type.setdefault(s.entity_type, []).append(s)
    merged: list[Span] = []
    for group in by_type.values():
        group.sort(key=lambda s: (s.start, -s.end))
        cur = group[0]
        for s in group[1:]:
            if s.start < cur.end:
                best = cur if cur.score >= s.score else s
                cur = dataclasses.replace(best, start=cur.start, end=max(cur.end, s.end), score=max(cur.score, s.score))
            else:
                merged.append(cur)
                cur = s
        merged.append(cur)
    # A confident span that strictly contains another wins over it: the street in "511 Mark
    # Ferry Suite 4" or the saint in "St. Mary's Hospital" is part of the bigger identifier,
    # not a person of its own. Streets, facilities, e-mail addresses and URLs are made of
    # names, so they win over any name inside them. Any other container (a person or town
    # guess) that is less confident than a span at its head does not win: it was built on
    # that word, and the surer reading of the word decides. In "Where: Rogers Country Club"
    # the first-name guess "Rogers Country" (0.7) does not beat the town "Rogers" (0.88).
    # A surer span elsewhere in it does not undo it: in "Tsuneto Heida" the first name is
    # evidence of its own, and letting the town reading of "Heida" win would leave
    # "Tsuneto" in the text.
    merged = [
        s for s in merged
        if not any(
            o is not s and o.score >= CONTAINER_MIN_SCORE
            and (o.score >= s.score or o.entity_type in COMPOSITE_TYPES or o.start < s.start)
            and o.start <= s.start and s.end <= o.end
            and (o.end - o.start) > (s.end - s.start)
            for o in merged
        )
    ]
    merged.sort(key=lambda s: (-s.score, -(s.end - s.start), s.start))
    taken: list[Span] = []
    for s in merged:
        if all(s.end <= t.start or s.start >= t.end for t in taken):
            taken.append(s)
        elif s.entity_type in KEEP_REMAINDER_TYPES:
            # A name that lost part of itself to a surer span keeps the rest: in "Paris Hilton"
            # read as the town "Paris", "Hilton" is still a surname and must not stay in the text.
            taken.extend(_remainders(s, taken, text))
    return sorted(taken, key=lambda s: s.start)


def _remainders(s: Span, taken: list[Span], text: str) -> list[Span]:
    """The words of `s` (2+ letters) that no taken span covers; a word cut by a taken span keeps
    its uncovered part."""
    own = list(text[s.start:s.end])
    for t in taken:  # blank out what is taken: the word pattern cannot cross a blank
        for i in range(max(s.start, t.start), min(s.end, t.end)):
            own[i - s.start] = " "
    return [dataclasses.replace(s, start=s.start + m.start(), end=s.start + m.end(), text=m.group())
            for m in re.finditer(r"\w[\w'’.-]*\w", "".join(own)) if sum(c.isalpha() for c in m.group()) >= 2]


def _refined(s: Span, spans: list[Span]) -> bool:
    """True when a span of a more specific type covers the same digits (``REFINES``)."""
    for general, specific, min_score in REFINES:
        if s.entity_type != general:
            continue
        digits = re.sub(r"\D", "", s.text)
        for o in spans:
            if (o.entity_type == specific and o.score >= min_score and o.start < s.end and s.start < o.end
                    and digits and re.sub(r"\D", "", o.text) == digits):
                return True
    return False


class Redactor:
    """Presidio + spaCy with this package's recognizers, loaded once per model."""

    def __init__(self, analyzer, threshold: float = DEFAULT_THRESHOLD):
        self.analyzer = analyzer
        self.threshold = threshold

    @classmethod
    def load(cls, model: Union[str, Path, None] = None, threshold: float = DEFAULT_THRESHOLD) -> "Redactor":
        """Build (or reuse the cached) analyzer. ``model`` is an installed
        spaCy package name or a model directory; nothing is ever downloaded."""
        return cls(build_analyzer(str(model) if model else DEFAULT_MODEL), threshold)

    # --- analysis ------------------------------------------------------
    def analyze(self, text: str, entities: Optional[list[str]] = None) -> list[Span]:
        return self.analyze_with_uncertain(text, entities)[0]

    def analyze_with_uncertain(self, text: str, entities: Optional[list[str]] = None) -> tuple[list[Span], list[Span]]:
        """(identifiers, uncertain findings), in one pass over the text. The uncertain ones scored
        between UNCERTAIN_FLOOR and the threshold and overlap no identifier; the identifiers are
        exactly what a pass at the threshold alone would give."""
        if not text or not text.strip():
            return [], []
        norm = normalize(text)
        raw: list[Span] = []
        floor = min(UNCERTAIN_FLOOR, self.threshold)
        for offset, chunk in _chunks(norm.text, CHUNK_CHARS):
            if not chunk.strip():
                continue
            results = self.analyzer.analyze(text=chunk, language=LANGUAGE, entities=entities, score_threshold=floor)
            for r in results:
                s, e = r.start + offset, r.end + offset
                meta = r.recognition_metadata or {}
                name = meta.get("recognizer_name") or "unknown"
                raw.append(Span(s, e, r.entity_type, round(float(r.score), 4), name, norm.text[s:e]))
        masked = [m.span() for m in PLACEHOLDER_RX.finditer(norm.text)]
        raw = [sp for sp in raw if all(sp.end <= a or sp.start >= b for a, b in masked)]
        sure = _resolve([sp for sp in raw if sp.score >= self.threshold], norm.text)
        unsure = [sp for sp in _resolve([sp for sp in raw if sp.score < self.threshold], norm.text)
                  if all(sp.end <= o.start or sp.start >= o.end for o in sure)]
        return self._to_original(sure, norm, text), self._to_original(unsure, norm, text)

    @staticmethod
    def _to_original(spans: list[Span], norm, text: str) -> list[Span]:
        out = []
        for sp in spans:
            s, e = norm.to_original(sp.start, sp.end)
            value = text[s:e]
            # Trim blanks that normalisation may have pulled in at the edges.
            lead = len(value) - len(value.lstrip())
            trail = len(value) - len(value.rstrip())
            s, e = s + lead, e - trail
            if e > s:
                out.append(dataclasses.replace(sp, start=s, end=e, text=text[s:e]))
        return out

    # --- replacement -----------------------------------------------------
    def redact(
        self,
        text: str,
        mapping: Optional[PlaceholderMap] = None,
        style: str = "placeholder",
        spans: Optional[list[Span]] = None,
        strict: bool = False,
    ) -> Redacted:
        """Replace every identifier; ``mapping`` is updated in place. The uncertain findings are
        returned beside the text, kept in it -- or replaced too when ``strict``.

        Pass ``spans`` to redact with a reviewed list instead of analysing."""
        mapping = mapping if mapping is not None else PlaceholderMap()
        if spans is not None:
            return apply(text, sorted(spans, key=lambda s: s.start), mapping, style)
        found, unsure = self.analyze_with_uncertain(text)
        if strict:
            return apply(text, sorted(found + unsure, key=lambda s: s.start), mapping, style)
        red = apply(text, found, mapping, style)
        return dataclasses.replace(red, uncertain=unsure)


def identifier_types(text: str, uncertain: bool = True) -> list[str]:
    """Entity types of what the default engine finds in a short free text (a record's field): its
    identifiers and, with `uncertain`, its uncertain findings too. Empty: nothing identifying."""
    sure, unsure = Redactor.load().analyze_with_uncertain(text)
    return sorted({s.entity_type for s in sure + (unsure if uncertain else [])})


def apply(text: str, spans: list[Span], mapping: PlaceholderMap, style: str = "placeholder") -> Redacted:
    """Replace the given spans (original-text offsets) in text."""
    done: list[Span] = []
    pieces: list[str] = []
    pos = 0
    for sp in sorted(spans, key=lambda s: s.start):
        if sp.start < pos:  # overlapping input: the earlier span already covers it
            continue
        replacement = mapping.assign(sp.entity_type, text[sp.start:sp.end], style)
        pieces.append(text[pos:sp.start])
        pieces.append(replacement)
        pos = sp.end
        done.append(dataclasses.replace(sp, placeholder=replacement))
    pieces.append(text[pos:])
    return Redacted("".join(pieces), done, style)


def drop_allowed(text: str, spans: list[Span], terms) -> list[Span]:
    """The spans that are not a caller's own vocabulary: a span whose text is one of `terms` (case
    folded), or that lies inside an occurrence of one ("Thought Records" inside "thought records"),
    is dropped. For text a tool generated with that vocabulary, where its words are the method."""
    terms = {t.casefold() for t in terms}
    if not spans or not terms:
        return spans
    folded = text.casefold()
    inside = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            if (start == 0 or not folded[start - 1].isalnum()) and (end == len(folded) or not folded[end].isalnum()):
                inside.append((start, end))
            start = folded.find(term, start + 1)
    return [s for s in spans if s.text.casefold().strip() not in terms
            and not any(a <= s.start and s.end <= b for a, b in inside)]
