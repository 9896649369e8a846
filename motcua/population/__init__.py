"""Lookups of the National Population Database (through LGSP) and their access log: who
looked up whom, when, for which dossier (or the counter form before a dossier exists), why,
and with what outcome (docs/population.md)."""
