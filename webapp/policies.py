"""The public policy catalogue: every provision that applies in a region (its own and the
ones it inherits), grouped by category, for anyone to read — and the same as open data.

    GET /regions/<code>/policies        the page
    GET /regions/<code>/policies.csv    a spreadsheet of the same rows
    (JSON: GET /api/v1/regions/<code>/benefits)

About policies, never about a person: the same URL shows everyone the same page.
"""
import csv
import io

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_babel import gettext

from eligibility.checker import CATEGORY_ORDER

from .engine import get_checker

bp = Blueprint("policies", __name__, url_prefix="/regions")


def catalogue(code):
    """(region, chain, [(category, [benefit])] for people, [benefit] for organisations)."""
    checker = get_checker()
    if code not in checker.book.regions:
        abort(404)
    benefits = sorted(checker.book.benefits[code].values(),
                      key=lambda b: (CATEGORY_ORDER.index(b.category), b.policy_status != "in_force", b.id))
    people = [b for b in benefits if b.audience != "organisation"]
    grouped = [(category, [b for b in people if b.category == category]) for category in CATEGORY_ORDER]
    return (checker.region(code), checker.book.chain(code), [g for g in grouped if g[1]],
            [b for b in benefits if b.audience == "organisation"])


@bp.get("/<code>/policies")
def region(code):
    current = get_checker().book.replaced.get(code)
    if current is not None:      # a replaced code (茌平县 371523 -> 茌平区 371503): today's region
        return redirect(url_for(".region", code=current.code), code=301)
    region_, chain, grouped, organisations = catalogue(code)
    return render_template("policies/region.html", region=region_, chain=chain, grouped=grouped,
                           organisations=organisations, rules_version=get_checker().rules_version,
                           total=sum(len(b) for _, b in grouped) + len(organisations))


COLUMNS = ("id", "name", "category", "audience", "policy_status", "draft", "region", "summary", "conditions",
           "amount", "agency", "where", "documents", "sources")


@bp.get("/<code>/policies.csv")
def region_csv(code):
    _, _, grouped, organisations = catalogue(code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for benefit in [b for _, group in grouped for b in group] + organisations:
        apply = benefit.apply
        writer.writerow([
            benefit.id, gettext(benefit.name), benefit.category, benefit.audience, benefit.policy_status,
            "true" if benefit.draft else "false", benefit.region, gettext(benefit.summary),
            "；".join(gettext(n.text) for n in benefit.explained if n.text),
            gettext(benefit.amount["text"]) if benefit.amount else "",
            gettext(apply.get("agency", "")), gettext(apply.get("where", "")) if apply.get("where") else "",
            "；".join(gettext(d) for d in apply.get("documents", [])),
            " | ".join(_cite(s) for s in benefit.sources)])
    # A UTF-8 byte-order mark, so that spreadsheet programs open the Chinese text correctly.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=policies-{code}.csv"})


def _cite(source):
    parts = [f"{source['document']}《{source['title']}》"]
    if source.get("line"):
        parts.append(f"第{source['line']}行：{source['quote']}")
    if source.get("date"):
        parts.append(str(source["date"]))
    if source.get("draft"):
        parts.append("征求意见稿")
    return " ".join(parts)
