"""Conflicts of line (the ethics charter, section 4), with unit paths most senior first
(``U12/U7/U3``; "contains" is a prefix on path segments):

- ``conflict.line``: a coach never holds two overlapping individual engagements where one
  client manages a unit that contains the other's unit;
- ``conflict.line-window`` (warning): the same two clients one after the other, the second
  starting within ``conflict_window_months`` of the end of the first;
- ``conflict.peers``: two overlapping engagements with peers of one unit (neither manages it),
  a warning unless ``peer_conflict: error``;
- ``conflict.own-line``: a coach never coaches a client on the coach's own line
  (``records/coach-units.yml``);
- ``conflict.team-member``: after a team engagement for unit U, the coach takes no individual
  engagement with a member of U other than its manager.

Every check runs per coach on time-sorted spans: only the coach's engagements that overlap or
ended within the window are compared, never all pairs of all engagements.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.model import Engagement
from coachdir.records.rules.base import (
    RecordContext,
    RecordRuleSpec,
    contains,
    interval,
    same_line,
)
from coachdir.rules.base import problem


@dataclass(frozen=True)
class _Span:
    start: str
    end: str
    index: int
    loaded: Loaded
    engagement: Engagement


def months_before(day: str, months: int) -> str:
    """The day ``months`` calendar months before ``day`` (clamped to the month's end)."""
    d = date.fromisoformat(day)
    year, month = divmod(d.year * 12 + d.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last)).isoformat()


def _line_pair(one: Engagement, other: Engagement) -> bool:
    return (one.manages_unit and contains(one.unit, other.unit)) or (
        other.manages_unit and contains(other.unit, one.unit)
    )


def _at(span: _Span) -> tuple[str | int, ...]:
    return ("history", span.index, "date")


def _coach_spans(coach: str, spans: list[_Span], context: RecordContext) -> Iterator[Problem]:
    window = context.programme.conflict_window_months
    peer_severity = context.programme.peer_conflict
    spans.sort(key=lambda s: (s.start, s.engagement.id))
    seen: list[_Span] = []  # the coach's earlier spans still open or ended within the window
    teams: list[_Span] = []
    for span in spans:
        here = span.engagement
        since = months_before(span.start, window)
        seen = [s for s in seen if s.end >= since]
        if here.kind == "individual":
            for team in teams:
                if (
                    contains(team.engagement.unit, here.unit)
                    and here.client != team.engagement.client
                ):
                    yield problem(
                        span.loaded,
                        _at(span),
                        f"history[{span.index}]: coach '{coach}' coached unit members as a team "
                        f"in engagement {team.engagement.id}, and this client is in that unit",
                        "conflict.team-member",
                        "After a team engagement, the coach takes only the unit's manager "
                        "individually; propose another coach to this client.",
                    )
                    break
        for other in seen:
            earlier = other.engagement
            if earlier.client == here.client or "team" in (earlier.kind, here.kind):
                continue
            overlap = span.start < other.end
            if overlap and _line_pair(earlier, here):
                yield problem(
                    span.loaded,
                    _at(span),
                    f"history[{span.index}]: coach '{coach}' already coaches engagement "
                    f"{earlier.id} on the same management line on {span.start}",
                    "conflict.line",
                    "A coach never coaches a manager and someone in the managed unit at the "
                    "same time (charter section 4); propose another coach.",
                )
            elif not overlap and _line_pair(earlier, here):
                yield problem(
                    span.loaded,
                    _at(span),
                    f"history[{span.index}]: coach '{coach}' coached engagement {earlier.id} "
                    f"on the same management line, ended on {other.end}, within "
                    f"{window} months",
                    "conflict.line-window",
                    "Consider another coach (charter section 4); the programme's "
                    "conflict_window_months sets how long this warning lasts.",
                    severity="warning",
                )
            elif (
                overlap
                and earlier.unit == here.unit
                and not (earlier.manages_unit or here.manages_unit)
            ):
                yield problem(
                    span.loaded,
                    _at(span),
                    f"history[{span.index}]: coach '{coach}' already coaches engagement "
                    f"{earlier.id}, with a peer in the same unit, on {span.start}",
                    "conflict.peers",
                    "Prefer another coach for one of two peers of one unit (charter section 4); "
                    "programme.yml peer_conflict sets whether this is an error.",
                    severity=peer_severity,
                )
        seen.append(span)
        if here.kind == "team":
            teams.append(span)


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    by_coach: dict[str, list[_Span]] = {}
    for loaded, engagement in records.engagements:
        coach = engagement.coach
        if coach is None:
            continue
        own = records.coach_units.get(coach)
        if own is not None and same_line(own.unit, engagement.unit):
            yield problem(
                loaded,
                ("unit",),
                f"unit: the client is on the management line of coach '{coach}' (coach-units.yml)",
                "conflict.own-line",
                "A coach never coaches someone on their own line (charter section 4); propose "
                "another coach, or correct records/coach-units.yml.",
            )
        span = interval(engagement, context.today)
        if span is not None:
            index, start, end = span
            by_coach.setdefault(coach, []).append(_Span(start, end, index, loaded, engagement))
    for coach, spans in sorted(by_coach.items()):
        yield from _coach_spans(coach, spans, context)


RULE = RecordRuleSpec(
    __name__,
    ids=(
        "conflict.line",
        "conflict.line-window",
        "conflict.peers",
        "conflict.own-line",
        "conflict.team-member",
    ),
    check=check,
)
