"""Programme rules that JSON Schema cannot express, run across all profiles at once.

The registry: each rule module declares a ``RULE`` (its ids and the profile fields it reads);
an id's prefix is its module's name (``charter.outdated`` lives in ``rules/charter.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules import bio, charter, credentials, identity, supervision
from coachdir.rules.base import Context, Rule, RuleSpec, problem

__all__ = [
    "BY_ID",
    "Context",
    "Rule",
    "RuleSpec",
    "all_rules",
    "fields_read",
    "problem",
    "rule_ids",
    "run_rules",
]

#: the cross-file rules, in the order they run
CROSS_FILE: tuple[RuleSpec, ...] = (identity.RULE, credentials.RULE, charter.RULE, supervision.RULE)
#: every rule module, cross-file and per-file (bio)
SPECS: tuple[RuleSpec, ...] = (*CROSS_FILE, bio.RULE)
#: the declaring module of every rule id
BY_ID: dict[str, RuleSpec] = {rule_id: spec for spec in SPECS for rule_id in spec.ids}


def all_rules() -> list[Rule]:
    return [spec.check for spec in CROSS_FILE if spec.check is not None]


def rule_ids() -> tuple[str, ...]:
    """Every id a rule module declares."""
    return tuple(BY_ID)


def fields_read() -> tuple[str, ...]:
    """The top-level profile fields the cross-file rules read (the union of their
    declarations, in order): all that ``validate`` keeps of a profile for them."""
    return tuple(dict.fromkeys(field for spec in CROSS_FILE for field in spec.reads))


def run_rules(profiles: Iterable[Loaded], context: Context) -> list[Problem]:
    """Run every rule over the profiles that passed loading and schema checks."""
    valid = [p for p in profiles if p.data is not None]
    found: list[Problem] = []
    for rule in all_rules():
        found.extend(rule(valid, context))
    return found
