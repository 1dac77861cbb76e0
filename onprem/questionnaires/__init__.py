"""Questionnaires as data files, client records validated against them, and tool-computed scores."""

from onprem.questionnaires.catalog import Catalog, load_file
from onprem.questionnaires.instrument import Questionnaire, Score
from onprem.questionnaires.records import ClientRecord, RowError, read_records

__all__ = ["Catalog", "ClientRecord", "Questionnaire", "RowError", "Score", "load_file", "read_records"]
