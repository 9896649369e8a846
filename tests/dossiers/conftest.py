import pytest

# The seeded-organisation builders are shared with the documents tests.
from tests.documents.conftest import org, receive, staff, walk  # noqa: F401
from tests.dossiers.world import build_world


@pytest.fixture
def world(db):
    return build_world(db)
