"""The checker: one citizen's answers -> every benefit of a region, explained.

Two engines decide. durable-rules (behind durable_adapter) says which benefits fire; the
three-valued evaluator (conditions) says met / not_met / unknown for each condition,
which facts are still missing and which question to ask next. They must agree on the
eligible set on every single check, or the check fails closed (EngineFailure).
"""
import datetime
import hashlib
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


def today():
    """The date in China: a check made at 07:00 in Harbin is not yesterday's check."""
    return datetime.datetime.now(CHINA).date()


def parse_as_of(value):
    if value is None:
        return today()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
        except ValueError:
            pass
    return _bad_date(value)


def _bad_date(value):
    raise AnswerError("invalid_date", f"as_of 必须是 YYYY-MM-DD 格式的日期：{value!r}（bad date）", "as_of")


@dataclass(slots=True)
class ConditionResult:
    id: str
    text: str
    outcome: str
    fact: str | None
    source: dict | None
    part_of: str | None
    assessed_locally: bool = False


@dataclass(slots=True)
class BenefitResult:
    benefit: object                 # rulebook.Benefit
    status: str
    conditions: list
    missing: list

    @property
    def id(self):
        return self.benefit.id


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
        self.decider = decider if decider is not None else DurableDecider(
            {key: [(b.id, b.conditions) for b in benefits.values()] for key, benefits in groups.items()},
            self.catalogue.facts, book.version, region_keys=self.rule_group)
        ordered = {
            key: sorted(benefits.values(), key=lambda b: (b.policy_status != "in_force",
                                                          CATEGORY_ORDER.index(b.category), b.id))
            for key, benefits in groups.items()}
        self._ordered = {code: ordered[key] for code, key in self.rule_group.items()}

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
        for benefit in self._ordered[code]:
            if not benefit.in_force_on(as_of):
                continue
            outcome, missing, trace = conditions.evaluate(benefit.conditions, answers)
            explained = [ConditionResult(node.id, node.text, trace[node.id], node.fact, node.source,
                                         node.part_of, node.fact is None and not isinstance(node, conditions.Group))
                         for node in benefit.explained]
            results.append(BenefitResult(benefit, STATUS[outcome], explained, list(missing)))
        return results

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
