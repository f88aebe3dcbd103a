"""WIDGET_ALLOWED_ORIGINS: which portals may frame the widget.

The setting is a list of origins separated by spaces or commas, e.g.
`https://www.gov.cn https://*.hlj.gov.cn http://localhost:8080`. Each entry is
`scheme://host[:port]`; `*.` before a host allows its subdomains (not the host itself), as in
CSP. It becomes the embed pages' `Content-Security-Policy: frame-ancestors` (after `'self'`,
for the preview on /embed) and the only origins the frame will post messages to.
"""
import re
from dataclasses import dataclass

_ORIGIN = re.compile(
    r"^(?P<scheme>https?)://(?P<wild>\*\.)?"
    r"(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?$")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class AllowedOrigin:
    scheme: str
    host: str
    port: int
    subdomains: bool      # "*.host": any subdomain of host, not host itself

    def matches(self, origin):
        other = parse_origin(origin)
        if other is None or other.scheme != self.scheme or other.port != self.port:
            return False
        if self.subdomains:
            return other.host.endswith("." + self.host)
        return other.host == self.host

    def source(self):
        """The CSP source expression."""
        port = "" if self.port == DEFAULT_PORTS[self.scheme] else f":{self.port}"
        return f"{self.scheme}://{'*.' if self.subdomains else ''}{self.host}{port}"


def parse_origin(text, allow_wildcard=False):
    """An exact origin (as `window.location.origin` gives it), or None."""
    match = _ORIGIN.match(text.strip().lower()) if isinstance(text, str) else None
    if not match or (match["wild"] and not allow_wildcard):
        return None
    port = int(match["port"]) if match["port"] else DEFAULT_PORTS[match["scheme"]]
    if not 0 < port < 65536:
        return None
    return AllowedOrigin(match["scheme"], match["host"], port, bool(match["wild"]))


def parse_allowed_origins(value):
    """The setting (a string, or a list of strings) as AllowedOrigins; ValueError names a bad entry."""
    if value is None:
        return ()
    entries = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    allowed = []
    for entry in entries:
        origin = parse_origin(entry.rstrip("/"), allow_wildcard=True) if isinstance(entry, str) else None
        if origin is None:
            raise ValueError(
                f"WIDGET_ALLOWED_ORIGINS: {entry!r} is not an origin; write scheme://host[:port] "
                "(http or https, no path), optionally scheme://*.host for its subdomains")
        if origin not in allowed:
            allowed.append(origin)
    return tuple(allowed)


def frame_ancestors(allowed):
    return " ".join(["'self'", *(origin.source() for origin in allowed)])
