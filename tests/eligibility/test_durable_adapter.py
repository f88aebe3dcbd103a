"""The durable-rules adapter: compilation, budgets, and containment of its crash modes."""
import random
import threading

import durable_rules_engine
import pytest

from eligibility import Checker, EngineFailure
from eligibility.conditions import Group, Leaf, OfficeCheck
from eligibility.durable_adapter import (FALSE, TRUE, CompileError, DurableDecider, check_fact_names,
                                         compile_tree, fnv1a_32)

FACTS = ["age", "has_certificate", "household", "autism"]


def decider(rules, code="000000"):
    return DurableDecider({code: rules}, FACTS, "test")


def test_compile_constants():
    local = OfficeCheck("decide", "l", "当地认定")
    age = Leaf("age", "<", 7)
    assert compile_tree(None) is TRUE
    assert compile_tree(local) is FALSE
    assert compile_tree(OfficeCheck("verify", "v", "按规定审核")) is TRUE
    assert compile_tree(Group("all", [age, OfficeCheck("verify", "v", "x")])) == {"$lt": {"age": 7}}
    assert compile_tree(Group("all", [age, local])) is FALSE
    assert compile_tree(Group("any", [age, local])) == {"$lt": {"age": 7}}
    assert compile_tree(Group("any", [Group("all", []), age])) is TRUE


def test_fires_exactly_the_matching_rules_once_each():
    # an `in` of 4 values under an `any`: several DNF terms, the action must still count once
    rules = [("child", Group("all", [Leaf("age", "<=", 6), Group("any", [Leaf("household", "in", ["dibao", "tekun", "low_income", "dibao_edge"]), Leaf("autism", "==", True)])])),
             ("adult", Leaf("age", ">=", 18)),
             ("never", OfficeCheck("decide", "l", "x")),
             ("verified", Group("all", [Leaf("age", ">=", 18), OfficeCheck("verify", "v", "x")])),
             ("everyone", None)]
    d = decider(rules)
    assert d.fired("000000", {"age": 3, "household": "dibao", "autism": True}) == {"child", "everyone"}
    assert d.fired("000000", {"age": 30}) == {"adult", "verified", "everyone"}
    assert d.fired("000000", {}) == {"everyone"}
    assert d.fired("999999", {"age": 3}) == set()  # no rules for the region, nothing asserted


def test_no_rule_matching_at_all_is_safe():
    """A first message matching no rule, then delete_state, segfaults durable-rules 2.0.28;
    the guard rule makes every message match."""
    d = decider([("adult", Leaf("age", ">=", 18))])
    for _ in range(50):
        assert d.fired("000000", {"age": 3}) == set()
    assert d.live_sessions == 0


def test_missing_attribute_does_not_fire_negations():
    d = decider([("not_dibao", Leaf("household", "!=", "dibao")), ("not_in", Leaf("age", "not_in", [1, 2]))])
    assert d.fired("000000", {}) == set()
    assert d.fired("000000", {"household": "none", "age": 5}) == {"not_dibao", "not_in"}


def test_dnf_budget_is_enforced():
    wide = Group("all", [Leaf("age", "in", list(range(0, 9))), Leaf("age", "in", list(range(10, 19)))])
    with pytest.raises(CompileError, match="DNF terms"):
        decider([("wide", wide)])


def test_rulesets_are_partitioned_under_the_test_budget():
    rules = [(f"b{i}", Leaf("age", "==", i)) for i in range(100)]
    d = decider(rules)
    assert d.ruleset_count("000000") >= 3
    assert d.fired("000000", {"age": 77}) == {"b77"}


def test_fact_name_hash_collisions_are_refused():
    # found by brute force; a rule on fact_b45a fires for a message carrying fact_8adf9 (tried)
    assert fnv1a_32("fact_b45a") == fnv1a_32("fact_8adf9")
    check_fact_names(["fact_b45a"])
    with pytest.raises(CompileError, match="share a 32-bit hash"):
        check_fact_names(["fact_b45a", "fact_8adf9"])


def test_engine_error_poisons_the_decider(monkeypatch):
    d = decider([("adult", Leaf("age", ">=", 18))])

    def broken(*args, **kwargs):
        raise durable_rules_engine.error("Could not assert fact, error code: 303")

    monkeypatch.setattr(d._host, "assert_fact", broken)
    with pytest.raises(EngineFailure, match="303"):
        d.fired("000000", {"age": 30})
    monkeypatch.undo()
    with pytest.raises(EngineFailure, match="disabled after an earlier failure"):
        d.fired("000000", {"age": 30})


def test_an_exception_inside_an_action_is_surfaced(monkeypatch):
    def exploding_recorder(self, benefit_id):
        def record(c):
            raise RuntimeError("boom")
        return record

    monkeypatch.setattr(DurableDecider, "_recorder", exploding_recorder)
    d = decider([("adult", Leaf("age", ">=", 18))])
    with pytest.raises(EngineFailure, match="boom"):
        d.fired("000000", {"age": 30})


def _profiles(catalogue, count, seed):
    rng = random.Random(seed)
    return [catalogue.random_profile(rng) for _ in range(count)]


def test_5000_sequential_checks_leave_no_live_session(book):
    checker = Checker(book)
    codes = list(book.regions)
    for i, profile in enumerate(_profiles(book.catalogue, 5000, seed=1)):
        checker.check(codes[i % len(codes)], profile, "2024-06-01")  # raises on any disagreement
    assert checker.decider.live_sessions == 0
    assert checker.decider.broken is None


def test_16_threads_no_crash_no_cross_talk(book):
    checker = Checker(book)
    codes = list(book.regions)
    work = [(codes[i % len(codes)], p) for i, p in enumerate(_profiles(book.catalogue, 1600, seed=2))]
    expected = [sorted((r.id, r.status) for r in checker.check(c, p, "2024-06-01").results) for c, p in work]
    got = [None] * len(work)
    errors = []

    def worker(offset):
        try:
            for index in range(offset, len(work), 16):
                code, profile = work[index]
                got[index] = sorted((r.id, r.status) for r in checker.check(code, profile, "2024-06-01").results)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert got == expected
    assert checker.decider.live_sessions == 0
