"""Page weight: every page of every way in (web, kiosk, widget frame, /embed docs) costs at
most 30 KB on the wire on a first visit — the HTML plus every stylesheet and script it links,
as transferred gzip-compressed — measured on the pages a rich profile's journey really shows."""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "serving"))
from walker import RICH, FlaskBrowser, statuses, walk  # noqa: E402

BUDGET = 30 * 1024
SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")
ASSET = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="(/[^"/][^"]*)"')
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture(scope="module")
def weigh(app):
    assets = {}

    def asset(client, url):
        if url not in assets:
            response = client.get(url, headers=GZIP)
            assert response.status_code == 200, url
            assets[url] = len(response.get_data())
        return assets[url]

    def weigh(client, page):
        linked = set(ASSET.findall(page.text))
        return page.transferred, sum(asset(client, url) for url in linked), linked
    return weigh


def journey_pages(app, start, region, before=None):
    client = app.test_client()
    browser = FlaskBrowser(client, GZIP)
    if before:
        before(browser)
    walk(browser, region, RICH, start=start)
    return client, browser.pages


@pytest.mark.parametrize("region, lang", [(code, "zh_CN") for code in SEED_REGIONS] + [("230100", "en")])
def test_every_page_of_the_web_journey_fits_the_budget(app, weigh, region, lang):
    client, pages = journey_pages(app, "/", region, before=lambda b: b.get("/").submit(b, {"lang": lang}, "/settings"))
    results = pages[-1]
    assert ('<html lang="en"' in results.text) == (lang == "en")
    browser = FlaskBrowser(client, GZIP)
    pages += [browser.get(url) for url in ("/region?within=000000", "/check-answers", "/accessibility", "/privacy")]
    check(client, weigh, pages, results)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_kiosk_page_fits_the_budget(app, weigh, lang):
    client, pages = journey_pages(app, "/kiosk/", "230100",
                                  before=lambda b: b.get("/kiosk/").submit(b, {"lang": lang}, "/kiosk/settings"))
    assert ('<html lang="en"' in pages[-1].text) == (lang == "en")
    results = pages[-1]
    browser = FlaskBrowser(client, GZIP)
    pages += [browser.get(url) for url in ("/kiosk/slip", "/kiosk/slip?paper=receipt", "/catalogue/230100")]
    check(client, weigh, pages, results)


def test_every_widget_page_and_the_embed_docs_fit_the_budget(app, weigh):
    client, pages = journey_pages(app, "/embed/frame/", "230100", before=lambda b: b.get("/embed/frame?region=230100"))
    results = pages[-1]
    browser = FlaskBrowser(client, GZIP)
    pages += [browser.get("/embed"), browser.get("/embed?lang=en")]
    check(client, weigh, pages, results)
    assert len(client.get("/widget.js", headers=GZIP).get_data()) < 5 * 1024


def check(client, weigh, pages, results):
    assert len(statuses(results)) >= 8, "a rich profile's results page (else the budget is not tested)"
    over = []
    for page in pages:
        assert page.status == 200, page.url
        assert page.headers.get("Content-Encoding") == "gzip", page.url
        html, assets, linked = weigh(client, page)
        assert any(url.endswith(".css") for url in linked), page.url
        if html + assets > BUDGET:
            over.append(f"{page.url}: {html} + {assets} = {html + assets} bytes")
    assert not over, "over 30 KB transferred:\n" + "\n".join(over)
