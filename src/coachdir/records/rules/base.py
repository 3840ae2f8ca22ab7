"""What every records rule is given and how it is declared.

A records rule module declares ``RULE = RecordRuleSpec(__name__, ids=..., check=...)``; every
id's prefix is the module's name (``transition.after-final`` lives in ``transition.py``), as in
``coachdir.rules``. ``check(records, context)`` yields problems at the culprit's position and
never echoes a value that is not a code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coachdir.offerings.groups import Group
from coachdir.offerings.immersions import ImmersionOffer
from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.records.files import Records
from coachdir.records.model import FINAL_STATES, Engagement


@dataclass(frozen=True)
class RecordContext:
    """What every records rule may read: the programme, today, and the directory's coaches."""

    programme: Programme
    today: date
    coach_ids: tuple[str, ...]
    #: coach id -> the profile's data (capacity, supervision, credentials, charter, name)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: offer id -> the directory's immersion offers (immersions/<id>.yml) that load; None when
    #: not read, and then the immersion rules that need them are skipped
    immersion_offers: dict[str, ImmersionOffer] | None = None
    #: group id -> the directory's group (groups/<id>.yml) that loaded (the group rules)
    groups: dict[str, Group] = field(default_factory=dict)


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


#: the states from which an engagement holds one of its coach's places
ENGAGED_STATES = ("accepted", "active")


def engaged_from(engagement: Engagement) -> tuple[int, str] | None:
    """The history index and date from which the engagement holds a place: its first
    ``accepted`` (or ``active``) step; None when it never got past intro."""
    for index, step in enumerate(engagement.history):
        if step.state in ENGAGED_STATES:
            return index, step.date
    return None


def engaged_until(engagement: Engagement) -> str | None:
    """The date of the final state that ends the engagement, None while it is open."""
    last = engagement.history[-1]
    return last.date if last.state in FINAL_STATES else None


def interval(engagement: Engagement, today: date) -> tuple[int, str, str] | None:
    """``(index, start, end)``: the half-open span ``[start, end)`` of days on which the
    engagement holds a place (an open engagement holds it up to and including today). The day
    of the final state frees the place."""
    begin = engaged_from(engagement)
    if begin is None:
        return None
    end = engaged_until(engagement) or (today + timedelta(days=1)).isoformat()
    return begin[0], begin[1], max(end, begin[1])


def contains(outer: str, inner: str) -> bool:
    """Whether unit path ``outer`` contains ``inner`` (prefix on path segments; a unit
    contains itself): ``U12/U7`` contains ``U12/U7/U3`` but not ``U12/U70``."""
    a, b = outer.split("/"), inner.split("/")
    return len(a) <= len(b) and b[: len(a)] == a


def same_line(one: str, other: str) -> bool:
    """Whether two unit paths are on one management line (one contains the other)."""
    return contains(one, other) or contains(other, one)
