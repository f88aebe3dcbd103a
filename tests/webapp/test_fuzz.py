"""Property-based fuzzing of every way in: the JSON API and every form POST of the web
questionnaire, the kiosk and the widget frame — junk values, Unicode digits, numbers past
Python's 4,300-digit limit, JSON nested a thousand deep, duplicate keys, wrong content types,
garbage and oversized cookies, tampered widget state. Never a 5xx; every 4xx names the problem.

Forms are posted as a browser would (tests/webapp/conftest.py: the form's page is read first
and its hidden fields copied), so a token the forms gain later is carried along.
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp import create_app
from webapp.embed.state import NAV_FIELD, STATE_FIELD

from .conftest import Browser

# Sent on purpose: an 8 KB cookie is what the test is about.
pytestmark = pytest.mark.filterwarnings("ignore:The '.*' cookie is too large")
GENERIC_400 = "The browser (or proxy) sent a request that this server could not understand"
SEED_REGIONS = ["230100", "231081", "610103", "330100", "371503", "000000", "230000"]
FACTS = ["age", "has_certificate", "disability_category", "disability_grade", "household", "hukou", "local_hukou",
         "employment", "new_graduate", "military_disability", "long_term_care_need", "motorized_wheelchair",
         "autism", "below_retirement_age"]
NASTY_TEXT = ["²", "①", "٣", "８", "9" * 5000, "1" * 4301, "-0", "1e3", "0x1F", " 8 ", "8岁", "\x00", "\ud7ff",
              "unknown", "true", "false", "null", "", " ", "2024-W01-1", "20240101", "２０２４-06-01", "NaN",
              "<script>", "' OR 1=1", "a" * 70_000, "%", "+", "&", "x\r\nSet-Cookie: a=b"]
text = st.text(max_size=30) | st.sampled_from(NASTY_TEXT)


class Counted:
    """A test client that counts the requests it sends."""

    def __init__(self, client):
        self.client = client
        self.count = 0

    def open(self, *args, **kwargs):
        self.count += 1
        return self.client.open(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self.open(*args, method="GET", **kwargs)

    def post(self, *args, **kwargs):
        return self.open(*args, method="POST", **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


def assert_sound(response, what):
    """No server error; a client error says what is wrong."""
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:300])
    if 400 <= response.status_code < 500:
        if response.mimetype == "application/json":
            error = response.json["error"]
            assert error["code"] and error["message"], what
        else:
            page = response.get_data(as_text=True)
            assert "<title>" in page and GENERIC_400 not in page, (what, page[:300])


# ---------------------------------------------------------------- the API

def json_text(value):
    """JSON text of `value`, where ("int", n) becomes an n-digit integer literal no encoder writes."""
    if isinstance(value, tuple) and value[0] == "int":
        return "9" * value[1]
    if isinstance(value, tuple) and value[0] == "deep":
        return "[" * value[1] + "]" * value[1]
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    return json.dumps(value)


leaf = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | text
        | st.tuples(st.just("int"), st.integers(15, 6000)) | st.tuples(st.just("deep"), st.integers(1, 3000)))
value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                     max_leaves=6)
answers = st.dictionaries(st.sampled_from(FACTS) | text, value, max_size=6) | value
body = st.fixed_dictionaries({}, optional={
    "region": st.sampled_from(SEED_REGIONS) | value, "as_of": st.sampled_from(["2024-06-01", "2030-01-01"]) | value,
    "answers": answers, "extra": value})
content_types = st.sampled_from(["application/json"] * 6 + ["application/json; charset=utf-8", "text/plain",
                                 "application/x-www-form-urlencoded", "application/json; charset=gbk", ""])


@pytest.fixture(scope="module")
def api_client():
    return Counted(create_app({"TESTING": True, "RATELIMIT_ENABLED": False}).test_client())


API_EXAMPLES = 1000


@settings(max_examples=API_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=body, content_type=content_types, duplicate=st.sampled_from([None, "region", "answers", "age"]),
       raw=st.binary(max_size=200) | text.map(str.encode), code=text,
       method=st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "POST"]))
def test_api_never_fails_on_client_input(api_client, data, content_type, duplicate, raw, code, method):
    text_body = json_text(data)
    if duplicate == "region":
        text_body = '{"region": "230100", ' + text_body[1:] if text_body != "{}" else '{"region": 1, "region": 2}'
    elif duplicate and isinstance(data.get("answers"), dict):
        text_body = text_body[:-1] + f', "answers": {{"{duplicate}": 1, "{duplicate}": 2}}}}'
    headers = {"Content-Type": content_type} if content_type else {}
    response = api_client.post("/api/v1/check", data=text_body.encode("utf-8", "surrogatepass"), headers=headers)
    assert_sound(response, text_body[:200])
    if response.status_code == 200:
        sent = data.get("region", "230100" if duplicate == "region" else None)
        assert response.json["results"] and response.json["region"]["code"] == sent
    assert_sound(api_client.post("/api/v1/check", data=raw, content_type="application/json"), raw[:100])
    for path in (f"/api/v1/regions/{code}/benefits", f"/api/v1/{code}", "/api/v1/check"):
        assert_sound(api_client.open(path.replace("?", "%3F").replace("#", "%23"), method=method), (method, path))


# ---------------------------------------------------------------- every form

CHANNELS = {"web": "", "kiosk": "/kiosk", "frame": "/embed/frame"}
# The POST routes of each journey (webapp/journey), with the page whose form posts to them.
JOURNEY_FORMS = [("/start", "/"), ("/region", "/region"), ("/check-answers", "/check-answers"), ("/clear", "/")]
KIOSK_FORMS = [("/kiosk/end", "/kiosk/"), ("/kiosk/keepalive", "/kiosk/"), ("/kiosk/settings", "/kiosk/")]
FORM_FIELDS = ["helping", "region", "desk_region", "desk_lang", "speech", "assist", "size", "theme", "lang",
               "ajax", "next", NAV_FIELD, *FACTS]


def cookie_junk():
    return (st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';,"\\'),
                    max_size=200)
            | st.sampled_from(["x" * 8192, "eyJhbnN3ZXJzIjp7fX0.garbage.sig", "", ".", "a.b.c.d"]))


form_values = st.lists(text, max_size=3)


@st.composite
def form_posts(draw):
    """1-4 form submissions: (route, page, fields)."""
    posts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["question", "question", "journey", "kiosk"]))
        if kind == "question":
            fact = draw(st.sampled_from(FACTS + ["shoe_size", "../age", "age%00"]))
            route, page = f"/question/{fact}", f"/question/{fact}"
            fields = {fact: draw(form_values)}
        elif kind == "journey":
            route, page = draw(st.sampled_from(JOURNEY_FORMS))
            fields = {}
        else:
            route, page = draw(st.sampled_from(KIOSK_FORMS))
            fields = {}
        fields.update(draw(st.dictionaries(st.sampled_from(FORM_FIELDS), form_values, max_size=3)))
        if draw(st.booleans()) and route == "/region":
            fields["region"] = [draw(st.sampled_from(SEED_REGIONS))]
        posts.append((route, page, fields))
    return posts


@pytest.fixture(scope="module")
def forms_app():
    return create_app({"TESTING": True, "SECRET_KEY": "fuzz", "RATELIMIT_ENABLED": False})


FORM_EXAMPLES = 1000
counter = {"requests": 0}


@settings(max_examples=FORM_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(channel=st.sampled_from(list(CHANNELS)), posts=form_posts(),
       session_cookie=st.none() | cookie_junk(), preference_cookie=st.none() | cookie_junk(),
       state=st.sampled_from(["kept", "kept", "garbage", "oversized", "other key", "truncated", "absent"]),
       state_junk=cookie_junk(), region=st.sampled_from(SEED_REGIONS[:5]))
def test_forms_never_fail(forms_app, channel, posts, session_cookie, preference_cookie, state, state_junk, region):
    client = Counted(forms_app.test_client(use_cookies=channel != "frame"))
    browser = Browser(client)
    prefix = CHANNELS[channel]
    # Somewhere into a journey first, so the forms carry a real session (or signed state).
    if channel == "frame":
        browser.get(f"/embed/frame?region={region}")
    else:
        browser.submit(f"{prefix}/region", {"region": region}, page=f"{prefix}/region")
    if session_cookie is not None and channel != "frame":
        client.set_cookie("session", session_cookie)
    if preference_cookie is not None and channel != "frame":
        for name in ("lang", "text", "theme"):
            client.set_cookie(name, preference_cookie)
    for route, page, fields in posts:
        if route.startswith("/kiosk") and channel != "kiosk":
            continue
        action = route if route.startswith("/kiosk") else prefix + route
        if channel == "frame":
            overrides = {"garbage": state_junk, "oversized": "x" * 8192, "truncated": None, "absent": "",
                         "other key": "eyJzIjp7fSwiZiI6e319.aw8k-A.Z2KrUiuXDB9jenV8HWSJ_vCMuac"}
            fields = dict(fields)
            if state in overrides:
                token = browser.hidden_fields(action).get(STATE_FIELD, "")
                fields[STATE_FIELD] = overrides[state] if state != "truncated" else token[: len(token) // 2]
            response = browser.submit(action, fields)
        else:
            response = browser.submit(action, fields, page=prefix + page)
        assert_sound(response, (channel, action, fields))
        if channel != "frame" and "/question/" in action and response.status_code == 200:
            assert "error-summary" in browser.page, (action, fields)     # a 200 here is the error page
    for path in (f"{prefix}/check-answers", f"{prefix}/results", f"{prefix}/next"):
        assert_sound(client.get(path), (channel, path))
    if channel == "kiosk":
        assert_sound(client.get("/kiosk/slip"), "slip")
    counter["requests"] += client.count


GET_ROUTES = ["/region?within={0}", "/settings?next={0}&lang={1}&text={1}&theme={1}", "/kiosk?region={0}&lang={1}",
              "/kiosk/?cleared={0}", "/embed/frame?region={0}&host={1}&lang={1}&theme={0}",
              "/embed/frame/settings?next={0}&lang={1}", "/question/{0}?change={1}", "/kiosk/question/{0}",
              "/catalogue/{0}/{1}", "/catalogue/230100?benefits={0},{1}", "/catalogue/{0}", "/kiosk/slip?paper={0}",
              "/api/v1/regions/{0}/benefits", "/static/{0}", "/{0}"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(route=st.sampled_from(GET_ROUTES), first=text, second=text)
def test_links_and_query_strings_never_fail(forms_app, route, first, second):
    from urllib.parse import quote
    client = Counted(forms_app.test_client())
    path = route.format(quote(first[:2000], safe=""), quote(second[:2000], safe=""))
    assert_sound(client.get(path), path)
    counter["requests"] += client.count


def test_fuzz_sent_at_least_10000_requests(api_client):
    """The fuzz tests above together (run in this file's order)."""
    if not counter["requests"]:
        pytest.skip("the form fuzz did not run")
    total = api_client.count + counter["requests"]
    print(f"fuzz: {api_client.count} API requests + {counter['requests']} form requests = {total}")
    assert total >= 10_000


# ---------------------------------------------------------------- sessions signed by another version

SESSION_KEYS = ["region", "answers", "dont_know", "order", "helping", "kiosk", "kiosk_desk"]
plain_json = st.recursive(st.none() | st.booleans() | st.integers(-5, 200) | st.sampled_from(
    ["230100", "age", "autism", "x", "on", "large", "en"]) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FACTS[:4] + ["seen", "lang", "size", "host", "text", "theme",
                                                                                              "zzz", "region"]),
                                                                 inner, max_size=3), max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.dictionaries(st.sampled_from(SESSION_KEYS), plain_json, max_size=5),
       frame=plain_json, path=st.sampled_from(["/next", "/results", "/check-answers", "/question/age", "/region"]),
       channel=st.sampled_from(list(CHANNELS)))
def test_a_validly_signed_session_of_any_shape_is_not_a_500(forms_app, data, frame, path, channel):
    """A session signed before a rule change (or by another version) may hold anything JSON can:
    facts that are gone, values out of today's range, other types. It is read as far as it is
    still valid; the rest is unknown."""
    from flask.sessions import SecureCookieSessionInterface
    from webapp.embed.state import EmbedSessionInterface
    client = forms_app.test_client(use_cookies=channel != "frame")
    prefix = CHANNELS[channel]
    if channel == "frame":
        token = EmbedSessionInterface(None).get_signing_serializer(forms_app).dumps({"s": data, "f": frame})
        response = client.post(prefix + path, data={STATE_FIELD: token, NAV_FIELD: "1"})
    else:
        client.set_cookie("session", SecureCookieSessionInterface().get_signing_serializer(forms_app).dumps(data))
        response = client.get(prefix + path)
    assert_sound(response, (channel, path, data))
