"""schemathesis against the app's own OpenAPI: no server error on the public JSON API.

Runs through the ASGI app (no network), on each backend, inside the test's rolled-back
transaction, so fuzzed writes never persist.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

PUBLIC_API = r"^/api/v1/(procedures|fields|agencies|units|calendar)"


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(path_regex=PUBLIC_API).parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_public_api_never_answers_with_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


def test_openapi_lists_the_catalogue_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/agencies", "/api/v1/fields"):
        assert path in paths, path
