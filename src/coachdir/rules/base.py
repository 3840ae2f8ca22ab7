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


@dataclass(frozen=True)
class RuleSpec:
    """What a rule module declares: the ids it reports and the top-level profile fields it
    reads. ``validate`` gives the cross-file rules only the fields their modules declare, so a
    field read but not declared is missing there and present under ``build``; the case tests
    run both ways. Every id's prefix is the module's name: ``charter.outdated`` lives in
    ``rules/charter.py``."""

    module: str
    ids: tuple[str, ...]
    reads: tuple[str, ...] = ()
    check: Rule | None = None
    """The cross-file check; None for a per-file rule module (run with the schema checks)."""

    def __post_init__(self) -> None:
        name = self.module.rpartition(".")[2]
        strays = [i for i in self.ids if i.partition(".")[0] != name]
        if strays:
            raise ValueError(f"rule ids {strays} do not belong in {self.module}")

    @property
    def name(self) -> str:
        return self.module.rpartition(".")[2]
