"""Supervision rules: the date of the last supervision session is plausible and recent. A
profile whose offers need no coaching credential (a mentor's) needs no supervision either, so
its absence or age is not reported; a date in the future still is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules.base import Context, RuleSpec, problem

SUPERVISION_MAX_AGE = timedelta(days=365)


def check(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    today = context.today.isoformat()
    lapse = (context.today - SUPERVISION_MAX_AGE).isoformat()
    for loaded in profiles:
        data = loaded.data or {}
        supervision = data.get("supervision")
        needed = context.programme.needs_credential(data.get("offers", []))
        if supervision is None and not needed:
            continue
        if supervision is None:
            yield problem(
                loaded,
                (),
                "supervision: no supervision recorded",
                "supervision.missing",
                "Add 'supervision: {last: \"YYYY-MM-DD\"}' after your next supervision session.",
                severity="warning",
            )
            continue
        last = supervision["last"]
        if last > today:
            yield problem(
                loaded,
                ("supervision", "last"),
                f"supervision.last: {last} is in the future",
                "supervision.future",
                "Give the date of the last session you attended.",
            )
        elif last < lapse and needed:
            yield problem(
                loaded,
                ("supervision", "last"),
                f"supervision.last: {last} is more than a year ago",
                "supervision.lapsed",
                "Attend a supervision session and update the date.",
                severity="warning",
            )


RULE = RuleSpec(
    __name__,
    ids=("supervision.missing", "supervision.future", "supervision.lapsed"),
    reads=("supervision", "offers"),
    check=check,
)
