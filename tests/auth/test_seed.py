"""The demo accounts and where they are documented."""

from __future__ import annotations

import re
from pathlib import Path

from motcua.auth import service
from motcua.auth.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo_users

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_logins() -> dict[str, str]:
    """user name → the row of README's "Demo logins" table."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Demo logins"):]
    section = section[:section.index("\n## ")]
    return {m.group(1): row for row in section.splitlines() if (m := re.match(r"\| `([^`]+)` \|", row))}


def test_readme_lists_every_demo_login_with_its_password():
    rows = readme_logins()
    assert set(rows) == {username for username, *_ in DEMO_USERS}
    assert all(f"`{DEMO_PASSWORD}`" in row for row in rows.values())


def test_every_documented_login_works_with_its_roles(db):
    seed_demo_users(db)
    rows = readme_logins()
    for username, _, roles, _ in DEMO_USERS:
        assert service.authenticate(db, username=username, password=DEMO_PASSWORD).ok, username
        user = service.get_user(db, username)
        assert {r.role for r in user.roles} == {r.value for r in roles}
        # The row names the agency the account really belongs to.
        agency = user.roles[0].agency.name
        assert agency.removeprefix("UBND ") in rows[username] or agency in rows[username], (username, agency)
