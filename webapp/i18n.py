"""Languages: Flask-Babel with the catalogs in locales/ (zh_CN, the source language, and en).

Rule content is Chinese in rules/ and goes through the same catalogs: `extract_rules` is a
Babel extraction method for the rule YAML (see babel.cfg), so `pybabel extract` collects
benefit names, conditions, questions and hints as msgids, and templates gettext them.
"""
from pathlib import Path

import yaml
from flask import g, request
from flask_babel import Babel

from . import preferences

# Keys whose string values a citizen reads. Quotes stay in Chinese: they are the law's words.
TRANSLATED_KEYS = {"name", "summary", "text", "notes", "agency", "where", "documents", "channels", "note",
                   "question", "question_other", "hint", "unknown_help", "values", "labels", "reason",
                   "action", "done"}


def locales_dir():
    here = Path(__file__).resolve().parent
    for candidate in (here / "locales", here.parent / "locales"):
        if candidate.is_dir() and any(candidate.glob("*/LC_MESSAGES/messages.mo")):
            return candidate
    return here.parent / "locales"


def select_locale():
    forced = getattr(g, "locale", None)   # e.g. a kiosk desk's default, an embed's data-lang
    if isinstance(forced, str) and forced in preferences.LANGUAGES:
        return forced
    return preferences.current()["lang"] if request else "zh_CN"


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh_CN")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(locales_dir())
    Babel(app, locale_selector=select_locale)


def extract_rules(fileobj, keywords, comment_tags, options):
    """Babel extraction method: (line, funcname, message, comments) for each citizen-facing string."""
    text = fileobj.read().decode("utf-8")
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found = []

    def scalar_strings(item):
        if isinstance(item, yaml.ScalarNode):
            if item.tag.endswith(":str") and item.value.strip():
                found.append((item.start_mark.line + 1, item.value))
        elif isinstance(item, yaml.SequenceNode):
            for child in item.value:
                scalar_strings(child)
        elif isinstance(item, yaml.MappingNode):
            for _, value in item.value:
                scalar_strings(value)

    def walk(item):
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if key.value in TRANSLATED_KEYS:
                    scalar_strings(value)
                else:
                    walk(value)
        elif isinstance(item, yaml.SequenceNode):
            for child in item.value:
                walk(child)

    if node is not None:
        walk(node)
    for line, message in found:
        yield line, "gettext", message, []
