"""The eligibility engine: policy rules (rules/) in, explained results out. Knows nothing of Flask.

    book = RuleBook.load()            # validated rules, inheritance resolved
    checker = Checker(book)           # compiles them into durable-rules once per process
    report = checker.check("230100", checker.catalogue.parse_answers({"age": 8}), "2024-06-01")
"""
from . import strictjson
from .checker import Checker, Report, parse_as_of, today
from .errors import AnswerError, EngineFailure, RuleValidationError, UnknownRegion
from .rulebook import RuleBook

__all__ = ["AnswerError", "Checker", "EngineFailure", "Report", "RuleBook", "RuleValidationError",
           "UnknownRegion", "parse_as_of", "today"]
