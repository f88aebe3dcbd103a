"""Results follow from the questions asked.

Thousands of random journeys per seed region, each answered question by question through
`next_question` (never 我不知道), must end with no result that is still undetermined
because of a missing answer — the only undetermined results left are those waiting for an
office `decide` route. And nobody is asked a question that makes no sense for them.
"""
import datetime
import random

import pytest

from eligibility import conditions

from tests.conftest import SEED_REGIONS

JOURNEYS = 2_000
AS_OF = datetime.date(2024, 6, 1)
AGES = (0, 3, 6, 7, 8, 10, 11, 14, 15, 16, 17, 18, 25, 30, 45, 49, 50, 55, 59, 60, 62, 63, 70, 85)


def answer(fact, rng):
    if fact.id == "age":
        return rng.choice(AGES) if rng.random() < 0.8 else rng.randint(fact.min, 100)
    if fact.type == "integer":
        return rng.randint(fact.min, fact.max)
    if fact.type == "boolean":
        return rng.random() < 0.5
    return rng.choice(list(fact.values))


def senseless(fact_id, answers):
    """Questions nobody should be asked: work, graduation or military service of a child;
    graduation of someone past retirement age."""
    age = answers.get("age")
    if age is not None and age < 16 and fact_id in ("employment", "new_graduate", "military_disability"):
        return f"a {age}-year-old asked {fact_id}"
    retired = age is not None and (age >= 63 or (age >= 50 and answers.get("below_retirement_age") is False))
    if fact_id == "new_graduate" and retired:
        return f"a {age}-year-old past retirement age asked new_graduate"
    return None


def journey(checker, code, rng):
    answers, asked = {}, []
    while True:
        report = checker.check(code, answers, AS_OF)
        question = report.next_question
        if question is None:
            return report, answers, asked
        assert question not in answers, f"{question} asked twice"
        problem = senseless(question, answers)
        assert problem is None, f"{code}: {problem} (answers so far {answers})"
        asked.append(question)
        answers[question] = answer(checker.catalogue[question], rng)


@pytest.mark.parametrize("code", SEED_REGIONS)
def test_random_complete_journeys_leave_nothing_missing(checker, code):
    rng = random.Random(f"journeys-{code}")
    for _ in range(JOURNEYS):
        report, answers, asked = journey(checker, code, rng)
        for result in report.results:
            _, raw_missing, _ = conditions.evaluate(result.benefit.conditions, answers)
            assert not result.missing and not raw_missing, (
                f"{code} {result.id} is {result.status} with missing {list(raw_missing)} after the "
                f"questionnaire asked {asked} and got {answers}")
            if result.status == "undetermined":
                assert any(n.kind == "decide" for n in result.to_confirm), (
                    f"{code} {result.id} undetermined with nothing to ask and no office route ({answers})")


def test_the_invariant_can_fail(checker):
    """A profile the questionnaire would never produce (a child with no age-gated answers
    where an employment rule is missing its age bound) shows up as raw missing facts."""
    report = checker.check("230100", {"age": 8}, AS_OF)
    assert any(conditions.evaluate(r.benefit.conditions, {"age": 8})[1] for r in report.results)
    assert senseless("employment", {"age": 8}) and senseless("new_graduate", {"age": 70})
    assert senseless("employment", {"age": 30}) is None
