"""PII redaction for transcripts, offline: Presidio + spaCy with recognizers
for the 18 HIPAA Safe Harbor identifiers as they appear in spoken talk.

This package imports nothing from ``onprem``; it can be used and tested alone.
"""

from .engine import DEFAULT_MODEL, ModelNotInstalledError
from .entities import ENTITY_TYPES
from .leak import leak_check
from .redactor import Redactor, apply, identifier_types
from .replace import PlaceholderMap
from .results import Leak, Redacted, Span

__all__ = [
    "DEFAULT_MODEL",
    "ENTITY_TYPES",
    "Leak",
    "ModelNotInstalledError",
    "PlaceholderMap",
    "Redacted",
    "Redactor",
    "Span",
    "apply",
    "identifier_types",
    "leak_check",
]
