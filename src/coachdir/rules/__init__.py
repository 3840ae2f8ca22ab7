"""Programme rules that JSON Schema cannot express, run across all profiles at once."""

from __future__ import annotations

from collections.abc import Iterable

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules import credentials, currency, identity
from coachdir.rules.base import Context, Rule, problem

__all__ = ["Context", "Rule", "all_rules", "problem", "run_rules"]


def all_rules() -> list[Rule]:
    return [identity.check, credentials.check, currency.check]


def run_rules(profiles: Iterable[Loaded], context: Context) -> list[Problem]:
    """Run every rule over the profiles that passed loading and schema checks."""
    valid = [p for p in profiles if p.data is not None]
    found: list[Problem] = []
    for rule in all_rules():
        found.extend(rule(valid, context))
    return found
