"""schemathesis against the app's own OpenAPI: no server error on the public JSON API.

Runs through the ASGI app (no network), on each backend, inside the test's rolled-back
transaction, so fuzzed writes never persist. Driven with hypothesis directly (the
schemathesis pytest plugin's lazy fixtures do not work with pytest 9).
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

PUBLIC_API = r"^/api/v1/(procedures|fields|agencies|units|calendar)"


def _operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=PUBLIC_API)
    return [result.ok() for result in schema.get_all_operations()]


def test_public_api_never_answers_with_a_server_error(app):
    operations = _operations(app)
    assert len(operations) >= 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.call_and_validate(checks=[not_a_server_error])

        fuzz()


def test_openapi_lists_the_catalogue_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/agencies", "/api/v1/fields"):
        assert path in paths, path
