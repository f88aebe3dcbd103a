"""A corpus of broken rule files: the real rules/ copied, one mutation each. Every one must
stop the load with a RuleValidationError naming the file, the line and the cause — and an
app pointed at that folder must refuse to start — so an officer's typo never serves.

Two versions of one benefit with overlapping effective ranges cannot be written: a region
has one file per benefit, named by its id, and a child region's version replaces the
parent's (change: update/replace), so there is never more than one version in force for a
region. What can be written instead — a second file claiming the same id, or `effective`
twice in one file — is in the corpus.
"""
import re
import shutil
from pathlib import Path

import pytest

from eligibility import RuleBook, RuleValidationError

RULES = Path(__file__).resolve().parent.parent.parent / "rules"
NATIONAL_REHAB = "regions/000000-national/benefits/child_rehab.yaml"
HARBIN_REHAB = "regions/230100-harbin/benefits/child_rehab.yaml"


def edit(folder, name, old, new, count=1):
    """Replace `old` by `new` in one file; the 1-based line where the change starts."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {name}: the corpus needs updating"
    at = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text[:at].count("\n") + 1 + len(re.match(r"\n*", new).group(0))


def yaml_syntax(folder):
    # libyaml notices the unclosed [ on the next line; the message points back to the edit
    line = edit(folder, NATIONAL_REHAB, "category: rehabilitation", "category: [rehabilitation")
    return NATIONAL_REHAB, line + 1, rf"syntax error.*第{line}行"


def unknown_fact(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, "fact: age\n", "fact: years_old\n"), r"years_old"


def wrong_type_of_value(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, 'op: "=="\n          value: true',
                                'op: "=="\n          value: "yes"') + 1, r"autism|布尔|true|false|bool"


def bad_date(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, "effective: {from: 2018-10-01}",
                                "effective: {from: 2018-13-01}"), r"日期|date|month"


def end_before_start(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, "effective: {from: 2018-10-01}",
                                "effective: {from: 2018-10-01, to: 2017-12-31}"), r"截止日期早于生效日期"


def missing_sources(folder):
    path = folder / NATIONAL_REHAB
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("sources:")], encoding="utf-8")
    return NATIONAL_REHAB, _line(folder, NATIONAL_REHAB, "id: child_rehab"), r"缺少 sources"


def wrong_quote(folder):
    return HARBIN_REHAB, edit(folder, HARBIN_REHAB, "    quote: 万元水平", "    quote: 十万元水平"), r"quote|原文|引文"


def parent_cycle(folder):
    name = "regions/230000-heilongjiang/region.yaml"
    return name, edit(folder, name, 'parent: "000000"', 'parent: "230100"'), r"循环|cycle"


def duplicate_region_code(folder):
    shutil.copytree(folder / "regions/231081-suifenhe", folder / "regions/231082-suifenhe-copy")
    return "regions/231082-suifenhe-copy/region.yaml", 1, r"231081 已在 rules/regions/231081-suifenhe/region.yaml 用过"


def duplicate_condition_id(folder):
    return NATIONAL_REHAB, None, r"条件 id age_range 在 child_rehab 里出现了两次"


def _duplicate_condition_id(folder):
    edit(folder, NATIONAL_REHAB, "        - id: autism\n", "        - id: age_range\n")


def unknown_key(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, "category: rehabilitation\n",
                                "category: rehabilitation\ncolour: red\n") + 1, r"colour"


def id_not_file_name(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, "id: child_rehab\n", "id: child_rehabilitation\n"), \
        r"文件名|file name"


def second_file_same_id(folder):
    # "another version" of a benefit in the same region: a second file cannot claim its id
    shutil.copy(folder / NATIONAL_REHAB, folder / "regions/000000-national/benefits/child_rehab_2025.yaml")
    return "regions/000000-national/benefits/child_rehab_2025.yaml", \
        _line(folder, "regions/000000-national/benefits/child_rehab_2025.yaml", "id: child_rehab"), r"文件名|file name"


def effective_twice(folder):
    return NATIONAL_REHAB, edit(folder, NATIONAL_REHAB, "effective: {from: 2018-10-01}\n",
                                "effective: {from: 2018-10-01}\neffective: {from: 2020-01-01}\n") + 1, \
        r"duplicate key|两次"


def _line(folder, name, needle):
    text = (folder / name).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


MUTATIONS = [yaml_syntax, unknown_fact, wrong_type_of_value, bad_date, end_before_start, missing_sources,
             wrong_quote, parent_cycle, duplicate_region_code, duplicate_condition_id, unknown_key,
             id_not_file_name, second_file_same_id, effective_twice]


@pytest.fixture
def mutated(request, tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    mutation = request.param
    if mutation is duplicate_condition_id:
        _duplicate_condition_id(folder)
        line = _line(folder, NATIONAL_REHAB, "        - id: age_range\n")   # the second one
        name, _, reason = mutation(folder)
    else:
        name, line, reason = mutation(folder)
    return folder, "rules/" + name, line, reason


@pytest.mark.parametrize("mutated", MUTATIONS, indirect=True, ids=[m.__name__ for m in MUTATIONS])
def test_each_mutation_is_caught_with_file_line_and_cause(mutated):
    folder, name, line, reason = mutated
    with pytest.raises(RuleValidationError) as caught:
        RuleBook.load(folder)
    problems = caught.value.problems
    mine = [p for p in problems if p.file == name]
    assert mine, f"no problem names {name}: {[str(p) for p in problems]}"
    located = [p for p in mine if p.line == line and re.search(reason, p.message)]
    assert located, f"expected {name}:{line} matching {reason!r}, got {[str(p) for p in mine]}"
    assert f"{name}:{line}" in str(caught.value)


@pytest.mark.parametrize("mutated", MUTATIONS, indirect=True, ids=[m.__name__ for m in MUTATIONS])
def test_an_app_on_broken_rules_refuses_to_start(mutated):
    from webapp import create_app
    folder, name, *_ = mutated
    with pytest.raises(RuleValidationError, match=re.escape(name)):
        create_app({"TESTING": True, "SECRET_KEY": "x", "RULES_DIR": str(folder)})


def test_the_unmutated_copy_loads(tmp_path):
    shutil.copytree(RULES, tmp_path / "rules")
    assert RuleBook.load(tmp_path / "rules").benefits["230100"]
