"""Retention: the closed engagements whose final state is dated before a day, which
``coachdir records purge`` lists and (when confirmed) removes. Only files listed here, under
``engagements/``, are ever removed; git history keeps them until the yearly rewrite (README)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coachdir.loader import Loaded
from coachdir.records.files import ENGAGEMENTS_DIR
from coachdir.records.model import FINAL_STATES, Engagement, engagement_order


@dataclass(frozen=True)
class Expired:
    """One engagement past retention: its id, the file to remove and its final date."""

    id: str
    path: Path
    closed: str


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months (the day clipped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def past_retention(
    folder: Path, engagements: Iterable[tuple[Loaded, Engagement]], before: date
) -> list[Expired]:
    """The engagements in a final state reached before ``before``, by id. Each path is the
    engagement's own file under ``folder/engagements/``, named after its id."""
    cutoff = before.isoformat()
    found: list[Expired] = []
    for _loaded, engagement in engagements:
        last = engagement.history[-1]
        if last.state in FINAL_STATES and last.date < cutoff:
            path = folder / ENGAGEMENTS_DIR / f"{engagement.id}.yml"
            found.append(Expired(engagement.id, path, last.date))
    return sorted(found, key=lambda e: engagement_order(e.id))


def remove(expired: Iterable[Expired]) -> list[str]:
    """Remove the listed files (and only them); the ids removed."""
    removed: list[str] = []
    for item in expired:
        if item.path.parent.name != ENGAGEMENTS_DIR or not item.path.is_file():
            continue
        item.path.unlink()
        removed.append(item.id)
    return removed
