from tests.integrations.vneid.fixtures import vneid, vneid_server  # noqa: F401  (pytest finds fixtures by name)
