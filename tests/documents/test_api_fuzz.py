"""schemathesis against the documents endpoints, signed in: odd input never gives a 5xx."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from motcua.auth.tokens import issue_token

DOCUMENTS_API = r"^/api/v1/(dossiers/\{dossier_id\}/forms|reports/tracking-book)"


def test_documents_api_never_answers_with_a_server_error(app, db, staff):
    token = issue_token(db, staff.admin, "fuzz")
    db.flush()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=DOCUMENTS_API)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])

        fuzz()
