"""The app factory: configuration, refusing invalid rules, one engine per process, headers."""
import os

import pytest

from eligibility import RuleValidationError
from webapp import create_app, engine


def test_refuses_to_start_on_invalid_rules(rules_folder):
    rules_folder.write("regions/000000-national/benefits/broken.yaml", "id: broken\nname: [\n")
    with pytest.raises(RuleValidationError, match=r"rules/regions/000000-national/benefits/broken.yaml:\d+: YAML"):
        create_app({"TESTING": True, "RULES_DIR": str(rules_folder.path)})


def test_settings_come_from_environment(monkeypatch):
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "45")
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", "https://portal.example.gov.cn")
    app = create_app({"TESTING": True})
    assert app.config["KIOSK_IDLE_SECONDS"] == 45
    assert app.config["WIDGET_ALLOWED_ORIGINS"] == "https://portal.example.gov.cn"
    assert create_app({"TESTING": True, "KIOSK_IDLE_SECONDS": 5}).config["KIOSK_IDLE_SECONDS"] == 5


def test_engine_is_rebuilt_after_a_fork(app, monkeypatch):
    with app.app_context():
        first = engine.get_checker()
        assert engine.get_checker() is first
        monkeypatch.setattr(os, "getpid", lambda: -1)  # as a forked worker sees it
        assert engine.get_checker() is not first


def test_security_headers(client):
    response = client.get("/api/v1/regions")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_kiosk_warning_must_leave_20_seconds(monkeypatch):
    monkeypatch.setenv("KIOSK_WARNING_SECONDS", "10")
    with pytest.raises(ValueError, match="at least 20"):
        create_app()
