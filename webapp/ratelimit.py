"""Rate limiting of the JSON API (Flask-Limiter), per client address.

API_RATE_LIMIT (default 120/minute) is generous for a portal's users and the kiosk; a
client beyond it gets 429 with the JSON error body and Retry-After. Counts live in
RATELIMIT_STORAGE_URI: `memory://` (each worker process counts on its own) or
`redis://host:6379` to share them. Nothing but the address and a count is kept, for the
length of the window. Behind a proxy the address is the proxy's unless the deployment
passes the client's on (ProxyFix).
"""
import math
import time

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def init_app(app, blueprint):
    # Flask-Limiter's headers would put Retry-After on every response; the 429 sets its own.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)      # storage down: answer, do not 500
    limiter = Limiter(get_remote_address, app=app)
    # One budget for the whole API, not one per route.
    limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(blueprint)
    return limiter


def retry_after():
    """Seconds until the client's window resets (the 429's Retry-After and its message)."""
    for limiter in current_app.extensions.get("limiter", ()):
        limit = limiter.current_limit
        if limit is not None:
            return max(1, math.ceil(limit.reset_at - time.time()))   # never too early
    return 60
