"""Standing: on the day an engagement is accepted, its coach must have

- supervision within ``supervision_max_gap_days`` before it (``records/supervision/<coach>.yml``
  or the profile's ``supervision.last``): ``standing.supervision``;
- a qualifying credential, not expired on that day: ``standing.credential``. A credential
  qualifies as ``rules/credentials.py`` decides: its type is in programme.yml's
  credential_types, with the type's minimum training hours and practice hours, obtained on or
  before the day;
- signed the charter version in force on that day (programme.yml ``charter.dates``) or a later
  one (the profile's ``charter.version``): ``standing.charter``.

A mentoring engagement (an offer of kind ``mentoring``) needs no coaching credential nor
supervision: only the charter is checked for it.

The message names what had lapsed and since when (dates of the programme and of the records,
never a value a person typed).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.records.files import Records
from coachdir.records.model import Engagement
from coachdir.records.rules.base import RecordContext, RecordRuleSpec, engaged_from
from coachdir.rules.base import problem


def _supervision(coach: str, day: str, records: Records, profile: dict[str, Any]) -> list[str]:
    dates = [s.date for s in records.supervision.get(coach, (None, ()))[1]]
    last = profile.get("supervision", {}).get("last")
    if isinstance(last, str):
        dates.append(last)
    return [d for d in dates if d <= day]


def _qualifies(cred: dict[str, Any], profile: dict[str, Any], programme: Programme) -> bool:
    ctype = programme.credential_types().get(cred.get("type", ""))
    if ctype is None:
        return False
    if ctype.min_training_hours is not None and (cred.get("hours") or 0) < ctype.min_training_hours:
        return False
    practice = profile.get("practice_hours") or 0
    return ctype.min_practice_hours is None or practice >= ctype.min_practice_hours


def lapses(
    coach: str,
    day: str,
    records: Records,
    context: RecordContext,
    *,
    coaching: bool | None = None,
) -> Iterator[tuple[str, str, str]]:
    """``(rule id, what had lapsed and since when, hint)`` for each lapse on ``day``; with
    ``coaching`` False (a mentoring engagement), the charter's only. None: as the profile's
    offers need (a mentor's profile needs no credential nor supervision)."""
    profile = context.profiles.get(coach)
    if profile is None:
        return
    if coaching is None:
        coaching = context.programme.needs_credential(profile.get("offers", []))
    if coaching:
        yield from _coaching_lapses(coach, day, records, context, profile)
    yield from _charter_lapses(day, context, profile)


def _coaching_lapses(
    coach: str, day: str, records: Records, context: RecordContext, profile: dict[str, Any]
) -> Iterator[tuple[str, str, str]]:
    programme = context.programme
    gap = programme.supervision_max_gap_days
    held = _supervision(coach, day, records, profile)
    if not held:
        yield (
            "standing.supervision",
            "no supervision is recorded before that day",
            "Record the coach's supervision in records/supervision/ or the profile's "
            "supervision.last, or choose another coach.",
        )
    else:
        due = (date.fromisoformat(max(held)) + timedelta(days=gap)).isoformat()
        if due < day:
            yield (
                "standing.supervision",
                f"supervision had lapsed since {due} (more than {gap} days after the last)",
                "The coach needs supervision before taking a new engagement; record it, or "
                "choose another coach.",
            )
    creds = [c for c in profile.get("credentials", []) if _qualifies(c, profile, programme)]
    valid = [c for c in creds if c["obtained"] <= day and c.get("expires", "9999-12-31") >= day]
    if not valid:
        expired = sorted(c["expires"] for c in creds if c.get("expires", "9999-12-31") < day)
        yield (
            "standing.credential",
            f"the qualifying credential had expired since {expired[-1]}"
            if expired
            else "the coach had no qualifying credential on that day",
            "The coach's profile needs a credential of programme.yml's credential_types, valid "
            "on the day of acceptance; or choose another coach.",
        )


def _charter_lapses(
    day: str, context: RecordContext, profile: dict[str, Any]
) -> Iterator[tuple[str, str, str]]:
    dates = context.programme.charter_dates
    in_force = [(d, v) for v, d in dates.items() if d <= day]
    signed = profile.get("charter", {}).get("version")
    if in_force and signed in dates:
        since, version = max(in_force)
        if dates[str(signed)] < since:
            yield (
                "standing.charter",
                f"charter version {version} was in force since {since} and the coach had "
                f"signed {signed}",
                "The coach signs the current charter version (the profile's charter) before "
                "taking a new engagement; or choose another coach.",
            )


def coaching_engagement(engagement: Engagement, context: RecordContext) -> bool:
    """Whether the coaching-only rules (credential standing, supervision) apply to
    ``engagement``: all but a mentoring engagement."""
    return context.programme.offer_kind(engagement.offer) != "mentoring"


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    for loaded, engagement in records.engagements:
        begin = engaged_from(engagement)
        if begin is None or engagement.coach is None:
            continue
        coaching = coaching_engagement(engagement, context)
        yield from _report(loaded, engagement.coach, begin, records, context, coaching)


def _report(
    loaded: Loaded,
    coach: str,
    begin: tuple[int, str],
    records: Records,
    context: RecordContext,
    coaching: bool,
) -> Iterator[Problem]:
    index, day = begin
    for rule, what, hint in lapses(coach, day, records, context, coaching=coaching):
        yield problem(
            loaded,
            ("history", index, "date"),
            f"history[{index}]: accepted on {day} while coach '{coach}' was not in standing: "
            f"{what}",
            rule,
            hint,
        )


RULE = RecordRuleSpec(
    __name__,
    ids=("standing.supervision", "standing.credential", "standing.charter"),
    check=check,
)
