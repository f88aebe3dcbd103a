"""Loading rules/: the fact catalogue, the region tree and each region's benefits, with
inheritance resolved (national > province > city > district) and every problem reported
with its file, line and key path — all at once, so an officer can fix a file in one go.
"""
import copy
import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import conditions, yamlfile
from .catalogue import FACT_KEYS, TYPES, Action, Catalogue, Fact
from .errors import RuleProblem, RuleValidationError
from .sources import SeedLibrary

NATIONAL = "000000"
LEVELS = ("national", "province", "city", "county")
CATEGORIES = ("social_assistance", "subsidy", "rehabilitation", "employment", "education", "care",
              "housing", "transport", "insurance", "legal", "culture", "service")
POLICY_STATUSES = ("in_force", "planned")
PERIODS = ("once", "month", "quarter", "year")
CHANGES = ("update", "replace", "withdraw")

AUDIENCES = ("citizen", "family", "organisation")
BENEFIT_KEYS = {"id", "name", "category", "policy_status", "effective", "summary", "conditions",
                "amount", "apply", "notes", "sources", "audience"}
UPDATE_KEYS = BENEFIT_KEYS | {"change", "change_conditions", "add_conditions", "add_sources"}
REQUIRED_KEYS = ("name", "category", "policy_status", "summary", "apply", "sources")
SOURCE_KEYS = {"document", "title", "seed", "line", "quote", "date", "url", "section", "draft"}
APPLY_KEYS = {"agency", "where", "documents", "channels", "note"}
AMOUNT_KEYS = {"text", "min", "max", "currency", "period"}


def default_rules_dir():
    """rules/ beside the package in a checkout, or the copy installed as package data."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules"):
        if (candidate / "facts.yaml").is_file():
            return candidate
    return here.parent / "rules"


@dataclass
class Region:
    code: str
    name: str
    level: str
    parent: str | None
    folder: Path
    children: list = field(default_factory=list)


@dataclass(eq=False)   # identity: an inherited, unchanged rule is the same object in every region
class Benefit:
    id: str
    name: str
    category: str
    policy_status: str
    summary: str
    conditions: object                 # conditions.Node or None (no conditions: everyone)
    apply: dict
    sources: list
    region: str                        # code of the region whose file defined or last changed it
    file: str
    amount: dict | None = None
    notes: list = field(default_factory=list)
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    explained: list = field(default_factory=list)   # condition nodes with an id, in document order
    actionable_facts: tuple = ()                     # facts it tests that a person can act on (would_change)
    audience: str = "citizen"                        # citizen | family (for a relative) | organisation (catalogue only)

    @property
    def draft(self):
        """Rests on a consultation draft (征求意见稿): any of its sources or its conditions' sources."""
        return any(s.get("draft") for s in self.sources) or any(
            (n.source or {}).get("draft") for n in self.explained)

    def in_force_on(self, day):
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to)


class RuleBook:
    """Everything in rules/, validated. Build with RuleBook.load(path)."""

    def __init__(self, folder, catalogue, regions, benefits, scenario_files, version, seeds):
        self.folder, self.catalogue, self.regions = folder, catalogue, regions
        self.benefits = benefits            # region code -> {benefit id: Benefit}, inheritance resolved
        self.scenario_files = scenario_files  # region code -> Path
        self.version, self.seeds = version, seeds

    def chain(self, code):
        """Regions from national down to `code`."""
        out = []
        while code is not None:
            out.append(self.regions[code])
            code = self.regions[code].parent
        return out[::-1]

    @classmethod
    def load(cls, folder=None):
        return _Loader(Path(folder) if folder else default_rules_dir()).load()


class _Loader:
    def __init__(self, folder):
        self.folder = folder
        self.problems = []
        self.seeds = SeedLibrary(folder / "sources")

    def rel(self, path):
        try:
            return str(Path("rules") / path.relative_to(self.folder))
        except ValueError:
            return str(path)

    def read(self, path):
        located, problems = yamlfile.load(path, self.rel(path))
        self.problems.extend(problems)
        return located

    # ---------------------------------------------------------------- facts
    def load_catalogue(self):
        located = self.read(self.folder / "facts.yaml")
        if located is None:
            raise RuleValidationError(self.problems)
        if not isinstance(located.data, dict):
            self.problems.append(located.problem((), "facts.yaml 必须是 事实id: {...} 的映射"))
            raise RuleValidationError(self.problems)
        facts = {}
        for fact_id, spec in located.data.items():
            path = (fact_id,)
            if not isinstance(spec, dict):
                self.problems.append(located.problem(path, "每个事实必须是一个映射（mapping）"))
                continue
            for key in spec:
                if key not in FACT_KEYS:
                    self.problems.append(located.problem(path + (key,), f"不认识的键：{key}"))
            kind = spec.get("type")
            if kind not in TYPES:
                self.problems.append(located.problem(path + ("type",), f"type 必须是 {' / '.join(TYPES)}"))
                continue
            for key in ("question", "question_other"):
                if not isinstance(spec.get(key), str) or not spec.get(key):
                    self.problems.append(located.problem(path, f"缺少 {key}（每个事实都要有问题文字）"))
            fact = Fact(id=fact_id, type=kind, question=spec.get("question", ""),
                        question_other=spec.get("question_other", ""), hint=spec.get("hint", ""),
                        unknown_help=spec.get("unknown_help", ""), order=spec.get("order", 1000))
            if kind == "integer":
                lo, hi = spec.get("min"), spec.get("max")
                if not (isinstance(lo, int) and isinstance(hi, int) and lo <= hi):
                    self.problems.append(located.problem(path, "整数事实必须有 min 和 max，且 min ≤ max"))
                    continue
                fact.min, fact.max = lo, hi
                fact.labels = dict(spec.get("labels") or {})
            if kind == "enum":
                values = spec.get("values")
                if not isinstance(values, dict) or not values:
                    self.problems.append(located.problem(path + ("values",), "enum 事实必须列出 values: {值: 说明}"))
                    continue
                fact.values = {str(k): v for k, v in values.items()}
            fact.actions = self._actions(located, path, spec.get("actions"), fact)
            facts[fact_id] = fact
        catalogue = Catalogue(facts)
        for fact_id, spec in located.data.items():
            if isinstance(spec, dict) and "ask_when" in spec and fact_id in facts:
                facts[fact_id].ask_when = conditions.parse(
                    spec["ask_when"], (fact_id, "ask_when"), located, catalogue, self.problems, require_ids=False)
        return catalogue

    def _actions(self, located, path, data, fact):
        """`actions:` of a fact — what a person can do to change the answer (would_change)."""
        if data is None:
            return []
        if not isinstance(data, list) or not data:
            self.problems.append(located.problem(path + ("actions",), "actions 要列出 {value, action, where}"))
            return []
        out = []
        for index, entry in enumerate(data):
            where = path + ("actions", index)
            if not isinstance(entry, dict) or set(entry) != {"value", "action", "where", "done"}:
                self.problems.append(located.problem(where, "每个 action 写 value、action、where、done 四项"))
                continue
            if not fact.accepts(entry["value"]):
                self.problems.append(located.problem(where + ("value",), f"{entry['value']!r} 不是 {fact.id} 可以取的值"))
                continue
            if not all(isinstance(entry[k], str) and entry[k] for k in ("action", "where", "done")):
                self.problems.append(located.problem(where, "action、where、done 必须是文字"))
                continue
            out.append(Action(fact.id, entry["value"], entry["action"], entry["where"], entry["done"]))
        return out

    # ---------------------------------------------------------------- sources
    def check_source(self, located, source, path, problems):
        if not isinstance(source, dict):
            problems.append(located.problem(path, "来源必须是映射：document, title, 以及 seed/line/quote"))
            return
        for key in source:
            if key not in SOURCE_KEYS:
                problems.append(located.problem(path + (key,), f"不认识的键：{key}（allowed: {', '.join(sorted(SOURCE_KEYS))}）"))
        for key in ("document", "title"):
            if not isinstance(source.get(key), str) or not source.get(key):
                problems.append(located.problem(path, f"来源缺少 {key}"))
        cited = [k for k in ("seed", "line", "quote") if k in source]
        if cited and len(cited) < 3:
            problems.append(located.problem(path, "引用规划原文时 seed、line、quote 三项都要写"))
        elif cited:
            trouble = self.seeds.quote_problem(source["seed"], source["line"], source["quote"])
            if trouble:
                problems.append(located.problem(path + ("quote",), trouble))
            if self.seeds.is_draft(source["seed"]):
                if source.get("draft", True) is not True:
                    problems.append(located.problem(path + ("draft",), f"{source['seed']} 是征求意见稿，draft 只能是 true"))
                source["draft"] = True  # said once in sources/sources.yaml, carried by every citation
            if "date" not in source and self.seeds.date(source["seed"]):
                source["date"] = self.seeds.date(source["seed"])
        if "draft" in source and not isinstance(source["draft"], bool):
            problems.append(located.problem(path + ("draft",), "draft 只能是 true 或 false"))

    def check_sources(self, located, sources, path):
        if not isinstance(sources, list) or not sources:
            self.problems.append(located.problem(path, "sources 至少要有一条来源"))
            return
        for index, source in enumerate(sources):
            self.check_source(located, source, path + (index,), self.problems)

    def parse_tree(self, data, path, located, catalogue):
        return conditions.parse(
            data, path, located, catalogue, self.problems,
            check_source=lambda source, p: self.check_source(located, source, p, self.problems))

    # ---------------------------------------------------------------- regions
    def load_regions(self):
        regions, files = {}, {}
        region_root = self.folder / "regions"
        for folder in sorted(p for p in region_root.iterdir() if p.is_dir()) if region_root.is_dir() else []:
            located = self.read(folder / "region.yaml")
            if located is None:
                continue
            data = located.data if isinstance(located.data, dict) else {}
            code, name, level, parent = data.get("code"), data.get("name"), data.get("level"), data.get("parent")
            bad = False
            if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
                self.problems.append(located.problem(("code",), "code 必须是6位行政区划代码，并加引号，例如 \"230100\""))
                bad = True
            elif code in regions:
                self.problems.append(located.problem(("code",), f"地区代码 {code} 已在 {files[code]} 用过"))
                bad = True
            if not isinstance(name, str) or not name:
                self.problems.append(located.problem(("name",), "缺少地区名称 name"))
            if level not in LEVELS:
                self.problems.append(located.problem(("level",), f"level 必须是 {' / '.join(LEVELS)}"))
            if code == NATIONAL and parent is not None:
                self.problems.append(located.problem(("parent",), "全国没有上级（national has no parent）"))
            if code != NATIONAL and not isinstance(parent, str):
                self.problems.append(located.problem(("parent",), "缺少上级地区代码 parent（加引号）"))
                bad = True
            for key in data:
                if key not in {"code", "name", "level", "parent"}:
                    self.problems.append(located.problem((key,), f"不认识的键：{key}"))
            if not bad:
                regions[code] = Region(code, name or code, level, parent, folder)
                files[code] = located
        if NATIONAL not in regions:
            self.problems.append(RuleProblem("rules/regions", None, "", f"缺少全国规则 {NATIONAL}-national/region.yaml"))
        for code, region in regions.items():
            if region.parent is None:
                continue
            if region.parent not in regions:
                self.problems.append(files[code].problem(("parent",), f"上级地区 {region.parent} 不存在"))
                continue
            seen, cursor = {code}, region.parent
            while cursor is not None and cursor in regions:
                if cursor in seen:
                    self.problems.append(files[code].problem(("parent",), "上级关系形成了循环（parent cycle）"))
                    break
                seen.add(cursor)
                cursor = regions[cursor].parent
            regions[region.parent].children.append(code)
        return regions

    # ---------------------------------------------------------------- benefits
    def load(self):
        catalogue = self.load_catalogue()
        regions = self.load_regions()
        benefits, scenario_files = {}, {}
        ordered = self._top_down(regions)
        for code in ordered:
            region = regions[code]
            inherited = benefits.get(region.parent, {}) if region.parent else {}
            own = dict(inherited)
            for path in sorted((region.folder / "benefits").glob("*.yaml")):
                located = self.read(path)
                if located is None:
                    continue
                self._apply_file(located, path, region, inherited, own, catalogue)
            benefits[code] = own
            if (region.folder / "scenarios.yaml").is_file():
                scenario_files[code] = region.folder / "scenarios.yaml"
            for path in region.folder.iterdir():
                if path.is_file() and path.name not in ("region.yaml", "scenarios.yaml"):
                    self.problems.append(RuleProblem(self.rel(path), None, "",
                                                     "地区文件夹里只能有 region.yaml、scenarios.yaml 和 benefits/"))
        if self.problems:
            raise RuleValidationError(self.problems)
        book = RuleBook(self.folder, catalogue, regions, benefits, scenario_files, self._version(), self.seeds)
        return book

    def _top_down(self, regions):
        order, queue = [], [NATIONAL] if NATIONAL in regions else []
        while queue:
            code = queue.pop(0)
            order.append(code)
            queue.extend(sorted(regions[code].children))
        return order

    def _apply_file(self, located, path, region, inherited, own, catalogue):
        data = located.data
        if not isinstance(data, dict):
            self.problems.append(located.problem((), "待遇文件必须是一个映射（mapping）"))
            return
        benefit_id = data.get("id")
        if benefit_id != path.stem:
            self.problems.append(located.problem(("id",), f"id 必须和文件名相同：文件名是 {path.stem}，id 是 {benefit_id!r}"))
            return
        change = data.get("change")
        if benefit_id in inherited:
            if change not in CHANGES:
                self.problems.append(located.problem(
                    ("change",) if "change" in data else ("id",),
                    f"{benefit_id} 已从上级地区 {inherited[benefit_id].region} 继承；"
                    f"请写 change: update（改几项）、replace（整条重写）或 withdraw（本地不适用）"))
                return
            if change == "withdraw":
                self._withdraw(located, data)
                own.pop(benefit_id, None)
                return
            if change == "update":
                benefit = self._update(located, data, inherited[benefit_id], region, catalogue)
            else:
                benefit = self._define(located, data, region, catalogue, allow=BENEFIT_KEYS | {"change"})
        else:
            if change is not None:
                self.problems.append(located.problem(("change",), f"上级地区没有 {benefit_id}，不能写 change；这是一项新待遇"))
                return
            benefit = self._define(located, data, region, catalogue, allow=BENEFIT_KEYS)
        if benefit is not None:
            self._check_condition_ids(located, benefit)
            own[benefit_id] = benefit

    def _withdraw(self, located, data):
        for key in data:
            if key not in {"id", "change", "reason", "sources"}:
                self.problems.append(located.problem((key,), "withdraw 只需要写 id、change、reason、sources"))
        if not isinstance(data.get("reason"), str) or not data.get("reason"):
            self.problems.append(located.problem(("reason",), "withdraw 要写 reason：为什么本地不适用"))
        self.check_sources(located, data.get("sources"), ("sources",))

    def _define(self, located, data, region, catalogue, allow):
        for key in data:
            if key not in allow:
                self.problems.append(located.problem((key,), f"不认识的键：{key}（allowed: {', '.join(sorted(allow))}）"))
        for key in REQUIRED_KEYS:
            if key not in data:
                self.problems.append(located.problem((), f"缺少 {key}"))
        if any(key not in data for key in REQUIRED_KEYS):
            return None
        tree = self.parse_tree(data["conditions"], ("conditions",), located, catalogue) if data.get("conditions") else None
        return self._build(located, dict(data), tree, region)

    def _update(self, located, data, parent, region, catalogue):
        for key in data:
            if key not in UPDATE_KEYS:
                self.problems.append(located.problem((key,), f"不认识的键：{key}（allowed: {', '.join(sorted(UPDATE_KEYS))}）"))
        merged = copy.deepcopy(parent.raw)
        merged.update({k: v for k, v in data.items() if k in BENEFIT_KEYS})
        if "conditions" in data:
            tree = self.parse_tree(data["conditions"], ("conditions",), located, catalogue) if data["conditions"] else None
        else:
            tree = parent.conditions
        for cond_id, patch in (data.get("change_conditions") or {}).items():
            path = ("change_conditions", cond_id)
            target = next((n for n in (tree.walk() if tree else ()) if n.id == cond_id), None)
            if target is None:
                self.problems.append(located.problem(path, f"上级的 {parent.id} 没有 id 为 {cond_id} 的条件"))
                continue
            if not isinstance(patch, dict):
                self.problems.append(located.problem(path, "要写成 {键: 新值} 的映射"))
                continue
            raw = dict(target.raw)
            if any(k in patch for k in ("all", "any", "not", "fact", "office", "assessed_locally")):
                for k in ("all", "any", "not", "fact", "op", "value", "office", "assessed_locally"):
                    raw.pop(k, None)
            raw.update(patch)
            raw["id"] = cond_id
            replacement = self.parse_tree(raw, path, located, catalogue)
            if replacement is not None:
                tree = _replace(tree, target, replacement)
        if "change_conditions" in data and not isinstance(data["change_conditions"], dict):
            self.problems.append(located.problem(("change_conditions",), "change_conditions 要写成 {条件id: {键: 新值}}"))
        added = data.get("add_conditions")
        if added is not None:
            if not isinstance(added, list) or not added:
                self.problems.append(located.problem(("add_conditions",), "add_conditions 要列出至少一个条件"))
            else:
                extra = [self.parse_tree(c, ("add_conditions", i), located, catalogue) for i, c in enumerate(added)]
                if None not in extra:
                    if tree is None:
                        tree = conditions.Group("all", extra)
                    elif isinstance(tree, conditions.Group) and tree.kind == "all" and not tree.id:
                        tree = conditions.Group("all", tree.children + extra)
                    else:
                        tree = conditions.Group("all", [tree] + extra)
        if "add_sources" in data:
            extra_sources = data["add_sources"]
            self.check_sources(located, extra_sources, ("add_sources",))
            if isinstance(extra_sources, list):
                merged["sources"] = list(merged.get("sources") or []) + extra_sources
        return self._build(located, merged, tree, region)

    def _build(self, located, data, tree, region):
        before = len(self.problems)
        if not isinstance(data.get("name"), str) or not data.get("name"):
            self.problems.append(located.problem(("name",), "name 必须是文字"))
        if data.get("category") not in CATEGORIES:
            self.problems.append(located.problem(("category",), f"category 必须是：{' '.join(CATEGORIES)}"))
        if data.get("policy_status") not in POLICY_STATUSES:
            self.problems.append(located.problem(("policy_status",), "policy_status 必须是 in_force（已实施）或 planned（规划中）"))
        if not isinstance(data.get("summary"), str) or not data.get("summary"):
            self.problems.append(located.problem(("summary",), "summary 必须是一句说给市民听的话"))
        effective = data.get("effective") or {}
        start = end = None
        if not isinstance(effective, dict) or set(effective) - {"from", "to"}:
            self.problems.append(located.problem(("effective",), "effective 写成 {from: 2018-10-01, to: 2025-12-31}"))
        else:
            start, end = effective.get("from"), effective.get("to")
            for key, value in (("from", start), ("to", end)):
                if value is not None and not isinstance(value, datetime.date):
                    self.problems.append(located.problem(("effective", key), f"日期格式应为 2018-10-01：{value!r}"))
            if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
                self.problems.append(located.problem(("effective",), "截止日期早于生效日期"))
        amount = data.get("amount")
        if amount is not None:
            self._check_amount(located, amount)
        apply = data.get("apply")
        if not isinstance(apply, dict) or not apply.get("agency"):
            self.problems.append(located.problem(("apply",), "apply 至少要写 agency（向哪个部门申请）"))
        else:
            for key in apply:
                if key not in APPLY_KEYS:
                    self.problems.append(located.problem(("apply", key), f"不认识的键：{key}（allowed: {', '.join(sorted(APPLY_KEYS))}）"))
            for key in ("documents", "channels"):
                if key in apply and not (isinstance(apply[key], list) and all(isinstance(x, str) for x in apply[key])):
                    self.problems.append(located.problem(("apply", key), f"{key} 必须是文字列表"))
        audience = data.get("audience", "citizen")
        if audience not in AUDIENCES:
            self.problems.append(located.problem(("audience",), "audience 必须是 citizen（本人）、family（家庭成员）"
                                                                "或 organisation（用人单位、机构：只在政策目录里列出）"))
        notes = data.get("notes") or []
        if not (isinstance(notes, list) and all(isinstance(n, str) for n in notes)):
            self.problems.append(located.problem(("notes",), "notes 必须是文字列表"))
        if "sources" in data and located.data.get("sources") is data["sources"]:
            self.check_sources(located, data["sources"], ("sources",))
        if len(self.problems) > before:
            return None
        benefit = Benefit(
            id=data["id"], name=data["name"], category=data["category"], policy_status=data["policy_status"],
            summary=data["summary"], conditions=tree, apply=dict(apply), sources=list(data["sources"]),
            region=region.code, file=located.file, amount=amount, notes=list(notes),
            effective_from=start, effective_to=end, audience=audience)
        benefit.raw = data
        benefit.explained = _explained(tree)
        return benefit

    def _check_amount(self, located, amount):
        if not isinstance(amount, dict):
            self.problems.append(located.problem(("amount",), "amount 写成 {text: ..., min/max: 数字, currency: CNY, period: month}，或 null"))
            return
        for key in amount:
            if key not in AMOUNT_KEYS:
                self.problems.append(located.problem(("amount", key), f"不认识的键：{key}"))
        if not isinstance(amount.get("text"), str) or not amount.get("text"):
            self.problems.append(located.problem(("amount", "text"), "amount 要有 text：原文写的金额"))
        for key in ("min", "max"):
            value = amount.get(key)
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
                self.problems.append(located.problem(("amount", key), f"{key} 必须是非负数字"))
        if amount.get("currency", "CNY") != "CNY":
            self.problems.append(located.problem(("amount", "currency"), "currency 只能是 CNY"))
        if amount.get("period") is not None and amount.get("period") not in PERIODS:
            self.problems.append(located.problem(("amount", "period"), f"period 必须是 {' / '.join(PERIODS)}"))

    def _check_condition_ids(self, located, benefit):
        seen = set()
        for node in (benefit.conditions.walk() if benefit.conditions else ()):
            if node.id in seen:
                self.problems.append(located.problem(("conditions",), f"条件 id {node.id} 在 {benefit.id} 里出现了两次"))
            if node.id:
                seen.add(node.id)

    def _version(self):
        digest = hashlib.sha256()
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(self.folder)).encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()[:16]


def _replace(tree, target, replacement):
    if tree is target:
        return replacement
    if isinstance(tree, conditions.Group):
        copy_ = conditions.Group(tree.kind, [_replace(c, target, replacement) for c in tree.children],
                                 tree.id, tree.text, tree.source)
        copy_.raw = getattr(tree, "raw", None)
        return copy_
    return tree


def _explained(tree):
    """Condition nodes with an id, in document order, each told its enclosing group's id."""
    out = []

    def visit(node, group_id):
        if node.id:
            node.part_of = group_id
            out.append(node)
        if isinstance(node, conditions.Group):
            for child in node.children:
                visit(child, node.id or group_id)

    if tree is not None:
        visit(tree, None)
    return out
