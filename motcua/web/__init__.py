"""Shared presentation: base layout, filters, error pages, CSRF."""
