"""What every records rule is given and how it is declared.

A records rule module declares ``RULE = RecordRuleSpec(__name__, ids=..., check=...)``; every
id's prefix is the module's name (``transition.after-final`` lives in ``transition.py``), as in
``coachdir.rules``. ``check(records, context)`` yields problems at the culprit's position and
never echoes a value that is not a code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.records.files import Records


@dataclass(frozen=True)
class RecordContext:
    """What every records rule may read: the programme, today, and the directory's coaches."""

    programme: Programme
    today: date
    coach_ids: tuple[str, ...]


RecordRule = Callable[[Records, RecordContext], Iterator[Problem]]


@dataclass(frozen=True)
class RecordRuleSpec:
    """A records rule module's declaration: its ids and its check."""

    module: str
    ids: tuple[str, ...]
    check: RecordRule

    def __post_init__(self) -> None:
        strays = [i for i in self.ids if i.partition(".")[0] != self.name]
        if strays:
            raise ValueError(f"rule ids {strays} do not belong in {self.module}")

    @property
    def name(self) -> str:
        return self.module.rpartition(".")[2]
