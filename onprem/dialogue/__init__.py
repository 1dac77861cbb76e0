"""Reusable parts for dialogue generators: client profiles, the two-agent role-play loop, the rubric
judge, storage and export. Method-specific bits live in onprem.generators.*"""
