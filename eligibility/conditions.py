"""Condition trees: parsing with located errors, three-valued (Kleene) evaluation, and
negation normal form for the durable-rules compiler.

Strong Kleene logic over monotone trees (after `not` is pushed to the leaves) is `met`
exactly when the tree is true with every unknown leaf set to false — which is what
durable-rules computes, since it treats a missing attribute as false. That identity is
what lets the two engines cross-check each other.

Two kinds of condition only the office can settle (spec §3), written `office:` in YAML:
- `verify` — checked for every applicant (按规定, 标准由当地规定): counts as met for the
  result, and is listed in `to_confirm` so the person knows it is still checked;
- `decide` — an alternative route the office decides case by case (其他…由当地认定):
  unknown, so it never makes a result eligible on its own, and listed in `to_confirm`.
Neither may stand under `not` (the office does not "fail to verify" on our side).
"""
import operator

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"

OFFICE_KINDS = ("verify", "decide")
OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "between", "not_between")
OPS_FOR_TYPE = {
    "boolean": {"==", "!="},
    "enum": {"==", "!=", "in", "not_in"},
    "integer": set(OPS),
}
NEGATION = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", "<=": ">", ">": "<=",
            "in": "not_in", "not_in": "in", "between": "not_between", "not_between": "between"}
_SIMPLE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}


def _predicate(op, value):
    if op in _SIMPLE:
        compare = _SIMPLE[op]
        return lambda v: compare(v, value)
    if op in ("in", "not_in"):
        allowed = frozenset(value)
        return (lambda v: v in allowed) if op == "in" else (lambda v: v not in allowed)
    low, high = value
    return (lambda v: low <= v <= high) if op == "between" else (lambda v: not low <= v <= high)


class Node:
    id = None
    text = ""
    source = None
    part_of = None   # id of the nearest enclosing group that has an id

    def walk(self):
        yield self


class Leaf(Node):
    """A test on one fact: `age between [0, 6]`."""

    def __init__(self, fact, op, value, id=None, text="", source=None):
        self.fact, self.op, self.value = fact, op, value
        self.id, self.text, self.source = id, text, source
        self._test = _predicate(op, value)

    def evaluate(self, answers, trace):
        value = answers.get(self.fact)
        outcome = UNKNOWN if value is None else (MET if self._test(value) else NOT_MET)
        if self.id:
            trace[self.id] = outcome
        return outcome, ((self.fact,) if outcome is UNKNOWN else ())

    def negated(self):
        return Leaf(self.fact, NEGATION[self.op], self.value, self.id, self.text, self.source)

    def facts(self):
        return {self.fact}


class OfficeCheck(Node):
    """What the office checks when the person applies: `verify` (every applicant) or `decide`."""

    fact = None

    def __init__(self, kind, id=None, text="", source=None):
        self.kind, self.id, self.text, self.source = kind, id, text, source
        self._outcome = MET if kind == "verify" else UNKNOWN

    def evaluate(self, answers, trace):
        if self.id:
            trace[self.id] = UNKNOWN  # nobody has checked it yet; only the result counts it met
        return self._outcome, ()

    def confirm(self, answers, trace):
        return [self]

    def facts(self):
        return set()


class Group(Node):
    fact = None

    def __init__(self, kind, children, id=None, text="", source=None):
        self.kind, self.children = kind, children
        self.id, self.text, self.source = id, text, source
        self.has_office = any(isinstance(c, OfficeCheck) or getattr(c, "has_office", False) for c in children)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def facts(self):
        return set().union(*(child.facts() for child in self.children)) if self.children else set()

    def confirm(self, answers, trace):
        """The office checks that still matter for this outcome, in document order.

        Run after evaluate (it reads the outcomes from the trace). Under an `all` that
        failed, nothing is left to confirm; under an `any`, only the branches that carry
        it: the met ones, or, while it is unknown, the unknown ones.
        """
        if not self.has_office:
            return []
        outcome = trace[_key(self)]
        if outcome is NOT_MET:
            return []
        out = []
        for child in self.children:
            if isinstance(child, OfficeCheck):
                child_outcome = child._outcome
            elif getattr(child, "has_office", False):
                child_outcome = trace[_key(child)]
            else:
                continue
            if self.kind == "any" and child_outcome is not outcome:
                continue
            out.extend(c for c in child.confirm(answers, trace) if c not in out)
        return out

    def evaluate(self, answers, trace):
        any_met = any_not_met = any_unknown = False
        missing = []
        for child in self.children:
            outcome, child_missing = child.evaluate(answers, trace)
            if outcome is MET:
                any_met = True
            elif outcome is NOT_MET:
                any_not_met = True
            else:
                any_unknown = True
                # Only the unknown children can still change an undecided group.
                missing.extend(f for f in child_missing if f not in missing)
        if self.kind == "all":
            outcome = NOT_MET if any_not_met else (UNKNOWN if any_unknown else MET)
        elif self.kind == "any":
            outcome = MET if any_met else (UNKNOWN if any_unknown else NOT_MET)
        else:
            outcome = MET if any_not_met else (NOT_MET if any_met else UNKNOWN)
        if self.id:
            trace[self.id] = outcome
        if self.has_office:
            trace[_key(self)] = outcome
        return outcome, (tuple(missing) if outcome is UNKNOWN else ())


def _key(node):
    """Trace key of a node's logical outcome (ids are for people; this is for confirm)."""
    return ("node", id(node))


def evaluate(node, answers):
    """(outcome, missing facts, {condition id: outcome}) of a tree; None means "no conditions"."""
    trace = {}
    if node is None:
        return MET, (), trace
    outcome, missing = node.evaluate(answers, trace)
    return outcome, missing, trace


def to_confirm(node, answers, trace):
    """Office checks behind an evaluated tree's outcome (see Group.confirm)."""
    if node is None:
        return []
    if isinstance(node, OfficeCheck):
        return [node]
    return node.confirm(answers, trace) if isinstance(node, Group) else []


def negation_normal_form(node, negate=False):
    """Push every `not` down to the leaves (De Morgan), so the tree is monotone."""
    if isinstance(node, Leaf):
        return node.negated() if negate else node
    if isinstance(node, OfficeCheck):
        return node  # parse refuses office checks under `not`
    if node.kind == "not":
        return negation_normal_form(node.children[0], not negate)
    kind = {"all": "any", "any": "all"}[node.kind] if negate else node.kind
    group = Group(kind, [negation_normal_form(child, negate) for child in node.children], node.id)
    group.has_office = node.has_office
    return group


# ---------------------------------------------------------------- parsing with located errors

def parse(data, path, located, catalogue, problems, *, require_ids=True, check_source=None, under_not=False):
    """Build a condition tree from YAML data; append RuleProblems instead of raising."""
    where = lambda sub=(), msg="": problems.append(located.problem(path + sub, msg))  # noqa: E731
    if not isinstance(data, dict):
        where((), "条件必须是一个映射：写 all / any / not，或 fact + op + value（a condition must be a mapping）")
        return None
    kinds = [k for k in ("all", "any", "not") if k in data]
    is_leaf = "fact" in data
    is_office = "office" in data or "assessed_locally" in data
    if len(kinds) + is_leaf + is_office != 1:
        where((), "一个条件只能是以下之一：all、any、not、fact+op+value、office: verify / decide"
                  "（exactly one of all / any / not / a fact test / an office check）")
        return None
    node_id, text, source = data.get("id"), data.get("text", ""), data.get("source")
    if node_id is not None and not (isinstance(node_id, str) and node_id.isidentifier()):
        where(("id",), f"条件 id 只能用英文字母、数字和下划线：{node_id!r}（invalid condition id）")
    if text is not None and not isinstance(text, str):
        where(("text",), "text 必须是文字（text must be a string）")
    if source is not None and check_source:
        check_source(source, path + ("source",))
    allowed = {"id", "text", "source"}

    if kinds:
        kind = kinds[0]
        allowed.add(kind)
        children_data = data[kind]
        if kind == "not":
            children_data = [children_data]
        elif not isinstance(children_data, list) or not children_data:
            where((kind,), f"{kind} 后面要列出至少一个条件（{kind} needs a non-empty list）")
            return None
        children = []
        for index, child in enumerate(children_data):
            sub = path + ((kind,) if kind == "not" else (kind, index))
            children.append(parse(child, sub, located, catalogue, problems, require_ids=require_ids,
                                  check_source=check_source, under_not=under_not or kind == "not"))
        node = Group(kind, children, node_id, text or "", source)
    elif is_office:
        node = _parse_office(data, path, located, problems, require_ids, under_not)
        allowed |= {"office", "assessed_locally"}
    else:
        allowed |= {"fact", "op", "value"}
        node = _parse_leaf(data, path, located, catalogue, problems, require_ids)

    for key in data:
        if key not in allowed:
            where((key,), f"不认识的键：{key}（unknown key; allowed: {', '.join(sorted(allowed))}）")
    if node is None or (isinstance(node, Group) and None in node.children):
        return None
    node.raw = data  # kept so a child region can change one condition by id
    return node


def _parse_office(data, path, located, problems, require_ids, under_not):
    where = lambda sub, msg: problems.append(located.problem(path + sub, msg))  # noqa: E731
    kind = data.get("office")
    if "assessed_locally" in data:
        where(("assessed_locally",), "assessed_locally 已不再使用：改写成 office: verify（办理时对每个申请人都要审核）"
                                     "或 office: decide（由当地另行认定的途径），见 rules/README.md"
                                     "（assessed_locally is gone: say office: verify or office: decide）")
        return None
    if kind not in OFFICE_KINDS:
        where(("office",), f"office 只能写 verify（办理时对每个申请人都要审核）或 decide（由当地另行认定的途径）："
                           f"{kind!r}（office must be verify or decide）")
        return None
    if not require_ids:
        where((), "这里只能用事实条件，不能写 office（office checks belong in benefit conditions）")
        return None
    if not data.get("id"):
        where((), "条件需要 id（condition needs an id）")
    if not data.get("text"):
        where((), "office 条件必须写 text，告诉市民工作人员要审核或认定什么（office check needs text）")
    if under_not:
        where((), "office 条件不能写在 not 里面（an office check cannot be negated）")
        return None
    return OfficeCheck(kind, data.get("id"), data.get("text", ""), data.get("source"))


def _parse_leaf(data, path, located, catalogue, problems, require_ids):
    where = lambda sub, msg: problems.append(located.problem(path + sub, msg))  # noqa: E731
    fact_id, op, value = data.get("fact"), data.get("op"), data.get("value")
    if require_ids and not data.get("id"):
        where((), "条件需要 id（condition needs an id）")
    if require_ids and not data.get("text"):
        where((), "条件需要 text：用一句话告诉市民这个条件（condition needs text）")
    if fact_id not in catalogue:
        where(("fact",), f"facts.yaml 里没有这个事实：{fact_id}（unknown fact）")
        return None
    fact = catalogue[fact_id]
    if op not in OPS:
        where(("op",), f"未知的运算符 {op!r}（可用：{' '.join(OPS)}）")
        return None
    if op not in OPS_FOR_TYPE[fact.type]:
        where(("op",), f"{fact.type} 类型的事实 {fact_id} 不能用 {op}（可用：{' '.join(sorted(OPS_FOR_TYPE[fact.type]))}）")
        return None
    if "value" not in data:
        where((), "缺少 value（missing value）")
        return None
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            where(("value",), f"{op} 的 value 必须是非空列表（must be a non-empty list）")
            return None
        bad = [v for v in value if not fact.accepts(v)]
    elif op in ("between", "not_between"):
        if not (isinstance(value, list) and len(value) == 2):
            where(("value",), f"{op} 的 value 必须是 [最小, 最大]（must be [low, high]）")
            return None
        bad = [v for v in value if not fact.accepts(v)]
        if not bad and value[0] > value[1]:
            where(("value",), f"{op} 的最小值不能大于最大值：{value}（low > high）")
            return None
    else:
        bad = [] if fact.accepts(value) else [value]
    if bad:
        where(("value",), f"{bad[0]!r} 不是 {fact_id} 可以取的值（{_describe(fact)}）")
        return None
    return Leaf(fact_id, op, value, data.get("id"), data.get("text", ""), data.get("source"))


def _describe(fact):
    if fact.type == "integer":
        return f"整数 {fact.min}—{fact.max}"
    if fact.type == "boolean":
        return "true 或 false"
    return "可选：" + " ".join(fact.values)


# ---------------------------------------------------------------- compiled evaluation

class Compiled:
    """A tree compiled to Python source once, evaluated many times.

    `evaluate(answers, trace)` gives exactly what evaluate() gives — (outcome, missing) and
    the same trace — without walking objects: every leaf and group is one line of code.
    `outcome(answers)` gives the outcome only, for the would_change search.
    """

    def __init__(self, tree):
        self.tree = tree
        env = {"M": MET, "N": NOT_MET, "U": UNKNOWN, "_merge": _merge}
        self.evaluate = _build(tree, env, full=True)
        self.outcome = _build(tree, env, full=False)


def _merge(*parts):
    return tuple(dict.fromkeys(f for part in parts for f in part))


def _build(tree, env, full):
    lines, counter = [], [0]

    def const(value):
        name = f"k{len(env)}"
        env[name] = value
        return name

    def emit(node):
        k = counter[0]
        counter[0] += 1
        o, m = f"o{k}", f"m{k}"
        if isinstance(node, Leaf):
            test = _test_source(node, const)
            lines.append(f"v = a.get({node.fact!r})")
            lines.append(f"{o} = U if v is None else (M if {test} else N)")
            if full:
                lines.append(f"{m} = {(node.fact,)!r} if {o} is U else ()")
        elif isinstance(node, OfficeCheck):
            lines.append(f"{o} = {'M' if node.kind == 'verify' else 'U'}")
            if full:
                lines.append(f"{m} = ()")
        else:
            children = [emit(child) for child in node.children]
            outs = [c[0] for c in children]
            any_n = " or ".join(f"{c} is N" for c in outs)
            any_u = " or ".join(f"{c} is U" for c in outs)
            any_m = " or ".join(f"{c} is M" for c in outs)
            if node.kind == "all":
                lines.append(f"{o} = N if ({any_n}) else (U if ({any_u}) else M)")
            elif node.kind == "any":
                lines.append(f"{o} = M if ({any_m}) else (U if ({any_u}) else N)")
            else:
                lines.append(f"{o} = M if ({any_n}) else (N if ({any_m}) else U)")
            if full:
                parts = ", ".join(f"({cm} if {co} is U else ())" for co, cm in children)
                lines.append(f"{m} = _merge({parts}) if {o} is U else ()")
                if node.has_office:
                    lines.append(f"t[{const(_key(node))}] = {o}")
        if full and node.id:
            # Nobody has checked an office condition yet: its trace says unknown (see OfficeCheck).
            lines.append(f"t[{node.id!r}] = {'U' if isinstance(node, OfficeCheck) else o}")
        return o, m

    if tree is None:
        body = ["return M, ()" if full else "return M"]
    else:
        o, m = emit(tree)
        body = lines + [f"return {o}, {m}" if full else f"return {o}"]
    source = "def f(a, t):\n" if full else "def f(a):\n"
    source += "".join(f"    {line}\n" for line in body)
    exec(compile(source, "<conditions>", "exec"), env)  # noqa: S102 - generated from validated rules only
    return env.pop("f")


def _test_source(leaf, const):
    op, value = leaf.op, leaf.value
    if op in _SIMPLE:
        return f"v {op} {const(value)}"
    if op in ("in", "not_in"):
        return f"v {'in' if op == 'in' else 'not in'} {const(frozenset(value))}"
    low, high = value
    test = f"{const(low)} <= v <= {const(high)}"
    return test if op == "between" else f"not ({test})"
