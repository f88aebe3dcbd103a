"""The widget in a real browser (issue 5): a portal page on a second loopback origin embeds it
with the one-line snippet.

Origins: the app is http://127.0.0.1:<A>; the portal is http://localhost:<P> — another port
AND another site, so the frame is a true third-party context (our SameSite cookies would not
reach it: the journey has to work without them). WIDGET_ALLOWED_ORIGINS lists the portal;
http://127.0.0.1:<P> (same server, not listed) plays the portal that may not frame it.
"""
import json
import time

import pytest
from flask import Flask, request

from webapp import create_app

TYPICAL = {"age": "45", "has_certificate": "true", "disability_category": "physical", "disability_grade": "2",
           "household": "dibao", "local_hukou": "true", "long_term_care_need": "true", "employment": "not_working",
           "hukou": "urban", "military_disability": "false", "below_retirement_age": "true", "new_graduate": "false",
           "autism": "false", "motorized_wheelchair": "false"}
WIDGET_TITLE = "残疾人福利资格自查"

PORTAL_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>哈尔滨市政务服务网 – 残疾人服务</title>
<style>body {{ font: 18px/1.6 sans-serif; margin: 0; color: #0b0c0c; }} header, main, footer {{ padding: 0 1rem; }}
.intro {{ min-height: 1400px; }} a {{ color: #1d4f91; }}</style></head>
<body>
<header><p>哈尔滨市政务服务网</p></header>
<main>
<h1>残疾人服务</h1>
<div class="intro"><p>这是门户网站自己的内容。下面是残疾人福利资格自查。</p></div>
<h2>残疾人福利资格自查</h2>
{snippet}
<p>门户网站的其他内容。</p>
</main>
<footer><p>门户页脚</p></footer>
</body></html>"""


def portal_app(app_origin):
    portal = Flask("portal")

    @portal.get("/portal")
    def page():
        attrs = " ".join(f'data-{k}="{v}"' for k, v in request.args.items())
        snippet = (f'<script src="{app_origin}/widget.js" {attrs} async></script>\n'
                   f'<noscript><a href="{app_origin}/">查一查你能享受哪些残疾人福利</a></noscript>')
        return PORTAL_PAGE.format(snippet=snippet)

    @portal.get("/frames")
    def frames():
        """Our pages framed directly, as a portal that skips the snippet would."""
        iframes = "".join(f'<iframe src="{app_origin}{path}" title="框架 {i}" width="600" height="200"></iframe>'
                          for i, path in enumerate(request.args.getlist("path")))
        return PORTAL_PAGE.format(snippet=iframes)

    @portal.get("/forged")
    def forged():
        """A portal page that itself posts a widget-looking message (it must be ignored)."""
        return PORTAL_PAGE.format(snippet=f'<script src="{app_origin}/widget.js" data-region="230100" async></script>'
                                          '<script src="/forger.js"></script>')

    @portal.get("/forger.js")
    def forger():
        return ('setInterval(function () { window.postMessage({type: "dbc-widget", event: "height", height: 7}, "*"); }, 50);',
                200, {"Content-Type": "text/javascript"})

    return portal


@pytest.fixture(scope="module")
def sites(serve):
    """(app origin, allowed portal origin, refused portal origin, app)."""
    portal = serve(None)           # bound first: the allow-list needs its port
    portal_origin = f"http://localhost:{portal.port}"
    app = create_app({"TESTING": True, "SECRET_KEY": "widget-tests", "WIDGET_ALLOWED_ORIGINS": portal_origin})
    server = serve(app)
    app_origin = f"http://127.0.0.1:{server.port}"
    portal.server.app = portal_app(app_origin)
    yield app_origin, portal_origin, f"http://127.0.0.1:{portal.port}", app
    server.stop()
    portal.stop()


@pytest.fixture
def portal_page(context, sites):
    page = context.new_page()
    page.seen_origins = set()
    page.on("request", lambda r: page.seen_origins.add("/".join(r.url.split("/")[:3])))
    return page


def widget_frame(page):
    handle = page.wait_for_selector(".dbc-widget iframe")
    frame = handle.content_frame()
    frame.wait_for_selector("h1")
    return handle, frame


def measure(handle, frame):
    inner = frame.evaluate("""() => { const s = document.scrollingElement;
        return [Math.ceil(document.documentElement.getBoundingClientRect().height),
                s.scrollHeight, s.clientHeight, s.scrollWidth, s.clientWidth]; }""")
    return inner, handle.evaluate("el => el.getBoundingClientRect().height")


def fits(inner, outer):
    height, scroll_h, client_h, scroll_w, client_w = inner
    return abs(height - outer) <= 1 and scroll_h <= client_h and scroll_w <= client_w


def assert_fits(page, handle, frame, timeout=5.0):
    """The iframe is exactly as tall as the document inside it, which has nothing to scroll
    (no inner scrollbar either way). Returns that height. Waits for the protocol to catch up.
    Chromium defers resizing an off-screen cross-origin frame's viewport, so look at it first."""
    handle.scroll_into_view_if_needed()
    deadline = time.monotonic() + timeout
    inner, outer = measure(handle, frame)
    while not fits(inner, outer) and time.monotonic() < deadline:
        time.sleep(0.05)
        inner, outer = measure(handle, frame)
    assert fits(inner, outer), (inner, outer)
    return inner[0]


def assert_step(page, handle, frame, focus="h1"):
    """After a step: the portal scrolled the widget's top into view, focus is on the new page's
    heading (or error summary) inside the frame, and the frame fits its new content."""
    frame.wait_for_load_state()
    deadline = time.monotonic() + 5
    while True:
        # at its top, or as near as the portal page can scroll (it may end soon after the widget)
        top, bottom_reached = handle.evaluate("""el => [el.getBoundingClientRect().top,
            Math.ceil(window.scrollY) >= document.scrollingElement.scrollHeight - window.innerHeight]""")
        in_view = abs(top) <= 2 or (bottom_reached and 0 <= top < page.viewport_size["height"] / 2)
        active = frame.evaluate("""() => { const el = document.activeElement;
            return el.matches('.error-summary') ? 'error-summary' : el.tagName.toLowerCase(); }""")
        if (in_view and active == focus) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert in_view, f"the widget's top is at {top}px, not scrolled into view"
    assert active == focus
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"     # focus is inside the widget
    assert_fits(page, handle, frame)


def act(frame, locator):
    """Click something in the frame that loads a new page, and wait for that page."""
    with frame.expect_navigation():
        locator.click()
    frame.wait_for_load_state()


def answer(frame, fact, value):
    if frame.locator(f'input[type="text"][name="{fact}"]').count():
        frame.fill(f'input[name="{fact}"]', value)
    else:
        frame.check(f'input[name="{fact}"][value="{value}"]')
    act(frame, frame.get_by_role("button", name="继续"))


def current_question(frame):
    action = frame.get_attribute("main form", "action") or ""
    return action.rsplit("/question/", 1)[1].split("?")[0] if "/question/" in action else None


def api_statuses(page, app_origin, region, answers):
    response = page.request.post(app_origin + "/api/v1/check", data=json.dumps({"region": region, "answers": answers}),
                                 headers={"Content-Type": "application/json"})
    return {r["benefit"]: r["status"] for r in response.json()["results"]}


def test_a_portal_embeds_the_widget_for_a_whole_journey(portal_page, sites, context):
    app_origin, portal, _, _ = sites
    page = portal_page
    page.goto(f"{portal}/portal?region=230100&lang=zh-CN")
    handle, frame = widget_frame(page)
    assert handle.get_attribute("title") == WIDGET_TITLE
    assert frame.url.startswith(app_origin + "/embed/frame")
    time.sleep(0.3)
    # the first load does not take focus or scroll the portal
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    assert page.evaluate("window.scrollY") == 0
    first_height = assert_fits(page, handle, frame)

    act(frame, frame.get_by_role("button", name="开始"))
    assert_step(page, handle, frame)
    heights = {first_height}
    asked = []
    while (fact := current_question(frame)) is not None:
        if not asked:       # one wrong turn: nothing chosen, so the error summary takes focus
            act(frame, frame.get_by_role("button", name="继续"))
            assert_step(page, handle, frame, focus="error-summary")
            assert frame.title().startswith("错误：")
        asked.append(fact)
        answer(frame, fact, TYPICAL.get(fact, "unknown"))
        assert_step(page, handle, frame)
        heights.add(assert_fits(page, handle, frame))
        assert len(asked) < 25
    assert frame.locator("h1").inner_text() == "检查你的回答"
    act(frame, frame.get_by_role("button", name="查看结果"))
    assert_step(page, handle, frame)
    heights.add(assert_fits(page, handle, frame))
    assert len(heights) >= 3              # the frame followed pages of different heights

    shown = {el.get_attribute("data-benefit"): el.get_attribute("data-status")
             for el in frame.locator("[data-benefit]").all()}
    answers = {f: (int(v) if v.isdigit() else v == "true" if v in ("true", "false") else v)
               for f, v in TYPICAL.items() if f in asked}
    assert shown == api_statuses(page, app_origin, "230100", answers)
    assert shown["living_subsidy"] == "eligible"

    # a link inside the frame (修改回答) keeps the answers: it posts them, there is no cookie
    act(frame, frame.get_by_text("修改回答"))
    assert_step(page, handle, frame)
    assert frame.locator("h1").inner_text() == "检查你的回答"
    assert frame.locator(".summary-list__row").count() == len(asked) + 1
    # nothing from any other origin, and no cookie set anywhere
    assert page.seen_origins <= {portal, app_origin}
    assert context.cookies() == []


def test_the_height_follows_content_that_changes_without_a_new_step(portal_page, sites):
    _, portal, _, _ = sites
    page = portal_page
    page.goto(f"{portal}/portal?region=230100")
    handle, frame = widget_frame(page)
    wide = assert_fits(page, handle, frame)
    page.set_viewport_size({"width": 320, "height": 800})        # the text reflows: taller
    deadline = time.monotonic() + 5
    while assert_fits(page, handle, frame) <= wide and time.monotonic() < deadline:
        time.sleep(0.05)
    narrow = assert_fits(page, handle, frame)
    assert narrow > wide
    page.set_viewport_size({"width": 1280, "height": 900})       # and shrinks back
    deadline = time.monotonic() + 5
    while assert_fits(page, handle, frame) >= narrow and time.monotonic() < deadline:
        time.sleep(0.05)
    assert assert_fits(page, handle, frame) < narrow
    act(frame, frame.get_by_role("button", name="大字版（长辈版）"))         # a switch inside the frame
    assert_step(page, handle, frame)
    assert "text-large" in frame.get_attribute("html", "class")
    assert assert_fits(page, handle, frame) > wide


def test_options_set_language_theme_and_title(portal_page, sites, axe):
    _, portal, _, _ = sites
    page = portal_page
    page.goto(f"{portal}/portal?region=330100&lang=en&theme=large%20contrast&title=Benefit%20checker")
    handle, frame = widget_frame(page)
    assert handle.get_attribute("title") == "Benefit checker"
    assert handle.get_attribute("lang") == "en"
    assert frame.get_attribute("html", "lang") == "en"
    assert frame.get_attribute("html", "class").split() == ["embed-html", "text-large", "theme-contrast"]
    assert_fits(page, handle, frame)
    assert axe(frame) == []


def test_a_portal_not_on_the_list_cannot_frame_the_widget(context, sites):
    _, _, refused, _ = sites
    page = context.new_page()
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(f"{refused}/portal?region=230100")
    # the browser blocks the frame; the widget gives up on it and offers a plain link instead
    link = page.wait_for_selector(".dbc-widget-fallback", timeout=15_000)
    assert link.get_attribute("href").startswith("http://127.0.0.1:")
    assert page.locator(".dbc-widget iframe").count() == 0
    assert refusals, "Chromium did not report the frame-ancestors refusal"


def test_pages_other_than_the_embed_pages_cannot_be_framed_at_all(context, sites):
    app_origin, portal, _, _ = sites
    page = context.new_page()
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors 'none'" in m.text else None)
    paths = ["/", "/embed", "/region", "/results", "/kiosk", "/accessibility"]
    page.goto(f"{portal}/frames?" + "&".join(f"path={p}" for p in paths + ["/embed/frame"]))
    page.wait_for_load_state("load")
    frames = [f for f in page.frames if f is not page.main_frame]
    assert len(frames) == len(paths) + 1
    loaded = []
    for frame in frames:
        try:
            href = frame.evaluate("location.href")     # a blocked frame shows Chromium's error page
            loaded.append(href[len(app_origin):].split("?")[0] if href.startswith(app_origin) else None)
        except Exception:       # a blocked frame is an error page we may not script
            loaded.append(None)
    assert loaded.count(None) == len(paths), loaded
    assert loaded[-1].startswith("/embed/frame")   # the control: the embed page itself does load here
    assert len(refusals) >= len(paths)


def test_messages_from_anyone_but_the_widget_frame_are_ignored(context, sites):
    _, portal, _, _ = sites
    page = context.new_page()
    page.goto(f"{portal}/forged")
    handle, frame = widget_frame(page)
    time.sleep(0.3)     # several forged messages have been posted by now
    assert handle.evaluate("el => el.getBoundingClientRect().height") > 100
    assert_fits(page, handle, frame)


def test_axe_inside_the_frame_and_on_the_portal(portal_page, sites, axe):
    _, portal, _, _ = sites
    page = portal_page
    page.goto(f"{portal}/portal?region=230100")
    handle, frame = widget_frame(page)
    problems = {"portal": axe_host(page), "start": axe(frame)}
    act(frame, frame.get_by_role("button", name="开始"))
    frame.wait_for_load_state()
    problems["question"] = axe(frame)
    act(frame, frame.get_by_role("button", name="继续"))
    frame.wait_for_load_state()
    problems["error"] = axe(frame)
    while (fact := current_question(frame)) is not None:
        answer(frame, fact, TYPICAL.get(fact, "unknown"))
        frame.wait_for_load_state()
    problems["check answers"] = axe(frame)
    act(frame, frame.get_by_role("button", name="查看结果"))
    frame.wait_for_load_state()
    problems["results"] = axe(frame)
    problems["portal with results"] = axe_host(page)
    page.set_viewport_size({"width": 320, "height": 800})
    problems["results at 320 px"] = axe(frame)
    assert {k: v for k, v in problems.items() if v} == {}


def axe_host(page):
    """axe on the portal page as its own document (the frame is another origin: not descended into)."""
    from axe_playwright_python.sync_playwright import Axe
    page.evaluate(Axe().axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations'], iframes: false})")
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]


def test_with_javascript_off_the_portal_shows_a_plain_link(browser, sites):
    app_origin, portal, _, _ = sites
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal}/portal?region=230100")
    link = page.get_by_role("link", name="查一查你能享受哪些残疾人福利")
    assert link.get_attribute("href") == app_origin + "/"
    assert page.locator("iframe").count() == 0
    link.click()
    page.wait_for_load_state()
    assert page.url == app_origin + "/" and page.locator("h1").count() == 1
    context.close()


def test_the_embed_page_has_a_live_preview(context, sites, axe):
    app_origin, _, _, _ = sites
    page = context.new_page()
    page.goto(app_origin + "/embed")
    handle, frame = widget_frame(page)
    assert handle.get_attribute("title") == WIDGET_TITLE
    assert_fits(page, handle, frame)
    act(frame, frame.get_by_role("button", name="开始"))
    assert_step(page, handle, frame)
    assert axe_host(page) == [] and axe(frame) == []


def test_browser_back_and_forward_inside_the_widget_keep_the_answers(portal_page, sites):
    """Frame pages are form results: without embed-frame.js's resume step, Back would show
    Chromium's "confirm form resubmission" page. With it, Back and Forward show the earlier
    and later steps with the newest answers, add no history entries, and respect a clear."""
    _, portal, _, _ = sites
    page = portal_page
    page.goto(f"{portal}/portal?region=230100")
    handle, frame = widget_frame(page)
    act(frame, frame.get_by_role("button", name="开始"))
    asked = []
    for _ in range(3):
        asked.append(current_question(frame))
        answer(frame, asked[-1], TYPICAL[asked[-1]])
    length = page.evaluate("history.length")

    def travel(how, expected_fact):
        page.evaluate(f"history.{how}()")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            frame = handle.content_frame()
            try:
                if current_question(frame) == expected_fact and frame.evaluate("document.readyState") == "complete":
                    return frame
            except Exception:       # between documents
                pass
            time.sleep(0.05)
        raise AssertionError(f"history.{how}() did not show {expected_fact}")

    for how, fact in (("back", asked[2]), ("back", asked[1]), ("forward", asked[2])):
        frame = travel(how, fact)
        shown = frame.evaluate("""() => [...document.querySelectorAll('main input:checked, main input[type=text]')]
                                  .map(e => e.value)""")
        if fact != asked[2]:
            assert shown == [TYPICAL[fact]], (fact, shown)      # answered later, still there
        assert frame.locator("h1").count() == 1
    assert page.evaluate("history.length") == length
    # 结束并清除, then Back: the earlier step's page comes back with no answer at all, so the
    # journey asks where the person lives again (the portal's preset applies only to 开始)
    act(frame, frame.get_by_role("button", name="结束并清除"))
    page.evaluate("history.back()")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        frame = handle.content_frame()
        try:
            if frame.evaluate("document.readyState") == "complete" and frame.locator("input[name=region]").count():
                break
        except Exception:
            pass
        time.sleep(0.05)
    assert frame.locator("input[name=region]").count() and frame.locator("input:checked").count() == 0
