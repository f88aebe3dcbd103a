"""The public benefit catalogue of a region, as a page a phone can open from the kiosk slip's
QR code: `/catalogue/<region>?benefits=living_subsidy,nursing_subsidy`.

It is about benefits, not about a person: the same URL shows the same page to everyone, so it
may be cached, shared and logged. Unknown benefit ids in the query are ignored (a slip printed
before a rule changed still opens its region's catalogue).
"""
from flask import Blueprint, abort, render_template, request

from ..engine import get_checker

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@bp.get("/<code>")
def region(code):
    checker = get_checker()
    if code not in checker.book.regions:
        abort(404)
    benefits = list(checker.book.benefits[code].values())
    wanted = [b for b in request.args.get("benefits", "").split(",") if b]
    chosen = [b for b in benefits if b.id in wanted] if wanted else benefits
    if wanted:
        chosen.sort(key=lambda b: wanted.index(b.id))
    return render_template("kiosk/catalogue.html", region=checker.region(code),
                           chain=checker.book.chain(code), benefits=chosen, narrowed=bool(wanted),
                           total=len(benefits), rules_version=checker.rules_version)
