"""Command line for rule editors and integrators:

    eligibility validate                      check every rule file (file:line: path: problem)
    eligibility scenarios [--region CODE]     run the scenario tests beside the rules
    eligibility check PROFILE.json            check a profile ({"region", "as_of", "answers"})
    eligibility coverage [--region CODE]      how much of each plan is encoded (rules/coverage/*.yaml)
"""
import argparse
import json
import sys

from . import coverage as plan_coverage
from . import scenarios as scenario_tests
from . import strictjson
from .checker import Checker
from .contract import parse_request, report_dict
from .errors import AnswerError, RuleValidationError
from .rulebook import RuleBook


def main(argv=None):
    parser = argparse.ArgumentParser(prog="eligibility", description="残疾人福利资格检查：规则工具")
    parser.add_argument("--rules", help="rules folder (default: the project's rules/)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="validate every rule file and scenario")
    run = commands.add_parser("scenarios", help="run the scenario tests")
    run.add_argument("--region", help="only this region code")
    check = commands.add_parser("check", help="check a profile from a JSON file ('-' for stdin)")
    check.add_argument("profile")
    cover = commands.add_parser("coverage", help="how much of each plan is encoded (rules/coverage/*.yaml)")
    cover.add_argument("--region", help="only this region code")
    args = parser.parse_args(argv)

    try:
        book = RuleBook.load(args.rules)
    except RuleValidationError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "validate":
        problems = [p for code in book.regions for p in scenario_tests.load(book, code)[1]]
        problems += plan_coverage.load(book)[1]
        Checker(book)  # compiling into durable-rules checks the engine budgets too
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        counts = sum(len(b) for b in book.benefits.values())
        print(f"OK: {len(book.regions)} regions, {counts} region-benefit rules, rules_version {book.version}")
        return 0
    if args.command == "coverage":
        return _coverage(book, args.region)
    checker = Checker(book)
    if args.command == "scenarios":
        return _scenarios(book, checker, args.region)
    return _check(checker, args.profile)


def _scenarios(book, checker, only):
    codes = [only] if only else list(book.regions)
    if only and only not in book.regions:
        print(f"unknown region {only}", file=sys.stderr)
        return 2
    passed = failed = 0
    for code in codes:
        loaded, problems = scenario_tests.load(book, code)
        for problem in problems:
            print(problem, file=sys.stderr)
            failed += 1
        for scenario in loaded:
            failures = scenario_tests.run(checker, scenario)
            for failure in failures:
                print(failure, file=sys.stderr)
            failed += bool(failures)
            passed += not failures
    print(f"scenarios: {passed} passed, {failed} failed")
    return 1 if failed else 0


def _coverage(book, only):
    if only and only not in book.regions:
        print(f"unknown region {only}", file=sys.stderr)
        return 2
    inventories, problems = plan_coverage.load(book)
    for problem in problems:
        print(problem, file=sys.stderr)
    chosen = [i for i in inventories if not only or i.region == only]
    if not chosen and not problems:
        print("no coverage inventory" + (f" for {only}" if only else "") + " in rules/coverage/", file=sys.stderr)
        return 1
    print(plan_coverage.report(book, [plan_coverage.summarise(book, i) for i in chosen]))
    return 1 if problems else 0


def _check(checker, profile):
    try:
        text = sys.stdin.read() if profile == "-" else open(profile, encoding="utf-8").read()
        body = strictjson.loads(text)
        code, answers, as_of = parse_request(body, checker)
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {profile}: {error}", file=sys.stderr)
        return 2
    except AnswerError as error:
        print(f"{profile}: {error.field}: {error.message}", file=sys.stderr)
        return 2
    report = checker.check(code, answers, as_of)
    print(json.dumps(report_dict(report), ensure_ascii=False, indent=2))
    return 0
