"""BENCHMARKS.md: each benchmark script rewrites its own section (between its markers) with
its numbers and the machine they were measured on."""
import datetime
import os
import platform
import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
HEADER = """# Benchmarks

Measured by the scripts in `benchmarks/`, which rewrite their own section below. All
traffic is on 127.0.0.1; every run is bounded in time. The reference machine is shared
(2 cores, several other sessions), so numbers move between runs: the load average at the
start of each run is given.
"""


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except OSError:
        mem_kb = 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; nproc {os.cpu_count()}; CPU {cpu}; "
            f"RAM {mem_kb / 1024 / 1024:.1f} GiB; Python {platform.python_version()}; "
            f"{platform.system()} {platform.release()}; load average at start {load}")


def update(section, title, body):
    """Replace section `section` of BENCHMARKS.md (created if missing) with `title` and `body`."""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else HEADER
    block = f"<!-- {section}:begin -->\n## {title}\n\n{body.rstrip()}\n<!-- {section}:end -->"
    pattern = re.compile(rf"<!-- {section}:begin -->.*?<!-- {section}:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")
