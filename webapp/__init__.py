"""Flask application: the questionnaire, kiosk, widget and JSON API over the rule engine.

`flask --app webapp run` serves everything on the embedded defaults.
"""
import logging
import os
import secrets

from flask import Flask, jsonify
from flask_babel import gettext

from . import api, embed, engine, i18n, journey, kiosk, pages, policies, preferences, security

# Settings that deployments may override with environment variables of the same name.
ENV_SETTINGS = {"SECRET_KEY": str, "RULES_DIR": str, "KIOSK_IDLE_SECONDS": int,
                "KIOSK_WARNING_SECONDS": int, "WIDGET_ALLOWED_ORIGINS": str, "KIOSK_PUBLIC_URL": str}


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
    )
    for name, kind in ENV_SETTINGS.items():
        if os.environ.get(name):
            app.config[name] = kind(os.environ[name])
    if config:
        app.config.update(config)
    if app.config["KIOSK_WARNING_SECONDS"] < 20 and not app.config.get("TESTING"):
        # WCAG 2.2.1: at least 20 seconds to say "I'm still here" before anything is lost.
        raise ValueError(f"KIOSK_WARNING_SECONDS must be at least 20, not {app.config['KIOSK_WARNING_SECONDS']}")
    if not app.config["SECRET_KEY"]:
        # Fine for one process; several workers or hosts must share SECRET_KEY.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        logging.getLogger(__name__).info("SECRET_KEY not set: using a per-process key")

    engine.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(api.bp)
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

    @app.get("/healthz")
    def health():
        broken = engine.get_checker().decider.broken
        return jsonify({"ok": not broken, "rules_version": engine.get_checker().rules_version}), 503 if broken else 200

    return app
