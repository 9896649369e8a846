"""schemathesis against every reform endpoint (plans, tasks, progress, reports, index, surveys),
signed in as a reform officer of the Department of Home Affairs (who may do everything): odd
input never gives a server error, and every refusal is problem+json in Vietnamese."""

from __future__ import annotations

import re

from motcua.auth.tokens import issue_token
from tests.api_fuzz import fuzz_operations

REFORM_API = r"^/api/v1/reform/"
# A Vietnamese sentence carries letters with diacritics (ư, ơ, đ, ả, …): an English framework
# default ("Not Found", "Field required") has none.
VIETNAMESE = re.compile(r"[À-ỹ]")


def refused_in_vietnamese(ctx, response, case):
    if 400 <= response.status_code < 500:
        assert response.headers.get("content-type", [""])[0].startswith("application/problem+json"), (
            f"{case.operation.label}: {response.status_code} is not problem+json")
        title = response.json().get("title", "")
        assert VIETNAMESE.search(title), f"{case.operation.label}: {response.status_code} not in Vietnamese: {title!r}"


def test_reform_api_never_answers_with_a_server_error(app, db, officer):
    token = issue_token(db, officer, "fuzz")
    db.flush()
    count = fuzz_operations(app, REFORM_API, examples=20, headers={"Authorization": f"Bearer {token}"},
                            checks=(refused_in_vietnamese,))
    assert count == 35  # 30 + score evidence (post, list, download), submission, a unit's plan
