"""Response headers every page gets: a strict CSP (no inline script or style, nothing from
another origin), no framing except where a blueprint allows it, no referrer leaks, every
browser feature the service does not use switched off, and no cache for any page that
shows answers or results.

Over HTTPS (SECURE_COOKIES, HSTS — on in production) every cookie is `Secure` and browsers
are told to use HTTPS only.
"""
from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors {ancestors}")
# Nothing here is used; the kiosk reads aloud with speech synthesis, which needs no permission.
# Only features Chromium recognises (others only add console warnings).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "browsing-topics", "camera",
    "display-capture", "encrypted-media", "gamepad", "geolocation", "gyroscope", "hid",
    "identity-credentials-get", "idle-detection", "local-fonts", "magnetometer", "microphone", "midi",
    "otp-credentials", "payment", "picture-in-picture", "publickey-credentials-create",
    "publickey-credentials-get", "screen-wake-lock", "serial", "storage-access", "usb", "window-management",
    "xr-spatial-tracking"))
HSTS = "max-age=31536000; includeSubDomains"
# Pages about benefits or the service, the same for everyone: a cache may keep them.
# Everything else (the journeys, the API) shows or carries someone's answers.
PUBLIC_BLUEPRINTS = ("catalogue", "pages")
PUBLIC_ENDPOINTS = ("static", "embed.widget_js", "embed.docs")


def init_app(app):
    @app.after_request
    def headers(response):
        ancestors = getattr(response, "frame_ancestors", None) or "'none'"
        response.headers.setdefault("Content-Security-Policy", CSP.format(ancestors=ancestors))
        if ancestors == "'none'":
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not is_public():
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if app.config.get("SECURE_COOKIES"):
            secure_cookies(response)
        return response


def is_public():
    return request.blueprint in PUBLIC_BLUEPRINTS or request.endpoint in PUBLIC_ENDPOINTS


def secure_cookies(response):
    """Mark every cookie the response sets `Secure`, whoever set it (session, preferences, later ones)."""
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
        response.headers.add("Set-Cookie", cookie if "secure" in attributes else cookie + "; Secure")
