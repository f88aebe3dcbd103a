"""The public JSON shapes of shared/spec/api.md: a check request in, a report out.

Shared by the HTTP API and the command line so both speak exactly the contract.
"""
import datetime

from .checker import parse_as_of
from .conditions import OfficeCheck
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
    rule = _rule_parts(benefit)
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
        "conditions": [dict(part, outcome=c.outcome) for part, c in zip(rule["conditions"], result.conditions)],
        "missing": list(result.missing),
        "to_confirm": [{"id": n.id, "text": n.text, "office": n.kind, "source": source_dict(n.source)}
                       for n in result.to_confirm],
        "would_change": [change_dict(c) for c in result.would_change],
        "amount": rule["amount"],
        "apply": rule["apply"],
        "notes": rule["notes"],
        "sources": rule["sources"],
    }


def _rule_parts(benefit):
    """The parts of a result that come from the rule alone (the same for everyone): built once
    per rule object and kept on it (so they go with the rulebook), so a check with fifty
    results does not rebuild fifty sets of sources."""
    parts = getattr(benefit, "_api_parts", None)
    if parts is None:
        parts = benefit._api_parts = {
            "conditions": [{"id": n.id, "text": n.text, "fact": n.fact, "part_of": n.part_of,
                            "office": n.kind if isinstance(n, OfficeCheck) else None,
                            "assessed_locally": isinstance(n, OfficeCheck),
                            "source": source_dict(n.source)} for n in benefit.explained],
            "amount": _plain(benefit.amount), "apply": _plain(benefit.apply), "notes": list(benefit.notes),
            "sources": [source_dict(s) for s in benefit.sources]}
    return parts


def change_dict(change):
    return {"facts": dict(change.facts), "action": change.action, "where": change.where,
            "steps": [{"fact": s.fact, "value": s.value, "action": s.action, "where": s.where, "done": s.done}
                      for s in change.steps]}


def region_dict(region, chain):
    """The region a report or catalogue is for. `local_rules`: the levels below national
    (province / city / county) of its chain that have rules of their own — [] means only
    the national rules are recorded for it. `replaced_code`: the replaced code asked for
    (region-changes.yaml), else null."""
    return {"code": region.code, "name": region.name, "name_en": region.name_en or None,
            "level": region.level, "chain": [r.code for r in chain],
            "local_rules": [r.level for r in chain[1:] if r.has_rules],
            "replaced_code": region.replaced_code}


def report_dict(report):
    return {
        "region": region_dict(report.region, report.chain),
        "as_of": report.as_of.isoformat(),
        "rules_version": report.rules_version,
        "results": [result_dict(r) for r in report.results],
        "next_question": report.next_question,
    }
