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
}
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
