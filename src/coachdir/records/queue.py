"""``coachdir records queue``: the team's work list, the open engagements oldest first, each
with its state, days waiting and allowed next steps; ids, states and days only."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from coachdir.records.model import FINAL_STATES, Engagement, next_states


@dataclass(frozen=True)
class QueueItem:
    """One open engagement: its id, state, days since the request (``age``) and since its
    last step (``waiting``), and the states that may follow (the model's transitions)."""

    id: str
    state: str
    age: int
    waiting: int
    next: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "state": self.state,
            "age_days": self.age,
            "waiting_days": self.waiting,
            "next": list(self.next),
        }


def _days(since: str, today: date) -> int:
    return (today - date.fromisoformat(since)).days


def work_queue(engagements: Iterable[Engagement], today: date, *, review: bool) -> list[QueueItem]:
    """Every engagement not in a final state, the oldest request first (then the longest
    waiting, then the id)."""
    items = [
        QueueItem(
            e.id,
            e.state,
            _days(e.history[0].date, today),
            _days(e.history[-1].date, today),
            tuple(sorted(next_states(e.state, review=review))),
        )
        for e in engagements
        if e.state not in FINAL_STATES
    ]
    return sorted(items, key=lambda i: (-i.age, -i.waiting, i.id))


def queue_json(items: Iterable[QueueItem], today: date) -> str:
    """The queue as JSON: the day, and each item's id, state, days and next steps."""
    document = {"today": today.isoformat(), "open": [i.to_dict() for i in items]}
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def queue_text(items: list[QueueItem], today: date) -> str:
    """The queue as aligned text lines, with a header."""
    if not items:
        return f"No open engagement on {today}.\n"
    rows = [("engagement", "state", "age", "waiting", "next steps")]
    rows += [(i.id, i.state, f"{i.age}d", f"{i.waiting}d", ", ".join(i.next)) for i in items]
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row[:4])) + "  " + row[4]
        for row in rows
    ]
    count = "1 open engagement" if len(items) == 1 else f"{len(items)} open engagements"
    return f"{count} on {today} (oldest request first):\n" + "\n".join(lines) + "\n"
