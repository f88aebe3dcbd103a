"""Kiosk mode in a real browser (Debian Chromium): the idle warning and wipe (Playwright's
clock, so no waiting), two people in a row, axe and measured targets in portrait and
landscape, keyboard only, read aloud (speechSynthesis recorded by a stub), the number pad
and the printed slip."""
import re

import pytest
from flask.sessions import SecureCookieSessionInterface

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
IDLE_MS = 120_000        # the live app's KIOSK_IDLE_SECONDS (the default)
WARNING_MS = 30_000      # KIOSK_WARNING_SECONDS (the default)

FIRST = {"age": "45", "has_certificate": "true", "disability_category": "physical", "disability_grade": "1",
         "household": "dibao", "local_hukou": "true", "long_term_care_need": "true", "hukou": "urban",
         "employment": "not_working", "new_graduate": "false", "military_disability": "false",
         "below_retirement_age": "true", "motorized_wheelchair": "false", "autism": "false"}
SECOND = {"age": "7", "has_certificate": "false", "disability_category": "intellectual", "disability_grade": "unknown",
          "household": "none", "local_hukou": "true", "autism": "true", "hukou": "rural"}

# Records what the page asks the speech engine to say; the test decides when speech "ends".
SPEECH_STUB = """
(() => {
  const synth = {
    speaking: false, paused: false, pending: false, queue: [],
    speak(u) { window.__spoken.push(u.text); this.queue.push(u); this.speaking = true; },
    cancel() { this.queue = []; this.speaking = false; this.paused = false; window.__cancelled += 1; },
    pause() { this.paused = true; },
    resume() { this.paused = false; },
    getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  window.__spoken = []; window.__cancelled = 0;
  window.__finishSpeech = () => {
    const done = synth.queue; synth.queue = []; synth.speaking = false;
    done.forEach(u => u.onend && u.onend());
  };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => synth });
})();
"""
NO_SPEECH = "Object.defineProperty(window, 'speechSynthesis', {configurable: true, get: () => undefined});"

# Every control a finger could need, with its rendered box.
SMALL_TARGETS = """
() => Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(el => !el.closest('[hidden], template') && getComputedStyle(el).visibility !== 'hidden'
                && getComputedStyle(el).display !== 'none' && el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect();
               return {w: Math.round(r.width), h: Math.round(r.height), el: el.outerHTML.slice(0, 90)}; })
  .filter(t => t.w < 60 || t.h < 60)
"""
# Every piece of visible text in the page, with its font size.
SMALL_TEXT = """
() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('[hidden], template, script, .visually-hidden')) continue;
    if (!el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 24) small.push(size + 'px: ' + node.textContent.trim().slice(0, 30));
  }
  return small;
}
"""


@pytest.fixture
def kiosk_page(browser):
    context = browser.new_context(viewport=PORTRAIT, locale="zh-CN")
    context.set_default_timeout(10_000)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    yield page
    context.close()


# The start page after a wipe: the desk's defaults travel in its address (kiosk/__init__.py).
CLEARED = re.compile(r"/kiosk/\?(?:.*&)?cleared=1$")


def session_of(app, context):
    cookie = next((c for c in context.cookies() if c["name"] == "session"), None)
    if cookie is None:
        return {}
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie["value"])


def start(page, base, region="230100"):
    page.goto(f"{base}/kiosk?region={region}")
    page.get_by_role("button", name="开始").click()
    page.get_by_role("button", name="继续").click()      # the desk's region is preselected
    page.wait_for_load_state()


def answer(page, fact, value):
    """Answer the question on screen with taps: the number pad for a number, else a choice."""
    if page.locator(f'input[type="text"][name="{fact}"]').count():
        if value == "unknown":
            page.get_by_role("button", name="我不知道").click()
            return
        for digit in value:
            page.locator(f'.kiosk-numpad button[data-key="{digit}"]').click()
        assert page.input_value(f'input[name="{fact}"]') == value
    else:
        page.locator(f'input[name="{fact}"][value="{value}"]').click()      # a tap on the option
    page.get_by_role("button", name="继续").click()


def answer_all(page, values):
    asked = []
    while "/question/" in page.url:
        fact = page.url.rsplit("/", 1)[1].split("?")[0]
        asked.append(fact)
        answer(page, fact, values.get(fact, "unknown"))
    assert page.url.endswith("/kiosk/check-answers"), page.url
    page.wait_for_load_state()        # kiosk.js running before anyone moves Playwright's clock
    return asked


def focused(page):
    return page.evaluate("() => document.activeElement && (document.activeElement.id || document.activeElement.name)")


# ---------------------------------------------------------------- idle timeout

def test_idle_warning_is_announced_and_continue_restores_state_and_focus(kiosk_page, live_server):
    page = kiosk_page
    page.clock.install()
    start(page, live_server.url)
    assert page.url.endswith("/kiosk/question/has_certificate")
    page.click("#has_certificate")                                   # chosen, not yet submitted
    page.focus("#has_certificate")
    dialog = page.get_by_role("alertdialog", name="你还在吗？")

    page.clock.run_for(IDLE_MS - 2_000)
    assert not dialog.is_visible()
    page.clock.run_for(3_000)
    assert dialog.is_visible()
    assert focused(page) == "kiosk-idle-continue"
    assert page.get_attribute("#kiosk-idle-dialog", "aria-modal") == "true"
    assert "为保护你的信息" in page.text_content("#kiosk-idle-text")
    assert page.text_content("#kiosk-idle-live") == "还剩 30 秒，点“继续”接着填写"   # announced politely
    page.clock.run_for(10_000)
    assert page.text_content("#kiosk-idle-seconds") in ("19", "20")      # the visible count, every second
    assert page.text_content("#kiosk-idle-live") == "还剩 20 秒，点“继续”接着填写"   # announced every 10 s
    assert any("你还在吗" in s for s in page.evaluate("window.__spoken")) is False, "speech is off"

    dialog.get_by_role("button", name="继续").click()
    assert not dialog.is_visible()
    assert page.url.endswith("/kiosk/question/has_certificate"), "same page, not reloaded"
    assert page.is_checked("#has_certificate"), "the unsent choice is still there"
    assert focused(page) == "has_certificate"

    # One simple action extends it as often as needed (WCAG 2.2.1 asks for at least ten).
    for _ in range(11):
        page.clock.run_for(IDLE_MS + 1_000)
        assert dialog.is_visible()
        page.keyboard.press("Escape" if _ % 2 else "Enter")
        assert not dialog.is_visible()
    assert page.is_checked("#has_certificate") and focused(page) == "has_certificate"
    page.get_by_role("button", name="继续").click()
    page.wait_for_url("**/kiosk/question/age")                       # the answer was sent


def test_activity_postpones_the_warning(kiosk_page, live_server):
    page = kiosk_page
    page.clock.install()
    start(page, live_server.url)
    for _ in range(3):
        page.clock.run_for(IDLE_MS - 10_000)
        page.mouse.click(5, 600)                                     # a tap anywhere
    assert not page.get_by_role("alertdialog").is_visible()
    page.clock.run_for(IDLE_MS + 1_000)
    assert page.get_by_role("alertdialog").is_visible()


def test_expiry_wipes_everything(kiosk_page, live_server, live_app):
    page = kiosk_page
    page.clock.install()
    start(page, live_server.url, "231081")
    answer_all(page, FIRST)
    page.evaluate("() => { sessionStorage.setItem('probe', '1'); localStorage.setItem('probe', '1'); }")
    assert "45" in page.text_content("main")
    assert session_of(live_app, page.context)["answers"]["age"] == 45
    wipes = []
    page.on("response", lambda r: wipes.append(r) if r.url.endswith("/kiosk/end") else None)

    page.clock.run_for(IDLE_MS + 1_000)
    assert page.get_by_role("alertdialog").is_visible()
    with page.expect_navigation(url=CLEARED):
        page.clock.run_for(WARNING_MS + 1_000)

    assert wipes and wipes[0].request.method == "POST"
    headers = wipes[0].all_headers()
    assert headers["clear-site-data"] == '"cache", "cookies", "storage"'
    assert headers["cache-control"] == "no-store"
    # The server-side state (the signed session) is gone; the desk's defaults are back.
    state = session_of(live_app, page.context)
    assert "answers" not in state and "order" not in state
    assert page.get_attribute("#kiosk-end-form input[name=desk_region]", "value") == "231081"
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0
    # The start page, in the desk's default language, saying the answers were deleted.
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.get_by_role("button", name="开始").is_visible()
    assert "你的回答已全部清除" in page.text_content("main")
    # The pristine start page has nothing to protect: no warning, however long it waits…
    page.clock.run_for(3 * (IDLE_MS + WARNING_MS))
    assert not page.get_by_role("alertdialog").is_visible()
    # …until the next person touches it.
    page.mouse.click(5, 600)
    page.clock.run_for(IDLE_MS + 1_000)
    assert page.get_by_role("alertdialog").is_visible()
    page.keyboard.press("Escape")
    # Back shows nothing of the previous person.
    page.go_back()
    page.wait_for_load_state()
    assert "45" not in page.text_content("main") and "低保家庭" not in page.text_content("main")
    page.go_back()
    page.wait_for_load_state()
    assert "45" not in (page.text_content("main") or "")
    assert not page.locator("input:checked").count() or page.url.endswith("/kiosk/")


# ---------------------------------------------------------------- two people in a row

def test_second_person_sees_nothing_of_the_first(kiosk_page, live_server, live_app):
    page = kiosk_page
    base = live_server.url
    # The first person: read aloud on, desk-worker assist, extra-large text, English.
    start(page, base, "230100")
    page.click("#kiosk-speech-toggle")
    page.click("#kiosk-assist-toggle")
    page.click("#kiosk-size-toggle")
    page.click("button[lang='en']")
    assert page.get_attribute("html", "lang") == "en"
    answer_first = {**FIRST}
    while "/question/" in page.url:
        fact = page.url.rsplit("/", 1)[1].split("?")[0]
        if page.locator(f'input[type="text"][name="{fact}"]').count():
            for digit in answer_first[fact]:
                page.locator(f'.kiosk-numpad button[data-key="{digit}"]').click()
        else:
            page.check(f'input[name="{fact}"][value="{answer_first.get(fact, "unknown")}"]')
        page.click("main button[type=submit]:not([value='unknown'])")
    page.click("main form button[type=submit]")
    assert page.url.endswith("/kiosk/results")
    first_results = {el.get_attribute("data-benefit"): el.get_attribute("data-status")
                     for el in page.locator("[data-benefit]").all()}
    page.click("#kiosk-end")
    page.wait_for_url(CLEARED)

    # The second person, same browser: defaults everywhere, and none of the first's answers.
    assert page.get_attribute("html", "lang") == "zh-CN"
    for switch in ("#kiosk-speech-toggle", "#kiosk-assist-toggle", "#kiosk-size-toggle", "#kiosk-theme-toggle"):
        assert page.get_attribute(switch, "aria-pressed") == "false", switch
    assert page.get_attribute("body", "data-kiosk-speech") == "off"
    assert "kiosk-size-larger" not in page.get_attribute("html", "class")
    cookies = {c["name"] for c in page.context.cookies()}
    assert cookies <= {"session"}
    assert page.is_checked('input[name="helping"][value="self"]')
    page.get_by_role("button", name="开始").click()
    page.get_by_role("button", name="继续").click()
    seen_first = []
    while "/question/" in page.url:
        fact = page.url.rsplit("/", 1)[1].split("?")[0]
        assert page.locator("main input:checked").count() == 0, f"{fact} is preselected"
        if page.locator(f'input[type="text"][name="{fact}"]').count():
            assert page.input_value(f'input[name="{fact}"]') == ""
        assert "他（她）" not in page.text_content("h1"), "first person's assist wording"
        seen_first.append(fact)
        answer(page, fact, SECOND.get(fact, "unknown"))
    summary = page.text_content("main")
    assert "45" not in summary and "低保家庭" not in summary and "肢体残疾" not in summary
    state = session_of(live_app, page.context)
    assert state["answers"].get("age") == 7 and "kiosk" in state and not state["kiosk"].get("speech")
    page.get_by_role("button", name="查看结果").click()
    second_results = {el.get_attribute("data-benefit"): el.get_attribute("data-status")
                      for el in page.locator("[data-benefit]").all()}
    assert second_results != first_results
    assert second_results.get("child_rehab") in ("eligible", "undetermined")


# ---------------------------------------------------------------- axe and measured targets

def kiosk_states(page, base):
    """Visit every kiosk page and state; yields a name for each, with the page showing it."""
    page.goto(f"{base}/kiosk?region=230100&cleared=1")
    yield "start (answers cleared)"
    page.get_by_role("button", name="开始").click()
    yield "region"
    page.get_by_role("button", name="继续").click()
    yield "radio question"
    page.get_by_role("button", name="继续").click()
    yield "radio question, error"
    page.goto(f"{base}/kiosk/region?within=000000")
    yield "region by province"
    page.goto(f"{base}/kiosk/question/age")
    yield "age with number pad"
    page.get_by_role("button", name="继续").click()
    yield "age, error"
    page.goto(f"{base}/kiosk/region")
    page.get_by_role("button", name="继续").click()
    answer_all(page, FIRST)
    yield "check answers"
    page.get_by_role("button", name="查看结果").click()
    yield "results"
    page.get_by_role("link", name="打印结果单").click()
    yield "result slip"
    page.goto(f"{base}/kiosk/results")
    page.clock.run_for(IDLE_MS + 1_000)
    assert page.get_by_role("alertdialog", name="你还在吗？").is_visible()
    yield "idle warning open"
    page.keyboard.press("Enter")
    page.click("#kiosk-speech-toggle")
    yield "read aloud on"
    page.click("#kiosk-assist-toggle")
    page.goto(f"{base}/kiosk/question/household")
    yield "assist mode question"
    page.click("#kiosk-size-toggle")
    page.click("#kiosk-theme-toggle")
    yield "extra-large, high contrast"
    page.click("#kiosk-theme-toggle")
    page.click("button[lang='en']")
    page.goto(f"{base}/kiosk/results")
    yield "results in English"
    page.goto(f"{base}/catalogue/230100/living_subsidy+nursing_subsidy")
    yield "public catalogue (QR target)"


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait-1080x1920", "landscape-1920x1080"])
def test_axe_and_targets_on_every_kiosk_page(browser, live_server, axe, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(10_000)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.clock.install()
    problems, visited = {}, []
    for state in kiosk_states(page, live_server.url):
        visited.append(state)
        found = axe(page)
        if state.startswith("public catalogue"):
            if found:
                problems[state] = found
            continue
        small = page.evaluate(SMALL_TARGETS)
        tiny_text = page.evaluate(SMALL_TEXT)
        if found or small or tiny_text:
            problems[state] = {"axe": found, "targets < 60 px": small, "text < 24 px": tiny_text}
    context.close()
    assert len(visited) == 16
    assert problems == {}


# ---------------------------------------------------------------- keyboard only

def test_keyboard_only_journey_and_wipe(kiosk_page, live_server):
    page = kiosk_page
    kb = page.keyboard
    page.goto(live_server.url + "/kiosk?region=230100")

    def tab_to(selector, limit=60):
        for _ in range(limit):
            kb.press("Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"keyboard focus never reached {selector}")

    kb.press("Tab")
    assert focused(page) == "kiosk-speech-toggle", "read aloud is the first control"
    tab_to("main button[type=submit]")           # 开始
    kb.press("Enter")
    page.wait_for_url("**/kiosk/region")
    tab_to("main button[type=submit]")
    kb.press("Enter")                             # the desk's region, preselected
    page.wait_for_url("**/question/**")
    for _ in range(20):
        if "/question/" not in page.url:
            break
        fact = page.url.rsplit("/", 1)[1]
        value = FIRST.get(fact, "unknown")
        if fact == "age":
            for digit in value:
                tab_to(f'.kiosk-numpad button[data-key="{digit}"]')
                kb.press("Enter")
            assert page.input_value("#age") == value
        else:
            tab_to(f'input[name="{fact}"]')
            for _ in range(12):
                if page.evaluate("v => document.activeElement.value === v", value):
                    break
                kb.press("ArrowDown")
            kb.press("Space")
            assert page.is_checked(f'input[name="{fact}"][value="{value}"]')
        tab_to("main button[type=submit]:not([value='unknown'])")
        url = page.url
        kb.press("Enter")
        page.wait_for_function("u => location.href !== u", arg=url)
    assert page.url.endswith("/kiosk/check-answers")
    tab_to("main form button[type=submit]")
    kb.press("Enter")
    page.wait_for_url("**/kiosk/results")
    tab_to("a[href$='/kiosk/slip']")
    kb.press("Enter")
    page.wait_for_url("**/kiosk/slip")
    tab_to("#kiosk-end")
    kb.press("Enter")
    page.wait_for_url(CLEARED)
    assert "你的回答已全部清除" in page.text_content("main")


# ---------------------------------------------------------------- read aloud

def spoken(page):
    return page.evaluate("window.__spoken")


def test_speech_switch_is_reachable_without_sight_and_reads_the_page(kiosk_page, live_server):
    page = kiosk_page
    page.goto(live_server.url + "/kiosk?region=230100")
    toggle = page.get_by_role("button", name="朗读")
    assert toggle.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Tab")
    assert focused(page) == "kiosk-speech-toggle"
    # While off, landing on the switch says what it is and how to turn it on.
    assert any("朗读" in s and "开启朗读" in s for s in spoken(page)), spoken(page)
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => document.getElementById('kiosk-status').textContent === '朗读已开启'")
    said = " ".join(spoken(page))
    assert "看看你能享受哪些残疾人福利" in said and "大约需要5分钟" in said
    assert page.is_visible("#kiosk-speech-repeat") and page.is_visible("#kiosk-speech-pause")

    # The switch is remembered on the next pages, which read themselves: question, hint, options.
    page.get_by_role("button", name="开始").click()
    page.get_by_role("button", name="继续").click()
    page.wait_for_function("() => window.__spoken.some(s => s.includes('你有残疾人证吗'))")
    said = " ".join(spoken(page))
    assert "电子证也算" in said and "我不知道" in said and "未选" in said

    # Choosing an option says it; speech is interrupted by the person's action.
    cancelled = page.evaluate("window.__cancelled")
    page.click("#has_certificate")
    assert page.evaluate("window.__cancelled") > cancelled
    assert any(s.startswith("是。已选") for s in spoken(page)), spoken(page)[-3:]

    # Repeat reads the page again; pause and resume.
    page.evaluate("window.__spoken.length = 0")
    page.click("#kiosk-speech-repeat")
    assert any("你有残疾人证吗" in s for s in spoken(page))
    page.click("#kiosk-speech-pause")
    assert page.get_attribute("#kiosk-speech-pause", "aria-pressed") == "true"
    assert page.evaluate("speechSynthesis.paused") is True
    assert page.text_content("#kiosk-speech-pause") == "接着读"
    page.click("#kiosk-speech-pause")
    assert page.evaluate("speechSynthesis.paused") is False

    # Reading a long result is not being idle; the warning is read aloud too.
    page.clock.install()
    page.reload()
    page.clock.run_for(IDLE_MS + 5_000)
    assert not page.get_by_role("alertdialog").is_visible(), "still speaking"
    page.evaluate("window.__finishSpeech()")
    page.clock.run_for(IDLE_MS + 1_000)
    assert page.get_by_role("alertdialog").is_visible()
    assert any("你还在吗" in s for s in spoken(page))

    # Off again: nothing more is said.
    page.keyboard.press("Enter")
    page.click("#kiosk-speech-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert not page.is_visible("#kiosk-speech-repeat")


def test_results_are_read_aloud(kiosk_page, live_server):
    page = kiosk_page
    start(page, live_server.url)
    answer_all(page, FIRST)
    page.click("#kiosk-speech-toggle")
    page.get_by_role("button", name="查看结果").click()
    page.wait_for_function("() => window.__spoken.some(s => s.includes('检查结果'))")
    said = " ".join(spoken(page))
    assert "可以申请" in said and "困难残疾人生活补贴" in said and "要带的材料" in said


def test_without_a_speech_engine_the_kiosk_says_so(browser, live_server):
    context = browser.new_context(viewport=PORTRAIT)
    context.add_init_script(NO_SPEECH)
    page = context.new_page()
    page.goto(live_server.url + "/kiosk")
    assert page.is_visible("#kiosk-speech-unavailable")
    assert page.get_attribute("#kiosk-speech-toggle", "aria-describedby") == "kiosk-speech-unavailable"
    page.click("#kiosk-speech-toggle")                          # no error, just no sound
    context.close()


# ---------------------------------------------------------------- number pad and slip

def test_number_pad(kiosk_page, live_server, live_app):
    page = kiosk_page
    start(page, live_server.url)
    page.goto(live_server.url + "/kiosk/question/age")
    pad = page.get_by_role("group", name="数字键盘")
    assert page.get_attribute("#age", "inputmode") == "none", "no system keyboard pops up"
    for key in ("1", "2", "3", "4"):
        pad.get_by_role("button", name=key, exact=True).click()
    assert page.input_value("#age") == "123", "at most three digits"
    pad.get_by_role("button", name="删除").click()
    assert page.input_value("#age") == "12"
    pad.get_by_role("button", name="清空").click()
    assert page.input_value("#age") == ""
    from playwright.sync_api import expect
    expect(page.locator("#kiosk-status")).to_contain_text("已清空")     # announced, not only shown
    page.fill("#age", "6")                                   # a keyboard still types
    page.get_by_role("button", name="继续").click()
    assert session_of(live_app, page.context)["answers"]["age"] == 6


def test_slip_prints_on_a_receipt_or_a4(kiosk_page, live_server):
    page = kiosk_page
    start(page, live_server.url)
    answer_all(page, FIRST)
    page.get_by_role("button", name="查看结果").click()
    page.get_by_role("link", name="打印结果单").click()
    assert page.is_visible("#kiosk-print")
    assert page.get_by_role("img", name="二维码：用手机扫一扫，打开这些福利的公开说明").is_visible()
    page.emulate_media(media="print")
    assert not page.is_visible(".kiosk-bar") and not page.is_visible("#kiosk-print")
    assert page.get_by_role("img", name="二维码：用手机扫一扫，打开这些福利的公开说明").is_visible()
    a4 = page.pdf(prefer_css_page_size=True)
    page.goto(live_server.url + "/kiosk/slip?paper=receipt")
    receipt = page.pdf(prefer_css_page_size=True)
    assert round(media_width(a4)) == 595                    # A4: 595 x 842 pt
    assert round(media_width(receipt)) == 227               # 80 mm = 226.8 pt


def media_width(pdf):
    box = re.search(rb"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    return float(box.group(1))


# ---------------------------------------------------------------- focus, and without JavaScript

FOCUS_HIDDEN = """
() => {
  // WCAG 2.4.11: the focused control is on screen and not under author content (the bar).
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = r.top + Math.min(r.height / 2, 20);
  const top = y >= 0 && y < innerHeight ? document.elementFromPoint(x, y) : null;
  return top && (el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some(l => l.contains(top))))
    ? null : el.outerHTML.slice(0, 80);
}
"""


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_focus_is_never_hidden_under_the_kiosk_bar(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    start(page, live_server.url)
    answer_all(page, FIRST)
    page.click("#kiosk-size-toggle")                  # the tallest bar: extra-large text
    page.get_by_role("button", name="查看结果").click()
    hidden = []
    for _ in range(80):                               # forwards through the long results page
        page.keyboard.press("Tab")
        if (found := page.evaluate(FOCUS_HIDDEN)):
            hidden.append(found)
    for _ in range(40):                               # and back up it
        page.keyboard.press("Shift+Tab")
        if (found := page.evaluate(FOCUS_HIDDEN)):
            hidden.append(found)
    context.close()
    assert hidden == []


def test_kiosk_without_javascript(browser, live_server):
    """The journey, the switches and 结束并清除 work as plain forms (the idle wipe then falls to
    the server's backstop)."""
    context = browser.new_context(viewport=PORTRAIT, java_script_enabled=False)
    page = context.new_page()
    start(page, live_server.url, "371503")
    while "/question/" in page.url:
        fact = page.url.rsplit("/", 1)[1]
        value = FIRST.get(fact, "unknown")
        if page.locator(f'input[type="text"][name="{fact}"]').count():
            assert not page.is_visible(".kiosk-numpad")
            page.fill(f'input[name="{fact}"]', value)
        else:
            page.check(f'input[name="{fact}"][value="{value}"]')
        page.click("main button[type=submit]:not([value='unknown'])")
    page.click("#kiosk-assist-toggle")
    assert page.get_attribute("#kiosk-assist-toggle", "aria-pressed") == "true"
    assert page.url.endswith("/kiosk/check-answers")
    page.get_by_role("button", name="查看结果").click()
    assert page.locator("[data-benefit]").count() > 0
    page.click("#kiosk-end")
    page.wait_for_url(CLEARED)
    assert page.get_attribute("#kiosk-assist-toggle", "aria-pressed") == "false"
    context.close()
