"""The widget's cookie-less session (webapp/embed/state.py) and WIDGET_ALLOWED_ORIGINS parsing,
on a toy POST-redirect-GET journey so they are tested apart from the questionnaire."""
import re

import pytest
from flask import Flask, redirect, render_template_string, request, session, url_for

from webapp.embed.origins import frame_ancestors, parse_allowed_origins, parse_origin
from webapp.embed.state import (FRAME_PREFIX, NAV_FIELD, STATE_FIELD, EmbedSessionInterface,
                                FrameMiddleware, add_token)

PAGE = """<!doctype html><html><body>
<a href="{{ url_for('toy.count') }}" class="back" aria-describedby="x">Back <span>to count</span></a>
<a href="#main">skip</a><a href="https://example.org/x">out</a><a href="/elsewhere">site</a>
<p id="n">{{ session.get('n', 0) }}</p><p id="seen">{{ request.args.get('q', '') }}</p>
<form method="post" action="{{ url_for('toy.add') }}"><button>add</button></form>
<form method="get" action="{{ url_for('toy.count') }}"><input name="q"><button>find</button></form>
<form method="post" action="/elsewhere"><button>out</button></form>
</body></html>"""


@pytest.fixture
def toy():
    from flask import Blueprint
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", MAX_CONTENT_LENGTH=64 * 1024)
    bp = Blueprint("toy", __name__, url_prefix=FRAME_PREFIX + "/toy")

    @bp.get("/")
    def count():
        return render_template_string(PAGE)

    @bp.post("/add")
    def add():
        request.form.get("x")
        session["n"] = session.get("n", 0) + 1
        response = redirect(url_for("toy.count"), code=303)
        response.set_cookie("tracker", "1")
        return response

    @bp.post("/away")
    def away():
        return redirect("/elsewhere", code=303)

    @app.route("/elsewhere", methods=["GET", "POST"])
    def elsewhere():
        session["site"] = True
        return "site page"

    app.register_blueprint(bp)
    app.session_interface = EmbedSessionInterface(app.session_interface)
    app.wsgi_app = FrameMiddleware(app, app.wsgi_app)
    return app


def token_of(text):
    return re.search(rf'name="{STATE_FIELD}" value="([^"]+)"', text).group(1)


def test_post_redirect_get_becomes_post_render_with_the_new_state(toy):
    client = toy.test_client(use_cookies=False)
    page = client.get(FRAME_PREFIX + "/toy/")
    assert page.status_code == 200 and '<p id="n">0</p>' in page.text
    after = client.post(FRAME_PREFIX + "/toy/add", data={STATE_FIELD: token_of(page.text)})
    assert after.status_code == 200 and '<p id="n">1</p>' in after.text
    again = client.post(FRAME_PREFIX + "/toy/add", data={STATE_FIELD: token_of(after.text)})
    assert '<p id="n">2</p>' in again.text
    assert "Set-Cookie" not in again.headers and "Set-Cookie" not in page.headers
    assert "X-Embed-State" not in again.headers
    assert int(again.headers["Content-Length"]) == len(again.data)


def test_the_state_is_only_in_post_forms_of_frame_pages(toy):
    text = toy.test_client(use_cookies=False).get(FRAME_PREFIX + "/toy/").text
    forms = re.findall(r"<form\b[^>]*>(?:<input[^>]*>)?", text)
    with_state = [f for f in forms if STATE_FIELD in f]
    # the toy's own POST form and the navigation form; not the GET form, not the site's form
    assert len(with_state) == 2 and any('id="embed-nav"' in f for f in with_state)
    assert not any('action="/elsewhere"' in f for f in with_state)
    assert not any('method="get"' in f for f in with_state)


def test_links_to_frame_pages_are_marked_for_the_navigation_form(toy):
    text = toy.test_client(use_cookies=False).get(FRAME_PREFIX + "/toy/").text
    assert '<a href="/embed/frame/toy/" class="back" aria-describedby="x" data-embed-nav>Back' in text
    assert '<a href="#main">' in text
    # pages outside the frame open on their own: they would refuse to be framed
    assert '<a href="https://example.org/x" target="_blank" rel="noopener">' in text
    assert '<a href="/elsewhere" target="_blank" rel="noopener">' in text
    nav = re.search(r'<form id="embed-nav" method="post" hidden>(.*?)</form>', text)
    assert nav and STATE_FIELD in nav.group(1) and NAV_FIELD in nav.group(1)
    assert text.index('id="embed-nav"') < text.index("</body>")


def test_a_navigation_post_is_the_get_it_stands_for(toy):
    client = toy.test_client(use_cookies=False)
    added = client.post(FRAME_PREFIX + "/toy/add", data={STATE_FIELD: token_of(client.get(FRAME_PREFIX + "/toy/").text)})
    back = client.post(FRAME_PREFIX + "/toy/", data={STATE_FIELD: token_of(added.text), NAV_FIELD: "1", "q": "天津"})
    assert back.status_code == 200
    assert '<p id="n">1</p>' in back.text and '<p id="seen">天津</p>' in back.text


def test_a_bad_or_missing_token_starts_afresh_never_500(toy):
    client = toy.test_client(use_cookies=False)
    for data in ({STATE_FIELD: "forged"}, {STATE_FIELD: ""}, {}):
        response = client.post(FRAME_PREFIX + "/toy/add", data=data)
        assert response.status_code == 200 and '<p id="n">1</p>' in response.text
    assert client.post(FRAME_PREFIX + "/toy/add", data=b"\xff\xfe",
                       content_type="application/x-www-form-urlencoded").status_code == 200


def test_a_token_from_another_key_is_not_accepted(toy):
    other = Flask(__name__)
    other.config["SECRET_KEY"] = "other"
    other.session_interface = EmbedSessionInterface(other.session_interface)
    with other.test_request_context(FRAME_PREFIX + "/toy/"):
        from flask import session as s
        s["n"] = 41
        forged = other.session_interface.dumps(other, s)
    response = toy.test_client(use_cookies=False).post(FRAME_PREFIX + "/toy/add", data={STATE_FIELD: forged})
    assert '<p id="n">1</p>' in response.text


def test_oversized_bodies_are_left_to_flask(toy):
    response = toy.test_client(use_cookies=False).post(
        FRAME_PREFIX + "/toy/add", data={"x": "a" * (70 * 1024)})
    assert response.status_code == 413


def test_redirects_out_of_the_frame_are_left_alone(toy):
    client = toy.test_client(use_cookies=False)
    response = client.post(FRAME_PREFIX + "/toy/away", data={})
    assert response.status_code == 303 and response.headers["Location"].endswith("/elsewhere")


def test_other_pages_keep_the_cookie_session(toy):
    client = toy.test_client()
    client.get("/elsewhere")
    assert client.get_cookie("session") is not None


def test_add_token_escapes_and_leaves_pages_without_forms_alone():
    assert add_token("<p>plain</p>", 'a"b') == "<p>plain</p>"
    out = add_token('<form method="POST"></form>', 'a"b')
    assert 'value="a&quot;b"' in out


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
