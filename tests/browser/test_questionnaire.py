"""The web questionnaire in a real browser (Debian Chromium): journeys, axe, keyboard only,
no JavaScript, accessibility tree, target sizes and reflow."""
import json
import re

import pytest

SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")
# A typical adult applicant: certificate, grade 2 physical, 低保 household, local hukou.
TYPICAL = {"age": "45", "has_certificate": "true", "disability_category": "physical", "disability_grade": "2",
           "household": "dibao", "local_hukou": "true", "long_term_care_need": "true", "employment": "not_working",
           "hukou": "urban", "military_disability": "false", "below_retirement_age": "true", "new_graduate": "false",
           "autism": "false", "motorized_wheelchair": "false"}


def choose(page, fact, value):
    """Answer the question on screen the way a person would."""
    if page.locator(f'input[type="text"][name="{fact}"]').count():
        page.fill(f'input[name="{fact}"]', value)
        page.get_by_role("button", name="继续").click()
    else:
        page.check(f'input[name="{fact}"][value="{value}"]')
        page.get_by_role("button", name="继续").click()


def run_journey(page, base, region, values):
    page.goto(base + "/")
    page.get_by_role("button", name="开始").click()
    page.check(f'input[name="region"][value="{region}"]')
    page.get_by_role("button", name="继续").click()
    asked = []
    while "/question/" in page.url:
        fact = page.url.rsplit("/", 1)[1].split("?")[0]
        asked.append(fact)
        choose(page, fact, values.get(fact, "unknown"))
    assert page.url.endswith("/check-answers")
    page.get_by_role("button", name="查看结果").click()
    shown = {el.get_attribute("data-benefit"): el.get_attribute("data-status")
             for el in page.locator("[data-benefit]").all()}
    return asked, shown


def typed(values, asked):
    return {f: (int(v) if v.isdigit() else v == "true" if v in ("true", "false") else v)
            for f, v in values.items() if f in asked and v != "unknown"}


@pytest.mark.parametrize("region", SEED_REGIONS)
def test_full_journey_matches_the_api(page, live_server, region):
    asked, shown = run_journey(page, live_server.url, region, TYPICAL)
    response = page.request.post(live_server.url + "/api/v1/check",
                                 data=json.dumps({"region": region, "answers": typed(TYPICAL, asked)}),
                                 headers={"Content-Type": "application/json"})
    api = {r["benefit"]: r["status"] for r in response.json()["results"]}
    assert shown == api
    assert "eligible" in shown.values()
    print(f"\n{region}: {len(asked)} questions for a typical adult: {asked}")


def test_journey_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    asked, shown = run_journey(page, live_server.url, "230100", TYPICAL)
    assert shown["living_subsidy"] == "eligible" and shown["nursing_subsidy"] == "eligible"
    context.close()


def test_keyboard_only_journey(page, live_server):
    """Tab, arrows, Space and Enter only — no mouse, no clicks."""
    page.goto(live_server.url + "/")
    kb = page.keyboard

    def tab_to(predicate, limit=40):
        for _ in range(limit):
            kb.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"keyboard focus never reached: {predicate}")

    def submit():
        with page.expect_navigation():
            kb.press("Enter")

    tab_to("document.activeElement.name === 'helping'")
    tab_to("document.activeElement.tagName === 'BUTTON' && document.activeElement.textContent.trim() === '开始'")
    submit()
    assert page.url.endswith("/region")
    tab_to("document.activeElement.name === 'region'")
    kb.press("Space")                          # selects the first region (哈尔滨市)
    kb.press("ArrowDown")                      # arrows move within the group…
    kb.press("ArrowUp")                        # …and back to 哈尔滨市
    tab_to("document.activeElement.tagName === 'BUTTON' && document.activeElement.textContent.trim() === '继续'")
    submit()
    for _ in range(20):
        if "/question/" not in page.url:
            break
        fact = page.url.rsplit("/", 1)[1]
        tab_to(f"document.activeElement.name === '{fact}'")
        if page.locator(f'input[type="text"][name="{fact}"]').count():
            kb.type("45")
        else:
            kb.press("Space")                  # the first option
        submit()                               # Enter in a field submits its form
    assert page.url.endswith("/check-answers")
    tab_to("document.activeElement.tagName === 'BUTTON' && document.activeElement.textContent.trim() === '查看结果'")
    submit()
    assert page.url.endswith("/results")
    assert page.locator("[data-benefit]").count() > 0


def test_accessibility_tree_of_a_question(page, live_server):
    run_to_question(page, live_server.url, "household")
    fieldset = page.locator("form fieldset")
    assert re.search(r'group "你家是下面哪一种？"', fieldset.aria_snapshot())
    page.get_by_role("button", name="继续").click()     # nothing chosen: the error pattern
    snapshot = page.locator("main").aria_snapshot()
    assert 'alert "出现了问题"' in snapshot and 'heading "出现了问题" [level=2]' in snapshot
    assert 'link "请选择一项。' in snapshot
    assert page.evaluate("document.activeElement.dataset.errorSummary !== undefined")
    assert page.title().startswith("错误：")


def test_accessibility_tree_of_results(page, live_server):
    run_journey(page, live_server.url, "230100", TYPICAL)
    snapshot = page.locator("main").aria_snapshot()
    assert 'heading "检查结果" [level=1]' in snapshot
    assert re.search(r'heading "可能符合（\d+）" \[level=2\]', snapshot)
    assert 'heading "困难残疾人生活补贴" [level=3]' in snapshot


def run_to_question(page, base, fact):
    page.goto(base + "/")
    page.get_by_role("button", name="开始").click()
    page.check('input[name="region"][value="230100"]')
    page.get_by_role("button", name="继续").click()
    page.goto(base + f"/question/{fact}")


# ---------------------------------------------------------------- axe on every page and state

def page_states(page, base):
    """Yield (name, page) for every page and state of the journey."""
    page.goto(base + "/")
    yield "start"
    page.get_by_role("button", name="开始").click()
    yield "region"
    page.get_by_role("button", name="继续").click()
    yield "region-error"
    page.goto(base + "/region?within=230000")
    yield "region-drilldown"
    page.check('input[name="region"][value="230100"]')
    page.get_by_role("button", name="继续").click()
    page.goto(base + "/question/age")
    yield "question-number"
    page.fill('input[name="age"]', "abc")
    page.get_by_role("button", name="继续").click()
    yield "question-number-error"
    page.goto(base + "/question/household")
    yield "question-choice"
    for fact, value in TYPICAL.items():
        page.request.post(base + f"/question/{fact}", form={fact: value})
    page.goto(base + "/check-answers")
    yield "check-answers"
    page.goto(base + "/results")
    yield "results"
    page.goto(base + "/accessibility")
    yield "accessibility"
    page.goto(base + "/privacy")
    yield "privacy"


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("text, theme", [("normal", "default"), ("large", "default"), ("normal", "contrast")])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_axe_every_page(browser, live_server, axe, lang, text, theme, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + f"/settings?lang={lang}&text={text}&theme={theme}&next=/")
    failures = {}
    for state in page_states(page, live_server.url):
        violations = axe(page)
        if violations:
            failures[state] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{state}: horizontal scroll"
    context.close()
    assert failures == {}


def test_targets_are_large_enough(browser, live_server):
    for text, minimum in (("normal", 44), ("large", 60)):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + f"/settings?text={text}&next=/")
        run_to_question(page, live_server.url, "household")
        small = page.evaluate("""(minimum) => [...document.querySelectorAll(
              'main button, main .radios__input, main input[type=text], .header a, .back-link, footer button')]
            .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
            .filter(([_, r]) => r.width < minimum || r.height < minimum).map(([h, r]) => `${h} ${r.width}x${r.height}`)""",
                             minimum)
        assert small == [], f"{text}: {small}"
        if text == "large":
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 24
        context.close()


def test_400_percent_zoom_reflows(browser, live_server):
    """1280 px at 400 % is a 320 px viewport: no horizontal scrolling, nothing clipped."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=4)
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 256})
    asked, shown = run_journey(page, live_server.url, "330100", TYPICAL)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_text_spacing_override_does_not_clip(browser, live_server):
    """WCAG 1.4.12: the user's own spacing stylesheet (exempt from CSP, like a bookmarklet) loses nothing."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    run_to_question(page, live_server.url, "household")
    page.add_style_tag(content="* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
                               "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")
    clipped = page.evaluate("""() => [...document.querySelectorAll('label, legend, h1, p, button, a')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow === 'hidden').length""")
    assert clipped == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()
