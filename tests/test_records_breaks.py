"""Issue 14's attack-run breaks in the records half: links among the records, unknown keys
quoted back, engagement ids that stop at 9,999, and whose fault a refusal is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coachdir.loader import load_file
from coachdir.records.files import ENGAGEMENT_ID
from coachdir.records.model import engagement_order
from coachdir.records.pseudonym import client_code
from conftest import ROOT, run_cli
from test_records_intake import KEY, MARKER, _body, _engagement_with, _intake, _option, _request

# a request the demo records take as they are (see test_records_intake)
PERSONAL_KEY = "Jean_Dupont_burnout"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    from conftest import copy_programme

    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    return prog


def _validate(repo: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("validate", "--records", "records", *extra, cwd=repo)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


# --- links ---------------------------------------------------------------------------------


def _some_engagement(repo: Path) -> Path:
    return sorted((repo / "records" / "engagements").glob("*.yml"))[0]


@pytest.mark.parametrize("inside", [True, False])
def test_an_engagement_that_is_a_link_is_refused(repo: Path, tmp_path: Path, inside: bool) -> None:
    real = _some_engagement(repo)
    if inside:
        target = real
    else:
        target = tmp_path / "outside.yml"
        shutil.copy(real, target)
    link = real.with_name(f"{real.stem[:5]}9998.yml")
    text = target.read_text("utf-8").replace(f'id: "{real.stem}"', f'id: "{link.stem}"')
    target.write_text(text, "utf-8")
    link.symlink_to(target)
    code, out = _validate(repo)
    assert code == 1
    assert f"records/engagements/{link.name}:1:1: error:" in out
    assert "symbolic link" in out and "[file.not-regular]" in out


def test_links_in_supervision_and_coach_units_are_refused(repo: Path, tmp_path: Path) -> None:
    logs = sorted((repo / "records" / "supervision").glob("*.yml"))
    moved = tmp_path / "log.yml"
    shutil.move(logs[0], moved)
    logs[0].symlink_to(moved)
    units = repo / "records" / "coach-units.yml"
    shutil.move(units, tmp_path / "units.yml")
    units.symlink_to(tmp_path / "units.yml")
    code, out = _validate(repo)
    assert code == 1
    assert f"records/supervision/{logs[0].name}:1:1: error:" in out
    assert "records/coach-units.yml:1:1: error:" in out
    assert out.count("[file.not-regular]") == 2


def test_a_linked_engagements_folder_is_refused(repo: Path, tmp_path: Path) -> None:
    folder = repo / "records" / "engagements"
    shutil.move(folder, tmp_path / "elsewhere")
    folder.symlink_to(tmp_path / "elsewhere")
    code, out = _validate(repo)
    assert code == 1
    assert "records/engagements/:1:1: error:" in out and "[file.not-regular]" in out


def test_intake_never_writes_through_a_link(repo: Path, tmp_path: Path) -> None:
    engagement, data = _engagement_with(repo, "active")
    path = repo / "records" / "engagements" / f"{engagement}.yml"
    outside = tmp_path / "outside.yml"
    shutil.move(path, outside)
    path.symlink_to(outside)
    before = outside.read_bytes()
    session = _body(
        "session-log",
        {
            "engagement": engagement,
            "date": "2026-11-20",
            "minutes": str(data["sessions"][-1]["minutes"]),
            "status": _option("session-log", "status", "held"),
        },
    )
    code, comment, _, _ = _intake(repo, "session-log", session, "--author", "programme-lead")
    assert code == 1
    assert "intake.record-invalid" in comment
    assert outside.read_bytes() == before
    assert path.is_symlink()


def test_the_last_writer_refuses_a_link(tmp_path: Path) -> None:
    from coachdir.problems import InvalidInput
    from coachdir.writefile import write_whole

    outside = tmp_path / "outside.txt"
    outside.write_text("kept", "utf-8")
    link = tmp_path / "link.yml"
    link.symlink_to(outside)
    with pytest.raises(InvalidInput, match="symbolic link"):
        write_whole(link, "new")
    assert outside.read_text("utf-8") == "kept"
    write_whole(tmp_path / "plain.yml", "new")
    assert (tmp_path / "plain.yml").read_text("utf-8") == "new"
    assert not list(tmp_path.glob(".*.partial"))


# --- unknown keys ----------------------------------------------------------------------------


def test_an_unknown_key_in_a_record_is_placed_not_quoted(repo: Path) -> None:
    path = _some_engagement(repo)
    text = path.read_text("utf-8")
    path.write_text(text + f"{PERSONAL_KEY}: true\n", "utf-8")
    line = text.count("\n") + 1
    for fmt in ("text", "github", "json"):
        code, out = _validate(repo, "--format", fmt)
        assert code == 1
        assert PERSONAL_KEY not in out
        assert "Jean" not in out and "burnout" not in out
    code, out = _validate(repo)
    assert f"records/engagements/{path.name}:{line}:1: error:" in out
    assert "a field that is not in the schema" in out


def test_an_unknown_key_in_a_profile_is_still_named(repo: Path) -> None:
    # profiles are public and their keys are the coach's own: naming them helps the coach
    path = sorted((repo / "coaches").glob("*.yml"))[0]
    path.write_text(path.read_text("utf-8") + "favourite_colour: blue\n", "utf-8")
    code, out = _validate(repo)
    assert code == 1
    assert "favourite_colour: unknown field" in out


# --- ids past 9,999 --------------------------------------------------------------------------


def test_engagement_ids_grow_past_9999() -> None:
    for good in ("2026-0001", "2026-9999", "2026-10000", "2026-123456"):
        assert ENGAGEMENT_ID.match(good), good
    for bad in ("2026-01", "2026-00001", "2026-010000", "26-0001", "2026-0001a", "../etc"):
        assert not ENGAGEMENT_ID.match(bad), bad
    ids = ["2026-10000", "2026-9999", "2025-10001", "2026-0002"]
    assert sorted(ids, key=engagement_order) == [
        "2025-10001",
        "2026-0002",
        "2026-9999",
        "2026-10000",
    ]


def test_the_request_after_9999_gets_10000(repo: Path) -> None:
    folder = repo / "records" / "engagements"
    year = "2026"
    mine = sorted(folder.glob(f"{year}-*.yml"))[-1]
    text = mine.read_text("utf-8")
    # the highest number of the year becomes 9999: the next request must be 10000
    moved = folder / f"{year}-9999.yml"
    moved.write_text(text.replace(f'id: "{mine.stem}"', f'id: "{year}-9999"'), "utf-8")
    mine.unlink()
    code, out = _validate(repo)
    assert code == 0, out
    code, comment, _, _ = _intake(
        repo, "coaching-request", _request(), "--author", "Some-One", "--today", "2026-11-22"
    )
    assert code == 0, comment
    assert (folder / f"{year}-10000.yml").is_file()
    assert "2026-10000" in comment
    code, out = _validate(repo)
    assert code == 0, out


# --- whose fault -----------------------------------------------------------------------------


def _break_a_record(repo: Path) -> Path:
    """Make one existing record invalid in a way that has nothing to do with a new request:
    a session of 2,000 minutes."""
    engagement, _ = _engagement_with(repo, "active")
    path = repo / "records" / "engagements" / f"{engagement}.yml"
    text = path.read_text("utf-8")
    assert "minutes: " in text
    head, _, tail = text.partition("minutes: ")
    _number, _, rest = tail.partition("\n")
    path.write_text(f"{head}minutes: 2000\n{rest}", "utf-8")
    return path


def test_a_broken_record_elsewhere_is_the_teams_problem_not_the_senders(repo: Path) -> None:
    broken = _break_a_record(repo)
    before = sorted(p.name for p in (repo / "records" / "engagements").iterdir())
    code, comment, _out, err = _intake(repo, "coaching-request", _request(), "--author", "Some-One")
    assert code == 1
    # nothing written
    assert sorted(p.name for p in (repo / "records" / "engagements").iterdir()) == before
    # the sender is told the team follows up, and nothing about their answers
    assert "will follow up" in comment
    assert "nothing for you to correct" in comment
    assert "smaller" not in comment and "(issue body)" not in comment
    assert "| Question |" not in comment
    # the team's log names the real file and position
    assert f"records/engagements/{broken.name}:" in err
    assert ": error:" in err
    assert "(issue body)" not in err


def test_a_senders_mistake_is_still_the_senders_with_a_broken_record_elsewhere(
    repo: Path,
) -> None:
    broken = _break_a_record(repo)
    code, comment, _, err = _intake(
        repo,
        "coaching-request",
        _request(coaches="helene-dubois, helene-dubois"),
        "--author",
        "Some-One",
    )
    assert code == 1
    assert "| Question |" in comment
    assert broken.name not in comment
    assert f"records/engagements/{broken.name}:" in err


def test_read_only_check_never_touches_the_records(repo: Path) -> None:
    _break_a_record(repo)
    snapshot = {
        p: p.read_bytes()
        for p in (repo / "records").rglob("*")
        if p.is_file() and not p.is_symlink()
    }
    _intake(repo, "coaching-request", _request(), "--author", "Some-One")
    after = {
        p: p.read_bytes()
        for p in (repo / "records").rglob("*")
        if p.is_file() and not p.is_symlink()
    }
    assert after == snapshot
    assert not any(
        name.endswith(".partial") for name in os.listdir(repo / "records" / "engagements")
    )


# --- satisfaction is the client's ----------------------------------------------------------


def _end_body(engagement: str, reason: str) -> str:
    return _body(
        "end-of-association",
        {"engagement": engagement, "reason": _option("end-of-association", "reason", reason)},
    )


def _with_score(body: str, score: str) -> str:
    """The end-of-association body with a satisfaction question added, as an older form
    (or a hand-edited e-mail) would carry it."""
    return body + f"\n### Satisfaction (facultatif) / Satisfaction (optional)\n\n{score}\n"


def test_the_coach_cannot_give_the_clients_satisfaction(repo: Path) -> None:
    engagement, data = _engagement_with(repo, "active")
    path = repo / "records" / "engagements" / f"{engagement}.yml"
    before = path.read_bytes()
    github = (load_file(str(repo / "coaches" / f"{data['coach']}.yml")).data or {})["github"]
    # the end of association asks no score any more; one added to it is refused
    scored = _with_score(_end_body(engagement, "completed"), "5")
    code, comment, _, _ = _intake(repo, "end-of-association", scored, "--author", github)
    assert code == 1, comment
    assert path.read_bytes() == before
    # without a score, the coach may end it, and no score appears
    code, comment, _, _ = _intake(
        repo, "end-of-association", _end_body(engagement, "completed"), "--author", github
    )
    assert code == 0, comment
    assert (load_file(str(path)).data or {}).get("satisfaction") == data.get("satisfaction")


def test_the_end_of_association_form_asks_no_satisfaction() -> None:
    from test_records_intake import _template

    ids = [e.get("id") for e in _template("end-of-association")["body"]]
    assert "satisfaction" not in ids
    assert "satisfaction" in [e.get("id") for e in _template("client-feedback")["body"]]


def _feedback(engagement: str, score: str) -> str:
    return _body("client-feedback", {"engagement": engagement, "satisfaction": score})


def _as_client(repo: Path, state: str) -> tuple[str, Path]:
    """An engagement in ``state`` whose client is the test's MARKER address."""
    engagement, data = _engagement_with(repo, state)
    path = repo / "records" / "engagements" / f"{engagement}.yml"
    text = path.read_text("utf-8").replace(data["client"], client_code(MARKER, KEY.encode()))
    lines = [
        line for line in text.splitlines(keepends=True) if not line.startswith("satisfaction:")
    ]
    path.write_text("".join(lines), "utf-8")
    return engagement, path


def test_the_client_feedback_form_is_the_clients_own(repo: Path) -> None:
    engagement, path = _as_client(repo, "completed")
    data = load_file(str(path)).data or {}
    coach = (load_file(str(repo / "coaches" / f"{data['coach']}.yml")).data or {})["github"]
    before = path.read_bytes()
    code, comment, _, _ = _intake(
        repo, "client-feedback", _feedback(engagement, "5"), "--author", coach
    )
    assert code == 1 and "intake.identity" in comment
    assert path.read_bytes() == before
    code, comment, _, _ = _intake(
        repo, "client-feedback", _feedback(engagement, "5"), "--sender", MARKER
    )
    assert code == 0, comment
    assert (load_file(str(path)).data or {})["satisfaction"] == 5
    # once given, never replaced
    after = path.read_bytes()
    code, comment, _, _ = _intake(
        repo, "client-feedback", _feedback(engagement, "1"), "--sender", MARKER
    )
    assert code == 1 and "intake.already-given" in comment
    assert path.read_bytes() == after


def test_feedback_waits_for_the_end(repo: Path) -> None:
    engagement, path = _as_client(repo, "active")
    before = path.read_bytes()
    code, comment, _, _ = _intake(
        repo, "client-feedback", _feedback(engagement, "4"), "--sender", MARKER
    )
    assert code == 1 and "intake.not-ended" in comment
    assert path.read_bytes() == before
