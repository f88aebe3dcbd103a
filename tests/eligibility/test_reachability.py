"""Every in-force and planned benefit of every seed region is reachable: some complete
profile (every fact answered) makes it `eligible`, for both engines.

The profile is built from the rule itself: its negation normal form is an OR of AND-terms
(DNF); a term with no `decide` route whose fact tests can all hold at once gives the
values, and every other fact gets any valid value (a true term keeps the tree true).
"""
import datetime
import itertools

import pytest

from eligibility import RuleBook
from eligibility.conditions import Group, Leaf, OfficeCheck, negation_normal_form

from tests.conftest import RULES, SEED_REGIONS

BOOK = RuleBook.load(RULES)


def domain(fact):
    if fact.type == "integer":
        return list(range(fact.min, fact.max + 1))
    if fact.type == "boolean":
        return [True, False]
    return list(fact.values)


def dnf(node):
    """Terms of a monotone tree: lists of leaves (verify checks are always true: dropped)."""
    if node is None:
        return [[]]
    if isinstance(node, Leaf):
        return [[node]]
    if isinstance(node, OfficeCheck):
        return [[]] if node.kind == "verify" else []
    parts = [dnf(child) for child in node.children]
    if node.kind == "any":
        return [term for part in parts for term in part]
    return [sum(combo, []) for combo in itertools.product(*parts)]


def complete_profiles(benefit, catalogue):
    tree = negation_normal_form(benefit.conditions) if benefit.conditions is not None else None
    for term in dnf(tree):
        allowed = {}
        for leaf in term:
            values = allowed.get(leaf.fact, domain(catalogue[leaf.fact]))
            allowed[leaf.fact] = [v for v in values if leaf._test(v)]
        if all(allowed.values()):
            yield {f: (allowed[f][len(allowed[f]) // 2] if f in allowed else domain(fact)[0])
                   for f, fact in catalogue.facts.items()}


def cases():
    for code in SEED_REGIONS:
        for benefit_id, benefit in sorted(BOOK.benefits[code].items()):
            if benefit.audience != "organisation":
                yield pytest.param(code, benefit_id, id=f"{code}-{benefit_id}")


@pytest.mark.parametrize("code,benefit_id", list(cases()))
def test_benefit_is_eligible_on_some_complete_profile(checker, code, benefit_id):
    benefit = BOOK.benefits[code][benefit_id]
    as_of = benefit.effective_from or datetime.date(2024, 6, 1)
    for profile in itertools.islice(complete_profiles(benefit, BOOK.catalogue), 50):
        results = {r.id: r for r in checker.check(code, profile, as_of).results}
        if results[benefit_id].status == "eligible":
            assert set(profile) == set(BOOK.catalogue.facts)
            return
    pytest.fail(f"{code} {benefit_id} ({benefit.file}) is eligible on no complete profile: "
                "an office `decide` route is its only way, or its conditions contradict each other")


def test_the_search_finds_a_contradiction(book):
    """The finder must be able to fail: age <= 6 and age >= 16 at once is unreachable."""
    from types import SimpleNamespace
    tree = Group("all", [Leaf("age", "<=", 6), Leaf("age", ">=", 16)])
    assert list(complete_profiles(SimpleNamespace(conditions=tree), book.catalogue)) == []
    tree = Group("any", [OfficeCheck("decide", "d", "x"), Leaf("age", "<=", 6)])
    assert [p["age"] for p in complete_profiles(SimpleNamespace(conditions=tree), book.catalogue)] == [3]
