"""Synthetic Empathy: EPITOME-targeted dialogues with the Reflexion loop (`generate empathy`), the
EPITOME judge (`judge epitome`), people's EPITOME labels (the TUI's label screen, `eval agreement
epitome`), and the `epitome` export with its training-set schedules. Everything is registered in
plugin.py."""
