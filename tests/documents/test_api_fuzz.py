"""schemathesis against the documents endpoints, signed in: odd input never gives a 5xx."""

from motcua.auth.tokens import issue_token
from tests.api_fuzz import fuzz_operations

DOCUMENTS_API = r"^/api/v1/(dossiers/\{dossier_id\}/forms|reports/tracking-book)"


def test_documents_api_never_answers_with_a_server_error(app, db, staff):
    token = issue_token(db, staff.admin, "fuzz")
    db.flush()
    assert fuzz_operations(app, DOCUMENTS_API, examples=30, headers={"Authorization": f"Bearer {token}"}) == 2
