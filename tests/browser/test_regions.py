"""Choosing any region of China in a real browser (Debian Chromium), JavaScript on and off:
search by pinyin, the province -> city -> county lists, keyboard only, axe, and results
that match the API for counties far from the five seed regions."""
import json

import pytest

from .test_questionnaire import SUBMIT, TYPICAL, answer_to_results, typed

NOTICE = "本地区的地方政策还没有收录"


def finish(page, base, region):
    """From the first question to the results; (asked, shown, api)."""
    asked, shown = answer_to_results(page, TYPICAL)
    response = page.request.post(base + "/api/v1/check", data=json.dumps({"region": region, "answers": typed(TYPICAL, asked)}),
                                 headers={"Content-Type": "application/json"})
    return asked, shown, {r["benefit"]: r["status"] for r in response.json()["results"]}


@pytest.mark.parametrize("javascript", [True, False])
def test_search_journey_for_a_far_county(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(SUBMIT).click()
    page.get_by_label("输入你所在的区、县名称").fill("nanshan")
    page.get_by_role("button", name="搜索").click()
    assert "q=nanshan" in page.url
    page.get_by_label("广东省 深圳市 南山区").check()
    page.locator(SUBMIT).click()
    asked, shown, api = finish(page, live_server.url, "440305")
    assert shown == api and "eligible" in shown.values()
    assert NOTICE in page.locator("#local-rules-notice").inner_text()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_cascade_journey_province_city_county(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(SUBMIT).click()
    page.get_by_role("link", name="按省份、城市、区县一级一级查找").click()
    page.get_by_role("link", name="新疆维吾尔自治区", exact=True).click()
    page.get_by_role("link", name="喀什地区", exact=True).click()
    page.get_by_label("喀什市", exact=True).check()
    page.locator(SUBMIT).click()
    asked, shown, api = finish(page, live_server.url, "653101")
    assert shown == api and NOTICE in page.content()
    context.close()


def test_search_by_keyboard_only(page, live_server):
    page.goto(live_server.url + "/")
    page.locator(SUBMIT).click()
    page.focus("#q")
    page.keyboard.type("dcq")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=dcq**")
    first = page.locator('input[name="region"]').first
    assert first.get_attribute("value") == "110101"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name === 'region'"):
            break
    page.keyboard.press("Space")
    assert first.is_checked()
    page.keyboard.press("Enter")
    page.wait_for_url("**/question/**")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", ["/region", "/region?q=南山区", "/region?q=zzzz", "/region?q=",
                                  "/region?within=000000", "/region?within=440300"])
def test_axe_region_pages(page, live_server, axe, lang, path):
    page.goto(f"{live_server.url}/settings?lang={lang}&next=/")
    page.goto(live_server.url + path)
    assert axe(page) == []


def test_axe_results_with_the_notice(page, live_server, axe):
    page.goto(live_server.url + "/")
    page.locator(SUBMIT).click()
    page.goto(live_server.url + "/region?q=东城区")
    page.get_by_label("北京市 东城区").check()
    page.locator(SUBMIT).click()
    page.goto(live_server.url + "/results")
    assert page.locator("#local-rules-notice").count() == 1
    assert axe(page) == []
