from tests.eservice.support import national_login_env, online, settings  # noqa: F401  (pytest finds fixtures by name)
from tests.integrations.lgsp.fixtures import lgsp, lgsp_env, lgsp_server  # noqa: F401
from tests.integrations.vneid.fixtures import vneid, vneid_server  # noqa: F401
