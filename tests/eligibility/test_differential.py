"""Property-based differential test: durable-rules and the three-valued evaluator agree.

For at least 10,000 random partial profiles per run (every region, random dates):
- the set durable-rules fires equals the set the evaluator calls eligible (checked inside
  Checker.check, which raises on any mismatch, and again here explicitly);
- answering one more unknown fact never turns `eligible` into `not_eligible` or back;
- a fact that `missing` does not name cannot settle an undetermined result, unless the
  questionnaire would never ask it of this person (`missing` leaves those out);
- every office check listed in `to_confirm` belongs to the benefit, and each change in
  `would_change` really makes the benefit eligible — for both engines — and is minimal.
"""
import datetime

from eligibility import conditions

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = 10_000


def value_strategy(fact):
    if fact.type == "integer":
        # boundaries matter most: weight the ends and small ages
        return st.one_of(st.integers(fact.min, fact.max), st.sampled_from([fact.min, fact.max, 6, 7, 10, 11, 14, 15, 16, 17, 50, 62, 63]).filter(lambda v: fact.min <= v <= fact.max))
    if fact.type == "boolean":
        return st.booleans()
    return st.sampled_from(list(fact.values))


def test_durable_fired_equals_evaluator_eligible_and_answers_are_monotone(book, checker):
    catalogue = book.catalogue
    profile = st.fixed_dictionaries({}, optional={f: value_strategy(fact) for f, fact in catalogue.facts.items()})
    # Regions without a folder (the tree) share a folder region's rules: sample the folders.
    regions = st.sampled_from(sorted(c for c, r in book.regions.items() if r.folder is not None))
    dates = st.dates(datetime.date(2015, 1, 1), datetime.date(2027, 12, 31))
    extra = st.sampled_from(sorted(catalogue.facts)).flatmap(lambda f: st.tuples(st.just(f), value_strategy(catalogue[f])))
    runs = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(code=regions, answers=profile, as_of=dates, more=extra)
    def check(code, answers, as_of, more):
        runs.append(1)
        report = checker.check(code, answers, as_of)
        eligible = {r.id for r in report.results if r.status == "eligible"}
        in_force = {r.id for r in report.results}
        assert checker.decider.fired(code, answers) & in_force == eligible
        for result in report.results:
            office = {n for n in result.benefit.conditions.walk() if isinstance(n, conditions.OfficeCheck)} \
                if result.benefit.conditions else set()
            assert set(result.to_confirm) <= office
            if result.status == "not_eligible":
                assert result.to_confirm == []
            assert result.would_change == [] or result.status != "eligible"
            for change in result.would_change:
                changed = dict(answers, **change.facts)
                assert set(change.facts) <= set(catalogue.actionable)
                after = {r.id: r.status for r in checker.check(code, changed, as_of).results}
                assert after[result.id] == "eligible", (code, answers, change.facts, result.id)
                for fact_id in change.facts:  # minimal: no smaller change does it
                    smaller = {k: v for k, v in change.facts.items() if k != fact_id}
                    if smaller:
                        outcome = conditions.evaluate(result.benefit.conditions, dict(answers, **smaller))[0]
                        assert outcome != conditions.MET, (result.id, change.facts)
        fact, value = more
        if fact in answers:
            return
        after = {r.id: r.status for r in checker.check(code, dict(answers, **{fact: value}), as_of).results}
        for result in report.results:
            if result.status in ("eligible", "not_eligible"):
                assert after[result.id] == result.status, (code, answers, fact, value, result.id)
            ask_when = catalogue[fact].ask_when
            askable = ask_when is None or conditions.evaluate(ask_when, answers)[0] != conditions.NOT_MET
            if fact not in result.missing and askable and result.status == "undetermined":
                # a fact the evaluator did not list as missing cannot settle the result
                assert after[result.id] == "undetermined", (code, answers, fact, value, result.id)

    check()
    assert len(runs) >= EXAMPLES
