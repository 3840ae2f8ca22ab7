"""Calendar times: an engagement session's start time (``sessions[i].start``, ``HH:MM``) is
local time in the engagement's ``timezone`` (an IANA name). A start time with no time zone, or
with a name the time zone database does not know, would become an ``.ics`` time without a
time zone (``coachdir calendar --engagement``), which each calendar application reads as its
own local time: refused (``calendar.no-timezone``).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator

from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem

HINT = (
    "Add timezone: with the IANA name of the sessions' time zone (Europe/Paris, "
    "America/Cayenne, Indian/Reunion...) to the engagement, or remove the start times."
)


def known_zone(name: str) -> bool:
    """Whether ``name`` is a time zone of the time zone database."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    del context  # the rule reads the record alone
    for loaded, engagement in records.engagements:
        timed = [i for i, s in enumerate(engagement.sessions) if s.start is not None]
        if engagement.timezone is not None:
            if not known_zone(engagement.timezone):
                yield problem(
                    loaded,
                    ("timezone",),
                    "timezone: not a known IANA time zone name, so the sessions' start times "
                    "have no time zone",
                    "calendar.no-timezone",
                    "Write the IANA name of the sessions' time zone, such as Europe/Paris, "
                    "America/Cayenne or Indian/Reunion.",
                )
        elif timed:
            index = timed[0]
            yield problem(
                loaded,
                ("sessions", index, "start"),
                f"sessions[{index}].start: a start time, but the engagement has no timezone, "
                "so the calendar file's time would have none",
                "calendar.no-timezone",
                HINT,
            )


RULE = RecordRuleSpec(__name__, ids=("calendar.no-timezone",), check=check)
