"""Three-valued evaluation, the missing facts it reports, and negation normal form."""
import itertools

import pytest

from eligibility.conditions import (MET, NOT_MET, UNKNOWN, Group, Leaf, OfficeCheck, evaluate, to_confirm,
                                    negation_normal_form)

A = Leaf("has_certificate", "==", True, "a")
B = Leaf("autism", "==", True, "b")
ANSWER = {MET: True, NOT_MET: False, UNKNOWN: None}


def answers(a, b):
    return {k: v for k, v in (("has_certificate", ANSWER[a]), ("autism", ANSWER[b])) if v is not None}


@pytest.mark.parametrize("a, b", list(itertools.product((MET, NOT_MET, UNKNOWN), repeat=2)))
def test_kleene_tables(a, b):
    values = answers(a, b)
    rank = {NOT_MET: 0, UNKNOWN: 1, MET: 2}
    assert evaluate(Group("all", [A, B]), values)[0] == min(a, b, key=rank.get)
    assert evaluate(Group("any", [A, B]), values)[0] == max(a, b, key=rank.get)
    assert evaluate(Group("not", [A]), values)[0] == {MET: NOT_MET, NOT_MET: MET, UNKNOWN: UNKNOWN}[a]


@pytest.mark.parametrize("op, value, answer, outcome", [
    ("==", 3, 3, MET), ("!=", 3, 3, NOT_MET), ("<", 3, 2, MET), ("<=", 3, 3, MET), (">", 3, 3, NOT_MET),
    (">=", 3, 3, MET), ("in", [1, 2], 2, MET), ("not_in", [1, 2], 2, NOT_MET),
    ("between", [0, 6], 6, MET), ("between", [0, 6], 7, NOT_MET), ("not_between", [0, 6], 7, MET),
    ("between", [0, 6], None, UNKNOWN),
])
def test_operators(op, value, answer, outcome):
    leaf = Leaf("age", op, value, "x")
    assert evaluate(leaf, {} if answer is None else {"age": answer})[0] == outcome


def test_unknown_is_never_false():
    """An unanswered fact is unknown, even for != and not_in (durable-rules would say false)."""
    for op, value in (("!=", 3), ("not_in", [1]), ("not_between", [0, 6])):
        assert evaluate(Leaf("age", op, value, "x"), {})[0] == UNKNOWN


def test_missing_only_lists_facts_that_can_still_matter():
    tree = Group("all", [Leaf("age", "<=", 6, "age"),
                         Group("any", [Leaf("autism", "==", True, "autism"),
                                       Leaf("disability_category", "==", "vision", "cat")])])
    assert set(evaluate(tree, {})[1]) == {"age", "autism", "disability_category"}
    assert evaluate(tree, {"autism": True})[1] == ("age",)      # the any is settled
    assert evaluate(tree, {"age": 9})[1] == ()                  # the all has failed


def test_office_route_is_unknown_asks_nothing_and_is_listed_only_while_it_matters():
    route = OfficeCheck("decide", "other", "其他困难残疾人由当地认定")
    tree = Group("any", [Leaf("household", "==", "dibao", "h"), route])
    outcome, missing, trace = evaluate(tree, {"household": "none"})
    assert (outcome, missing, trace["other"]) == (UNKNOWN, (), UNKNOWN)
    assert to_confirm(tree, {"household": "none"}, trace) == [route]
    outcome, _, trace = evaluate(tree, {"household": "dibao"})
    assert outcome == MET and to_confirm(tree, {"household": "dibao"}, trace) == []


def test_office_check_of_every_applicant_never_blocks_and_is_listed():
    standard = OfficeCheck("verify", "standard", "补贴标准按当地规定审核")
    tree = Group("all", [Leaf("has_certificate", "==", True, "c"), standard], "root")
    outcome, missing, trace = evaluate(tree, {"has_certificate": True})
    assert (outcome, missing, trace["standard"]) == (MET, (), UNKNOWN)
    assert to_confirm(tree, {"has_certificate": True}, trace) == [standard]
    outcome, missing, trace = evaluate(tree, {})
    assert (outcome, missing) == (UNKNOWN, ("has_certificate",))
    outcome, _, trace = evaluate(tree, {"has_certificate": False})
    assert outcome == NOT_MET and to_confirm(tree, {"has_certificate": False}, trace) == []


def test_office_checks_in_an_unmet_branch_are_not_listed():
    verify_a, verify_b = OfficeCheck("verify", "va", "x"), OfficeCheck("verify", "vb", "y")
    tree = Group("any", [Group("all", [Leaf("age", "<", 18, "child"), verify_a]),
                         Group("all", [Leaf("age", ">=", 18, "adult"), verify_b])])
    _, _, trace = evaluate(tree, {"age": 30})
    assert to_confirm(tree, {"age": 30}, trace) == [verify_b]


def test_trace_covers_every_condition_with_an_id():
    tree = Group("all", [A, Group("any", [B, OfficeCheck("decide", "l", "x")], "g")], "root")
    _, _, trace = evaluate(tree, {"has_certificate": True})
    named = {k: v for k, v in trace.items() if isinstance(k, str)}
    assert named == {"a": MET, "b": UNKNOWN, "l": UNKNOWN, "g": UNKNOWN, "root": UNKNOWN}


LEAVES = [Leaf("age", "between", [3, 8]), Leaf("age", "in", [1, 5]), Leaf("household", "==", "dibao"),
          Leaf("disability_grade", "not_in", [1, 2]), Leaf("autism", "!=", True), OfficeCheck("decide", "l", "x")]


@pytest.mark.parametrize("tree", [
    Group("not", [Group("all", [LEAVES[0], Group("any", [LEAVES[2], Group("not", [LEAVES[3]])])])]),
    Group("any", [Group("not", [LEAVES[1]]), Group("not", [Group("any", [LEAVES[4], LEAVES[5]])])]),
])
def test_negation_normal_form_keeps_the_meaning_and_has_no_not(tree):
    normal = negation_normal_form(tree)
    assert not any(isinstance(n, Group) and n.kind == "not" for n in normal.walk())
    for age, household, grade, autism in itertools.product((None, 0, 3, 5, 9), (None, "dibao", "none"),
                                                           (None, 1, 3), (None, True, False)):
        values = {k: v for k, v in dict(age=age, household=household, disability_grade=grade,
                                        autism=autism).items() if v is not None}
        assert evaluate(normal, values)[0] == evaluate(tree, values)[0], values


def test_compiled_trees_evaluate_exactly_like_the_interpreter(book):
    """Every rule of every region, compiled to Python once, gives the same outcome, missing
    facts and trace as walking the tree — on random partial profiles."""
    import random

    from eligibility.conditions import Compiled
    rng = random.Random(11)
    profiles = [book.catalogue.random_profile(rng, answered=rng.random()) for _ in range(200)]
    compared = 0
    for benefits in book.benefits.values():
        for benefit in benefits.values():
            compiled = Compiled(benefit.conditions)
            for profile in profiles:
                outcome, missing, trace = evaluate(benefit.conditions, profile)
                got_trace = {}
                assert compiled.evaluate(profile, got_trace) == (outcome, tuple(missing)), benefit.file
                assert got_trace == trace and compiled.outcome(profile) == outcome, benefit.file
                compared += 1
    assert compared >= 100 * 200
    verify = Group("all", [Leaf("age", ">=", 16, "adult"), OfficeCheck("verify", "v", "按规定审核")], "root")
    trace = {}
    assert Compiled(verify).evaluate({"age": 30}, trace) == (MET, ()) and trace["v"] == UNKNOWN
