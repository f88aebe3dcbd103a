"""Load benchmark of the production command (gunicorn -c python:webapp.gunicorn_conf, sync
workers) on 127.0.0.1: requests/s and p50 / p99 latency for a question page, a results
page (with the session cookie of a walked journey) and POST /api/v1/check, at 16 and 64
concurrent clients, driven by Debian's wrk (C, so the client takes little of the 2 cores).

    python benchmarks/bench_load.py [--workers 2] [--seconds 10] [--clients 16 64]

Target on the 2-core reference machine: check ≥ 1,400 req/s and p99 ≤ 50 ms at 64 clients.
Writes its section of BENCHMARKS.md. Needs wrk (apt-get install wrk).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))          # this checkout's webapp, not an installed one
sys.path.insert(0, str(HERE.parent / "tests" / "serving"))
sys.path.insert(0, str(HERE))
import report  # noqa: E402
from servers import start_gunicorn  # noqa: E402
from walker import RICH, HttpBrowser, walk  # noqa: E402

CHECK_BODY = json.dumps({"region": "230100", "as_of": "2024-06-01", "answers": {
    "age": 45, "has_certificate": True, "disability_category": "physical", "disability_grade": 2,
    "household": "dibao", "local_hukou": True, "long_term_care_need": True, "employment": "not_working"}})
# The API's rate limit would turn a benchmark into a 429 counter: off for this run.
BENCH_ENV = {"RATELIMIT_ENABLED": "0"}


def lua(requests, delay_ms=0):
    """A wrk script cycling through `requests` [(method, path, headers, body)]."""
    items = ",\n".join(
        "  wrk.format({}, {}, {{{}}}, {})".format(
            json.dumps(method), json.dumps(path),
            ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()),
            json.dumps(body) if body else "nil")
        for method, path, headers, body in requests)
    script = f"local requests = {{\n{items}\n}}\nlocal i = 0\n" \
             "request = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n"
    if delay_ms:
        script += f"delay = function() return {delay_ms} end\n"
    return script


def run_wrk(url, script, clients, seconds, workdir):
    path = Path(workdir) / f"bench-{clients}.lua"
    path.write_text(script)
    out = subprocess.run(["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
                          "--latency", "-s", str(path), url], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    return parse_wrk(out)


def _ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(out):
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", out, re.M))
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(x) for x in socket.groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": _ms(latency["50"]), "p99": _ms(latency["99"]),
            "errors": errors, "non_2xx": int(bad.group(1)) if bad else 0, "raw": out}


def cpu_per_request(cases, n=200):
    """CPU ms each request costs the app in process (Flask test client, no HTTP): unlike
    wall-clock numbers, barely moved by other load on a shared machine."""
    from webapp import create_app
    from walker import FlaskBrowser
    app = create_app({"SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    client = app.test_client()
    walk(FlaskBrowser(client), "230100", RICH)
    out = {}
    for name, [(method, path, headers, body)] in cases.items():
        headers = {k: v for k, v in headers.items() if k != "Cookie"}
        call = lambda: client.open(path, method=method, headers=headers, data=body)  # noqa: E731
        for _ in range(20):
            assert call().status_code == 200
        started = time.process_time()
        for _ in range(n):
            call()
        out[name] = (time.process_time() - started) / n * 1000
    return out


def session_for_results(url):
    """Walk a rich profile's journey over HTTP; its cookie opens the results page."""
    browser = HttpBrowser(url)
    _, asked = walk(browser, "230100", RICH)
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items()), asked


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--no-report", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    machine = report.machine()
    workdir = tempfile.mkdtemp(prefix="bench-load-")
    server = start_gunicorn(workdir, "bench", workers=args.workers, extra_env={**BENCH_ENV, "ACCESS_LOG": ""})
    try:
        cookie, asked = session_for_results(server.url)
        gz = {"Accept-Encoding": "gzip"}
        cases = {
            "question page (GET /question/household)": [("GET", "/question/household", {**gz, "Cookie": cookie}, None)],
            "results page (GET /results, 9 answers)": [("GET", "/results", {**gz, "Cookie": cookie}, None)],
            "POST /api/v1/check": [("POST", "/api/v1/check", {"Content-Type": "application/json"}, CHECK_BODY)],
        }
        rows = []
        for name, requests in cases.items():
            run_wrk(server.url, lua(requests), 4, 2, workdir)     # warm up
            for clients in args.clients:
                result = run_wrk(server.url, lua(requests), clients, args.seconds, workdir)
                rows.append((name, clients, result))
                print(f"{name:<42} c={clients:<3} {result['rps']:>8.0f} req/s  p50 {result['p50']:6.1f} ms  "
                      f"p99 {result['p99']:6.1f} ms  errors {result['errors']}  non-2xx {result['non_2xx']}",
                      flush=True)
        status = HttpBrowser(server.url).request("GET", "/healthz")[0]
    finally:
        server.stop()
    cpu = cpu_per_request(cases)
    lines = [f"Machine: {machine}.", "",
             f"`python benchmarks/bench_load.py` — the production command with {args.workers} sync workers, "
             f"wrk -t2, {args.seconds} s per row, no keep-alive (sync workers close each connection). "
             "Pages are requested with `Accept-Encoding: gzip`; the check without. "
             f"The results page has the {len(asked)} answers of a rich profile (`tests/serving/walker.py` RICH).", "",
             "| request | clients | req/s | p50 ms | p99 ms | errors | non-2xx | app CPU ms/request | ceiling req/s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, clients, r in rows:
        lines.append(f"| {name} | {clients} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} "
                     f"| {r['non_2xx']} | {cpu[name]:.2f} | {(os.cpu_count() or 1) * 1000 / cpu[name]:.0f} |")
    lines += ["", f"/healthz after the run: {status}. Target: the check ≥ 1,400 req/s and p99 ≤ 50 ms at 64 clients.",
              "App CPU ms/request: measured in process (test client, `time.process_time`), so it is the "
              "app's own cost; ceiling = cores / that cost, the req/s an idle machine could reach at best "
              "(less wrk's and the kernel's share). When the load average at the start is well above the "
              "core count, the wall-clock columns measure the other tenants more than the app."]
    if not args.no_report:
        report.update("load", "Load: the production command on 127.0.0.1", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
