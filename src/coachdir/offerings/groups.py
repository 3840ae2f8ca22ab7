"""Groups: ``groups/<id>.yml`` in the directory repository (co-development groups, or any
offer of kind ``group``). Loaded strictly, checked against ``schemas/group.schema.json``
specialised with the programme's vocabularies and the coach ids, then by the rules below, then
turned into :class:`Group`."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal, cast

from coachdir.loader import Loaded
from coachdir.offerings.files import at, load_entries
from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.schema import read_schema, schema_dir

GROUPS_DIR = "groups"
GROUP_SCHEMA = "group.schema.json"

#: the ids this module reports (the schema layer reports the rest)
PROBLEM_IDS = (
    "group.places",
    "group.session-id",
    "group.session-order",
    "group.facilitator-standing",
    "calendar.timezone",
)

#: what keeps a facilitator from leading a group (model.coach.standing_reason), in words
STANDING_WORDS = {
    "credential": "no verified qualifying credential today",
    "supervision": "supervision to renew",
    "charter": "the charter in force is not signed",
    "profile not valid": "their profile does not pass validation",
}

JoinMode = Literal["open", "approval", "assigned"]
GroupStatus = Literal["staged", "open", "full", "running", "closed"]


@dataclass(frozen=True)
class GroupSession:
    id: str
    date: str
    start: str
    minutes: int

    def starts(self, tz: zoneinfo.ZoneInfo) -> datetime:
        """The session's start as an aware datetime in the group's time zone."""
        hour, minute = (int(p) for p in self.start.split(":"))
        return datetime.combine(date.fromisoformat(self.date), time(hour, minute), tzinfo=tz)

    def ends(self, tz: zoneinfo.ZoneInfo) -> datetime:
        return self.starts(tz) + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Group:
    id: str
    path: str
    title: Mapping[str, str]
    scheme: str
    facilitators: tuple[str, ...]
    audience: Mapping[str, str]
    languages: tuple[str, ...]
    modality: str
    location: str
    places_min: int
    places_max: int
    join: JoinMode
    status: GroupStatus
    timezone: str
    sessions: tuple[GroupSession, ...]
    contract: Mapping[str, str] | None = None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def session(self, session_id: str) -> GroupSession | None:
        for s in self.sessions:
            if s.id == session_id:
                return s
        return None


def group_schema(programme: Programme, coach_ids: Sequence[str]) -> dict[str, Any]:
    """group.schema.json (the programme's own copy, else coachdir's) with the group offers,
    coach ids, languages and modalities filled in."""
    own = schema_dir(programme.root) / GROUP_SCHEMA
    schema = read_schema(own if own.is_file() else schema_dir() / GROUP_SCHEMA)
    props = schema["properties"]
    props["scheme"]["enum"] = programme.offers_of_kind("group") or ["(none)"]
    props["facilitators"]["items"]["enum"] = list(coach_ids) or ["(none)"]
    props["languages"]["items"]["enum"] = programme.vocabulary_ids("languages")
    props["modality"]["enum"] = programme.vocabulary_ids("modalities")
    return schema


def _rules(loaded: Loaded, standing: Mapping[str, str | None]) -> list[Problem]:
    data: dict[str, Any] = loaded.data or {}
    out: list[Problem] = []
    places = data["places"]
    if places["min"] > places["max"]:
        out.append(
            at(
                loaded,
                ("places", "min"),
                "places: min is more than max",
                "group.places",
                "Set min to at most max (co-development: at least 5, at most 8).",
            )
        )
    try:
        zoneinfo.ZoneInfo(data["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        out.append(
            at(
                loaded,
                ("timezone",),
                "timezone: not a known time zone, so session times have none",
                "calendar.timezone",
                "Write an IANA time zone name such as Europe/Paris, America/Cayenne or "
                "Indian/Reunion.",
            )
        )
    seen: set[str] = set()
    previous = ""
    for i, session in enumerate(data["sessions"]):
        if session["id"] in seen:
            out.append(
                at(
                    loaded,
                    ("sessions", i, "id"),
                    f"sessions[{i}].id: used twice in this group",
                    "group.session-id",
                    "Give each session its own id (s1, s2...): calendars update by it.",
                )
            )
        seen.add(session["id"])
        stamp = f"{session['date']}T{session['start']}"
        if stamp < previous:
            out.append(
                at(
                    loaded,
                    ("sessions", i, "date"),
                    f"sessions[{i}]: before the session listed above it",
                    "group.session-order",
                    "List the sessions in date and time order.",
                )
            )
        previous = max(previous, stamp)
    if data["status"] in ("open", "full", "running"):
        for i, coach in enumerate(data["facilitators"]):
            reason = standing.get(coach)
            if reason is not None:
                out.append(
                    at(
                        loaded,
                        ("facilitators", i),
                        f"facilitators[{i}]: coach '{coach}' is not in standing: "
                        f"{STANDING_WORDS.get(reason, reason)}",
                        "group.facilitator-standing",
                        "A facilitator needs a verified credential, recent supervision and the "
                        "charter in force signed; renew it, name another facilitator, or set "
                        "status: staged until then.",
                    )
                )
    return out


def build_group(loaded: Loaded) -> Group:
    data: dict[str, Any] = loaded.data or {}
    stem = Path(loaded.path).stem
    return Group(
        id=stem,
        path=loaded.path,
        title=dict(data["title"]),
        scheme=str(data["scheme"]),
        facilitators=tuple(data["facilitators"]),
        audience=dict(data["audience"]),
        languages=tuple(data["languages"]),
        modality=str(data["modality"]),
        location=str(data["location"]),
        places_min=int(data["places"]["min"]),
        places_max=int(data["places"]["max"]),
        join=cast(JoinMode, data["join"]),
        status=cast(GroupStatus, data["status"]),
        timezone=str(data["timezone"]),
        sessions=tuple(
            GroupSession(str(s["id"]), str(s["date"]), str(s["start"]), int(s["minutes"]))
            for s in data["sessions"]
        ),
        contract=dict(data["contract"]) if "contract" in data else None,
    )


def load_groups(
    root: Path,
    programme: Programme,
    coach_ids: Sequence[str],
    standing: Mapping[str, str | None] | None = None,
) -> tuple[list[Group], list[Problem]]:
    """Every group of ``root/groups/``, and every problem found. ``standing`` maps coach ids
    to what keeps them from taking a client today (``model.coach.standing_reason``; None when
    in standing); without it, the facilitators' standing is not checked."""
    schema = group_schema(programme, coach_ids)
    good, problems = load_entries(
        root, GROUPS_DIR, "group", schema, lambda loaded: _rules(loaded, standing or {})
    )
    return [build_group(loaded) for loaded in good], problems
