"""The records' files have their own size caps: coach-units.yml holds a whole programme's
coaches (10,000 and more), an engagement file stays as small as a profile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from coachdir.loader import MAX_BYTES
from coachdir.programme import load_programme
from coachdir.records.files import load_records

REPO = Path(__file__).resolve().parents[1]
COACH_UNITS_MAX_BYTES = 4 * 1024 * 1024  # the documented cap (README, records format)
COACHES = [f"coach-{n:05d}" for n in range(10_000)]


def _units_text(coaches: list[str]) -> str:
    lines = ["schema_version: 1", "coaches:"]
    for n, coach in enumerate(coaches):
        manages = "true" if n % 3 == 0 else "false"
        lines += [f"  {coach}:", f"    unit: U1/U{20 + n}", f"    manages_unit: {manages}"]
    return "\n".join(lines) + "\n"


def test_coach_units_of_10000_coaches_load(tmp_path: Path) -> None:
    programme, _, _ = load_programme(REPO)
    assert programme is not None
    records = tmp_path / "records"
    records.mkdir()
    text = _units_text(COACHES)
    assert MAX_BYTES < len(text.encode()) < COACH_UNITS_MAX_BYTES
    (records / "coach-units.yml").write_text(text, encoding="utf-8")
    loaded = load_records(records, tmp_path, programme, COACHES)
    assert [(p.path, p.rule) for p in loaded.problems] == []
    assert len(loaded.coach_units) == 10_000
    assert loaded.coach_units["coach-09999"].unit == "U1/U10019"


def test_an_engagement_file_keeps_the_profile_cap(tmp_path: Path) -> None:
    programme, _, _ = load_programme(REPO)
    assert programme is not None
    engagements = tmp_path / "records" / "engagements"
    engagements.mkdir(parents=True)
    (engagements / "2026-0001.yml").write_text(
        "id: 2026-0001\nnote: " + "x" * MAX_BYTES + "\n", encoding="utf-8"
    )
    loaded = load_records(tmp_path / "records", tmp_path, programme, COACHES)
    assert [(p.path, p.rule) for p in loaded.problems] == [
        ("records/engagements/2026-0001.yml", "file.too-large")
    ]
    problem = loaded.problems[0]
    assert "64 KiB limit" in problem.message


def test_a_coach_units_file_beyond_its_cap_is_refused(tmp_path: Path) -> None:
    programme, _, _ = load_programme(REPO)
    assert programme is not None
    records = tmp_path / "records"
    records.mkdir()
    (records / "coach-units.yml").write_text(
        "schema_version: 1\n# " + "x" * COACH_UNITS_MAX_BYTES + "\n", encoding="utf-8"
    )
    loaded = load_records(records, tmp_path, programme, COACHES)
    assert [(p.rule, p.line, p.col) for p in loaded.problems] == [("file.too-large", 1, 1)]
    assert "4096 KiB limit" in loaded.problems[0].message
    assert "bio" not in loaded.problems[0].hint


def test_scaled_demo_records_map_every_coach() -> None:
    from coachdir.tools.demorecords import _Coach, _coach_units

    day = date(2026, 1, 1)
    coaches = [_Coach(c, [], [], [], day, day) for c in COACHES]
    text = _coach_units(coaches)
    assert len(text.encode()) > MAX_BYTES
    assert all(f"\n  {c}:\n" in text for c in COACHES)


def test_record_dataclasses_have_slots() -> None:
    """100,000 engagements hold about a million of these: with slots, no ``__dict__``, each is
    smaller (part of the records benchmark's memory margin)."""
    from coachdir.records.model import CoachUnit, Engagement, HistoryStep, Session, SupervisionEntry

    step = HistoryStep("requested", "2026-01-05")
    session = Session("2026-02-01", 60, "session", "held")
    engagement = Engagement(
        *("2026-0001", "C-AAAAAAAAAA", "permanent", "U1", False, "cohort-2026", "coaching"),
        *("leadership", "fr", "individual", "self", (), (step,), (session,)),
    )
    for record in (
        step,
        session,
        engagement,
        SupervisionEntry("2026-01-01", 90, "group"),
        CoachUnit("coach-1", "U1", False),
    ):
        assert not hasattr(record, "__dict__"), type(record).__name__
