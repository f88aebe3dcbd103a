"""The checker: one citizen's answers -> every benefit of a region, explained.

Two engines decide. durable-rules (behind durable_adapter) says which benefits fire; the
three-valued evaluator (conditions) says met / not_met / unknown for each condition,
which facts are still missing and which question to ask next. They must agree on the
eligible set on every single check, or the check fails closed (EngineFailure).
"""
import datetime
import functools
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from . import conditions
from .conditions import MET, NOT_MET, UNKNOWN
from .durable_adapter import DurableDecider
from .errors import AnswerError, EngineFailure, UnknownRegion

STATUS = {MET: "eligible", NOT_MET: "not_eligible", UNKNOWN: "undetermined"}
CATEGORY_ORDER = ("social_assistance", "subsidy", "rehabilitation", "employment", "education", "care",
                  "housing", "transport", "insurance", "legal", "culture", "service")
CHINA = ZoneInfo("Asia/Shanghai")
# Only the calendar form: date.fromisoformat also takes "2024-W01-1" (ISO week) and "20240101".
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def today():
    """The date in China: a check made at 07:00 in Harbin is not yesterday's check."""
    return datetime.datetime.now(CHINA).date()


def parse_as_of(value):
    if value is None:
        return today()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise AnswerError("invalid_date", f"as_of 必须是 YYYY-MM-DD 格式的日期：{_shown(value)}（bad date）", "as_of")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise AnswerError("invalid_date", f"as_of 不是日历上的日期：{value}（no such day）", "as_of") from None


def _shown(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class ConditionResult:
    """One condition of one result: what the rule says (shared by every check) and its outcome."""

    __slots__ = ("_rule", "outcome")

    def __init__(self, rule, outcome):
        self._rule, self.outcome = rule, outcome   # rule: (id, text, fact, source, part_of, office)

    id = property(lambda self: self._rule[0])
    text = property(lambda self: self._rule[1])
    fact = property(lambda self: self._rule[2])
    source = property(lambda self: self._rule[3])
    part_of = property(lambda self: self._rule[4])
    office = property(lambda self: self._rule[5])   # "verify" | "decide" for what the office checks

    @property
    def assessed_locally(self):
        return self.office is not None


@dataclass(slots=True)
class Change:
    """One smallest change a person can make that would make a result eligible."""
    facts: dict                     # fact id -> new value
    steps: list                     # [catalogue.Action], in fact order

    @property
    def action(self):
        return "；".join(step.action for step in self.steps)

    @property
    def done(self):
        return "，".join(step.done for step in self.steps)

    @property
    def where(self):
        places = []
        for step in self.steps:
            if step.where not in places:
                places.append(step.where)
        return "；".join(places)


class BenefitResult:
    """One benefit's result for one person. `would_change` is worked out when first read:
    a question page never needs it, the results page and the API always do."""

    __slots__ = ("benefit", "status", "conditions", "missing", "to_confirm", "_would_change", "_changes")

    def __init__(self, benefit, status, conditions, missing, to_confirm=(), would_change=None):
        self.benefit, self.status, self.conditions, self.missing = benefit, status, conditions, missing
        self.to_confirm = list(to_confirm)      # conditions.OfficeCheck nodes
        self._would_change = would_change       # [Change], or None until worked out
        self._changes = None                    # () -> [Change]

    @property
    def id(self):
        return self.benefit.id

    @property
    def would_change(self):
        if self._would_change is None:
            self._would_change = self._changes() if self._changes else []
        return self._would_change

    @would_change.setter
    def would_change(self, value):
        self._would_change = list(value)


@dataclass
class Report:
    region: object
    chain: list
    as_of: datetime.date
    rules_version: str
    results: list
    next_question: str | None
    answers: dict = field(default_factory=dict)

    def by_status(self, status):
        return [r for r in self.results if r.status == status]


def benefit_fingerprint(benefits):
    """Identity of a region's effective benefit set: each id with the region that defined it."""
    return hashlib.sha1(repr(sorted((b.id, b.region) for b in benefits.values())).encode()).hexdigest()[:12]


def tree_has_office(tree):
    return isinstance(tree, conditions.OfficeCheck) or getattr(tree, "has_office", False)


class _Askable:
    """Whether the questionnaire could still ask a fact of this person (its ask_when is
    met or open): `missing` names only those, so nobody is told to answer a question
    they will never be asked."""

    def __init__(self, catalogue, answers):
        self.catalogue, self.answers, self.cache = catalogue, answers, {}

    def __call__(self, fact_id):
        if fact_id not in self.cache:
            ask_when = self.catalogue[fact_id].ask_when
            self.cache[fact_id] = ask_when is None or conditions.evaluate(ask_when, self.answers)[0] is not NOT_MET
        return self.cache[fact_id]


class _Changes:
    """One person's answers with actionable facts left out or changed: worked out once per
    check (and only when a result's would_change is read), shared by all its results."""

    def __init__(self, catalogue, answers):
        self.answers = answers
        self.options = {f: [a for a in actions if answers.get(f) != a.value and answers.get(f) not in a.unless]
                        for f, actions in catalogue.actionable.items()}
        self._without, self._candidates = {}, {}

    def without(self, facts):
        if facts not in self._without:
            self._without[facts] = {k: v for k, v in self.answers.items() if k not in facts}
        return self._without[facts]

    def candidates(self, facts):
        """(steps, changed answers) for every combination of actions on `facts`, in order."""
        if facts not in self._candidates:
            out = []
            for steps in itertools.product(*(self.options[f] for f in facts)):
                changed = dict(self.answers)
                changed.update((step.fact, step.value) for step in steps)
                out.append((steps, changed))
            self._candidates[facts] = out
        return self._candidates[facts]


class Checker:
    def __init__(self, book, decider=None):
        self.book = book
        self.catalogue = book.catalogue
        self.regions = book.regions
        # Regions with the same effective benefits (same ids, each defined by the same region)
        # share one ruleset set and one ordered list: ~2,800 national-only counties cost one.
        # durable-rules rulesets are immutable and cost C memory, so never one per region code.
        groups, self.rule_group = {}, {}
        for code, benefits in book.benefits.items():
            key = benefit_fingerprint(benefits)
            groups.setdefault(key, benefits)
            self.rule_group[code] = key
        for old, region in book.replaced.items():
            self.rule_group[old] = self.rule_group[region.code]
        # Provisions for employers and organisations are in the catalogue, not in anyone's check.
        personal = {key: [b for b in benefits.values() if b.audience != "organisation"]
                    for key, benefits in groups.items()}
        self.decider = decider if decider is not None else DurableDecider(
            {key: [(b.id, b.conditions) for b in benefits] for key, benefits in personal.items()},
            self.catalogue.facts, book.version, region_keys=self.rule_group)
        ordered = {
            key: sorted(benefits, key=lambda b: (b.policy_status != "in_force",
                                                 CATEGORY_ORDER.index(b.category), b.id))
            for key, benefits in personal.items()}
        self._ordered = {code: ordered[key] for code, key in self.rule_group.items()}
        # One compiled evaluator per rule object: an inherited, unchanged rule is one object.
        self._compiled, self._explained = {}, {}
        for benefits in groups.values():
            for benefit in benefits.values():
                if benefit not in self._compiled:
                    self._compiled[benefit] = conditions.Compiled(benefit.conditions)
                    self._explained[benefit] = [
                        (n.id, n.text, n.fact, n.source, n.part_of,
                         n.kind if isinstance(n, conditions.OfficeCheck) else None) for n in benefit.explained]
                    used = benefit.conditions.facts() if benefit.conditions is not None else set()
                    benefit.actionable_facts = tuple(f for f in self.catalogue.actionable if f in used)

    @property
    def rules_version(self):
        return self.book.version

    def region(self, code):
        """The region for a code; a replaced code (region-changes.yaml) gives the current
        region, with `replaced_code` saying which code was asked for."""
        region = self.book.region(code) if isinstance(code, str) else None
        if region is None:
            raise UnknownRegion(code)
        return region

    def evaluate(self, code, answers, as_of):
        """Three-valued results only (no durable-rules): the explanation side of a check."""
        results = []
        askable = _Askable(self.catalogue, answers)
        changes = _Changes(self.catalogue, answers)
        for benefit in self._ordered[code]:
            if not benefit.in_force_on(as_of):
                continue
            tree = benefit.conditions
            trace = {}
            outcome, missing = self._compiled[benefit].evaluate(answers, trace)
            explained = [ConditionResult(rule, trace[rule[0]]) for rule in self._explained[benefit]]
            result = BenefitResult(benefit, STATUS[outcome], explained, [f for f in missing if askable(f)])
            if tree is not None and tree_has_office(tree) and outcome is not NOT_MET:
                result.to_confirm = conditions.to_confirm(tree, answers, trace)
            if outcome is not MET and benefit.actionable_facts:
                result._changes = functools.partial(self.would_change, benefit, answers, changes)
            results.append(result)
        return results

    def would_change(self, benefit, answers, changes=None):
        """The smallest sets of changes to actionable facts that make `benefit` eligible.

        Kleene evaluation is monotone: if the tree fails with the facts of a set of changes
        unknown, no value of them can help (age, category… fail it), so that set is skipped
        after one evaluation — and when it fails with every actionable fact unknown, at once.
        `changes`: the candidate answers of this person, shared by all results of one check.
        """
        facts = benefit.actionable_facts
        if not facts:
            return []
        changes = changes or _Changes(self.catalogue, answers)
        outcome = self._compiled[benefit].outcome
        if outcome(changes.without(facts)) is NOT_MET:
            return []
        found = []
        for size in range(1, len(facts) + 1):
            for subset in itertools.combinations(facts, size):
                if not all(changes.options[f] for f in subset) or any(set(c.facts) <= set(subset) for c in found):
                    continue
                if size < len(facts) and outcome(changes.without(subset)) is NOT_MET:
                    continue
                for steps, changed in changes.candidates(subset):
                    if outcome(changed) is MET:
                        found.append(Change({step.fact: step.value for step in steps}, list(steps)))
                        break
            if found:
                return found
        return found

    def check(self, code, answers, as_of=None, dont_know=()):
        """Check `answers` in region `code` on `as_of` (a date, "YYYY-MM-DD" or None for today).

        `dont_know`: facts the person answered 我不知道 — still unknown, never asked again.

        Answers are (re)validated here whoever calls: durable-rules coerces types, so a
        string "8" must never reach it. AnswerError names the bad field.
        """
        region = self.region(code)
        as_of = parse_as_of(as_of)
        answers = self.catalogue.parse_answers(answers)
        results = self.evaluate(code, answers, as_of)
        in_force = {r.id for r in results}
        fired = self.decider.fired(code, answers) & in_force
        eligible = {r.id for r in results if r.status == "eligible"}
        if fired != eligible:
            raise EngineFailure(
                f"durable-rules and the evaluator disagree in {code} on {as_of}: "
                f"fired only {sorted(fired - eligible)}, evaluated only {sorted(eligible - fired)}")
        return Report(region, self.book.chain(code), as_of, self.book.version, results,
                      self.next_question(results, answers, dont_know), dict(answers))

    def next_question(self, results, answers, dont_know=()):
        """The unanswered, askable fact that can settle the most undetermined results.

        A fact whose `ask_when` is still unknown is not asked yet; the facts its
        `ask_when` needs are credited instead, so they come first.
        """
        score = {}
        for result in results:
            if result.status != "undetermined":
                continue
            credited = set()
            for fact_id in result.missing:
                ask_when = self.catalogue[fact_id].ask_when
                outcome, needed, _ = conditions.evaluate(ask_when, answers)
                if outcome == MET:
                    credited.add(fact_id)
                elif outcome == UNKNOWN:
                    credited.update(f for f in needed if f not in answers)
            credited.difference_update(dont_know)
            for fact_id in credited:
                score[fact_id] = score.get(fact_id, 0) + 1
        if not score:
            return None
        order = list(self.catalogue.facts)
        return min(score, key=lambda f: (-score[f], order.index(f)))
