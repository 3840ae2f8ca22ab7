"""One at a time: a client has at most one engagement past ``intro`` at any time.

Past intro means from the ``accepted`` (or ``active``) step to a final state. When one is
accepted, the client's other open requests are closed (intake proposes it); validate refuses a
state that breaks the rule. Per client, a sweep over time-sorted spans.
"""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.rules.base import RecordContext, RecordRuleSpec, interval
from coachdir.rules.base import problem


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    by_client: dict[str, list[tuple[str, str, str, Loaded, int]]] = {}
    for loaded, engagement in records.engagements:
        span = interval(engagement, context.today)
        if span is None:
            continue
        index, start, end = span
        by_client.setdefault(engagement.client, []).append(
            (start, engagement.id, end, loaded, index)
        )
    for _client, spans in sorted(by_client.items()):
        spans.sort()
        latest_end, latest_id = "", ""
        for start, engagement_id, end, loaded, index in spans:
            if start < latest_end:
                yield problem(
                    loaded,
                    ("history", index, "date"),
                    f"history[{index}]: the client already has engagement {latest_id} past "
                    f"intro on {start}",
                    "client.one-at-a-time",
                    f"A client has one engagement at a time: end or withdraw {latest_id} first, "
                    "or close this request.",
                )
            if end > latest_end:
                latest_end, latest_id = end, engagement_id


RULE = RecordRuleSpec(__name__, ids=("client.one-at-a-time",), check=check)
