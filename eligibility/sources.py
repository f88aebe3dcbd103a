"""The five source plans kept in rules/sources/, and the check that every quote is real.

A citation names a seed file, a line and a quote; the quote must occur on that line,
whitespace aside (the plans were extracted from PDFs with stray spaces and breaks).
"""
import re
from pathlib import Path

import yaml

_SPACE = re.compile(r"\s+")


def squeeze(text):
    return _SPACE.sub("", text)


class SeedLibrary:
    def __init__(self, folder):
        self.folder = Path(folder)
        self._lines = {}
        self._status = {}
        self._dates = {}
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.txt")):
                self._lines[path.name] = path.read_text(encoding="utf-8").split("\n")
            index = self.folder / "sources.yaml"
            if index.is_file():
                data = yaml.safe_load(index.read_text(encoding="utf-8")) or {}
                self._status = {name: (entry or {}).get("status") for name, entry in data.items()}
                self._dates = {name: (entry or {}).get("date") for name, entry in data.items()}

    def date(self, seed):
        """The date the plan was issued (or put out for comment), if it says."""
        return self._dates.get(seed)

    def is_draft(self, seed):
        """A 征求意见稿 (consultation draft): results resting on it must say so."""
        return self._status.get(seed) == "draft"

    def __contains__(self, seed):
        return seed in self._lines

    def names(self):
        return sorted(self._lines)

    def line_count(self, seed):
        return len(self._lines[seed])

    def text(self, seed, line):
        """Line `line` (1-based) of `seed`."""
        return self._lines[seed][line - 1]

    def quote_problem(self, seed, line, quote):
        """None if `quote` occurs on `line` of `seed`; otherwise what is wrong, in words."""
        if seed not in self._lines:
            return f"rules/sources/ 里没有原文 {seed}（unknown seed; have: {', '.join(self.names())}）"
        lines = self._lines[seed]
        if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= len(lines):
            return f"行号必须在 1—{len(lines)} 之间：{line!r}（line out of range）"
        if not isinstance(quote, str) or not squeeze(quote):
            return "quote 必须是原文中的一段文字（quote must be non-empty text）"
        if squeeze(quote) not in squeeze(lines[line - 1]):
            found = [n for n, text in enumerate(lines, 1) if squeeze(quote) in squeeze(text)]
            hint = f"；这段文字在第 {', '.join(map(str, found[:5]))} 行" if found else "；原文中找不到这段文字"
            return f"第 {line} 行没有这段引文（quote not found on that line{hint}）"
        return None
