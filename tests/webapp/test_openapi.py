"""The OpenAPI document of /api/v1: generated from the fact catalogue, checked against what the
contract really returns, and the app run against it by schemathesis (in process, WSGI)."""
import random

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from eligibility.contract import benefit_dict, report_dict
from webapp import create_app

SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")


@pytest.fixture(scope="module")
def document(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def json_schema(schema, components):
    """An OpenAPI 3.0 schema as plain JSON Schema (nullable -> null allowed), refs resolved."""
    if isinstance(schema, list):
        return [json_schema(s, components) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = json_schema(components[schema["$ref"].rsplit("/", 1)[1]], components)
        return {"anyOf": [target, {"type": "null"}]} if schema.get("nullable") else target
    out = {k: json_schema(v, components) for k, v in schema.items() if k not in ("nullable", "example", "format")}
    if schema.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    if isinstance(out.get("properties"), dict):
        out["properties"] = {k: json_schema(v, components) for k, v in schema["properties"].items()}
    return out


def validator(document, name):
    components = document["components"]["schemas"]
    return jsonschema.Draft7Validator(json_schema(components[name], components))


def test_every_fact_with_its_type_range_and_values(document, book):
    answers = document["components"]["schemas"]["Answers"]
    assert answers["additionalProperties"] is False
    assert set(answers["properties"]) == set(book.catalogue.facts)
    for fact in book.catalogue.facts.values():
        schema = answers["properties"][fact.id]
        assert schema["nullable"] is True, fact.id
        if fact.type == "integer":
            assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", fact.min, fact.max)
        elif fact.type == "boolean":
            assert schema["type"] == "boolean"
        else:
            assert schema["type"] == "string" and schema["enum"] == [*fact.values, None]


def test_result_schema_has_the_fields_of_the_spec(document):
    schemas = document["components"]["schemas"]
    result = schemas["Result"]["properties"]
    assert result["to_confirm"]["items"]["$ref"].endswith("/ToConfirm")
    assert set(schemas["ToConfirm"]["properties"]) >= {"id", "text", "source"} and "office" in schemas["ToConfirm"]["required"]
    assert result["would_change"]["items"]["$ref"].endswith("/WouldChange")
    assert set(schemas["WouldChange"]["properties"]) >= {"facts", "action", "where"}
    assert schemas["WouldChange"]["properties"]["facts"]["$ref"].endswith("/Answers")
    assert set(result["status"]["enum"]) == {"eligible", "not_eligible", "undetermined"}
    assert schemas["CheckRequest"]["required"] == ["region"]
    assert set(schemas["Error"]["properties"]["error"]["properties"]) == {"code", "message", "field"}


def test_what_the_contract_returns_is_what_the_document_says(document, checker):
    """Many real reports, every seed region: each field documented, each required field there,
    every value of the documented type."""
    report_schema = validator(document, "Report")
    result_schema = document["components"]["schemas"]["Result"]
    rng = random.Random(2260)
    for n in range(60):
        code = SEED_REGIONS[n % len(SEED_REGIONS)]
        body = report_dict(checker.check(code, checker.catalogue.random_profile(rng), "2024-06-01"))
        errors = sorted(report_schema.iter_errors(body), key=str)
        assert not errors, errors[0]
        for result in body["results"]:
            assert set(result) <= set(result_schema["properties"]), set(result) - set(result_schema["properties"])
            assert set(result_schema["required"]) <= set(result)


def test_benefit_catalogue_matches_the_document(document, checker):
    benefit_schema = validator(document, "Benefit")
    for code in SEED_REGIONS:
        for benefit in checker.book.benefits[code].values():
            errors = list(benefit_schema.iter_errors(benefit_dict(benefit)))
            assert not errors, (code, benefit.id, errors[0])


def test_errors_match_the_document(document, client):
    error_schema = validator(document, "Error")
    for response in (client.post("/api/v1/check", json={"region": "230100", "answers": {"age": 200}}),
                     client.post("/api/v1/check", data="x", content_type="text/plain"),
                     client.get("/api/v1/regions/999999/benefits"), client.get("/api/v1/nope")):
        assert response.status_code >= 400
        error_schema.validate(response.json)


@pytest.fixture(scope="module")
def api_schema():
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_document(case):
    """Valid and invalid requests from the document: no 5xx, documented status codes and content
    types, responses that match their schemas, invalid input refused and valid input accepted."""
    case.call_and_validate()
