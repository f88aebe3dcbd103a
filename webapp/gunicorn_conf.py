"""The production server: `gunicorn -c python:webapp.gunicorn_conf` (the checkout's
gunicorn.conf.py imports this, so plain `gunicorn` there does the same).

Sync workers, one process per request: durable-rules holds the GIL while it matches, so
threads (gthread) ran the check endpoint at ~43 % of sync's throughput, and green threads
(eventlet/gevent) are not safe with its C core. No preload: each worker creates the app,
and with it its own durable-rules engine, after the fork (webapp/engine.py also rebuilds
it if an app object was created before a fork).

Environment (read here; the app reads the rest, see README "Running it for real"):
  SECRET_KEY        required: the same on every worker and host (sessions are signed with it)
  BIND              default 127.0.0.1:8000 (behind the reverse proxy)
  WEB_CONCURRENCY   workers, default 2 per core
  TIMEOUT           seconds before a stuck worker is killed, default 30
  FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-Proto/For, default 127.0.0.1
  ACCESS_LOG        a path or "-" for stderr; default none (the app logs no answers either way)
  SECURE_COOKIES    default 1 here: every cookie Secure (the proxy terminates TLS)
  HSTS              default 1 here: Strict-Transport-Security
"""
import os
import sys

if not os.environ.get("SECRET_KEY"):
    sys.exit("gunicorn_conf: SECRET_KEY is not set. Every worker and host must share it, or answers "
             "are lost between requests. Set it, e.g.\n"
             "  export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')")

# Seen by create_app() in every worker.
os.environ["REQUIRE_SECRET_KEY"] = "1"
os.environ.setdefault("SECURE_COOKIES", "1")
os.environ.setdefault("HSTS", "1")

wsgi_app = "webapp:create_app()"
bind = [os.environ.get("BIND", "127.0.0.1:8000")]
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
preload_app = False
timeout = int(os.environ.get("TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 2
backlog = 2048
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
proc_name = "benefit-checker"
