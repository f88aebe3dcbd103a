"""The API's rate limit: a clear 429 with the JSON error body and Retry-After; pages are not limited."""
import re

import pytest

from webapp import create_app


@pytest.fixture
def limited():
    return create_app({"TESTING": True, "API_RATE_LIMIT": "5/minute"}).test_client()


def test_beyond_the_limit_is_429_with_retry_after(limited):
    responses = [limited.post("/api/v1/check", json={"region": "230100"}) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert "Retry-After" not in responses[0].headers
    response = limited.post("/api/v1/check", json={"region": "230100"})
    assert response.status_code == 429 and response.mimetype == "application/json"
    error = response.json["error"]
    retry = int(response.headers["Retry-After"])
    said = int(re.search(r"(\d+) 秒", error["message"]).group(1))
    assert error["code"] == "rate_limited" and 0 < retry <= 61 and said == retry
    assert limited.get("/api/v1/regions").status_code == 429     # the whole API, one budget


def test_limit_is_per_client_address(limited):
    for _ in range(6):
        limited.get("/api/v1/regions", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert limited.get("/api/v1/regions", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200


def test_pages_are_not_limited(limited):
    assert all(limited.get("/").status_code == 200 for _ in range(8))


def test_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_RATE_LIMIT", "2/hour")
    client = create_app({"TESTING": True}).test_client()
    assert [client.get("/api/v1/regions").status_code for _ in range(3)] == [200, 200, 429]


def test_limit_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    client = create_app({"TESTING": True, "API_RATE_LIMIT": "1/hour"}).test_client()
    assert {client.get("/api/v1/regions").status_code for _ in range(3)} == {200}
