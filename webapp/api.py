"""The public JSON API (shared/spec/api.md §3): POST /api/v1/check and the region catalogue.

Client mistakes are 400 (404 for an unknown region, 415 for a body that is not JSON, 429
beyond the rate limit) with the field named; an engine failure is 503 — never a 500, never
a guessed answer. Every error under /api/, even for a route that does not exist, is the
JSON error body, never an HTML page.
"""
from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from eligibility import AnswerError, EngineFailure, UnknownRegion, strictjson
from eligibility.contract import benefit_dict, parse_request, report_dict

from . import openapi, ratelimit
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


HTTP_ERRORS = {
    400: ("bad_request", "请求无法理解（the request could not be understood）"),
    404: ("not_found", "没有这个接口地址（no such API route）"),
    405: ("method_not_allowed", "这个接口地址不接受这种请求方法（method not allowed on this route）"),
    413: ("body_too_large", "请求体太大，最多 {limit} 字节（request body larger than {limit} bytes）"),
    415: ("unsupported_media_type", "请求体必须是 JSON，Content-Type: application/json"
                                    "（the body must be sent as application/json）"),
    429: ("rate_limited", "请求太频繁，请 {retry} 秒后再试（too many requests; retry after {retry} s）"),
}


def init_app(app):
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def api_http_error(exc):
        # Routing errors (no such route, wrong method) belong to no blueprint: catch them here.
        if request.path == "/api" or request.path.startswith("/api/"):
            return http_error(exc)
        return exc


@bp.errorhandler(HTTPException)
def http_error(exc):
    code, message = HTTP_ERRORS.get(exc.code, ("http_error", exc.description))
    retry = ratelimit.retry_after() if exc.code == 429 else None
    response = error(exc.code, code, message.format(limit=request.max_content_length, retry=retry))
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if exc.code == 429:
        response.headers["Retry-After"] = str(retry)
    return response


@bp.post("/check")
def check():
    if request.mimetype != "application/json" or request.mimetype_params.get("charset", "utf-8").lower() != "utf-8":
        return http_error(UnsupportedMediaType())
    raw = request.get_data(cache=False)  # bounded by MAX_CONTENT_LENGTH (413 beyond it)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error(400, "invalid_json", f"请求体不是 UTF-8 编码的 JSON（body is not UTF-8: {exc}）")
    checker = get_checker()
    code, answers, as_of = parse_request(strictjson.loads(text), checker)
    return jsonify(report_dict(checker.check(code, answers, as_of)))


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


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document(get_checker(), bp.url_prefix))
