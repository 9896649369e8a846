from tests.integrations.lgsp.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    lgsp,
    lgsp_server,
    lgsp_settings,
    population,
)
