"""The embeddable widget (issue 5): portals paste one line,

    <script src="https://HOST/widget.js" data-region="230100" data-lang="zh-CN" async></script>

and get the questionnaire's journey in a titled iframe, in the embed layout (no site header or
footer), with the portal's region preset.

- `/widget.js` (static/widget.js) inserts the iframe and keeps it as tall as its content;
  static/embed-frame.js is the frame's side of that postMessage protocol.
- `/embed/frame` takes the portal's settings and starts the journey, which is mounted under
  /embed/frame unchanged; `state` explains how it keeps answers without a cookie.
- Embed pages may be framed by WIDGET_ALLOWED_ORIGINS (and this origin, for the preview);
  every other page keeps security.py's `frame-ancestors 'none'`.
- `/embed` is the page for portal teams: snippet, options, live preview, accessibility
  contract, privacy statement.
"""
import functools

from flask import (Blueprint, current_app, g, redirect, render_template, request,
                   send_from_directory, session, url_for)

from .. import journey, preferences
from ..engine import get_checker
from .origins import frame_ancestors, parse_allowed_origins, parse_origin
from .state import FRAME_PREFIX, EmbedSession, EmbedSessionInterface, FrameMiddleware, is_frame_path

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
    app.wsgi_app = FrameMiddleware(app, app.wsgi_app)
    app.register_blueprint(bp)
    app.register_blueprint(journey.make_blueprint(JOURNEY, url_prefix=FRAME_PREFIX, layout=LAYOUT))
    app.view_functions[f"{JOURNEY}.begin"] = _begin_in_region(app.view_functions[f"{JOURNEY}.begin"])

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
        return response

    @app.context_processor
    def frame_context():
        if not is_frame_path(request.path) or not isinstance(session, EmbedSession):
            return {}
        prefs = frame_settings()
        classes = " ".join(c for c in ("text-large" if prefs["text"] == "large" else "",
                                        "theme-contrast" if prefs["theme"] == "contrast" else "") if c)
        return {"prefs": prefs, "page_classes": classes, "embed_frame": session.frame,
                "embed_step": bool(request.environ.get("embed.step"))}


def frame_settings():
    """The frame's display settings: the portal's data-lang / data-theme, then the person's switches."""
    frame = session.frame
    return {key: frame.get(key) or default for key, default in DEFAULTS.items()}


def allowed_host(origin):
    """The portal origin the frame may post messages to (checked against the allow-list), or None."""
    if not origin or parse_origin(origin) is None:
        return None
    if origin == request.host_url.rstrip("/") or any(
            allowed.matches(origin) for allowed in current_app.extensions["widget_origins"]):
        return origin
    return None


def _begin_in_region(view):
    """With the portal's region preset, 开始 goes straight to the first question; the region
    page (Back from there, or 更改 on the check-answers page) still lets the person change it."""
    @functools.wraps(view)
    def begin(*args, **kwargs):
        response = view(*args, **kwargs)
        preset = session.frame.get("region") if isinstance(session, EmbedSession) else None
        if preset and response.status_code == 303:
            if not session.get("region"):
                session["region"] = preset
            return redirect(url_for(f"{JOURNEY}.next_step"), code=303)
        return response
    return begin


def _preset_region(code):
    """Any code of the region tree; a replaced code presets the current region; 全国 and
    unknown codes preset nothing (the person is asked where they live)."""
    region = get_checker().book.region(code) if code else None
    return region.code if region is not None and region.code != "000000" else None


@bp.get("/widget.js")
def widget_js():
    response = send_from_directory(current_app.static_folder, "widget.js",
                                   mimetype="text/javascript", max_age=3600)
    # Portals load it with <script src>: let a host with Cross-Origin-Embedder-Policy do so.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get(FRAME_PREFIX)
def frame_start():
    """Where widget.js points the iframe: the portal's settings (not the person's), checked,
    then the journey's start page."""
    region = request.args.get("region", "")
    words = request.args.get("theme", "").split()
    frame = {"host": allowed_host(request.args.get("host", "")),
             "lang": LANGUAGES.get(request.args.get("lang", ""), DEFAULTS["lang"]),
             "region": _preset_region(region)}
    frame.update(THEMES[word] for word in words if word in THEMES)
    session.frame = frame
    return redirect(url_for(f"{JOURNEY}.start"), code=303)


@bp.get(FRAME_PREFIX + "/settings")
def settings():
    """The frame's own language / large text / contrast switches (links, followed with the answers)."""
    lang = LANGUAGES.get(request.args.get("lang", ""))
    text = request.args.get("text")
    theme = request.args.get("theme")
    if lang:
        session.frame["lang"] = lang
    if text in preferences.TEXT_SIZES:
        session.frame["text"] = text
    if theme in preferences.THEMES:
        session.frame["theme"] = theme
    session.modified = True
    target = preferences.safe_next(request.args.get("next"))
    return redirect(target if is_frame_path(target.split("?")[0]) else url_for(f"{JOURNEY}.start"), code=303)


@bp.get(FRAME_PREFIX + "/resume")
def resume():
    """The URL each frame page leaves in its history entry (see embed-frame.js): Back and
    Forward come here, and the script posts that entry's answers back to its page."""
    return render_template("embed/resume.html", layout=LAYOUT)


@bp.get("/embed")
def docs():
    checker = get_checker()
    # The regions with rules of their own; every other code of the tree works too (the docs
    # point to /api/v1/regions?q= and ?parent= for looking them up).
    regions = sorted(((r.code, r.name) for r in checker.book.regions.values()
                      if r.level != "national" and r.folder is not None), key=lambda item: item[0])
    return render_template("embed/docs.html", layout="layout.html", regions=regions,
                           widget_host=request.host_url.rstrip("/"),
                           origins=[o.source() for o in current_app.extensions["widget_origins"]])
