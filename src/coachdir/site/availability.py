"""Reading ``availability.json`` (free places per coach id, optionally per group id, and the
day computed) for the build: through the strict loader and ``availability.schema.json``, so a
malformed file is a build error with its position. The site reads this file only, never the
records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.loader import load_file
from coachdir.problems import CoachdirError, Problem, has_errors
from coachdir.schema import SchemaChecker, read_schema
from coachdir.tools.sample import sample_root

AVAILABILITY_FILE = "availability.json"


@dataclass(frozen=True)
class Places:
    free: int
    capacity: int


@dataclass(frozen=True)
class GroupPlaces:
    """A group's free places today and its places.max."""

    free: int
    places: int


@dataclass(frozen=True)
class Availability:
    computed: str
    coaches: dict[str, Places]
    #: group id -> its places (empty when the file has no ``groups``, as before groups)
    groups: dict[str, GroupPlaces] = field(default_factory=dict)

    def stale(self, today: date, max_age_days: int) -> bool:
        """Older than ``max_age_days`` on ``today``."""
        return (today - date.fromisoformat(self.computed)).days > max_age_days


def availability_schema() -> dict[str, Any]:
    """coachdir's own ``schemas/availability.schema.json`` (a machine file's contract, so
    never a programme's copy)."""
    return read_schema(sample_root() / "schemas" / "availability.schema.json")


def read_availability(
    root: Path, coach_ids: set[str], group_ids: set[str] | None = None
) -> Availability | None:
    """The availability file of ``root``, or None when there is none. Raises CoachdirError
    (with file:line:col) when it is malformed, names a coach with no profile, or (when
    ``group_ids`` is given) a group the directory does not have, or gives a group more free
    places than it has."""
    path = root / AVAILABILITY_FILE
    if not path.exists() and not path.is_symlink():
        return None
    loaded = load_file(str(path), AVAILABILITY_FILE)
    problems: list[Problem] = list(loaded.problems)
    if loaded.data is not None and not has_errors(problems):
        problems += SchemaChecker(availability_schema(), name="availability").check(loaded)
    if has_errors(problems) or loaded.data is None:
        raise CoachdirError(problems)
    data: dict[str, Any] = loaded.data
    unknown = sorted(set(data["coaches"]) - coach_ids)
    for cid in unknown:
        line, col = loaded.where(("coaches", cid))
        problems.append(
            Problem(
                AVAILABILITY_FILE,
                line,
                col,
                "coaches: names a coach with no profile",
                "availability.unknown-coach",
                "Run coachdir availability again with the current profiles.",
            )
        )
    groups: dict[str, Any] = data.get("groups", {})
    for gid in sorted(groups):
        line, col = loaded.where(("groups", gid))
        if group_ids is not None and gid not in group_ids:
            problems.append(
                Problem(
                    AVAILABILITY_FILE,
                    line,
                    col,
                    "groups: names a group the directory does not have",
                    "availability.unknown-group",
                    "Run coachdir availability again with the current groups/.",
                )
            )
        if groups[gid]["free"] > groups[gid]["places"]:
            line, col = loaded.where(("groups", gid, "free"))
            problems.append(
                Problem(
                    AVAILABILITY_FILE,
                    line,
                    col,
                    "free: more free places than the group has",
                    "availability.group-places",
                    "Run coachdir availability again; do not edit the file by hand.",
                )
            )
    try:
        date.fromisoformat(data["computed"])
    except ValueError:
        line, col = loaded.where(("computed",))
        problems.append(
            Problem(
                AVAILABILITY_FILE,
                line,
                col,
                "computed: is not a real day",
                "availability.date",
                "Write the day as YYYY-MM-DD, or run coachdir availability again.",
            )
        )
    if problems:
        raise CoachdirError(problems)
    return Availability(
        data["computed"],
        {cid: Places(p["free"], p["capacity"]) for cid, p in data["coaches"].items()},
        {gid: GroupPlaces(p["free"], p["places"]) for gid, p in groups.items()},
    )


def places_by_coach(
    availability: Availability | None, strings: dict[str, dict[str, str]]
) -> dict[str, dict[str, Any]] | None:
    """Per coach id, per language: ``{"text": "2 of 3 places free" | "full", "full": bool}``."""
    if availability is None:
        return None
    out: dict[str, dict[str, Any]] = {}
    for cid, p in availability.coaches.items():
        out[cid] = {}
        for lang, t in strings.items():
            text = (
                t["places_full"]
                if p.free == 0
                else t["places_free"]
                .replace("{free}", str(p.free))
                .replace("{capacity}", str(p.capacity))
            )
            out[cid][lang] = {"text": text, "full": p.free == 0}
    return out
