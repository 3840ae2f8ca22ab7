"""coachdir hours: the practice log and supervision evidence of a coach from the demo records
(checked against a hand count of the YAML files), CSV safety, and the refusals."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from coachdir.programme import load_programme
from coachdir.records.model import SupervisionEntry
from coachdir.reports.hours import hours_log, practice_csv, quarter_of, supervision_csv
from conftest import ROOT, copy_programme, run_cli
from reports_helpers import demo

# Hand count of zoe-nguyen's started engagements (records/engagements/2025-0015, 2026-0006,
# 2026-0019): held coaching sessions of 45+40+45+45+45, 45+45 and 45+50+45+45 minutes.
ZOE_PRACTICE = [
    ["client", "start", "end", "type", "group_size", "hours", "payment"],
    ["C-34EZH3S2FC", "2025-08-25", "2025-12-28", "individual", "", "3.67", "pro bono"],
    ["C-VK25KRTF7U", "2026-04-09", "2026-05-15", "group", "team", "1.50", "pro bono"],
    ["C-H367447KDN", "2026-07-27", "", "individual", "", "3.08", "pro bono"],
    ["total", "", "", "", "", "8.25", ""],
]
# records/supervision/zoe-nguyen.yml: ten sessions of 90 minutes, one a quarter from 2024-Q2
# to 2026-Q3; practice by quarter from the sessions above.
ZOE_PRACTICE_BY_QUARTER = {
    "2025-Q3": "1.42",
    "2025-Q4": "2.25",
    "2026-Q2": "1.50",
    "2026-Q3": "2.33",
    "2026-Q4": "0.75",
}


def _zoe(paid: bool = False, supervision: tuple[SupervisionEntry, ...] | None = None):  # type: ignore[no-untyped-def]
    _, engagements, logs = demo()
    return hours_log(
        "zoe-nguyen",
        engagements,
        logs["zoe-nguyen"] if supervision is None else supervision,
        paid=paid,
    )


def test_practice_log_matches_the_hand_count() -> None:
    rows = list(csv.reader(io.StringIO(practice_csv(_zoe()))))
    assert rows == ZOE_PRACTICE


def test_supervision_by_quarter_matches_the_hand_count() -> None:
    log = _zoe()
    rows = list(csv.reader(io.StringIO(supervision_csv(log))))
    assert rows[0] == ["quarter", "practice_hours", "supervision_hours", "ratio", "warning"]
    by_quarter = {r[0]: r for r in rows[1:-1]}
    assert list(by_quarter)[:: len(by_quarter) - 1] == ["2024-Q2", "2026-Q4"]
    for quarter, row in by_quarter.items():
        assert row[1] == ZOE_PRACTICE_BY_QUARTER.get(quarter, "0.00")
        assert row[2] == ("0.00" if quarter == "2026-Q4" else "1.50")
    assert by_quarter["2026-Q4"][4] == "no supervision this quarter"
    assert rows[-1] == ["total", "8.25", "15.00", "0.6:1", ""]
    assert log.warnings == ["Warning: 2026-Q4 has practice hours and no supervision."]


def test_warns_past_35_to_1() -> None:
    log = _zoe(supervision=(SupervisionEntry("2025-09-01", 10, "group"),))
    assert "Warning: 49.5:1 practice to supervision hours passes 35:1." in log.warnings


def test_paid_setting() -> None:
    rows = list(csv.reader(io.StringIO(practice_csv(_zoe(paid=True)))))
    assert [r[-1] for r in rows[1:-1]] == ["paid", "paid", "paid"]


def test_csv_cells_cannot_run_as_formulas() -> None:
    _, engagements, _ = demo()
    hostile = [
        replace(e, client="=HYPERLINK(1)") if e.coach == "zoe-nguyen" else e for e in engagements
    ]
    text = practice_csv(hours_log("zoe-nguyen", hostile, (), paid=False))
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'=HYPERLINK(1)" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_quarter_of() -> None:
    assert [quarter_of(d) for d in ("2026-01-01", "2026-03-31", "2026-04-01", "2026-12-31")] == [
        "2026-Q1",
        "2026-Q1",
        "2026-Q2",
        "2026-Q4",
    ]


def test_cli_markdown_and_csv(tmp_path: Path) -> None:
    md = run_cli("hours", "zoe-nguyen", "--root", str(ROOT))
    assert md.returncode == 0, md.stderr
    assert (
        "| C-VK25KRTF7U | 2026-04-09 | 2026-05-15 | group | team | 1.50 | pro bono |" in md.stdout
    )
    assert "- Total coaching hours: 8.25" in md.stdout
    assert "**Warning: 2026-Q4 has practice hours and no supervision.**" in md.stdout
    out = tmp_path / "log"
    result = run_cli(
        "hours", "zoe-nguyen", "--root", str(ROOT), "--format", "csv", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["practice.csv", "supervision.csv"]
    assert result.stdout == (
        f"Wrote {out / 'practice.csv'} (zoe-nguyen).\n"
        f"Wrote {out / 'supervision.csv'} (zoe-nguyen).\n"
    )
    assert list(csv.reader(io.StringIO((out / "practice.csv").read_text()))) == ZOE_PRACTICE


def test_csv_needs_a_folder() -> None:
    result = run_cli("hours", "zoe-nguyen", "--root", str(ROOT), "--format", "csv")
    assert result.returncode == 2
    assert "Error: --format csv writes two files; pass --out FOLDER." in result.stderr


def test_refusals() -> None:
    unknown = run_cli("hours", "nobody-here", "--root", str(ROOT))
    assert unknown.returncode == 2
    assert "Error: no coach 'nobody-here' in coaches/;" in unknown.stderr
    none = run_cli("hours", "agnes-kowalska", "--root", str(ROOT))
    assert none.returncode == 1
    assert "Error: coach 'agnes-kowalska' has no engagement in the records;" in none.stderr
    missing = run_cli("hours", "zoe-nguyen", "--root", str(ROOT), "--records", "/nonexistent")
    assert missing.returncode == 2
    assert "Error: /nonexistent: no such records folder; pass --records DIR." in missing.stderr
    for result in (unknown, none, missing):
        assert "Traceback" not in result.stderr


def test_coaching_hours_setting(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "p", coaches=False)
    text = (root / "programme.yml").read_text(encoding="utf-8")
    assert "coaching_hours:\n  paid: false\n" in text
    (root / "programme.yml").write_text(text.replace("  paid: false\n", "  paid: true\n"))
    programme, _, problems = load_programme(root)
    assert programme is not None, problems
    assert programme.coaching_hours_paid is True
    (root / "programme.yml").write_text(text.replace("  paid: false\n", '  paid: "yes"\n'))
    programme, _, problems = load_programme(root)
    assert programme is None
    assert [p.path for p in problems] == ["programme.yml"]
    (root / "programme.yml").write_text(text.replace("coaching_hours:\n  paid: false\n", ""))
    programme, _, problems = load_programme(root)
    assert programme is not None and programme.coaching_hours_paid is False


def test_profile_supervision_is_read_beside_the_log(tmp_path: Path) -> None:
    """A coach without a supervision log whose profile records supervision (as the standing
    rule reads it): hours says which source gives hours and names the profile's day, never
    "no supervision at all"; without either, it says there is none in both."""
    import shutil

    root = copy_programme(tmp_path / "p")
    shutil.copytree(ROOT / "records", root / "records")
    # diego-alvarez: one coaching engagement (a mentoring one is not coaching practice)
    (root / "records" / "supervision" / "diego-alvarez.yml").unlink()
    profile = root / "coaches" / "diego-alvarez.yml"  # supervised before his acceptance
    text = profile.read_text(encoding="utf-8")
    assert 'last: "2026-08-25"' in text
    profile.write_text(text.replace('last: "2026-08-25"', 'last: "2025-12-01"'), "utf-8")
    result = run_cli("hours", "diego-alvarez", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "no supervision at all" not in result.stdout
    assert (
        "**Warning: practice hours and no supervision hours in the supervision log (records "
        "supervision/diego-alvarez.yml); the profile's supervision.last says 2025-12-01, without "
        "hours: log that session's hours there.**" in result.stdout
    )
    assert "- Last supervision in the profile (supervision.last): 2025-12-01." in result.stdout
    # without either source (the function: the records' standing rule refuses such records)
    bare = _zoe(supervision=())
    assert bare.ratio == "no supervision hours logged"
    assert bare.warnings[0] == (
        "Warning: practice hours and no supervision at all (neither in the supervision log nor "
        "in the profile's supervision.last)."
    )


def test_facilitation_is_logged_as_group_coaching_and_mentoring_is_not_coaching() -> None:
    """Issue 15: a facilitator's held group sessions are group coaching hours (the group id in
    place of a client code, the members present as the size), counted in the quarter's practice
    and the ratio; a mentoring engagement is left out of the coaching log."""
    from coachdir.reports.facilitation import FacilitatedSession
    from coachdir.reports.hours import hours_log, hours_markdown, practice_csv

    held = [
        FacilitatedSession("codev-a", "2026-01-10", 120, ("G-2026-0001", "G-2026-0002")),
        FacilitatedSession("codev-a", "2026-02-10", 120, ("G-2026-0001",)),
    ]
    log = hours_log("alice-martin", [], [], paid=False, facilitation=held)
    assert log.practice_minutes == 240
    assert [(q.quarter, q.practice_minutes) for q in log.quarters] == [("2026-Q1", 240)]
    assert "codev-a,2026-01-10,,group,2,4.00,pro bono" in practice_csv(log)
    assert "- Clients: 0" in hours_markdown(log)
    assert "G-2026" not in hours_markdown(log)  # membership ids never leave the records
