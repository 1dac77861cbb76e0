"""Questionnaires as data files, client records validated against them, and tool-computed scores."""

from onprem.papers.sqpsych.questionnaires.catalog import Catalog, load_file
from onprem.papers.sqpsych.questionnaires.instrument import Questionnaire, Score
from onprem.papers.sqpsych.questionnaires.records import ClientRecord, RowError, read_records

__all__ = ["Catalog", "ClientRecord", "Questionnaire", "RowError", "Score", "load_file", "read_records"]
