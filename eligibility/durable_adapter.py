"""The one module that touches durable-rules (see shared/guides/durable-rules.md).

durable-rules 2.0.28 has a C core that is not memory-safe at its limits, so everything
here is about containment:
- a Host subclass with no timer threads (the stock Host races request threads: SIGSEGV);
- one process-wide lock, so at most one live sid exists (1,025 live sids -> MemoryError,
  and sids are matched by a 32-bit hash only, so two live sids could share state);
- a fresh sid per decision and delete_state in `finally` (a state node is created for
  every message, even one that matches nothing);
- a `seen` rule in every ruleset that matches every citizen: MessageNotHandled never
  happens, and we can tell the engine really ran. Measured here: delete_state on a
  fresh ruleset whose first message matched no rule segfaults (free(): invalid pointer);
- assert_fact only (post lets one rule consume the event), every pattern guarded by
  kind == 'citizen' (unguarded patterns can match the state document and loop forever),
  no exists-operators, values type-checked before they get here (it coerces "1" == 1);
- static budgets at compile time (64 matching tests -> error 303 and heap corruption;
  512 tests under one node -> hang), rulesets partitioned below them;
- actions only record, and firings are de-duplicated (an OR runs the action once per
  satisfied DNF term);
- any engine error poisons the decider: from then on it refuses to answer, because the
  heap may be corrupt. The process must be recycled (health check says so).
"""
import copy
import threading
import uuid

import durable_rules_engine
from durable import engine as durable_engine

from .conditions import Leaf, OfficeCheck, negation_normal_form
from .errors import EngineFailure

MAX_RULES_PER_RULESET = 40
MAX_TESTS_PER_RULESET = 48      # distinct alpha tests; the C core fails at 65 matching at once
MAX_DNF_TERMS_PER_RULE = 64     # an OR of ORs multiplies: 4x4 runs one action 256 times
MAX_FACTS = 200                 # 255 properties per message, sid/id/kind included
GUARD = {"kind": "citizen"}

TRUE, FALSE = object(), object()


class _SyncHost(durable_engine.Host):
    def _run(self):
        """No background dispatch threads: every action runs inside assert_fact."""


class CompileError(ValueError):
    pass


def fnv1a_32(text):
    """The C core's fnv1Hash32 (state.c): FNV-1a over signed chars."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value ^= byte if byte < 0x80 else (byte - 256) & 0xFFFFFFFF  # `char` is signed there
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def check_fact_names(names):
    """durable-rules matches property names by a 32-bit FNV-1a hash: two names, one slot."""
    names = list(names) + ["kind", "sid", "id"]
    if len(names) > MAX_FACTS:
        raise CompileError(f"{len(names)} facts: more than {MAX_FACTS} properties per citizen")
    seen = {}
    for name in names:
        other = seen.setdefault(fnv1a_32(name), name)
        if other != name:
            raise CompileError(f"fact names {other!r} and {name!r} share a 32-bit hash in durable-rules")


def _leaf(leaf):
    fact, op, value = leaf.fact, leaf.op, leaf.value
    simple = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
    if op == "==":
        return {fact: value}
    if op in simple:
        return {simple[op]: {fact: value}}
    if op == "in":
        return {fact: value[0]} if len(value) == 1 else {"$or": [{fact: v} for v in value]}
    if op == "not_in":
        return {"$neq": {fact: value[0]}} if len(value) == 1 else {"$and": [{"$neq": {fact: v}} for v in value]}
    low, high = value
    if op == "between":
        return {"$and": [{"$gte": {fact: low}}, {"$lte": {fact: high}}]}
    return {"$or": [{"$lt": {fact: low}}, {"$gt": {fact: high}}]}


def compile_tree(node):
    """A monotone tree (negation normal form) as a durable expression, or TRUE / FALSE.

    An office check the office makes of every applicant (`verify`) never blocks a result:
    TRUE, as the evaluator counts it met. A route the office decides (`decide`) is never
    met on our side: FALSE, as the evaluator calls it unknown — both engines agree.
    """
    if node is None:
        return TRUE
    if isinstance(node, Leaf):
        return _leaf(node)
    if isinstance(node, OfficeCheck):
        return TRUE if node.kind == "verify" else FALSE
    parts = [compile_tree(child) for child in node.children]
    if node.kind == "all":
        if FALSE in parts:
            return FALSE
        parts = [p for p in parts if p is not TRUE]
        return TRUE if not parts else (parts[0] if len(parts) == 1 else {"$and": parts})
    if TRUE in parts:
        return TRUE
    parts = [p for p in parts if p is not FALSE]
    return FALSE if not parts else (parts[0] if len(parts) == 1 else {"$or": parts})


def _dnf_terms(expression):
    if "$and" in expression:
        total = 1
        for part in expression["$and"]:
            total *= _dnf_terms(part)
        return total
    if "$or" in expression:
        return sum(_dnf_terms(part) for part in expression["$or"])
    return 1


def _tests(expression, out):
    if "$and" in expression or "$or" in expression:
        for part in expression.get("$and", expression.get("$or")):
            _tests(part, out)
    else:
        out.add(repr(sorted(expression.items())))
    return out


class DurableDecider:
    """Decides, for one citizen, which benefits of a region durable-rules fires.

    `regions` maps a key to [(benefit id, condition tree)]; `region_keys` (optional) maps
    each region code to its key, so regions with the same benefits share rulesets. Build
    once per process, after any fork (the C handles must not be shared between processes).
    """

    def __init__(self, regions, fact_names, version, region_keys=None):
        check_fact_names(fact_names)
        self._lock = threading.Lock()
        self._fired = set()
        self._seen_count = 0
        self._host = _SyncHost()
        self.broken = None
        self.live_sessions = 0
        self._partitions = {}          # key -> [(ruleset name, {rule name: benefit id}, always)]
        self._keys = region_keys if region_keys is not None else {code: code for code in regions}
        definitions = {}
        for code, benefits in regions.items():
            self._partitions[code] = self._compile_region(code, benefits, version, definitions)
        if definitions:
            try:
                # set_rulesets deletes 'run' from the dicts it is given: hand it a copy.
                self._host.set_rulesets(copy.deepcopy(definitions))
            except durable_rules_engine.error as error:
                # Within our static budgets the C core can still refuse a ruleset (seen: error
                # code 113 on a 20-term OR). Name the rules, so an officer knows what to simplify.
                raise CompileError(f"durable-rules refused the rules ({error}): "
                                   f"{self._culprits(definitions)}; simplify their any/in lists") from error

    def _compile_region(self, code, benefits, version, definitions):
        partitions, current, tests = [], {}, set()

        def close():
            if current or not partitions:
                name = f"r{code}_{version}_{len(partitions)}"
                definitions[name] = {rule: body for rule, (body, _) in current.items()}
                definitions[name]["seen"] = {"all": [{"m": dict(GUARD)}], "run": self._seen_recorder()}
                partitions.append((name, {rule: benefit for rule, (_, benefit) in current.items()}))

        for index, (benefit_id, tree) in enumerate(benefits):
            expression = compile_tree(negation_normal_form(tree) if tree is not None else None)
            if expression is FALSE:
                continue
            if expression is TRUE:
                expression = None
            terms = _dnf_terms(expression) if expression else 1
            if terms > MAX_DNF_TERMS_PER_RULE:
                raise CompileError(f"{code}/{benefit_id}: {terms} DNF terms (limit {MAX_DNF_TERMS_PER_RULE}); "
                                   "split the any/in lists or simplify the conditions")
            rule_tests = _tests(expression, set()) if expression else set()
            if len(rule_tests) > MAX_TESTS_PER_RULESET:
                raise CompileError(f"{code}/{benefit_id}: {len(rule_tests)} tests in one rule "
                                   f"(limit {MAX_TESTS_PER_RULESET})")
            if current and (len(current) >= MAX_RULES_PER_RULESET
                            or len(tests | rule_tests) > MAX_TESTS_PER_RULESET):
                close()
                current, tests = {}, set()
            tests |= rule_tests
            pattern = {"$and": [GUARD, expression]} if expression else dict(GUARD)
            rule_name = f"b{index}"
            current[rule_name] = ({"all": [{"m": pattern}], "run": self._recorder(benefit_id)}, benefit_id)
        close()
        return partitions

    def _culprits(self, definitions):
        """Which benefits, compiled alone on a scratch host, the C core refuses."""
        names = {name: rules for partitions in self._partitions.values() for name, rules in partitions}
        bad = []
        for ruleset, rules in definitions.items():
            for rule, body in rules.items():
                if rule == "seen":
                    continue
                try:
                    _SyncHost().set_rulesets(copy.deepcopy({f"probe_{ruleset}_{rule}": {rule: body}}))
                except durable_rules_engine.error:
                    bad.append(f"{ruleset.split('_')[0][1:]}/{names.get(ruleset, {}).get(rule, rule)}")
        return ", ".join(sorted(set(bad))) or "no single rule alone (the ruleset as a whole)"

    def _seen_recorder(self):
        def seen(c):
            self._seen_count += 1
        return seen  # a plain function: set_rulesets input is deep-copied, bound methods would be too

    def _recorder(self, benefit_id):
        def record(c):
            self._fired.add(benefit_id)  # record only: no side effects, duplicates collapse
        return record

    def fired(self, code, answers):
        """The set of benefit ids whose rule fires for these (already validated) answers."""
        if self.broken:
            raise EngineFailure(f"rule engine disabled after an earlier failure: {self.broken}")
        with self._lock:
            self._fired = set()
            for name, _ in self._partitions.get(self._keys.get(code), ()):
                self._assert(name, answers)
            return set(self._fired)

    def _assert(self, ruleset, answers):
        sid = uuid.uuid4().hex
        fact = dict(answers, kind="citizen", sid=sid)
        self.live_sessions += 1
        seen_before = self._seen_count
        try:
            state = self._host.assert_fact(ruleset, fact)
            if not isinstance(state, dict) or state.get("sid") != sid:
                raise EngineFailure(f"durable-rules returned another session's state ({ruleset})")
            if "exception" in state:
                raise EngineFailure(f"a rule action failed inside durable-rules: {state['exception']}")
            if self._seen_count != seen_before + 1:
                raise EngineFailure(f"durable-rules did not run the guard rule of {ruleset}")
        except durable_engine.MessageNotHandledException as error:
            raise EngineFailure(f"durable-rules matched nothing, not even the guard rule of {ruleset}") from error
        except durable_rules_engine.error as error:
            self.broken = f"durable-rules error in {ruleset}: {error}"
            raise EngineFailure(self.broken) from error
        except EngineFailure as error:
            self.broken = str(error)
            raise
        finally:
            try:
                self._host.delete_state(ruleset, sid)
                self.live_sessions -= 1
            except Exception as error:  # noqa: BLE001 - any failure here means a leaked C state
                self.broken = self.broken or f"could not delete durable-rules state: {error}"
                raise EngineFailure(self.broken) from error

    def ruleset_count(self, code):
        return len(self._partitions.get(self._keys.get(code), ()))

    def ruleset_total(self):
        return sum(len(p) for p in self._partitions.values())
