"""The questionnaire journey: start, where you live, one question per page, check your
answers, results. GOV.UK's "check a service is suitable" pattern.

One journey, several ways in: `add_routes(bp, layout)` puts the same pages on any
blueprint (the web site at /, the kiosk at /kiosk, the widget's frame), each wrapped in
its own layout template. Templates link with relative endpoints (`.question`), so they
stay inside whichever blueprint rendered them.

State: the answers live in the signed session (a cookie, or a hidden field inside the
widget) — never on the server, never in a URL. Everything is POST-redirect-GET and works
without JavaScript.
"""
from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from eligibility import AnswerError, regionsearch

from ..engine import get_checker
from . import answers as form_answers
from . import presenter
from .presenter import present_results

WEB_LAYOUT = "layout.html"
SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")
SEARCH_LIMIT = 20


def make_blueprint(name="web", url_prefix=None, layout=WEB_LAYOUT):
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    add_routes(bp, layout)
    return bp


# ---------------------------------------------------------------- state in the session

def journey():
    """The person's journey so far, from the signed session."""
    return {
        "region": session.get("region"),
        "answers": dict(session.get("answers") or {}),
        "dont_know": list(session.get("dont_know") or []),
        "order": list(session.get("order") or []),
        "helping": bool(session.get("helping")),
    }


def save(state):
    session.update(state)


def clear():
    session.clear()


def add_routes(bp, layout):
    """Attach the journey's pages to blueprint `bp`, rendered in `layout`."""

    def render(template, **context):
        context.setdefault("presenter", presenter)
        return render_template(template, layout=layout, state=journey(), checker=get_checker(), **context)

    def back_from(fact):
        """The page before question `fact`: the question answered before it, else the region."""
        order = journey()["order"]
        earlier = order[: order.index(fact)] if fact in order else order
        return url_for(".question", fact=earlier[-1]) if earlier else url_for(".region")

    @bp.get("/")
    def start():
        return render("journey/start.html", cleared=request.args.get("cleared") == "1")

    @bp.post("/start")
    def begin():
        state = journey()
        state["helping"] = request.form.get("helping") == "other"
        save(state)
        return redirect(url_for(".region"), code=303)

    @bp.route("/region", methods=["GET", "POST"])
    def region():
        checker = get_checker()
        within = request.args.get("within")
        if within is not None and within not in checker.regions:
            abort(404)
        error = search_error = None
        query, found = request.args.get("q"), None
        if query is not None and within is None:
            query = query.strip()
            if not query:
                search_error = _("请输入区、县名称，例如：东城区。")
            elif len(query) > regionsearch.MAX_QUERY:
                search_error = _("名称太长了，请只输入区、县的名称。")
            else:
                found = [(r.code, presenter.region_name(checker.book.chain(r.code)))
                         for r, _how in regionsearch.search(checker.book, query, SEARCH_LIMIT)]
                if not found:
                    search_error = _("没有找到“%(query)s”。请换个写法（例如只写“东城”），或按省份查找。", query=query)
        if request.method == "POST":
            code = request.form.get("region")
            if code in checker.regions:
                state = journey()
                state["region"] = code
                save(state)
                return redirect(url_for(".next_step"), code=303)
            error = _("请选择你住在哪里。") if not code else _("没有这个地区，请从列表中选择。")
        return render("journey/region.html", within=within, error=error, seed_regions=SEED_REGIONS,
                      query=query, found=found, search_error=search_error,
                      change=bool(request.args.get("change")), back=url_for(".start"))

    @bp.get("/next")
    def next_step():
        state = journey()
        if not state["region"]:
            return redirect(url_for(".region"), code=303)
        report = get_checker().check(state["region"], state["answers"], dont_know=state["dont_know"])
        if report.next_question:
            return redirect(url_for(".question", fact=report.next_question), code=303)
        return redirect(url_for(".check_answers"), code=303)

    @bp.route("/question/<fact>", methods=["GET", "POST"])
    def question(fact):
        checker = get_checker()
        if fact not in checker.catalogue:
            abort(404)
        state = journey()
        if not state["region"]:
            return redirect(url_for(".region"), code=303)
        change = bool(request.args.get("change"))
        error, entered = None, None
        if request.method == "POST":
            try:
                value = form_answers.parse(checker.catalogue[fact], request.form.getlist(fact))
            except AnswerError as exc:
                error, entered = exc.message, request.form.get(fact, "")
            else:
                _record(state, fact, value)
                save(state)
                # after a change, any question the new answer makes relevant comes first
                return redirect(url_for(".next_step"), code=303)
        current = "unknown" if fact in state["dont_know"] else state["answers"].get(fact)
        back = url_for(".check_answers") if change else back_from(fact)
        return render("journey/question.html", fact=checker.catalogue[fact], current=current, error=error,
                      entered=entered, change=change, back=back)

    @bp.route("/check-answers", methods=["GET", "POST"])
    def check_answers():
        state = journey()
        if not state["region"]:
            return redirect(url_for(".region"), code=303)
        if request.method == "POST":
            return redirect(url_for(".results"), code=303)
        order = state["order"]
        back = url_for(".question", fact=order[-1]) if order else url_for(".region")
        return render("journey/check_answers.html", back=back)

    @bp.get("/results")
    def results():
        state = journey()
        if not state["region"]:
            return redirect(url_for(".region"), code=303)
        report = get_checker().check(state["region"], state["answers"], dont_know=state["dont_know"])
        return render("journey/results.html", report=report, groups=present_results(report),
                      back=url_for(".check_answers"))

    @bp.post("/clear")
    def clear_all():
        clear()
        return redirect(url_for(".start", cleared=1), code=303)


def _record(state, fact, value):
    """Store one answer (None = 我不知道) and remember the order questions were answered in."""
    if value is None:
        state["answers"].pop(fact, None)
        if fact not in state["dont_know"]:
            state["dont_know"].append(fact)
    else:
        state["answers"][fact] = value
        if fact in state["dont_know"]:
            state["dont_know"].remove(fact)
    if fact not in state["order"]:
        state["order"].append(fact)
