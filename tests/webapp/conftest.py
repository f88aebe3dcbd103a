"""Submitting forms the way a browser does: open the page, take the form, keep its hidden fields.

Every form test that must survive hidden fields it does not know about (the widget's signed
state, a CSRF token) posts through `Browser.submit`, the one place that copies them.
"""

import pytest

from tests.forms import forms

# One reading of a page's forms for every test helper (tests/forms.py).
post_forms = forms


class Browser:
    """A test client that fills in forms from the page it last saw."""

    def __init__(self, client):
        self.client = client
        self.page = ""

    def get(self, path, **kwargs):
        response = self.client.get(path, **kwargs)
        if response.mimetype == "text/html" and response.status_code == 200:
            self.page = response.get_data(as_text=True)
        return response

    def hidden_fields(self, action):
        """The hidden fields of the last page's POST form for `action` (matched without its query);
        for an action no form of the page has, those of its first form (a forged request that
        copies what a page gives every form, as a signed state or a CSRF token)."""
        path = action.split("?")[0]
        forms = post_forms(self.page)
        for form_action, hidden in forms:
            if form_action.split("?")[0] == path:
                return hidden
        return forms[0][1] if forms else {}

    def submit(self, action, data, page=None, **kwargs):
        """POST `data` to `action` as the form on `page` (opened first; else the last page) would:
        with the form's hidden fields, which `data` may override (to tamper with them)."""
        if page is not None:
            self.get(page)
        fields = {**self.hidden_fields(action), **data}
        response = self.client.post(action, data=fields, **kwargs)
        if response.mimetype == "text/html" and response.status_code == 200:
            self.page = response.get_data(as_text=True)
        return response


@pytest.fixture
def visitor(client):
    """Someone filling in the site's forms (not a real browser: that is tests/browser/)."""
    return Browser(client)
