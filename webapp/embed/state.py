"""Keeping the person's answers inside the widget without a cookie.

In a portal's iframe our session cookie is a third-party cookie: browsers withhold it
(SameSite=Lax), block it or partition it. So under FRAME_PREFIX the journey's Flask session
is not a cookie but a signed token in a hidden field of every form the page shows (the same
signing as Flask's cookie session, with its own salt). Answers stay in POST bodies: never in
a URL, never on the server between requests.

Two pieces make the questionnaire's journey run unchanged under that rule:
- `EmbedSessionInterface` opens the session from the token and, instead of setting a cookie,
  hands the saved session to the middleware.
- `FrameMiddleware` (around the WSGI app) moves the token between forms and sessions:
  * a POST carries the token; a link to another frame page is followed (by embed-frame.js)
    by posting the token with `_embed_nav`, which the middleware turns back into the GET the
    link meant;
  * the journey's POST-redirect-GET becomes POST-render: a redirect to another frame page
    is followed inside the same request with the new session, since the browser would drop
    the POST body (and with it the answers) on a redirect;
  * every POST form of the HTML it returns gets the new token, and so does #embed-nav;
  * no Set-Cookie leaves a frame response.
"""
import html
import io
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired

FRAME_PREFIX = "/embed/frame"
STATE_FIELD = "_embed_state"
NAV_FIELD = "_embed_nav"
NAV_FORM_ID = "embed-nav"
STATE_HEADER = "X-Embed-State"       # internal: session interface -> middleware, never sent
# A token older than this starts a fresh journey. 20 hours: WCAG 2.2.1's exception, so the
# limit needs no warning; the token lives only in the open page, not in any storage.
STATE_MAX_AGE = 20 * 3600
MAX_INTERNAL_REDIRECTS = 5


def is_frame_path(path):
    return path == FRAME_PREFIX or path.startswith(FRAME_PREFIX + "/")


class EmbedSession(SecureCookieSession):
    """The journey's session, plus the frame's own settings (host origin, language, theme,
    the portal's region), which survive the journey clearing its session."""

    def __init__(self, initial=None, frame=None, expired=False):
        # A token signed by another version may hold other shapes: start afresh, never a 500.
        super().__init__(initial if isinstance(initial, dict) else {})
        self.frame = dict(frame) if isinstance(frame, dict) else {}
        self.expired = expired


class EmbedSessionInterface(SecureCookieSessionInterface):
    salt = "embed-state"

    def __init__(self, fallback):
        self.fallback = fallback

    def open_session(self, app, request):
        if not is_frame_path(request.path):
            return self.fallback.open_session(app, request)
        token = request.environ.get("embed.state")
        if not token:
            return EmbedSession()
        serializer = self.get_signing_serializer(app)
        try:
            data = serializer.loads(token, max_age=STATE_MAX_AGE)
            return EmbedSession(data.get("s"), data.get("f"))
        except SignatureExpired:
            # The answers are too old to keep; the portal's settings (no answers) still hold.
            try:
                return EmbedSession(frame=serializer.loads(token).get("f"), expired=True)
            except (BadSignature, AttributeError, TypeError):
                return EmbedSession(expired=True)
        except (BadSignature, AttributeError, TypeError):
            return EmbedSession(expired=True)

    def make_null_session(self, app):
        return self.fallback.make_null_session(app)

    def is_null_session(self, obj):
        return self.fallback.is_null_session(obj)

    def save_session(self, app, session, response):
        if not isinstance(session, EmbedSession):
            return self.fallback.save_session(app, session, response)
        response.headers[STATE_HEADER] = self.dumps(app, session)
        return None

    def dumps(self, app, session):
        return self.get_signing_serializer(app).dumps({"s": dict(session), "f": session.frame})


class FrameMiddleware:
    def __init__(self, app, wsgi_app):
        self.app = app              # the Flask app, for its config
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if not is_frame_path(environ.get("PATH_INFO", "")):
            return self.wsgi_app(environ, start_response)
        environ = self._read_form(environ)
        for _ in range(MAX_INTERNAL_REDIRECTS + 1):
            status, headers, body = self._call(environ)
            token = _pop_header(headers, STATE_HEADER)
            location = _header(headers, "Location")
            target = _frame_target(location, environ) if status[:3] in ("301", "302", "303", "307", "308") else None
            if target is None or token is None:
                break
            path, query = target
            environ = _get_environ(environ, path, query, token)
        headers = [(k, v) for k, v in headers if k.lower() != "set-cookie"]
        if token and _header(headers, "Content-Type", "").startswith("text/html"):
            body = add_token(body.decode("utf-8"), token).encode("utf-8")
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    def _call(self, environ):
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, list(headers)
            return lambda data: chunks.append(data)

        chunks = []
        result = self.wsgi_app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured["status"], captured["headers"], b"".join(chunks)

    def _read_form(self, environ):
        """Take the token out of a form POST; turn a navigation POST back into its GET."""
        if environ.get("REQUEST_METHOD") != "POST":
            return environ
        if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            return environ
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return environ
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if length <= 0 or (limit and length > limit):
            return environ      # Flask answers the oversized body with its own 413
        raw = environ["wsgi.input"].read(length)
        environ = dict(environ)
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            fields = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return environ
        token = next((v for k, v in fields if k == STATE_FIELD), None)
        if token:
            environ["embed.state"] = token
        environ["embed.step"] = True
        if any(k == NAV_FIELD for k, _ in fields):
            rest = [(k, v) for k, v in fields if k not in (STATE_FIELD, NAV_FIELD)]
            query = environ.get("QUERY_STRING", "")
            if rest:
                query = "&".join(filter(None, [query, urlencode(rest)]))
            return _get_environ(environ, environ["PATH_INFO"], query, token)
        return environ


def _get_environ(environ, path, query, token):
    environ = dict(environ)
    environ.update({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
                    "CONTENT_LENGTH": "0", "wsgi.input": io.BytesIO(b"")})
    environ.pop("CONTENT_TYPE", None)
    if token:
        environ["embed.state"] = token
    return environ


def _frame_target(location, environ):
    """(path, query) when a redirect goes to another frame page of this app."""
    if not location:
        return None
    parts = urlsplit(location)
    if parts.netloc and parts.netloc != environ.get("HTTP_HOST"):
        return None
    script = environ.get("SCRIPT_NAME", "")
    path = parts.path
    if script and path.startswith(script):
        path = path[len(script):]
    return (path, parts.query) if is_frame_path(path) else None


def _header(headers, name, default=None):
    return next((v for k, v in headers if k.lower() == name.lower()), default)


def _pop_header(headers, name):
    value = _header(headers, name)
    headers[:] = [(k, v) for k, v in headers if k.lower() != name.lower()]
    return value


_FORM = re.compile(r"<form\b[^>]*>", re.I)
_LINK = re.compile(r"<a\b[^>]*>", re.I)
_HREF = re.compile(r"""\shref\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_TARGET = re.compile(r"\starget\s*=", re.I)
_METHOD = re.compile(r"""\smethod\s*=\s*["']?post\b""", re.I)
_ACTION = re.compile(r"""\saction\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def _value(match):
    value = match.group(1)
    return html.unescape(value[1:-1] if value[:1] in ("'", '"') else value)


def _inside(url):
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and is_frame_path(parts.path)


def add_token(page, token):
    """Give every POST form of a frame page the token, and mark every link to another frame
    page `data-embed-nav`: embed-frame.js follows it by posting the token in the #embed-nav
    form at the end of the body (a link stays a link, for its role and its styles). Links to
    any other page open in a new window."""
    field = f'<input type="hidden" name="{STATE_FIELD}" value="{html.escape(token, quote=True)}">'

    def form(match):
        tag = match.group(0)
        action = _ACTION.search(tag)
        if not _METHOD.search(tag) or (action and _value(action) and not _inside(_value(action))):
            return tag
        return tag + field

    linked = False

    def link(match):
        nonlocal linked
        tag = match.group(0)
        href = _HREF.search(tag)
        if not href:
            return tag
        url = urlsplit(_value(href))
        if _inside(_value(href)):
            linked = True
            return tag[:-1] + " data-embed-nav>"
        if url.scheme in ("", "http", "https") and url.path and not _TARGET.search(tag):
            # any other page (ours or not) would refuse to be framed, or leave the portal's
            # frame showing another site: it opens on its own
            return tag[:-1] + ' target="_blank" rel="noopener">'
        return tag

    page = _FORM.sub(form, page)
    page = _LINK.sub(link, page)
    if linked:
        nav = (f'<form id="{NAV_FORM_ID}" method="post" hidden>{field}'
               f'<input type="hidden" name="{NAV_FIELD}" value="1"></form>')
        at = page.lower().rfind("</body>")
        page = page[:at] + nav + page[at:] if at >= 0 else page + nav
    return page
