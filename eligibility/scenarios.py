"""Scenario tests kept beside each region's rules (rules/regions/<region>/scenarios.yaml).

Each scenario: answers + as_of -> expected status per benefit (and optionally per
condition, missing facts and the next question). Run through the full checker, so both
durable-rules and the three-valued evaluator are exercised.
"""
from dataclasses import dataclass

from . import yamlfile
from .errors import AnswerError, RuleProblem

STATUSES = ("eligible", "not_eligible", "undetermined", "absent")
OUTCOMES = ("met", "not_met", "unknown")
KEYS = {"name", "as_of", "answers", "expect", "expect_conditions", "expect_missing", "expect_next_question",
        "expect_to_confirm", "expect_would_change"}


@dataclass
class Scenario:
    region: str
    name: str
    file: str
    line: int
    as_of: object
    answers: dict
    expect: dict
    expect_conditions: dict
    expect_missing: dict
    expect_next_question: object   # fact id, None, or ... (not checked)
    expect_to_confirm: dict = None  # benefit id -> [office condition ids]
    expect_would_change: dict = None  # benefit id -> [{fact: value}]


def load(book, code):
    """Scenarios of one region, and the problems found reading them."""
    path = book.scenario_files.get(code)
    if path is None:
        return [], []
    located, problems = yamlfile.load(path, f"rules/{path.relative_to(book.folder)}")
    if located is None:
        return [], problems
    if not isinstance(located.data, list):
        return [], problems + [located.problem((), "scenarios.yaml 必须是场景列表（a list of scenarios）")]
    scenarios, benefits = [], book.benefits[code]
    for index, data in enumerate(located.data):
        where = lambda sub, msg: problems.append(located.problem((index,) + sub, msg))  # noqa: E731
        if not isinstance(data, dict):
            where((), "每个场景必须是映射")
            continue
        for key in data:
            if key not in KEYS:
                where((key,), f"不认识的键：{key}（allowed: {', '.join(sorted(KEYS))}）")
        name = data.get("name")
        if not isinstance(name, str) or not name:
            where(("name",), "场景要有 name")
        try:
            answers = book.catalogue.parse_answers(data.get("answers") or {})
        except AnswerError as error:
            where(("answers", error.field) if error.field != "answers" else ("answers",), error.message)
            continue
        expect = data.get("expect") or {}
        if not isinstance(expect, dict) or not expect:
            where(("expect",), "expect 至少写一项：待遇id: eligible / not_eligible / undetermined / absent")
            continue
        for benefit_id, status in expect.items():
            if status not in STATUSES:
                where(("expect", benefit_id), f"状态必须是 {' / '.join(STATUSES)}")
            if benefit_id not in benefits and status != "absent":
                where(("expect", benefit_id), f"本地区没有待遇 {benefit_id}")
        conditions = data.get("expect_conditions") or {}
        for benefit_id, outcomes in conditions.items():
            if benefit_id not in benefits or not isinstance(outcomes, dict):
                where(("expect_conditions", benefit_id), f"本地区没有待遇 {benefit_id}，或写法不是 {{条件id: met}}")
                continue
            ids = {node.id for node in benefits[benefit_id].explained}
            for cond_id, outcome in outcomes.items():
                if cond_id not in ids:
                    where(("expect_conditions", benefit_id, cond_id), f"{benefit_id} 没有条件 {cond_id}")
                if outcome not in OUTCOMES:
                    where(("expect_conditions", benefit_id, cond_id), f"必须是 {' / '.join(OUTCOMES)}")
        missing = data.get("expect_missing") or {}
        for benefit_id, facts in missing.items():
            if not isinstance(facts, list) or any(f not in book.catalogue for f in facts):
                where(("expect_missing", benefit_id), "要写成 事实id 的列表")
        to_confirm = data.get("expect_to_confirm") or {}
        for benefit_id, ids in to_confirm.items():
            if benefit_id not in benefits or not isinstance(ids, list):
                where(("expect_to_confirm", benefit_id), f"本地区没有待遇 {benefit_id}，或写法不是 条件id 的列表")
                continue
            known = {node.id for node in benefits[benefit_id].explained}
            for cond_id in ids:
                if cond_id not in known:
                    where(("expect_to_confirm", benefit_id), f"{benefit_id} 没有条件 {cond_id}")
        would_change = data.get("expect_would_change") or {}
        for benefit_id, changes in would_change.items():
            if benefit_id not in benefits or not isinstance(changes, list) or not all(
                    isinstance(c, dict) and all(f in book.catalogue for f in c) for c in changes):
                where(("expect_would_change", benefit_id), "要写成 [{事实id: 值}, ...] 的列表")
        next_question = data.get("expect_next_question", ...)
        if next_question is not ... and next_question is not None and next_question not in book.catalogue:
            where(("expect_next_question",), f"没有这个事实：{next_question}")
        scenarios.append(Scenario(code, name, located.file, located.line((index,)), data.get("as_of"), answers,
                                  expect, conditions, missing, next_question, to_confirm, would_change))
    return scenarios, problems


def run(checker, scenario):
    """Failures of one scenario, as RuleProblems pointing at the scenario."""
    report = checker.check(scenario.region, scenario.answers, scenario.as_of)
    results = {r.id: r for r in report.results}
    failures = []
    fail = lambda msg: failures.append(RuleProblem(scenario.file, scenario.line, scenario.name, msg))  # noqa: E731
    for benefit_id, expected in scenario.expect.items():
        actual = results[benefit_id].status if benefit_id in results else "absent"
        if actual != expected:
            fail(f"{benefit_id}: expected {expected}, got {actual}")
    for benefit_id, outcomes in scenario.expect_conditions.items():
        got = {c.id: c.outcome for c in results[benefit_id].conditions} if benefit_id in results else {}
        for cond_id, expected in outcomes.items():
            if got.get(cond_id) != expected:
                fail(f"{benefit_id}.{cond_id}: expected {expected}, got {got.get(cond_id)}")
    for benefit_id, facts in scenario.expect_missing.items():
        actual = sorted(results[benefit_id].missing) if benefit_id in results else None
        if actual != sorted(facts):
            fail(f"{benefit_id} missing: expected {sorted(facts)}, got {actual}")
    for benefit_id, ids in (scenario.expect_to_confirm or {}).items():
        actual = [n.id for n in results[benefit_id].to_confirm] if benefit_id in results else None
        if actual != list(ids):
            fail(f"{benefit_id} to_confirm: expected {list(ids)}, got {actual}")
    for benefit_id, changes in (scenario.expect_would_change or {}).items():
        actual = [c.facts for c in results[benefit_id].would_change] if benefit_id in results else None
        if actual != list(changes):
            fail(f"{benefit_id} would_change: expected {list(changes)}, got {actual}")
    if scenario.expect_next_question is not ... and report.next_question != scenario.expect_next_question:
        fail(f"next_question: expected {scenario.expect_next_question}, got {report.next_question}")
    return failures
