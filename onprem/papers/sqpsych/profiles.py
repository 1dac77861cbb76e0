"""Client profiles: a validated record turned into the persona a model role-plays.

The persona is grounded in the item-level answers (which symptoms, how often), demographics and
condition, not just totals. Scores and bands come from the questionnaire files, never a model.
Other generators (PE phases, empathy, persona/scenario) reuse this and add their own `extra` facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onprem.papers.sqpsych.questionnaires import Catalog, ClientRecord

HEALTHY_WORDS = {"healthy", "control", "healthy control", "none", "no diagnosis"}


@dataclass
class Profile:
    client_id: str
    age: int
    gender: str
    condition: str
    responses: dict[str, list[int]]
    scores: dict[str, dict]                 # {"phq9": {"total": 19, "severity": "moderately severe"}}
    alerts: list[str]                       # e.g. ["self_harm"]
    persona: str
    record_sha256: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return is_healthy(self.condition)

    def summary(self) -> str:
        """One line for judges and logs: demographics, condition and scores, no item detail."""
        scores = ", ".join(f"{k.upper()} {v['total']} ({v['severity']})" for k, v in self.scores.items())
        return f"{self.age}-year-old {self.gender}, condition: {self.condition}; {scores}"


def is_healthy(condition: str) -> bool:
    return condition.strip().lower() in HEALTHY_WORDS


def _symptom_lines(catalog: Catalog, responses: dict[str, list[int]],
                   max_symptoms: int = 10_000) -> tuple[list[str], list[str]]:
    """Endorsed symptoms with how often, strongest first across all instruments (answer relative to
    the top of its scale); and symptoms the person does not have. Wording shared by two instruments
    (loss of interest, poor concentration) is said once. Beyond `max_symptoms`, only items that raise
    an alert (such as thoughts of self-harm) are kept: those must never drop out of a persona."""
    ranked = []
    for name, answers in sorted(responses.items()):
        q = catalog.get(name)
        values = [o.value for o in q.scale]
        low, top = min(values), max(values)
        for item, value in zip(q.items, answers):
            ranked.append(((value - low) / (top - low), name, item.number, item, value, q))
    ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
    present, absent, said = [], [], set()
    for strength, _name, _n, item, value, q in ranked:
        if item.persona in said:
            continue
        said.add(item.persona)
        alert = any(a.item == item.number and value >= a.min for a in q.alerts)
        if strength > 0 and (len(present) < max_symptoms or alert):
            present.append(f"- {item.persona} ({q.label(value)}, {q.timeframe})")
        elif strength > 0:
            continue
        else:
            absent.append(item.persona)
    return present, absent


# The strongest symptoms a persona names: enough to ground the role, short enough for a small model.
MAX_SYMPTOMS = 10


def persona_text(catalog: Catalog, record: ClientRecord, max_symptoms: int = MAX_SYMPTOMS) -> str:
    """The client's self-description in the first person, so that it reads right both as a chat
    instruction ("this is you") and inside a base model's transcript. A healthy control gets
    ordinary, mild concerns and a good mood."""
    who = f"I am a {record.age}-year-old {record.gender}"
    present, absent = _symptom_lines(catalog, record.responses, max_symptoms)
    if is_healthy(record.condition):
        lines = [f"{who} and I am generally doing well. I came to talk about everyday stress, like work "
                 f"and family plans; I cope, sleep fine most nights and feel mostly content."]
        if present:
            lines.append("Small things I notice now and then, none of them serious:")
            lines += present[:3]
        return "\n".join(lines)
    lines = [f"{who}, seeing a therapist about {record.condition}."]
    if present:
        lines.append("What I have been living with:")
        lines += present
    if absent:
        lines.append("Not a problem for me: " + "; ".join(absent[:4]) + ".")
    return "\n".join(lines)


def build_profile(catalog: Catalog, record: ClientRecord, extra: dict | None = None) -> Profile:
    return Profile(
        client_id=record.client_id, age=record.age, gender=record.gender, condition=record.condition,
        responses=record.responses, scores=record.scores_dict(),
        alerts=sorted({a.key for a in record.alerts}), persona=persona_text(catalog, record),
        record_sha256=record.sha256, extra=dict(extra or {}),
    )
