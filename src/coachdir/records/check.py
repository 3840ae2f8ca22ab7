"""Validation of a records folder: load every record (strict loader + schema), then run the
records rules. Never cached: records change often and are few per programme."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.records.files import load_records
from coachdir.records.rules import RecordContext, run


def check_records(
    folder: Path, root: Path, programme: Programme, coach_ids: Sequence[str], today: date
) -> tuple[list[Problem], int]:
    """The problems of every record under ``folder`` and the number of record files read."""
    records = load_records(folder, root, programme, coach_ids)
    problems = list(records.problems)
    problems.extend(run(records, RecordContext(programme, today, tuple(coach_ids))))
    return problems, records.files
