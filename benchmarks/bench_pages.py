"""Questions asked per seed region for a typical profile, and page weight per page.

    python benchmarks/bench_pages.py

Page weight = the HTML plus every stylesheet and script it links (all same-origin; there
are no images or fonts), uncompressed, as the browser would transfer them on a first visit.
"""
import re

from webapp import create_app

SEED_REGIONS = {"230100": "哈尔滨市", "231081": "绥芬河市", "610103": "碑林区", "330100": "杭州市", "371503": "茌平区"}
PROFILES = {
    "adult, grade 2 physical, dibao": {"age": "45", "has_certificate": "true", "disability_category": "physical",
                                       "disability_grade": "2", "household": "dibao", "local_hukou": "true",
                                       "long_term_care_need": "true", "employment": "not_working", "hukou": "urban",
                                       "military_disability": "false", "below_retirement_age": "true",
                                       "new_graduate": "false", "autism": "false", "motorized_wheelchair": "false"},
    "child of 5, autism, no certificate": {"age": "5", "has_certificate": "false", "autism": "true",
                                           "disability_category": "intellectual", "household": "low_income",
                                           "local_hukou": "true", "hukou": "urban", "military_disability": "false",
                                           "disability_grade": "2", "long_term_care_need": "false"},
}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def journey(client, region, values):
    client.post("/start", data={"helping": "self"})
    client.post("/region", data={"region": region})
    asked = []
    while True:
        location = client.get("/next").location
        if "/question/" not in location:
            return asked
        fact = location.rsplit("/", 1)[1]
        asked.append(fact)
        client.post(location, data={fact: values.get(fact, "unknown")})


def weight(client, url):
    html = client.get(url).get_data()
    assets = sum(len(client.get(a).get_data()) for a in set(ASSET.findall(html.decode())))
    return len(html), assets


def main():
    app = create_app({"TESTING": True, "SECRET_KEY": "bench"})
    print("questions asked (typical profiles)")
    for name, values in PROFILES.items():
        counts = []
        for code, region in SEED_REGIONS.items():
            counts.append(f"{region} {len(journey(app.test_client(), code, values))}")
        print(f"  {name}: " + ", ".join(counts))
    client = app.test_client()
    journey(client, "230100", PROFILES["adult, grade 2 physical, dibao"])
    print("page weight (bytes: html + css/js = total)")
    for url in ("/", "/region", "/question/age", "/question/household", "/check-answers", "/results", "/kiosk/"):
        html, assets = weight(client, url)
        print(f"  {url:<22}{html:>8} + {assets:>7} = {html + assets:>8}")


if __name__ == "__main__":
    main()
