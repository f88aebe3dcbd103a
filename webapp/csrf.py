"""Cross-site request forgery: another site must not be able to submit our forms for a visitor
(overwrite or wipe their answers, change their settings).

Two checks on every form POST:
- where it comes from: a browser says so in `Sec-Fetch-Site` and `Origin`; a POST from another
  site is refused, whatever it carries;
- a token only our own pages know: Flask-WTF's CSRFProtect on the web and the kiosk (the token
  lives in the signed session cookie, so serving stays stateless). The widget's frame has no
  cookie at all; there the signed frame state every form carries is the token (embed/state.py).

A refused form gets a page in the person's language that says their answers are safe and
offers to go on — never a bare error, never lost answers.
"""
from urllib.parse import urlsplit

from flask import current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from . import forms

FIELD = "csrf_token"
SAFE_FETCH_SITES = ("same-origin", "none")      # "none": typed or bookmarked by the person


def init_app(app):
    app.config.setdefault("WTF_CSRF_FIELD_NAME", FIELD)
    # No time limit of its own: the token lives as long as the session (WCAG 2.2.1 — nobody is
    # timed out of a form without warning; the kiosk has its own, announced, limit).
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # Flask-WTF's HTTPS check wants a Referer naming this host; our Referrer-Policy: no-referrer
    # means browsers send none. check_origin asks the browser's Sec-Fetch-Site and Origin instead.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    protect = CSRFProtect()
    app.extensions["csrf_exempt_paths"] = []
    app.before_request(check_origin)       # before CSRFProtect's check: the clearer message wins
    protect.init_app(app)
    app.register_error_handler(CSRFError, refused)
    forms.carry(app, token_field)
    return protect


def exempt_path(app, test):
    """Paths CSRFProtect leaves alone (the widget's frame: its state is its token). The origin
    check still applies to them."""
    app.extensions["csrf_exempt_paths"].append(test)


def token_field():
    if any(test(request.path) for test in current_app.extensions["csrf_exempt_paths"]):
        return []
    return [(FIELD, generate_csrf())]


def cross_site():
    """Whether the browser says this request was sent by another site's page."""
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in SAFE_FETCH_SITES:
        return True
    origin = request.headers.get("Origin")
    # "null" says nothing: our own Referrer-Policy: no-referrer makes browsers send it for our
    # own forms. Compare hosts only: behind a TLS-terminating proxy the scheme may differ.
    return bool(origin) and origin != "null" and urlsplit(origin).netloc != request.host


def check_origin():
    if request.method != "POST" or request.blueprint == "api":     # the public API takes any origin
        return None
    if cross_site():
        raise CSRFError(_("这个表单是从别的网站提交的。"))
    return None


def refused(error):
    """400, in the layout of the part of the site the form was on, with a way to go on."""
    from . import kiosk
    blueprint = request.blueprint or "web"
    if blueprint == "kiosk":
        g.locale = kiosk.settings()["lang"]
        layout = kiosk.LAYOUT
    elif blueprint.startswith("embed"):
        layout = "embed/layout.html"
    else:
        layout, blueprint = "layout.html", "web"
    if blueprint.startswith("embed"):
        go_on = url_for("embed_journey.start")
    else:
        go_on = url_for(f"{blueprint}.next_step")
    return render_template("errors/refused.html", layout=layout, go_on=go_on), 400
