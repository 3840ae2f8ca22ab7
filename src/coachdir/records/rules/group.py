"""Group records (``records/groups/<group-id>/``, :mod:`coachdir.records.groups`), against the
directory's groups (``groups/<group-id>.yml``):

- ``group.unknown-group``: a membership or attendance file names a group that does not load
  from the directory;
- ``group.transition`` / ``group.dates``: a membership's history follows the state machine of
  :mod:`coachdir.records.groups`, in date order and never after today;
- ``group.over-places``: on no day do more memberships hold a place (from ``accepted`` up to
  ``left`` or ``completed``) than the group's ``places.max``; the membership that overflows is
  the culprit;
- ``group.line``: no two members holding places at the same time on one management line (one
  manages a unit that contains the other's unit, as ``conflict.line`` decides for a coach's
  clients); co-development groups are peers;
- ``group.facilitator-line``: no member holding a place on the management line of one of the
  group's facilitators (``records/coach-units.yml``, as ``conflict.own-line``);
- ``group.one-at-a-time``: a client holds a place in one group of a scheme at a time;
- ``group.facilitator-out-of-standing``: on the day each membership takes a place, every
  facilitator of the group is in standing, as ``standing.*`` decides for a coach accepting an
  engagement (supervision, credential, charter);
- ``group.attendance-unknown-session``, ``group.attendance-not-member``,
  ``group.attendance-future``: an attendance file names only the group's sessions, only
  memberships holding a place on the session's day, and no ``held`` session after today.

Messages name ids, dates and numbers the schemas constrained, never a value a person typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from coachdir.loader import Loaded
from coachdir.offerings.groups import Group
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.groups import (
    MEMBERSHIP_FINAL,
    MEMBERSHIP_FIRST,
    MEMBERSHIP_TRANSITIONS,
    Attendance,
    Membership,
)
from coachdir.records.rules.base import RecordContext, RecordRuleSpec, contains, same_line
from coachdir.records.rules.capacity import over_capacity
from coachdir.records.rules.standing import lapses
from coachdir.rules.base import problem


@dataclass(frozen=True)
class _Span:
    start: str
    end: str
    index: int
    loaded: Loaded
    membership: Membership

    @property
    def at(self) -> tuple[str | int, ...]:
        return ("history", self.index, "date")


def _unknown(loaded: Loaded) -> Problem:
    return problem(
        loaded,
        ("group",),
        "group: no group of this id loads from the directory's groups/",
        "group.unknown-group",
        "Put the records under the id of a group of the directory repository (groups/<id>.yml); "
        "if that file exists, fix the problems coachdir validate reports for it.",
    )


def _history(loaded: Loaded, membership: Membership, today: str) -> Iterator[Problem]:
    history = membership.history
    for index, step in enumerate(history):
        at = ("history", index)
        if index == 0 and step.state != MEMBERSHIP_FIRST:
            yield problem(
                loaded,
                (*at, "state"),
                f"history[0]: a membership starts with '{MEMBERSHIP_FIRST}', not '{step.state}'",
                "group.transition",
                f"Add the '{MEMBERSHIP_FIRST}' step, with the day the join request arrived, first.",
            )
        elif index > 0:
            before = history[index - 1]
            if before.state in MEMBERSHIP_FINAL:
                yield problem(
                    loaded,
                    (*at, "state"),
                    f"history[{index}]: '{step.state}' follows '{before.state}', a final state",
                    "group.transition",
                    "Nothing may follow a final state; remove this step, or record a new "
                    "membership for a new request.",
                )
                return
            allowed = MEMBERSHIP_TRANSITIONS.get(before.state, frozenset())
            if step.state not in allowed:
                yield problem(
                    loaded,
                    (*at, "state"),
                    f"history[{index}]: '{before.state}' cannot be followed by '{step.state}'",
                    "group.transition",
                    f"After '{before.state}' comes one of: {', '.join(sorted(allowed))}.",
                )
            if step.date < before.date:
                yield problem(
                    loaded,
                    (*at, "date"),
                    f"history[{index}]: {step.date} is before the previous step's {before.date}",
                    "group.dates",
                    "Steps are listed in date order; fix the date or the order of the steps.",
                )
        if step.date > today:
            yield problem(
                loaded,
                (*at, "date"),
                f"history[{index}]: {step.date} is in the future",
                "group.dates",
                "Record a state only once it is reached, with the day it was reached.",
            )


def _in_line(one: Membership, other: Membership) -> bool:
    """One manages a unit that contains the other's (``conflict.line``'s test)."""
    return (one.manages_unit and contains(one.unit, other.unit)) or (
        other.manages_unit and contains(other.unit, one.unit)
    )


def _places(group: Group, spans: list[_Span]) -> Iterator[Problem]:
    for number in over_capacity([(s.start, s.end) for s in spans], group.places_max):
        span = spans[number]
        yield problem(
            span.loaded,
            span.at,
            f"history[{span.index}]: on {span.start} group '{group.id}' would have more "
            f"members holding a place than its {group.places_max} places",
            "group.over-places",
            "Decline the request or leave it requested until a member leaves, or raise "
            f"places.max in groups/{group.id}.yml (co-development: at most 8).",
        )


def _lines(group: Group, spans: list[_Span]) -> Iterator[Problem]:
    seen: list[_Span] = []
    for span in spans:
        seen = [s for s in seen if s.end > span.start]
        here = span.membership
        for other in seen:
            if other.membership.client != here.client and _in_line(other.membership, here):
                yield problem(
                    span.loaded,
                    span.at,
                    f"history[{span.index}]: on {span.start} membership {other.membership.id} "
                    f"of group '{group.id}' is on the same management line",
                    "group.line",
                    "Members of a co-development group are peers with no line-management link "
                    "between them; propose another group to one of the two.",
                )
                break
        seen.append(span)


def _facilitator_lines(group: Group, spans: list[_Span], records: Records) -> Iterator[Problem]:
    for span in spans:
        for coach in group.facilitators:
            own = records.coach_units.get(coach)
            if own is not None and same_line(own.unit, span.membership.unit):
                yield problem(
                    span.loaded,
                    ("unit",),
                    f"unit: the member is on the management line of facilitator '{coach}' "
                    "(coach-units.yml)",
                    "group.facilitator-line",
                    "A facilitator never leads a group with someone on their own line; propose "
                    "another group, or correct records/coach-units.yml.",
                )


def _standing(
    group: Group, spans: list[_Span], records: Records, context: RecordContext
) -> Iterator[Problem]:
    for coach in group.facilitators:
        for span in spans:
            lapse = next(lapses(coach, span.start, records, context, coaching=True), None)
            if lapse is None:
                continue
            _rule, what, hint = lapse
            yield problem(
                span.loaded,
                span.at,
                f"history[{span.index}]: took a place on {span.start} while facilitator "
                f"'{coach}' of group '{group.id}' was not in standing: {what}",
                "group.facilitator-out-of-standing",
                hint.replace("choose another coach", "name another facilitator"),
            )
            break  # the first lapse per facilitator and group is enough


def _one_at_a_time(spans: list[tuple[str, _Span]]) -> Iterator[Problem]:
    """``spans``: (scheme, span) of every membership holding a place, any group."""
    by_client: dict[tuple[str, str], list[_Span]] = {}
    for scheme, span in spans:
        by_client.setdefault((span.membership.client, scheme), []).append(span)
    for (_client, scheme), held in sorted(by_client.items()):
        held.sort(key=lambda s: (s.start, s.membership.id))
        latest: _Span | None = None
        for span in held:
            if latest is not None and span.start < latest.end:
                yield problem(
                    span.loaded,
                    span.at,
                    f"history[{span.index}]: on {span.start} the client already holds a place "
                    f"in group '{latest.membership.group}' (membership {latest.membership.id}) "
                    f"of the same scheme '{scheme}'",
                    "group.one-at-a-time",
                    "A client takes part in one group of a scheme at a time; record 'left' in "
                    "the other membership first, or decline this request.",
                )
            if latest is None or span.end > latest.end:
                latest = span


def _attendance(
    loaded: Loaded,
    attendance: Attendance,
    group: Group,
    members: list[tuple[Loaded, Membership]],
    context: RecordContext,
) -> Iterator[Problem]:
    today = context.today.isoformat()
    ids = {m.id: m for _, m in members}
    for sid, entry in attendance.sessions.items():
        session = group.session(sid)
        if session is None:
            yield problem(
                loaded,
                ("sessions", sid),
                f"sessions: '{sid}' is not a session of group '{group.id}'",
                "group.attendance-unknown-session",
                f"Use the session ids of groups/{group.id}.yml (s1, s2...).",
                key=True,
            )
            continue
        if entry.status == "held" and session.date > today:
            yield problem(
                loaded,
                ("sessions", sid, "status"),
                f"sessions.{sid}: held, but the session is on {session.date}, after today",
                "group.attendance-future",
                "Record a session's attendance once it has taken place.",
            )
            continue  # who was present cannot be told yet
        for index, mid in enumerate(entry.present):
            member = ids.get(mid)
            if member is None or not member.holds_on(session.date, context.today):
                yield problem(
                    loaded,
                    ("sessions", sid, "present", index),
                    f"sessions.{sid}.present[{index}]: membership {mid} does not hold a place "
                    f"in group '{group.id}' on {session.date}",
                    "group.attendance-not-member",
                    f"List only the memberships of records/groups/{group.id}/ accepted or "
                    "active on the session's day.",
                )


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    today = context.today.isoformat()
    eligible = set(context.programme.eligible_contract_types)
    by_group: dict[str, list[tuple[Loaded, Membership]]] = {}
    for loaded, membership in records.groups.memberships:
        if membership.group not in context.groups:
            yield _unknown(loaded)
            continue
        yield from _history(loaded, membership, today)
        if membership.contract_type not in eligible:
            yield problem(
                loaded,
                ("contract_type",),
                f"contract_type: '{membership.contract_type}' is not eligible for the programme",
                "group.contract-type",
                "Decline the request (the person cannot join), or mark the contract type "
                "'eligible: true' in programme.yml vocabularies.contract_types if the programme "
                "accepts it.",
            )
        by_group.setdefault(membership.group, []).append((loaded, membership))
    for gid, (loaded, attendance) in sorted(records.groups.attendance.items()):
        group = context.groups.get(gid)
        if group is None:
            yield _unknown(loaded)
            continue
        yield from _attendance(loaded, attendance, group, by_group.get(gid, []), context)
    every: list[tuple[str, _Span]] = []
    for gid, members in sorted(by_group.items()):
        group = context.groups[gid]
        spans = []
        for loaded, membership in members:
            held = membership.holding(context.today)
            if held is not None:
                spans.append(_Span(held[1], held[2], held[0], loaded, membership))
        spans.sort(key=lambda s: (s.start, s.membership.id))
        yield from _places(group, spans)
        yield from _lines(group, spans)
        yield from _facilitator_lines(group, spans, records)
        yield from _standing(group, spans, records, context)
        every.extend((group.scheme, s) for s in spans)
    yield from _one_at_a_time(every)


RULE = RecordRuleSpec(
    __name__,
    ids=(
        "group.unknown-group",
        "group.transition",
        "group.dates",
        "group.over-places",
        "group.line",
        "group.facilitator-line",
        "group.one-at-a-time",
        "group.facilitator-out-of-standing",
        "group.attendance-unknown-session",
        "group.attendance-not-member",
        "group.attendance-future",
        "group.contract-type",
    ),
    check=check,
)
