"""The YAML scenarios beside each region's rules, run through the full checker."""
import pytest

from eligibility import RuleBook, scenarios

SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")
_book = RuleBook.load()
_all = [s for code in _book.regions for s in scenarios.load(_book, code)[0]]


def test_scenario_files_are_valid(book):
    problems = [str(p) for code in book.regions for p in scenarios.load(book, code)[1]]
    assert problems == []


@pytest.mark.parametrize("code", SEED_REGIONS)
def test_each_seed_region_has_enough_scenarios(book, code):
    loaded = scenarios.load(book, code)[0]
    assert len(loaded) >= 8
    statuses = {status for s in loaded for status in s.expect.values()}
    assert {"eligible", "not_eligible", "undetermined"} <= statuses


@pytest.mark.parametrize("scenario", _all, ids=[f"{s.region}:{s.line}:{s.name}" for s in _all])
def test_scenario(checker, scenario):
    failures = scenarios.run(checker, scenario)
    assert not failures, "\n".join(map(str, failures))


def test_a_wrong_expectation_fails(checker, book):
    """The runner itself can fail: flip one expectation and it must report it."""
    scenario = _all[0]
    benefit_id, status = next(iter(scenario.expect.items()))
    flipped = {"eligible": "not_eligible", "not_eligible": "eligible", "undetermined": "eligible", "absent": "eligible"}
    wrong = scenarios.Scenario(**{**scenario.__dict__, "expect": {benefit_id: flipped[status]}})
    assert scenarios.run(checker, wrong)
