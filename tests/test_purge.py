"""Retention: `coachdir records purge` lists the closed engagements past retention and removes
only those files, only when confirmed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from coachdir.records.model import FINAL_STATES
from coachdir.records.purge import months_before
from conftest import ROOT, run_cli


def _repo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", "site", "tests"))
    return root


def _closed_before(root: Path, day: str) -> set[str]:
    out = set()
    for path in (root / "records" / "engagements").glob("*.yml"):
        last = yaml.safe_load(path.read_text(encoding="utf-8"))["history"][-1]
        if last["state"] in FINAL_STATES and last["date"] < day:
            out.add(path.stem)
    return out


def test_months_before_clips_the_day() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)
    assert months_before(date(2026, 11, 22), 60) == date(2021, 11, 22)


def test_purge_lists_without_removing_unless_yes(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    expected = _closed_before(root, "2026-01-01")
    assert 2 <= len(expected) < len(list((root / "records" / "engagements").glob("*.yml")))
    before = sorted(p.name for p in (root / "records" / "engagements").iterdir())
    result = run_cli("records", "purge", "--root", str(root), "--before", "2026-01-01")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "records" / "engagements").iterdir()) == before
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert listed == expected and "--yes" in result.stdout


def test_purge_yes_removes_exactly_the_listed_files(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    expected = _closed_before(root, "2026-01-01")
    folder = root / "records" / "engagements"
    everything = {p.name for p in folder.iterdir()}
    result = run_cli("records", "purge", "--root", str(root), "--before", "2026-01-01", "--yes")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in folder.iterdir()} == everything - {f"{i}.yml" for i in expected}
    assert run_cli("validate", "--root", str(root)).returncode == 0


def test_purge_default_cutoff_is_retention_months(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    result = run_cli("records", "purge", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "before 2021-11-22" in result.stdout


def test_purge_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    result = run_cli("records", "purge", "--root", str(root), "--before", "soon")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
