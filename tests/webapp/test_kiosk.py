"""Kiosk mode, server side (issue 4): the journey under /kiosk in the kiosk layout, desk
settings, the wipe (Clear-Site-Data, no-store, session gone), the idle backstop, the kiosk
switches, the result slip and its QR code, and the public catalogue it points to."""
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from flask.sessions import SecureCookieSessionInterface

from tests.forms import carried, form_fields
from webapp import create_app
from webapp.kiosk import slip

STATUS = re.compile(r'data-benefit="(\w+)" data-status="(\w+)"')
PERSON = {"age": "45", "has_certificate": "true", "disability_category": "physical", "disability_grade": "1",
          "household": "dibao", "local_hukou": "true", "long_term_care_need": "true", "hukou": "urban",
          "employment": "not_working", "new_graduate": "false", "military_disability": "false",
          "below_retirement_age": "true", "motorized_wheelchair": "false", "autism": "false"}


@pytest.fixture(scope="module")
def kiosk_app():
    return create_app({"TESTING": True, "SECRET_KEY": "kiosk-tests", "KIOSK_IDLE_SECONDS": 120,
                       "KIOSK_WARNING_SECONDS": 30})


@pytest.fixture
def kiosk(kiosk_app):
    return kiosk_app.test_client()


def post(client, url, data=None, page="/kiosk/"):
    """Submit a form as the kiosk's browser does: with what the forms of `page` carry (the CSRF
    token, the desk's defaults)."""
    return client.post(url, data={**carried(client, page), **(data or {})})


def session_of(app, client):
    cookie = client.get_cookie("session")
    if cookie is None:
        return {}
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie.value)


def walk(client, region="230100", values=PERSON, helping="self"):
    """Start at the desk's entry and answer whatever the engine asks; the facts asked."""
    post(client, "/kiosk/start", {"helping": helping}, page=f"/kiosk?region={region}")
    post(client, "/kiosk/region", {"region": region})
    asked = []
    for _ in range(30):
        location = client.get("/kiosk/next").location
        if "/question/" not in location:
            return asked
        fact = location.rsplit("/", 1)[1]
        asked.append(fact)
        post(client, location, {fact: values.get(fact, "unknown")})
    raise AssertionError("the kiosk journey did not end")


# ---------------------------------------------------------------- entry and layout

def test_entry_presets_the_desk_region_and_opens_the_start_page(kiosk, kiosk_app):
    response = kiosk.get("/kiosk?region=610103")
    assert response.status_code == 303 and response.location == "/kiosk/?region=610103"
    # a link changes nothing: the desk's defaults are shown, and carried by every form
    assert "kiosk_desk" not in session_of(kiosk_app, kiosk) and "region" not in session_of(kiosk_app, kiosk)
    fields = form_fields(kiosk.get(response.location).get_data(as_text=True), "/kiosk/start")
    assert fields["desk_region"] == "610103" and fields["desk_lang"] == ""
    kiosk.post("/kiosk/start", data={**fields, "helping": "self"})
    state = session_of(kiosk_app, kiosk)
    assert state["region"] == "610103" and state["kiosk_desk"] == {"region": "610103", "lang": None}
    html = kiosk.get("/kiosk/region").get_data(as_text=True)
    assert re.search(r'value="610103" checked', html), "the desk's region is preselected, not forced"


def test_entry_ignores_an_unknown_region_or_language(kiosk, kiosk_app):
    assert kiosk.get("/kiosk?region=999999&lang=xx").location == "/kiosk/"
    post(kiosk, "/kiosk/start", {"helping": "self"}, page="/kiosk?region=999999&lang=xx")
    assert session_of(kiosk_app, kiosk)["kiosk_desk"] == {"region": None, "lang": None}
    assert not session_of(kiosk_app, kiosk).get("region")


def test_kiosk_pages_use_the_kiosk_layout(kiosk):
    kiosk.get("/kiosk?region=230100")
    html = kiosk.get("/kiosk/").get_data(as_text=True)
    assert '<html lang="zh-CN"' in html and "text-large" in html
    assert 'class="header"' not in html and 'class="footer"' not in html, "no site header or footer"
    # The read-aloud switch is the first focusable control of the page.
    body = html[html.index("<body"):]
    first = re.search(r"<(a|button|input(?![^>]*type=\"hidden\")|select|textarea)\b[^>]*>", body)
    assert 'id="kiosk-speech-toggle"' in first.group(0) and 'aria-pressed="false"' in first.group(0)
    assert 'id="kiosk-end"' in html and "结束并清除" in html
    assert 'role="alertdialog"' in html and 'id="kiosk-idle-continue"' in html
    assert 'data-kiosk-idle="120"' in html and 'data-kiosk-warning="30"' in html
    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_idle_settings_come_from_config_and_environment(monkeypatch):
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "7")
    monkeypatch.setenv("KIOSK_WARNING_SECONDS", "25")
    client = create_app({"TESTING": True}).test_client()
    client.get("/kiosk")
    html = client.get("/kiosk/").get_data(as_text=True)
    assert 'data-kiosk-idle="7"' in html and 'data-kiosk-warning="25"' in html


def test_age_is_entered_with_a_number_pad(kiosk):
    post(kiosk, "/kiosk/start", {"helping": "self"}, page="/kiosk?region=230100")
    html = kiosk.get("/kiosk/question/age").get_data(as_text=True)
    assert 'inputmode="numeric"' in html and 'id="kiosk-numpad-template"' in html
    assert all(f'data-key="{d}"' in html for d in "0123456789") and 'data-key="back"' in html


def test_bad_input_on_the_kiosk_is_an_error_page_not_a_500(kiosk):
    walk(kiosk, values={})
    response = post(kiosk, "/kiosk/question/age", {"age": "abc"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>错误：" in html and "只能填写数字" in html
    assert post(kiosk, "/kiosk/question/household", {"household": "castle"}).status_code == 200
    assert post(kiosk, "/kiosk/settings", {"speech": "loud"}).status_code == 400
    assert post(kiosk, "/kiosk/region", {"region": "999999"}).status_code == 200


# ---------------------------------------------------------------- no-store and the wipe

def test_every_kiosk_page_is_no_store(kiosk):
    walk(kiosk)
    for path in ("/kiosk/", "/kiosk/region", "/kiosk/question/age", "/kiosk/check-answers", "/kiosk/results",
                 "/kiosk/slip", "/kiosk/next"):
        response = kiosk.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
    assert post(kiosk, "/kiosk/keepalive").headers["Cache-Control"] == "no-store"
    assert post(kiosk, "/kiosk/end").headers["Cache-Control"] == "no-store"


def test_end_wipes_the_session_and_returns_to_the_desk_start(kiosk, kiosk_app):
    walk_from_here(kiosk, "231081", "/kiosk?region=231081&lang=en")
    post(kiosk, "/kiosk/settings", {"speech": "on", "assist": "on", "lang": "zh_CN"})
    assert session_of(kiosk_app, kiosk)["answers"]
    response = post(kiosk, "/kiosk/end", {"reason": "button"})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert any(c.startswith("session=;") and "Max-Age=0" in c for c in response.headers.getlist("Set-Cookie"))
    target = urlsplit(response.location)
    assert target.path == "/kiosk" and parse_qs(target.query) == {"region": ["231081"], "lang": ["en"], "cleared": ["1"]}
    assert session_of(kiosk_app, kiosk) == {}
    # The next page: the start page, in the desk's language, with nothing of the last person.
    start = kiosk.get(response.location, follow_redirects=True)
    html = start.get_data(as_text=True)
    assert '<html lang="en"' in html and 'aria-pressed="false"' in html
    state = session_of(kiosk_app, kiosk)
    assert "answers" not in state and not state.get("kiosk", {}).get("speech") and not state.get("helping")
    fields = form_fields(html, "/kiosk/start")
    assert fields["desk_region"] == "231081" and fields["desk_lang"] == "en"
    kiosk.post("/kiosk/start", data={**fields, "helping": "self"})
    assert session_of(kiosk_app, kiosk)["region"] == "231081"


def walk_from_here(client, region, entry):
    post(client, "/kiosk/start", {"helping": "self"}, page=entry)
    post(client, "/kiosk/region", {"region": region})
    for _ in range(30):
        location = client.get("/kiosk/next").location
        if "/question/" not in location:
            return
        fact = location.rsplit("/", 1)[1]
        post(client, location, {fact: PERSON.get(fact, "unknown")})


def test_after_the_wipe_no_page_shows_the_last_answers(kiosk):
    walk(kiosk)
    before = kiosk.get("/kiosk/check-answers").get_data(as_text=True)
    assert "45" in before and "低保家庭" in before
    post(kiosk, "/kiosk/end")
    for path in ("/kiosk/check-answers", "/kiosk/question/age", "/kiosk/question/household", "/kiosk/results",
                 "/kiosk/slip"):
        html = kiosk.get(path, follow_redirects=True).get_data(as_text=True)
        assert 'value="45"' not in html and "低保家庭</dd>" not in html, path
        assert " checked" not in html.replace('value="self" checked', ""), path


def test_the_journeys_own_clear_wipes_the_same_way(kiosk, kiosk_app):
    walk_from_here(kiosk, "330100", "/kiosk?region=330100")
    response = post(kiosk, "/kiosk/clear")
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response.location == "/kiosk?region=330100&cleared=1"
    assert session_of(kiosk_app, kiosk) == {}


def test_the_wipe_tells_the_next_person_and_drops_preference_cookies(kiosk):
    kiosk.set_cookie("lang", "en")
    response = post(kiosk, "/kiosk/end")
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("lang=;") for c in cookies)
    html = kiosk.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "你的回答已全部清除" in html


def test_the_server_drops_a_session_idle_past_the_warning(kiosk, kiosk_app, monkeypatch):
    walk(kiosk)
    assert session_of(kiosk_app, kiosk)["answers"]
    later = time.time() + 120 + 30 + 31
    monkeypatch.setattr(time, "time", lambda: later)
    response = kiosk.get("/kiosk/check-answers")
    assert response.status_code == 303 and response.location.startswith("/kiosk?region=230100")
    assert response.headers["Clear-Site-Data"]
    assert session_of(kiosk_app, kiosk) == {}


def test_keepalive_and_pages_keep_an_active_session(kiosk, kiosk_app, monkeypatch):
    walk(kiosk)
    now = time.time()
    token = carried(kiosk, "/kiosk/")
    for step in (100, 200, 300):   # a keep-alive every 100 s: never idle past 150 s
        monkeypatch.setattr(time, "time", lambda: now + step)
        assert kiosk.post("/kiosk/keepalive", data=token).status_code == 204
    assert session_of(kiosk_app, kiosk)["answers"]
    assert kiosk.get("/kiosk/check-answers").status_code == 200


# ---------------------------------------------------------------- switches

def test_assist_mode_uses_third_person_and_expands_help(kiosk):
    walk(kiosk, values={})
    plain = kiosk.get("/kiosk/question/household").get_data(as_text=True)
    assert "你家是下面哪一种？" in plain and "kiosk-assist-help" not in plain
    response = post(kiosk, "/kiosk/settings", {"assist": "on", "next": "/kiosk/question/household"})
    assert response.status_code == 303 and response.location == "/kiosk/question/household"
    html = kiosk.get("/kiosk/question/household").get_data(as_text=True)
    assert "他（她）家是下面哪一种？" in html and "kiosk-assist-help" in html
    assert "可以问社区居委会" in html, "the unknown_help text is shown expanded"
    assert 'id="kiosk-assist-toggle" type="submit" name="assist" value="off"' in html
    assert 'aria-pressed="true">工作人员协助' in html
    post(kiosk, "/kiosk/settings", {"assist": "off"})
    assert "你家是下面哪一种？" in kiosk.get("/kiosk/question/household").get_data(as_text=True)


def test_speech_switch_without_javascript_and_with(kiosk):
    kiosk.get("/kiosk")
    response = post(kiosk, "/kiosk/settings", {"speech": "on", "next": "/kiosk/"})
    assert response.location == "/kiosk/"
    html = kiosk.get("/kiosk/").get_data(as_text=True)
    assert 'data-kiosk-speech="on"' in html and re.search(r'id="kiosk-speech-toggle"[^>]*aria-pressed="true"', html)
    data = post(kiosk, "/kiosk/settings", {"speech": "off", "ajax": "1"}).get_json()
    assert data["speech"] is False


def test_settings_never_redirect_off_the_kiosk(kiosk):
    kiosk.get("/kiosk")
    for target in ("https://evil.example/", "//evil.example/kiosk", "/admin", "/kiosk\\..\\x"):
        location = post(kiosk, "/kiosk/settings", {"size": "larger", "next": target}).location
        assert location == "/kiosk/", target


def test_language_and_text_size_switches(kiosk):
    kiosk.get("/kiosk")
    post(kiosk, "/kiosk/settings", {"lang": "en"})
    html = kiosk.get("/kiosk/").get_data(as_text=True)
    assert '<html lang="en"' in html and 'lang="zh-CN">中文</button>' in html
    post(kiosk, "/kiosk/settings", {"size": "larger", "theme": "contrast"})
    html = kiosk.get("/kiosk/").get_data(as_text=True)
    assert "kiosk-size-larger" in html and "theme-contrast" in html


# ---------------------------------------------------------------- result slip and catalogue

def test_result_slip_lists_likely_benefits_where_to_apply_and_documents(kiosk, client):
    walk(kiosk)
    results = dict(STATUS.findall(kiosk.get("/kiosk/results").get_data(as_text=True)))
    html = kiosk.get("/kiosk/slip").get_data(as_text=True)
    on_slip = dict(STATUS.findall(html))
    assert on_slip == {b: s for b, s in results.items() if s in ("eligible", "undetermined")}
    assert "eligible" in on_slip.values()
    assert "办理部门" in html and "要带的材料" in html and "残疾人证" in html
    assert '<svg role="img"' in html and 'id="kiosk-print"' in html
    assert 'kiosk-slip-a4.css' in html
    assert 'kiosk-slip-receipt.css' in kiosk.get("/kiosk/slip?paper=receipt").get_data(as_text=True)


def test_slip_qr_code_opens_the_catalogue_and_holds_no_answers(kiosk):
    walk(kiosk)
    html = kiosk.get("/kiosk/slip").get_data(as_text=True)
    url = re.search(r'<p class="slip-url">([^<]+)</p>', html).group(1).replace("&amp;", "&")
    parts = urlsplit(url)
    assert parts.path.startswith("/catalogue/230100/") and not parts.query
    ids = parts.path.rsplit("/", 1)[1].split("+")
    assert set(ids) == set(dict(STATUS.findall(html)))
    # The QR code encodes exactly that URL: nothing about the person (no age, no answers).
    expected = slip.qr_svg(url, "x")
    drawn = re.search(r'<path[^>]*stroke="#000"[^>]*d="([^"]+)"', html).group(1)
    assert drawn in expected
    for value in ("45", "dibao", "physical", "true", "urban"):
        assert value not in parts.path
    # The same benefits give the same code, whoever answered.
    assert slip.catalogue_url("http://localhost/", "230100", ids) == url


def test_qr_helper_encodes_only_what_it_is_given():
    url = slip.catalogue_url("https://checker.example.gov.cn", "230100", ["living_subsidy", "nursing_subsidy"])
    assert url == "https://checker.example.gov.cn/catalogue/230100/living_subsidy+nursing_subsidy"
    assert slip.catalogue_url("https://checker.example.gov.cn/", "230100", []) == \
        "https://checker.example.gov.cn/catalogue/230100"
    code = segno.make(url, error="m")
    assert code.designator  # a valid QR symbol
    assert 'aria-label="标题"' in slip.qr_svg(url, "标题") and "style=" not in slip.qr_svg(url, "标题")


def test_slip_without_a_region_goes_to_the_region_question(kiosk):
    kiosk.get("/kiosk")
    assert kiosk.get("/kiosk/slip").location == "/kiosk/region"


def test_public_catalogue_page(client):
    response = client.get("/catalogue/230100/nursing_subsidy+living_subsidy+not_a_benefit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'<section class="benefit" id="(\w+)"', html) == ["nursing_subsidy", "living_subsidy"]
    assert "要带的材料" in html and "政策依据" in html
    everything = client.get("/catalogue/230100").get_data(as_text=True)
    assert everything.count('<section class="benefit"') > 2
    assert client.get("/catalogue/999999").status_code == 404
    assert client.get("/catalogue/999999/living_subsidy").status_code == 404
    assert "kiosk-bar" not in html, "a phone gets the public layout, not the kiosk's"


def test_old_query_form_of_the_catalogue_link_redirects_to_the_path_form(client):
    """Slips printed before the path form still open (they carried ?benefits=a,b)."""
    response = client.get("/catalogue/230100?benefits=nursing_subsidy,living_subsidy")
    assert response.status_code == 301
    assert response.location == "/catalogue/230100/nursing_subsidy+living_subsidy"
    html = client.get(response.location).get_data(as_text=True)
    assert re.findall(r'<section class="benefit" id="(\w+)"', html) == ["nursing_subsidy", "living_subsidy"]


def test_qr_code_uses_the_public_address_when_set(monkeypatch):
    monkeypatch.setenv("KIOSK_PUBLIC_URL", "https://checker.example.gov.cn/")
    client = create_app({"TESTING": True}).test_client()
    walk(client)
    html = client.get("/kiosk/slip").get_data(as_text=True)
    assert '<p class="slip-url">https://checker.example.gov.cn/catalogue/230100/' in html


def test_a_switch_the_script_sends_before_start_keeps_the_desk(kiosk, kiosk_app):
    """kiosk.js sends the read-aloud switch without a reload; the desk's defaults still hold."""
    fields = carried(kiosk, "/kiosk?region=610103")
    kiosk.post("/kiosk/settings", data={"csrf_token": fields["csrf_token"], "speech": "on", "ajax": "1"})
    kiosk.post("/kiosk/start", data={**fields, "helping": "self"})
    state = session_of(kiosk_app, kiosk)
    assert state["region"] == "610103" and state["kiosk"]["speech"] is True
