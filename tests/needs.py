"""What the tests need from the machine: outside CI a missing tool skips the tests that use
it; under CI=true it fails them, so a CI run never passes by skipping what it should check."""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    """Skip the test for `reason`, or fail it under CI=true."""
    if in_ci():
        pytest.fail(f"cannot be skipped under CI=true: {reason}")
    pytest.skip(reason)


def require_tool(tool: str, package: str = "poppler-utils") -> str:
    """The path of the command `tool` (from the Debian `package`)."""
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} ({package}) is not installed")
    return path
