"""The public policy catalogue: every provision of a region, grouped by category, as a page
and as open data."""
import csv
import io

import pytest

SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")


@pytest.mark.parametrize("code", SEED_REGIONS)
def test_catalogue_lists_every_provision_that_applies(client, book, code):
    html = client.get(f"/regions/{code}/policies").get_data(as_text=True)
    for benefit in book.benefits[code].values():
        assert f'data-benefit="{benefit.id}"' in html, benefit.id
        for source in benefit.sources:
            assert source["document"] in html
            if source.get("quote"):
                assert source["quote"].split()[0][:12] in html
    assert html.count('<h2 class="heading-l" id="category-') == len({b.category for b in book.benefits[code].values()
                                                                      if b.audience != "organisation"}) + any(
        b.audience == "organisation" for b in book.benefits[code].values())
    assert f'href="/regions/{code}/policies.csv"' in html and f'href="/api/v1/regions/{code}/benefits"' in html


def test_catalogue_says_draft_and_status(client):
    html = client.get("/regions/610103/policies").get_data(as_text=True)
    assert "依据的是征求意见稿，最终以正式文件为准" in html and "（征求意见稿）" in html
    assert "规划中，还不能申请" in html and "已实施" in html
    assert "2022年5月20日" in html                       # the plan's own date beside its quotes
    assert "征求意见稿" not in client.get("/regions/230100/policies").get_data(as_text=True).replace(
        "没有依据征求意见稿", "")


def test_catalogue_csv_has_a_row_per_provision(client, book):
    response = client.get("/regions/230100/policies.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r["id"] for r in rows) == sorted(book.benefits["230100"])
    living = next(r for r in rows if r["id"] == "living_subsidy")
    assert living["name"] == "困难残疾人生活补贴" and "国发〔2015〕52号" in living["sources"]
    english = client.get("/regions/230100/policies.csv", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_a_replaced_code_leads_to_todays_region(client):
    response = client.get("/regions/371523/policies")
    assert response.status_code == 301 and response.location.endswith("/regions/371503/policies")


def test_a_county_with_only_national_rules_says_so(client):
    html = client.get("/regions/110101/policies").get_data(as_text=True)   # 东城区
    assert "本地区的地方政策还没有收录" in html and 'data-benefit="living_subsidy"' in html
    assert "本地区的地方政策还没有收录" not in client.get("/regions/230100/policies").get_data(as_text=True)


def test_unknown_region_is_404(client):
    assert client.get("/regions/999999/policies").status_code == 404
    assert client.get("/regions/999999/policies.csv").status_code == 404


def test_results_and_kiosk_catalogue_link_to_it(client):
    html = client.get("/catalogue/230100").get_data(as_text=True)
    assert 'href="/regions/230100/policies"' in html
    assert 'href="/regions/230100/policies"' in client.get("/embed").get_data(as_text=True)
