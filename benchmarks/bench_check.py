"""Benchmark: a full check (all results, explanations, to_confirm, would_change, next
question, durable-rules cross-check) per seed region, in process. Prints p50 / p99 latency and checks per second.

    python benchmarks/bench_check.py [--checks 5000]

Target on the 2-core reference machine: p50 <= 0.5 ms, p99 <= 2 ms.
"""
import argparse
import random
import statistics
import time

from eligibility import Checker, RuleBook

SEED_REGIONS = {"230100": "哈尔滨市", "231081": "绥芬河市", "610103": "碑林区", "330100": "杭州市", "371503": "茌平区"}


def full_check(checker, code, profile):
    """What the API answers: every result with its would_change worked out."""
    report = checker.check(code, profile, "2024-06-01")
    for result in report.results:
        result.would_change
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=5000)
    args = parser.parse_args()
    started = time.perf_counter()
    book = RuleBook.load()
    loaded = time.perf_counter()
    checker = Checker(book)
    built = time.perf_counter()
    print(f"load+validate rules: {(loaded - started) * 1000:.0f} ms; compile into durable-rules: {(built - loaded) * 1000:.0f} ms")
    print(f"{'region':<16}{'benefits':>9}{'rulesets':>9}{'p50 ms':>9}{'p99 ms':>9}{'checks/s':>10}")
    rng = random.Random(7)
    sample = [book.catalogue.random_profile(rng) for _ in range(args.checks)]
    for code, name in SEED_REGIONS.items():
        for profile in sample[:200]:  # warm up
            full_check(checker, code, profile)
        times = []
        for profile in sample:
            t0 = time.perf_counter()
            full_check(checker, code, profile)
            times.append(time.perf_counter() - t0)
        times.sort()
        p50 = statistics.median(times) * 1000
        p99 = times[int(len(times) * 0.99) - 1] * 1000
        print(f"{code} {name:<9}{len(book.benefits[code]):>9}{checker.decider.ruleset_count(code):>9}"
              f"{p50:>9.3f}{p99:>9.3f}{len(times) / sum(times):>10.0f}")


if __name__ == "__main__":
    main()
