"""The questionnaire journey: start, where you live, one question per page, check your
answers, results. GOV.UK's "check a service is suitable" pattern.

One journey, several ways in: `add_routes(bp, layout)` puts the same pages on any
blueprint (the web site at /, the kiosk at /kiosk, the widget's frame), each wrapped in
its own layout template. Templates link with relative endpoints (`.question`), so they
stay inside whichever blueprint rendered them.

State: the answers live in the signed session (a cookie, or a hidden field inside the
widget) — never on the server, never in a URL. A handled form answers through
`respond.redirect_or_render`: POST-redirect-GET on the web and the kiosk, the next page
itself in the widget. Everything works without JavaScript.
"""
from flask import Blueprint, abort, render_template, request, session, url_for
from flask_babel import gettext as _

from eligibility import AnswerError

from ..engine import get_checker
from . import answers as form_answers
from . import presenter, respond
from .presenter import present_results

WEB_LAYOUT = "layout.html"
SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")


def make_blueprint(name="web", url_prefix=None, layout=WEB_LAYOUT, render_here=False, preset_region=None):
    """The journey as blueprint `name`. `render_here`: answer a form with the next page itself
    instead of a redirect (see respond.py). `preset_region()`: a region the mount chose (a
    portal's); with it, 开始 goes straight to the first question."""
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    bp.render_here = render_here
    add_routes(bp, layout, preset_region)
    return bp


# ---------------------------------------------------------------- state in the session

def journey():
    """The person's journey so far, from the signed session.

    Only what today's rules accept is kept: a session signed before a rule change may hold a
    fact that is gone or a value now out of range. Such an answer is unknown again (and asked
    again), never a server error."""
    checker = get_checker()
    catalogue = checker.catalogue
    region = session.get("region")
    answers = session.get("answers")
    answers = {fact: value for fact, value in answers.items()
               if fact in catalogue and catalogue[fact].accepts(value)} if isinstance(answers, dict) else {}

    def facts(key):
        value = session.get(key)
        return [f for f in value if isinstance(f, str) and f in catalogue] if isinstance(value, list) else []

    return {
        "region": region if isinstance(region, str) and region in checker.regions else None,
        "answers": answers,
        "dont_know": facts("dont_know"),
        "order": facts("order"),
        "helping": bool(session.get("helping")),
    }


def save(state):
    session.update(state)


def clear():
    session.clear()


def add_routes(bp, layout, preset_region=None):
    """Attach the journey's pages to blueprint `bp`, rendered in `layout`."""
    # Where the answers travel in the page, a link to a page is followed by posting them to it.
    page_methods = ["GET", "POST"] if getattr(bp, "render_here", False) else ["GET"]

    def render(template, **context):
        context.setdefault("presenter", presenter)
        return render_template(template, layout=layout, state=journey(), checker=get_checker(), **context)

    def go(endpoint, **values):
        return respond.redirect_or_render(bp.name + endpoint, **values)

    def back_from(fact):
        """The page before question `fact`: the question answered before it, else the region."""
        order = journey()["order"]
        earlier = order[: order.index(fact)] if fact in order else order
        return url_for(".question", fact=earlier[-1]) if earlier else url_for(".region")

    # ------------------------------------------------------------ the pages (GET)

    def show_start(cleared=None):
        return render("journey/start.html", cleared=str(cleared) == "1")

    def show_region(within=None, change=None, error=None):
        checker = get_checker()
        if within is not None and within not in checker.regions:
            abort(404)
        return render("journey/region.html", within=within, error=error, seed_regions=SEED_REGIONS,
                      change=bool(change), back=url_for(".start"))

    def show_next():
        state = journey()
        if not state["region"]:
            return go(".region")
        report = get_checker().check(state["region"], state["answers"], dont_know=state["dont_know"])
        if report.next_question:
            return go(".question", fact=report.next_question)
        return go(".check_answers")

    def show_question(fact, change=None, error=None, entered=None):
        checker = get_checker()
        if fact not in checker.catalogue:
            abort(404)
        state = journey()
        if not state["region"]:
            return go(".region")
        current = "unknown" if fact in state["dont_know"] else state["answers"].get(fact)
        back = url_for(".check_answers") if change else back_from(fact)
        return render("journey/question.html", fact=checker.catalogue[fact], current=current, error=error,
                      entered=entered, change=bool(change), back=back)

    def show_check_answers():
        state = journey()
        if not state["region"]:
            return go(".region")
        order = state["order"]
        back = url_for(".question", fact=order[-1]) if order else url_for(".region")
        return render("journey/check_answers.html", back=back)

    def show_results():
        state = journey()
        if not state["region"]:
            return go(".region")
        report = get_checker().check(state["region"], state["answers"], dont_know=state["dont_know"])
        return render("journey/results.html", report=report, groups=present_results(report),
                      back=url_for(".check_answers"))

    for endpoint, show, query in (("start", show_start, ("cleared",)), ("region", show_region, ("within", "change")),
                                  ("next_step", show_next, ()), ("question", show_question, ("change",)),
                                  ("check_answers", show_check_answers, ()), ("results", show_results, ())):
        respond.page(bp, endpoint, show, query)

    def args(endpoint):
        return respond.page_args(f"{bp.name}.{endpoint}", request.args)

    # ------------------------------------------------------------ the routes

    @bp.route("/", methods=page_methods)
    def start():
        return show_start(**args("start"))

    @bp.post("/start")
    def begin():
        state = journey()
        state["helping"] = request.form.get("helping") == "other"
        preset = preset_region() if preset_region else None
        if preset and not state["region"]:
            state["region"] = preset
        save(state)
        return go(".next_step") if preset else go(".region")

    @bp.route("/region", methods=["GET", "POST"])
    def region():
        if request.method == "POST":
            code = request.form.get("region")
            if code in get_checker().regions:
                state = journey()
                state["region"] = code
                save(state)
                return go(".next_step")
            error = _("请选择你住在哪里。") if not code else _("没有这个地区，请从列表中选择。")
            return show_region(**args("region"), error=error)
        return show_region(**args("region"))

    @bp.route("/next", methods=page_methods)
    def next_step():
        return show_next()

    @bp.route("/question/<fact>", methods=["GET", "POST"])
    def question(fact):
        if request.method == "POST" and fact in get_checker().catalogue and journey()["region"]:
            state = journey()
            try:
                value = form_answers.parse(get_checker().catalogue[fact], request.form.getlist(fact))
            except AnswerError as exc:
                return show_question(fact, **args("question"), error=exc.message, entered=request.form.get(fact, ""))
            _record(state, fact, value)
            save(state)
            # after a change, any question the new answer makes relevant comes first
            return go(".next_step")
        return show_question(fact, **args("question"))

    @bp.route("/check-answers", methods=["GET", "POST"])
    def check_answers():
        if request.method == "POST" and journey()["region"]:
            return go(".results")
        return show_check_answers()

    @bp.route("/results", methods=page_methods)
    def results():
        return show_results()

    @bp.post("/clear")
    def clear_all():
        clear()
        return go(".start", cleared=1)


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
