"""The strict JSON reader: every way json.loads would accept too much, or fail unnamed."""
import json

import pytest

from eligibility import AnswerError
from eligibility.strictjson import MAX_DEPTH, LongInteger, loads, nesting_depth


def refused(text):
    with pytest.raises(AnswerError) as caught:
        loads(text)
    return caught.value


def test_plain_request_reads_as_json_does():
    text = '{"region": "230100", "as_of": "2024-06-01", "answers": {"age": 8, "autism": null, "x": [1.5, -2]}}'
    assert loads(text) == json.loads(text)


def test_duplicate_key_is_named_at_any_depth():
    assert (refused('{"region": "230100", "region": "330100"}').field) == "region"
    error = refused('{"region": "230100", "answers": {"age": 8, "age": 9}}')
    assert (error.code, error.field) == ("duplicate_key", "age") and "age" in error.message


def test_deep_nesting_is_refused_before_decoding():
    error = refused('{"answers": ' + "[" * 1000 + "]" * 1000 + "}")
    assert error.code == "too_deep" and "1001" in error.message
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    refused("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_brackets_inside_strings_do_not_count():
    assert nesting_depth('{"a": "[[[[{{{{\\"]]]"}') == 1
    assert loads('{"a": "' + "[" * 1000 + '"}') == {"a": "[" * 1000}


def test_integers_beyond_python_limit_stay_unconverted():
    value = loads('{"age": ' + "9" * 5000 + "}")["age"]
    assert isinstance(value, LongInteger) and value.digits == 5000 and "5000" in repr(value)
    assert loads('{"age": -' + "1" * 25 + "}")["age"].digits == 25
    assert loads('{"age": 12345678901234567890}')["age"] == 12345678901234567890


@pytest.mark.parametrize("text", ["{", '{"a": NaN}', '{"a": -Infinity}', "", "[1,]", "{'a': 1}"])
def test_invalid_json_is_named(text):
    error = refused(text)
    assert error.code == "invalid_json" and error.message


def test_long_integer_answer_is_out_of_range_not_a_crash(checker):
    body = loads('{"age": ' + "9" * 5000 + ', "disability_grade": -' + "4" * 30 + "}")
    with pytest.raises(AnswerError) as caught:
        checker.catalogue.parse_answers(body)
    assert (caught.value.code, caught.value.field) == ("out_of_range", "age")
    with pytest.raises(AnswerError) as caught:
        checker.catalogue.parse_answers({"disability_grade": body["disability_grade"]})
    assert caught.value.code == "out_of_range"
