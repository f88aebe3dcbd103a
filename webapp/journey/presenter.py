"""Turning a report into what the results page shows, grouped the way people act on it:
likely eligible; needs checking (and how to find out); planned policies; and a short
"not found" list with the reason and what would change it. Never a bare 不符合.
"""
from dataclasses import dataclass, field


@dataclass
class Group:
    key: str
    items: list = field(default_factory=list)


def present_results(report):
    likely, check, planned, not_found = Group("likely"), Group("check"), Group("planned"), Group("not_found")
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
    """What is still open: the facts to find out, and the things only the local office decides."""
    local = [c for c in result.conditions if c.assessed_locally and c.outcome == "unknown"]
    return result.missing, local
