"""A person walking the questionnaire the way a browser without JavaScript would: read the
page, fill in the form it shows (keeping its hidden fields: tokens, the widget's state),
submit, follow the redirect. Standard library only, so it also runs inside a fresh venv
with nothing of the project on its path, and against a real server over HTTP.

Two transports: `FlaskBrowser` (a Flask test client) and `HttpBrowser` (http.client,
its own cookie jar, every response's headers kept so tests can see which server answered).
"""
import gzip
import html
import http.client
import re
from urllib.parse import urlencode, urljoin, urlsplit

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
INPUT = re.compile(r"<input\b([^>]*)>")
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
STATUS = re.compile(r'data-benefit="(\w+)" data-status="(\w+)"')

# A rich profile: an adult with a grade-2 physical disability on dibao (most benefits shown).
RICH = {"age": "45", "has_certificate": "true", "disability_category": "physical", "disability_grade": "2",
        "household": "dibao", "local_hukou": "true", "long_term_care_need": "true", "employment": "not_working",
        "hukou": "urban", "military_disability": "false", "below_retirement_age": "true", "new_graduate": "false",
        "autism": "false", "motorized_wheelchair": "false"}


class Page:
    def __init__(self, status, url, body, headers):
        """`body` as received; `transferred` is its size on the wire, `text` the page decoded."""
        self.status, self.url, self.headers = status, url, headers
        self.transferred = len(body)
        encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding")
        self.text = (gzip.decompress(body) if encoding == "gzip" else body).decode("utf-8", "replace")

    @property
    def path(self):
        return urlsplit(self.url).path

    @property
    def step(self):
        """Where the page's own form posts (the widget's frame answers a POST with the next page
        at the POST's URL, so the form, not the URL, says which page this is); else the URL.
        The journey's forms are the `novalidate` ones; the header's display switches, the kiosk
        bar and 清除 forms are never the page's own."""
        forms = FORM.findall(self.text)
        for attrs, _ in sorted(forms, key=lambda form: "novalidate" not in form[0]):
            attributes = dict(ATTR.findall(attrs))
            action = attributes.get("action")
            if attributes.get("method", "get").lower() == "post" and action and not html.unescape(action).split(
                    "?")[0].endswith(("/clear", "/settings", "/end")):
                return urlsplit(urljoin(self.url, html.unescape(action))).path
        return self.path

    def form(self, action_path=None):
        """(action, hidden fields) of the page's form posting to `action_path` (default: this page)."""
        wanted = action_path or self.step
        for attrs, body in FORM.findall(self.text):
            attributes = dict(ATTR.findall(attrs))
            action = html.unescape(attributes.get("action", self.url))
            if attributes.get("method", "get").lower() == "post" and urlsplit(urljoin(self.url, action)).path == wanted:
                hidden = {}
                for field in INPUT.findall(body):
                    field = {k: html.unescape(v) for k, v in ATTR.findall(field)}
                    if field.get("type") == "hidden" and "name" in field:
                        hidden[field["name"]] = field.get("value", "")
                return urljoin(self.url, action), hidden
        raise AssertionError(f"no form posting to {wanted} on {self.url} (status {self.status})")

    def submit(self, browser, data=None, action_path=None):
        action, hidden = self.form(action_path)
        return browser.post(action, {**hidden, **(data or {})})


class FlaskBrowser:
    def __init__(self, client, headers=None):
        self.client, self.headers, self.pages = client, dict(headers or {}), []

    def _page(self, response):
        page = Page(response.status_code, response.request.url, response.get_data(), dict(response.headers))
        self.pages.append(page)
        return page

    def get(self, url):
        return self._page(self.client.get(url, headers=self.headers, follow_redirects=True))

    def post(self, url, data):
        return self._page(self.client.post(url, data=data, headers=self.headers, follow_redirects=True))


class HttpBrowser:
    """One visitor over real HTTP: cookies kept, redirects followed, each response recorded."""

    def __init__(self, base, timeout=20):
        self.base, self.timeout = base.rstrip("/"), timeout
        self.cookies, self.responses, self.pages = {}, [], []

    def request(self, method, url, body=None, headers=None):
        """One request, no redirect following: (status, headers, body bytes)."""
        parts = urlsplit(urljoin(self.base + "/", url))
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, sent)
            response = connection.getresponse()
            data = response.read()
            received = response.getheaders()
        finally:
            connection.close()
        for name, value in received:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val and "max-age=0" not in value.lower() and "expires=thu, 01 jan 1970" not in value.lower():
                    self.cookies[key.strip()] = val
                else:
                    self.cookies.pop(key.strip(), None)
        headers = {}
        for name, value in received:
            headers.setdefault(name.lower(), value)
        self.responses.append((method, url, response.status, headers))
        return response.status, headers, data

    def _follow(self, method, url, body=None, headers=None):
        for _ in range(10):
            status, received, data = self.request(method, url, body, headers)
            if status in (301, 302, 303, 307, 308) and "location" in received:
                url = urljoin(urljoin(self.base + "/", url), received["location"])
                if status in (301, 302, 303):
                    method, body, headers = "GET", None, None
                continue
            page = Page(status, urljoin(self.base + "/", url), data, received)
            self.pages.append(page)
            return page
        raise AssertionError(f"too many redirects from {url}")

    def get(self, url):
        return self._follow("GET", url)

    def post(self, url, data):
        return self._follow("POST", url, urlencode(data, doseq=True),
                            {"Content-Type": "application/x-www-form-urlencoded"})


def walk(browser, region="230100", values=RICH, start="/", limit=40):
    """Start, choose `region`, answer every question asked (from `values`, else 我不知道),
    confirm the answers: the results page, and the facts asked in order."""
    prefix = start.rstrip("/")
    page = browser.get(start)
    assert page.status == 200, (page.url, page.status)
    page = page.submit(browser, {"helping": "self"}, f"{prefix}/start")
    if page.step == f"{prefix}/region":
        page = page.submit(browser, {"region": region})
    asked = []
    for _ in range(limit):
        assert page.status == 200, (page.url, page.status, page.text[:300])
        if "/question/" not in page.step:
            break
        fact = page.step.rsplit("/", 1)[1]
        assert fact not in asked, f"{fact} asked twice: {asked}"
        asked.append(fact)
        page = page.submit(browser, {fact: values.get(fact, "unknown")})
    else:
        raise AssertionError("the journey did not end")
    assert page.step == f"{prefix}/check-answers", (page.url, page.status)
    page = page.submit(browser)
    assert page.status == 200 and statuses(page), (page.url, page.status)   # the results page
    return page, asked


def statuses(page):
    return dict(STATUS.findall(page.text))
