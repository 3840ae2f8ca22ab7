"""Records at scale: the rules' work grows with the records, not with records x coaches, and
the benchmark's scaled demo records are valid under every rule, with every state."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

from coachdir.loader import Loaded
from coachdir.programme import load_programme
from coachdir.records.files import Records
from coachdir.records.rules import pii
from coachdir.records.rules.base import RecordContext

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)


def _calls(run: Any) -> int:
    """How many Python function calls (and generator resumptions) ``run()`` makes."""
    count = 0

    def profile(_frame: FrameType, event: str, _arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def _pii_context(coaches: int) -> RecordContext:
    programme, _, problems = load_programme(REPO)
    assert programme is not None, problems
    profiles: dict[str, dict[str, Any]] = {
        f"coach-{n}": {"name": f"Alix Nom{n} Sample"} for n in range(coaches)
    }
    return RecordContext(programme, TODAY, tuple(profiles), profiles)


def test_pii_name_scan_does_not_compare_each_value_with_each_coach() -> None:
    values = {f"field{n}": f"U3/U{n}/U{1000 + n}" for n in range(300)}
    values["extra"] = "with alix nom1234 sample inside"
    records = Records(scanned=[Loaded("records/engagements/2026-0001.yml", values)])
    found: list[str] = []
    small, large = _pii_context(100), _pii_context(4000)
    calls_small = _calls(lambda: found.extend(p.rule for p in pii.check(records, small)))
    calls_large = _calls(lambda: found.extend(p.rule for p in pii.check(records, large)))
    assert found == ["pii.name"]  # only the 4,000-coach directory has coach 1234
    # 3,900 more coaches cost a fixed amount each (folding the name once), never once per
    # value: comparing 301 values with each name would take over a million calls more.
    assert calls_large - calls_small < 3900 * 40, (calls_small, calls_large)


def test_loaded_records_keep_their_positions_packed_until_a_rule_reports(tmp_path: Path) -> None:
    import shutil

    from coachdir.records.files import load_records

    programme, _, _ = load_programme(REPO)
    assert programme is not None
    shutil.copytree(REPO / "records", tmp_path / "records")
    coach_ids = sorted(p.stem for p in (REPO / "coaches").glob("*.yml"))
    records = load_records(tmp_path / "records", tmp_path, programme, coach_ids)
    assert records.engagements and not records.problems
    for loaded in records.scanned:
        # a large records folder holds one Loaded per file: its position tables stay packed
        assert not loaded.values and not loaded.keys, loaded.path
    (first, _), (second, _) = records.engagements[:2]
    line, _col = first.where(("history", 0, "date"))  # unpacked on first use
    assert line > 1 and first.values
    assert first.where(("history", 0, "date"), key=True)[0] == line
    # the strings repeated from file to file (keys, states) are one object each
    first_step, second_step = first.data["history"][0], second.data["history"][0]  # type: ignore[index]
    assert first_step["state"] is second_step["state"]
    assert next(iter(first_step)) is next(iter(second_step))


def test_scaled_demo_records_use_every_state_and_are_valid(tmp_path: Path) -> None:
    import yaml

    from coachdir.records.model import STATES
    from coachdir.tools.demorecords import generate_scaled_records, write_records
    from coachdir.validation.engine import validate

    programme, _, _ = load_programme(REPO)
    assert programme is not None
    files = generate_scaled_records(REPO, programme, 400)
    assert files == generate_scaled_records(REPO, programme, 400)  # deterministic
    write_records(tmp_path / "records", files)
    report = validate(REPO, today=TODAY, records=tmp_path / "records")
    assert not [p for p in report.problems if "records" in p.path], [
        (p.path, p.rule) for p in report.problems if "records" in p.path
    ][:5]
    reached: set[str] = set()
    sessions = 0
    for rel, text in files.items():
        if rel.startswith("engagements/"):
            data = yaml.safe_load(text)
            reached |= {step["state"] for step in data["history"]}
            sessions += sum(s["kind"] == "session" for s in data.get("sessions", []))
    assert reached == set(STATES)
    assert sessions > 250  # plan sessions, beyond the intros
    assert "coach-units.yml" in files
    assert any(rel.startswith("supervision/") for rel in files)


def test_scaled_demo_records_spread_over_the_entities() -> None:
    """Every entity with a unit code gets clients, and some fall outside them (other): the
    scaled indicators' entity tables are not degenerate."""
    import yaml

    from coachdir.programme import OTHER_ENTITY, client_entity
    from coachdir.tools.demorecords import generate_scaled_records

    programme, _, _ = load_programme(REPO)
    assert programme is not None
    units = programme.entity_units()
    counts: dict[str, int] = {}
    offers: set[str] = set()
    for rel, text in generate_scaled_records(REPO, programme, 200).items():
        if rel.startswith("engagements/"):
            data = yaml.safe_load(text)
            entity = client_entity(data["unit"], units)
            counts[entity] = counts.get(entity, 0) + 1
            offers.add(data["offer"])
    assert set(counts) == {*units, OTHER_ENTITY}
    assert max(counts.values()) < 200 / 3
    assert offers <= set(programme.offers_of_kind("coaching", "mentoring"))
