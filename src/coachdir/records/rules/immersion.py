"""Immersion periods (``records/immersions/``), as décret n° 2016-1732 (amended by décret
n° 2022-1043, art. 12 to 13-2) and service-public.fr F36642 set them:

* ``immersion.days``: 2 to 10 working days (Monday to Friday), each listed once;
* ``immersion.cap``: at most 20 days over 3 years per agent (client code), across all records:
  no 3-year span ``[d, d + 3 years)`` holds more than 20 days of the agent's accepted periods;
* ``immersion.notice``: the request at least 3 months before the first day, unless both
  parties agreed to less (``short_notice_agreed: true``);
* ``immersion.answer-late`` (warning): the line manager answers within 1 month;
* ``immersion.answer-reason``: a refusal or a postponement gives a reason code (and only they);
* ``immersion.outside-offer``: the request fits the directory's offer (its periods, its days
  min/max, open while unanswered);
* ``immersion.contract-type``: civil servants and contract staff only (the contract types the
  programme marks eligible);
* ``immersion.date-order``: no answer before the request, no request or answer after today.

Public holidays are not known to coachdir: a weekday that is a holiday is not refused.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from coachdir import dates
from coachdir.loader import Loaded
from coachdir.offerings.immersions import MAX_DAYS, MIN_DAYS, ImmersionOffer
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.immersions import REASONED, ImmersionRecord
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem

#: at most this many immersion days ...
CAP_DAYS = 20
#: ... over this many years
CAP_YEARS = 3
#: the request reaches the administration this many months before the first day
NOTICE_MONTHS = 3
#: the line manager answers within this many months
ANSWER_MONTHS = 1


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _days(loaded: Loaded, record: ImmersionRecord) -> Iterator[Problem]:
    count = len(set(record.days))
    if not MIN_DAYS <= count <= MAX_DAYS:
        yield problem(
            loaded,
            ("days",),
            f"days: {count} day(s) listed; an immersion period lasts {MIN_DAYS} to {MAX_DAYS} "
            "working days",
            "immersion.days",
            f"List the {MIN_DAYS} to {MAX_DAYS} working days of the period; for more, record a "
            "second period in a file of its own.",
        )
    seen: set[str] = set()
    for index, day in enumerate(record.days):
        if day in seen:
            yield problem(
                loaded,
                ("days", index),
                f"days[{index}]: this day is already listed",
                "immersion.days",
                "List each day of the period once; remove this line.",
            )
        seen.add(day)
        weekday = date.fromisoformat(day).weekday()
        if weekday >= 5:
            yield problem(
                loaded,
                ("days", index),
                f"days[{index}]: a {calendar.day_name[weekday]}, not a working day",
                "immersion.days",
                "An immersion counts working days, Monday to Friday; check the date.",
            )


def _notice(loaded: Loaded, record: ImmersionRecord) -> Iterator[Problem]:
    if record.short_notice_agreed:
        return
    first = min(record.days)
    latest = months_after(date.fromisoformat(record.requested), NOTICE_MONTHS)
    if latest.isoformat() > first:
        yield problem(
            loaded,
            ("requested",),
            f"requested: less than {NOTICE_MONTHS} months before the first day of the period",
            "immersion.notice",
            f"The request is due {NOTICE_MONTHS} months ahead. If the agent and the "
            "administration agreed to less, record it with 'short_notice_agreed: true'; "
            "otherwise move the days later.",
        )


def _answer(loaded: Loaded, record: ImmersionRecord, today: date) -> Iterator[Problem]:
    requested = date.fromisoformat(record.requested)
    due = months_after(requested, ANSWER_MONTHS)
    if requested > today:
        yield problem(
            loaded,
            ("requested",),
            "requested: the request is dated after today",
            "immersion.date-order",
            "Record the day the request arrived; check the year.",
        )
    answer = record.answer
    if answer is None:
        if today > due:
            yield problem(
                loaded,
                ("requested",),
                f"requested: no answer more than {ANSWER_MONTHS} month after the request",
                "immersion.answer-late",
                "The line manager answers within 1 month (with reasons for a refusal or a "
                "postponement); record the answer as 'answer: {date, decision, reason}'.",
                severity="warning",
            )
        return
    if answer.date < record.requested:
        yield problem(
            loaded,
            ("answer", "date"),
            "answer.date: before the request",
            "immersion.date-order",
            "The answer follows the request; check both dates.",
        )
    elif answer.date > today.isoformat():
        yield problem(
            loaded,
            ("answer", "date"),
            "answer.date: the answer is dated after today",
            "immersion.date-order",
            "Record an answer once it is given, with the day it was given.",
        )
    elif answer.date > due.isoformat():
        yield problem(
            loaded,
            ("answer", "date"),
            f"answer.date: more than {ANSWER_MONTHS} month after the request",
            "immersion.answer-late",
            "The line manager answers within 1 month; keep the real date, and answer sooner "
            "next time.",
            severity="warning",
        )
    if answer.decision in REASONED and answer.reason is None:
        yield problem(
            loaded,
            ("answer", "decision"),
            f"answer: a {answer.decision} request without a reason",
            "immersion.answer-reason",
            "A refusal or a postponement gives its reasons: add 'reason: <code>' from "
            "programme.yml vocabularies.immersion_reasons.",
        )
    elif answer.decision not in REASONED and answer.reason is not None:
        yield problem(
            loaded,
            ("answer", "reason"),
            "answer.reason: only a refusal or a postponement gives a reason",
            "immersion.answer-reason",
            "Remove 'reason:' from an accepted request's answer.",
        )


def _offer(
    loaded: Loaded, record: ImmersionRecord, offers: dict[str, ImmersionOffer]
) -> Iterator[Problem]:
    offer = offers.get(record.offer)
    if offer is None:
        yield problem(
            loaded,
            ("offer",),
            "offer: not the id of an immersion offer of the directory",
            "immersion.outside-offer",
            "Give the file name (without .yml) of an offer in the directory's immersions/; "
            "if it is there, run coachdir validate: an offer with errors is not read.",
        )
        return
    if offer.status == "closed" and record.answer is None:
        yield problem(
            loaded,
            ("offer",),
            "offer: the offer is closed, so it takes no new request",
            "immersion.outside-offer",
            "Refuse the request (answer with a reason), or reopen the offer (status: open) in "
            "the directory if the host agrees.",
        )
    count = len(set(record.days))
    if MIN_DAYS <= count <= MAX_DAYS and not offer.days_min <= count <= offer.days_max:
        yield problem(
            loaded,
            ("days",),
            f"days: {count} day(s); the offer is for {offer.days_min} to {offer.days_max} days",
            "immersion.outside-offer",
            f"List {offer.days_min} to {offer.days_max} days, as the offer says.",
        )
    for index, day in enumerate(record.days):
        if not any(p.start <= day <= p.end for p in offer.periods):
            yield problem(
                loaded,
                ("days", index),
                f"days[{index}]: outside every period of the offer",
                "immersion.outside-offer",
                "Choose days within one of the offer's periods (immersions/"
                f"{offer.id}.yml 'periods').",
            )


def _eligible(loaded: Loaded, record: ImmersionRecord, eligible: set[str]) -> Iterator[Problem]:
    if record.contract_type not in eligible:
        yield problem(
            loaded,
            ("contract_type",),
            f"contract_type: '{record.contract_type}' is not eligible for an immersion period",
            "immersion.contract-type",
            "Civil servants and contract staff may ask for an immersion period: refuse the "
            "request, or mark the contract type 'eligible: true' in programme.yml "
            "vocabularies.contract_types if it is one of them.",
        )


def _cap(records: Records) -> Iterator[Problem]:
    """Per client code: the accepted days in date order (each day once); a day that is the
    21st within 3 years of an earlier one is reported, once per client."""
    by_client: dict[str, list[tuple[str, Loaded, int]]] = {}
    for loaded, record in records.immersions:
        if record.accepted:
            mine = by_client.setdefault(record.client, [])
            mine.extend((day, loaded, index) for index, day in enumerate(record.days))
    for client in sorted(by_client):
        days: list[tuple[str, Loaded, int]] = []
        for entry in sorted(by_client[client], key=lambda e: (e[0], e[1].path, e[2])):
            if not days or days[-1][0] != entry[0]:
                days.append(entry)
        start = 0
        for end, (day, loaded, index) in enumerate(days):
            while (
                dates.years_after(date.fromisoformat(days[start][0]), CAP_YEARS).isoformat() <= day
            ):
                start += 1
            if end - start + 1 > CAP_DAYS:
                yield problem(
                    loaded,
                    ("days", index),
                    f"days[{index}]: day {CAP_DAYS + 1} of this agent's immersions within "
                    f"{CAP_YEARS} years (at most {CAP_DAYS})",
                    "immersion.cap",
                    f"An agent may spend at most {CAP_DAYS} days in immersion over {CAP_YEARS} "
                    "years, counted over every accepted record of the client code: shorten or "
                    "postpone this period.",
                )
                break


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    eligible = set(context.programme.eligible_contract_types)
    offers = context.immersion_offers
    for loaded, record in records.immersions:
        yield from _days(loaded, record)
        yield from _notice(loaded, record)
        yield from _answer(loaded, record, context.today)
        if offers is not None:
            yield from _offer(loaded, record, offers)
        yield from _eligible(loaded, record, eligible)
    yield from _cap(records)


RULE = RecordRuleSpec(
    __name__,
    ids=(
        "immersion.days",
        "immersion.cap",
        "immersion.notice",
        "immersion.answer-late",
        "immersion.answer-reason",
        "immersion.outside-offer",
        "immersion.contract-type",
        "immersion.date-order",
    ),
    check=check,
)
