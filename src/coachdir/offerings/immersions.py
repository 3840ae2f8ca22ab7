"""Immersion offers: ``immersions/<id>.yml`` in the directory repository, the professional
immersion periods public hosts offer (décret n° 2016-1732 as amended by décret n° 2022-1043,
section "Période d'immersion professionnelle", art. 12 to 13-2: 2 to 10 working days)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from coachdir.loader import Loaded
from coachdir.offerings.files import at, load_entries
from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.schema import read_schema, schema_dir

IMMERSIONS_DIR = "immersions"
IMMERSION_SCHEMA = "immersion.schema.json"
#: the decree's bounds on one immersion period, in working days
MIN_DAYS = 2
MAX_DAYS = 10

PROBLEM_IDS = ("immersion.days-order", "immersion.period-order")


@dataclass(frozen=True)
class Period:
    start: str
    end: str


@dataclass(frozen=True)
class ImmersionOffer:
    id: str
    path: str
    title: Mapping[str, str]
    host: Mapping[str, str]
    unit: Mapping[str, str]
    functions: tuple[Mapping[str, str], ...]
    location: str
    periods: tuple[Period, ...]
    days_min: int
    days_max: int
    languages: tuple[str, ...]
    contact_role: Mapping[str, str]
    status: Literal["open", "closed"]


def immersion_schema(programme: Programme) -> dict[str, Any]:
    own = schema_dir(programme.root) / IMMERSION_SCHEMA
    schema = read_schema(own if own.is_file() else schema_dir() / IMMERSION_SCHEMA)
    schema["properties"]["languages"]["items"]["enum"] = programme.vocabulary_ids("languages")
    return schema


def _rules(loaded: Loaded) -> list[Problem]:
    data: dict[str, Any] = loaded.data or {}
    out: list[Problem] = []
    if data["days"]["min"] > data["days"]["max"]:
        out.append(
            at(
                loaded,
                ("days", "min"),
                "days: min is more than max",
                "immersion.days-order",
                f"Set min to at most max; both from {MIN_DAYS} to {MAX_DAYS} working days.",
            )
        )
    for i, period in enumerate(data["periods"]):
        if period["from"] > period["to"]:
            out.append(
                at(
                    loaded,
                    ("periods", i, "to"),
                    f"periods[{i}]: ends before it starts",
                    "immersion.period-order",
                    "Write the first day in 'from' and the last day in 'to'.",
                )
            )
    return out


def build_immersion(loaded: Loaded) -> ImmersionOffer:
    data: dict[str, Any] = loaded.data or {}
    return ImmersionOffer(
        id=Path(loaded.path).stem,
        path=loaded.path,
        title=dict(data["title"]),
        host=dict(data["host"]),
        unit=dict(data["unit"]),
        functions=tuple(dict(f) for f in data["functions"]),
        location=str(data["location"]),
        periods=tuple(Period(str(p["from"]), str(p["to"])) for p in data["periods"]),
        days_min=int(data["days"]["min"]),
        days_max=int(data["days"]["max"]),
        languages=tuple(data["languages"]),
        contact_role=dict(data["contact_role"]),
        status=cast(Literal["open", "closed"], data["status"]),
    )


def load_immersions(root: Path, programme: Programme) -> tuple[list[ImmersionOffer], list[Problem]]:
    """Every immersion offer of ``root/immersions/``, and every problem found."""
    good, problems = load_entries(
        root, IMMERSIONS_DIR, "immersion offer", immersion_schema(programme), _rules
    )
    return [build_immersion(loaded) for loaded in good], problems
