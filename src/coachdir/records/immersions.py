"""Immersion records: ``records/immersions/<YYYY-NNNN>.yml``, one request for a professional
immersion period (décret n° 2016-1732 as amended by décret n° 2022-1043, section "Période
d'immersion professionnelle", art. 12 to 13-2; service-public.fr F36642) and its answer.

The folder is scanned by ``records.files.load_records`` with the helpers every records folder
uses (misnamed files are problems, the same strict loader and size cap); this module holds the
format: the schema, specialised with the programme's vocabularies, and the typed record. The
rules are in ``records/rules/immersion.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coachdir.programme import Programme
from coachdir.schema import read_schema, schema_dir

IMMERSION_RECORD_SCHEMA = "immersion-record.schema.json"
#: what the file names of records/immersions/ look like, as messages say it
FILE_FORM = "YYYY-NNNN.yml"
DECISIONS = ("accepted", "refused", "postponed")
#: the decisions that must give a reason code
REASONED = frozenset({"refused", "postponed"})


@dataclass(frozen=True, slots=True)
class Answer:
    """The line manager's answer: its day, the decision and (refused or postponed) a reason."""

    date: str
    decision: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ImmersionRecord:
    """``records/immersions/<id>.yml``: one immersion request and what became of it."""

    id: str
    offer: str
    client: str
    contract_type: str
    unit: str
    requested: str
    days: tuple[str, ...]
    short_notice_agreed: bool = False
    answer: Answer | None = None

    @property
    def accepted(self) -> bool:
        """Whether the request was accepted (its days count towards the 3-year cap)."""
        return self.answer is not None and self.answer.decision == "accepted"

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ImmersionRecord:
        """Built from schema-valid data only."""
        answer = data.get("answer")
        return cls(
            id=data["id"],
            offer=data["offer"],
            client=data["client"],
            contract_type=data["contract_type"],
            unit=data["unit"],
            requested=data["requested"],
            days=tuple(data["days"]),
            short_notice_agreed=bool(data.get("short_notice_agreed", False)),
            answer=None if answer is None else Answer(**answer),
        )


def immersion_record_schema(programme: Programme) -> dict[str, Any]:
    """immersion-record.schema.json with the contract types and the reason codes filled in:
    the programme's own copy, else the one shipped with coachdir."""
    own = schema_dir(programme.root) / IMMERSION_RECORD_SCHEMA
    schema = read_schema(own if own.is_file() else schema_dir() / IMMERSION_RECORD_SCHEMA)
    props = schema["properties"]
    props["contract_type"]["enum"] = programme.vocabulary_ids("contract_types")
    props["answer"]["properties"]["reason"]["enum"] = programme.immersion_reasons
    return schema
