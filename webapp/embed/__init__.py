"""The embeddable widget (issue 5): portals paste one line,

    <script src="https://HOST/widget.js" data-region="230100" data-lang="zh-CN" async></script>

and get the questionnaire's journey in a titled iframe, in the embed layout (no site header or
footer), with the portal's region preset.

- `/widget.js` (static/widget.js) inserts the iframe and keeps it as tall as its content;
  static/embed-frame.js is the frame's side of that postMessage protocol.
- `/embed/frame` takes the portal's settings and starts the journey, which is mounted under
  /embed/frame, rendering each next page in place of a redirect; `state` explains how it
  keeps answers without a cookie, and why that state is also the frame's CSRF token.
- Embed pages may be framed by WIDGET_ALLOWED_ORIGINS (and this origin, for the preview);
  every other page keeps security.py's `frame-ancestors 'none'`.
- `/embed` is the page for portal teams: snippet, options, live preview, accessibility
  contract, privacy statement.
"""
import flask_babel
from flask import Blueprint, current_app, g, render_template, request, send_from_directory, session

from .. import csrf, forms, journey, preferences
from ..engine import get_checker
from ..journey import respond
from .origins import frame_ancestors, parse_allowed_origins, parse_origin
from .state import FRAME_PREFIX, NAV_FIELD, EmbedSession, EmbedSessionInterface, is_frame_path, state_field

bp = Blueprint("embed", __name__)

JOURNEY = "embed_journey"                         # the questionnaire's blueprint, under FRAME_PREFIX
LAYOUT = "embed/layout.html"
LANGUAGES = {"zh-CN": "zh_CN", "en": "en"}       # data-lang -> the app's locale
THEMES = {"large": ("text", "large"), "contrast": ("theme", "contrast")}   # data-theme words
DEFAULTS = {"lang": "zh_CN", "text": "normal", "theme": "default"}


def init_app(app):
    """Register the widget. Call after the site's context processors (this one overrides their
    display preferences inside the frame, where the preference cookies are not ours to read)."""
    app.extensions["widget_origins"] = parse_allowed_origins(app.config.get("WIDGET_ALLOWED_ORIGINS"))
    app.session_interface = EmbedSessionInterface(app.session_interface)
    frame = journey.make_blueprint(JOURNEY, url_prefix=FRAME_PREFIX, layout=LAYOUT, render_here=True,
                                   preset_region=portal_region)
    # The frame's own pages sit on the journey's blueprint, so the pages they render link inside it.
    frame.add_url_rule("", "frame_start", frame_start, methods=["GET"], strict_slashes=False)
    frame.add_url_rule("/settings", "settings", settings, methods=["POST"])
    frame.add_url_rule("/resume", "resume", resume, methods=["GET"])
    frame.before_request(posted_state)
    app.register_blueprint(bp)
    app.register_blueprint(frame)
    # The frame has no cookie, so no CSRF cookie token: its signed state is its token.
    app.extensions["csrf"].exempt(frame)
    csrf.exempt_path(app, is_frame_path)
    forms.carry(app, state_field)

    @app.before_request
    def frame_language():
        if is_frame_path(request.path) and isinstance(session, EmbedSession):
            g.locale = frame_settings()["lang"]

    @app.after_request
    def frame_headers(response):
        if is_frame_path(request.path):
            response.frame_ancestors = frame_ancestors(app.extensions["widget_origins"])
            # The page holds the person's answers (in its forms): no cache may keep it.
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Set-Cookie", None)
        return response

    @app.context_processor
    def frame_context():
        if not is_frame_path(request.path) or not isinstance(session, EmbedSession):
            return {}
        prefs = frame_settings()
        classes = " ".join(c for c in ("text-large" if prefs["text"] == "large" else "",
                                        "theme-contrast" if prefs["theme"] == "contrast" else "") if c)
        return {"prefs": prefs, "page_classes": classes, "embed_frame": session.frame,
                "embed_step": request.method == "POST",
                "page_url": g.get("page_url") or request.full_path.rstrip("?")}


def frame_settings():
    """The frame's display settings: the portal's data-lang / data-theme, then the person's switches."""
    frame = session.frame
    allowed = {"lang": tuple(LANGUAGES.values()), "text": preferences.TEXT_SIZES, "theme": preferences.THEMES}
    return {key: frame[key] if isinstance(frame.get(key), str) and frame[key] in allowed[key] else default
            for key, default in DEFAULTS.items()}


def allowed_host(origin):
    """The portal origin the frame may post messages to (checked against the allow-list), or None."""
    if not origin or parse_origin(origin) is None:
        return None
    if origin == request.host_url.rstrip("/") or any(
            allowed.matches(origin) for allowed in current_app.extensions["widget_origins"]):
        return origin
    return None


def set_locale(lang):
    g.locale = lang
    flask_babel.refresh()       # the frame's language changed within this request


def portal_region():
    """With the portal's region preset, 开始 goes straight to the first question; the region
    page (Back from there, or 更改 on the check-answers page) still lets the person change it."""
    return session.frame.get("region") if isinstance(session, EmbedSession) else None


def posted_state():
    """Every POST in the frame: one without a valid state (missing, forged, expired) is not acted
    on — the frame shows that address's page afresh; a link followed with the state (#embed-nav)
    shows the page it points to."""
    if request.method != "POST":
        return None
    request.form        # an oversized body: Flask's 413 (open_session could not say it)
    if not session.valid:
        session.clear()
        return respond.render_url(request.full_path, f"{JOURNEY}.start")
    if NAV_FIELD in request.form:
        return respond.render_url(request.full_path, f"{JOURNEY}.start")
    return None


@bp.get("/widget.js")
def widget_js():
    response = send_from_directory(current_app.static_folder, "widget.js",
                                   mimetype="text/javascript", max_age=3600)
    # Portals load it with <script src>: let a host with Cross-Origin-Embedder-Policy do so.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def frame_start():
    """Where widget.js points the iframe: the portal's settings (not the person's), checked,
    then the journey's start page."""
    region = request.args.get("region", "")
    words = request.args.get("theme", "").split()
    frame = {"host": allowed_host(request.args.get("host", "")),
             "lang": LANGUAGES.get(request.args.get("lang", ""), DEFAULTS["lang"]),
             "region": region if region in get_checker().regions and region != "000000" else None}
    frame.update(THEMES[word] for word in words if word in THEMES)
    session.frame = frame
    set_locale(frame["lang"])
    return respond.redirect_or_render(f"{JOURNEY}.start")


def settings():
    """The frame's own language / large text / contrast switches: the same page again, with the answers."""
    lang = LANGUAGES.get(request.form.get("lang", ""))
    text = request.form.get("text")
    theme = request.form.get("theme")
    if lang:
        session.frame["lang"] = lang
        set_locale(lang)
    if text in preferences.TEXT_SIZES:
        session.frame["text"] = text
    if theme in preferences.THEMES:
        session.frame["theme"] = theme
    session.modified = True
    target = preferences.safe_next(request.form.get("next"))
    return respond.render_url(target if is_frame_path(target.split("?")[0]) else FRAME_PREFIX + "/",
                              f"{JOURNEY}.start")


def resume():
    """The URL each frame page leaves in its history entry (see embed-frame.js): Back and
    Forward come here, and the script posts that entry's answers back to its page."""
    return render_template("embed/resume.html", layout=LAYOUT)


@bp.get("/embed")
def docs():
    checker = get_checker()
    regions = sorted(((r.code, r.name) for r in checker.book.regions.values() if r.level != "national"),
                     key=lambda item: item[0])
    return render_template("embed/docs.html", layout="layout.html", regions=regions,
                           widget_host=request.host_url.rstrip("/"),
                           origins=[o.source() for o in current_app.extensions["widget_origins"]])
