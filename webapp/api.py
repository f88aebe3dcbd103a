"""The public JSON API (shared/spec/api.md §3): POST /api/v1/check and the region catalogue.

Client mistakes are 400 (404 for an unknown region) with the field named; an engine
failure is 503 — never a 500, never a guessed answer.
"""
import json

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from eligibility import AnswerError, EngineFailure, UnknownRegion
from eligibility.contract import benefit_dict, parse_request, report_dict

from .engine import get_checker

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error(status, code, message, field=None):
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


@bp.errorhandler(AnswerError)
def answer_error(exc):
    return error(404 if isinstance(exc, UnknownRegion) else 400, exc.code, exc.message, exc.field)


@bp.errorhandler(EngineFailure)
def engine_failure(exc):
    return error(503, "engine_unavailable",
                 "暂时无法完成检查，请稍后再试，或拨打 12385 残疾人服务热线（the rule engine failed; no answer is given）")


@bp.errorhandler(HTTPException)
def http_error(exc):
    codes = {413: "body_too_large", 404: "not_found", 405: "method_not_allowed"}
    return error(exc.code, codes.get(exc.code, "http_error"), exc.description)


@bp.post("/check")
def check():
    raw = request.get_data(cache=False)  # bounded by MAX_CONTENT_LENGTH (413 beyond it)
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        return error(400, "invalid_json", f"请求体不是有效的 JSON（invalid JSON: {exc}）")
    checker = get_checker()
    code, answers, as_of = parse_request(body, checker)
    return jsonify(report_dict(checker.check(code, answers, as_of)))


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


@bp.get("/regions")
def regions():
    checker = get_checker()
    book = checker.book
    return jsonify({"rules_version": book.version, "regions": [
        {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent,
         "chain": [c.code for c in book.chain(r.code)], "children": sorted(r.children)}
        for r in book.regions.values()]})


@bp.get("/regions/<code>/benefits")
def region_benefits(code):
    checker = get_checker()
    region = checker.region(code)
    benefits = checker.book.benefits[code]
    return jsonify({"region": {"code": region.code, "name": region.name,
                               "chain": [r.code for r in checker.book.chain(code)]},
                    "rules_version": checker.rules_version,
                    "benefits": [benefit_dict(b) for b in benefits.values()]})
