"""Shared plumbing: configuration, database, clock, ids, text, errors. Imports no domain."""
