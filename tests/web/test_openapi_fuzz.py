"""schemathesis against the app's own OpenAPI: no server error on the public JSON API.

Runs through the ASGI app (no network), on each backend, inside the test's rolled-back
transaction, so fuzzed writes never persist. Driven with hypothesis directly (the
schemathesis pytest plugin's lazy fixtures do not work with pytest 9).
"""

from tests.api_fuzz import fuzz_operations

PUBLIC_API = r"^/api/v1/(procedures|fields|agencies|units|calendar)"


def test_public_api_never_answers_with_a_server_error(app):
    assert fuzz_operations(app, PUBLIC_API) >= 4


def test_openapi_lists_the_catalogue_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/agencies", "/api/v1/fields"):
        assert path in paths, path
