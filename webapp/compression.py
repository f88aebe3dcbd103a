"""gzip for HTML, CSS, JS and JSON when the client accepts it, as the outermost WSGI layer.

Outermost because the widget's FrameMiddleware rewrites the HTML of frame pages (it puts
the state token in every form): an after_request compressor (Flask-Compress) would hand
it gzip bytes. Here the body is complete and final before it is compressed. Responses
are small (pages ≤ 30 KB), so buffering them costs nothing worth streaming for.
"""
import gzip

COMPRESSIBLE = ("text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                "image/svg+xml", "text/plain")
MIN_SIZE = 500          # below this the gzip header and the CPU are not worth it
LEVEL = 6          # the richest results pages (140 KB) stay well inside 30 KB; level 4 was 4 % bigger


def accepts_gzip(environ):
    for part in environ.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00"):
            return True
    return False


class GzipMiddleware:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "HEAD":
            return self.wsgi_app(environ, start_response)
        wants = accepts_gzip(environ)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: captured.setdefault("written", []).append(data)

        iterable = self.wsgi_app(environ, capture)
        try:
            chunks = list(iterable)      # a lazy app calls start_response while iterated
            body = b"".join(captured.get("written", []) + chunks)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        status, headers = captured["status"], list(captured["headers"])
        names = {name.lower(): value for name, value in headers}
        kind = names.get("content-type", "").split(";")[0].strip().lower()
        if kind in COMPRESSIBLE:
            vary = [v.strip() for v in names.get("vary", "").split(",") if v.strip()]
            if "accept-encoding" not in (v.lower() for v in vary):
                headers = [(n, v) for n, v in headers if n.lower() != "vary"]
                headers.append(("Vary", ", ".join(vary + ["Accept-Encoding"])))
            if (wants and len(body) >= MIN_SIZE and "content-encoding" not in names
                    and status[:3] not in ("204", "206", "304") and "no-transform" not in names.get("cache-control", "")):
                body = gzip.compress(body, LEVEL, mtime=0)
                headers = [(n, _weak(v) if n.lower() == "etag" else v) for n, v in headers
                           if n.lower() not in ("content-length", "content-encoding")]
                headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
        start_response(status, headers, captured["exc_info"])
        return [body]


def _weak(etag):
    # the compressed bytes are not the bytes the strong ETag named
    return etag if etag.startswith("W/") else "W/" + etag
