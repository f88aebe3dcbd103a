"""The public benefit catalogue of a region, as a page a phone can open from the kiosk slip's
QR code: `/catalogue/<region>/living_subsidy+nursing_subsidy`.

It is about benefits, not about a person: the same URL shows the same page to everyone, so it
may be cached and shared. The benefit ids are in the path, not a query string, because which
benefits a slip lists follows from the answers: the request log names the route
(`/catalogue/<code>/<benefits>`), never the path or the query. The old query form
(`?benefits=a,b`) redirects to the path form. Unknown benefit ids are ignored (a slip printed
before a rule changed still opens its region's catalogue).
"""
from flask import Blueprint, abort, redirect, render_template, request, url_for

from ..engine import get_checker

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
SEPARATOR = "+"


def benefits_path(ids):
    return SEPARATOR.join(ids)


@bp.get("/<code>")
def region(code):
    legacy = [b for b in request.args.get("benefits", "").split(",") if b]
    if legacy:
        return redirect(url_for(".benefits", code=code, benefits=benefits_path(legacy)), code=301)
    return _page(code, [])


@bp.get("/<code>/<benefits>")
def benefits(code, benefits):
    return _page(code, [b for b in benefits.split(SEPARATOR) if b])


def _page(code, wanted):
    checker = get_checker()
    if code not in checker.book.regions:
        abort(404)
    everything = list(checker.book.benefits[code].values())
    chosen = [b for b in everything if b.id in wanted] if wanted else everything
    if wanted:
        chosen.sort(key=lambda b: wanted.index(b.id))
    return render_template("kiosk/catalogue.html", region=checker.region(code),
                           chain=checker.book.chain(code), benefits=chosen, narrowed=bool(wanted),
                           total=len(everything), rules_version=checker.rules_version)
