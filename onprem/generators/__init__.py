"""Dialogue generators: each one is the method-specific part (session structure, prompts, rubric)
on top of the shared pieces in onprem.dialogue (profiles, role-play loop, judge, store, export)."""
