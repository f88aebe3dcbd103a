"""How a journey page answers a form it has handled: "redirect, or render here".

On the web site and the kiosk the answers live in the session cookie, so a handled form
redirects to the next page (POST-redirect-GET: Back and reload never resubmit). In the
widget's frame there is no cookie: the answers travel inside the page, so the next page is
rendered in this very response, with the new state in its forms. The mount decides
(`make_blueprint(..., render_here=True)`); the views only say where the person goes next.

Each GET page of the journey is registered with `page`: its function takes the URL's values
and query words as arguments (not from `request`), so it can be rendered for any URL.
"""
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, g, redirect, request, url_for
from werkzeug.exceptions import HTTPException


@dataclass(frozen=True)
class Page:
    show: callable
    query: tuple = ()        # the query words the page understands (e.g. change, within)


def page(bp, endpoint, show, query=()):
    if not hasattr(bp, "pages"):
        bp.pages = {}
    bp.pages[f"{bp.name}.{endpoint}"] = Page(show, tuple(query))


def page_args(endpoint, args):
    """The query words of `args` that page `endpoint` understands."""
    wanted = _page(endpoint).query
    return {k: v for k, v in args.items() if k in wanted and v not in (None, "")}


def redirect_or_render(endpoint, **values):
    """Where the person goes next: a 303 to it, or (where the mount renders here) the page itself."""
    endpoint = _absolute(endpoint)
    url = url_for(endpoint, **values)
    if not getattr(current_app.blueprints[endpoint.partition(".")[0]], "render_here", False):
        return redirect(url, code=303)
    return render(endpoint, url, values)


def render(endpoint, url, values):
    g.page_url = url        # the page's own address (the frame's history entries use it)
    wanted = _page(endpoint).query
    path_values = {k: v for k, v in values.items() if k not in wanted}
    query = {k: v for k, v in values.items() if k in wanted and v is not None}
    return _page(endpoint).show(**path_values, **query)


def render_url(url, fallback):
    """The journey page at `url` (a path on this site), or the `fallback` endpoint's page."""
    parts = urlsplit(url)
    path = parts.path
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root):]
    try:
        endpoint, values = current_app.url_map.bind_to_environ(request.environ).match(path, method="GET")
    except HTTPException:
        endpoint, values = None, {}
    if not _known(endpoint):
        return render(fallback, url_for(fallback), {})
    values.update(page_args(endpoint, dict(parse_qsl(parts.query))))
    return render(endpoint, url_for(endpoint, **values), values)


def _absolute(endpoint):
    return f"{request.blueprint}{endpoint}" if endpoint.startswith(".") else endpoint


def _known(endpoint):
    if not endpoint or "." not in endpoint:
        return False
    bp = current_app.blueprints.get(endpoint.partition(".")[0])
    return endpoint in getattr(bp, "pages", {})


def _page(endpoint):
    return current_app.blueprints[endpoint.partition(".")[0]].pages[endpoint]
