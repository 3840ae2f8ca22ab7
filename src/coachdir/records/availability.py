"""Free places per coach today, from the profiles' capacity and the engagements active today:
the only thing (with the date) that leaves the records repository for the public site.

``availability.json`` holds ``{"computed": "YYYY-MM-DD", "coaches": {id: {"free", "capacity"}}}``
and, when the directory has groups, ``"groups": {group-id: {"free", "places"}}`` (the group's
places.max less the memberships holding a place today), and nothing else: no client code, no
engagement or membership id, no unit, no other date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from coachdir.records.groups import Membership
from coachdir.records.model import Engagement

#: the states that end an active engagement
_AFTER_ACTIVE = frozenset({"completed", "ended"})


@dataclass(frozen=True)
class CoachPlaces:
    """What availability needs of a profile: its id, capacity and whether it accepts clients
    (a paused or not-accepting profile has no free place, whatever its load)."""

    id: str
    capacity: int
    accepting: bool


@dataclass(frozen=True)
class GroupPlaces:
    """What availability needs of a group: its id, places.max and whether it takes requests
    (status open; a staged, full, running or closed group has no free place)."""

    id: str
    places: int
    open: bool


def active_on(engagement: Engagement, day: str) -> bool:
    """Whether ``engagement`` is active on ``day`` (``YYYY-MM-DD``): it reached ``active`` on
    or before that day and had not yet been completed or ended."""
    started = engagement.date_of("active")
    if started is None or started > day:
        return False
    ends = [s.date for s in engagement.history if s.state in _AFTER_ACTIVE]
    return not ends or min(ends) > day


def compute_availability(
    coaches: Sequence[CoachPlaces],
    engagements: Iterable[Engagement],
    today: date,
    groups: Sequence[GroupPlaces] = (),
    memberships: Iterable[Membership] = (),
) -> dict[str, object]:
    """The availability document for ``today``: coach ids in sorted order, then (only when
    there are ``groups``) the free places of each group."""
    day = today.isoformat()
    load: dict[str, int] = {}
    for engagement in engagements:
        if engagement.coach is not None and active_on(engagement, day):
            load[engagement.coach] = load.get(engagement.coach, 0) + 1
    places: dict[str, dict[str, int]] = {}
    for coach in sorted(coaches, key=lambda c: c.id):
        free = max(coach.capacity - load.get(coach.id, 0), 0) if coach.accepting else 0
        places[coach.id] = {"free": free, "capacity": coach.capacity}
    document: dict[str, object] = {"computed": day, "coaches": places}
    if groups:
        document["groups"] = group_places(groups, memberships, today)
    return document


def group_places(
    groups: Sequence[GroupPlaces], memberships: Iterable[Membership], today: date
) -> dict[str, dict[str, int]]:
    """Group id -> ``{"free", "places"}`` on ``today``."""
    day = today.isoformat()
    held: dict[str, int] = {}
    for membership in memberships:
        if membership.holds_on(day, today):
            held[membership.group] = held.get(membership.group, 0) + 1
    out: dict[str, dict[str, int]] = {}
    for group in sorted(groups, key=lambda g: g.id):
        free = max(group.places - held.get(group.id, 0), 0) if group.open else 0
        out[group.id] = {"free": free, "places": group.places}
    return out


def availability_json(document: dict[str, object]) -> str:
    """The file's text: stable (sorted keys, two-space indent, final newline)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
