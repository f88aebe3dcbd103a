"""Keeping the person's answers inside the widget without a cookie.

In a portal's iframe our session cookie is a third-party cookie: browsers withhold it
(SameSite=Lax), block it or partition it. So under FRAME_PREFIX the journey's Flask session
is not a cookie but a signed token in a hidden field of every form the page shows (the same
signing as Flask's cookie session, with its own salt and an expiry). Answers stay in POST
bodies: never in a URL, never on the server between requests.

- `EmbedSessionInterface` opens the session from the token a POST carries and never sets a
  cookie; `state_field` hands the form macro the token of the session as it is when the page
  renders (webapp/forms.py), so the token is rendered by the template, with the page.
- The journey in the frame answers a form with the next page itself (journey/respond.py):
  a redirect would lose the POST body, and with it the answers.
- A link to another frame page is followed (by embed-frame.js) by posting the #embed-nav form,
  which carries the token, to it with NAV_FIELD: the page it stands for is shown.

The token is also the frame's protection against forged forms: another site can neither read
it nor make one (it is signed), and a POST without a valid one is never acted on.
"""
from flask import current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired
from werkzeug.exceptions import RequestEntityTooLarge

FRAME_PREFIX = "/embed/frame"
STATE_FIELD = "_embed_state"
NAV_FIELD = "_embed_nav"                 # templates/embed/layout.html writes it too
# A token older than this starts a fresh journey. 20 hours: WCAG 2.2.1's exception, so the
# limit needs no warning; the token lives only in the open page, not in any storage.
STATE_MAX_AGE = 20 * 3600


def is_frame_path(path):
    return path == FRAME_PREFIX or path.startswith(FRAME_PREFIX + "/")


class EmbedSession(SecureCookieSession):
    """The journey's session, plus the frame's own settings (host origin, language, theme,
    the portal's region), which survive the journey clearing its session. `valid`: it came
    from a token we signed, within its age."""

    def __init__(self, initial=None, frame=None, expired=False, valid=False):
        # A token signed by another version may hold other shapes: start afresh, never a 500.
        super().__init__(initial if isinstance(initial, dict) else {})
        self.frame = dict(frame) if isinstance(frame, dict) else {}
        self.expired = expired
        self.valid = valid


class EmbedSessionInterface(SecureCookieSessionInterface):
    salt = "embed-state"

    def __init__(self, fallback):
        self.fallback = fallback

    def open_session(self, app, request):
        if not is_frame_path(request.path):
            return self.fallback.open_session(app, request)
        token = _posted_token(request)
        if not token:
            return EmbedSession()
        serializer = self.get_signing_serializer(app)
        try:
            data = serializer.loads(token, max_age=STATE_MAX_AGE)
            return EmbedSession(data.get("s"), data.get("f"), valid=True)
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
        return None          # no cookie: the page's forms carry the state (state_field)

    def dumps(self, app, session):
        return self.get_signing_serializer(app).dumps({"s": dict(session), "f": session.frame})


def _posted_token(request):
    if request.method != "POST":
        return None
    try:
        return request.form.get(STATE_FIELD)
    except RequestEntityTooLarge:
        return None          # the view reads the form again and Flask answers 413


def state_field():
    """The form macro's hidden field inside the frame: the session, signed, as the page renders."""
    from flask import session
    if not is_frame_path(request.path) or not isinstance(session, EmbedSession):
        return []
    return [(STATE_FIELD, current_app.session_interface.dumps(current_app, session))]
