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


# The form's own submit button (继续 / 开始 / 查看结果 in either language), not 我不知道 or the footer's 结束并清除.
SUBMIT = "main form button[type=submit]:not([name])"


def choose_settings(page, url):
    """A /settings link shows the change to confirm (a link alone changes nothing): confirm it."""
    page.goto(url)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def choose(page, fact, value):
    """Answer the question on screen the way a person would."""
    if page.locator(f'input[type="text"][name="{fact}"]').count():
        page.fill(f'input[name="{fact}"]', value)
    else:
        page.check(f'input[name="{fact}"][value="{value}"]')
    page.locator(SUBMIT).click()


def run_journey(page, base, region, values):
    page.goto(base + "/")
    page.locator(SUBMIT).click()
    page.check(f'input[name="region"][value="{region}"]')
    page.locator(SUBMIT).click()
    return answer_to_results(page, values)


def answer_to_results(page, values):
    """From the first question: answer what is asked, confirm, and read the results;
    (facts asked, {benefit: status shown})."""
    asked = []
    while "/question/" in page.url:
        fact = page.url.rsplit("/", 1)[1].split("?")[0]
        asked.append(fact)
        choose(page, fact, values.get(fact, "unknown"))
    assert page.url.endswith("/check-answers")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/results")                 # not the check-answers page still on screen
    page.wait_for_load_state()
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
    assert re.search(r'heading "可以申请（\d+）" \[level=2\]', snapshot)
    assert 'heading "困难残疾人生活补贴" [level=3]' in snapshot


def run_to_question(page, base, fact):
    page.goto(base + "/")
    page.locator(SUBMIT).click()
    page.check('input[name="region"][value="230100"]')
    page.locator(SUBMIT).click()
    page.goto(base + f"/question/{fact}")


# ---------------------------------------------------------------- axe on every page and state

def page_states(page, base):
    """Walk every page and state of the journey (in whatever language is set); yield its name."""
    page.goto(base + "/")
    yield "start"
    page.locator(SUBMIT).click()
    yield "region"
    page.locator(SUBMIT).click()
    yield "region-error"
    page.goto(base + "/region?within=000000")
    yield "region-provinces"
    page.goto(base + "/region?within=230000")
    yield "region-drilldown"
    page.check('input[name="region"][value="230100"]')
    page.locator(SUBMIT).click()
    page.goto(base + "/question/age")
    yield "question-number"
    page.fill('input[name="age"]', "abc")
    page.locator(SUBMIT).click()
    yield "question-number-error"
    page.goto(base + "/question/household")
    yield "question-choice"
    page.locator(SUBMIT).click()
    yield "question-choice-error"
    for fact, value in TYPICAL.items():
        page.request.post(base + f"/question/{fact}", form={fact: value})
    page.request.post(base + "/question/autism", form={"autism": "unknown"})
    page.goto(base + "/check-answers")
    yield "check-answers"
    page.goto(base + "/results")
    yield "results"
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    yield "results-sources-open"
    page.request.post(base + "/question/has_certificate", form={"has_certificate": "false"})
    page.goto(base + "/results")
    yield "results-would-change"
    page.goto(base + "/regions/230100/policies")
    yield "policies"
    page.goto(base + "/regions/610103/policies")
    yield "policies-draft"
    page.goto(base + "/accessibility")
    yield "accessibility"
    page.goto(base + "/privacy")
    yield "privacy"
    page.locator("footer button").click()
    yield "start-cleared"
    page.locator('input[name="helping"][value="other"]').check()
    page.locator(SUBMIT).click()
    page.goto(base + "/region?within=230000")
    page.check('input[name="region"][value="230100"]')
    page.locator(SUBMIT).click()
    yield "question-third-person"


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("text, theme", [("normal", "default"), ("large", "default"), ("normal", "contrast")])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_axe_every_page(browser, live_server, axe, lang, text, theme, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    choose_settings(page, live_server.url + f"/settings?lang={lang}&text={text}&theme={theme}&next=/")
    failures = {}
    for state in page_states(page, live_server.url):
        violations = axe(page)
        if violations:
            failures[state] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{state}: horizontal scroll"
    context.close()
    assert failures == {}


def test_policy_catalogue_by_keyboard(browser, live_server):
    """The contents list leads to each category: Tab to it, Enter, and the category heading is next."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/regions/330100/policies")
    link = page.locator('nav.contents a[href="#category-employment"]')
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "#category-employment":
            break
    else:
        raise AssertionError("the contents link is not reachable by keyboard")
    assert link.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#category-employment")
    assert page.locator("#category-employment").is_visible()
    context.close()


def test_targets_are_large_enough(browser, live_server):
    for text, minimum in (("normal", 44), ("large", 60)):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        choose_settings(page, live_server.url + f"/settings?text={text}&next=/")
        run_to_question(page, live_server.url, "household")
        small = page.evaluate("""(minimum) => [...document.querySelectorAll(
              'main button, main .radios__input, main input[type=text], .header a, .header button, .back-link, footer button')]
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


# ---------------------------------------------------------------- what axe does not check
# Visible, unobscured focus (2.4.7, 2.4.11), non-text contrast in every theme (1.4.11), no change
# of context on input (3.2.1, 3.2.2), the skip link (2.4.1), language of parts (3.1.2), status
# messages (4.1.3), text at 200 % (1.4.4), the print stylesheet. accessibility/conformance.md
# points at each of these.

THEMES = ("default", "contrast")

CONTRAST = """
(pair) => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = pair.map(lum);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


def new_page(browser, live_server, theme="default", text="normal", lang="zh_CN", **options):
    context = browser.new_context(viewport=options.pop("viewport", {"width": 1280, "height": 900}), **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    choose_settings(page, live_server.url + f"/settings?lang={lang}&text={text}&theme={theme}&next=/")
    return context, page


def page_background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def contrast(page, first, second):
    return page.evaluate(CONTRAST, [first, second])


@pytest.mark.parametrize("theme", THEMES)
def test_focus_is_visible_and_not_obscured_on_every_stop(browser, live_server, theme):
    """Tab through a question page: every stop changes how it looks, with ≥ 3:1 against the page,
    and is inside the viewport (nothing sticky covers it)."""
    context, page = new_page(browser, live_server, theme=theme, viewport={"width": 1280, "height": 700})
    run_to_question(page, live_server.url, "household")
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const target = e.matches('.radios__input') ? e.nextElementSibling : e;
            const focused = getComputedStyle(target, e.matches('.radios__input') ? '::before' : null);
            const r = e.getBoundingClientRect();
            return {key: e.outerHTML.slice(0, 80), outline: focused.outlineStyle !== 'none' && focused.outlineColor !== 'rgba(0, 0, 0, 0)'
                      && !focused.outlineColor.endsWith(', 0)') ? focused.outlineColor : null,
                    shadow: focused.boxShadow, background: getComputedStyle(target).backgroundColor,
                    inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
                    covered: (() => { const x = r.left + Math.min(r.width, 20) / 2, y = r.top + Math.min(r.height, 20) / 2;
                                      const hit = document.elementFromPoint(x, y);
                                      return !(hit && (hit === e || e.contains(hit) || hit.contains(e) || hit === target || (e.labels && [...e.labels].includes(hit)))); })()};
        }""")
        if info is None or info["key"] in seen:
            continue
        seen.add(info["key"])
        assert info["shadow"] != "none" or info["outline"], f"{theme}: no focus indicator on {info['key']}"
        # GOV.UK style: a yellow fill with a dark bar under it; some part must stand out ≥ 3:1.
        colours = ([info["outline"]] if info["outline"] else []) + re.findall(r"rgba?\([^)]*\)", info["shadow"]) \
            + [info["background"]]
        best = max(contrast(page, colour, page_background(page)) for colour in colours)
        assert best >= 3, f"{theme}: focus indicator too faint on {info['key']}"
        assert info["inside"] and not info["covered"], f"{theme}: focus obscured on {info['key']}"
    assert len(seen) >= 8            # header switches, back link, the radios, the button, the footer
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_controls_have_three_to_one_contrast(browser, live_server, theme):
    """WCAG 1.4.11: the radio circle, the text box border and the buttons stand out from the page."""
    context, page = new_page(browser, live_server, theme=theme)
    run_to_question(page, live_server.url, "household")
    background = page_background(page)
    radio = page.evaluate("getComputedStyle(document.querySelector('.radios__label'), '::before').borderTopColor")
    assert contrast(page, radio, background) >= 3
    for selector in ("main .button", "footer .button"):
        button = page.locator(selector).first
        fill = button.evaluate("e => getComputedStyle(e).backgroundColor")
        border = button.evaluate("e => getComputedStyle(e).borderTopColor")
        text = button.evaluate("e => getComputedStyle(e).color")
        assert max(contrast(page, fill, background), contrast(page, border, background)) >= 3, selector
        assert contrast(page, text, fill) >= 4.5, selector
    page.goto(live_server.url + "/question/age")
    border = page.evaluate("getComputedStyle(document.querySelector('input.input')).borderTopColor")
    assert contrast(page, border, background) >= 3
    context.close()


def test_choosing_an_answer_changes_nothing_until_continue(page, live_server):
    """WCAG 3.2.1 / 3.2.2: focus and selection never submit or navigate."""
    run_to_question(page, live_server.url, "household")
    url = page.url
    page.focus('input[name="household"][value="dibao"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.url == url
    assert page.is_checked('input[name="household"][value="dibao_edge"]')


def test_skip_link_is_first_and_moves_to_main(page, live_server):
    run_to_question(page, live_server.url, "household")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 0 && r.left >= 0; })()")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_language_of_parts_is_marked(browser, live_server):
    """WCAG 3.1.1 / 3.1.2: the English page says lang=en; the Chinese policy quotes and the 中文
    switch keep lang=zh-CN."""
    context, page = new_page(browser, live_server, lang="en")
    run_journey(page, live_server.url, "230100", TYPICAL)
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator('.header button[lang="zh-CN"]').count() == 1         # the 中文 switch
    quotes = page.locator(".sources q")
    assert quotes.count() > 0
    assert all(q.get_attribute("lang") == "zh-CN" for q in quotes.all())
    # Nothing else on the English results page is Chinese (the catalogs are complete).
    stray = page.evaluate("""() => {
        const out = [];
        const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
            const n = walk.currentNode;
            if (/[\\u4e00-\\u9fff]/.test(n.textContent) && !n.parentElement.closest('[lang="zh-CN"]')) out.push(n.textContent.trim());
        }
        return out;
    }""")
    assert stray == []
    context.close()


def test_cleared_message_is_a_status_message(page, live_server):
    """WCAG 4.1.3: 已清除 is announced without taking focus."""
    run_to_question(page, live_server.url, "household")
    page.locator("footer").get_by_role("button", name="结束并清除").click()
    status = page.get_by_role("status")
    assert "已全部清除" in status.inner_text()
    assert not page.evaluate("document.activeElement.closest('[role=status]')")


def test_text_enlarged_to_200_percent(browser, live_server):
    """WCAG 1.4.4: the browser's minimum font size / text-only zoom at 200 % loses nothing."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    run_to_question(page, live_server.url, "household")
    page.add_style_tag(content="html { font-size: 200% !important; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for locator in (page.get_by_role("radio", name="低保边缘家庭"), page.get_by_role("button", name="继续")):
        locator.scroll_into_view_if_needed()
        assert locator.is_visible()
    clipped = page.evaluate("""() => [...document.querySelectorAll('label, legend, h1, p, button, a')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible').length""")
    assert clipped == 0
    context.close()


def test_results_print_without_menus(page, live_server):
    run_journey(page, live_server.url, "230100", TYPICAL)
    assert page.get_by_role("button", name="打印结果").is_visible()       # the JavaScript enhancement
    page.emulate_media(media="print")
    for selector in (".header__settings", "footer", ".back-link", ".button"):
        assert all(not e.is_visible() for e in page.locator(selector).all()), selector
    assert page.locator("[data-benefit]").first.is_visible()
    assert page.locator(".sources").first.is_visible()                    # sources print even when folded
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
