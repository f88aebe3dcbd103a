"""Forged forms: another site cannot submit our forms for a visitor — not on the web site, not
on the kiosk, not in the widget's frame — and a refused form loses no answers."""
import re

import pytest
from flask.sessions import SecureCookieSessionInterface

from tests.forms import carried, form_fields
from webapp import create_app
from webapp.embed.state import FRAME_PREFIX, STATE_FIELD

EVIL = {"Origin": "https://evil.example"}
CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True, "SECRET_KEY": "csrf-tests"})


@pytest.fixture
def client(app):
    return app.test_client()


def session_of(app, client):
    cookie = client.get_cookie("session")
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie.value) if cookie else {}


def started(client):
    """A person who has chosen a region and answered their age."""
    token = carried(client)
    client.post("/start", data={**token, "helping": "self"})
    client.post("/region", data={**token, "region": "230100"})
    client.post("/question/age", data={**token, "age": "8"})
    return token


def test_a_form_without_the_token_is_refused_and_the_answers_are_kept(client, app):
    started(client)
    before = session_of(app, client)
    response = client.post("/question/age", data={"age": "70"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "表单没有提交" in html and "你已经填写的回答没有丢失" in html
    assert 'href="/next"' in html and 'class="footer"' in html          # a way to go on, in the site's layout
    assert session_of(app, client)["answers"] == before["answers"] == {"age": 8}
    wrong = client.post("/clear", data={"csrf_token": "forged"})
    assert wrong.status_code == 400 and session_of(app, client)["answers"] == {"age": 8}


def test_the_refusal_is_in_the_persons_language(client):
    client.set_cookie("lang", "en")
    html = client.post("/start", data={"helping": "self"}).get_data(as_text=True)
    assert '<html lang="en"' in html and "表单没有提交" not in html
    assert not re.findall(r"[\u4e00-\u9fff]+", re.sub(r'<(\w+)[^>]*\blang="zh-CN"[^>]*>.*?</\1>', "",
                                                       html[html.index("<main"):html.index("</main>")], flags=re.S))


@pytest.mark.parametrize("headers", [EVIL, CROSS_SITE, {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "null", "Sec-Fetch-Site": "cross-site"}])
def test_a_post_from_another_site_is_refused_even_with_the_token(client, app, headers):
    token = started(client)
    response = client.post("/clear", data=token, headers=headers)
    assert response.status_code == 400 and "表单没有提交" in response.get_data(as_text=True)
    assert session_of(app, client)["answers"] == {"age": 8}


@pytest.mark.parametrize("headers", [{}, {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"},
                                     {"Origin": "http://localhost"}, {"Origin": "https://localhost"},
                                     # what a browser sends for our own forms under Referrer-Policy: no-referrer
                                     {"Origin": "null", "Sec-Fetch-Site": "same-origin"}])
def test_our_own_pages_may_post(client, headers):
    token = started(client)
    assert client.post("/clear", data=token, headers=headers).status_code == 303


def test_forms_work_over_https_without_a_referer(app):
    """Our pages send no Referer (Referrer-Policy: no-referrer), so HTTPS must not require one."""
    client = app.test_client()
    html = client.get("/", base_url="https://checker.example.gov.cn").get_data(as_text=True)
    response = client.post("/start", base_url="https://checker.example.gov.cn",
                           data={**form_fields(html, "/start"), "helping": "self"},
                           headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303


def test_the_public_api_takes_posts_from_anywhere_without_a_token(client):
    response = client.post("/api/v1/check", json={"region": "230100", "answers": {}}, headers=EVIL)
    assert response.status_code == 200


def test_preferences_change_only_by_our_own_form(client):
    assert client.get("/settings?lang=en&next=/").status_code == 200 and client.get_cookie("lang") is None
    assert client.post("/settings", data={"lang": "en", "next": "/"}).status_code == 400
    assert client.get_cookie("lang") is None
    token = carried(client)
    assert client.post("/settings", data={**token, "lang": "en"}, headers=EVIL).status_code == 400
    assert client.post("/settings", data={**token, "lang": "en", "next": "/"}).status_code == 303
    assert client.get_cookie("lang").value == "en"


# ---------------------------------------------------------------- the kiosk

def kiosk_walk(client):
    fields = carried(client, "/kiosk?region=230100")
    client.post("/kiosk/start", data={**fields, "helping": "self"})
    client.post("/kiosk/region", data={**fields, "region": "230100"})
    client.post("/kiosk/question/age", data={**fields, "age": "45"})
    return fields


def test_a_kiosk_desk_link_changes_nothing(client, app):
    kiosk_walk(client)
    client.get("/kiosk?region=610103&lang=en", follow_redirects=True)
    state = session_of(app, client)
    assert state["answers"] == {"age": 45} and state["region"] == "230100"
    assert state["kiosk_desk"] == {"region": "230100", "lang": None}


def test_kiosk_forms_without_the_token_are_refused_in_the_kiosk_layout(client, app):
    fields = kiosk_walk(client)
    for path, data in (("/kiosk/settings", {"lang": "en"}), ("/kiosk/end", {}), ("/kiosk/clear", {}),
                       ("/kiosk/question/age", {"age": "9"})):
        response = client.post(path, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, path
        assert "kiosk-bar" in html and 'href="/kiosk/next"' in html, path
    assert client.post("/kiosk/end", data=fields, headers=CROSS_SITE).status_code == 400
    assert session_of(app, client)["answers"] == {"age": 45}          # nothing wiped, nothing changed
    assert client.post("/kiosk/end", data=fields).status_code == 303
    assert session_of(app, client) == {}


def test_a_wipe_from_a_page_whose_session_is_gone_still_wipes(client, app):
    """Another tab wiped (or the cookie was refused): the page's token no longer matches, but
    there is nothing left to protect, and 结束并清除 / the idle timeout must always work."""
    fields = kiosk_walk(client)
    client.delete_cookie("session")
    response = client.post("/kiosk/end", data={**fields, "reason": "timeout"})
    assert response.status_code == 303 and response.location == "/kiosk?region=230100&cleared=1"
    assert response.headers["Clear-Site-Data"]
    assert client.post("/kiosk/end", data=fields, headers=EVIL).status_code == 400


def test_kiosk_script_requests_carry_the_token(client):
    fields = kiosk_walk(client)
    assert client.post("/kiosk/keepalive", data={"ajax": "1"}).status_code == 400
    assert client.post("/kiosk/keepalive", data={"csrf_token": fields["csrf_token"], "ajax": "1"}).status_code == 204
    from pathlib import Path
    import webapp
    script = (Path(webapp.__file__).parent / "static" / "kiosk.js").read_text(encoding="utf-8")
    assert script.count("withToken(new FormData())") == 2           # the switches and the keep-alive


# ---------------------------------------------------------------- the widget

def frame_page(client, path=f"{FRAME_PREFIX}?region=230100"):
    return client.get(path).get_data(as_text=True)


def test_the_widget_refuses_a_post_from_another_site_even_with_a_valid_state(app):
    frame = app.test_client(use_cookies=False)
    fields = form_fields(frame_page(frame), "/start")
    for headers in (EVIL, CROSS_SITE):
        response = frame.post(f"{FRAME_PREFIX}/start", data={**fields, "helping": "other"}, headers=headers)
        assert response.status_code == 400 and "表单没有提交" in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers
    ok = frame.post(f"{FRAME_PREFIX}/start", data={**fields, "helping": "other"},
                    headers={"Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == 200 and "他（她）" in ok.get_data(as_text=True)


def test_the_widget_does_not_act_on_a_post_without_its_signed_state(app):
    frame = app.test_client(use_cookies=False)
    for state in (None, "forged", form_fields(frame_page(frame), "/start")[STATE_FIELD][:-2] + "xx"):
        data = {"age": "8"} if state is None else {STATE_FIELD: state, "age": "8"}
        text = frame.post(f"{FRAME_PREFIX}/question/age", data=data).get_data(as_text=True)
        # a fresh journey: the region question, not the next question after a recorded age
        assert 'name="region"' in text and 'name="age"' not in text
        assert "csrf_token" not in text
