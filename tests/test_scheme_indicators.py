"""The indicators of groups and immersions (issue 15): group memberships, group sessions held
and immersion days, by the dimensions they have, through the same suppression and joint audit
as every other count."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coachdir.indicators.measures import (
    GroupMember,
    GroupSessionHeld,
    ImmersionDay,
    scheme_observations,
)
from conftest import ROOT, copy_programme, run_cli

UNITS = {"direction-phares": "U2/U11", "direction-balises": "U2/U12"}


def test_each_membership_session_and_day_counts_once_for_the_right_people() -> None:
    obs = scheme_observations(
        [
            GroupMember("C-A", "U2/U11/U5", "codevelopment", "2026-02-03", "f"),
            GroupMember("C-B", "U2/U12", "codevelopment", "2026-04-01", "f"),
        ],
        [GroupSessionHeld("codevelopment", "2026-02-10", "f", ("C-B", "C-A", "C-A"))],
        [
            ImmersionDay("C-A", "U2/U11", "immersion", "2026-03-30"),
            ImmersionDay("C-A", "U2/U11", "immersion", "2026-03-31"),
            ImmersionDay("C-A", "U2/U11", "immersion", "2026-04-01"),
            ImmersionDay("C-C", "U9", "immersion", "2026-04-02"),
        ],
        UNITS,
    )
    members = [(o.key, o.client, o.value) for o in obs if o.measure == "group_memberships"]
    assert members == [
        (("2026-Q1", "codevelopment", "none", "direction-phares", "none"), "C-A", 1),
        (("2026-Q2", "codevelopment", "none", "direction-balises", "none"), "C-B", 1),
    ]
    sessions = [o for o in obs if o.measure == "group_sessions_held"]
    assert sum(o.value for o in sessions) == 1  # one session held
    assert sorted(o.client for o in sessions) == ["C-A", "C-B"]  # judged by who was there
    days = {(o.key[0], o.key[3], o.client): o.value for o in obs if o.measure == "immersion_days"}
    assert days == {
        ("2026-Q1", "direction-phares", "C-A"): 2,
        ("2026-Q2", "direction-phares", "C-A"): 1,
        ("2026-Q2", "other", "C-C"): 1,
    }


def _with_tables(root: Path, tables: str) -> None:
    path = root / "programme.yml"
    text = path.read_text(encoding="utf-8")
    anchor = "  tables:\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + tables, 1), encoding="utf-8")


def test_a_release_counts_immersion_days_and_hides_the_small_counts(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "p")
    _with_tables(
        root, "    - {id: immersion-days-by-quarter, measure: immersion_days, rows: quarter}\n"
    )
    # a release of 2027 is made in 2028, when the sample's group facilitators' credentials have
    # expired: the groups and their records are left out, the immersions kept
    shutil.rmtree(root / "groups")
    records = tmp_path / "records"
    shutil.copytree(ROOT / "records", records)
    shutil.rmtree(records / "groups")
    out = tmp_path / "out"
    result = run_cli(
        "indicators",
        "--root",
        str(root),
        "--records",
        str(records),
        "--release",
        "2027",
        "--today",
        "2028-01-15",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    document = json.loads((out / "2027.json").read_text(encoding="utf-8"))
    table = next(t for t in document["tables"] if t["id"] == "immersion-days-by-quarter")
    assert table["kind"] == "count"
    # the demo's two accepted periods: 7 days of 2 agents, far below the threshold
    cells = [cell for row in table["cells"] for cell in row]
    assert all(cell.get("suppressed") or cell.get("value") == 0 for cell in cells)
    assert sum(1 for cell in cells if cell.get("suppressed")) == 2  # 2027-Q1 and 2027-Q2
    assert table["total"] == {"suppressed": True}
    assert "C-" not in (out / "2027.csv").read_text(encoding="utf-8")


def test_a_group_measure_by_cohort_is_refused_at_its_line(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "p")
    _with_tables(root, "    - {id: days-by-cohort, measure: immersion_days, rows: cohort}\n")
    result = run_cli("validate", "--root", str(root), "--no-cache")
    assert result.returncode == 1
    line = next(
        i
        for i, t in enumerate((root / "programme.yml").read_text().splitlines(), 1)
        if "days-by-cohort" in t
    )
    assert f"programme.yml:{line}:" in result.stdout
    assert "[schema.enum]" in result.stdout
