"""Turning a report into what the results page shows, grouped the way people act on it:
you can apply (with what the office still checks); still to confirm (what to find out and
whom to ask); planned policies; and "not found" with the reason and what would change it.
Never a bare 不符合.
"""
from dataclasses import dataclass, field

from flask_babel import format_number, get_locale, gettext, ngettext
from flask_babel import gettext as _


@dataclass
class Group:
    key: str
    items: list = field(default_factory=list)


def present_results(report):
    likely, check, planned, not_found = Group("likely"), Group("check"), Group("planned"), Group("not_found")
    # family: provisions for a relative (零就业家庭的家人…) are listed in the same groups, marked as such
    for result in report.results:
        if result.benefit.policy_status == "planned" and result.status != "not_eligible":
            planned.items.append(result)
        elif result.status == "eligible":
            likely.items.append(result)
        elif result.status == "undetermined":
            check.items.append(result)
        else:
            not_found.items.append(result)
    return [likely, check, planned, not_found]


def met(result):
    return [c for c in result.conditions if c.outcome == "met" and c.fact]


def failed(result):
    """The conditions that rule it out — the innermost ones, which say why in plain words."""
    failing = [c for c in result.conditions if c.outcome == "not_met"]
    parents = {c.part_of for c in failing}
    return [c for c in failing if c.id not in parents] or failing


def to_confirm(result):
    """What is still open: the facts to find out, and the routes only the local office decides."""
    return result.missing, [n for n in result.to_confirm if n.kind == "decide"]


def office_checks(result):
    """What the office still checks of every applicant when they apply."""
    return [n for n in result.to_confirm if n.kind == "verify"]


@dataclass
class WouldChange:
    change: object                 # checker.Change (its facts, steps, action, where)
    results: list = field(default_factory=list)


def would_change(report):
    """"If you got a certificate / were recognised as a dibao-edge household, you could
    also apply for …": the benefits each smallest action would open, fewest steps first,
    then the one that opens most."""
    groups = {}
    for result in report.results:
        if result.status == "eligible":
            continue
        for change in result.would_change:
            key = tuple(sorted(change.facts.items(), key=lambda item: item[0]))
            groups.setdefault(key, WouldChange(change)).results.append(result)
    return sorted(groups.values(), key=lambda g: (len(g.change.steps), -len(g.results)))


def lacks_certificate(report):
    return report.answers.get("has_certificate") is not True


# ---------------------------------------------------------------- answers in words

def form_value(value):
    """A fact value as the form sends it: booleans are `true` / `false` (api.md)."""
    if value is True or value is False:
        return "true" if value else "false"
    return "" if value is None else str(value)


def answer_text(fact, value):
    """An answer in the reader's language: 是/否, the enum label, a grade, or a number formatted
    for the locale (with 岁 for an age)."""
    if fact.type == "boolean":
        return _("是") if value else _("否")
    if fact.type == "enum":
        return gettext(fact.values.get(value, str(value)))
    if value in fact.labels:
        return gettext(fact.labels[value])
    if fact.id == "age":
        return ngettext("%(age)s岁", "%(age)s岁", value, age=format_number(value))
    return format_number(value)


def choices(fact):
    """(form value, label) for a choice question, labels translated."""
    return [(form_value(value), answer_text(fact, value)) for value, _label in fact.choices()]


def question_text(fact, helping):
    """The question in the first person, or the third when filling in for someone else."""
    return gettext(fact.question_other if helping and fact.question_other else fact.question)


def region_name(chain):
    """A region with its parents, below the national level, in the reader's language:
    “黑龙江省 哈尔滨市” / “Harbin, Heilongjiang Province”."""
    names = [gettext(region.name) for region in chain[1:]]
    return " ".join(names) if _locale_language() == "zh" else ", ".join(reversed(names))


def _locale_language():
    locale = get_locale()
    return locale.language if locale else "zh"
