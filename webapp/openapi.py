"""The OpenAPI 3 document of /api/v1, served at GET /api/v1/openapi.json.

Built from the rules themselves — every fact of rules/facts.yaml with its type, range and
values, the benefit categories, the region codes' form — so it cannot drift from what the
API accepts; tests/webapp/test_openapi.py checks it against the contract's output and runs
schemathesis against the app.
"""
from eligibility.conditions import OFFICE_KINDS
from eligibility.rulebook import AMOUNT_KEYS, APPLY_KEYS, AUDIENCES, CATEGORIES, PERIODS, POLICY_STATUSES, SOURCE_KEYS

STATUSES = ("eligible", "not_eligible", "undetermined")
OUTCOMES = ("met", "not_met", "unknown")
REGION_CODE = {"type": "string", "pattern": "^[0-9]{6}$", "description": "GB/T 2260 行政区划代码",
               "example": "230100"}
ERROR_STATUSES = {400: "输入有误：字段名在 error.field（bad JSON, unknown fact, wrong type, out of range, bad date）",
                  404: "没有这个地区或接口地址（unknown region or route）",
                  405: "这个地址不接受这种请求方法（method not allowed）",
                  413: "请求体超过 64 KB（body too large）",
                  415: "请求体不是 application/json（not JSON）",
                  429: "请求太频繁，见 Retry-After（rate limited）",
                  503: "规则引擎暂时不可用，不给出任何结论（engine unavailable）"}
# Fields the contract (shared/spec/api.md §3) names on every result.
RESULT_REQUIRED = ["benefit", "name", "status", "policy_status", "category", "summary", "region", "conditions",
                   "missing", "to_confirm", "would_change", "draft", "amount", "apply", "notes", "sources"]
OFFICE = {"type": "string", "enum": [*OFFICE_KINDS, None], "nullable": True,
          "description": "verify: checked for every applicant; decide: a route the office decides"}


def fact_schema(fact):
    """One answer: its JSON type, range or values; null means unknown (spec §2)."""
    if fact.type == "integer":
        schema = {"type": "integer", "minimum": fact.min, "maximum": fact.max}
    elif fact.type == "boolean":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string", "enum": [*fact.values, None]}
    return {**schema, "nullable": True, "description": fact.question}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items):
    return {"type": "array", "items": items}


def _object(properties, required=(), extra=False):
    schema = {"type": "object", "properties": properties, "additionalProperties": extra}
    if required:
        schema["required"] = list(required)
    return schema


def _text(nullable=False):
    return {"type": "string", "nullable": True} if nullable else {"type": "string"}


def schemas(catalogue):
    facts = list(catalogue.facts)
    fact_id = {"type": "string", "enum": facts}
    source_types = {"line": {"type": "integer", "minimum": 1}, "draft": {"type": "boolean"}}
    amount_types = {"min": {"type": "number", "minimum": 0}, "max": {"type": "number", "minimum": 0},
                    "currency": {"type": "string", "enum": ["CNY"]},
                    "period": {"type": "string", "enum": list(PERIODS), "nullable": True}}
    return {
        "Answers": _object({f.id: fact_schema(f) for f in catalogue.facts.values()}),
        "CheckRequest": _object({
            "region": REGION_CODE,
            "as_of": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                      "nullable": True, "description": "检查日期；省略或 null 为今天（中国时间）"},
            "answers": _ref("Answers")}, required=["region"]),
        "Error": _object({"error": _object({"code": _text(), "message": _text(), "field": _text(nullable=True)},
                                           required=["code", "message", "field"])}, required=["error"]),
        # A cited document; seed/line/quote when the plan is one of the seeds (spec §3).
        "Source": _object({key: source_types.get(key, _text()) for key in sorted(SOURCE_KEYS | {"draft"})},
                          required=["document", "title"]),
        "Amount": {**_object({key: amount_types.get(key, _text()) for key in sorted(AMOUNT_KEYS)},
                             required=["text"]), "nullable": True},
        "Apply": _object({key: _text() if key in ("agency", "where", "note") else _array(_text())
                          for key in sorted(APPLY_KEYS)}, required=["agency"]),
        "Condition": _object({
            "id": _text(), "text": _text(), "outcome": {"type": "string", "enum": list(OUTCOMES)},
            "fact": {**fact_id, "enum": [*facts, None], "nullable": True}, "part_of": _text(nullable=True),
            "office": OFFICE, "assessed_locally": {"type": "boolean"},
            "source": {**_ref("Source"), "nullable": True}},
            required=["id", "text", "outcome", "fact", "source"]),
        "ToConfirm": _object({"id": _text(), "text": _text(), "office": {**OFFICE, "enum": list(OFFICE_KINDS),
                                                                         "nullable": False},
                              "source": {**_ref("Source"), "nullable": True}},
                             required=["id", "text", "office", "source"]),
        "WouldChange": _object({
            "facts": _ref("Answers"), "action": _text(), "where": _text(),
            "steps": _array(_object({"fact": fact_id, "value": {"nullable": True}, "action": _text(),
                                     "where": _text(), "done": _text()},
                                    required=["fact", "value", "action", "where", "done"]))},
            required=["facts", "action", "where", "steps"]),
        "Result": _object({
            "benefit": _text(), "name": _text(), "status": {"type": "string", "enum": list(STATUSES)},
            "policy_status": {"type": "string", "enum": list(POLICY_STATUSES)},
            "category": {"type": "string", "enum": list(CATEGORIES)}, "summary": _text(), "region": REGION_CODE,
            "draft": {"type": "boolean"}, "audience": {"type": "string", "enum": list(AUDIENCES)},
            "conditions": _array(_ref("Condition")), "missing": _array(fact_id),
            "to_confirm": _array(_ref("ToConfirm")), "would_change": _array(_ref("WouldChange")),
            "amount": _ref("Amount"), "apply": _ref("Apply"), "notes": _array(_text()),
            "sources": {**_array(_ref("Source")), "minItems": 1}}, required=RESULT_REQUIRED),
        "Report": _object({
            "region": _object({"code": REGION_CODE, "name": _text(), "chain": _array(REGION_CODE)},
                              required=["code", "name", "chain"]),
            "as_of": {"type": "string", "format": "date"}, "rules_version": _text(),
            "results": _array(_ref("Result")),
            "next_question": {**fact_id, "enum": [*facts, None], "nullable": True}},
            required=["region", "as_of", "rules_version", "results", "next_question"]),
        "Region": _object({"code": REGION_CODE, "name": _text(), "level": _text(),
                           "parent": {**REGION_CODE, "nullable": True}, "chain": _array(REGION_CODE),
                           "children": _array(REGION_CODE)}, required=["code", "name", "level", "parent", "chain"],
                          extra=True),
        "Regions": _object({"rules_version": _text(), "regions": _array(_ref("Region"))},
                           required=["rules_version", "regions"]),
        "Benefit": _object({
            "benefit": _text(), "name": _text(), "category": {"type": "string", "enum": list(CATEGORIES)},
            "policy_status": {"type": "string", "enum": list(POLICY_STATUSES)}, "summary": _text(),
            "region": REGION_CODE, "draft": {"type": "boolean"}, "audience": {"type": "string", "enum": list(AUDIENCES)},
            "effective": _object({"from": {"type": "string", "format": "date", "nullable": True},
                                  "to": {"type": "string", "format": "date", "nullable": True}}),
            "conditions": _array(_object({"id": _text(), "text": _text(), "fact": {**fact_id, "enum": [*facts, None],
                                                                                    "nullable": True},
                                          "part_of": _text(nullable=True), "office": OFFICE,
                                          "source": {**_ref("Source"), "nullable": True}},
                                         required=["id", "text", "fact", "source"])),
            "amount": _ref("Amount"), "apply": _ref("Apply"), "notes": _array(_text()),
            "sources": {**_array(_ref("Source")), "minItems": 1}},
            required=["benefit", "name", "category", "policy_status", "summary", "region", "conditions",
                      "amount", "apply", "sources"]),
        "RegionBenefits": _object({
            "region": _object({"code": REGION_CODE, "name": _text(), "chain": _array(REGION_CODE)},
                              required=["code", "name", "chain"]),
            "rules_version": _text(), "benefits": _array(_ref("Benefit"))},
            required=["region", "rules_version", "benefits"]),
    }


def _json(schema):
    return {"application/json": {"schema": schema}}


def _responses(ok_schema, ok_text, *errors):
    responses = {"200": {"description": ok_text, "content": _json(ok_schema)}}
    for status in (*errors, 429):
        responses[str(status)] = {"description": ERROR_STATUSES[status], "content": _json(_ref("Error"))}
    return responses


def document(checker, prefix):
    """The OpenAPI 3.0 document for the rules `checker` runs, its paths under `prefix`."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "残疾人福利资格检查 API · Disability benefit checker API",
                 "version": f"1 (rules {checker.rules_version})",
                 "description": "A screening, not an application: nothing sent is stored. A fact that is absent or "
                                "null is unknown, never false or 0. Every error is "
                                "{\"error\": {\"code\", \"message\", \"field\"}}. Rate limit per client address; "
                                "beyond it 429 with Retry-After."},
        "paths": {
            f"{prefix}/check": {"post": {
                "operationId": "check", "summary": "检查一个人在一个地区能享受哪些福利",
                "requestBody": {"required": True, "content": _json(_ref("CheckRequest"))},
                "responses": _responses(_ref("Report"), "每项福利的结果、理由和依据", 400, 404, 413, 415, 503)}},
            f"{prefix}/regions": {"get": {
                "operationId": "regions", "summary": "全部地区及其上下级",
                "responses": _responses(_ref("Regions"), "地区列表")}},
            f"{prefix}/regions/{{code}}/benefits": {"get": {
                "operationId": "regionBenefits", "summary": "一个地区的全部福利、条件和依据（不涉及任何人）",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": REGION_CODE}],
                "responses": _responses(_ref("RegionBenefits"), "福利目录", 404)}},
            f"{prefix}/openapi.json": {"get": {
                "operationId": "openapi", "summary": "本文档",
                "responses": {"200": {"description": "OpenAPI 3 document",
                                      "content": _json({"type": "object"})}}}},
        },
        "components": {"schemas": schemas(checker.catalogue)},
    }
