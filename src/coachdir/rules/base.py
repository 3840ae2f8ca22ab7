"""What every rule is given (the context) and how it reports (a problem at a position)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coachdir.loader import Loaded
from coachdir.problems import Problem, Severity
from coachdir.programme import Programme


@dataclass(frozen=True)
class Context:
    """What every rule may read: the programme, today's date, the repository root."""

    programme: Programme
    today: date
    root: Path


def problem(
    loaded: Loaded,
    path: tuple[str | int, ...],
    message: str,
    rule: str,
    hint: str,
    *,
    severity: Severity = "error",
    key: bool = False,
) -> Problem:
    """A problem at the position of ``path`` inside ``loaded``."""
    line, col = loaded.where(path, key=key)
    return Problem(loaded.path, line, col, message, rule, hint, severity)


Rule = Callable[[list[Loaded], Context], Iterator[Problem]]
