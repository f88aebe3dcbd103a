"""The public JSON API (shared/spec/api.md §3): POST /api/v1/check and the region catalogue.

Client mistakes are 400 (404 for an unknown region) with the field named; an engine
failure is 503 — never a 500, never a guessed answer.
"""
import json

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from eligibility import AnswerError, EngineFailure, UnknownRegion, regionsearch
from eligibility.contract import benefit_dict, parse_request, region_dict, report_dict

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


REGION_FILTERS = ("parent", "q", "limit")


@bp.get("/regions")
def regions():
    """Every region (about 3,200), or filtered: ?parent=CODE (the level below CODE), ?q=TEXT
    (name, pinyin, pinyin initials or code; best first; within ?parent= if both), ?limit=N."""
    checker = get_checker()
    book = checker.book
    for key in request.args:
        if key not in REGION_FILTERS:
            raise AnswerError("unknown_field", f"不认识的参数：{key}（allowed: {', '.join(REGION_FILTERS)}）", key)
    parent, query = request.args.get("parent"), request.args.get("q")
    limit = _limit(request.args.get("limit"))
    if parent is not None and parent not in book.regions:
        unknown = UnknownRegion(parent)
        unknown.field = "parent"
        raise unknown
    if query is not None:
        if not query.strip() or len(query) > regionsearch.MAX_QUERY:
            raise AnswerError("invalid_query", f"q 要写 1—{regionsearch.MAX_QUERY} 个字的地区名称、拼音或代码", "q")
        found = [r for r, _ in regionsearch.search(book, query, limit=len(book.regions))]
        if parent is not None:
            found = [r for r in found if parent in {c.code for c in book.chain(r.code)}]
        selected = found[:limit or 20]
    elif parent is not None:
        selected = regionsearch.children(book, parent)[:limit]
    else:
        selected = list(book.regions.values())[:limit]
    return jsonify({"rules_version": book.version,
                    "tree_source": book.tree_source,
                    "regions": [_region_entry(book, r) for r in selected]})


def _limit(raw):
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 5000:
        raise AnswerError("invalid_limit", "limit 必须是 1—5000 的整数", "limit")
    return int(raw)


def _region_entry(book, region):
    entry = region_dict(region, book.chain(region.code))
    entry.update(parent=region.parent, children=sorted(region.children))
    return entry


@bp.get("/regions/<code>/benefits")
def region_benefits(code):
    checker = get_checker()
    region = checker.region(code)   # a replaced code answers as the current region
    benefits = checker.book.benefits[region.code]
    return jsonify({"region": region_dict(region, checker.book.chain(region.code)),
                    "rules_version": checker.rules_version,
                    "benefits": [benefit_dict(b) for b in benefits.values()]})
