"""schemathesis against the statistics API and its drill-down lists, signed in: odd input never gives a 5xx."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from motcua.auth.tokens import issue_token
from tests import factories

STATISTICS_API = r"^/api/v1/reports/statistics"


def test_statistics_api_never_answers_with_a_server_error(app, db, agencies):
    admin = factories.user(db, "t_fuzz_thongke", "Quản Trị Thống Kê", ("province_admin", agencies.province))
    token = issue_token(db, admin, "fuzz")
    db.flush()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=STATISTICS_API)
    operations = [result.ok() for result in schema.get_all_operations()]
    # The table and the dossiers behind a figure (/reports/statistics/dossiers).
    assert sorted(o.path for o in operations) == ["/api/v1/reports/statistics", "/api/v1/reports/statistics/dossiers"]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])

        fuzz()
