"""Contributions: change sets addressed by the plan's ids, applied to the base plan's YAML
(`apply`), checked against it (`validate`), and their revisions attributed (`attribute`)."""
