"""webapp/compression.py: gzip when (and only when) the client accepts it, on the final bytes
(after the widget's middleware has put its state token into the frame's forms)."""
import gzip
import re

import pytest

from webapp import create_app, flag
from webapp.compression import accepts_gzip


@pytest.mark.parametrize("header, expected", [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("", False), ("br", False), ("gzip;q=0", False), ("identity", False)])
def test_accept_encoding_is_read_with_its_q_values(header, expected):
    assert accepts_gzip({"HTTP_ACCEPT_ENCODING": header}) is expected


def test_html_css_js_and_json_are_compressed_only_when_accepted(client):
    for url in ("/", "/static/app.css", "/static/app.js", "/api/v1/regions"):
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert plain.status_code == packed.status_code == 200, url
        assert "Content-Encoding" not in plain.headers, url
        assert packed.headers["Content-Encoding"] == "gzip", url
        assert gzip.decompress(packed.get_data()) == plain.get_data(), url
        assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(plain.get_data()) / 2, url
        assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"], url


def test_a_compressed_static_file_keeps_a_weak_etag_that_still_revalidates(client):
    first = client.get("/static/app.css", headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.startswith("W/")
    again = client.get("/static/app.css", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()


def test_head_and_tiny_responses_are_left_alone(client):
    head = client.head("/", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and "Content-Encoding" not in head.headers
    health = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in health.headers     # under MIN_SIZE


def test_frame_pages_are_compressed_after_their_state_token_is_added(client):
    page = client.get("/embed/frame?region=230100", headers={"Accept-Encoding": "gzip"}, follow_redirects=True)
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.get_data()).decode()
    token = re.search(r'name="_embed_state" value="([^"]+)"', html)
    assert token, "the frame's forms carry the state token"
    answered = client.post("/embed/frame/start", data={"_embed_state": token.group(1), "helping": "self"},
                           headers={"Accept-Encoding": "gzip"})
    assert answered.status_code == 200
    assert "/embed/frame/question/" in gzip.decompress(answered.get_data()).decode()


def test_production_flags_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    monkeypatch.setenv("SECRET_KEY", "k")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"]
    monkeypatch.setenv("SECURE_COOKIES", "maybe")
    with pytest.raises(ValueError, match="maybe"):
        create_app()
    assert flag("Off") is False and flag("YES") is True


def test_require_secret_key_refuses_to_start_and_flask_run_warns(monkeypatch, capsys):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("REQUIRE_SECRET_KEY", "1")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()
    monkeypatch.delenv("REQUIRE_SECRET_KEY")
    create_app()
    assert "WARNING: SECRET_KEY not set" in capsys.readouterr().err
