"""Property-based differential test: durable-rules and the three-valued evaluator agree.

For at least 10,000 random partial profiles per run (every region, random dates):
- the set durable-rules fires equals the set the evaluator calls eligible (checked inside
  Checker.check, which raises on any mismatch, and again here explicitly);
- answering one more unknown fact never turns `eligible` into `not_eligible` or back.
"""
import datetime

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
    regions = st.sampled_from(sorted(book.regions))
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
        fact, value = more
        if fact in answers:
            return
        after = {r.id: r.status for r in checker.check(code, dict(answers, **{fact: value}), as_of).results}
        for result in report.results:
            if result.status in ("eligible", "not_eligible"):
                assert after[result.id] == result.status, (code, answers, fact, value, result.id)
            if fact not in result.missing and result.status == "undetermined":
                # a fact the evaluator did not list as missing cannot settle the result
                assert after[result.id] == "undetermined", (code, answers, fact, value, result.id)

    check()
    assert len(runs) >= EXAMPLES
