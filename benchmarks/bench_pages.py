"""Questions asked per seed region for typical profiles, and page weight per page.

    python benchmarks/bench_pages.py

Page weight = the HTML plus every stylesheet and script it links (all same-origin; there
are no images or fonts) on a first visit, uncompressed and as transferred gzip-compressed
(the budget, enforced by tests/webapp/test_page_weight.py: ≤ 30 KB per page, gzip).
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "serving"))
from walker import RICH, FlaskBrowser, walk  # noqa: E402

from webapp import create_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402

SEED_REGIONS = {"230100": "哈尔滨市", "231081": "绥芬河市", "610103": "碑林区", "330100": "杭州市", "371503": "茌平区"}
PROFILES = {
    "adult, grade 2 physical, dibao": RICH,
    "child of 5, autism, no certificate": {"age": "5", "has_certificate": "false", "autism": "true",
                                           "disability_category": "intellectual", "household": "low_income",
                                           "local_hukou": "true", "hukou": "urban", "military_disability": "false",
                                           "disability_grade": "2", "long_term_care_need": "false"},
}
ASSET = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="(/[^"/][^"]*)"')
GZIP = {"Accept-Encoding": "gzip"}


def weights(client, page):
    """(html raw, html gzip, assets raw, assets gzip) in bytes."""
    raw_assets = gz_assets = 0
    for url in set(ASSET.findall(page.text)):
        raw_assets += len(client.get(url).get_data())
        gz_assets += len(client.get(url, headers=GZIP).get_data())
    return len(page.text.encode()), page.transferred, raw_assets, gz_assets


def main():
    machine = report.machine()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "REQUEST_LOG": False, "RATELIMIT_ENABLED": False})
    out = []

    def say(line):
        print(line)
        out.append(line)
    say("questions asked (typical profiles)")
    for name, values in PROFILES.items():
        counts = []
        for code, region in SEED_REGIONS.items():
            counts.append(f"{region} {len(walk(FlaskBrowser(app.test_client()), code, values)[1])}")
        say(f"  {name}: " + ", ".join(counts))
    say("page weight, bytes: html + linked css/js (raw -> gzip); budget 30720 gzip")
    say(f"  {'page':<44}{'raw':>8}{'gzip':>8}")
    heaviest = 0
    english = {"/": lambda b: b.get("/").submit(b, {"lang": "en"}, "/settings"),       # the header's switch
               "/kiosk/": lambda b: b.get("/kiosk/").submit(b, {"lang": "en"}, "/kiosk/settings")}
    for start, before, region in (("/", None, "330100"), ("/", None, "230100"), ("/", english["/"], "230100"),
                                  ("/kiosk/", None, "230100"), ("/kiosk/", english["/kiosk/"], "230100"),
                                  ("/embed/frame/", lambda b: b.get("/embed/frame?region=230100"), "230100")):
        client = app.test_client()
        browser = FlaskBrowser(client, GZIP)
        if before:
            before(browser)
        walk(browser, region, RICH, start=start)
        extra = {"/": ["/check-answers", "/accessibility", "/privacy"],
                 "/kiosk/": ["/kiosk/slip", "/catalogue/230100"], "/embed/frame/": ["/embed"]}[start]
        pages = browser.pages + [browser.get(url) for url in extra]
        seen = set()
        for page in pages:
            lang = "en" if '<html lang="en"' in page.text else "zh"
            label = f"{region} {lang} {page.url.replace('http://localhost', '')}"
            if page.step != page.path:
                label += f" (form -> {page.step.rsplit('/', 1)[-1]})"
            if label in seen:
                continue
            seen.add(label)
            html, html_gz, assets, assets_gz = weights(client, page)
            heaviest = max(heaviest, html_gz + assets_gz)
            say(f"  {label[:44]:<44}{html + assets:>8}{html_gz + assets_gz:>8}")
    say(f"heaviest page: {heaviest} bytes gzip (budget 30720)")
    if "--no-report" not in sys.argv:
        report.update("pages", "Page weight (first visit: HTML + linked CSS/JS)",
                      f"Machine: {machine}.\n\n`python benchmarks/bench_pages.py`; a rich profile (RICH in "
                      "tests/serving/walker.py) walked through each way in.\n\n```\n" + "\n".join(out) + "\n```")


if __name__ == "__main__":
    main()
