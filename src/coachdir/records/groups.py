"""Group records: ``groups/<group-id>/G-YYYY-NNNN.yml`` (one membership each) and
``groups/<group-id>/attendance.yml`` (who was present at each session) under the records
folder, for the groups of the directory repository (``groups/<group-id>.yml``,
:mod:`coachdir.offerings.groups`).

The membership state machine is data, as the engagement one is (:mod:`coachdir.records.model`):
``requested`` -> ``accepted`` | ``declined``; ``accepted`` -> ``active`` | ``left``; ``active``
-> ``completed`` | ``left``. A membership holds one of the group's places from its first
``accepted`` (or ``active``) step up to the day of ``left`` or ``completed``.

Files are found, loaded and checked as :mod:`coachdir.records.files` does for engagements (its
scanning and loading helpers are handed in as :class:`LoadTools`, so this module does not
import it): misnamed files and folders, links and non-regular files are problems, never skipped.
Whether the group exists in the directory is a rule (``group.unknown-group``), since the loader
is not given the directory's groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.schema import SchemaChecker, read_schema, schema_dir
from coachdir.text import ID_PATTERN

MEMBERSHIP_SCHEMA = "group-membership.schema.json"
ATTENDANCE_SCHEMA = "group-attendance.schema.json"
ATTENDANCE_FILE = "attendance.yml"
#: a membership id: G-, the request's year, a hyphen and its sequence number in that year
MEMBERSHIP_ID_PATTERN = "G-[0-9]{4}-(?:[0-9]{4}|[1-9][0-9]{4,6})"
MEMBERSHIP_ID = re.compile(rf"^{MEMBERSHIP_ID_PATTERN}$")
_STEM = re.compile(rf"^(?:{MEMBERSHIP_ID_PATTERN}|attendance)$")

#: every membership state, in the order of a typical membership
MEMBERSHIP_STATES: tuple[str, ...] = (
    "requested",
    "accepted",
    "declined",
    "active",
    "left",
    "completed",
)
#: the state every membership history starts with
MEMBERSHIP_FIRST = "requested"
#: state -> the states that may follow it
MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"accepted", "declined"}),
    "accepted": frozenset({"active", "left"}),
    "active": frozenset({"completed", "left"}),
}
#: states after which nothing may follow
MEMBERSHIP_FINAL: frozenset[str] = frozenset({"declined", "left", "completed"})
#: the states from which a membership holds one of the group's places
HOLDING_STATES: frozenset[str] = frozenset({"accepted", "active"})
SESSION_STATUSES = ("held", "cancelled")


@dataclass(frozen=True, slots=True)
class MembershipStep:
    state: str
    date: str


@dataclass(frozen=True, slots=True)
class Membership:
    """``records/groups/<group>/<id>.yml``: one request to join a group and what became of it."""

    id: str
    group: str
    client: str
    contract_type: str
    unit: str
    manages_unit: bool
    history: tuple[MembershipStep, ...]

    @property
    def state(self) -> str:
        return self.history[-1].state

    def holding(self, today: date) -> tuple[int, str, str] | None:
        """``(index, start, end)``: the half-open span ``[start, end)`` of days on which the
        membership holds a place (an open one holds it through today); None when it never
        held one. The day of ``left`` or ``completed`` frees the place."""
        begin = next(
            ((i, s.date) for i, s in enumerate(self.history) if s.state in HOLDING_STATES), None
        )
        if begin is None:
            return None
        last = self.history[-1]
        tomorrow = (today + timedelta(days=1)).isoformat()
        end = last.date if last.state in MEMBERSHIP_FINAL else tomorrow
        return begin[0], begin[1], max(end, begin[1])

    def holds_on(self, day: str, today: date) -> bool:
        span = self.holding(today)
        return span is not None and span[1] <= day < span[2]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Membership:
        """Built from schema-valid data only."""
        return cls(
            id=data["id"],
            group=data["group"],
            client=data["client"],
            contract_type=data["contract_type"],
            unit=data["unit"],
            manages_unit=bool(data["manages_unit"]),
            history=tuple(MembershipStep(s["state"], s["date"]) for s in data["history"]),
        )


@dataclass(frozen=True, slots=True)
class SessionAttendance:
    status: str
    present: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Attendance:
    """``records/groups/<group>/attendance.yml``."""

    group: str
    sessions: dict[str, SessionAttendance]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Attendance:
        return cls(
            group=data["group"],
            sessions={
                sid: SessionAttendance(s["status"], tuple(s["present"]))
                for sid, s in data["sessions"].items()
            },
        )


@dataclass
class GroupRecords:
    """What was found under ``groups/`` of a records folder (the files that loaded and passed
    their schema)."""

    memberships: list[tuple[Loaded, Membership]] = field(default_factory=list)
    #: group id -> its attendance file
    attendance: dict[str, tuple[Loaded, Attendance]] = field(default_factory=dict)
    files: int = 0

    def of_group(self, group: str) -> list[tuple[Loaded, Membership]]:
        return [(loaded, m) for loaded, m in self.memberships if m.group == group]


Scan = Callable[
    [Path, str, re.Pattern[str] | None, str], tuple[list[tuple[Path, str]], list[Problem]]
]
Load = Callable[[Path, str, SchemaChecker, list[Problem], list[Loaded]], Loaded | None]


@dataclass(frozen=True)
class LoadTools:
    """The helpers of :mod:`coachdir.records.files` this loader reuses: its ``_scan`` of one
    records subfolder, its strict ``_load`` + schema check, its whole-file problem and its
    refusal of links."""

    scan: Scan
    load: Load
    file_problem: Callable[[str, str, str, str], Problem]
    link_problem: Callable[[str, str], Problem]


def _schema(programme: Programme, name: str) -> dict[str, Any]:
    own: Path = schema_dir(programme.root) / name
    return read_schema(own if own.is_file() else schema_dir() / name)


def membership_schema(programme: Programme) -> dict[str, Any]:
    """group-membership.schema.json with the programme's contract types filled in."""
    schema = _schema(programme, MEMBERSHIP_SCHEMA)
    schema["properties"]["contract_type"]["enum"] = programme.vocabulary_ids("contract_types")
    return schema


def attendance_schema(programme: Programme) -> dict[str, Any]:
    return _schema(programme, ATTENDANCE_SCHEMA)


def _mismatch(loaded: Loaded, key: str, expected: str, where: str) -> Problem | None:
    if (loaded.data or {}).get(key) == expected:
        return None
    line, col = loaded.where((key,))
    return Problem(
        loaded.path,
        line,
        col,
        f"{key}: does not match the {where}",
        "records.id-mismatch",
        f"'{key}:' must equal the {where} ({expected}); move or rename the file, or fix '{key}:'.",
    )


def _group_folders(folder: Path, base: str, tools: LoadTools) -> tuple[list[Path], list[Problem]]:
    """The ``<group-id>/`` folders of ``groups/``; anything else in it is a problem."""
    found: list[Path] = []
    problems: list[Problem] = []
    if folder.is_symlink():
        return found, [tools.link_problem(f"{base}/", "group record")]
    if not folder.is_dir():
        return found, problems
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        rel = f"{base}/{entry.name}"
        if entry.is_symlink():
            problems.append(tools.link_problem(rel, "group record"))
        elif not entry.is_dir():
            if entry.name in ("README.md", ".gitkeep"):
                continue
            problems.append(
                tools.file_problem(
                    rel,
                    f"only group folders belong in {base}/",
                    "records.file-name",
                    f"Put each group's records in {base}/<group-id>/, the group id of "
                    "groups/<group-id>.yml in the directory repository; move or remove this.",
                )
            )
        elif ID_PATTERN.fullmatch(entry.name) is None:
            problems.append(
                tools.file_problem(
                    f"{rel}/",
                    "this folder name is not a group id",
                    "records.file-name",
                    "Name the folder after the group id (lower-case letters and digits joined "
                    "by '-'), as groups/<group-id>.yml in the directory repository.",
                )
            )
        else:
            found.append(entry)
    return found, problems


def load_group_records(
    folder: Path,
    base: str,
    programme: Programme,
    tools: LoadTools,
    problems: list[Problem],
    scanned: list[Loaded],
) -> GroupRecords:
    """Every group record under ``folder`` (``<records>/groups``, shown as ``base``): problems
    are appended to ``problems``, every file that loaded as YAML to ``scanned``."""
    out = GroupRecords()
    membership_checker = SchemaChecker(
        membership_schema(programme), name="group-membership", echo=False
    )
    attendance_checker = SchemaChecker(
        attendance_schema(programme), name="group-attendance", echo=False
    )
    groups, found = _group_folders(folder, base, tools)
    problems.extend(found)
    for group in groups:
        files, found = tools.scan(
            group, f"{base}/{group.name}", _STEM, f"G-YYYY-NNNN.yml or {ATTENDANCE_FILE}"
        )
        problems.extend(found)
        out.files += len(files)
        for path, rel in files:
            attendance = path.name == ATTENDANCE_FILE
            checker = attendance_checker if attendance else membership_checker
            loaded = tools.load(path, rel, checker, problems, scanned)
            if loaded is None:
                continue
            wrong = _mismatch(loaded, "group", group.name, "folder name")
            if wrong is None and not attendance:
                wrong = _mismatch(loaded, "id", path.stem, "file name")
            if wrong is not None:
                problems.append(wrong)
                continue
            data = loaded.data or {}
            if attendance:
                out.attendance[group.name] = (loaded, Attendance.from_data(data))
            else:
                out.memberships.append((loaded, Membership.from_data(data)))
    return out
