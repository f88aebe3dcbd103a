"""The fact catalogue (rules/facts.yaml): what may be asked, and strict answer checking.

Answers are checked here, before either evaluator sees them: durable-rules coerces types
("1" == 1, "false" == false), so a wrong type must never reach it.
"""
from dataclasses import dataclass, field

from .errors import AnswerError
from .strictjson import LongInteger

TYPES = ("integer", "boolean", "enum")
FACT_KEYS = {"type", "min", "max", "values", "labels", "question", "question_other", "hint",
             "unknown_help", "ask_when", "order", "actions"}


@dataclass(frozen=True)
class Action:
    """Something a person can do that changes an answer: 办理残疾人证, 申请低保边缘认定."""
    fact: str
    value: object
    action: str     # what to do: 办理残疾人证
    where: str      # where to do it
    done: str       # the answer once it is done, for "如果…，你还可能申请": 办了残疾人证


@dataclass
class Fact:
    id: str
    type: str
    question: str
    question_other: str
    hint: str = ""
    unknown_help: str = ""
    min: int | None = None
    max: int | None = None
    values: dict = field(default_factory=dict)   # enum value -> label, in display order
    labels: dict = field(default_factory=dict)   # integer value -> label (optional)
    ask_when: object = None                      # a condition tree (conditions.Node) or None
    order: int = 1000
    actions: list = field(default_factory=list)  # [Action], tried in order (what would change a result)

    def accepts(self, value):
        """True if `value` (already a Python value) is of the right type and range."""
        if self.type == "boolean":
            return isinstance(value, bool)
        if self.type == "integer":
            return isinstance(value, int) and not isinstance(value, bool) and self.min <= value <= self.max
        return isinstance(value, str) and value in self.values

    def choices(self):
        """(value, label) pairs for a choice question; empty for free integer input."""
        if self.type == "enum":
            return list(self.values.items())
        if self.type == "boolean":
            return [(True, "是"), (False, "否")]
        return list(self.labels.items())

    def label(self, value):
        if value is None:
            return None
        if self.type == "boolean":
            return "是" if value else "否"
        if self.type == "enum":
            return self.values.get(value, value)
        return self.labels.get(value, str(value))


class Catalogue:
    def __init__(self, facts):
        self.facts = dict(sorted(facts.items(), key=lambda item: (item[1].order, item[0])))
        self.actionable = {f.id: f.actions for f in self.facts.values() if f.actions}

    def __contains__(self, fact_id):
        return fact_id in self.facts

    def __getitem__(self, fact_id):
        return self.facts[fact_id]

    def random_profile(self, rng, answered=0.6):
        """A random valid partial profile (each fact answered with probability `answered`),
        for differential tests and benchmarks."""
        profile = {}
        for fact in self.facts.values():
            if rng.random() < answered:
                profile[fact.id] = (rng.randint(fact.min, fact.max) if fact.type == "integer" else
                                    rng.choice([True, False]) if fact.type == "boolean" else rng.choice(list(fact.values)))
        return profile

    def parse_answers(self, raw):
        """Validate a JSON-decoded answers object. Absent or null means unknown.

        Raises AnswerError naming the first bad field (unknown fact, wrong type, out of range).
        """
        if not isinstance(raw, dict):
            raise AnswerError("invalid_answers", "answers 必须是一个对象（answers must be a JSON object）", "answers")
        answers = {}
        for key, value in raw.items():
            if key not in self.facts:
                raise AnswerError("unknown_fact", f"没有这个问题：{_shown(key)}（unknown fact）", key)
            if value is None:
                continue
            fact = self.facts[key]
            if not fact.accepts(value):
                raise AnswerError(*self._explain_rejection(fact, value), key)
            answers[key] = value
        return answers

    @staticmethod
    def _explain_rejection(fact, value):
        if fact.type == "boolean":
            return "wrong_type", f"{fact.id} 必须是 true 或 false（must be a boolean）"
        if fact.type == "integer":
            if isinstance(value, LongInteger) or isinstance(value, int) and not isinstance(value, bool):
                return "out_of_range", f"{fact.id} 必须在 {fact.min} 到 {fact.max} 之间（out of range）"
            return "wrong_type", f"{fact.id} 必须是整数（must be an integer）"
        if not isinstance(value, str):
            return "wrong_type", f"{fact.id} 必须是文字（must be a string）"
        allowed = " ".join(fact.values)
        return "out_of_range", f"{fact.id} 只能是：{allowed}（not an allowed value）"


def _shown(text, limit=40):
    """A submitted key as an error message quotes it: never the whole of a 60 KB key."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"
