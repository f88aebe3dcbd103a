"""Loading rules/: validation errors name file, line, key path and what is wrong; inheritance."""
import datetime

import pytest

from eligibility import RuleValidationError
from eligibility.conditions import MET, NOT_MET, evaluate


def problems_of(folder):
    with pytest.raises(RuleValidationError) as caught:
        folder.load()
    return [str(p) for p in caught.value.problems]


def test_real_rules_load(book):
    assert "000000" in book.regions
    for code in ("230100", "231081", "610103", "330100", "371503"):
        chain = [r.code for r in book.chain(code)]
        assert chain[0] == "000000" and chain[-1] == code
        assert {"living_subsidy", "nursing_subsidy", "child_rehab", "dibao_single_person"} <= set(book.benefits[code])


def test_every_seed_quote_is_on_its_line(book):
    """Quote check: every citation of a seed occurs verbatim (whitespace aside) on the cited line."""
    checked = 0
    for benefits in book.benefits.values():
        for benefit in benefits.values():
            cited = list(benefit.sources) + [n.source for n in benefit.explained if n.source]
            for source in cited:
                if "seed" in source:
                    assert book.seeds.quote_problem(source["seed"], source["line"], source["quote"]) is None, (
                        benefit.file, source)
                    checked += 1
    assert checked > 0


def test_valid_folder_loads(rules_folder, simple_benefit):
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", simple_benefit.format(id="test_subsidy"))
    book = rules_folder.load()
    assert list(book.benefits["000000"]) == ["test_subsidy"]


def test_all_problems_reported_at_once_with_file_line_and_path(rules_folder, simple_benefit):
    text = simple_benefit.format(id="test_subsidy")
    text = text.replace("op: between", "op: =>").replace("fact: has_certificate", "fact: has_cert")
    text = text.replace("category: subsidy", "category: money")
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", text)
    found = problems_of(rules_folder)
    name = "rules/regions/000000-national/benefits/test_subsidy.yaml"
    assert f"{name}:3: category: category 必须是：" in "\n".join(found)
    assert any(p.startswith(f"{name}:8: conditions.all[0].op: 未知的运算符 '=>'") for p in found), found
    assert any(p.startswith(f"{name}:9: conditions.all[1].fact: facts.yaml 里没有这个事实：has_cert") for p in found), found
    assert len(found) == 3


@pytest.mark.parametrize("change, message", [
    (("value: [0, 6]", "value: [0, 200]"), "200 不是 age 可以取的值（整数 0—130）"),
    (("value: [0, 6]", "value: [6, 0]"), "最小值不能大于最大值"),
    (("value: true", 'value: "yes"'), "'yes' 不是 has_certificate 可以取的值"),
    (("op: \"==\"", "op: \"<\""), "boolean 类型的事实 has_certificate 不能用 <"),
    (("summary: 测试用。\n", ""), "缺少 summary"),
    (("sources:\n  - {document: 测试文件, title: 测试}\n", "sources: []\n"), "sources 至少要有一条来源"),
    (("apply: {agency: 县级残联}", "apply: {agency: 县级残联, fee: 0}"), "apply.fee: 不认识的键：fee"),
    (("policy_status: in_force", "policy_status: maybe"), "policy_status 必须是 in_force"),
    (("id: test_subsidy", "id: other"), "id 必须和文件名相同"),
    (("summary: 测试用。", "summary: 测试用。\nsummary: 又一次"), "同一个键写了两次"),
    (("summary: 测试用。", "summary: [未闭合"), "YAML 格式错误"),
    (("category: subsidy", "category: subsidy\neffective: {from: 2020-13-01}"), "test_subsidy.yaml:4: YAML 值错误"),
    (("category: subsidy", "category: subsidy\namount: {text: 每月100元, max: -1}"), "max 必须是非负数字"),
])
def test_specific_errors(rules_folder, simple_benefit, change, message):
    text = simple_benefit.format(id="test_subsidy").replace(*change)
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", text)
    found = problems_of(rules_folder)
    assert any(message in p and p.startswith("rules/regions/000000-national/benefits/test_subsidy.yaml:")
               for p in found), found


def test_seed_quote_must_be_on_the_cited_line(rules_folder, simple_benefit):
    good = "{document: 哈政规〔2022〕19号, title: 哈尔滨, seed: 000_eb728e682c1e5e37.txt, line: 106, quote: 经本人申请参照“单人户”纳入低保范围}"
    text = simple_benefit.format(id="test_subsidy").replace("{document: 测试文件, title: 测试}", good)
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", text)
    rules_folder.load()  # the right line passes, with whitespace differences ignored
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", text.replace("line: 106", "line: 105"))
    found = problems_of(rules_folder)
    assert any("sources[0].quote: 第 105 行没有这段引文" in p and "在第 106 行" in p for p in found), found
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", text.replace("line: 106", "line: 9999"))
    assert any("行号必须在 1—" in p for p in problems_of(rules_folder))


def test_region_tree_errors(rules_folder):
    rules_folder.region("230100-harbin", "230100", "哈尔滨市", "230000")
    rules_folder.write("regions/1-bad/region.yaml", "code: 12\nname: 坏\nlevel: town\n")
    found = "\n".join(problems_of(rules_folder))
    assert "rules/regions/230100-harbin/region.yaml:3: parent: 上级地区 230000 不存在" in found
    assert "rules/regions/1-bad/region.yaml:1: code: code 必须是6位行政区划代码" in found
    assert "level 必须是" in found


@pytest.fixture
def two_levels(rules_folder, simple_benefit):
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", simple_benefit.format(id="test_subsidy"))
    rules_folder.region("230000-heilongjiang", "230000", "黑龙江省", "000000", "province")
    rules_folder.region("230100-harbin", "230100", "哈尔滨市", "230000")
    return rules_folder


def test_child_inherits_unchanged(two_levels):
    book = two_levels.load()
    assert book.benefits["230100"]["test_subsidy"].region == "000000"


def test_update_changes_one_condition_and_names_the_region(two_levels):
    two_levels.write("regions/230100-harbin/benefits/test_subsidy.yaml", """
        id: test_subsidy
        change: update
        change_conditions:
          age_range: {value: [0, 10], text: 年龄在0—10周岁}
    """)
    book = two_levels.load()
    harbin, national = book.benefits["230100"]["test_subsidy"], book.benefits["000000"]["test_subsidy"]
    assert harbin.region == "230100" and national.region == "000000"
    answers = {"age": 9, "has_certificate": True}
    assert evaluate(harbin.conditions, answers)[0] == MET
    assert evaluate(national.conditions, answers)[0] == NOT_MET
    assert [n.text for n in harbin.explained][0] == "年龄在0—10周岁"
    assert harbin.name == national.name  # everything not written is inherited


def test_update_add_conditions_narrows(two_levels):
    two_levels.write("regions/230000-heilongjiang/benefits/test_subsidy.yaml", """
        id: test_subsidy
        change: update
        add_conditions:
          - {id: local, fact: local_hukou, op: "==", value: true, text: 户籍在本省}
    """)
    book = two_levels.load()
    rule = book.benefits["230100"]["test_subsidy"]  # the city inherits the province's narrowing
    assert rule.region == "230000"
    assert evaluate(rule.conditions, {"age": 3, "has_certificate": True, "local_hukou": False})[0] == NOT_MET


def test_withdraw_removes_for_region_and_children(two_levels):
    two_levels.write("regions/230000-heilongjiang/benefits/test_subsidy.yaml", """
        id: test_subsidy
        change: withdraw
        reason: 本省已并入其他补贴
        sources: [{document: 测试, title: 测试}]
    """)
    book = two_levels.load()
    assert "test_subsidy" not in book.benefits["230000"]
    assert "test_subsidy" not in book.benefits["230100"]
    assert "test_subsidy" in book.benefits["000000"]


def test_replace_needs_a_whole_definition(two_levels):
    two_levels.write("regions/230100-harbin/benefits/test_subsidy.yaml", "id: test_subsidy\nchange: replace\nname: 新\n")
    found = "\n".join(problems_of(two_levels))
    assert "rules/regions/230100-harbin/benefits/test_subsidy.yaml:1: 缺少 category" in found


@pytest.mark.parametrize("text, message", [
    ("id: test_subsidy\nname: 重复\n", "已从上级地区 000000 继承；请写 change: update"),
    ("id: test_subsidy\nchange: update\nchange_conditions:\n  no_such: {value: 1}\n", "上级的 test_subsidy 没有 id 为 no_such 的条件"),
    ("id: test_subsidy\nchange: update\nchange_conditions:\n  age_range: {value: [0, 999]}\n", "999 不是 age 可以取的值"),
    ("id: test_subsidy\nchange: withdraw\n", "withdraw 要写 reason"),
])
def test_inheritance_errors(two_levels, text, message):
    two_levels.write("regions/230100-harbin/benefits/test_subsidy.yaml", text)
    found = problems_of(two_levels)
    assert any(p.startswith("rules/regions/230100-harbin/benefits/test_subsidy.yaml:") and message in p
               for p in found), found


def test_change_on_a_new_benefit_is_an_error(two_levels, simple_benefit):
    two_levels.write("regions/230100-harbin/benefits/new_one.yaml",
                     simple_benefit.format(id="new_one") + "change: update\n")
    assert any("上级地区没有 new_one，不能写 change" in p for p in problems_of(two_levels))


def test_rules_version_changes_with_any_rule_file(two_levels):
    before = two_levels.load().version
    two_levels.write("regions/230100-harbin/scenarios.yaml", "[]\n")
    assert two_levels.load().version != before


def test_effective_dates(two_levels, simple_benefit):
    text = simple_benefit.format(id="dated").replace("category: subsidy", "category: subsidy\neffective: {from: 2020-01-01, to: 2022-12-31}")
    two_levels.write("regions/000000-national/benefits/dated.yaml", text)
    rule = two_levels.load().benefits["000000"]["dated"]
    assert rule.in_force_on(datetime.date(2021, 5, 1))
    assert not rule.in_force_on(datetime.date(2019, 12, 31))
    assert not rule.in_force_on(datetime.date(2023, 1, 1))


def test_the_old_assessed_locally_is_refused_with_the_new_words(rules_folder):
    rules_folder.write("regions/000000-national/benefits/local_thing.yaml", """
        id: local_thing
        name: 测试
        category: service
        policy_status: in_force
        summary: 测试
        conditions:
          all:
            - {id: old, assessed_locally: true, text: 当地认定}
        apply: {agency: 县残联}
        sources: [{document: 测试, title: 测试}]
    """)
    with pytest.raises(RuleValidationError) as error:
        rules_folder.load()
    problem = next(p for p in error.value.problems if "assessed_locally" in p.message)
    assert problem.file.endswith("local_thing.yaml") and problem.line and "office: verify" in problem.message
