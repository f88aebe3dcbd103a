"""Errors the engine raises. None of them knows about HTTP."""


class RuleProblem:
    """One problem in one rule file: where it is and what is wrong."""

    def __init__(self, file, line, path, message):
        self.file, self.line, self.path, self.message = file, line, path, message

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def __repr__(self):
        return f"RuleProblem({self})"


class RuleValidationError(Exception):
    """The rule files are invalid. Carries every problem found, not just the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in the rule files:\n" + "\n".join(str(p) for p in self.problems)
        )


class AnswerError(ValueError):
    """A citizen's answers (or region / date) are not acceptable. `field` names the culprit."""

    def __init__(self, code, message, field=None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


class UnknownRegion(AnswerError):
    def __init__(self, code):
        super().__init__("unknown_region", f"没有这个地区代码：{code}（unknown region code）", "region")


class EngineFailure(RuntimeError):
    """The rule engine failed or disagreed with the evaluator: never show an answer then."""
