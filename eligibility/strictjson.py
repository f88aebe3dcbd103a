"""Reading a JSON check request strictly, so that no text can make the reader fail.

Python's json module accepts what the contract must refuse, or fails in ways a caller
cannot name: a key given twice (the last silently wins), NaN and Infinity, nesting deep
enough to exhaust the recursion limit (RecursionError), and an integer of more than 4,300
digits (Python refuses to convert it). Each is an AnswerError here, naming what is wrong.
"""
import json
import re

from .errors import AnswerError

MAX_DEPTH = 20          # a check request nests three deep; the rest is a mistake or an attack
MAX_DIGITS = 20         # no answer is a 20-digit number: longer ones stay unconverted
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class LongInteger:
    """An integer too long to convert: never a valid answer, always out of range."""

    def __init__(self, digits):
        self.digits = digits

    def __repr__(self):
        return f"<an integer of {self.digits} digits>"


def loads(text):
    """The decoded value of JSON `text` (a str); AnswerError says what is wrong with it."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise AnswerError("too_deep", f"JSON 嵌套了 {depth} 层，最多 {MAX_DEPTH} 层"
                                      f"（JSON nested {depth} deep; at most {MAX_DEPTH}）", None)
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_constant=_constant)
    except AnswerError:
        raise
    except ValueError as exc:       # JSONDecodeError, and anything the decoder itself refuses
        raise AnswerError("invalid_json", f"请求体不是有效的 JSON（invalid JSON: {exc}）", None) from None


def nesting_depth(text):
    """How deep arrays and objects nest in `text`, counted without decoding it (strings skipped)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _object(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise AnswerError("duplicate_key", f"JSON 对象中 “{_shown(key)}” 出现了不止一次"
                                               f"（duplicate key {_shown(key)!r}）", key)
        seen[key] = value
    return seen


def _integer(text):
    digits = len(text.lstrip("-"))
    return LongInteger(digits) if digits > MAX_DIGITS else int(text)


def _constant(name):
    raise AnswerError("invalid_json", f"JSON 中不允许 {name}（{name} is not allowed in JSON）", None)


def _shown(text, limit=40):
    return text if len(text) <= limit else text[:limit] + "…"
