"""Problems found in user files, and the reporters that print them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    rule: str
    hint: str = ""
    severity: Severity = "error"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Problem:
        return cls(
            path=str(data["path"]),
            line=int(str(data["line"])),
            col=int(str(data["col"])),
            message=str(data["message"]),
            rule=str(data["rule"]),
            hint=str(data.get("hint", "")),
            severity="warning" if data.get("severity") == "warning" else "error",
        )


class CoachdirError(Exception):
    """A user-facing failure that carries its problems; the CLI prints them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file, then position, and drop exact repeats."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.rule, p.message))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_text(problems: Sequence[Problem]) -> str:
    """``path:line:col: error: message [rule]`` then an indented hint line."""
    out: list[str] = []
    for p in problems:
        out.append(f"{p.path}:{p.line}:{p.col}: {p.severity}: {_one_line(p.message)} [{p.rule}]")
        if p.hint:
            out.append(f"  hint: {_one_line(p.hint)}")
    return "\n".join(out)


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, so problems annotate the pull request diff."""
    out: list[str] = []
    for p in problems:
        props = (
            f"file={_gh_escape(p.path, prop=True)},line={p.line},col={p.col},"
            f"title={_gh_escape(p.rule, prop=True)}"
        )
        body = _one_line(p.message) + (f" — {_one_line(p.hint)}" if p.hint else "")
        out.append(f"::{p.severity} {props}::{_gh_escape(body)}")
    return "\n".join(out)


def format_json(problems: Sequence[Problem], *, files: int) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    return json.dumps(
        {
            "files": files,
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [p.to_dict() for p in problems],
        },
        ensure_ascii=False,
        indent=2,
    )


def summary_line(problems: Sequence[Problem], *, files: int) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    noun = "file" if files == 1 else "files"
    if not problems:
        return f"{files} {noun} checked: all valid."
    return f"{files} {noun} checked: {errors} error(s), {warnings} warning(s)."
