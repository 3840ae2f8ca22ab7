"""One coach's activity from the records (``coachdir activity``): volume, population reached
and completion. Internal: nothing here is published.

The coach's own view shows every count. A shared view (``shared=True``, for a report the coach
hands to someone else) applies the indicators' suppression (:mod:`coachdir.indicators.suppress`,
the one implementation) to every breakdown as a one-dimension table with its total: primary (a
count with ``0 < n < T`` is not shown) and secondary (each line, its total included, has no
suppressed cell or at least two, the cheapest added first: zeros, then the smallest, the total
last), so no hidden count can be recomputed by subtraction. Rates and sums rest on at least
``T`` engagements or are not shown. Cells have the published indicators' shape:
``{"value": n}`` or ``{"suppressed": true}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from coachdir.indicators.suppress import TOTAL, Pos, suppress
from coachdir.programme import OTHER_ENTITY, Programme, client_entity
from coachdir.records.model import STATES, Engagement, engagement_order
from coachdir.reports.facilitation import FacilitatedSession

#: how entities are told apart: the client's entity, the one of programme.yml's ``entities``
#: whose ``unit`` code is the longest prefix of the engagement's unit path (as the indicators)
ENTITY_BASIS = "client-unit"
ENTITY_NOTE = (
    "Entity = the client's entity: the entity of programme.yml whose unit code is the longest "
    f"prefix of the client's unit path ('{OTHER_ENTITY}' when none is)."
)
#: the states after which an engagement has finished its coaching
FINISHED = ("completed", "ended")

Cell = dict[str, Any]


def threshold(programme: Programme) -> int:
    """``indicators.threshold`` of programme.yml (10 unless set)."""
    return programme.indicators.threshold


def coaching_minutes(engagement: Engagement) -> int:
    """The minutes of the engagement's held coaching sessions (intro conversations are not
    coaching hours)."""
    return sum(s.minutes for s in engagement.sessions if s.kind == "session" and s.status == "held")


def started(engagement: Engagement) -> bool:
    """Whether the coaching started (the engagement reached ``active``)."""
    return engagement.date_of("active") is not None


@dataclass(frozen=True)
class Line:
    """One breakdown: its dimension, row ids (in order), the count of each and the total."""

    dimension: str
    rows: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def hidden_in_line(counts: Sequence[int], limit: int) -> tuple[list[bool], bool]:
    """Which cells of one line (and whether its total) are hidden: the indicators' primary and
    secondary suppression of the line as a one-dimension table with its total (each count
    judged as itself: ``0 < n < limit`` is unsafe)."""
    rows = [str(i) for i in range(len(counts))]
    values: dict[Pos, int] = {(r, TOTAL): n for r, n in zip(rows, counts, strict=True)}
    values[(TOTAL, TOTAL)] = sum(counts)
    _, hidden = suppress(values, values, limit, one_dimension=True)
    return [(r, TOTAL) in hidden for r in rows], (TOTAL, TOTAL) in hidden


def _cell(value: int | float, hidden: bool) -> Cell:
    return {"suppressed": True} if hidden else {"value": value}


def line_json(line: Line, limit: int | None) -> dict[str, Any]:
    """A breakdown as cells; ``limit`` None is the coach's own view (nothing hidden)."""
    if limit is None:
        hidden, total_hidden = [False] * len(line.counts), False
    else:
        hidden, total_hidden = hidden_in_line(line.counts, limit)
    return {
        "dimension": line.dimension,
        "rows": [
            {"id": row, **_cell(n, h)}
            for row, n, h in zip(line.rows, line.counts, hidden, strict=True)
        ],
        "total": _cell(line.total, total_hidden),
    }


def _count(dimension: str, rows: Sequence[str], keys: Iterable[str]) -> Line:
    listed = list(keys)
    return Line(dimension, tuple(rows), tuple(listed.count(r) for r in rows))


def coach_engagements(coach: str, engagements: Iterable[Engagement]) -> list[Engagement]:
    """The engagements whose coach (the coach of the last intro) is ``coach``, by id."""
    return sorted(
        (e for e in engagements if e.coach == coach), key=lambda e: engagement_order(e.id)
    )


def activity(
    coach: str,
    engagements: Sequence[Engagement],
    programme: Programme,
    *,
    shared: bool,
    facilitation: Sequence[FacilitatedSession] = (),
) -> dict[str, Any]:
    """The activity document of ``coach`` (stable keys; see the module's docstring)."""
    limit = threshold(programme) if shared else None
    mine = coach_engagements(coach, engagements)
    begun = [e for e in mine if started(e)]
    finished = [e for e in begun if e.state in FINISHED]
    completed = sum(1 for e in finished if e.state == "completed")
    sessions = sum(
        1 for e in mine for s in e.sessions if s.kind == "session" and s.status == "held"
    )
    intros = sum(1 for e in mine for s in e.sessions if s.kind == "intro" and s.status == "held")
    minutes = sum(coaching_minutes(e) for e in mine)
    with_sessions = sum(1 for e in mine if coaching_minutes(e) > 0)
    # sums and rates rest on at least T engagements in a shared view, else are not shown
    small_base = limit is not None and with_sessions < limit
    small_finished = limit is not None and len(finished) < limit
    units = programme.entity_units()
    entities = [*programme.vocabulary_ids("entities"), OTHER_ENTITY]
    return {
        "coach": coach,
        "shared": shared,
        "threshold": limit,
        "entity_basis": ENTITY_BASIS,
        "volume": {
            "by_state": line_json(_count("state", STATES, (e.state for e in mine)), limit),
            "sessions_held": _cell(sessions, small_base),
            "intros_held": _cell(intros, small_base),
            "hours": _cell(round(minutes / 60, 2), small_base),
        },
        "reached": {
            "by_entity": line_json(
                _count("entity", entities, (client_entity(e.unit, units) for e in begun)), limit
            ),
            "by_offer": line_json(
                _count("offer", programme.vocabulary_ids("offers"), (e.offer for e in begun)),
                limit,
            ),
        },
        "facilitation": _facilitation(facilitation, limit),
        "completion": {
            "completed": _cell(completed, limit is not None and 0 < completed < limit),
            "finished": _cell(len(finished), limit is not None and 0 < len(finished) < limit),
            "rate": _cell(round(completed / len(finished), 4), small_finished)
            if finished
            else None,
        },
    }


def _facilitation(held: Sequence[FacilitatedSession], limit: int | None) -> dict[str, Any]:
    """Groups facilitated, their sessions held and hours (group coaching); in a shared view
    hidden while fewer than T members in all were present."""
    members = {(s.group, m) for s in held for m in s.present}
    small = limit is not None and len(members) < limit
    return {
        "groups": _cell(len({s.group for s in held}), small),
        "sessions_held": _cell(len(held), small),
        "hours": _cell(round(sum(s.minutes for s in held) / 60, 2), small),
    }


def _shown(
    cell: Cell | None, limit: int | None, *, percent: bool = False, count: bool = True
) -> str:
    if cell is None:
        return "-"
    if cell.get("suppressed"):
        return "hidden" if count and not percent else "not shown"
    value = cell["value"]
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _table(title: str, line: dict[str, Any], limit: int | None) -> list[str]:
    rows = [(r["id"], _shown(r, limit)) for r in line["rows"]]
    rows.append(("total", _shown(line["total"], limit)))
    width = max(len(name) for name, _ in rows)
    return [title, *(f"  {name.ljust(width)}  {value:>9}" for name, value in rows), ""]


def activity_text(doc: dict[str, Any]) -> str:
    """The activity document as a plain readable table."""
    limit = doc["threshold"]
    volume, reached, completion = doc["volume"], doc["reached"], doc["completion"]
    view = (
        f"shared view: 'hidden' is a count below {limit}, or one hidden with it so that it "
        f"cannot be recomputed; 'not shown' is a figure resting on fewer than {limit} "
        "engagements"
        if doc["shared"]
        else "own view: every count; use --shared for a report you hand to others"
    )
    out = [f"Activity of {doc['coach']}", f"({view})", ""]
    out += _table("Engagements by state", volume["by_state"], limit)
    out += [
        f"Coaching sessions held: {_shown(volume['sessions_held'], limit, count=False)}",
        f"Intro conversations held: {_shown(volume['intros_held'], limit, count=False)}",
        f"Coaching hours: {_shown(volume['hours'], limit, count=False)}",
        "",
    ]
    facilitation = doc["facilitation"]
    out += [
        "Group facilitation (group coaching)",
        f"  groups          {_shown(facilitation['groups'], limit, count=False)}",
        f"  sessions held   {_shown(facilitation['sessions_held'], limit, count=False)}",
        f"  hours           {_shown(facilitation['hours'], limit, count=False)}",
        "",
    ]
    out += _table("Engagements started, by entity", reached["by_entity"], limit)
    out += [ENTITY_NOTE, ""]
    out += _table("Engagements started, by offer", reached["by_offer"], limit)
    out += [
        "Completion (completed / finished)",
        f"  completed  {_shown(completion['completed'], limit)}",
        f"  finished   {_shown(completion['finished'], limit)}",
        f"  rate       {_shown(completion['rate'], limit, percent=True)}",
    ]
    return "\n".join(out) + "\n"
