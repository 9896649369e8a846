"""schemathesis on the dossier and process API, authenticated: never a server error.

Drives the operations' hypothesis strategies directly (no pytest plugin), through the
ASGI app, inside the test's rolled-back transaction.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from motcua.auth.service import issue_token
from tests.dossiers.world import build_world

PATHS = r"^/api/v1/(dossiers|processes|audit)"


def test_dossier_api_never_answers_with_a_server_error(app, db):
    world = build_world(db)
    headers = {"Authorization": f"Bearer {issue_token(db, world.counter, 'fuzz')}"}
    db.flush()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    strategy = st.one_of([op.as_strategy() for op in operations])

    @given(case=strategy)
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
