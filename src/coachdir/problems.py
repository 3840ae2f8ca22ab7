"""Problems found in user files, and the reporters that print them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import ClassVar, Literal

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
    """The base of every error coachdir reports to its user, with the exit code it ends the
    command with (``exit_code``; the command line maps every subclass in one place).

    Raised itself, it is the failure that carries the problems found in the user's files
    (``problems``, printed as ``file:line:col`` lines; exit 1). The subclasses below carry one
    message instead (``message``; ``problems`` is then empty).
    """

    exit_code: ClassVar[int] = 1

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            self.message = problems
        else:
            self.problems = list(problems)
            self.message = "; ".join(p.message for p in self.problems)
        super().__init__(self.message)


class UsageError(CoachdirError):
    """The command cannot run as asked: a wrong path, a refused folder, a bad option value
    (exit 2; shown with the command's usage line)."""

    exit_code: ClassVar[int] = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)


class InvalidInput(CoachdirError):
    """What the user gave cannot be used, said in one message rather than as problems at
    file:line:col (exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


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
