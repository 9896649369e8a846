"""schemathesis on the dossier and process API, authenticated: never a server error.

Drives the operations' hypothesis strategies directly (no pytest plugin), through the
ASGI app, inside the test's rolled-back transaction.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from motcua.auth.service import issue_token
from motcua.core.clock import frozen
from tests.dossiers.world import build_world, local, receive

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


def test_actions_on_real_dossiers_never_answer_with_a_server_error(app, db):
    world = build_world(db)
    with frozen(local(2027, 3, 2, 9, 0)):
        ids = [str(receive(db, world).id) for _ in range(4)]
    headers = {"Authorization": f"Bearer {issue_token(db, world.admin, 'fuzz')}"}
    db.flush()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=r"^/api/v1/dossiers/\{")
    operations = [result.ok() for result in schema.get_all_operations()]
    strategy = st.tuples(st.one_of([op.as_strategy() for op in operations]), st.sampled_from(ids))

    @given(pair=strategy)
    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(pair):
        case, dossier_id = pair
        case.path_parameters = {**(case.path_parameters or {}), "dossier_id": dossier_id}
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    with frozen(local(2027, 3, 3, 9, 0)):
        run()
