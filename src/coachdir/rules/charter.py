"""Charter rules: the signature date is plausible and the version signed is the current one."""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules.base import Context, RuleSpec, problem


def check(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    current = context.programme.charter_current
    today = context.today.isoformat()
    for loaded in profiles:
        data = loaded.data or {}
        charter = data["charter"]
        if charter["signed"] > today:
            yield problem(
                loaded,
                ("charter", "signed"),
                f"charter.signed: {charter['signed']} is in the future",
                "charter.future",
                "Give the date you signed the charter.",
            )
        if charter["version"] != current:
            yield problem(
                loaded,
                ("charter", "version"),
                f"charter.version: you signed version {charter['version']}; the current "
                f"charter is {current}",
                "charter.outdated",
                f"Read and sign charter {current}, then update version and signed.",
                severity="warning",
            )


RULE = RuleSpec(
    __name__, ids=("charter.future", "charter.outdated"), reads=("charter",), check=check
)
