"""Response headers: no-store wherever answers or results show, Secure cookies and HSTS over
HTTPS, a Permissions-Policy that switches features off, the strict CSP kept."""
import pytest

from tests.forms import form_fields

from webapp import create_app


def journey_pages(client):
    """A short journey on the web site; every response on the way."""
    yield client.get("/")
    yield client.post("/start", data={"helping": "self"})
    yield client.post("/region", data={"region": "230100"})
    yield client.get("/question/age")
    yield client.post("/question/age", data={"age": "8"})
    yield client.get("/next")
    yield client.get("/check-answers")
    yield client.get("/results")
    yield client.post("/clear")


def test_no_store_on_every_journey_page_and_the_api(client):
    for response in journey_pages(client):
        assert response.headers["Cache-Control"] == "no-store", response.request.path
    for response in (client.post("/api/v1/check", json={"region": "230100"}), client.get("/api/v1/regions"),
                     client.get("/api/v1/nothing"), client.get("/kiosk"), client.get("/embed/frame"),
                     client.get("/settings?lang=en")):
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_public_pages_may_be_cached(client):
    for path in ("/catalogue/230100", "/accessibility", "/privacy", "/widget.js", "/static/app.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.headers.get("Cache-Control", ""), path


def test_permissions_policy_switches_features_off(client):
    policy = dict(item.strip().split("=") for item in client.get("/").headers["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
                    "display-capture", "browsing-topics"):
        assert policy[feature] == "()", feature
    assert "interest-cohort" not in policy and all(value == "()" for value in policy.values())


def test_strict_csp_kept_on_every_kind_of_page(client):
    for path in ("/", "/kiosk/", "/api/v1/regions", "/catalogue/230100"):
        csp = client.get(path).headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp


def test_plain_http_by_default(client):
    response = client.get("/settings?lang=en")
    assert "Strict-Transport-Security" not in response.headers
    assert all("Secure" not in c for c in response.headers.getlist("Set-Cookie"))


def test_over_https_every_cookie_is_secure_and_hsts_is_sent():
    client = create_app({"TESTING": True, "SECURE_COOKIES": True, "HSTS": True}).test_client()
    first = client.get("/")                                                       # the session cookie (token)
    token = form_fields(first.get_data(as_text=True))["csrf_token"]
    responses = [first,
                 client.post("/settings", data={"csrf_token": token, "lang": "en", "text": "large",
                                                "theme": "contrast"}),           # preference cookies
                 client.post("/start", data={"helping": "self", "csrf_token": token}),
                 client.post("/kiosk/end", data={"csrf_token": token})]          # kiosk deletion
    cookies = [c for r in responses for c in r.headers.getlist("Set-Cookie")]
    assert len(cookies) >= 5
    for cookie in cookies:
        assert [part.strip() for part in cookie.split(";")].count("Secure") == 1, cookie
    assert responses[0].headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("value, expected", [("1", True), ("on", True), ("true", True), ("0", False), ("off", False)])
def test_https_settings_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("SECURE_COOKIES", value)
    monkeypatch.setenv("HSTS", value)
    app = create_app({"TESTING": True})
    assert app.config["SECURE_COOKIES"] is expected and app.config["HSTS"] is expected


def test_an_unclear_setting_stops_the_app(monkeypatch):
    monkeypatch.setenv("HSTS", "maybe")
    with pytest.raises(ValueError, match="HSTS"):
        create_app({"TESTING": True})
