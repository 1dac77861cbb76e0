"""PII redaction for transcripts, offline: Presidio + spaCy with recognizers
for the 18 HIPAA Safe Harbor identifiers as they appear in spoken talk.

This package imports nothing from ``onprem``; it can be used and tested alone.

Its names load on first use (PEP 562): importing a light module such as
``redaction.entities`` does not start spaCy and Presidio, and the recognizers,
which import ``redaction.entities``, do not import the engine that loads them.
"""

from __future__ import annotations

import importlib

# name -> the module that defines it
_EXPORTS = {
    "DEFAULT_MODEL": "engine",
    "ModelNotInstalledError": "engine",
    "ENTITY_TYPES": "entities",
    "leak_check": "leak",
    "Redactor": "redactor",
    "apply": "redactor",
    "identifier_types": "redactor",
    "PlaceholderMap": "replace",
    "Leak": "results",
    "Redacted": "results",
    "Span": "results",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'redaction' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value          # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
