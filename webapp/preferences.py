"""Display preferences — language, large text (长辈版), high contrast — remembered in small
cookies without an account. They say nothing about the person's answers.
"""
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request

bp = Blueprint("prefs", __name__)

LANGUAGES = {"zh_CN": "zh-CN", "en": "en"}    # Babel locale -> HTML lang
TEXT_SIZES = ("normal", "large")
THEMES = ("default", "contrast")
YEAR = 365 * 24 * 3600


def current():
    """The visitor's preferences, defaults for anything missing or not understood."""
    lang = request.cookies.get("lang")
    text = request.cookies.get("text")
    theme = request.cookies.get("theme")
    return {"lang": lang if lang in LANGUAGES else "zh_CN",
            "text": text if text in TEXT_SIZES else "normal",
            "theme": theme if theme in THEMES else "default"}


def safe_next(target):
    """Only a path on this site: a preference link must not become an open redirect."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.post("/settings")
def change():
    """The header's switches (a form of buttons, so only our own pages can change them)."""
    response = redirect(safe_next(request.form.get("next")), code=303)
    for key, value in chosen(request.form).items():
        response.set_cookie(key, value, max_age=YEAR, samesite="Lax", httponly=True)
    return response


@bp.get("/settings")
def confirm():
    """A link to the switches (an old bookmark, a help page) changes nothing by itself: it shows
    the change as a form to confirm."""
    return render_template("pages/settings.html", layout="layout.html", changes=chosen(request.args),
                           next=safe_next(request.args.get("next")))


def chosen(values):
    """The understood settings among `values`; anything else is ignored."""
    return {key: values[key] for key, allowed in (("lang", LANGUAGES), ("text", TEXT_SIZES), ("theme", THEMES))
            if values.get(key) in allowed}
