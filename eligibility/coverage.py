"""Coverage of the five plans: rules/coverage/<region code>.yaml lists every provision of a
plan (seed) the checker should know about, each with the line it is on and the benefit id
that encodes it (null while not encoded yet).

    seed: 000_eb728e682c1e5e37.txt
    region: "230100"
    provisions:
      - {line: 82, item: 低保“单人户”, benefit: dibao_single_person}
      - {line: 130, item: 残疾人文化惠民, benefit: null}
      - {line: 140, item: 超比例安排就业奖励, benefit: some_id, audience: organisation}

`load` validates the inventories against the rule book (the line exists in the seed, the
benefit exists in that region's effective rules, the audience agrees with the benefit);
`summarise` counts what is encoded and how many conditions the checker tests itself.
"""
from dataclasses import dataclass, field

from . import yamlfile
from .conditions import Leaf, OfficeCheck
from .rulebook import AUDIENCES

FILE_KEYS = {"seed", "region", "provisions"}
ENTRY_KEYS = {"line", "item", "benefit", "audience", "note"}


@dataclass
class Provision:
    line: int
    item: str
    benefit: str | None
    audience: str = "citizen"
    note: str = ""


@dataclass
class Inventory:
    file: str
    seed: str
    region: str
    provisions: list = field(default_factory=list)


@dataclass
class Summary:
    inventory: Inventory
    encoded: list          # provisions with a benefit
    missing: list          # citizen- and family-facing provisions not encoded yet
    missing_organisation: list
    benefits: list         # distinct benefit ids, in inventory order
    fact_tests: int        # conditions the checker settles from the answers
    verify: int            # office checks made for every applicant
    decide: int            # alternative routes the office decides case by case


def load(book):
    """(inventories, problems) for every rules/coverage/*.yaml."""
    folder = book.folder / "coverage"
    inventories, problems = [], []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = f"rules/{path.relative_to(book.folder)}"
        located, found = yamlfile.load(path, name)
        problems.extend(found)
        if located is None:
            continue
        inventory = _inventory(book, located, path.stem, problems)
        if inventory is not None:
            inventories.append(inventory)
    return inventories, problems


def _inventory(book, located, stem, problems):
    data = located.data
    where = lambda path, message: problems.append(located.problem(path, message))  # noqa: E731
    if not isinstance(data, dict):
        where((), "覆盖清单必须是映射：seed、region、provisions（coverage inventory must be a mapping）")
        return None
    for key in data:
        if key not in FILE_KEYS:
            where((key,), f"不认识的键：{key}（allowed: {', '.join(sorted(FILE_KEYS))}）")
    seed, region = data.get("seed"), data.get("region")
    bad = False
    if seed not in book.seeds:
        where(("seed",), f"rules/sources/ 里没有原文 {seed!r}（have: {', '.join(book.seeds.names())}）")
        bad = True
    if not isinstance(region, str) or region not in book.regions:
        where(("region",), f"没有这个地区代码：{region!r}（写6位代码并加引号，例如 \"230100\"）")
        bad = True
    elif region != stem:
        where(("region",), f"文件名要和地区代码相同：{stem}.yaml 里写的是 {region}")
    entries = data.get("provisions")
    if not isinstance(entries, list) or not entries:
        where(("provisions",), "provisions 要列出规划里的每一条：{line, item, benefit}")
        return None
    if bad:
        return None
    inventory = Inventory(located.file, seed, region)
    benefits = book.benefits[region]
    lines = book.seeds.line_count(seed)
    for index, entry in enumerate(entries):
        path = ("provisions", index)
        if not isinstance(entry, dict):
            where(path, "每一条写成 {line: 行号, item: 名称, benefit: 待遇id 或 null}")
            continue
        for key in entry:
            if key not in ENTRY_KEYS:
                where(path + (key,), f"不认识的键：{key}（allowed: {', '.join(sorted(ENTRY_KEYS))}）")
        missing = [k for k in ("line", "item", "benefit") if k not in entry]
        if missing:
            where(path, f"缺少 {'、'.join(missing)}（benefit 还没写规则的，写 null）")
            continue
        line, item, benefit_id = entry["line"], entry["item"], entry["benefit"]
        audience, note = entry.get("audience"), entry.get("note", "")
        ok = True
        if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= lines:
            where(path + ("line",), f"行号必须在 1—{lines} 之间：{line!r}（line not in {seed}）")
            ok = False
        elif not book.seeds.text(seed, line).strip():
            where(path + ("line",), f"{seed} 第 {line} 行是空行")
            ok = False
        if not isinstance(item, str) or not item.strip():
            where(path + ("item",), "item 写这一条的名称（文字）")
            ok = False
        if benefit_id is not None and (not isinstance(benefit_id, str) or benefit_id not in benefits):
            where(path + ("benefit",), f"地区 {region} 没有待遇 {benefit_id!r}（不在本地区的有效规则里；还没写规则的写 null）")
            ok = False
        if audience is not None and audience not in AUDIENCES:
            where(path + ("audience",), f"audience 必须是 {' / '.join(AUDIENCES)}")
            ok = False
        elif audience is not None and ok and benefit_id is not None and benefits[benefit_id].audience != audience:
            where(path + ("audience",), f"{benefit_id} 的 audience 是 {benefits[benefit_id].audience}，这里写的是 {audience}")
            ok = False
        if not isinstance(note, str):
            where(path + ("note",), "note 必须是文字")
            ok = False
        if ok:
            if audience is None:
                audience = benefits[benefit_id].audience if benefit_id else "citizen"
            inventory.provisions.append(Provision(line, item, benefit_id, audience, note))
    return inventory


def summarise(book, inventory):
    benefits = book.benefits[inventory.region]
    encoded = [p for p in inventory.provisions if p.benefit]
    ids = list(dict.fromkeys(p.benefit for p in encoded))
    fact_tests = verify = decide = 0
    for benefit_id in ids:
        tree = benefits[benefit_id].conditions
        for node in tree.walk() if tree else ():
            if isinstance(node, Leaf):
                fact_tests += 1
            elif isinstance(node, OfficeCheck):
                verify += node.kind == "verify"
                decide += node.kind == "decide"
    open_ = [p for p in inventory.provisions if not p.benefit]
    return Summary(inventory, encoded, [p for p in open_ if p.audience != "organisation"],
                   [p for p in open_ if p.audience == "organisation"], ids, fact_tests, verify, decide)


def report(book, summaries):
    """Plain-text report, one block per inventory."""
    out = []
    for s in summaries:
        inv = s.inventory
        region = book.regions[inv.region]
        total = len(inv.provisions)
        share = f"{100 * len(s.encoded) // total}%" if total else "—"
        out.append(f"{inv.region} {region.name} · {inv.seed} ({inv.file})")
        out.append(f"  provisions: {total} listed, {len(s.encoded)} encoded ({share}), "
                   f"{len(s.missing)} citizen-facing not yet, {len(s.missing_organisation)} organisation-facing not yet")
        out.append(f"  benefits: {len(s.benefits)}; conditions: {s.fact_tests} machine-checked (fact tests), "
                   f"{s.verify + s.decide} office checks ({s.verify} verify, {s.decide} decide)")
        if s.missing:
            out.append("  not encoded yet:")
            for p in s.missing:
                who = " [family]" if p.audience == "family" else ""
                out.append(f"    line {p.line}: {p.item}{who}")
    return "\n".join(out)
