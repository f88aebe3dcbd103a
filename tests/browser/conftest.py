"""Shared browser fixtures: the app on a loopback port, Debian's Chromium driven by
Playwright (browser downloads are blocked here), and axe-core from the
axe-playwright-python wheel with its Chinese messages.

axe-locale-zh_CN.json is axe-core 4.12.1's locales/zh_CN.json (MPL-2.0), the same version
as the axe.min.js inside the wheel.
"""
import json
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
AXE_LOCALE = json.loads((Path(__file__).parent / "axe-locale-zh_CN.json").read_text(encoding="utf-8"))


class LiveServer:
    """A WSGI app served from a thread on 127.0.0.1 (a free port), stopped at teardown."""

    def __init__(self, app, port=0):
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve():
    """Start any WSGI app (or None, to bind a port before the app exists) on loopback."""
    return LiveServer


@pytest.fixture(scope="session")
def live_app():
    from webapp import create_app
    return create_app({"TESTING": True, "SECRET_KEY": "browser-tests", "KIOSK_IDLE_SECONDS": 120})


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def axe_violations(page, context=None):
    """axe-core violations on the current page, with Chinese messages; [] when clean."""
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    page.evaluate(axe.axe_script)
    page.evaluate("locale => axe.configure({locale})", AXE_LOCALE)
    results = page.evaluate("([ctx, opts]) => axe.run(ctx || document, opts)",
                            [context, {"resultTypes": ["violations"]}])
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]]


@pytest.fixture
def axe():
    return axe_violations
