"""Shared by the tests of activity, hours and contract: the demo records, loaded through the
package's strict loader, and the raw YAML read independently of it (for hand counts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from coachdir.programme import Programme, load_programme
from coachdir.records.files import load_records
from coachdir.records.model import Engagement, SupervisionEntry
from conftest import ROOT


def demo() -> tuple[Programme, list[Engagement], dict[str, tuple[SupervisionEntry, ...]]]:
    programme, _, problems = load_programme(ROOT)
    assert programme is not None, problems
    coach_ids = sorted(p.stem for p in (ROOT / "coaches").glob("*.yml"))
    records = load_records(ROOT / "records", ROOT, programme, coach_ids)
    assert not records.problems
    supervision = {coach: entries for coach, (_, entries) in records.supervision.items()}
    return programme, [e for _, e in records.engagements], supervision


def raw_engagements() -> list[dict[str, Any]]:
    """Every demo engagement file as plain YAML (no coachdir code)."""
    folder = ROOT / "records" / "engagements"
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))]


def coaches_dir() -> Path:
    return ROOT / "coaches"
