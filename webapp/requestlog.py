"""The request log: one JSON line per request, to stderr.

    {"ts": "2026-12-01T19:45:20.123Z", "request_id": "3f2a…", "method": "POST",
     "route": "/question/<fact>", "status": 303, "latency_ms": 4.1}

The route is the URL rule, never the path: a path says which question someone was asked or
which benefits their slip lists, and those follow from their answers. No query string, no
body, no header, no address — nothing about the person. The request id comes from the proxy's
X-Request-ID when it sends a sane one, else a new one; it is returned as X-Request-ID.

A WSGI wrapper around everything (the widget's frame middleware may run several Flask
requests for one HTTP request: it is still one line, with the route the client asked for).
"""
import datetime
import json
import logging
import re
import sys
import time
import traceback
import uuid

from flask import request

LOGGER = logging.getLogger("webapp.requests")
RECORD = "webapp.request_log"
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLog:
    def __init__(self, wsgi_app, enabled=True):
        self.wsgi_app = wsgi_app
        self.enabled = enabled

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        record = {"request_id": incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex,
                  "method": environ.get("REQUEST_METHOD"), "route": None, "status": None}
        environ[RECORD] = record        # shared by the copies of environ the frame middleware makes

        def start(status, headers, exc_info=None):
            record["status"] = int(status[:3])
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-ID", record["request_id"]))
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        except BaseException:
            record["status"] = record["status"] or 500
            raise
        finally:
            # Until the app has its response: Flask builds bodies whole; sending them is the server's.
            record["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            if self.enabled:
                write(record)


def write(record):
    line = {"ts": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"), **record}
    LOGGER.info(json.dumps(line, ensure_ascii=False, separators=(", ", ": ")))


def init_app(app):
    """Wrap the app (call last, around every other middleware) and send the lines to stderr."""
    enabled = bool(app.config.get("REQUEST_LOG", True))
    app.wsgi_app = RequestLog(app.wsgi_app, enabled)
    if enabled and not any(getattr(h, "request_log", False) for h in LOGGER.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.request_log = True
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False     # the line is already JSON; no second, differently formatted copy

    def log_exception(exc_info):
        """A server error, by route and request id; the exception's type and where it was raised,
        not its message (a message such as "invalid literal for int(): '²'" quotes the input)."""
        record = request.environ.get(RECORD) or {}
        kind, _, tb = exc_info
        where = "".join(traceback.format_list(traceback.extract_tb(tb)))
        app.logger.error("Exception %s on %s [%s], request %s\n%s", kind.__name__, record.get("route"),
                         request.method, record.get("request_id"), where)

    app.log_exception = log_exception     # Flask's own would log the path and the message

    @app.before_request
    def note_route():
        record = request.environ.get(RECORD)
        if record is not None and record["route"] is None and request.url_rule is not None:
            record["route"] = request.url_rule.rule
