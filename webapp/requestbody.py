"""A request body without Content-Length (chunked) larger than MAX_CONTENT_LENGTH is refused.

Werkzeug bounds such a stream at the limit but then stops reading without complaint, so a
64 KB prefix of a larger body would be parsed as if it were the whole request. Here the
body is read up to one byte past the limit before the app sees it: beyond it, 413.
"""
import io

from flask import abort, request

TOO_LARGE = "webapp.body_too_large"
CHUNK = 16 * 1024


class BodyLimit:
    def __init__(self, app, wsgi_app):
        self.app = app              # the Flask app, for MAX_CONTENT_LENGTH
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if limit and not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
            environ = dict(environ)
            body = _read_at_most(environ["wsgi.input"], limit + 1)
            if len(body) > limit:
                environ[TOO_LARGE] = True
                body = b""
            # From here on the body is an ordinary one with a length (the frame's state reader needs it).
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["wsgi.input_terminated"]
            environ.pop("HTTP_TRANSFER_ENCODING", None)   # werkzeug ignores a length beside it
        return self.wsgi_app(environ, start_response)


def _read_at_most(stream, size):
    parts, total = [], 0
    while total < size:
        part = stream.read(min(CHUNK, size - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def init_app(app):
    app.wsgi_app = BodyLimit(app, app.wsgi_app)

    def refuse_oversized_body():
        if request.environ.get(TOO_LARGE):
            abort(413)

    # First of all: before the CSRF check reads the form (a cut body must never be parsed).
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_oversized_body)
