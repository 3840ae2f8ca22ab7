"""Requests answered in time: a request still unanswered (last state ``requested`` or
``reviewed``) more than ``request_deadline_days`` after it arrived is stale (a warning, also
listed by ``coachdir reminders --records``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.model import Engagement
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem

UNANSWERED = frozenset({"requested", "reviewed"})


def stale_days(engagement: Engagement, today: date, deadline: int) -> int | None:
    """How many days the request has waited, when that is more than ``deadline``."""
    if engagement.state not in UNANSWERED:
        return None
    waited = (today - date.fromisoformat(engagement.history[0].date)).days
    return waited if waited > deadline else None


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    deadline = context.programme.request_deadline_days
    for loaded, engagement in records.engagements:
        waited = stale_days(engagement, context.today, deadline)
        if waited is None:
            continue
        last = len(engagement.history) - 1
        yield problem(
            loaded,
            ("history", last, "state"),
            f"history[{last}]: the request has had no answer for {waited} days (deadline "
            f"{deadline} days)",
            "request.stale",
            "Propose an introductory conversation, or close the request and tell the client.",
            severity="warning",
        )


RULE = RecordRuleSpec(__name__, ids=("request.stale",), check=check)
