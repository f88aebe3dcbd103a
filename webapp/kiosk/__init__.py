"""Kiosk mode (issue 4): the questionnaire's journey on a shared touch screen at a 残疾人之家
or 政务服务中心 desk, used by one person after another.

The journey (webapp.journey) is mounted unchanged under /kiosk in the kiosk layout
(templates/kiosk/layout.html). What the kiosk adds:
- desk settings from the entry URL (`/kiosk?region=230100&lang=en`): the desk's, not the
  person's, so they may travel in URLs; after every wipe the kiosk comes back to them. A link
  changes nothing: the URL's settings are shown, every kiosk form carries them, and the
  first form the person sends keeps them in the session;
- switches in the kiosk bar: read aloud, 工作人员协助 (third-person wording, help expanded),
  extra-large text, high contrast, language — the person's, so wiped with the answers;
- the wipe (结束并清除, the idle timeout, and the journey's own clear): the whole signed session
  is dropped and the response says `Clear-Site-Data`; every kiosk response is
  `Cache-Control: no-store`, so Back shows nothing of the last person;
- an idle backstop on the server: the browser shows "你还在吗？" and wipes; if it cannot (a
  frozen tab, JavaScript failed), the first request after the limit finds the answers gone;
- the printed result slip, with a QR code of public catalogue links only (kiosk/slip.py).
"""
import time

from flask import (Blueprint, abort, current_app, g, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext

from flask_wtf.csrf import CSRFError

from .. import csrf, forms, journey, preferences
from ..engine import get_checker
from . import catalogue, slip
from ..journey import presenter

LAYOUT = "kiosk/layout.html"
KEY = "kiosk"            # the person's kiosk switches, beside the journey's own session keys
DESK = "kiosk_desk"      # the desk's defaults (region, language), restored after every wipe
SIZES = ("large", "larger")
THEMES = ("default", "contrast")
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
# Seconds the server waits beyond the browser's warning before dropping answers itself:
# covers a slow network between the last tap and the keep-alive that follows it.
BACKSTOP_GRACE = 30
# The journey's own "clear" route, and ours: both wipe the same way.
WIPE_ENDPOINTS = ("kiosk.clear_all", "kiosk.end")

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
journey.add_routes(bp, LAYOUT)


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(catalogue.bp)
    forms.carry(app, desk_fields)

    @app.context_processor
    def kiosk_context():
        if request.blueprint != "kiosk":
            return {}
        return {"kiosk_settings": settings(), "kiosk_languages": languages(),
                "kiosk_idle_seconds": int(current_app.config["KIOSK_IDLE_SECONDS"]),
                "kiosk_warning_seconds": int(current_app.config["KIOSK_WARNING_SECONDS"]),
                "kiosk_started": person_started(),
                "kiosk_return_path": _return_path()}


def person_started():
    """Whether someone has begun here: the start page after a wipe has nothing to protect,
    so its idle timer waits for the first touch instead of warning an empty screen forever."""
    return "helping" in session or bool(session.get("answers")) or bool(session.get("dont_know"))


# ---------------------------------------------------------------- settings

def desk_settings(raw):
    """The desk's defaults (region, language) from the entry URL or a form, validated."""
    region, lang = raw.get("region"), raw.get("lang")
    return {"region": region if isinstance(region, str) and region in get_checker().regions else None,
            "lang": lang if isinstance(lang, str) and lang in preferences.LANGUAGES else None}


def _stored(key):
    """A dict the kiosk keeps in the session; {} for anything else (a session from another version)."""
    value = session.get(key)
    return value if isinstance(value, dict) else {}


def current_desk():
    """The desk's defaults: kept in the session once the person has sent a form; until then,
    from the entry URL (shown, not stored) or the fields every kiosk form carries."""
    if _stored(DESK):
        return desk_settings(_stored(DESK))
    if request.method == "POST":
        return desk_settings({"region": request.form.get("desk_region"), "lang": request.form.get("desk_lang")})
    return desk_settings(request.args)


def desk_fields():
    """What every kiosk form carries: the desk's defaults, so that a wipe or the first form after
    one returns to them even when the session is gone."""
    if request.blueprint != "kiosk":
        return []
    desk = g.get("kiosk_desk") or current_desk()
    return [("desk_region", desk["region"] or ""), ("desk_lang", desk["lang"] or "")]


def settings():
    """The current person's kiosk switches, and the desk's defaults."""
    state = _stored(KEY)
    desk = g.get("kiosk_desk") or current_desk()
    lang = state.get("lang")
    lang = lang if isinstance(lang, str) and lang in preferences.LANGUAGES else desk["lang"] or "zh_CN"
    return {"speech": bool(state.get("speech")), "assist": bool(state.get("assist")),
            "size": state.get("size") if state.get("size") in SIZES else "large",
            "theme": state.get("theme") if state.get("theme") in THEMES else "default",
            "lang": lang, "desk": desk}


def languages():
    """(locale, name in its own language, is current) for the language buttons."""
    current = settings()["lang"]
    names = {"zh_CN": "中文", "en": "English"}
    return [(code, names.get(code, code), code == current) for code in preferences.LANGUAGES]


def _update(**changes):
    state = dict(_stored(KEY))
    state.update(changes)
    session[KEY] = state


def _return_path():
    path = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return path if path.startswith("/kiosk") else url_for("kiosk.start")


def idle_limit():
    return int(current_app.config["KIOSK_IDLE_SECONDS"]) + int(current_app.config["KIOSK_WARNING_SECONDS"])


def entry_url(desk, cleared=False):
    params = {k: v for k, v in desk.items() if v}
    if cleared:
        params["cleared"] = "1"
    return url_for("kiosk.entry", **params)


# ---------------------------------------------------------------- every kiosk request

@bp.before_request
def before():
    """The idle backstop, then the person's language for this page."""
    now = int(time.time())
    seen = _stored(KEY).get("seen")
    if seen and (not isinstance(seen, int) or now - seen > idle_limit() + BACKSTOP_GRACE):
        desk = desk_settings(_stored(DESK))
        session.clear()
        return wiped(redirect(entry_url(desk, cleared=True), code=303))
    g.kiosk_desk = current_desk()
    if request.endpoint not in WIPE_ENDPOINTS:
        if request.method == "POST" and not session.get(DESK) and "desk_region" in request.form:
            # the first form after the entry URL (its token checked): the desk's defaults stay
            session[DESK] = g.kiosk_desk
            if g.kiosk_desk["region"] and not session.get("region"):
                session["region"] = g.kiosk_desk["region"]
        _update(seen=now)
    g.locale = settings()["lang"]
    return None


@bp.after_request
def after(response):
    # Nothing a kiosk page shows may outlive it in any cache: the next person could press Back.
    response.headers["Cache-Control"] = "no-store"
    if request.endpoint == "kiosk.clear_all":
        # The journey's own clear (its route, our blueprint): the same wipe as 结束并清除.
        response.headers["Location"] = entry_url(g.get("kiosk_desk") or {}, cleared=True)
        wiped(response)
    return response


def wiped(response):
    """A response that leaves nothing of the person in this browser. The caller has cleared the
    signed session (where the answers are), so Flask deletes its cookie; preference cookies go
    too, and Clear-Site-Data tells the browser to drop its cache (including the back/forward
    cache), cookies and storage."""
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    response.headers["Cache-Control"] = "no-store"
    for name in ("lang", "text", "theme"):
        if name in request.cookies:
            response.delete_cookie(name, path="/")
    return response


# ---------------------------------------------------------------- kiosk routes

@bp.get("", strict_slashes=False)
def entry():
    """`/kiosk?region=<code>&lang=<zh_CN|en>`: a desk's start URL. Opens the start page with the
    desk's defaults; they are kept (and the region preset) when the person sends a form."""
    desk = desk_settings(request.args.to_dict())
    cleared = request.args.get("cleared") == "1"
    return redirect(url_for("kiosk.start", **{k: v for k, v in desk.items() if v}, cleared=1 if cleared else None),
                    code=303)


@bp.post("/end")
def end():
    """结束并清除, and the idle timeout: the next page is the start page with the desk defaults
    (from the session, or from the form when the session is gone: cookie refused, another tab wiped)."""
    desk = g.kiosk_desk
    session.clear()
    return wiped(redirect(entry_url(desk, cleared=True), code=303))


@bp.errorhandler(CSRFError)
def refused(error):
    """A wipe whose token no longer matches because the session is already gone (another tab
    wiped, the cookie was refused) has nothing left to protect: it still wipes, so 结束并清除 and
    the idle timeout always work. Any other refused form: the kiosk's refusal page."""
    if request.endpoint in WIPE_ENDPOINTS and not csrf.cross_site() and not session.get(csrf.FIELD):
        session.clear()
        desk = g.kiosk_desk = current_desk()
        return wiped(redirect(entry_url(desk, cleared=True), code=303))
    return csrf.refused(error)


@bp.post("/keepalive")
def keepalive():
    """The person is still there (taps that change no page): the backstop's clock restarts."""
    return ("", 204)


@bp.post("/settings")
def change_settings():
    """The kiosk bar's switches. Without JavaScript the form posts and returns to the same page;
    with it, read aloud changes without a reload."""
    form = request.form
    changes = {}
    for name, allowed in (("speech", ("on", "off")), ("assist", ("on", "off")), ("size", SIZES),
                          ("theme", THEMES), ("lang", tuple(preferences.LANGUAGES))):
        if form.get(name) in allowed:
            value = form[name]
            changes[name] = (value == "on") if name in ("speech", "assist") else value
    if not changes:
        abort(400, description=gettext("这个请求没有可以更改的设置（朗读、工作人员协助、字号、对比度或语言）。"))
    _update(**changes)
    if "assist" in changes:
        # A desk worker asks on the person's behalf: the journey's own third-person wording.
        session["helping"] = changes["assist"]
    if form.get("ajax"):
        return jsonify({k: v for k, v in settings().items() if k != "desk"})
    return redirect(_safe_return(form.get("next")), code=303)


def _safe_return(target):
    """Back to the kiosk page the switch was on; never anywhere else."""
    if isinstance(target, str) and target.startswith("/kiosk") and "//" not in target and "\\" not in target:
        return target
    return url_for("kiosk.start")


@bp.get("/slip")
def result_slip():
    """The result slip to print: likely benefits, where to apply, what to bring, and a QR code
    that opens the public catalogue entries for them (no answers in it)."""
    state = journey.journey()
    if not state["region"]:
        return redirect(url_for("kiosk.region"), code=303)
    checker = get_checker()
    report = checker.check(state["region"], state["answers"], dont_know=state["dont_know"])
    results = slip.slip_results(report)
    url = slip.catalogue_url(public_base_url(), report.region.code, [r.id for r in results])
    paper = request.args.get("paper")
    return render_template("kiosk/slip.html", layout=LAYOUT, state=state, checker=checker, report=report,
                           likely=[r for r in results if r.status == "eligible"],
                           to_confirm=[r for r in results if r.status == "undetermined"],
                           changes=presenter.would_change(report),
                           lacks_certificate=presenter.lacks_certificate(report),
                           qr_url=url, qr_svg=slip.qr_svg(url, _qr_title()),
                           paper=paper if paper in ("receipt", "a4") else "a4")


def public_base_url():
    """Where a phone reaches the public site: KIOSK_PUBLIC_URL when the kiosk itself is served
    on an internal address, else this request's host."""
    return current_app.config.get("KIOSK_PUBLIC_URL") or request.host_url


def _qr_title():
    return gettext("二维码：用手机扫一扫，打开这些福利的公开说明")
