from tests.integrations.dvcqg.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    PASSWORD,
    portal,
    portal_settings,
    simulator,
    simulator_server,
)
