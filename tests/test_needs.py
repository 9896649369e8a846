"""A missing tool skips a test on a workstation and fails it under CI=true (tests/needs.py)."""

import pytest

from tests.needs import require_tool

ABSENT = "motcua-no-such-tool"


def test_a_missing_tool_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{ABSENT} \\(poppler-utils\\) is not installed"):
        require_tool(ABSENT)


@pytest.mark.parametrize("value", ["true", "1"])
def test_a_missing_tool_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="cannot be skipped under CI=true"):
        require_tool(ABSENT)


def test_a_present_tool_gives_its_path(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_tool("sh", "dash").endswith("/sh")
