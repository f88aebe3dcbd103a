"""The widget's cookie-less session (webapp/embed/state.py) and WIDGET_ALLOWED_ORIGINS parsing."""
import re

import pytest
from flask import Flask

from tests.forms import forms
from webapp import create_app
from webapp.embed.origins import frame_ancestors, parse_allowed_origins, parse_origin
from webapp.embed.state import FRAME_PREFIX, NAV_FIELD, STATE_FIELD, EmbedSessionInterface


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True, "SECRET_KEY": "state-tests"})


@pytest.fixture
def frame(app):
    return app.test_client(use_cookies=False)


def token_of(text):
    return re.search(rf'name="{STATE_FIELD}" value="([^"]+)"', text).group(1)


def test_every_post_form_of_a_frame_page_carries_the_state_and_no_cookie_token(frame):
    page = frame.get(f"{FRAME_PREFIX}?region=230100")
    found = forms(page.get_data(as_text=True))
    assert len(found) >= 3            # the switches, 开始, 结束并清除, and the navigation form
    for action, fields in found:
        assert action.startswith(FRAME_PREFIX), action
        assert STATE_FIELD in fields and "csrf_token" not in fields, action
    assert any(NAV_FIELD in fields for _, fields in found)
    assert "Set-Cookie" not in page.headers and "X-Embed-State" not in page.headers


def test_the_next_page_is_rendered_with_the_new_state_not_redirected(frame):
    page = frame.get(f"{FRAME_PREFIX}?region=230100").get_data(as_text=True)
    after = frame.post(f"{FRAME_PREFIX}/start", data={STATE_FIELD: token_of(page), "helping": "other"})
    assert after.status_code == 200 and "Set-Cookie" not in after.headers
    text = after.get_data(as_text=True)
    assert 'data-embed-path="/embed/frame/question/' in text       # the page shown, not the form posted
    assert token_of(text) != token_of(page)
    # the new state carries the answer: the next question is asked in the third person
    assert "他（她）" in text


def test_a_navigation_post_is_the_get_it_stands_for(frame):
    token = token_of(frame.get(f"{FRAME_PREFIX}?region=230100").get_data(as_text=True))
    shown = frame.post(f"{FRAME_PREFIX}/region?within=000000", data={STATE_FIELD: token, NAV_FIELD: "1",
                                                                      "region": "330100"})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'value="330000"' in text and 'class="error-summary"' not in text
    assert 'data-embed-path="/embed/frame/region?within=000000"' in text


@pytest.mark.parametrize("data", [{STATE_FIELD: "forged"}, {STATE_FIELD: ""}, {}])
def test_a_post_without_a_valid_state_is_not_acted_on_and_never_500(frame, data):
    response = frame.post(f"{FRAME_PREFIX}/region", data={**data, "region": "330100"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="region"' in text
    assert " checked" not in text                          # the forged answer was not kept
    assert frame.post(f"{FRAME_PREFIX}/start", data=b"\xff\xfe",
                      content_type="application/x-www-form-urlencoded").status_code == 200


def test_a_token_from_another_key_is_not_accepted(frame):
    other = Flask(__name__)
    other.config["SECRET_KEY"] = "other"
    other.session_interface = EmbedSessionInterface(other.session_interface)
    with other.test_request_context(FRAME_PREFIX + "/"):
        from flask import session as s
        s.update(region="330100", answers={"age": 8}, order=["age"], dont_know=[])
        forged = other.session_interface.dumps(other, s)
    response = frame.post(f"{FRAME_PREFIX}/check-answers", data={STATE_FIELD: forged})
    text = response.get_data(as_text=True)
    assert 'name="region"' in text and "/results" not in text


def test_oversized_bodies_are_left_to_flask(frame):
    response = frame.post(f"{FRAME_PREFIX}/start", data={"x": "a" * (70 * 1024)})
    assert response.status_code == 413


def test_other_pages_keep_the_cookie_session(app):
    client = app.test_client()
    client.get("/")
    assert client.get_cookie("session") is not None


@pytest.mark.parametrize("value, sources", [
    ("", []),
    (None, []),
    ("https://www.gov.cn", ["https://www.gov.cn"]),
    ("https://www.gov.cn/, http://LOCALHOST:8080  https://*.hlj.gov.cn",
     ["https://www.gov.cn", "http://localhost:8080", "https://*.hlj.gov.cn"]),
    ("https://a.gov.cn:443 https://a.gov.cn", ["https://a.gov.cn"]),
    (["http://127.0.0.1:5001"], ["http://127.0.0.1:5001"]),
])
def test_allowed_origins_parse(value, sources):
    assert [o.source() for o in parse_allowed_origins(value)] == sources


@pytest.mark.parametrize("bad", ["www.gov.cn", "https://www.gov.cn/path", "ftp://a.cn", "https://*",
                                 "*", "'self'", "https://a.cn:99999", "https://a b.cn", "https://*.*.cn"])
def test_allowed_origins_reject_what_is_not_an_origin(bad):
    with pytest.raises(ValueError, match="WIDGET_ALLOWED_ORIGINS"):
        parse_allowed_origins(bad)


def test_origin_matching_is_exact_or_subdomain():
    allowed = parse_allowed_origins("https://www.gov.cn https://*.hlj.gov.cn http://localhost:8080")
    ok = ["https://www.gov.cn", "https://harbin.hlj.gov.cn", "https://a.b.hlj.gov.cn", "http://localhost:8080"]
    no = ["http://www.gov.cn", "https://gov.cn", "https://hlj.gov.cn", "https://evilhlj.gov.cn",
          "https://www.gov.cn:8443", "http://localhost:8081", "null", "", "https://*.hlj.gov.cn"]
    assert all(any(a.matches(o) for a in allowed) for o in ok)
    assert not any(any(a.matches(o) for a in allowed) for o in no)
    assert frame_ancestors(allowed) == "'self' https://www.gov.cn https://*.hlj.gov.cn http://localhost:8080"
    assert parse_origin("https://*.hlj.gov.cn") is None


def test_a_state_signed_as_a_site_cookie_is_not_a_frame_state(app, frame):
    """The frame's state is signed for the frame (its own salt): whatever the site signs for its
    session cookie, with the same key, does not pass for one."""
    from flask.sessions import SecureCookieSessionInterface
    state = {"s": {"region": "330100", "answers": {}, "order": [], "dont_know": []}, "f": {}}
    as_cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps(state)
    as_frame = app.session_interface.get_signing_serializer(app).dumps(state)
    accepted = frame.post(f"{FRAME_PREFIX}/check-answers", data={STATE_FIELD: as_frame}).get_data(as_text=True)
    assert 'data-embed-path="/embed/frame/results"' in accepted      # signed for the frame: taken
    text = frame.post(f"{FRAME_PREFIX}/check-answers", data={STATE_FIELD: as_cookie}).get_data(as_text=True)
    assert 'name="region"' in text and "/results" not in text
