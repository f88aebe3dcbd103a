"""accessibility/wcag-map.md stays honest: it names every WCAG 2.2 Level A and AA success
criterion, and every test it cites as evidence exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
MAP = ROOT / "accessibility" / "wcag-map.md"

# WCAG 2.2 (W3C Recommendation, 2023-10-05; 4.1.1 Parsing is obsolete and removed).
WCAG_22_A_AA = """
1.1.1 1.2.1 1.2.2 1.2.3 1.2.4 1.2.5 1.3.1 1.3.2 1.3.3 1.3.4 1.3.5 1.4.1 1.4.2 1.4.3 1.4.4 1.4.5
1.4.10 1.4.11 1.4.12 1.4.13 2.1.1 2.1.2 2.1.4 2.2.1 2.2.2 2.3.1 2.4.1 2.4.2 2.4.3 2.4.4 2.4.5 2.4.6
2.4.7 2.4.11 2.5.1 2.5.2 2.5.3 2.5.4 2.5.7 2.5.8 3.1.1 3.1.2 3.2.1 3.2.2 3.2.3 3.2.4 3.2.6 3.3.1
3.3.2 3.3.3 3.3.4 3.3.7 3.3.8 4.1.2 4.1.3
""".split()
CITATION = re.compile(r"(?:((?:webapp|browser)/test_\w+\.py))?::(test_\w+)")


def test_every_success_criterion_has_a_row():
    assert len(WCAG_22_A_AA) == 55
    rows = {m.group(1) for m in re.finditer(r"^\| *(\d\.\d+\.\d+)\b", MAP.read_text(encoding="utf-8"), re.M)}
    assert sorted(set(WCAG_22_A_AA) - rows, key=lambda sc: tuple(map(int, sc.split(".")))) == []


def test_every_cited_test_exists():
    missing, cited = [], 0
    for line in MAP.read_text(encoding="utf-8").splitlines():
        current = None
        for match in CITATION.finditer(line):
            current = match.group(1) or current
            if current is None:
                continue
            name = match.group(2).split("[")[0]
            cited += 1
            source = ROOT / "tests" / current
            if not source.exists() or not re.search(rf"^def {name}\(", source.read_text(encoding="utf-8"), re.M):
                missing.append(f"{current}::{name}")
    assert cited > 50 and missing == []
