"""Validation of a records folder: load every record (strict loader + schema), then run the
records rules. Never cached: records change often and are few per programme."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.layout import COACHES_DIR
from coachdir.loader import load_file
from coachdir.offerings.groups import load_groups
from coachdir.offerings.immersions import load_immersions
from coachdir.problems import Problem
from coachdir.programme import Programme
from coachdir.records.files import Records, load_records
from coachdir.records.rules import RecordContext, run


def _profiles(root: Path, coach_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The data of each coach's profile that loads (the records rules read capacity,
    supervision, credentials, charter and name; the profiles' own problems are reported by
    the directory's validation)."""
    out: dict[str, dict[str, Any]] = {}
    for coach in coach_ids:
        path = root / COACHES_DIR / f"{coach}.yml"
        loaded = load_file(str(path), f"{COACHES_DIR}/{path.name}")
        if loaded.data is not None:
            out[coach] = loaded.data
    return out


def check_records(
    folder: Path, root: Path, programme: Programme, coach_ids: Sequence[str], today: date
) -> tuple[list[Problem], Records]:
    """The problems of every record under ``folder``, and the records as loaded (their
    ``files`` is the number of record files read), so a caller need not load them again."""
    records = load_records(folder, root, programme, coach_ids)
    problems = list(records.problems)
    # the offers' and groups' own problems are the directory's (coachdir validate reports them
    # there); an offer or a group that does not load is unknown to the records
    offers, _ = load_immersions(root, programme)
    groups = {g.id: g for g in load_groups(root, programme, coach_ids)[0]}
    context = RecordContext(
        programme,
        today,
        tuple(coach_ids),
        _profiles(root, coach_ids),
        {offer.id: offer for offer in offers},
        groups=groups,
    )
    problems.extend(run(records, context))
    return problems, records
