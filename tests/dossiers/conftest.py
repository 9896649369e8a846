import pytest

from tests import factories

# The seeded-organisation builders are shared with the documents tests.
from tests.documents.conftest import org, receive, staff, walk  # noqa: F401
from tests.documents.conftest import receive as received  # noqa: F401  (fixture: a dossier received there)
from tests.dossiers.world import build_world

PEOPLE = ("counter", "counter_commune", "specialist", "head", "clerk", "specialist2", "head2", "outsider", "admin")


@pytest.fixture
def world(db):
    return build_world(db)


@pytest.fixture
def tokens(db, world):
    """Bearer headers of every person of the world, by attribute name."""
    result = {name: factories.bearer(db, getattr(world, name), "test") for name in PEOPLE}
    db.flush()
    return result


@pytest.fixture
def desk(client, world, tokens) -> factories.DossierDesk:
    """Receives dossiers and acts on them through the JSON API as the people of the world."""
    return factories.DossierDesk(client, world, tokens)
