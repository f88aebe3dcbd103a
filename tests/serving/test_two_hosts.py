"""deploy/nginx.conf for real: nginx round-robin over two app instances (the production
command twice, different ports, one SECRET_KEY), all on 127.0.0.1. A journey's requests
alternate between the instances and nothing is lost."""
import shutil
import subprocess
import time

import pytest

from servers import nginx_binary, start_gunicorn, start_nginx
from walker import RICH, HttpBrowser, statuses, walk

pytestmark = pytest.mark.serving


def _nginx():
    if nginx_binary() is None and shutil.which("apt-get"):
        # as tests/run.sh does; only when absent
        subprocess.run("apt-get update -qq && apt-get install -y -qq nginx", shell=True,
                       capture_output=True, timeout=300)
    return nginx_binary()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if _nginx() is None:
        pytest.skip("nginx is not installed and apt-get could not install it")
    workdir = tmp_path_factory.mktemp("two-hosts")
    started = []
    try:
        # one worker each: within an instance the kernel picks the worker, across instances nginx does
        for name in ("host-a", "host-b"):
            started.append(start_gunicorn(workdir, name, workers=1))
        started.append(start_nginx(workdir, [f"127.0.0.1:{s.port}" for s in started]))
        yield started
    finally:
        for server in reversed(started):
            server.stop()


def test_a_journey_alternates_between_the_two_hosts_and_loses_nothing(proxy):
    host_a, host_b, nginx = proxy
    t0 = time.monotonic()
    browser = HttpBrowser(nginx.url)
    page, asked = walk(browser, "230100", RICH)
    served = [headers.get("x-served-by", "").split("/")[0] for _, _, _, headers in browser.responses]
    assert set(served) == {"host-a", "host-b"}, served
    # round-robin, one client at a time: each request goes to the other host
    assert all(a != b for a, b in zip(served, served[1:])), served
    assert len(served) > 2 * len(asked)
    results = statuses(page)
    assert results["living_subsidy"] == "eligible" and results["nursing_subsidy"] == "eligible"
    # the same answers straight to one host give the same results: nothing was lost on the way
    direct = HttpBrowser(host_a.url)
    direct_page, direct_asked = walk(direct, "230100", RICH)
    assert direct_asked == asked and statuses(direct_page) == results
    # both instances logged their share
    assert "GET /results" in (host_a.log.parent / "access-host-a.log").read_text() + \
        (host_b.log.parent / "access-host-b.log").read_text()
    assert time.monotonic() - t0 < 30


def test_the_api_and_healthz_through_the_proxy(proxy):
    *_, nginx = proxy
    browser = HttpBrowser(nginx.url)
    hosts = set()
    for _ in range(4):
        status, headers, body = browser.request(
            "POST", "/api/v1/check", '{"region": "230100", "as_of": "2024-06-01", "answers": {"age": 8}}',
            {"Content-Type": "application/json", "Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        hosts.add(headers["x-served-by"].split("/")[0])
    assert hosts == {"host-a", "host-b"}
    for _ in range(2):   # the load balancer's health check reaches each host
        status, headers, body = browser.request("GET", "/healthz")
        assert status == 200 and b'"ok"' in body
