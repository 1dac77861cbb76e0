"""Hybrid training data: personas sampled from value lists (`personas sample`), one CBT scenario per
persona with its cognitive distortions tagged (`generate scenarios`), a counselling session per
scenario role-played few-shot (`generate hybrid`), the session quality judge and the selection of the
best sessions (`judge quality`, `select`), the CBT techniques judge, and the model comparison against
a simulated patient (`eval simulate`, `judge empathy-relevance`, `eval summary`). Everything is
registered in plugin.py."""
