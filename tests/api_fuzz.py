"""schemathesis against the app's own OpenAPI, driven with hypothesis directly (the
schemathesis pytest plugin's lazy fixtures do not work with pytest 9): odd input to the
operations whose path matches never gives a server error."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


def fuzz_operations(app, path_regex: str, *, examples: int = 25, headers: dict | None = None,
                    checks: tuple = ()) -> int:
    """Fuzz every operation matching `path_regex`; returns how many there were. `checks`: more
    schemathesis checks (callables of ctx, response, case) run on every response."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=path_regex)
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error, *checks])

        fuzz()
    return len(operations)
