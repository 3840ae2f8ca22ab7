"""Eligibility: the client's contract type is one the programme marks ``eligible``."""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    eligible = set(context.programme.eligible_contract_types)
    for loaded, engagement in records.engagements:
        if engagement.contract_type not in eligible:
            yield problem(
                loaded,
                ("contract_type",),
                f"contract_type: '{engagement.contract_type}' is not eligible for the programme",
                "eligibility.contract-type",
                "Close the request (the client cannot be coached), or mark the contract type "
                "'eligible: true' in programme.yml vocabularies.contract_types if the programme "
                "accepts it.",
            )


RULE = RecordRuleSpec(__name__, ids=("eligibility.contract-type",), check=check)
