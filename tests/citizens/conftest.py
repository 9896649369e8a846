# Staff and a dossier received at the counter («Hồ sơ của tôi» tests), shared with the documents tests.
from tests.documents.conftest import org, receive, staff, walk  # noqa: F401
from tests.integrations.vneid.fixtures import vneid, vneid_server  # noqa: F401  (pytest finds fixtures by name)
