"""The coverage inventories (rules/coverage/<region>.yaml) and `eligibility coverage`."""
import pytest

from eligibility import coverage
from eligibility.cli import main

SEED = "000_eb728e682c1e5e37.txt"   # 哈尔滨 plan; line 82 is the 单人户 list, line 1 the title


def _national(rules_folder, simple_benefit):
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", simple_benefit.format(id="test_subsidy"))
    rules_folder.write("regions/000000-national/benefits/test_office.yaml", simple_benefit.format(id="test_office")
                       .replace("- {id: certificate, fact: has_certificate, op: \"==\", value: true, text: 持有残疾人证}",
                                "- {id: local, office: verify, text: 按当地规定审核}\n    - {id: other, office: decide, text: 其他由当地认定}"))
    rules_folder.region("230100-harbin", "230100", "哈尔滨市", "000000")


def test_counts_encoded_provisions_and_condition_kinds(rules_folder, simple_benefit, capsys):
    _national(rules_folder, simple_benefit)
    rules_folder.write("coverage/230100.yaml", f"""
        seed: {SEED}
        region: "230100"
        provisions:
          - {{line: 82, item: 测试补贴, benefit: test_subsidy}}
          - {{line: 84, item: 测试补贴的另一句, benefit: test_subsidy}}
          - {{line: 25, item: 办公室审核, benefit: test_office}}
          - {{line: 130, item: 文化惠民, benefit: null}}
          - {{line: 140, item: 用人单位奖励, benefit: null, audience: organisation}}
          - {{line: 151, item: 家属培训, benefit: null, audience: family}}
    """)
    book = rules_folder.load()
    inventories, problems = coverage.load(book)
    assert problems == []
    summary = coverage.summarise(book, inventories[0])
    assert summary.benefits == ["test_subsidy", "test_office"]   # counted once each
    assert (summary.fact_tests, summary.verify, summary.decide) == (3, 1, 1)
    assert [p.line for p in summary.missing] == [130, 151]
    assert [p.line for p in summary.missing_organisation] == [140]

    assert main(["--rules", str(rules_folder.path), "coverage"]) == 0
    out = capsys.readouterr().out
    assert "6 listed, 3 encoded (50%), 2 citizen-facing not yet, 1 organisation-facing not yet" in out
    assert "3 machine-checked (fact tests), 2 office checks (1 verify, 1 decide)" in out
    assert "line 130: 文化惠民" in out and "line 151: 家属培训 [family]" in out
    assert "用人单位奖励" not in out


def test_inventory_problems_are_located(rules_folder, simple_benefit, capsys):
    _national(rules_folder, simple_benefit)
    rules_folder.write("coverage/230100.yaml", f"""
        seed: {SEED}
        region: "230100"
        provisions:
          - {{line: 99999, item: 没有这一行, benefit: null}}
          - {{line: 82, item: 没有这个待遇, benefit: no_such_benefit}}
          - {{line: 82, item: 受众写错, benefit: null, audience: employer}}
          - {{line: 82, item: 受众不一致, benefit: test_subsidy, audience: organisation}}
          - {{line: 82, item: 缺 benefit}}
    """)
    rules_folder.write("coverage/231081.yaml", "seed: nothing.txt\nregion: \"231081\"\nprovisions: []\n")
    book = rules_folder.load()
    inventories, problems = coverage.load(book)
    text = "\n".join(map(str, problems))
    assert "rules/coverage/230100.yaml:4: provisions[0].line: 行号必须在" in text
    assert "rules/coverage/230100.yaml:5: provisions[1].benefit: 地区 230100 没有待遇 'no_such_benefit'" in text
    assert "provisions[2].audience: audience 必须是" in text
    assert "provisions[3].audience: test_subsidy 的 audience 是 citizen" in text
    assert "provisions[4]: 缺少 benefit" in text
    assert "rules/coverage/231081.yaml:1: seed: rules/sources/ 里没有原文 'nothing.txt'" in text
    assert "231081.yaml:2: region: 没有这个地区代码" in text
    assert main(["--rules", str(rules_folder.path), "validate"]) == 1
    assert "no_such_benefit" in capsys.readouterr().err
    assert main(["--rules", str(rules_folder.path), "coverage"]) == 1


def test_blank_line_and_file_name_must_match_region(rules_folder, simple_benefit):
    _national(rules_folder, simple_benefit)
    book_lines = open(rules_folder.path / "sources" / SEED, encoding="utf-8").read().split("\n")
    blank = next(n for n, text in enumerate(book_lines, 1) if not text.strip())
    rules_folder.write("coverage/harbin.yaml", f"""
        seed: {SEED}
        region: "230100"
        provisions:
          - {{line: {blank}, item: 空行, benefit: null}}
    """)
    problems = coverage.load(rules_folder.load())[1]
    text = "\n".join(map(str, problems))
    assert "文件名要和地区代码相同" in text and f"第 {blank} 行是空行" in text


def test_real_inventories_name_benefits_of_their_region(book):
    inventories, problems = coverage.load(book)
    assert problems == [], "\n".join(map(str, problems))
    if not inventories:
        pytest.skip("no rules/coverage/*.yaml yet (the region helpers write them)")
    for inventory in inventories:
        for provision in inventory.provisions:
            if provision.benefit:
                assert provision.benefit in book.benefits[inventory.region], (inventory.file, provision)
    assert coverage.report(book, [coverage.summarise(book, i) for i in inventories])


def test_region_filter(rules_folder, simple_benefit, capsys):
    _national(rules_folder, simple_benefit)
    rules_folder.write("coverage/230100.yaml", f"""
        seed: {SEED}
        region: "230100"
        provisions:
          - {{line: 82, item: 测试补贴, benefit: test_subsidy}}
    """)
    assert main(["--rules", str(rules_folder.path), "coverage", "--region", "230100"]) == 0
    assert "230100 哈尔滨市" in capsys.readouterr().out
    assert main(["--rules", str(rules_folder.path), "coverage", "--region", "000000"]) == 1
    assert "no coverage inventory for 000000" in capsys.readouterr().err
    assert main(["--rules", str(rules_folder.path), "coverage", "--region", "999999"]) == 2
