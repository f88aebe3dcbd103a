"""The checker: results, the cross-check between the two engines, and the next question."""
import datetime

import pytest

from eligibility import AnswerError, Checker, EngineFailure, UnknownRegion, parse_as_of


class LyingDecider:
    broken = None

    def __init__(self, answer):
        self.answer = answer

    def fired(self, code, answers):
        return set(self.answer)


def test_disagreement_between_engines_fails_closed(book):
    lying = Checker(book, decider=LyingDecider({"living_subsidy"}))
    with pytest.raises(EngineFailure, match="disagree"):
        lying.check("230100", {}, "2024-06-01")
    silent = Checker(book, decider=LyingDecider(set()))
    eligible = {"has_certificate": True, "household": "dibao", "local_hukou": True}
    with pytest.raises(EngineFailure, match="evaluated only \\[[^]]*'living_subsidy'"):
        silent.check("000000", eligible, "2024-06-01")


def test_status_follows_the_conditions(checker):
    report = checker.check("000000", {"has_certificate": True, "household": "dibao", "local_hukou": True}, "2024-06-01")
    living = next(r for r in report.results if r.id == "living_subsidy")
    assert living.status == "eligible" and living.missing == []
    assert all(c.outcome == "met" for c in living.conditions)
    report = checker.check("000000", {"household": "none"}, "2024-06-01")
    living = next(r for r in report.results if r.id == "living_subsidy")
    assert living.status == "not_eligible"
    assert [c.id for c in living.conditions if c.outcome == "not_met"] == ["dibao_household"]


def test_results_are_filtered_by_date(checker):
    before = {r.id for r in checker.check("000000", {}, "2015-06-01").results}
    after = {r.id for r in checker.check("000000", {}, "2024-06-01").results}
    assert "living_subsidy" not in before and "living_subsidy" in after  # 国发〔2015〕52号 from 2016-01-01


def test_next_question_settles_the_most_results_and_respects_ask_when(checker):
    first = checker.check("000000", {}, "2024-06-01").next_question
    assert first is not None
    # an adult without a certificate: the grade is not worth asking
    adult = {"age": 40, "has_certificate": False}
    questions = []
    answers = dict(adult)
    for _ in range(20):
        question = checker.check("000000", answers, "2024-06-01").next_question
        if question is None:
            break
        questions.append(question)
        fact = checker.catalogue[question]
        answers[question] = fact.choices()[0][0] if fact.choices() else fact.min
    assert "disability_grade" not in questions
    assert checker.check("000000", answers, "2024-06-01").next_question is None


def test_nothing_left_to_ask_when_everything_is_settled(checker):
    answers = {f: (fact.min if fact.type == "integer" else False if fact.type == "boolean" else list(fact.values)[0])
               for f, fact in checker.catalogue.facts.items()}
    assert checker.check("230100", answers, "2024-06-01").next_question is None


def test_unknown_region_and_bad_dates(checker):
    with pytest.raises(UnknownRegion):
        checker.check("123456", {})
    for bad in ("2024-02-30", "yesterday", "2024-6-1", 20240601, "2024-06-01T00:00", "2024-W01-1", "20240101",
                "２０２４-06-01", "2024-06-0\u00b9", "2024-06-01\n", " 2024-06-01", "x" * 10_000):
        with pytest.raises(AnswerError) as caught:
            parse_as_of(bad)
        assert caught.value.field == "as_of"
    assert parse_as_of("2024-06-01") == datetime.date(2024, 6, 1)


def test_bad_date_messages_say_what_is_wrong():
    with pytest.raises(AnswerError, match="YYYY-MM-DD") as caught:
        parse_as_of("2024-W01-1")
    assert "2024-W01-1" in caught.value.message
    with pytest.raises(AnswerError, match="no such day"):
        parse_as_of("2024-02-30")
    with pytest.raises(AnswerError) as caught:
        parse_as_of("9" * 60_000)
    assert len(caught.value.message) < 200   # quotes the start of it, not all 60 KB


@pytest.mark.parametrize("answers, field, code", [
    ({"age": "8"}, "age", "wrong_type"), ({"age": True}, "age", "wrong_type"), ({"age": 8.0}, "age", "wrong_type"),
    ({"age": -1}, "age", "out_of_range"), ({"has_certificate": "true"}, "has_certificate", "wrong_type"),
    ({"has_certificate": 1}, "has_certificate", "wrong_type"), ({"household": "rich"}, "household", "out_of_range"),
    ({"disability_grade": 5}, "disability_grade", "out_of_range"), ({"shoe_size": 40}, "shoe_size", "unknown_fact"),
])
def test_answers_are_checked_strictly(checker, answers, field, code):
    with pytest.raises(AnswerError) as caught:
        checker.catalogue.parse_answers(answers)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_null_means_unknown(checker):
    assert checker.catalogue.parse_answers({"age": None, "autism": False}) == {"autism": False}


def test_check_itself_refuses_unvalidated_answers(checker):
    with pytest.raises(AnswerError) as caught:
        checker.check("230100", {"age": "8"}, "2024-06-01")
    assert caught.value.field == "age"


def test_dont_know_answers_are_not_asked_again(checker):
    asked, dont_know = [], []
    for _ in range(len(checker.catalogue.facts) + 1):
        question = checker.check("230100", {}, "2024-06-01", dont_know=dont_know).next_question
        if question is None:
            break
        assert question not in asked
        asked.append(question)
        dont_know.append(question)
    assert question is None and asked
