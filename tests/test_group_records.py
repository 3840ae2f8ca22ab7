"""Group records (records/groups/<group-id>/): the membership state machine, the loader, the
group.* rules on the sample, the free places per group in availability.json and the site's
reading of them."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from coachdir.problems import CoachdirError
from coachdir.records.availability import GroupPlaces, compute_availability, group_places
from coachdir.records.groups import (
    HOLDING_STATES,
    MEMBERSHIP_FINAL,
    MEMBERSHIP_FIRST,
    MEMBERSHIP_STATES,
    MEMBERSHIP_TRANSITIONS,
    Membership,
    MembershipStep,
)
from coachdir.site.availability import read_availability
from coachdir.validation.engine import validate
from conftest import ROOT, run_cli

TODAY = date(2026, 11, 22)
ASKED = ("requested", "2026-09-01")


def _member(group: str, *steps: tuple[str, str], mid: str = "G-2026-0001") -> Membership:
    return Membership(
        mid,
        group,
        "C-AAAAAAAAAA",
        "civil-servant",
        "U2/U5",
        False,
        tuple(MembershipStep(s, d) for s, d in steps),
    )


def test_state_machine_is_consistent() -> None:
    assert MEMBERSHIP_STATES[0] == MEMBERSHIP_FIRST
    reachable = {MEMBERSHIP_FIRST} | {s for after in MEMBERSHIP_TRANSITIONS.values() for s in after}
    assert reachable == set(MEMBERSHIP_STATES)
    assert not MEMBERSHIP_FINAL & set(MEMBERSHIP_TRANSITIONS)
    assert set(MEMBERSHIP_TRANSITIONS) | MEMBERSHIP_FINAL == set(MEMBERSHIP_STATES)
    assert set(MEMBERSHIP_TRANSITIONS) >= HOLDING_STATES


def test_a_place_is_held_from_acceptance_to_leaving() -> None:
    m = _member(
        "g", ("requested", "2026-09-01"), ("accepted", "2026-09-10"), ("left", "2026-10-01")
    )
    assert m.holding(TODAY) == (1, "2026-09-10", "2026-10-01")
    assert not m.holds_on("2026-09-09", TODAY) and m.holds_on("2026-09-10", TODAY)
    assert m.holds_on("2026-09-30", TODAY) and not m.holds_on("2026-10-01", TODAY)
    open_ = _member("g", ("requested", "2026-09-01"), ("accepted", "2026-09-10"))
    assert open_.holds_on("2026-11-22", TODAY) and not open_.holds_on("2026-11-23", TODAY)
    assert _member("g", ("requested", "2026-09-01")).holding(TODAY) is None
    declined = _member("g", ("requested", "2026-09-01"), ("declined", "2026-09-02"))
    assert declined.holding(TODAY) is None


def test_group_places_count_the_members_holding_a_place_today() -> None:
    members = [
        _member("a", ("requested", "2026-09-01"), ("accepted", "2026-09-10")),
        _member(
            "a", ("requested", "2026-09-01"), ("accepted", "2026-09-10"), ("active", "2026-10-01")
        ),
        _member(
            "a", ("requested", "2026-09-01"), ("accepted", "2026-09-10"), ("left", "2026-10-01")
        ),
        _member("a", ("requested", "2026-11-01")),
        _member("b", ("requested", "2026-09-01"), ("accepted", "2026-09-10")),
        _member("c", ("requested", "2026-09-01"), ("accepted", "2026-09-10")),
    ]
    groups = [GroupPlaces("c", 4, False), GroupPlaces("a", 5, True), GroupPlaces("b", 1, True)]
    assert group_places(groups, members, TODAY) == {
        "a": {"free": 3, "places": 5},
        "b": {"free": 0, "places": 1},
        "c": {"free": 0, "places": 4},  # not open: no free place
    }
    without = compute_availability([], [], TODAY)
    assert set(without) == {"computed", "coaches"}  # no groups: the format of before
    assert "groups" in compute_availability([], [], TODAY, groups, members)


def test_sample_group_records_are_valid_and_cover_every_state_but_left() -> None:
    report = validate(ROOT, today=TODAY, records=ROOT / "records")
    assert report.ok, [p for p in report.problems if p.severity == "error"]
    groups = report.records.groups
    states = {s.state for _, m in groups.memberships for s in m.history}
    assert states == {"requested", "accepted", "declined", "active"}
    by_group = {g: len(groups.of_group(g)) for g in ("codev-visio-2026", "codev-brest-2027")}
    assert by_group["codev-visio-2026"] == 6
    assert set(groups.attendance) == {"codev-visio-2026"}


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", "site", "tests"))
    return root


def _errors(root: Path) -> list[str]:
    report = validate(root, today=TODAY, records=root / "records")
    return [f"{p.path}:{p.line}:{p.col} {p.rule}" for p in report.problems if p.severity == "error"]


def test_a_seventh_member_of_the_full_sample_group_is_over_its_places(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    folder = root / "records" / "groups" / "codev-visio-2026"
    text = (folder / "G-2026-0011.yml").read_text(encoding="utf-8")
    code = next(line for line in text.splitlines() if line.startswith("client:"))
    seventh = text.replace("G-2026-0011", "G-2026-0012").replace(code, 'client: "C-ZZZZZZZZZZ"')
    (folder / "G-2026-0012.yml").write_text(seventh, encoding="utf-8")
    errors = _errors(root)
    assert len(errors) == 1 and errors[0].endswith("group.over-places"), errors
    assert errors[0].startswith("records/groups/codev-visio-2026/G-2026-0012.yml:")


def test_a_member_under_another_members_management_is_in_one_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    folder = root / "records" / "groups" / "codev-visio-2026"
    first = (folder / "G-2026-0006.yml").read_text(encoding="utf-8")
    unit = next(line for line in first.splitlines() if line.startswith("unit:"))
    first = first.replace("manages_unit: false", "manages_unit: true")
    (folder / "G-2026-0006.yml").write_text(first, encoding="utf-8")
    below = unit[:-1] + '/U9999"'
    later = (folder / "G-2026-0009.yml").read_text(encoding="utf-8")
    old = next(line for line in later.splitlines() if line.startswith("unit:"))
    (folder / "G-2026-0009.yml").write_text(later.replace(old, below), encoding="utf-8")
    errors = _errors(root)
    assert errors == ["records/groups/codev-visio-2026/G-2026-0009.yml:14:11 group.line"], errors


def test_availability_cli_writes_the_groups_places(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    result = run_cli("availability", "--root", str(root), "--records", str(root / "records"))
    assert result.returncode == 0, result.stderr
    doc = json.loads((root / "availability.json").read_text(encoding="utf-8"))
    assert doc["groups"] == {
        "codev-brest-2027": {"free": 5, "places": 8},
        "codev-visio-2026": {"free": 0, "places": 6},
    }
    text = (root / "availability.json").read_text(encoding="utf-8")
    assert "G-20" not in text and "C-" not in text


def _write(root: Path, doc: object) -> None:
    (root / "availability.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")


def test_site_reader_exposes_groups_and_reads_files_without_them(tmp_path: Path) -> None:
    coaches = {"a": {"free": 1, "capacity": 2}}
    _write(tmp_path, {"computed": "2026-11-22", "coaches": coaches})
    old = read_availability(tmp_path, {"a"}, {"g"})
    assert old is not None and old.groups == {}
    groups = {"g": {"free": 2, "places": 6}}
    _write(tmp_path, {"computed": "2026-11-22", "coaches": coaches, "groups": groups})
    new = read_availability(tmp_path, {"a"}, {"g"})
    assert new is not None and new.groups["g"].free == 2 and new.groups["g"].places == 6
    assert new.coaches["a"].free == 1


@pytest.mark.parametrize(
    ("groups", "rule"),
    [
        ({"nope": {"free": 1, "places": 6}}, "availability.unknown-group"),
        ({"g": {"free": 7, "places": 6}}, "availability.group-places"),
        ({"g": {"free": 1}}, "schema.required"),
        ({"g": {"free": 1, "places": 6, "members": 3}}, "schema.additionalProperties"),
    ],
)
def test_site_reader_refuses_bad_groups(tmp_path: Path, groups: object, rule: str) -> None:
    _write(tmp_path, {"computed": "2026-11-22", "coaches": {}, "groups": groups})
    with pytest.raises(CoachdirError) as caught:
        read_availability(tmp_path, set(), {"g"})
    problems = caught.value.problems
    assert [p.rule for p in problems] == [rule]
    assert problems[0].path == "availability.json" and problems[0].line > 1


def test_scaled_demo_records_hold_valid_group_records_of_their_own(tmp_path: Path) -> None:
    from coachdir.programme import load_programme
    from coachdir.tools.demorecords import generate_records, generate_scaled_records, write_records

    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    scaled = generate_scaled_records(ROOT, programme, 120)
    groups = {rel: text for rel, text in scaled.items() if rel.startswith("groups/")}
    assert sum(rel.endswith("attendance.yml") for rel in groups) == 1
    assert len(groups) == 12  # 6 + 5 memberships and one attendance
    demo = generate_records(ROOT, programme)
    assert all(groups[rel] != demo[rel] for rel in groups if "G-" in rel)  # other identities
    write_records(tmp_path / "records", scaled)
    report = validate(ROOT, today=TODAY, records=tmp_path / "records")
    assert not [p for p in report.problems if "groups/" in p.path]
    assert len(report.records.groups.memberships) == 11


def test_links_and_pipes_under_groups_are_problems_never_read(tmp_path: Path) -> None:
    import os

    from coachdir.programme import load_programme
    from coachdir.records.files import load_records

    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    records = tmp_path / "records"
    shutil.copytree(ROOT / "records", records)
    groups = records / "groups"
    (groups / "codev-linked").symlink_to(groups / "codev-visio-2026")
    os.mkfifo(groups / "codev-brest-2027" / "G-2026-0099.yml")
    (groups / "codev-brest-2027" / "G-2026-0098.yml").symlink_to(
        groups / "codev-brest-2027" / "G-2026-0001.yml"
    )
    found = load_records(records, tmp_path, programme, [])
    problems = sorted((p.path.rsplit("records/", 1)[-1], p.rule) for p in found.problems)
    assert ("groups/codev-linked", "file.not-regular") in problems
    assert ("groups/codev-brest-2027/G-2026-0099.yml", "file.not-regular") in problems
    assert ("groups/codev-brest-2027/G-2026-0098.yml", "file.not-regular") in problems
    assert len(found.groups.memberships) == 11  # the others still load
