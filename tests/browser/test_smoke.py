"""Fails loudly if Playwright cannot drive Debian's Chromium here (version skew, missing package)."""


def test_chromium_renders_the_start_page(page, live_server):
    page.goto(live_server.url + "/")
    assert page.title().endswith("残疾人福利检查")
    assert page.get_attribute("html", "lang") == "zh-CN"
