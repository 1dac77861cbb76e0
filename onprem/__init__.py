"""onprem: turn sensitive transcripts into training data on one air-gapped machine."""

__version__ = "0.1.0"
