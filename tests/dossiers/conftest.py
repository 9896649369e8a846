import pytest

from tests.documents.conftest import org, staff  # noqa: F401  (fixtures: the seeded province's staff)
from tests.documents.conftest import receive as received  # noqa: F401  (fixture: a dossier received there)
from tests.dossiers.world import build_world


@pytest.fixture
def world(db):
    return build_world(db)
