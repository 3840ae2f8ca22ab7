"""Records rules, run over every record after loading and schema checks.

The registry: each module declares a ``RULE`` (a RecordRuleSpec); an id's prefix is its
module's name. To add a rule (capacity, one-at-a-time, conflicts of line, session plan,
standing, stale requests, PII scan), write ``records/rules/<name>.py`` with its ``RULE`` and
append it to ``SPECS``; ``validate`` runs it, and the case tests then require a case folder for
each of its ids.
"""

from __future__ import annotations

from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.rules import (
    calendar,
    capacity,
    client,
    cohort,
    conflict,
    eligibility,
    group,
    immersion,
    pii,
    request,
    session,
    standing,
    transition,
)
from coachdir.records.rules.base import RecordContext, RecordRule, RecordRuleSpec

__all__ = ["BY_ID", "SPECS", "RecordContext", "RecordRule", "RecordRuleSpec", "rule_ids", "run"]

#: every records rule module, in the order they run
SPECS: tuple[RecordRuleSpec, ...] = (
    transition.RULE,
    eligibility.RULE,
    cohort.RULE,
    capacity.RULE,
    client.RULE,
    conflict.RULE,
    session.RULE,
    calendar.RULE,
    standing.RULE,
    request.RULE,
    immersion.RULE,
    group.RULE,
    pii.RULE,
)
#: the declaring module of every records rule id
BY_ID: dict[str, RecordRuleSpec] = {rule_id: spec for spec in SPECS for rule_id in spec.ids}


def rule_ids() -> tuple[str, ...]:
    """Every id a records rule module declares."""
    return tuple(BY_ID)


def run(records: Records, context: RecordContext) -> list[Problem]:
    """Run every records rule over the records that passed loading and schema checks."""
    found: list[Problem] = []
    for spec in SPECS:
        found.extend(spec.check(records, context))
    return found
