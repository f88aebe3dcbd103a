"""The command line: validate, scenarios, check."""
import json

from eligibility.cli import main


def test_validate_ok(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def test_validate_reports_file_and_line(rules_folder, simple_benefit, capsys):
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml",
                       simple_benefit.format(id="test_subsidy").replace("op: between", "op: around"))
    assert main(["--rules", str(rules_folder.path), "validate"]) == 1
    err = capsys.readouterr().err
    assert "rules/regions/000000-national/benefits/test_subsidy.yaml:8: conditions.all[0].op: 未知的运算符 'around'" in err


def test_validate_reports_bad_scenarios(rules_folder, simple_benefit, capsys):
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", simple_benefit.format(id="test_subsidy"))
    rules_folder.write("regions/000000-national/scenarios.yaml", """
        - name: 坏场景
          answers: {age: old}
          expect: {test_subsidy: eligible}
    """)
    assert main(["--rules", str(rules_folder.path), "validate"]) == 1
    assert "rules/regions/000000-national/scenarios.yaml:2: [0].answers.age: age 必须是整数" in capsys.readouterr().err


def test_scenarios_pass_and_fail(rules_folder, simple_benefit, capsys):
    rules_folder.write("regions/000000-national/benefits/test_subsidy.yaml", simple_benefit.format(id="test_subsidy"))
    rules_folder.write("regions/000000-national/scenarios.yaml", """
        - name: 3岁持证
          answers: {age: 3, has_certificate: true}
          expect: {test_subsidy: eligible}
        - name: 故意写错
          answers: {age: 9}
          expect: {test_subsidy: eligible}
    """)
    assert main(["--rules", str(rules_folder.path), "scenarios"]) == 1
    captured = capsys.readouterr()
    assert "scenarios: 1 passed, 1 failed" in captured.out
    assert "scenarios.yaml:4: 故意写错: test_subsidy: expected eligible, got not_eligible" in captured.err


def test_check_a_profile_file(tmp_path, capsys):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"region": "230100", "as_of": "2024-06-01", "answers": {"age": 8}}))
    assert main(["check", str(profile)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["region"]["code"] == "230100" and report["as_of"] == "2024-06-01"
    profile.write_text(json.dumps({"region": "230100", "answers": {"age": "eight"}}))
    assert main(["check", str(profile)]) == 2
    assert "age: age 必须是整数" in capsys.readouterr().err
