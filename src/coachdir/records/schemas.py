"""The records schemas, specialised at run time with the programme's vocabularies and the
directory's coach ids (as ``Programme.coach_schema`` does for profiles)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coachdir.programme import Programme
from coachdir.schema import read_schema, schema_dir

ENGAGEMENT_SCHEMA = "engagement.schema.json"
SUPERVISION_SCHEMA = "supervision.schema.json"
COACH_UNITS_SCHEMA = "coach-units.schema.json"


def _schema(programme: Programme, name: str) -> dict[str, Any]:
    """The programme's own copy of a records schema, else the one shipped with coachdir (a
    programme made before records has no records schemas)."""
    own: Path = schema_dir(programme.root) / name
    return read_schema(own if own.is_file() else schema_dir() / name)


def _ids(programme: Programme, vocabulary: str) -> list[str]:
    return programme.vocabulary_ids(vocabulary)


def engagement_schema(programme: Programme, coach_ids: Sequence[str]) -> dict[str, Any]:
    """engagement.schema.json with every vocabulary, cohort and coach id filled in."""
    schema = _schema(programme, ENGAGEMENT_SCHEMA)
    props = schema["properties"]
    props["contract_type"]["enum"] = _ids(programme, "contract_types")
    props["cohort"]["enum"] = [c.id for c in programme.cohorts]
    props["offer"]["enum"] = _ids(programme, "offers")
    props["expertise"]["enum"] = _ids(programme, "expertise")
    props["language"]["enum"] = _ids(programme, "languages")
    schema["$defs"]["coachId"]["enum"] = list(coach_ids)
    step = props["history"]["items"]["properties"]
    step["reason"]["enum"] = programme.end_reasons
    return schema


def supervision_schema(programme: Programme, coach_ids: Sequence[str]) -> dict[str, Any]:
    schema = _schema(programme, SUPERVISION_SCHEMA)
    schema["properties"]["coach"]["enum"] = list(coach_ids)
    return schema


def coach_units_schema(programme: Programme, coach_ids: Sequence[str]) -> dict[str, Any]:
    """coach-units.schema.json with one named property per coach id (so an unknown id is an
    unknown field, with a suggestion) and no other."""
    schema = _schema(programme, COACH_UNITS_SCHEMA)
    coaches = schema["properties"]["coaches"]
    entry = coaches.pop("additionalProperties")
    coaches.pop("propertyNames", None)
    coaches["properties"] = {coach: entry for coach in coach_ids}
    coaches["additionalProperties"] = False
    return schema
