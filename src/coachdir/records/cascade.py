"""``coachdir records next``: the ranked cascade. The first of the client's ranked preferences
who can take them today (a free place, standing, no conflict of line), and for every earlier
preference the rule id that rules them out; the records rules themselves decide, run on the
records as they would be with that coach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import cast

from coachdir.loader import Loaded
from coachdir.records.availability import CoachPlaces, compute_availability
from coachdir.records.files import Records
from coachdir.records.model import COACH_STATES, Engagement, HistoryStep
from coachdir.records.rules import capacity, conflict
from coachdir.records.rules.base import RecordContext
from coachdir.records.rules.standing import coaching_engagement, lapses

#: the coach already declined, or let the intro expire, in this engagement
DECLINED = "next.declined"
#: the coach of the engagement's intro in progress
CURRENT = "next.current"
#: the coach's profile is missing or does not accept new clients (status)
NOT_ACCEPTING = "next.not-accepting"
#: no free place today (free places as availability.json counts them)
FULL = "capacity.exceeded"
#: what each ``next.*`` id means (the others are records rules, documented with them)
NEXT_IDS: dict[str, str] = {
    DECLINED: "already declined, or let the intro expire, in this engagement",
    CURRENT: "coach of the introductory conversation in progress",
    NOT_ACCEPTING: "profile not accepting new clients",
}


@dataclass(frozen=True)
class Candidate:
    """One preference, in the client's rank order: ``rule`` is None for the coach proposed."""

    coach: str
    rule: str | None


@dataclass(frozen=True)
class Cascade:
    """The preferences looked at (the first without a rule is proposed, and the last looked
    at); ``proposed`` is None when no preference can take the client today."""

    engagement: str
    candidates: tuple[Candidate, ...]

    @property
    def proposed(self) -> str | None:
        return next((c.coach for c in self.candidates if c.rule is None), None)


def declined_by(engagement: Engagement) -> set[str]:
    """The coaches whose intro in this engagement was followed by ``declined`` or
    ``expired``."""
    out: set[str] = set()
    coach: str | None = None
    for step in engagement.history:
        if step.state in COACH_STATES:
            coach = step.coach
        elif step.state in ("declined", "expired") and coach is not None:
            out.add(coach)
    return out


def _with_coach(engagement: Engagement, coach: str, today: date) -> Engagement:
    """The engagement as it would be with ``coach`` introduced and accepting today."""
    day = today.isoformat()
    steps = (HistoryStep("intro", day, coach=coach), HistoryStep("accepted", day))
    return replace(engagement, coach=coach, history=(*engagement.history, *steps))


def _rules_against(
    coach: str, loaded: Loaded, engagement: Engagement, records: Records, context: RecordContext
) -> list[str]:
    """The error rule ids the capacity and conflict rules report on this engagement if
    ``coach`` took it today (run on the coach's other engagements with it)."""
    others = [
        (lo, e) for lo, e in records.engagements if e.coach == coach and e.id != engagement.id
    ]
    trial = Records(
        engagements=[*others, (loaded, _with_coach(engagement, coach, context.today))],
        coach_units=records.coach_units,
    )
    found = [*capacity.check(trial, context), *conflict.check(trial, context)]
    return [p.rule for p in found if p.severity == "error" and p.path == loaded.path]


def _free(coach: str, records: Records, context: RecordContext) -> int:
    profile = context.profiles.get(coach, {})
    places = CoachPlaces(
        coach, int(profile.get("capacity") or 0), profile.get("status") == "accepting"
    )
    document = compute_availability([places], (e for _, e in records.engagements), context.today)
    coaches = cast(dict[str, dict[str, int]], document["coaches"])
    return coaches[coach]["free"]


def why_not(
    coach: str, loaded: Loaded, engagement: Engagement, records: Records, context: RecordContext
) -> str | None:
    """The first rule id that rules ``coach`` out for ``engagement`` today, None when the
    coach can take it: declined before, intro in progress, not accepting, no free place,
    standing (supervision, credential, charter), then capacity and conflicts of line."""
    if coach in declined_by(engagement):
        return DECLINED
    if engagement.state in COACH_STATES and engagement.coach == coach:
        return CURRENT
    profile = context.profiles.get(coach)
    if profile is None or profile.get("status") != "accepting":
        return NOT_ACCEPTING
    if _free(coach, records, context) <= 0:
        return FULL
    day = context.today.isoformat()
    coaching = coaching_engagement(engagement, context)
    for rule, _what, _hint in lapses(coach, day, records, context, coaching=coaching):
        return rule
    found = _rules_against(coach, loaded, engagement, records, context)
    return found[0] if found else None


def cascade(
    loaded: Loaded, engagement: Engagement, records: Records, context: RecordContext
) -> Cascade:
    """The preferences in rank order up to the first who can take the client today."""
    out: list[Candidate] = []
    for coach in engagement.preferences:
        rule = why_not(coach, loaded, engagement, records, context)
        out.append(Candidate(coach, rule))
        if rule is None:
            break
    return Cascade(engagement.id, tuple(out))


def find(records: Records, engagement: str) -> tuple[Loaded, Engagement] | None:
    """The loaded record of ``engagement``, if the records hold it."""
    return next(((lo, e) for lo, e in records.engagements if e.id == engagement), None)


def after_decline(
    records: Records, context: RecordContext, *, within_days: int
) -> Sequence[Cascade]:
    """The cascade of each engagement whose coach declined (an open engagement) or let the
    intro expire within the last ``within_days`` days: whom to propose next, by id."""
    out: list[Cascade] = []
    for loaded, engagement in sorted(records.engagements, key=lambda p: p[1].id):
        last = engagement.history[-1]
        if last.state == "declined" or (
            last.state == "expired"
            and engagement.coach is not None
            and (context.today - date.fromisoformat(last.date)).days <= within_days
        ):
            out.append(cascade(loaded, engagement, records, context))
    return out
