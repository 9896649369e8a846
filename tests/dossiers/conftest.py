import pytest

from tests.dossiers.world import build_world


@pytest.fixture
def world(db):
    return build_world(db)
