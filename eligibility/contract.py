"""The public JSON shapes of shared/spec/api.md: a check request in, a report out.

Shared by the HTTP API and the command line so both speak exactly the contract.
"""
import datetime

from .checker import parse_as_of
from .errors import AnswerError


def parse_request(body, checker):
    """(region code, answers, as_of) from a decoded request body; AnswerError names the field."""
    if not isinstance(body, dict):
        raise AnswerError("invalid_body", "请求体必须是 JSON 对象（body must be a JSON object）", None)
    for key in body:
        if key not in ("region", "as_of", "answers"):
            raise AnswerError("unknown_field", f"不认识的字段：{key}（unknown field）", key)
    if "region" not in body:
        raise AnswerError("missing_field", "缺少 region（地区代码）", "region")
    code = body["region"]
    if not isinstance(code, str):
        raise AnswerError("wrong_type", "region 必须是文字形式的地区代码，例如 \"230100\"", "region")
    checker.region(code)  # 404 before anything else about an unknown region
    as_of = parse_as_of(body.get("as_of"))
    answers = checker.catalogue.parse_answers(body.get("answers", {}))
    return code, answers, as_of


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def source_dict(source):
    return _plain(source) if source else None


def benefit_dict(benefit):
    """A benefit as the catalogue shows it (no person involved)."""
    return {
        "benefit": benefit.id,
        "name": benefit.name,
        "category": benefit.category,
        "audience": benefit.audience,
        "policy_status": benefit.policy_status,
        "draft": benefit.draft,
        "summary": benefit.summary,
        "region": benefit.region,
        "effective": {"from": _plain(benefit.effective_from), "to": _plain(benefit.effective_to)},
        "conditions": [{"id": n.id, "text": n.text, "fact": n.fact, "part_of": n.part_of,
                        "office": getattr(n, "kind", None) if n.fact is None and not hasattr(n, "children") else None,
                        "source": source_dict(n.source)} for n in benefit.explained],
        "amount": _plain(benefit.amount),
        "apply": _plain(benefit.apply),
        "notes": list(benefit.notes),
        "sources": [source_dict(s) for s in benefit.sources],
    }


def result_dict(result):
    benefit = result.benefit
    return {
        "benefit": benefit.id,
        "name": benefit.name,
        "status": result.status,
        "policy_status": benefit.policy_status,
        "draft": benefit.draft,
        "category": benefit.category,
        "audience": benefit.audience,
        "summary": benefit.summary,
        "region": benefit.region,
        "conditions": [{"id": c.id, "text": c.text, "outcome": c.outcome, "fact": c.fact,
                        "part_of": c.part_of, "office": c.office, "assessed_locally": c.assessed_locally,
                        "source": source_dict(c.source)} for c in result.conditions],
        "missing": list(result.missing),
        "to_confirm": [{"id": n.id, "text": n.text, "office": n.kind, "source": source_dict(n.source)}
                       for n in result.to_confirm],
        "would_change": [change_dict(c) for c in result.would_change],
        "amount": _plain(benefit.amount),
        "apply": _plain(benefit.apply),
        "notes": list(benefit.notes),
        "sources": [source_dict(s) for s in benefit.sources],
    }


def change_dict(change):
    return {"facts": dict(change.facts), "action": change.action, "where": change.where,
            "steps": [{"fact": s.fact, "value": s.value, "action": s.action, "where": s.where, "done": s.done}
                      for s in change.steps]}


def report_dict(report):
    return {
        "region": {"code": report.region.code, "name": report.region.name,
                   "chain": [r.code for r in report.chain]},
        "as_of": report.as_of.isoformat(),
        "rules_version": report.rules_version,
        "results": [result_dict(r) for r in report.results],
        "next_question": report.next_question,
    }
