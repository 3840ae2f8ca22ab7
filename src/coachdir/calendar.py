"""Calendar files: a group's schedule, or an engagement's sessions, as iCalendar (RFC 5545).

Every file is a ``VCALENDAR`` with ``METHOD:PUBLISH`` (RFC 5546: a calendar published for
others to subscribe to or import, with no reply expected), ``CALSCALE:GREGORIAN``, the RFC 7986
``NAME`` (and ``X-WR-CALNAME``, its older spelling) in the reader's language, one ``VEVENT``
per session and one ``VTIMEZONE`` for every ``TZID`` its events use, generated from the time
zone database of the machine (Python's ``zoneinfo``; the ``tzdata`` package where the system
has none).

Each event's ``UID`` is derived from ids that do not change (a UUID 5 of the group id and the
session id, or of the engagement id and the session's position in the record), so that a
calendar application that imports the file again, or refreshes a subscription, updates the
events instead of adding them twice. ``DTSTAMP`` is the time given by the caller: use
:func:`commit_time`, the time of the last commit, never the wall clock, so that the same
repository gives the same bytes (reproducible builds). ``SEQUENCE`` stays 0.

This module reads no records (the site calls it for the groups' public calendars): an
engagement's sessions come in as plain values.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from icalendar import Calendar, Event, Timezone, vText

from coachdir.offerings.groups import Group
from coachdir.problems import InvalidInput

#: the namespace of every UID coachdir writes (uuid5 of NAMESPACE_URL and
#: "https://coachdir.example/calendar"); never change it, or every calendar duplicates
NAMESPACE = uuid.UUID("1ac4ad3d-47d9-59c7-8352-71c78bba3012")
#: the domain part of every UID (RFC 5545 3.8.4.7 suggests an identifier@domain form)
UID_DOMAIN = "coachdir"
#: the DTSTAMP when neither SOURCE_DATE_EPOCH nor a git commit gives a time: 1980-01-01 UTC,
#: the earliest time a ZIP archive can hold (what reproducible-builds tools fall back to)
FALLBACK_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
#: how long git may take to tell the last commit's time
GIT_TIMEOUT = 30
#: the environment variables that would point git at another repository than the root's
_GIT_LOCATION = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR")
_DIGITS = re.compile(r"[0-9]{1,12}")

#: the words of the files, by language (fr, en); another language falls back to en
_WORDS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "group_session": "{title} : séance {number}/{total}",
        "session": "Séance {number} ({engagement})",
        "intro": "Entretien préalable ({engagement})",
        "engagement_name": "Accompagnement {engagement}",
        "all_day": "Heure de début non renseignée ; durée prévue : {minutes} min.",
    },
    "en": {
        "group_session": "{title}: session {number} of {total}",
        "session": "Session {number} ({engagement})",
        "intro": "Introductory conversation ({engagement})",
        "engagement_name": "Engagement {engagement}",
        "all_day": "No start time recorded; planned length: {minutes} min.",
    },
}


@dataclass(frozen=True)
class PlannedSession:
    """One session of an engagement, as plain values: its position in the record's
    ``sessions`` list (``index``, from 0; the UID is made from it), its day ``YYYY-MM-DD``,
    its local start ``HH:MM`` or None, its length, its kind (``intro`` or ``session``) and
    whether it was cancelled (the event is kept, ``STATUS:CANCELLED``, so that a calendar
    that had it removes it)."""

    index: int
    date: str
    start: str | None
    minutes: int
    kind: str = "session"
    cancelled: bool = False


def event_uid(*parts: str) -> str:
    """The stable UID of an event: a UUID 5 of ``parts`` on :data:`NAMESPACE`, ``@coachdir``."""
    return f"{uuid.uuid5(NAMESPACE, '/'.join(parts))}@{UID_DOMAIN}"


def group_session_uid(group_id: str, session_id: str) -> str:
    return event_uid("group", group_id, "session", session_id)


def engagement_session_uid(engagement_id: str, index: int) -> str:
    return event_uid("engagement", engagement_id, "session", str(index))


def _words(lang: str) -> Mapping[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


def _utc(stamp: datetime) -> datetime:
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the calendar's stamp must be an aware datetime (use commit_time)")
    return stamp.astimezone(UTC).replace(microsecond=0)


def _at(day: str, start: str, tz: zoneinfo.ZoneInfo) -> datetime:
    hour, minute = (int(part) for part in start.split(":"))
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=tz)


def _end(begin: datetime, minutes: int) -> datetime:
    """``minutes`` of elapsed time after ``begin`` (a session across a change of the clocks
    still lasts its minutes), in its time zone; in UTC when that local time occurs twice and
    this is its second occurrence, which a local time with a TZID cannot say (RFC 5545 3.3.5
    reads it as the first)."""
    tz = begin.tzinfo
    end = (begin.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(tz)
    if end.replace(fold=0).utcoffset() != end.utcoffset():
        return end.astimezone(UTC)
    return end


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "the time zone is not a known IANA time zone name (such as Europe/Paris), so the "
            "session times have none; correct it and run the command again."
        ) from None


def _calendar(name: str, lang: str) -> Calendar:
    cal = Calendar()
    cal.add("PRODID", f"-//coachdir//coachdir calendar//{lang.upper()}")
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    # NAME (RFC 7986) and its older spelling X-WR-CALNAME, which more applications read
    cal.add("NAME", vText(name), parameters={"LANGUAGE": lang})
    cal.add("X-WR-CALNAME", vText(name))
    return cal


def _event(uid: str, stamp: datetime, summary: str) -> Event:
    event = Event()
    event.add("UID", uid)
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", 0)
    event.add("SUMMARY", summary)
    return event


def _finish(cal: Calendar, events: Iterable[Event], times: Sequence[datetime]) -> bytes:
    """Add one VTIMEZONE per TZID the events use (in name order, before the events, covering
    the years of ``times``), then the events; the file's bytes."""
    zones = sorted({t.tzinfo.key for t in times if isinstance(t.tzinfo, zoneinfo.ZoneInfo)})
    if zones:
        first = date(min(t.year for t in times), 1, 1)
        last = date(max(t.year for t in times) + 1, 1, 1)
        for key in zones:
            cal.add_component(Timezone.from_tzid(key, first_date=first, last_date=last))
    for event in events:
        cal.add_component(event)
    missing = cal.get_missing_tzids()
    if missing:  # every zone comes from zoneinfo, so from_tzid knows it: never seen
        raise ValueError(f"no VTIMEZONE for {sorted(missing)}")
    return bytes(cal.to_ical())


def group_calendar(group: Group, stamp: datetime, lang: str) -> bytes:
    """The ``.ics`` of a group's schedule: one event per session, in the group's time zone,
    named and summarised in ``lang`` (fr or en; the French title when the group has no title
    in ``lang``). ``stamp`` (aware) is every event's DTSTAMP; the same group and stamp give
    the same bytes."""
    dtstamp = _utc(stamp)
    title = group.title.get(lang) or group.title.get("fr") or next(iter(group.title.values()))
    words = _words(lang)
    tz = _zone(group.timezone)
    cal = _calendar(title, lang)
    cal.add("REFRESH-INTERVAL", timedelta(days=1), parameters={"VALUE": "DURATION"})
    events: list[Event] = []
    times: list[datetime] = []
    total = len(group.sessions)
    for number, session in enumerate(group.sessions, 1):
        begin = _at(session.date, session.start, tz)
        end = _end(begin, session.minutes)
        summary = words["group_session"].format(title=title, number=number, total=total)
        event = _event(group_session_uid(group.id, session.id), dtstamp, summary)
        event.add("DTSTART", begin)
        event.add("DTEND", end)
        event.add("LOCATION", group.location)
        event.add("STATUS", "CONFIRMED")
        events.append(event)
        times += [begin, end]
    return _finish(cal, events, times)


def engagement_calendar(
    engagement_id: str,
    sessions: Sequence[PlannedSession],
    timezone: str | None,
    stamp: datetime,
    lang: str = "fr",
) -> bytes:
    """The ``.ics`` of an engagement's sessions, for the coach's and the client's own use
    (never published): one event per session. A session with a start time is a timed event
    in ``timezone`` (an IANA name; a start without one is refused, as the records rule
    ``calendar.no-timezone`` refuses it); a session without a start time is an all-day event
    (``VALUE=DATE``, shown as free time) on its day, its planned length in the description.
    The summaries name the engagement id only: no person, no unit."""
    dtstamp = _utc(stamp)
    words = _words(lang)
    timed = [s for s in sessions if s.start is not None]
    if timed and timezone is None:
        raise InvalidInput(
            f"engagement {engagement_id}: a session has a start time but the engagement has "
            "no timezone; add timezone: Europe/Paris (or the sessions' own) to the record."
        )
    tz = _zone(timezone) if timed and timezone is not None else None
    cal = _calendar(words["engagement_name"].format(engagement=engagement_id), lang)
    events: list[Event] = []
    times: list[datetime] = []
    number = 0
    for session in sessions:
        if session.kind == "intro":
            summary = words["intro"].format(engagement=engagement_id)
        else:
            number += 1
            summary = words["session"].format(number=number, engagement=engagement_id)
        event = _event(engagement_session_uid(engagement_id, session.index), dtstamp, summary)
        day = date.fromisoformat(session.date)
        if session.start is not None and tz is not None:
            begin = _at(session.date, session.start, tz)
            end = _end(begin, session.minutes)
            event.add("DTSTART", begin)
            event.add("DTEND", end)
            times += [begin, end]
        else:
            event.add("DTSTART", day)
            event.add("DTEND", day + timedelta(days=1))
            event.add("TRANSP", "TRANSPARENT")
            event.add("DESCRIPTION", words["all_day"].format(minutes=session.minutes))
        event.add("STATUS", "CANCELLED" if session.cancelled else "CONFIRMED")
        events.append(event)
    return _finish(cal, events, times)


def _epoch(seconds: str, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(seconds), UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidInput(f"{what} is out of range; give a time in seconds after 1970.") from None


def commit_time(root: Path) -> datetime:
    """The DTSTAMP of the calendar files built from ``root``, never the wall clock:

    1. ``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds convention: seconds since
       1970-01-01 UTC); a value that is not a number of seconds is refused;
    2. else the committer time of the last commit (``git log -1 --format=%ct``) of the git
       repository that holds ``root``;
    3. else (no git, not a repository, no commit yet) :data:`FALLBACK_EPOCH`, 1980-01-01 UTC.
    """
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not _DIGITS.fullmatch(given):
            raise InvalidInput(
                "SOURCE_DATE_EPOCH is not a number of seconds since 1970-01-01 (UTC); unset it "
                "or set it to one, such as the output of 'git log -1 --format=%ct'."
            )
        return _epoch(given, "SOURCE_DATE_EPOCH")
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION}
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"})
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return FALLBACK_EPOCH
    seconds = done.stdout.strip()
    if done.returncode != 0 or not _DIGITS.fullmatch(seconds):
        return FALLBACK_EPOCH
    return _epoch(seconds, "the last commit's time")
