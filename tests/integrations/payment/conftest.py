from tests.integrations.payment.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    payment_settings,
    payment_simulator,
    payment_simulator_server,
    platform,
)
