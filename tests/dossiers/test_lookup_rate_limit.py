"""The public lookup by code is limited per client address (guessing sequential codes)."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from motcua.core.clock import frozen

MOMENT = datetime(2026, 11, 24, 3, 0, 10, tzinfo=UTC)


def _client(app, address):
    return TestClient(app, base_url="http://testserver", client=(address, 40000))


def test_lookup_answers_429_past_its_limit_per_address(app):
    app.state.settings.lookup_rate_limit = 3
    app.state.settings.lookup_rate_window_seconds = 60
    with _client(app, "203.0.113.80") as guesser, _client(app, "10.0.0.80") as citizen:
        with frozen(MOMENT):
            statuses = [guesser.get(f"/tra-cuu?ma=000.00.20.H37-261124-{n:04d}&khoa=ABC234").status_code for n in range(5)]
            assert statuses == [404, 404, 404, 429, 429]
            refused = guesser.get("/tra-cuu?ma=000.00.20.H37-261124-0009&khoa=ABC234")
            assert refused.headers["Retry-After"] == "60"
            assert "Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 60 giây." in refused.text
            assert refused.headers["content-type"].startswith("text/html")
            # JSON clients get problem+json
            api = guesser.get("/tra-cuu?ma=X", headers={"Accept": "application/json"})
            assert api.status_code == 429 and api.headers["content-type"] == "application/problem+json"
            assert api.json()["code"] == "too_many_requests"
            # the empty form does not count, and another address is not affected
            assert guesser.get("/tra-cuu").status_code == 200
            assert citizen.get("/tra-cuu?ma=000.00.20.H37-261124-0001&khoa=ABC234").status_code == 404
        with frozen(MOMENT + timedelta(seconds=61)):  # a new window
            assert guesser.get("/tra-cuu?ma=000.00.20.H37-261124-0001&khoa=ABC234").status_code == 404
