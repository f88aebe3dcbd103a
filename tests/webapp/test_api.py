"""POST /api/v1/check and the region catalogue, exactly as shared/spec/api.md says."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")


def check(client, body, **kwargs):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/v1/check", data=data, content_type="application/json", **kwargs)


def test_would_change_makes_the_result_eligible(client):
    answers = {"age": 45, "has_certificate": False, "household": "dibao_edge", "local_hukou": True}
    body = check(client, {"region": "230100", "as_of": "2024-06-01", "answers": answers}).json
    living = next(r for r in body["results"] if r["benefit"] == "living_subsidy")
    assert living["status"] == "not_eligible"
    assert [c["facts"] for c in living["would_change"]] == [{"has_certificate": True, "household": "dibao"}]
    after = check(client, {"region": "230100", "as_of": "2024-06-01",
                           "answers": dict(answers, **living["would_change"][0]["facts"])}).json
    assert next(r for r in after["results"] if r["benefit"] == "living_subsidy")["status"] == "eligible"


@pytest.mark.parametrize("code", SEED_REGIONS)
def test_check_shape(client, code, book):
    response = check(client, {"region": code, "as_of": "2024-06-01", "answers": {"age": 8, "has_certificate": True}})
    assert response.status_code == 200
    body = response.json
    assert body["region"]["code"] == code and body["region"]["chain"][0] == "000000"
    assert body["region"]["chain"][-1] == code and body["as_of"] == "2024-06-01"
    assert body["rules_version"] == book.version
    assert body["next_question"] is None or body["next_question"] in book.catalogue
    ids = {r["benefit"] for r in body["results"]}
    assert {"dibao_single_person", "living_subsidy", "nursing_subsidy", "child_rehab"} <= ids
    for result in body["results"]:
        assert result["status"] in ("eligible", "not_eligible", "undetermined")
        assert result["policy_status"] in ("in_force", "planned")
        assert result["sources"], result["benefit"]
        for source in result["sources"]:
            assert source["document"] and source["title"]
            if "seed" in source:
                assert book.seeds.quote_problem(source["seed"], source["line"], source["quote"]) is None
        for condition in result["conditions"]:
            assert condition["outcome"] in ("met", "not_met", "unknown")
            assert set(condition) >= {"id", "text", "outcome", "fact", "source"}
        assert result["amount"] is None or result["amount"]["text"]
        assert set(result["apply"]) >= {"agency"}
        assert result["region"] in body["region"]["chain"]
        assert isinstance(result["to_confirm"], list) and isinstance(result["would_change"], list)
        for item in result["to_confirm"]:
            assert set(item) >= {"id", "text", "source"} and item["office"] in ("verify", "decide")
        if result["status"] == "eligible":
            assert result["would_change"] == []
        for change in result["would_change"]:
            assert change["facts"] and change["action"] and change["where"]
            assert not {"age", "disability_category", "autism"} & set(change["facts"])
        drafts = [s for s in result["sources"] if s.get("draft")]
        assert result["draft"] == bool(drafts) or any((c["source"] or {}).get("draft") for c in result["conditions"])
        assert all(s["seed"].startswith(("001_", "002_")) for s in drafts)


def test_as_of_defaults_to_today_in_china(client):
    from eligibility import today
    assert check(client, {"region": "230100"}).json["as_of"] == today().isoformat()


def test_child_rehab_age_is_regional(client):
    child = {"age": 8, "disability_category": "physical", "household": "dibao", "local_hukou": True}
    harbin = check(client, {"region": "230100", "as_of": "2024-06-01", "answers": child}).json
    national = check(client, {"region": "000000", "as_of": "2024-06-01", "answers": child}).json
    status = lambda body: next(r for r in body["results"] if r["benefit"] == "child_rehab")  # noqa: E731
    assert status(harbin)["status"] == "eligible" and status(harbin)["region"] == "230100"
    assert status(national)["status"] == "not_eligible" and status(national)["region"] == "000000"


@pytest.mark.parametrize("body, status, code, field", [
    ("{", 400, "invalid_json", None),
    (b"\xff\xfe", 400, "invalid_json", None),
    ('{"region": "230100", "answers": {"age": NaN}}', 400, "invalid_json", None),
    ("[]", 400, "invalid_body", None),
    ({}, 400, "missing_field", "region"),
    ({"region": 230100}, 400, "wrong_type", "region"),
    ({"region": "999999"}, 404, "unknown_region", "region"),
    ({"region": "230100", "colour": "red"}, 400, "unknown_field", "colour"),
    ({"region": "230100", "as_of": "2024-02-30"}, 400, "invalid_date", "as_of"),
    ({"region": "230100", "as_of": 20240601}, 400, "invalid_date", "as_of"),
    ({"region": "230100", "answers": []}, 400, "invalid_answers", "answers"),
    ({"region": "230100", "answers": {"income": 5}}, 400, "unknown_fact", "income"),
    ({"region": "230100", "answers": {"age": "8"}}, 400, "wrong_type", "age"),
    ({"region": "230100", "answers": {"age": 8.5}}, 400, "wrong_type", "age"),
    ({"region": "230100", "answers": {"age": 131}}, 400, "out_of_range", "age"),
    ({"region": "230100", "answers": {"has_certificate": "yes"}}, 400, "wrong_type", "has_certificate"),
    ({"region": "230100", "answers": {"household": "rich"}}, 400, "out_of_range", "household"),
    ({"region": "230100", "answers": {"disability_grade": 0}}, 400, "out_of_range", "disability_grade"),
    ({"region": "230100", "answers": {"age": "²"}}, 400, "wrong_type", "age"),
    ({"region": "230100", "answers": {"disability_grade": "①"}}, 400, "wrong_type", "disability_grade"),
    ('{"region": "230100", "answers": {"age": ' + "9" * 5000 + "}}", 400, "out_of_range", "age"),
    ('{"region": ' + "1" * 5000 + "}", 400, "wrong_type", "region"),
    ('{"region": "230100", "as_of": ' + "2" * 5000 + "}", 400, "invalid_date", "as_of"),
    ('{"region": "230100", "answers": ' + "[" * 1000 + "]" * 1000 + "}", 400, "too_deep", None),
    ('{"region": "230100", "answers": {"age": 8, "age": 9}}', 400, "duplicate_key", "age"),
    ('{"region": "230100", "region": "330100"}', 400, "duplicate_key", "region"),
    ({"region": "230100", "as_of": "2024-W01-1"}, 400, "invalid_date", "as_of"),
    ({"region": "230100", "as_of": "20240601"}, 400, "invalid_date", "as_of"),
])
def test_error_rules(client, body, status, code, field):
    response = check(client, body)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["field"] == field
    assert response.json["error"]["message"]


def test_null_is_unknown_not_false(client):
    known = check(client, {"region": "000000", "as_of": "2024-06-01", "answers": {"has_certificate": None}}).json
    living = next(r for r in known["results"] if r["benefit"] == "living_subsidy")
    assert living["status"] == "undetermined" and "has_certificate" in living["missing"]


def test_oversized_body_is_refused(client):
    response = check(client, '{"region": "230100", "pad": "' + "x" * 100_000 + '"}')
    assert response.status_code == 413 and response.json["error"]["code"] == "body_too_large"


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/api/v1/check", 405, "method_not_allowed"), ("DELETE", "/api/v1/regions", 405, "method_not_allowed"),
    ("GET", "/api/v1/nothing", 404, "not_found"), ("GET", "/api/v2/check", 404, "not_found"),
    ("POST", "/api/", 404, "not_found"), ("GET", "/api", 404, "not_found"),
])
def test_wrong_method_and_unknown_route_are_json(client, method, path, status, code):
    response = client.open(path, method=method)
    assert response.status_code == status and response.mimetype == "application/json"
    assert response.json["error"]["code"] == code and response.json["error"]["message"]
    if status == 405:
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_other_errors_stay_html_pages(client):
    assert client.get("/no-such-page").mimetype == "text/html"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None,
                                          "application/json; charset=latin-1", "application/jsonx"])
def test_only_json_bodies_are_read(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/v1/check", data='{"region": "230100"}', headers=headers)
    assert response.status_code == 415 and response.json["error"]["code"] == "unsupported_media_type"
    assert "application/json" in response.json["error"]["message"]


def test_json_with_utf8_charset_is_fine(client):
    response = client.post("/api/v1/check", data='{"region": "230100"}',
                           headers={"Content-Type": "application/json; charset=UTF-8"})
    assert response.status_code == 200


def test_engine_failure_is_503_not_a_guess(app, client, monkeypatch):
    from webapp.engine import get_checker
    with app.app_context():
        decider = get_checker().decider
    monkeypatch.setattr(decider, "broken", "simulated")
    response = check(client, {"region": "230100"})
    assert response.status_code == 503 and response.json["error"]["code"] == "engine_unavailable"
    assert client.get("/healthz").status_code == 503


def test_regions_and_benefit_catalogue(client, book):
    regions = client.get("/api/v1/regions").json["regions"]
    codes = {r["code"] for r in regions}
    assert set(SEED_REGIONS) | {"000000", "230000", "231000", "610000", "610100", "330000", "370000", "371500"} <= codes
    benefits = client.get("/api/v1/regions/230100/benefits").json
    child = next(b for b in benefits["benefits"] if b["benefit"] == "child_rehab")
    assert child["conditions"] and child["sources"] and all(c["text"] for c in child["conditions"])
    assert client.get("/api/v1/regions/000001/benefits").status_code == 404


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(region=st.sampled_from(["230100", "371503", "x", ""]) | st.integers(),
       answers=st.dictionaries(st.sampled_from(["age", "has_certificate", "household", "disability_grade", "autism", "zzz"]),
                               json_values, max_size=4) | json_values)
def test_never_500_on_client_input(app, region, answers):
    response = app.test_client().post("/api/v1/check", json={"region": region, "answers": answers})
    assert response.status_code in (200, 400, 404), response.json
