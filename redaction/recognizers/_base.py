"""Shared machinery so each recognizer file can be mostly data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from ..spoken import digit_runs

# A validator gets the matched value and the whole text; it returns False to
# drop the match, a float to replace its score, or True/None to keep it.
Validator = Callable[[str, "re.Match[str]", str], "bool | float | None"]


@dataclass(frozen=True)
class Rule:
    """One regular expression. If it has a group named ``value`` only that
    group is reported, so the surrounding words can act as required context."""

    name: str
    regex: str
    score: float
    flags: int = re.IGNORECASE


def words(*items: str) -> str:
    """Alternation of phrases, longest first, spaces matching any blank run."""
    parts = sorted({i.strip() for i in items if i.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts) + ")"


def _result(entity: str, start: int, end: int, score: float, name: str, why: str) -> RecognizerResult:
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=name, original_score=score, textual_explanation=why
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
        },
    )


class RuleRecognizer(EntityRecognizer):
    """Regex rules plus an optional validator for one entity type."""

    def __init__(
        self,
        name: str,
        entity: str,
        rules: Iterable[Rule],
        context: Iterable[str] = (),
        validator: Optional[Validator] = None,
    ):
        self.entity = entity
        self.rules = [(r, re.compile(r.regex, r.flags)) for r in rules]
        self.validator = validator
        super().__init__(supported_entities=[entity], name=name, context=list(context))

    def load(self) -> None:  # nothing to load: the rules are compiled above
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if entities and self.entity not in entities:
            return []
        out = []
        for rule, rx in self.rules:
            for m in rx.finditer(text):
                start, end = m.span("value") if "value" in rx.groupindex else m.span()
                if end <= start:
                    continue
                value = text[start:end]
                score = rule.score
                if self.validator is not None:
                    verdict = self.validator(value, m, text)
                    if verdict is False:
                        continue
                    if isinstance(verdict, float):
                        score = verdict
                out.append(_result(self.entity, start, end, score, self.name, rule.name))
        return out


# An identifier after its label: chunks with at least one digit, joined by
# blanks or dashes; an all-letter prefix such as "ABC 1234" is allowed
# (lower-case too, as transcribers write it, when digits follow at once).
ID_VALUE = (
    # a short letter prefix: capitals ("XJH 1234"), or any case right before digits ("wm 9561")
    r"(?:(?-i:[A-Z]{1,4})[\s\-]|[A-Za-z]{1,4}[\s\-](?=\d))?"
    r"[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[\-\s/.](?=[A-Za-z]{0,4}\d)[A-Za-z0-9]*\d[A-Za-z0-9]*|[\-](?-i:[A-Z]{1,4})\b)*"
)
# Words allowed between a label and its value: "MRN is 1234", "member ID: X".
FILLER = (
    r"(?:\s*(?:(?:number|numbers|num|no|nr|id|is|was|it's|its|it\s+is|are|of|again|that's|that\s+is|"
    r"like|uh|um|ends?\s+in|ending\s+in)(?![A-Za-z0-9])\.?|['\u2019]s(?![A-Za-z0-9])|[#:,\-=])\s*)*"
)


class LabelledIdRecognizer(EntityRecognizer):
    """An identifier that follows one of its labels ("MRN", "member ID"),
    written ("A12-3456") or spoken ("four four seven one...")."""

    def __init__(
        self,
        name: str,
        entity: str,
        labels: Iterable[str],
        score: float = 0.85,
        min_digits: int = 4,
        value: str = ID_VALUE,
        spoken: bool = True,
        validator: Optional[Callable[[str], bool]] = None,
    ):
        self.entity = entity
        self.score = score
        self.min_digits = min_digits
        self.spoken = spoken
        self.value_validator = validator
        self.label_rx = re.compile(r"\b" + words(*labels) + r"\b", re.IGNORECASE)
        self.value_rx = re.compile(FILLER + r"\s*(?P<value>" + value + r")", re.IGNORECASE)
        self.filler_rx = re.compile(FILLER + r"\s*", re.IGNORECASE)
        super().__init__(supported_entities=[entity], name=name, context=list(labels))

    def load(self) -> None:
        pass

    def _ok(self, value: str) -> bool:
        if sum(c.isdigit() for c in value) < self.min_digits:
            return False
        return self.value_validator(value) if self.value_validator else True

    def analyze(self, text, entities, nlp_artifacts=None):
        if entities and self.entity not in entities:
            return []
        out = []
        for lm in self.label_rx.finditer(text):
            pos = lm.end()
            m = self.value_rx.match(text, pos)
            if m and self._ok(m.group("value")) and not _spoken_follows(text, m.end("value")):
                s, e = m.span("value")
                out.append(_result(self.entity, s, e, self.score, self.name, "value after label"))
                continue
            if self.spoken:
                f = self.filler_rx.match(text, pos)
                start = f.end() if f else pos
                window = text[start:start + 200]
                runs = digit_runs(window)
                if runs and runs[0].start <= 2 and len(runs[0].digits) >= self.min_digits:
                    r = runs[0]
                    out.append(
                        _result(self.entity, start + r.start, start + r.end, self.score, self.name, "spoken value after label")
                    )
        return out


def _spoken_follows(text: str, end: int) -> bool:
    """True when a written number runs on into spoken digits ("44 seven one")."""
    runs = digit_runs(text[end:end + 30])
    return bool(runs) and runs[0].start <= 2 and runs[0].has_words


class TokenRecognizer(EntityRecognizer):
    """Base for recognizers that read spaCy tokens (tags, case, neighbours)."""

    def __init__(self, name: str, entity: str, context: Iterable[str] = ()):
        self.entity = entity
        super().__init__(supported_entities=[entity], name=name, context=list(context))

    def load(self) -> None:
        pass

    def result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return _result(self.entity, start, end, score, self.name, why)
