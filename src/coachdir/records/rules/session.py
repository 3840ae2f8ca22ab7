"""Session plan (programme.yml ``session_plan``, or the offer's own ``session_plan`` in
``vocabularies.offers``, as a mentoring offer has): no more held sessions than the plan,
durations within ``tolerance_minutes`` of the plan, sessions dated inside the engagement, and
a gap between held sessions far from the plan's frequency is a warning.

"Far" means more than twice the frequency: 14 days for weekly, 28 for fortnightly, 60 for
monthly, 182 for quarterly (the frequency is read from its English label; another label
turns the gap check off). Intro sessions are dated from the first intro step; plan sessions
from the ``accepted`` (or ``active``) step; both up to the final state, if any.

A session held or missed (no-show), and a supervision session in ``records/supervision/``,
is never dated after today (``session.future``): ``hours`` would count it. A cancelled
session may keep its planned day, within ``coachdir.dates.horizon`` (``date.horizon``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from coachdir import dates
from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.model import Engagement
from coachdir.records.rules.base import RecordContext, RecordRuleSpec, engaged_from, engaged_until
from coachdir.rules.base import problem

#: the English label of a frequency -> its period in days
FREQUENCY_DAYS = {"weekly": 7, "fortnightly": 14, "bi-weekly": 14, "monthly": 30, "quarterly": 91}
#: a gap longer than this many periods is far from the plan
FAR = 2


def frequency_days(label: str) -> int | None:
    return FREQUENCY_DAYS.get(label.strip().lower())


#: the statuses of a session that took place (or was missed): never dated after today
HAPPENED = ("held", "no-show")


def _when(
    loaded: Loaded, index: int, day: str, status: str, context: RecordContext
) -> Iterator[Problem]:
    """A session that happened is not after today; a cancelled one (it may keep its planned
    day) is within the planning horizon."""
    if status in HAPPENED and day > context.today.isoformat():
        yield problem(
            loaded,
            ("sessions", index, "date"),
            f"sessions[{index}]: a session marked {status} is dated after today "
            f"({context.today.isoformat()})",
            "session.future",
            "Log a session once it has taken place, with the day it took place.",
        )
    elif status not in HAPPENED:
        where = f"sessions[{index}].date"
        found = dates.horizon_problem(
            loaded, ("sessions", index, "date"), where, day, context.today
        )
        if found is not None:
            yield found


def _attended(records: Records, context: RecordContext) -> Iterator[Problem]:
    """Supervision sessions (``records/supervision/``) are attended ones: never after today."""
    today = context.today.isoformat()
    for loaded, entries in records.supervision.values():
        for index, entry in enumerate(entries):
            if entry.date > today:
                yield problem(
                    loaded,
                    ("sessions", index, "date"),
                    f"sessions[{index}]: a supervision session is dated after today ({today})",
                    "session.future",
                    "Record a supervision session once attended, with the day it took place.",
                )


def _dates(loaded: Loaded, engagement: Engagement, index: int) -> Iterator[Problem]:
    session = engagement.sessions[index]
    intro = engagement.date_of("intro")
    engaged = engaged_from(engagement)
    end = engaged_until(engagement)
    if session.kind == "intro":
        start, what = intro, "the intro step"
    else:
        start, what = (engaged[1] if engaged else None), "the accepted step"
    if start is None:
        yield problem(
            loaded,
            ("sessions", index, "date"),
            f"sessions[{index}]: a session of kind {session.kind} is recorded, but the history "
            f"has no {what[4:]}",
            "session.outside",
            "Record the step in the history first, or remove the session.",
        )
    elif session.date < start or (end is not None and session.date > end):
        yield problem(
            loaded,
            ("sessions", index, "date"),
            f"sessions[{index}]: {session.date} is outside the engagement (from {what} on "
            f"{start}" + (f" to the final state on {end})" if end else ")"),
            "session.outside",
            "Correct the session's date, or the date of the step in the history.",
        )


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    for loaded, engagement in records.engagements:
        plan = context.programme.session_plan_for(engagement.offer)
        tolerance = context.programme.session_tolerance_for(engagement.offer)
        planned = {"intro": int(plan["intro_minutes"]), "session": int(plan["session_minutes"])}
        period = frequency_days(str(plan["frequency"].get("en", "")))
        held = 0
        previous: tuple[int, str] | None = None
        for index, session in enumerate(engagement.sessions):
            yield from _dates(loaded, engagement, index)
            yield from _when(loaded, index, session.date, session.status, context)
            if session.status != "held":
                continue
            expected = planned[session.kind]
            if abs(session.minutes - expected) > tolerance:
                yield problem(
                    loaded,
                    ("sessions", index, "minutes"),
                    f"sessions[{index}].minutes: {session.minutes} is more than {tolerance} "
                    f"minutes from the plan's {expected} for this {session.kind}",
                    "session.duration",
                    "Correct the minutes, or the session_plan in programme.yml if the plan "
                    "changed.",
                )
            if session.kind != "session":
                continue
            held += 1
            if held == int(plan["sessions"]) + 1:
                yield problem(
                    loaded,
                    ("sessions", index),
                    f"sessions[{index}]: more held sessions than the plan's {plan['sessions']}",
                    "session.too-many",
                    "Remove the extra session, or mark it cancelled if it did not take place; "
                    "a new need is a new request.",
                )
            if previous is not None and period is not None:
                gap = (date.fromisoformat(session.date) - date.fromisoformat(previous[1])).days
                if gap > FAR * period:
                    yield problem(
                        loaded,
                        ("sessions", index, "date"),
                        f"sessions[{index}]: {gap} days after the previous held session "
                        f"(sessions[{previous[0]}]), more than twice the plan's frequency",
                        "session.gap",
                        "Check the date; if the engagement paused, consider ending it and "
                        "opening a new request.",
                        severity="warning",
                    )
            previous = (index, session.date)
    yield from _attended(records, context)


RULE = RecordRuleSpec(
    __name__,
    ids=(
        "session.too-many",
        "session.duration",
        "session.outside",
        "session.gap",
        "session.future",
    ),
    check=check,
)
