"""The questionnaire journey, server side: GOV.UK patterns, fact-id form fields, no lost answers."""
import re

import pytest

from tests.forms import carried, choose_settings, form_fields

STATUS = re.compile(r'data-benefit="(\w+)" data-status="(\w+)"')


def post(client, url, data=None):
    """Submit a form as the browser does: with what the page's forms carry (the CSRF token)."""
    return client.post(url, data={**carried(client), **(data or {})})


def start(client, region="230100", helping="self"):
    post(client, "/start", {"helping": helping})
    return post(client, "/region", {"region": region})


def answer_all(client, values, limit=30):
    """Answer whatever the engine asks next, from `values` (unknown otherwise); the facts asked."""
    asked = []
    for _ in range(limit):
        location = client.get("/next").location
        if "/question/" not in location:
            return asked
        fact = location.rsplit("/", 1)[1]
        asked.append(fact)
        page = client.get(location)
        assert page.status_code == 200
        post(client, location, {fact: values.get(fact, "unknown")})
    raise AssertionError("the journey did not end")


def test_start_page_says_what_it_is(client):
    html = client.get("/").get_data(as_text=True)
    assert "不是申请" in html and "12385" in html and "不保存" in html
    assert 'name="helping"' in html and 'value="other"' in html
    assert '<html lang="zh-CN"' in html


def test_region_choice_uses_region_codes(client):
    post(client, "/start", {"helping": "self"})
    html = client.get("/region").get_data(as_text=True)
    for code in ("230100", "231081", "610103", "330100", "371503"):
        assert f'name="region" type="radio" value="{code}"' in html
    drill = client.get("/region?within=000000").get_data(as_text=True)
    assert 'value="230000"' in drill and 'href="/region?within=230000"' in drill
    assert client.get("/region?within=999999").status_code == 404


def test_region_error_keeps_the_page(client):
    post(client, "/start", {"helping": "self"})
    response = post(client, "/region", {})
    html = response.get_data(as_text=True)
    assert "<title>错误：" in html and 'class="error-summary"' in html and 'href="#region"' in html
    assert "请选择你住在哪里" in html
    assert post(client, "/region", {"region": "999999"}).status_code == 200


def test_questions_are_asked_only_while_they_matter_and_results_match_the_api(client):
    start(client, "230100")
    values = {"age": "8", "has_certificate": "true", "disability_category": "physical", "household": "dibao",
              "local_hukou": "true", "disability_grade": "2", "long_term_care_need": "true", "autism": "false",
              "hukou": "urban", "military_disability": "false"}
    asked = answer_all(client, values)
    assert asked and len(asked) == len(set(asked))
    assert "employment" not in asked           # an 8-year-old is not asked about work
    html = client.get("/results").get_data(as_text=True)
    shown = dict(STATUS.findall(html))
    answers = {f: (int(v) if v.isdigit() else v == "true" if v in ("true", "false") else v)
               for f, v in values.items() if f in asked}
    api = client.post("/api/v1/check", json={"region": "230100", "answers": answers}).json
    assert shown == {r["benefit"]: r["status"] for r in api["results"]}
    assert shown["child_rehab"] == "eligible"


def test_every_question_offers_dont_know_and_is_not_asked_again(client):
    start(client, "330100")
    asked = answer_all(client, {})
    assert asked
    html = client.get("/check-answers").get_data(as_text=True)
    assert html.count("我不知道") >= len(asked)


@pytest.mark.parametrize("value, message", [
    ("", "请填写数字"), ("abc", "只能填写数字"), ("200", "请填写 0 到 130 之间的数字"), ("-1", "只能填写数字"),
    ("²", "只能填写数字"), ("①", "只能填写数字"), ("٣", "只能填写数字"), ("9" * 5000, "请填写 0 到 130 之间的数字"),
    ("10000000", "请填写 0 到 130 之间的数字"),
])
def test_age_errors_are_specific_and_keep_what_was_typed(client, value, message):
    start(client)
    html = post(client, "/question/age", {"age": value}).get_data(as_text=True)
    assert "<title>错误：" in html and message in html and 'aria-invalid="true"' in html
    assert 'href="#age"' in html and 'aria-describedby="age-hint age-error"' in html
    assert f'value="{value}"' in html


@pytest.mark.parametrize("typed, stored", [(" 8 ", 8), ("８", 8), ("8岁", 8), ("8 周岁", 8)])
def test_age_accepts_what_people_type(client, typed, stored):
    start(client)
    post(client, "/question/age", {"age": typed})
    assert f"{stored}" in client.get("/check-answers").get_data(as_text=True)


@pytest.mark.parametrize("value, message", [("①", "只能填写数字"), ("²", "只能填写数字"),
                                            ("9" * 5000, "请填写 1 到 4 之间的数字")])
def test_grade_refuses_digits_that_are_not_ascii(client, value, message):
    start(client)
    response = post(client, "/question/disability_grade", {"disability_grade": value})
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_leading_zeros_are_still_the_number(client):
    start(client)
    post(client, "/question/age", {"age": "0000000000008"})
    assert client.get("/question/age").get_data(as_text=True).count('value="8"') == 1


def test_choice_error_and_wrong_value(client):
    start(client)
    html = post(client, "/question/household", {}).get_data(as_text=True)
    assert "请选择一项" in html and 'href="#household"' in html
    html = post(client, "/question/household", {"household": "rich"}).get_data(as_text=True)
    assert "请从列出的选项中选择一项" in html
    assert client.get("/question/shoe_size").status_code == 404


def test_back_links_and_answers_kept(client):
    start(client)
    first = client.get("/next").location.rsplit("/", 1)[1]
    post(client, f"/question/{first}", {first: "true" if first != "age" else "30"})
    second = client.get("/next").location.rsplit("/", 1)[1]
    html = client.get(f"/question/{second}").get_data(as_text=True)
    assert f'href="/question/{first}" class="back-link"' in html
    back = client.get(f"/question/{first}").get_data(as_text=True)
    assert "checked" in back or 'value="30"' in back   # the earlier answer is still there


def test_change_link_returns_to_check_answers(client):
    start(client, "230100")
    answer_all(client, {"age": "40", "has_certificate": "false", "household": "none", "local_hukou": "true",
                        "employment": "employed", "hukou": "urban", "military_disability": "false"})
    html = client.get("/check-answers").get_data(as_text=True)
    assert 'href="/question/age?change=1"' in html and 'href="/region?change=1"' in html
    change = client.get("/question/age?change=1").get_data(as_text=True)
    assert 'href="/check-answers" class="back-link"' in change
    after = post(client, "/question/age?change=1", {"age": "41"}).location
    assert client.get(after).location.endswith("/check-answers")


def test_results_group_and_explain(client):
    start(client, "230100")
    answer_all(client, {"age": "40", "has_certificate": "true", "disability_grade": "1", "disability_category": "physical",
                        "household": "dibao", "local_hukou": "true", "long_term_care_need": "true",
                        "employment": "not_working", "hukou": "urban", "military_disability": "false"})
    html = client.get("/results").get_data(as_text=True)
    assert "可以申请" in html and "暂未发现" in html
    assert 'data-benefit="living_subsidy" data-status="eligible"' in html
    assert "为什么" in html and "怎么申请" in html and "政策依据" in html and "原因" in html
    assert "国发〔2015〕52号" in html
    assert 'lang="zh-CN"' in html   # quotes keep their language in the English version too


def test_results_say_what_a_certificate_would_open(client):
    start(client, "230100")
    answer_all(client, {"age": "45", "has_certificate": "false", "household": "dibao_edge", "local_hukou": "true",
                        "hukou": "urban", "employment": "not_working", "military_disability": "false"})
    html = client.get("/results").get_data(as_text=True)
    assert "残疾人证是办理大多数残疾人福利的前提" in html
    section = html[html.index('id="would-change"'):]
    assert 'data-would-change="has_certificate=True"' in section
    assert "如果办了残疾人证，你还可能申请" in section and "县级残联" in section
    # age and category are never suggested, however much they would change
    assert "data-would-change=\"age" not in html and "disability_category=" not in section


def test_results_resting_on_a_draft_say_so(client):
    start(client, "610103")
    answer_all(client, {"age": "40", "has_certificate": "true", "disability_grade": "1", "disability_category": "physical",
                        "household": "dibao", "local_hukou": "true", "long_term_care_need": "true"})
    html = client.get("/results").get_data(as_text=True)
    living = html[html.index('data-benefit="living_subsidy"'):]
    living = living[:living.index("</article>")]
    assert "依据的是征求意见稿，最终以正式文件为准" in living and "（征求意见稿）" in living
    start(client, "230100")
    answer_all(client, {"age": "40", "has_certificate": "true", "disability_grade": "1", "disability_category": "physical",
                        "household": "dibao", "local_hukou": "true", "long_term_care_need": "true"})
    assert "征求意见稿" not in client.get("/results").get_data(as_text=True)


def test_clear_forgets_everything(client):
    start(client)
    post(client, "/question/age", {"age": "8"})
    response = post(client, "/clear")
    assert response.location.endswith("/?cleared=1")
    assert "已全部清除" in client.get(response.location).get_data(as_text=True)
    assert client.get("/check-answers").location.endswith("/region")


def test_answers_never_travel_in_urls(client):
    start(client)
    html = client.get(client.get("/next").location).get_data(as_text=True)
    assert re.search(r'<form method="post"', html)
    assert 'method="get"' not in html.lower()


def test_titles_are_unique_per_step(client):
    start(client)
    titles = set()
    for url in ("/", "/region", "/question/age", "/question/household", "/check-answers", "/results"):
        titles.add(re.search(r"<title>(.*?)</title>", client.get(url).get_data(as_text=True), re.S).group(1))
    assert len(titles) == 6


def test_third_person_questions_when_helping(client):
    start(client, helping="other")
    assert "他（她）今年多大" in client.get("/question/age").get_data(as_text=True)


def test_preferences_are_remembered_and_cannot_redirect_away(client):
    response = choose_settings(client, "/region", text="large", theme="contrast", lang="en")
    assert response.location == "/region"
    html = client.get("/").get_data(as_text=True)
    assert 'class="text-large theme-contrast"' in html and '<html lang="en"' in html
    token = carried(client)
    for away in ("https://evil.example/", "//evil.example/"):
        assert post(client, "/settings", {**token, "lang": "en", "next": away}).location == "/"


def test_a_settings_link_only_asks_to_confirm(client):
    """GET /settings (an old link, another site's link) changes nothing; its form does."""
    response = client.get("/settings?lang=en&text=large&next=/region")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and client.get_cookie("lang") is None and '<html lang="zh-CN"' in html
    fields = form_fields(html.split("</header>", 1)[1], "/settings")
    assert fields["lang"] == "en" and fields["text"] == "large" and fields["next"] == "/region"
    assert post(client, "/settings", fields).location == "/region"
    assert client.get_cookie("lang").value == "en" and client.get_cookie("text").value == "large"


def test_results_render_for_every_region_and_many_profiles(app, book):
    """Every benefit of every region renders in every state (no template error hides behind data)."""
    import random
    rng = random.Random(3)
    for code in book.regions:
        for _ in range(25):
            client = app.test_client()
            with client.session_transaction() as session:
                session.update(region=code, answers=book.catalogue.random_profile(rng), order=[], dont_know=[])
            response = client.get("/results")
            assert response.status_code == 200, code
            with client.session_transaction() as session:
                session["helping"] = True
            assert client.get("/check-answers").status_code == 200


def every_page(client, helping="self"):
    """(url, html) for each page of the web journey, with answers given so that results show."""
    start(client, "230100", helping)
    answer_all(client, {"age": "40", "has_certificate": "true", "disability_grade": "1", "disability_category": "physical",
                        "household": "dibao", "local_hukou": "true", "long_term_care_need": "true"})
    urls = ["/", "/region", "/region?within=000000", "/region?within=230000", "/question/age", "/question/household",
            "/check-answers", "/results", "/accessibility", "/privacy"]
    return [(url, client.get(url).get_data(as_text=True)) for url in urls]


def test_help_and_clear_are_on_every_page_in_the_same_order(client):
    """WCAG 3.2.3 / 3.2.6: the same header and footer everywhere; 结束并清除 on every page (issue 3 §6)."""
    for url, html in every_page(client):
        footer = html[html.index("<footer"):]
        assert footer.index("12385") < footer.index("12345") < footer.index("残疾人之家"), url
        assert '<form method="post" action="/clear"' in footer and "结束并清除" in footer, url
        assert all(word in html for word in ("English", "大字版（长辈版）", "高对比度")), url
        assert html.count("<h1") == 1, url


def test_pages_load_nothing_from_elsewhere_and_have_no_inline_code(client):
    """No third-party requests (fonts, CDNs, analytics) and nothing the strict CSP would block."""
    for url, html in every_page(client):
        assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"\son[a-z]+=", html), url      # no inline event handlers


def test_answers_are_shown_in_words_and_formatted_for_the_locale(client):
    start(client, "230100")
    answer_all(client, {"age": "8", "has_certificate": "true", "disability_category": "physical", "household": "dibao",
                        "local_hukou": "true", "disability_grade": "2"})
    html = client.get("/check-answers").get_data(as_text=True)
    assert "8岁" in html and ">是<" in html
    results = client.get("/results").get_data(as_text=True)
    assert "¥20,000.00" in results                                # Harbin's stated child_rehab amount
    assert re.search(r"本项政策自\d{4}年\d{1,2}月\d{1,2}日起施行", results)
    choose_settings(client, "/", lang="en")
    html = client.get("/check-answers").get_data(as_text=True)
    assert ">Yes<" in html and ">是<" not in html
    results = client.get("/results").get_data(as_text=True)
    assert "20,000.00" in results and re.search(r"\b(January|February|March|April|May|June|July|August|September|"
                                                  r"October|November|December) \d{1,2}, \d{4}", results)


def test_english_pages_have_no_untranslated_chinese(client):
    """Every message the web journey shows has an English translation; the only Chinese left is
    marked lang="zh-CN" (policy document names and quotes, and the 中文 switch)."""
    choose_settings(client, "/", lang="en")
    for helping in ("self", "other"):
        for url, html in every_page(client, helping):
            body = html[html.index("<body"):]
            body = re.sub(r'<(\w+)[^>]*\blang="zh-CN"[^>]*>.*?</\1>', "", body, flags=re.S)
            text = re.sub(r"<[^>]+>", " ", body)
            assert not re.findall(r"[\u4e00-\u9fff]+", text), (url, re.findall(r"[\u4e00-\u9fff]+", text)[:5])


def test_change_links_say_which_answer_they_change(client):
    """WCAG 2.4.4 / 2.5.3: every 更改 link starts with its visible word and names its question."""
    start(client, "230100")
    answer_all(client, {"age": "40", "has_certificate": "false"})
    html = client.get("/check-answers").get_data(as_text=True)
    links = re.findall(r'<a href="[^"]+">更改<span class="visually-hidden">：([^<]+)</span></a>', html)
    questions = re.findall(r'<dt class="summary-list__key">([^<]+)</dt>', html)
    assert links and links == questions


def test_any_form_input_is_an_error_page_never_a_500(app, book):
    """Whatever arrives in a form — wrong types, several values, huge or odd text — the answer is a
    page (200 with an error, or a redirect), never a server error."""
    from hypothesis import given, settings, strategies as st
    facts = list(book.catalogue.facts)
    junk = st.one_of(st.text(max_size=40), st.sampled_from(["", "unknown", "true", "false", "-0", "1e3", "٣", "８岁",
                                                               "9" * 40, "dibao", "none", "\x00"]))

    @settings(max_examples=150, deadline=None)
    @given(fact=st.sampled_from(facts), values=st.lists(junk, max_size=3), region=junk)
    def fuzz(fact, values, region):
        client = app.test_client()
        assert post(client, "/region", {"region": region}).status_code in (200, 303)
        start(client)
        response = post(client, f"/question/{fact}", {fact: values})
        assert response.status_code in (200, 303), (fact, values)
        assert client.get("/check-answers").status_code == 200

    fuzz()
