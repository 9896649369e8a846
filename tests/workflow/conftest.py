# The seeded-organisation builders are shared with the documents and dossiers tests.
from tests.documents.conftest import org, receive, staff  # noqa: F401
