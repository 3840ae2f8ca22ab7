"""Currency rules: charter signature and supervision dates are plausible and up to date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules.base import Context, problem

SUPERVISION_MAX_AGE = timedelta(days=365)


def check(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    current = context.programme.charter_current
    today = context.today.isoformat()
    lapse = (context.today - SUPERVISION_MAX_AGE).isoformat()
    for loaded in profiles:
        data = loaded.data or {}
        charter = data["charter"]
        if charter["signed"] > today:
            yield problem(
                loaded,
                ("charter", "signed"),
                f"charter.signed: {charter['signed']} is in the future",
                "charter.future",
                "Give the date you signed the charter.",
            )
        if charter["version"] != current:
            yield problem(
                loaded,
                ("charter", "version"),
                f"charter.version: you signed version {charter['version']}; the current "
                f"charter is {current}",
                "charter.outdated",
                f"Read and sign charter {current}, then update version and signed.",
                severity="warning",
            )
        supervision = data.get("supervision")
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
        elif last < lapse:
            yield problem(
                loaded,
                ("supervision", "last"),
                f"supervision.last: {last} is more than a year ago",
                "supervision.lapsed",
                "Attend a supervision session and update the date.",
                severity="warning",
            )
