"""Reading one question's form answer: fact ids as field names, spec values as values
(true / false / an enum value / a number), `unknown` for 我不知道.

Forgiving where people type (spaces, full-width digits, a trailing 岁), strict about what
it means, and every error says what to do.
"""
import re

from flask_babel import gettext as _

from eligibility import AnswerError

UNKNOWN = "unknown"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_AGE_SUFFIX = re.compile(r"(周岁|岁)$")
# ASCII digits only: str.isdigit() also says yes to "²" and "①", which int() then refuses.
_DIGITS = re.compile(r"[0-9]+")
# Checked before int(): Python refuses more than 4,300 digits, and no answer needs 7.
MAX_DIGITS = 6


def parse(fact, values):
    """The Python value for `fact` from the submitted list of values; None means 我不知道."""
    values = [v for v in values if v is not None]
    if UNKNOWN in values:   # the 我不知道 button or radio
        return None
    raw = values[0].strip() if values else ""
    if fact.type == "integer":
        return _integer(fact, raw)
    if not raw:
        raise AnswerError("missing", _("请选择一项。不知道的话，请选“我不知道”。"), fact.id)
    if fact.type == "boolean":
        if raw in ("true", "false"):
            return raw == "true"
    elif raw in fact.values:
        return raw
    raise AnswerError("invalid", _("请从列出的选项中选择一项。"), fact.id)


def _integer(fact, raw):
    text = re.sub(r"\s+", "", raw.translate(_FULL_WIDTH))
    if fact.id == "age":
        text = _AGE_SUFFIX.sub("", text)
    if not text:
        if fact.labels:
            raise AnswerError("missing", _("请选择一项。不知道的话，请选“我不知道”。"), fact.id)
        raise AnswerError("missing", _("请填写数字，例如：8。不知道的话，请按“我不知道”。"), fact.id)
    if not _DIGITS.fullmatch(text):
        raise AnswerError("invalid", _("只能填写数字，例如：8。"), fact.id)
    digits = text.lstrip("0") or "0"
    number = int(digits) if len(digits) <= MAX_DIGITS else None
    if number is None or not fact.min <= number <= fact.max:
        raise AnswerError("out_of_range", _("请填写 %(low)s 到 %(high)s 之间的数字。", low=fact.min, high=fact.max),
                          fact.id)
    return number
