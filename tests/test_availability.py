"""Availability: the free places per coach today, from profiles and active engagements, and
the availability.json that `coachdir availability` writes (nothing but ids, numbers, a date)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import yaml

from coachdir.records.availability import (
    CoachPlaces,
    active_on,
    availability_json,
    compute_availability,
)
from coachdir.records.model import Engagement, HistoryStep
from conftest import ROOT, run_cli


def _engagement(coach: str, *steps: tuple[str, str]) -> Engagement:
    return Engagement(
        id="2026-0001",
        client="C-AAAAAAAAAA",
        contract_type="civil-servant",
        unit="U1",
        manages_unit=False,
        cohort="c1",
        offer="coaching",
        expertise="x",
        language="fr",
        kind="individual",
        initiated_by="self",
        preferences=(coach,),
        history=tuple(HistoryStep(s, d) for s, d in steps),
        coach=coach,
    )


def test_active_on_counts_from_active_until_the_end() -> None:
    e = _engagement(
        "a", ("requested", "2026-01-01"), ("active", "2026-02-01"), ("completed", "2026-06-01")
    )
    assert not active_on(e, "2026-01-31")
    assert active_on(e, "2026-02-01") and active_on(e, "2026-05-31")
    assert not active_on(e, "2026-06-01")


def test_free_places_capacity_minus_active_and_zero_when_not_accepting() -> None:
    engagements = [
        _engagement("a", ("requested", "2026-01-01"), ("active", "2026-02-01")),
        _engagement(
            "a", ("requested", "2026-01-01"), ("active", "2026-03-01"), ("ended", "2026-03-05")
        ),
        _engagement("b", ("requested", "2026-01-01"), ("intro", "2026-01-02")),
        _engagement("c", ("requested", "2026-01-01"), ("active", "2026-02-01")),
        _engagement("c", ("requested", "2026-01-01"), ("active", "2026-02-01")),
    ]
    coaches = [
        CoachPlaces("b", 2, True),
        CoachPlaces("a", 3, True),
        CoachPlaces("p", 2, False),
        CoachPlaces("c", 1, True),
    ]
    doc = compute_availability(coaches, engagements, date(2026, 4, 1))
    assert doc == {
        "computed": "2026-04-01",
        "coaches": {
            "a": {"free": 2, "capacity": 3},
            "b": {"free": 2, "capacity": 2},
            "c": {"free": 0, "capacity": 1},
            "p": {"free": 0, "capacity": 2},
        },
    }
    assert list(json.loads(availability_json(doc))["coaches"]) == ["a", "b", "c", "p"]


def _repo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", "site", "tests"))
    return root


def test_cli_writes_availability_json_with_ids_numbers_and_the_date_only(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    result = run_cli("availability", "--root", str(root), "--records", str(root / "records"))
    assert result.returncode == 0, result.stderr
    doc = json.loads((root / "availability.json").read_text(encoding="utf-8"))
    # the sample has groups: their free places come after the coaches' (tests/test_group_records)
    assert set(doc) == {"computed", "coaches", "groups"} and doc["computed"] == "2026-11-22"
    profiles = sorted(p.stem for p in (root / "coaches").glob("*.yml"))
    assert sorted(doc["coaches"]) == profiles
    for cid, places in doc["coaches"].items():
        assert set(places) == {"free", "capacity"}
        profile = yaml.safe_load((root / "coaches" / f"{cid}.yml").read_text(encoding="utf-8"))
        assert places["capacity"] == profile["capacity"]
        assert 0 <= places["free"] <= places["capacity"]
        if profile["status"] != "accepting":
            assert places["free"] == 0
    assert any(p["free"] < p["capacity"] for p in doc["coaches"].values())
    text = (root / "availability.json").read_text(encoding="utf-8")
    for record in (root / "records" / "engagements").glob("*.yml"):
        data = yaml.safe_load(record.read_text(encoding="utf-8"))
        assert data["id"] not in text and data["client"] not in text and data["unit"] not in text


def test_cli_out_and_refusal_of_invalid_records(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    committed = root / "availability.json"  # the sample's own file, if the copy has one
    before = committed.read_bytes() if committed.exists() else None
    out = tmp_path / "a.json"
    result = run_cli("availability", "--root", str(root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert (committed.read_bytes() if committed.exists() else None) == before  # untouched
    record = root / "records" / "engagements" / "2025-0001.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace('"civil-servant"', '"apprentice"').replace('"contract-staff"', '"apprentice"'),
        encoding="utf-8",
    )
    out.unlink()
    result = run_cli("availability", "--root", str(root), "--out", str(out))
    assert result.returncode == 1
    assert "records/engagements/2025-0001.yml:" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_cli_missing_records_folder_is_a_usage_error(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    result = run_cli("availability", "--root", str(root), "--records", str(tmp_path / "nope"))
    assert result.returncode == 2 and "no such records folder" in result.stderr


def test_site_build_shows_places_from_availability_json(tmp_path: Path) -> None:
    from coachdir.site.build import build_site

    root = _repo_copy(tmp_path)
    assert run_cli("availability", "--root", str(root)).returncode == 0
    doc = json.loads((root / "availability.json").read_text(encoding="utf-8"))
    full = next(c for c, p in doc["coaches"].items() if p["free"] == 0)
    free = next((c, p) for c, p in doc["coaches"].items() if p["free"] > 0)
    build_site(root, site_dir=root / "site", today=date(2026, 11, 22))
    page = (root / "site" / "en" / "coaches" / full / "index.html").read_text(encoding="utf-8")
    assert '<p class="cd-places">full</p>' in page
    page = (root / "site" / "en" / "coaches" / free[0] / "index.html").read_text(encoding="utf-8")
    want = f"{free[1]['free']} of {free[1]['capacity']} places free"
    assert f'<p class="cd-places">{want}</p>' in page
    directory = (root / "site" / "en" / "directory" / "index.html").read_text(encoding="utf-8")
    assert f'<dd class="cd-places">{want}</dd>' in directory


def test_site_build_refuses_a_malformed_availability_file(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    (root / "availability.json").write_text('{"computed": "2026-11-22", "coaches": {"x": 1}}\n')
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    assert "availability.json:1:" in result.stderr and "Traceback" not in result.stderr
