"""Any region of China on the web, the kiosk, the widget and the API: search without
JavaScript, the province -> city -> county lists, replaced codes, and the plain notice
where only national rules are recorded."""
import json
import re

import pytest

from tests.forms import carried, choose_settings

STATUS = re.compile(r'data-benefit="(\w+)" data-status="(\w+)"')
NOTICE = "本地区的地方政策还没有收录；下面是全国都适用的政策，具体标准请问当地残联或拨打12385"
RADIO = re.compile(r'name="region" type="radio" value="(\d{6})"')


def post(client, url, data=None, page="/"):
    """Submit a form as the browser does: with what the page's forms carry (the CSRF token)."""
    return client.post(url, data={**carried(client, page), **(data or {})})


def radios(html):
    return RADIO.findall(html)


def results_for(client, code):
    post(client, "/start", data={"helping": "self"})
    assert post(client, "/region", data={"region": code}).status_code == 303
    return client.get("/results").get_data(as_text=True)


# ---------------------------------------------------------------- the region page

def test_seed_regions_come_first_then_search_and_lists(client):
    post(client, "/start", data={"helping": "self"})
    html = client.get("/region").get_data(as_text=True)
    assert radios(html) == ["230100", "231081", "610103", "330100", "371503"]
    assert 'role="search"' in html and 'name="q"' in html and "输入你所在的区、县名称" in html
    assert 'href="/region?within=000000"' in html


def test_search_without_javascript_then_choose_and_get_results(client):
    post(client, "/start", data={"helping": "self"})
    html = client.get("/region?q=南山区").get_data(as_text=True)
    assert radios(html) == ["230404", "440305"]
    assert "广东省 深圳市 南山区" in html
    assert post(client, "/region?q=南山区", data={"region": "440305"}).location == "/next"
    page = client.get("/results").get_data(as_text=True)
    assert NOTICE in page and "广东省 深圳市 南山区" in page
    api = client.post("/api/v1/check", json={"region": "440305", "answers": {}}).json
    assert dict(STATUS.findall(page)) == {r["benefit"]: r["status"] for r in api["results"]}


@pytest.mark.parametrize("query", ["dcq", "dongcheng", "东城", "ＤＣＱ"])
def test_search_by_pinyin_initials_and_name(client, query):
    post(client, "/start", data={"helping": "self"})
    assert "110101" in radios(client.get(f"/region?q={query}").get_data(as_text=True))


@pytest.mark.parametrize("query, message", [("", "请输入区、县名称"), ("zzzz", "没有找到“zzzz”"), ("长" * 41, "名称太长了")])
def test_search_errors_are_specific(client, query, message):
    post(client, "/start", data={"helping": "self"})
    response = client.get("/region", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert 'href="#q"' in html and 'aria-invalid="true"' in html and html.count("<title>错误：") == 1


def test_choosing_without_a_radio_keeps_the_search_results(client):
    post(client, "/start", data={"helping": "self"})
    html = post(client, "/region?q=南山区", data={}).get_data(as_text=True)
    assert "请选择你住在哪里" in html and radios(html) == ["230404", "440305"]


def test_cascade_province_city_county(client):
    post(client, "/start", data={"helping": "self"})
    provinces = client.get("/region?within=000000").get_data(as_text=True)
    assert len(radios(provinces)) == 31 and 'href="/region?within=440000"' in provinces
    cities = client.get("/region?within=440000").get_data(as_text=True)
    assert "440000" in radios(cities) and 'href="/region?within=440300"' in cities
    counties = client.get("/region?within=440300").get_data(as_text=True)
    assert "440305" in radios(counties) and 'href="/region?within=440000"' in counties   # 返回上一级
    assert client.get("/region?within=999999").status_code == 404


def test_english_names_come_from_the_tree(client):
    choose_settings(client, "/", lang="en")
    post(client, "/start", data={"helping": "self"})
    html = client.get("/region?q=dcq").get_data(as_text=True)
    assert "Dongcheng District, Beijing City" in html and "Enter the name of your district or county" in html
    page = results_for(client, "110101")
    assert "Local policies for this area have not been recorded yet" in page and NOTICE not in page


def test_no_notice_where_local_rules_exist(client):
    assert NOTICE not in results_for(client, "231081")
    assert NOTICE not in results_for(client, "230102")      # 道里区 inherits 哈尔滨市's rules
    assert NOTICE in results_for(client, "230000")          # 黑龙江省 itself: national only


# ---------------------------------------------------------------- kiosk and widget

def test_kiosk_desk_takes_any_code_and_the_slip_says_national_only(client):
    entry = client.get("/kiosk?region=371523")                       # replaced: today's 茌平区
    assert entry.status_code == 303 and "region=371503" in entry.location
    client.get("/kiosk?region=110101")
    post(client, "/kiosk/start", page="/kiosk/", data={"helping": "self"})
    post(client, "/kiosk/region", page="/kiosk/", data={"region": "110101"})
    slip = client.get("/kiosk/slip").get_data(as_text=True)
    assert NOTICE in slip and "北京市 东城区" in slip


@pytest.mark.parametrize("preset, expected", [("110101", "110101"), ("371523", "371503"), ("999999", None)])
def test_widget_takes_any_code(app, preset, expected):
    from webapp.embed import _preset_region
    with app.test_request_context("/"):
        assert _preset_region(preset) == expected


# ---------------------------------------------------------------- API

def test_api_region_object_says_which_levels_have_local_rules(client):
    def region(code):
        return client.post("/api/v1/check", json={"region": code, "answers": {}}).json["region"]
    assert region("110101")["local_rules"] == [] and region("110101")["name_en"] == "Dongcheng District"
    assert region("230102")["local_rules"] == ["city"]
    assert region("231081")["local_rules"] == ["county"]
    assert region("371503")["replaced_code"] is None


def test_api_replaced_unknown_and_province_codes(client, book):
    replaced = client.post("/api/v1/check", json={"region": "371523", "answers": {}}).json
    assert replaced["region"]["code"] == "371503" and replaced["region"]["replaced_code"] == "371523"
    unknown = client.post("/api/v1/check", json={"region": "371599", "answers": {}})
    assert unknown.status_code == 404 and unknown.json["error"]["field"] == "region"
    province = client.post("/api/v1/check", json={"region": "440000", "answers": {}}).json
    assert province["region"]["chain"] == ["000000", "440000"] and province["region"]["level"] == "province"
    assert {r["benefit"] for r in province["results"]} >= set(book.benefits["000000"])


def test_api_regions_filters(client):
    children = client.get("/api/v1/regions?parent=440300").json["regions"]
    assert "440305" in [r["code"] for r in children] and all(r["parent"] == "440300" for r in children)
    found = client.get("/api/v1/regions", query_string={"q": "南山", "parent": "440000"}).json["regions"]
    assert [r["code"] for r in found] == ["440305"]
    assert client.get("/api/v1/regions?q=dcq&limit=1").json["regions"][0]["code"] == "110101"
    everything = client.get("/api/v1/regions").json["regions"]
    assert len(everything) > 3000


@pytest.mark.parametrize("query, status, field", [
    ("parent=999999", 404, "parent"), ("q=", 400, "q"), ("limit=0", 400, "limit"), ("region=1", 400, "region")])
def test_api_regions_bad_filters(client, query, status, field):
    response = client.get(f"/api/v1/regions?{query}")
    assert response.status_code == status and response.json["error"]["field"] == field


def test_api_benefit_catalogue_for_a_replaced_code(client):
    body = client.get("/api/v1/regions/371523/benefits").json
    assert body["region"]["code"] == "371503" and body["region"]["replaced_code"] == "371523"
    assert json.dumps(body)


def test_search_inside_the_widget_frame_keeps_the_state():
    from webapp import create_app

    from .test_embed import PORTAL, Frame
    app = create_app({"TESTING": True, "SECRET_KEY": "embed-tests", "WIDGET_ALLOWED_ORIGINS": PORTAL})
    frame = Frame(app.test_client(use_cookies=False))
    frame.open(f"lang=zh-CN&host={PORTAL}")
    frame.submit("/start", {"helping": "other"})
    assert 'name="find" value="region"' in frame.page and 'method="get"' not in frame.page
    frame.submit("/region", {"q": "南山区", "find": "region"})
    assert radios(frame.page) == ["230404", "440305"] and "他（她）住在哪里" in frame.page
    frame.submit("/region", {"region": "440305"})
    assert frame.question()
    frame.answer_all({})
    frame.submit("/check-answers")
    assert NOTICE in frame.page and "广东省 深圳市 南山区" in frame.page
