"""A coach's group facilitation from the records (issue 15): every held session of the groups
the coach facilitates, with its planned length and how many members were present. ``hours``
logs it as group coaching, as ICF's coaching log counts it; ``activity`` counts it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coachdir.loader import Loaded
from coachdir.offerings.groups import Group
from coachdir.records.groups import Attendance


@dataclass(frozen=True)
class FacilitatedSession:
    group: str
    date: str
    minutes: int
    #: the membership ids present (never a client code)
    present: tuple[str, ...]


def facilitated(
    coach: str, groups: Sequence[Group], attendance: Mapping[str, tuple[Loaded, Attendance]]
) -> list[FacilitatedSession]:
    """The held sessions of every group ``coach`` facilitates, by date then group."""
    out = []
    for group in groups:
        if coach not in group.facilitators or group.id not in attendance:
            continue
        for sid, held in attendance[group.id][1].sessions.items():
            planned = group.session(sid)
            if held.status == "held" and planned is not None:
                out.append(
                    FacilitatedSession(group.id, planned.date, planned.minutes, held.present)
                )
    return sorted(out, key=lambda s: (s.date, s.group))
