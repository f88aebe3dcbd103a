"""The production command for real: gunicorn, two sync workers, on 127.0.0.1."""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from servers import ROOT, start_gunicorn
from walker import HttpBrowser, statuses, walk

pytestmark = pytest.mark.serving


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = start_gunicorn(tmp_path_factory.mktemp("gunicorn"), "a", workers=2)
    yield started
    started.stop()


def journey(url):
    browser = HttpBrowser(url)
    page, asked = walk(browser, "230100")
    workers = {headers.get("x-served-by") for _, _, _, headers in browser.responses}
    return statuses(page), asked, workers, [status for _, _, status, _ in browser.responses]


def test_two_workers_with_a_shared_key_lose_nothing(server):
    # Eight people at once, so both workers take requests; every journey must still end in
    # the same results, whichever worker served each of its steps.
    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(journey, [server.url] * 16))
    expected = done[0][0]
    assert expected["living_subsidy"] == "eligible" and expected["nursing_subsidy"] == "eligible"
    for results, asked, _, codes in done:
        assert results == expected and asked == done[0][1]
        assert all(code in (200, 303) for code in codes), codes
    seen = set().union(*(workers for *_, workers, _ in done))
    assert len(seen) == 2, f"both workers should have served: {seen}"
    crossed = [workers for *_, workers, _ in done if len(workers) == 2]
    assert crossed, "no journey moved between the two workers"


def test_healthz_and_compression_through_gunicorn(server):
    browser = HttpBrowser(server.url)
    status, headers, body = browser.request("GET", "/healthz")
    assert status == 200 and b'"ok":true' in body.replace(b" ", b"")
    status, headers, _ = browser.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    # production settings: the session cookie is Secure
    status, headers, _ = HttpBrowser(server.url).request("GET", "/")   # a new visitor: a new session cookie
    assert status == 200 and "secure" in headers["set-cookie"].lower()


def test_the_production_command_refuses_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"BIND": "127.0.0.1:0", "PYTHONPATH": str(ROOT)})
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "python:webapp.gunicorn_conf"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bare_gunicorn_without_the_config_refuses_too(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "/dev/null", "-w", "1", "-b", "127.0.0.1:0",
                             "webapp:create_app()"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_preload_each_worker_rebuilds_its_engine_after_the_fork(tmp_path):
    # --preload creates the app (and a durable-rules engine) in the master before forking;
    # webapp/engine.py must give each worker its own instead of sharing C state.
    server = start_gunicorn(tmp_path, "preload", workers=2, extra_env={"GUNICORN_CMD_ARGS": "--preload", "LOG_LEVEL": "debug"})
    try:
        assert "preload_app: True" in server.log_text()
        with ThreadPoolExecutor(6) as pool:
            done = list(pool.map(journey, [server.url] * 8))
        assert len({r["living_subsidy"] for r, *_ in done}) == 1 and done[0][0]["living_subsidy"] == "eligible"
        assert len(set().union(*(workers for *_, workers, _ in done))) == 2
        for _ in range(4):
            status, _, body = HttpBrowser(server.url).request("GET", "/healthz")
            assert status == 200 and b'"ok":true' in body.replace(b" ", b"")
    finally:
        server.stop()
