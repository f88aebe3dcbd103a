"""The widget's server side (issue 5): the journey under /embed/frame without any cookie, who may
frame which page, /widget.js, the /embed page for portal teams."""
import html as htmllib
import re

import pytest

from tests.forms import choose_settings, form_fields
from webapp import create_app
from webapp.embed.state import FRAME_PREFIX, NAV_FIELD, STATE_FIELD

PORTAL = "https://www.example.gov.cn"
STATUS = re.compile(r'data-benefit="(\w+)" data-status="(\w+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
HARBIN_CHILD = {"age": "8", "has_certificate": "true", "disability_category": "physical", "household": "dibao",
                "local_hukou": "true", "disability_grade": "2", "long_term_care_need": "true", "autism": "false",
                "hukou": "urban", "military_disability": "false"}


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True, "SECRET_KEY": "embed-tests",
                       "WIDGET_ALLOWED_ORIGINS": f"{PORTAL} https://*.hlj.gov.cn"})


@pytest.fixture
def frame(app):
    """A browser inside a portal's iframe: our cookies never come back (third-party context)."""
    return Frame(app.test_client(use_cookies=False))


class Frame:
    def __init__(self, client):
        self.client = client
        self.page = None
        self.responses = []

    def _keep(self, response):
        assert response.status_code == 200, response.status_code
        self.responses.append(response)
        self.page = response.get_data(as_text=True)
        return response

    def open(self, query=f"region=230100&lang=zh-CN&host={PORTAL}"):
        return self._keep(self.client.get(f"{FRAME_PREFIX}?{query}"))

    @property
    def token(self):
        return htmllib.unescape(re.search(rf'name="{STATE_FIELD}" value="([^"]+)"', self.page).group(1))

    def forms(self):
        return [(htmllib.unescape(re.search(r'action="([^"]*)"', attrs).group(1)), body)
                for attrs, body in FORM.findall(self.page) if 'method="post"' in attrs and "action=" in attrs]

    def submit(self, action_end, data=None):
        """Submit the page's POST form whose action ends with `action_end`, with what it carries
        (it must carry the state)."""
        action = next(a for a, b in self.forms() if a.split("?")[0].endswith(action_end))
        fields = form_fields(self.page, action_end)
        assert STATE_FIELD in fields and "csrf_token" not in fields
        return self._keep(self.client.post(action, data={**fields, **(data or {})}))

    def follow(self, href):
        """What embed-frame.js does with a link to another frame page: post #embed-nav to it."""
        assert re.search(rf'href="{re.escape(htmllib.escape(href))}"', self.page), href
        nav = re.search(r'<form method="post" action="[^"]*" id="embed-nav"[^>]*hidden>(.*?)</form>', self.page, re.S)
        assert nav and STATE_FIELD in nav.group(1) and NAV_FIELD in nav.group(1)
        return self._keep(self.client.post(href, data={STATE_FIELD: self.token, NAV_FIELD: "1"}))

    def question(self):
        match = re.search(r'action="/embed/frame/question/(\w+)', self.page)
        return match and match.group(1)

    def answer_all(self, values, limit=30):
        asked = []
        for _ in range(limit):
            fact = self.question()
            if not fact:
                return asked
            asked.append(fact)
            self.submit(f"/question/{fact}", {fact: values.get(fact, "unknown")})
        raise AssertionError("the journey did not end")


def typed(values, asked):
    return {f: (int(v) if v.isdigit() else v == "true" if v in ("true", "false") else v)
            for f, v in values.items() if f in asked}


def test_a_whole_journey_in_the_frame_needs_no_cookie_and_matches_the_api(frame, app):
    frame.open()
    assert "看看你能享受哪些残疾人福利" in frame.page and "<header" not in frame.page
    frame.submit("/start", {"helping": "self"})
    # the portal's region is preset: 开始 leads straight to the first question
    assert frame.question()
    asked = frame.answer_all(HARBIN_CHILD)
    assert "检查你的回答" in frame.page and "哈尔滨市" in frame.page
    frame.submit("/check-answers")
    shown = dict(STATUS.findall(frame.page))
    api = app.test_client().post("/api/v1/check", json={"region": "230100", "answers": typed(HARBIN_CHILD, asked)}).json
    assert shown == {r["benefit"]: r["status"] for r in api["results"]}
    assert shown["child_rehab"] == "eligible"
    for response in frame.responses:
        assert "Set-Cookie" not in response.headers
        assert "X-Embed-State" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_without_a_preset_region_the_frame_asks_where_you_live(frame):
    frame.open(f"lang=zh-CN&host={PORTAL}")
    frame.submit("/start", {"helping": "self"})
    assert "你住在哪里" in frame.page
    frame.submit("/region", {"region": "330100"})
    assert frame.question()


@pytest.mark.parametrize("region", ["999999", "000000", "<x>", ""])
def test_a_bad_region_preset_is_ignored(frame, region):
    frame.open(f"region={region}&host={PORTAL}")
    frame.submit("/start", {"helping": "self"})
    assert "你住在哪里" in frame.page


def test_embed_pages_may_be_framed_by_the_allowed_portals_only(frame):
    response = frame.open()
    csp = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {PORTAL} https://*.hlj.gov.cn" in csp
    assert "X-Frame-Options" not in response.headers
    assert "script-src 'self'" in csp and "style-src 'self'" in csp


def test_every_other_page_refuses_framing(app):
    client = app.test_client()
    paths = {rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(FRAME_PREFIX)}
    paths |= {"/embed", "/region?within=230000", "/question/age", "/results", "/kiosk", "/api/v1/regions",
              "/no-such-page", "/widget.js"}
    assert {"/", "/embed", "/region", "/widget.js"} <= paths
    for path in sorted(paths):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_the_frame_posts_only_to_a_checked_portal_origin(app):
    cases = {PORTAL: PORTAL, "https://harbin.hlj.gov.cn": "https://harbin.hlj.gov.cn",
             "https://evil.example": None, "http://www.example.gov.cn": None, "null": None, "": None,
             '"><script>': None, "http://localhost": "http://localhost"}   # the test client's own origin
    for host, expected in cases.items():
        page = app.test_client(use_cookies=False).get(FRAME_PREFIX, query_string={"host": host}).get_data(as_text=True)
        found = re.search(r'data-embed-host="([^"]*)"', page)
        assert (found.group(1) if found else None) == expected, host


def test_the_frame_settings_follow_data_lang_and_data_theme(frame):
    frame.open(f"lang=en&theme=large%20contrast&host={PORTAL}")
    assert '<html lang="en" class="embed-html text-large theme-contrast"' in frame.page
    frame.open(f"lang=xx&theme=neon&host={PORTAL}")
    assert '<html lang="zh-CN" class="embed-html "' in frame.page


def test_the_switches_in_the_frame_keep_answers_and_the_portal_origin(frame):
    frame.open()
    frame.submit("/start", {"helping": "self"})
    first = frame.question()
    frame.submit(f"/question/{first}", {first: HARBIN_CHILD[first]})
    second = frame.question()
    assert 'name="text" value="large"' in frame.page          # the switches: a form of buttons
    frame.submit("/settings", {"text": "large"})
    assert 'class="embed-html text-large"' in frame.page and f'data-embed-host="{PORTAL}"' in frame.page
    assert frame.question() == second               # same page, same answers
    frame.submit("/settings", {"lang": "en"})
    assert '<html lang="en"' in frame.page and frame.question() == second
    away = frame.client.post(f"{FRAME_PREFIX}/settings",
                             data={STATE_FIELD: frame.token, "lang": "en", "next": "https://evil.example/"})
    assert away.status_code == 200 and "evil" not in away.get_data(as_text=True)


def test_errors_back_and_change_keep_the_answers(frame):
    frame.open()
    frame.submit("/start", {"helping": "self"})
    first = frame.question()
    frame.submit(f"/question/{first}", {})                      # nothing chosen
    assert "<title>错误：" in frame.page and 'class="error-summary"' in frame.page
    assert frame.question() == first
    frame.submit(f"/question/{first}", {first: HARBIN_CHILD[first]})
    second = frame.question()
    assert second != first
    frame.follow(f"{FRAME_PREFIX}/question/{first}")            # the back link
    assert frame.question() == first
    assert "checked" in frame.page or f'value="{HARBIN_CHILD[first]}"' in frame.page
    frame.submit(f"/question/{first}", {first: HARBIN_CHILD[first]})
    asked = [first] + frame.answer_all(HARBIN_CHILD)
    frame.follow(f"{FRAME_PREFIX}/question/age?change=1")
    assert frame.question() == "age"
    frame.submit("/question/age", {"age": "9"})
    assert "检查你的回答" in frame.page and ">9" in frame.page
    assert asked


def test_the_region_can_still_be_changed(frame):
    frame.open()
    frame.submit("/start", {"helping": "self"})
    frame.follow(f"{FRAME_PREFIX}/region")                      # Back from the first question
    assert 'value="230100" checked' in frame.page
    frame.follow(f"{FRAME_PREFIX}/region?within=000000")        # 按省份查找
    assert 'value="330000"' in frame.page
    frame.submit("/region", {"region": "330100"})
    assert frame.question()


def test_clear_forgets_the_answers_not_the_portal(frame):
    frame.open(f"region=230100&lang=en&host={PORTAL}")
    frame.submit("/start", {"helping": "self"})
    frame.submit("/question/" + frame.question(), {frame.question(): "unknown"})
    frame.submit("/clear")
    assert 'role="status"' in frame.page and '<html lang="en"' in frame.page
    assert f'data-embed-host="{PORTAL}"' in frame.page
    frame._keep(frame.client.post(f"{FRAME_PREFIX}/check-answers", data={STATE_FIELD: frame.token, NAV_FIELD: "1"}))
    assert frame.question() is None and 'name="region"' in frame.page     # nothing left to check


def test_a_forged_or_stale_token_starts_afresh_and_never_500(frame, app, monkeypatch):
    frame.open()
    frame.submit("/start", {"helping": "self"})
    response = frame.client.post(f"{FRAME_PREFIX}/check-answers", data={STATE_FIELD: "forged"})
    assert response.status_code == 200 and 'name="region"' in response.get_data(as_text=True)
    import webapp.embed.state as state
    token = frame.token
    monkeypatch.setattr(state, "STATE_MAX_AGE", -1)
    stale = frame.client.post(f"{FRAME_PREFIX}/check-answers", data={STATE_FIELD: token}).get_data(as_text=True)
    assert 'name="region"' in stale and f'data-embed-host="{PORTAL}"' in stale   # settings kept, answers gone


def test_answers_never_travel_in_urls(frame):
    frame.open()
    frame.submit("/start", {"helping": "self"})
    frame.answer_all(HARBIN_CHILD)
    urls = re.findall(r'(?:href|action|formaction)="([^"]*)"', "".join(r.get_data(as_text=True) for r in frame.responses))
    for url in urls:
        query = htmllib.unescape(url).partition("?")[2]
        for fact in HARBIN_CHILD:
            assert f"{fact}=" not in query, url
    assert 'method="get"' not in frame.page.lower()


def test_widget_js_is_served_for_portals(app):
    response = app.test_client().get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "max-age=3600" in response.headers["Cache-Control"]
    source = response.get_data(as_text=True)
    assert "/embed/frame" in source
    assert "event.origin !== origin" in source and "event.source !== frame.contentWindow" in source
    # nothing from another origin, no cookies, no storage
    assert not re.search(r"https?://(?!HOST)", source.replace("https://HOST", ""))
    for forbidden in ("document.cookie", "localStorage", "sessionStorage", "eval(", "innerHTML"):
        assert forbidden not in source


def test_the_frame_script_posts_only_to_the_checked_origin():
    from pathlib import Path
    import webapp
    source = (Path(webapp.__file__).parent / "static" / "embed-frame.js").read_text(encoding="utf-8")
    assert re.search(r"postMessage\(message, host\)", source)
    assert '"*"' not in source.replace('never "*"', "")


def test_the_embed_page_documents_snippet_options_preview_contract_and_privacy(app):
    html = app.test_client().get("/embed").get_data(as_text=True)
    assert re.search(r'&lt;script src=&#34;http://localhost/widget.js&#34; data-region=&#34;230100&#34; '
                     r'data-lang=&#34;zh-CN&#34; async&gt;&lt;/script&gt;', html)
    assert "&lt;noscript&gt;" in html
    for option in ("data-region", "data-lang", "data-theme", "data-title"):
        assert option in html
    assert '<script src="/widget.js" data-region="230100" data-lang="zh-CN" async></script>' in html
    for section in ('id="preview"', 'id="accessibility"', 'id="privacy"', 'id="protocol"'):
        assert section in html
    assert "https://www.example.gov.cn" in html and "https://*.hlj.gov.cn" in html   # the allow-list
    assert "<h1" in html and html.count("<h1") == 1
    english = app.test_client()
    choose_settings(english, "/embed", lang="en")
    text = english.get("/embed").get_data(as_text=True)
    assert "Embed the checker on your portal" in text and 'data-lang="en"' in text
    assert "Privacy statement" in text and "Accessibility contract" in text


def test_allowed_origins_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", "https://a.gov.cn,https://b.gov.cn:8443")
    app = create_app({"TESTING": True})
    csp = app.test_client().get(FRAME_PREFIX).headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://a.gov.cn https://b.gov.cn:8443" in csp


def test_a_bad_allowed_origin_stops_the_app(monkeypatch):
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", "https://a.gov.cn/path")
    with pytest.raises(ValueError, match="WIDGET_ALLOWED_ORIGINS"):
        create_app({"TESTING": True})


def test_with_no_allowed_origins_only_this_site_may_frame(monkeypatch):
    monkeypatch.delenv("WIDGET_ALLOWED_ORIGINS", raising=False)
    app = create_app({"TESTING": True})
    csp = app.test_client().get(FRAME_PREFIX).headers["Content-Security-Policy"]
    assert csp.endswith("frame-ancestors 'self'")


def test_pages_tell_the_frame_script_how_to_come_back_to_them(frame):
    frame.open()
    assert 'data-embed-path="/embed/frame/"' in frame.page and 'data-embed-resume="/embed/frame/resume"' in frame.page
    frame.submit("/start", {"helping": "self"})
    fact = frame.question()
    assert f'data-embed-path="/embed/frame/question/{fact}"' in frame.page      # the page shown, not the form posted
    resume = frame.client.get(f"{FRAME_PREFIX}/resume")
    text = resume.get_data(as_text=True)
    assert resume.status_code == 200 and "data-embed-resuming" in text and "data-embed-path" not in text
    assert "frame-ancestors 'self' " in resume.headers["Content-Security-Policy"]
    assert 'href="/embed/frame/"' in text                                      # start again
