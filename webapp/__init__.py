"""Flask application: the questionnaire, kiosk, widget and JSON API over the rule engine.

`flask --app webapp run` serves everything on the embedded defaults.
"""
import logging
import os
import secrets

from flask import Flask, jsonify
from flask_babel import gettext

from . import (api, csrf, embed, engine, forms, i18n, journey, kiosk, pages, policies, preferences, ratelimit,
               requestbody, requestlog, security)


def flag(text):
    """An on/off setting from the environment: 1/true/yes/on or 0/false/no/off, nothing else."""
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected on or off (1/0, true/false), not {text!r}")


# Settings that deployments may override with environment variables of the same name.
ENV_SETTINGS = {"SECRET_KEY": str, "RULES_DIR": str, "KIOSK_IDLE_SECONDS": int,
                "KIOSK_WARNING_SECONDS": int, "WIDGET_ALLOWED_ORIGINS": str, "KIOSK_PUBLIC_URL": str,
                "SECURE_COOKIES": flag, "HSTS": flag, "API_RATE_LIMIT": str, "RATELIMIT_STORAGE_URI": str,
                "RATELIMIT_ENABLED": flag, "REQUEST_LOG": flag}


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=None,
        RULES_DIR=None,                     # None: the rules/ shipped with the project
        MAX_CONTENT_LENGTH=64 * 1024,       # a profile is a few hundred bytes
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        KIOSK_IDLE_SECONDS=120,
        KIOSK_WARNING_SECONDS=30,
        WIDGET_ALLOWED_ORIGINS="",
        SECURE_COOKIES=False,               # on when served over HTTPS: every cookie `Secure`
        HSTS=False,                         # on when served over HTTPS: Strict-Transport-Security
        API_RATE_LIMIT="120/minute",        # per client address, on /api/ only
        RATELIMIT_STORAGE_URI="memory://",  # or redis://host:6379 to count across workers
        RATELIMIT_ENABLED=True,
        REQUEST_LOG=True,                   # one JSON line per request on stderr (webapp/requestlog.py)
    )
    for name, kind in ENV_SETTINGS.items():
        if os.environ.get(name):
            try:
                app.config[name] = kind(os.environ[name])
            except ValueError as exc:
                raise ValueError(f"environment variable {name}: {exc}") from None
    if config:
        app.config.update(config)
    if app.config["KIOSK_WARNING_SECONDS"] < 20 and not app.config.get("TESTING"):
        # WCAG 2.2.1: at least 20 seconds to say "I'm still here" before anything is lost.
        raise ValueError(f"KIOSK_WARNING_SECONDS must be at least 20, not {app.config['KIOSK_WARNING_SECONDS']}")
    if app.config["SECURE_COOKIES"]:
        # Flask sets the session cookie after every after_request hook: it needs its own switch.
        app.config["SESSION_COOKIE_SECURE"] = True
    if not app.config["SECRET_KEY"]:
        # Fine for one process; several workers or hosts must share SECRET_KEY.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        logging.getLogger(__name__).info("SECRET_KEY not set: using a per-process key")

    engine.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    forms.init_app(app)                 # what every form carries: the CSRF token, the widget's state
    csrf.init_app(app).exempt(api.bp)   # the public JSON API takes no cookie, so no CSRF token
    api.init_app(app)
    ratelimit.init_app(app, api.bp)
    app.register_blueprint(preferences.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(policies.bp)        # /regions/<code>/policies: the public catalogue
    app.register_blueprint(journey.make_blueprint("web"))
    kiosk.init_app(app)                 # /kiosk: the journey in the kiosk layout; /catalogue
    # Rule content (names, conditions, questions) is translated at render time; plain gettext,
    # because Jinja's newstyle _() would %-format texts such as “覆盖率100%”.
    app.add_template_filter(gettext, "t")
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def page_settings():
        prefs = preferences.current()
        lang = i18n.select_locale()
        classes = " ".join(c for c in ("text-large" if prefs["text"] == "large" else "",
                                        "theme-contrast" if prefs["theme"] == "contrast" else "") if c)
        return {"prefs": prefs, "html_lang": preferences.LANGUAGES[lang], "page_classes": classes}

    embed.init_app(app)                 # /widget.js, /embed, the journey under /embed/frame
    requestbody.init_app(app)           # around the frame's middleware: it reads bodies too
    requestlog.init_app(app)            # around everything: one line per HTTP request

    @app.get("/healthz")
    def health():
        broken = engine.get_checker().decider.broken
        return jsonify({"ok": not broken, "rules_version": engine.get_checker().rules_version}), 503 if broken else 200

    return app
