"""schemathesis on the auth endpoints, signed in as a province admin: never a server error.

Driven through hypothesis directly (not schemathesis' pytest plugin), one operation after
another, inside the test's rolled-back transaction.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from motcua.auth import service
from motcua.auth.roles import Role

AUTH_API = r"^/api/v1/(me|auth/|users)"


def test_auth_api_never_answers_with_a_server_error(app, db, agencies):
    admin = service.create_user(
        db, username="fuzz.admin", password="matkhau-dai", full_name="Quản trị Fuzz",
        agency=agencies.province, roles=[Role.province_admin],
    )
    headers = {"Authorization": f"Bearer {service.issue_token(db, admin, 'fuzz')}"}
    db.flush()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=AUTH_API)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/me", "/api/v1/auth/token", "/api/v1/users", "/api/v1/users/{username}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
