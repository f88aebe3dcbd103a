"""The request log: one JSON line per request, with the route's rule and nothing about the person.

The privacy test drives a whole journey through each way in — web questionnaire, kiosk (with
its slip and the catalogue link a phone opens from it), widget frame, API — with answers no
log line could contain by chance, and reads everything logged on the way."""
import io
import json
import logging
import re

import pytest

from tests.forms import carried

from webapp import create_app
from webapp.requestlog import LOGGER

KEYS = {"ts", "request_id", "method", "route", "status", "latency_ms"}
# Answers nobody else sends: each value below is looked for in the log.
ANSWERS = {"age": "117", "has_certificate": "true", "disability_category": "intellectual", "disability_grade": "3",
           "household": "tekun", "hukou": "rural", "local_hukou": "true", "employment": "self_employed",
           "new_graduate": "false", "military_disability": "false", "long_term_care_need": "true",
           "motorized_wheelchair": "false", "autism": "true", "below_retirement_age": "true"}
WORDS = ("intellectual", "tekun", "rural", "self_employed")
SLIP_URL = re.compile(r'<p class="slip-url">https?://[^/]+(/catalogue/[^<]+)</p>')


@pytest.fixture
def captured(caplog):
    """Everything logged while the test runs: the request log and any other logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    LOGGER.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        yield lambda: stream.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    finally:
        LOGGER.removeHandler(handler)


def lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def answer_everything(visitor, fact_page=re.compile(r'action="([^"]*/question/(\w+))')):
    for _ in range(30):
        match = fact_page.search(visitor.page)
        if not match:
            return
        action, fact = match.groups()
        visitor.submit(action, {fact: ANSWERS.get(fact, "unknown")}, follow_redirects=True)
    raise AssertionError("the journey did not end")


def test_one_json_line_per_request_with_route_not_path(client, captured):
    token = carried(client)["csrf_token"]
    already = len(lines(captured()))
    client.post("/start", data={"helping": "self", "csrf_token": token})
    client.post("/region", data={"region": "230100", "csrf_token": token})
    response = client.post("/question/age", data={"age": "8", "csrf_token": token})
    client.get("/api/v1/nothing?secret=1")
    records = lines(captured())[already:]
    assert [(r["method"], r["route"], r["status"]) for r in records] == [
        ("POST", "/start", 303), ("POST", "/region", 303), ("POST", "/question/<fact>", 303), ("GET", None, 404)]
    for record in records:
        assert set(record) == KEYS and record["latency_ms"] >= 0 and re.fullmatch(r"[0-9a-f]{32}", record["request_id"])
    assert response.headers["X-Request-ID"] == records[2]["request_id"]


def test_a_sane_request_id_from_the_proxy_is_kept(client, captured):
    kept = client.get("/", headers={"X-Request-ID": "nginx-4f2a9c01"})
    replaced = client.get("/", headers={"X-Request-ID": "bad id\"; DROP"})
    records = lines(captured())
    assert kept.headers["X-Request-ID"] == records[0]["request_id"] == "nginx-4f2a9c01"
    assert replaced.headers["X-Request-ID"] == records[1]["request_id"] != "bad id\"; DROP"


def test_the_widget_frame_is_one_line_per_request(captured):
    client = create_app({"TESTING": True}).test_client(use_cookies=False)
    client.get("/embed/frame?region=230100")        # the frame follows its redirects inside
    assert [r["route"] for r in lines(captured())] == ["/embed/frame"]


def test_no_answer_and_no_slip_benefit_reaches_any_log(visitor, captured):
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    # web questionnaire
    visitor.get("/")
    visitor.submit("/start", {"helping": "self"}, follow_redirects=True)
    visitor.submit("/region", {"region": "330100"}, follow_redirects=True)
    answer_everything(visitor)
    visitor.submit("/check-answers", {}, follow_redirects=True)
    assert "杭州" in visitor.page and 'data-status="' in visitor.page
    # kiosk, its slip, and the catalogue page the slip's QR code opens
    kiosk = type(visitor)(app.test_client())
    kiosk.get("/kiosk?region=371503", follow_redirects=True)
    kiosk.submit("/kiosk/start", {"helping": "self"}, follow_redirects=True)
    kiosk.submit("/kiosk/region", {"region": "371503"}, follow_redirects=True)
    answer_everything(kiosk)
    kiosk.submit("/kiosk/check-answers", {}, follow_redirects=True)
    assert 'data-status="' in kiosk.page
    slip = kiosk.get("/kiosk/slip").get_data(as_text=True)
    catalogue = SLIP_URL.search(slip).group(1)
    slip_benefits = catalogue.rsplit("/", 1)[1].split("+")
    assert slip_benefits and kiosk.client.get(catalogue).status_code == 200
    # the widget, without cookies, its state in hidden fields
    frame = type(visitor)(app.test_client(use_cookies=False))
    frame.get("/embed/frame?region=610103")
    frame.submit("/embed/frame/start", {"helping": "self"})
    answer_everything(frame)
    frame.submit("/embed/frame/check-answers", {})
    assert 'data-status="' in frame.page
    # the API
    typed = {f: int(v) if v.isdigit() else v == "true" if v in ("true", "false") else v for f, v in ANSWERS.items()}
    assert app.test_client().post("/api/v1/check", json={"region": "231081", "answers": typed}).status_code == 200

    text = captured()
    records = lines(text)
    assert all(set(r) == KEYS for r in records)
    routes = {r["route"] for r in records}
    assert {"/question/<fact>", "/kiosk/question/<fact>", "/embed/frame/question/<fact>", "/kiosk/slip",
            "/catalogue/<code>/<benefits>", "/api/v1/check", "/results", "/kiosk/results"} <= routes, routes
    # What could carry an answer, with the fields that are only clocks and random ids taken out.
    scrubbed = "\n".join(json.dumps({k: v for k, v in r.items() if k not in ("ts", "request_id", "latency_ms")})
                         for r in records) + "\n".join(line for line in text.splitlines() if not line.startswith("{"))
    for value in WORDS + ("117", "330100", "371503", "610103", "231081"):
        assert value not in scrubbed, value
    for word in [*ANSWERS, *slip_benefits]:
        assert not re.search(rf"\b{word}\b", scrubbed), word
    assert "?" not in scrubbed      # no query string, e.g. /kiosk?region=…


def test_the_log_can_be_turned_off_and_the_id_stays(captured):
    client = create_app({"TESTING": True, "REQUEST_LOG": False}).test_client()
    response = client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"]) and not lines(captured())


def test_a_server_error_is_logged_without_path_or_message(captured):
    app = create_app({"TESTING": False, "RATELIMIT_ENABLED": False})

    @app.get("/boom/<secret>")
    def boom(secret):
        raise ValueError(f"invalid literal for int() with base 10: {secret!r}")

    response = app.test_client().get("/boom/tekun-117")
    assert response.status_code == 500
    text = "\n".join(line for line in captured().splitlines() if not line.startswith("{"))   # not the JSON lines
    assert "Exception ValueError on /boom/<secret> [GET], request " + response.headers["X-Request-ID"] in text
    assert "tekun" not in text and "117" not in text.replace(response.headers["X-Request-ID"], "")
