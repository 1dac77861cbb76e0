"""One package per seed paper. A paper plugs into the core the way a third-party plugin would: its
`plugin.py` implements every hook (generators, judges, writers, commands, prompt folders, migration
sets, TUI panels), and nothing outside `onprem/papers/NAME/` imports `onprem.papers.NAME`
(tests/platform/test_boundaries.py walks the imports). What two papers share lives in the core's kit
modules (onprem.dialogue, onprem.judges, onprem.evals, ...), named for what it is.

All five seed papers live here: thousand_voices, sqpsych, hybrid, mentalchat16k, empathy.
"""
