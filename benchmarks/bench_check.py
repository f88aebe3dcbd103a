"""Benchmark: a full check (all results, explanations, to_confirm, would_change, next
question, durable-rules cross-check) per region, in process. Prints p50 / p99 latency and checks per second.

    PYTHONPATH=. python benchmarks/bench_check.py [--checks 5000] [--no-compare]

Target on the 2-core reference machine: p50 <= 0.5 ms, p99 <= 2 ms.

With the whole region tree (rules/regions.csv, ~3,200 regions) loaded, it also measures,
in the same run, the five-region corpus alone (rules/ without the tree files, in a temp
copy): load and validation time, RSS of a process that creates the web app, and the
latency of each seed region and of a county that inherits only the national rules, as a
ratio to the five-region corpus (target: load <= 5 s, RSS <= 300 MB, ratio <= 1.2).
Batches of both corpora are interleaved, so load from other processes hits both alike.
"""
import argparse
import builtins
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eligibility import Checker, RuleBook
from eligibility.rulebook import CHANGES_FILE, TREE_FILE, default_rules_dir

SEED_REGIONS = {"230100": "哈尔滨市", "231081": "绥芬河市", "610103": "碑林区", "330100": "杭州市", "371503": "茌平区"}
NATIONAL_ONLY = ("110101", "东城区")   # compared with 全国 (000000) of the five-region corpus: the same benefits
BATCH = 250
RSS_PROBE = """
import sys
from webapp import create_app
create_app({"RULES_DIR": sys.argv[1]} if len(sys.argv) > 1 else None)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:")))
"""


def load(folder):
    started = time.perf_counter()
    book = RuleBook.load(folder)
    loaded = time.perf_counter()
    checker = Checker(book)
    return book, checker, loaded - started, time.perf_counter() - loaded


def rss_mb(folder=None):
    args = [sys.executable, "-c", RSS_PROBE] + ([str(folder)] if folder else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402


def full_check(checker, code, profile):
    """What the API answers: every result with its would_change worked out."""
    report = checker.check(code, profile, "2024-06-01")
    for result in report.results:
        result.would_change
    return report


def timings(checker, code, sample):
    out = []
    for profile in sample:
        t0 = time.perf_counter()
        full_check(checker, code, profile)
        out.append(time.perf_counter() - t0)
    return out


def summary(times):
    times = sorted(times)
    return statistics.median(times) * 1000, times[int(len(times) * 0.99) - 1] * 1000, len(times) / sum(times)


def main():
    lines, machine = [], report.machine()

    def print(line):                # noqa: A001 - every line also goes into BENCHMARKS.md
        builtins.print(line)
        lines.append(line)

    run(print)
    report.update("check", "Check latency in process (whole region tree vs the five-region corpus)",
                  f"Machine: {machine}.\n\n`python benchmarks/bench_check.py` — a full check with every "
                  "result's explanation, to_confirm, would_change, the next question and the durable-rules "
                  "cross-check, on random partial profiles. Targets: p50 ≤ 0.5 ms, p99 ≤ 2 ms; whole tree "
                  "within 1.2× of the five-region corpus.\n\n```\n" + "\n".join(lines) + "\n```")


def run(print):
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=5000)
    parser.add_argument("--no-compare", action="store_true", help="skip the five-region corpus")
    args = parser.parse_args()
    rules = default_rules_dir()
    book, checker, load_s, build_s = load(rules)
    print(f"whole tree: {len(book.regions)} regions; load+validate {load_s * 1000:.0f} ms; "
          f"compile into durable-rules {build_s * 1000:.0f} ms; {checker.decider.ruleset_total()} rulesets "
          f"for {len(set(checker.rule_group.values()))} distinct benefit sets")
    rng = random.Random(7)
    sample = [book.catalogue.random_profile(rng) for _ in range(args.checks)]
    rows = [(code, name, code) for code, name in SEED_REGIONS.items()] + [(NATIONAL_ONLY[0], NATIONAL_ONLY[1], "000000")]
    baseline = None
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_compare:
            five = Path(tmp) / "rules"
            shutil.copytree(rules, five, ignore=shutil.ignore_patterns(TREE_FILE, CHANGES_FILE))
            small_book, baseline, small_load, small_build = load(five)
            print(f"five-region corpus: {len(small_book.regions)} regions; load+validate {small_load * 1000:.0f} ms; "
                  f"compile {small_build * 1000:.0f} ms; {baseline.decider.ruleset_total()} rulesets")
            print(f"RSS after create_app(): whole tree {rss_mb():.0f} MB, five-region corpus {rss_mb(five):.0f} MB")
        print(f"{'region':<16}{'benefits':>9}{'rulesets':>9}{'p50 ms':>9}{'p99 ms':>9}{'checks/s':>10}"
              + ("" if baseline is None else f"{'base p50':>10}{'ratio':>7}"))
        for code, name, base_code in rows:
            tree_times, base_times = [], []
            timings(checker, code, sample[:200])   # warm up
            if baseline is not None:
                timings(baseline, base_code, sample[:200])
            for start in range(0, len(sample), BATCH):
                batch = sample[start:start + BATCH]
                tree_times += timings(checker, code, batch)
                if baseline is not None:
                    base_times += timings(baseline, base_code, batch)
            p50, p99, rate = summary(tree_times)
            line = (f"{code} {name:<9}{len(book.benefits[code]):>9}{checker.decider.ruleset_count(code):>9}"
                    f"{p50:>9.3f}{p99:>9.3f}{rate:>10.0f}")
            if baseline is not None:
                base50 = summary(base_times)[0]
                line += f"{base50:>10.3f}{p50 / base50:>7.2f}"
            print(line)


if __name__ == "__main__":
    main()
