"""Cohorts: an engagement is accepted within its cohort's dates, and no cohort accepts more
engagements than its places. (The cohort id itself is checked by the schema.)"""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.model import Engagement
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem


def _accepted_step(engagement: Engagement) -> int | None:
    return next((i for i, s in enumerate(engagement.history) if s.state == "accepted"), None)


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    cohorts = {c.id: c for c in context.programme.cohorts}
    accepted: dict[str, list[tuple[str, str, Loaded, int]]] = {}
    for loaded, engagement in records.engagements:
        index = _accepted_step(engagement)
        cohort = cohorts.get(engagement.cohort)
        if index is None or cohort is None:
            continue
        day = engagement.history[index].date
        accepted.setdefault(cohort.id, []).append((day, engagement.id, loaded, index))
        if not cohort.opens <= day <= cohort.closes:
            yield problem(
                loaded,
                ("history", index, "date"),
                f"history[{index}]: accepted on {day}, outside cohort '{cohort.id}' "
                f"({cohort.opens} to {cohort.closes})",
                "cohort.outside-dates",
                "Put the engagement in the cohort open on the day it was accepted, or correct "
                "the date.",
            )
    for cohort_id, entries in sorted(accepted.items()):
        places = cohorts[cohort_id].places
        for day, _id, loaded, index in sorted(entries, key=lambda e: (e[0], e[1]))[places:]:
            yield problem(
                loaded,
                ("history", index, "date"),
                f"history[{index}]: cohort '{cohort_id}' already had its {places} places "
                f"taken when this engagement was accepted on {day}",
                "cohort.full",
                "Move the engagement to a cohort with free places, or raise the cohort's "
                "places in programme.yml.",
            )


RULE = RecordRuleSpec(__name__, ids=("cohort.outside-dates", "cohort.full"), check=check)
