"""Builders for auth tests: the seeded agencies and users with roles (tests/conftest.py),
and the page helpers re-exported for the tests that import them from here."""

from tests.factories import PASSWORD  # noqa: F401
from tests.html_forms import csrf_from, login  # noqa: F401
