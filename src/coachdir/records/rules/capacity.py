"""Capacity: on no day does a coach hold more engagements than the profile's ``capacity``.

An engagement holds a place from its ``accepted`` (or ``active``) step up to its final state
(the day of the final state frees the place; an open engagement holds it through today). The
check is a sweep over each coach's time-sorted start and end dates: O(n log n), whole history.
"""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.rules.base import RecordContext, RecordRuleSpec, interval
from coachdir.rules.base import problem


def over_capacity(spans: list[tuple[str, str]], capacity: int) -> list[int]:
    """The indexes of the spans ``[start, end)`` whose start takes the number held above
    ``capacity`` (ends on a day are counted before starts on that day)."""
    events: list[tuple[str, int, int]] = []
    for number, (start, end) in enumerate(spans):
        if start < end:
            events.append((start, 1, number))
            events.append((end, 0, number))
    events.sort()
    held = 0
    over: list[int] = []
    for _day, kind, number in events:
        if kind == 0:
            held -= 1
        else:
            held += 1
            if held > capacity:
                over.append(number)
    return over


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    by_coach: dict[str, list[tuple[str, str, Loaded, int, str]]] = {}
    for loaded, engagement in records.engagements:
        span = interval(engagement, context.today)
        if span is None or engagement.coach is None:
            continue
        index, start, end = span
        by_coach.setdefault(engagement.coach, []).append((start, end, loaded, index, engagement.id))
    for coach, entries in sorted(by_coach.items()):
        capacity = context.profiles.get(coach, {}).get("capacity")
        if not isinstance(capacity, int):
            continue
        entries.sort(key=lambda e: (e[0], e[4]))
        for number in over_capacity([(e[0], e[1]) for e in entries], capacity):
            start, _end, loaded, index, _id = entries[number]
            yield problem(
                loaded,
                ("history", index, "date"),
                f"history[{index}]: on {start} coach '{coach}' would hold more engagements "
                f"than the capacity of {capacity} in the profile",
                "capacity.exceeded",
                "Give the engagement to a coach with a free place, move the date after another "
                "engagement of this coach ends, or raise the coach's capacity in the profile.",
            )


RULE = RecordRuleSpec(__name__, ids=("capacity.exceeded",), check=check)
