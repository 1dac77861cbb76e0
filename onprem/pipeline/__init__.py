"""The pipeline as plain functions over the store: ingest, split, paraphrase, filter, export, import."""
