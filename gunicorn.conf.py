# `gunicorn` in this checkout = `gunicorn -c python:webapp.gunicorn_conf` (the settings live
# in the package so an installed copy serves the same way).
from webapp.gunicorn_conf import *  # noqa: F401,F403
