"""The rule engine as a Flask resource, the flaskr `db.py` way.

Rules are loaded and validated when the app is created (invalid rules: the app refuses
to start). The checker — which holds durable-rules' C state — is per process: if the
app object was created before a fork (gunicorn --preload), each worker builds its own
on first use instead of sharing C handles across processes.
"""
import os

from flask import current_app

from eligibility import Checker, RuleBook


def init_app(app):
    book = RuleBook.load(app.config.get("RULES_DIR"))
    app.extensions["rulebook"] = book
    app.extensions["checker"] = (os.getpid(), Checker(book))


def get_checker():
    pid, checker = current_app.extensions["checker"]
    if pid != os.getpid():
        checker = Checker(current_app.extensions["rulebook"])
        current_app.extensions["checker"] = (os.getpid(), checker)
    return checker
