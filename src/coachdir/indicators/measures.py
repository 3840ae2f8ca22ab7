"""From the engagement records to observations: one person's contribution to one measure in
one finest cell (a quarter and a value of every dimension).

The unit of count is the **engagement** (one request and what became of it); the threshold
protects **people**, so every cell also carries the number of distinct clients behind it, and
a cell is unsafe when that number of people is between 1 and T-1. ``sessions_held`` counts
sessions, and its cells are judged by the people who had them, never by the session count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from coachdir.programme import client_entity
from coachdir.records.model import Engagement

#: the kind of each measure: count (in the LP audit), rate (0..1) or mean
MEASURE_KINDS: dict[str, str] = {
    "requests": "count",
    "engagements_started": "count",
    "engagements_completed": "count",
    "engagements_ended_early": "count",
    "sessions_held": "count",
    "completion_rate": "rate",
    "mean_satisfaction": "mean",
    "days_to_first_intro": "mean",
    "group_memberships": "count",
    "group_sessions_held": "count",
    "immersion_days": "count",
}
#: the dimensions a measure of a group or an immersion may be broken down by: they have no
#: expertise nor cohort, and a group session belongs to no one entity
SCHEME_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "group_memberships": ("offer", "entity", "quarter"),
    "group_sessions_held": ("offer", "quarter"),
    "immersion_days": ("offer", "entity", "quarter"),
}
#: the value of a dimension a measure cannot have (never shown: see SCHEME_DIMENSIONS)
NONE = "none"
#: the dimensions, in the order of an observation's key
DIMENSIONS = ("quarter", "offer", "expertise", "entity", "cohort")


@dataclass(frozen=True)
class Observation:
    """One engagement's contribution to one measure: its finest cell (``key``, one value per
    name of :data:`DIMENSIONS`), its client and coach, and its value (a count, 0/1 for the
    completion rate, a rating or a number of days for a mean)."""

    measure: str
    key: tuple[str, str, str, str, str]
    client: str
    coach: str | None
    value: float


@dataclass(frozen=True)
class GroupMember:
    """A membership that became active: its client, unit path, the group's scheme (an offer
    of kind group), the day it became active and the group's first facilitator."""

    client: str
    unit: str
    scheme: str
    day: str
    facilitator: str | None


@dataclass(frozen=True)
class GroupSessionHeld:
    """A held group session: its scheme, day, facilitator and the clients present."""

    scheme: str
    day: str
    facilitator: str | None
    present: tuple[str, ...]


@dataclass(frozen=True)
class ImmersionDay:
    """One day of an accepted immersion period: its client, unit path, the programme's
    immersion offer id and the day."""

    client: str
    unit: str
    offer: str
    day: str


def quarter_of(day: str) -> str:
    """``2026-08-14`` -> ``2026-Q3``."""
    when = date.fromisoformat(day)
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def observations(
    engagements: Iterable[Engagement], entity_units: Mapping[str, str]
) -> list[Observation]:
    """Every observation of every measure. ``entity_units`` maps an entity id to its unit
    code (``Programme.entity_units``): an engagement counts for its **client's** entity, the
    one whose code is the longest prefix of the engagement's unit path
    (:func:`coachdir.programme.client_entity`; none: ``other``)."""
    out: list[Observation] = []
    for eng in engagements:
        entity = client_entity(eng.unit, entity_units)

        def add(
            measure: str, day: str, value: float, e: Engagement = eng, where: str = entity
        ) -> None:
            key = (quarter_of(day), e.offer, e.expertise, where, e.cohort)
            out.append(Observation(measure, key, e.client, e.coach, value))

        requested = eng.date_of("requested")
        if requested:
            add("requests", requested, 1)
        for measure, state in (
            ("engagements_started", "active"),
            ("engagements_completed", "completed"),
            ("engagements_ended_early", "ended"),
        ):
            day = eng.date_of(state)
            if day:
                add(measure, day, 1)
        per_quarter: dict[str, tuple[str, int]] = {}
        for session in eng.sessions:
            if session.kind == "session" and session.status == "held":
                quarter = quarter_of(session.date)
                first, count = per_quarter.get(quarter, (session.date, 0))
                per_quarter[quarter] = (first, count + 1)
        for first, count in per_quarter.values():
            add("sessions_held", first, count)
        finished = eng.date_of("completed") or eng.date_of("ended")
        if finished:
            add("completion_rate", finished, 1 if eng.state == "completed" else 0)
            if eng.satisfaction is not None:
                add("mean_satisfaction", finished, eng.satisfaction)
        intro = eng.date_of("intro")
        if intro and requested:
            days = (date.fromisoformat(intro) - date.fromisoformat(requested)).days
            add("days_to_first_intro", intro, days)
    return out


def scheme_observations(
    members: Iterable[GroupMember],
    sessions: Iterable[GroupSessionHeld],
    days: Iterable[ImmersionDay],
    entity_units: Mapping[str, str],
) -> list[Observation]:
    """The observations of the group and immersion measures: a membership counts once, on
    the day it became active, for its client's entity; a held group session counts once, and
    its cells are judged by the members present (each is an observation, the first with the
    count 1 and the others 0); an immersion day counts once, for its client's entity."""
    out: list[Observation] = []
    for m in members:
        key = (quarter_of(m.day), m.scheme, NONE, client_entity(m.unit, entity_units), NONE)
        out.append(Observation("group_memberships", key, m.client, m.facilitator, 1))
    for s in sessions:
        key = (quarter_of(s.day), s.scheme, NONE, NONE, NONE)
        for i, client in enumerate(sorted(set(s.present))):
            out.append(
                Observation("group_sessions_held", key, client, s.facilitator, 1 if i == 0 else 0)
            )
    per_quarter: dict[tuple[str, str, str, str], int] = {}
    for d in days:
        cell = (quarter_of(d.day), d.offer, client_entity(d.unit, entity_units), d.client)
        per_quarter[cell] = per_quarter.get(cell, 0) + 1
    for (quarter, offer, entity, client), count in sorted(per_quarter.items()):
        key = (quarter, offer, NONE, entity, NONE)
        out.append(Observation("immersion_days", key, client, None, count))
    return out
