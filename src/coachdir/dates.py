"""The one range of dates coachdir accepts, and a parser that never raises.

Every date a programme stores (profiles, ``programme.yml``, records, ``availability.json``,
indicator releases) is a real calendar day written ``YYYY-MM-DD`` between :data:`EARLIEST` and
:data:`LATEST`. The schema layer checks it for every schema (``format: date`` is this module's
:func:`is_stored`), so no rule, report or page ever sees a day that Python's ``date`` cannot
hold or that a calendar computation would push out of range. Dates of what is planned
(a cohort's close, a session not yet held) stay within :func:`horizon` of today; a credential's
expiry within :data:`EXPIRY_YEARS` years.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from coachdir.problems import Problem

if TYPE_CHECKING:
    from coachdir.loader import Loaded, PathKey

#: the earliest day any stored date may be
EARLIEST = date(1950, 1, 1)
#: the latest day any stored date may be
LATEST = date(2099, 12, 31)
#: how far ahead of today a planned date may be, in years
HORIZON_YEARS = 2
#: how far ahead of today a credential's expiry may be, in years
EXPIRY_YEARS = 10

#: the ids this module's checks report (the schema layer reports date.range, the rules
#: date.horizon)
PROBLEM_IDS = ("date.range", "date.horizon")

_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value: object) -> date | None:
    """The calendar day ``value`` writes as ``YYYY-MM-DD`` (ASCII digits only), whatever its
    year; None for anything else (another form, month 13, 30 February, year 0). Never
    raises."""
    if not isinstance(value, str) or not _FORM.fullmatch(value):
        return None
    try:
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return None


def in_range(day: date) -> bool:
    """Whether ``day`` is within the stored range."""
    return EARLIEST <= day <= LATEST


def parse(value: object) -> date | None:
    """The stored date ``value`` writes: a real day in the range, else None. Never raises."""
    day = parse_day(value)
    return day if day is not None and in_range(day) else None


def is_stored(value: object) -> bool:
    """The schemas' ``format: date``: a real ``YYYY-MM-DD`` day within the range."""
    return parse(value) is not None


def range_text() -> str:
    """The range, as messages say it."""
    return f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"


def out_of_range(value: object) -> str | None:
    """What is wrong with ``value``, without quoting it, when it is a real day of a year
    outside the range (year 0, which ISO 8601 counts as a leap year, included): "is before
    1950" or "is after 2099"; None for a stored date and for what is no day at all."""
    if not isinstance(value, str) or not _FORM.fullmatch(value):
        return None
    year = int(value[:4])
    try:  # the day exists in that year (year 0 is leap, as 2000)
        date(year or 2000, int(value[5:7]), int(value[8:]))
    except ValueError:
        return None
    if year < EARLIEST.year:
        return f"is before {EARLIEST.year}"
    if year > LATEST.year:
        return f"is after {LATEST.year}"
    return None


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year), capped at
    :data:`LATEST`."""
    year = day.year + years
    if year > LATEST.year:
        return LATEST
    try:
        shifted = day.replace(year=year)
    except ValueError:  # 29 February
        shifted = day.replace(year=year, day=28)
    return min(shifted, LATEST)


def horizon(today: date) -> date:
    """The latest day a planned date may be: today + :data:`HORIZON_YEARS` years."""
    return years_after(today, HORIZON_YEARS)


def expiry_limit(today: date) -> date:
    """The latest day a credential may expire: today + :data:`EXPIRY_YEARS` years."""
    return years_after(today, EXPIRY_YEARS)


def horizon_problem(
    loaded: Loaded, path: PathKey, where: str, value: str, today: date
) -> Problem | None:
    """``date.horizon`` at ``path`` when the planned date ``value`` (already a stored date) is
    after :func:`horizon`; None otherwise. The message names the limit, not the value."""
    day = parse(value)
    limit = horizon(today)
    if day is None or day <= limit:
        return None
    line, col = loaded.where(path)
    return Problem(
        loaded.path,
        line,
        col,
        f"{where}: a planned date more than {HORIZON_YEARS} years ahead (after "
        f"{limit.isoformat()})",
        "date.horizon",
        f"Plan no further than {HORIZON_YEARS} years ahead; check the year.",
    )
