"""Relevance of the catalogue search for queries as citizens type them.

The queries and the procedures that must come first are data (relevance_queries.json):
adding a case needs no code. A failure names the query and shows the first results.
"""

import json
from pathlib import Path

import pytest

from motcua.catalog.search import SearchFilters, search_procedures

CASES = json.loads((Path(__file__).parent / "relevance_queries.json").read_text(encoding="utf-8"))[
    "queries"
]


def test_the_set_has_at_least_30_queries():
    assert len(CASES) >= 30
    assert len({case["q"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["q"] for case in CASES])
def test_query_finds_what_people_mean(db, case):
    result = search_procedures(db, SearchFilters(q=case["q"]), page_size=20)
    if case.get("none"):
        assert (result.total, result.items) == (0, []), case["q"]
        return
    top = result.items[: case["within"]]
    shown = [f"{p.code} {p.name[:90]}" for p in result.items[:10]]
    for expected in case.get("expect", []):
        assert any(p.name.startswith(expected) for p in top), (case["q"], expected, shown)
    if "expect_code" in case:
        assert [p.code for p in top] == [case["expect_code"]], (case["q"], shown)
    if "at_most" in case:
        assert result.total <= case["at_most"], (case["q"], result.total)
