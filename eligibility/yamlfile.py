"""YAML loading that remembers the line of every key, so rule errors can name it.

PyYAML forgets positions once it builds Python objects, and silently keeps the last of
two duplicate keys; a 残联 officer editing by hand needs both caught and located.
"""
import yaml

from .errors import RuleProblem

# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located:
    """Parsed YAML data plus the line number of each key path."""

    def __init__(self, file, data, lines):
        self.file, self.data, self._lines = file, data, lines

    def line(self, path):
        """Line of the closest known key on `path` (a tuple of keys / indexes)."""
        path = tuple(path)
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path, 1)

    def problem(self, path, message):
        return RuleProblem(self.file, self.line(path), dotted(path), message)


def dotted(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path, display_name=None):
    """Load one YAML file. Returns (Located | None, [RuleProblem])."""
    name = display_name or str(path)
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as error:
        return None, [RuleProblem(name, None, "", f"无法读取文件（cannot read file）：{error}")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        message = f"YAML 格式错误（syntax error）：{getattr(error, 'problem', error)}"
        context = getattr(error, "context_mark", None)
        if context is not None and line is not None and context.line + 1 != line:
            # libyaml notices an unclosed [ or " only lines later; the edit is where it began
            message += f"（{error.context}：第{context.line + 1}行）"
        return None, [RuleProblem(name, line, "", message)]
    if node is None:
        return None, [RuleProblem(name, 1, "", "文件是空的（empty file）")]
    lines, problems = {}, []
    _walk(node, (), lines, problems, name)
    try:
        data = yaml.constructor.SafeConstructor().construct_document(node)
    except (yaml.YAMLError, ValueError) as error:  # e.g. 2020-13-01 looks like a date but is not one
        line = _bad_scalar_line(node) or getattr(getattr(error, "problem_mark", None), "line", -1) + 1 or None
        return None, [RuleProblem(name, line, "", f"YAML 值错误（bad value）：{error}")]
    return Located(name, data, lines), problems


def _bad_scalar_line(node):
    """Line of the first scalar PyYAML cannot construct (it raises without a position)."""
    loader = yaml.constructor.SafeConstructor()
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                loader.construct_object(current, deep=True)
            except (yaml.YAMLError, ValueError):
                return current.start_mark.line + 1
        elif isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _walk(node, path, lines, problems, name):
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(RuleProblem(name, key_node.start_mark.line + 1, dotted(path + (key,)),
                                            "同一个键写了两次（duplicate key）"))
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, problems, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), lines, problems, name)
