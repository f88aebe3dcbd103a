"""Soak: the production command with 2 sync workers under steady load (wrk, a fixed number
of clients each pausing between requests, cycling question page / results page / check)
for N minutes on 127.0.0.1. Reports the workers' RSS growth (target ≤ 5 %), errors, and
engine failures (/healthz polled throughout), and whether any worker was replaced.

    python benchmarks/soak.py [--minutes 10] [--clients 4] [--pause-ms 50]   (~70 req/s, a quarter of a core)

Writes its section of BENCHMARKS.md.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))          # this checkout's webapp, not an installed one
sys.path.insert(0, str(HERE.parent / "tests" / "serving"))
sys.path.insert(0, str(HERE))
import report  # noqa: E402
from bench_load import BENCH_ENV, CHECK_BODY, lua, parse_wrk, session_for_results  # noqa: E402
from servers import start_gunicorn  # noqa: E402
from walker import HttpBrowser  # noqa: E402


def workers_of(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return sorted(int(p) for p in children.read_text().split()) if children.exists() else []


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pause-ms", type=int, default=50, help="each client's pause between requests")
    parser.add_argument("--warmup", type=int, default=30, help="seconds before the first RSS sample counts")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    machine = report.machine()
    workdir = tempfile.mkdtemp(prefix="soak-")
    server = start_gunicorn(workdir, "soak", workers=2, extra_env={**BENCH_ENV, "ACCESS_LOG": ""})
    seconds = int(args.minutes * 60)
    samples, health = [], {"ok": 0, "failed": 0, "detail": []}
    try:
        master = server.process.pid
        start_workers = workers_of(master)
        cookie, _ = session_for_results(server.url)
        gz = {"Accept-Encoding": "gzip"}
        script = lua([("GET", "/question/household", {**gz, "Cookie": cookie}, None),
                      ("GET", "/results", {**gz, "Cookie": cookie}, None),
                      ("POST", "/api/v1/check", {"Content-Type": "application/json"}, CHECK_BODY)],
                     delay_ms=args.pause_ms)
        path = Path(workdir) / "soak.lua"
        path.write_text(script)
        load = subprocess.Popen(["wrk", "-t", "2", "-c", str(args.clients), "-d", f"{seconds}s", "--timeout", "10s",
                                 "--latency", "-s", str(path), server.url], stdout=subprocess.PIPE, text=True)
        started = time.monotonic()
        stop = threading.Event()

        def poll_health():
            probe = HttpBrowser(server.url, timeout=10)
            while not stop.wait(5):
                try:
                    status, _, body = probe.request("GET", "/healthz")
                    ok = status == 200 and json.loads(body)["ok"]
                except (OSError, ValueError) as error:
                    ok, status = False, repr(error)
                health["ok" if ok else "failed"] += 1
                if not ok:
                    health["detail"].append(status)
                probe.responses.clear()

        poller = threading.Thread(target=poll_health, daemon=True)
        poller.start()
        while load.poll() is None and time.monotonic() - started < seconds + 30:
            elapsed = time.monotonic() - started
            pids = workers_of(master)
            samples.append((elapsed, {pid: rss_kb(pid) for pid in pids}))
            print(f"{elapsed:6.0f} s  RSS " + ", ".join(f"{pid}: {kb / 1024:.1f} MiB" for pid, kb in samples[-1][1].items()
                                                      if kb), flush=True)
            time.sleep(min(10, max(0.5, seconds - elapsed + 0.5)))
        out = load.communicate(timeout=60)[0]
        stop.set()
        poller.join(10)
        end_workers = workers_of(master)
    finally:
        server.stop()
    result = parse_wrk(out)
    counted = [(t, s) for t, s in samples if t >= args.warmup]
    first, last = counted[0][1], counted[-1][1]
    growth = {pid: (last[pid] - first[pid]) / first[pid] * 100 for pid in first if pid in last and first[pid]}
    lines = [f"Machine: {machine}.", "",
             f"`python benchmarks/soak.py --minutes {args.minutes:g}` — 2 sync workers, {args.clients} wrk clients each "
             f"pausing {args.pause_ms} ms, cycling GET /question/household, GET /results, POST /api/v1/check.", "",
             "| measure | value |", "|---|---|",
             f"| duration | {seconds} s |",
             f"| requests | {result['requests']} ({result['rps']:.0f} req/s) |",
             f"| latency p50 / p99 | {result['p50']:.1f} / {result['p99']:.1f} ms |",
             f"| errors (socket) / non-2xx | {result['errors']} / {result['non_2xx']} |",
             f"| /healthz polls ok / failed | {health['ok']} / {health['failed']} |",
             f"| workers replaced | {'no' if start_workers == end_workers else f'yes: {start_workers} -> {end_workers}'} |"]
    for pid in first:
        if pid in last:
            lines.append(f"| worker {pid} RSS after {args.warmup} s -> end | {first[pid]} -> "
                         f"{last[pid]} kB ({growth[pid]:+.2f} %) |")
    worst = max(growth.values()) if growth else float("nan")
    lines += ["", f"Largest RSS growth {worst:+.2f} % (target ≤ 5 %). RSS sampled every 10 s from /proc/<pid>/status."]
    if not args.no_report:
        report.update("soak", f"Soak: {args.minutes:g} minutes at steady load", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
