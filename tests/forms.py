"""Submitting forms the way a browser does in tests: with the hidden fields the page rendered
into the form (the CSRF token, the widget's signed state, a kiosk desk's defaults)."""
import html as htmllib
import re

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
HIDDEN = re.compile(r'<input\b(?=[^>]*\btype="hidden")[^>]*>')
ATTR = re.compile(r'\b(name|value|action|method)="([^"]*)"')


def forms(html):
    """[(action, {hidden field: value})] of the page's POST forms, in page order."""
    found = []
    for attrs, body in FORM.findall(html):
        tag = {k: htmllib.unescape(v) for k, v in ATTR.findall(attrs)}
        if tag.get("method", "").lower() != "post":
            continue
        fields = {}
        for field in HIDDEN.findall(body):
            named = {k: htmllib.unescape(v) for k, v in ATTR.findall(field)}
            if "name" in named:
                fields[named["name"]] = named.get("value", "")
        found.append((tag.get("action", ""), fields))
    return found


def form_fields(html, action=None):
    """The hidden fields of the page's POST form whose action (without its query) ends with
    `action`, or of its first POST form."""
    for found, fields in forms(html):
        if action is None or found.split("?")[0].endswith(action):
            return fields
    raise AssertionError(f"no POST form{' for ' + action if action else ''} on the page")


def carried(client, page="/"):
    """What every form of `page` carries (e.g. {"csrf_token": ...}), read from the page itself."""
    response = client.get(page, follow_redirects=True)
    return form_fields(response.get_data(as_text=True))


def choose_settings(client, page="/", **changes):
    """Press the header's display switches on `page` (e.g. lang="en"): the POST the buttons send."""
    html = client.get(page, follow_redirects=True).get_data(as_text=True)
    return client.post("/settings", data={**form_fields(html, "/settings"), **changes})
