"""Record intake end to end: a body in GitHub's rendered format (### label, blank line,
answer, _No response_, - [X]) becomes a valid record file, or a refusal that never echoes
what was typed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachdir.github.forms import generate_forms
from coachdir.loader import load_file
from coachdir.programme import load_programme
from coachdir.records.pseudonym import client_code
from coachdir.schema import read_schema, schema_dir
from conftest import ROOT, TODAY, copy_programme, run_cli

KEY = "test-key-for-record-intake-at-least-32-bytes"
ENV = {"COACHDIR_PSEUDONYM_KEY": KEY}
MARKER = "zorglub.marker@example.org"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    return prog


def _template(name: str) -> dict[str, Any]:
    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    return dict(yaml.safe_load(generate_forms(programme, schema)[f"{name}.yml"]))


def _option(form: str, fid: str, ident: str) -> str:
    for element in _template(form)["body"]:
        if element.get("id") == fid:
            return next(o for o in element["attributes"]["options"] if o.endswith(f"[{ident}]"))
    raise AssertionError(fid)


def _body(form: str, answers: dict[str, str]) -> str:
    """The body exactly as GitHub renders an issue form."""
    parts = []
    for element in _template(form)["body"]:
        if element["type"] == "markdown":
            continue
        label = element["attributes"]["label"]
        if element["type"] == "checkboxes":
            boxes = [f"- [X] {o['label']}" for o in element["attributes"]["options"]]
            parts.append(f"### {label}\n\n" + "\n".join(boxes))
            continue
        parts.append(f"### {label}\n\n{answers.get(element['id']) or '_No response_'}")
    return "\n\n".join(parts) + "\n"


def _request(**over: str) -> str:
    answers = {
        "coaches": "helene-dubois, yann-caradec",
        "offer": _option("coaching-request", "offer", "coaching"),
        "expertise": _option("coaching-request", "expertise", "new-role"),
        "language": _option("coaching-request", "language", "fr"),
        "contract_type": _option("coaching-request", "contract_type", "civil-servant"),
        "cohort": _option("coaching-request", "cohort", "cohort-2026"),
        "unit": "U12/U7/U3",
        "manages_unit": _option("coaching-request", "manages_unit", "no"),
        "kind": _option("coaching-request", "kind", "individual"),
        "initiated_by": _option("coaching-request", "initiated_by", "self"),
    }
    answers.update(over)
    return _body("coaching-request", answers)


def _intake(repo: Path, form: str, body: str, *who: str) -> tuple[int, str, str, str]:
    body_file = repo.parent / "body.md"
    body_file.write_bytes(body.encode("utf-8"))
    comment = repo.parent / "comment.md"
    result = run_cli(
        "intake", "--records", "records", "--form", form, "--body", str(body_file),
        *who, "--comment", str(comment), cwd=repo, env=ENV,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    return result.returncode, comment.read_text("utf-8"), result.stdout, result.stderr


def _engagement_with(repo: Path, state: str) -> tuple[str, dict[str, Any]]:
    for path in sorted((repo / "records" / "engagements").glob("*.yml")):
        data = load_file(str(path)).data or {}
        if data["history"][-1]["state"] == state and data.get("coach"):
            return path.stem, data
    raise AssertionError(state)


def _profile(repo: Path, coach: str) -> dict[str, Any]:
    return load_file(str(repo / "coaches" / f"{coach}.yml")).data or {}


def _validates(repo: Path) -> None:
    result = run_cli("validate", "--records", "records", cwd=repo)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines() if "records/" in line and "error" in line]
    assert errors == [], result.stdout


def test_request_from_github_body_becomes_a_valid_engagement(repo: Path) -> None:
    before = set((repo / "records" / "engagements").iterdir())
    code, comment, _, _ = _intake(repo, "coaching-request", _request(), "--author", "Some-One")
    assert code == 0, comment
    (new,) = set((repo / "records" / "engagements").iterdir()) - before
    year = TODAY[:4]
    assert new.name == f"{year}-{len([p for p in before if p.name.startswith(year)]) + 1:04d}.yml"
    text = new.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/engagement.schema.json")
    data = load_file(str(new)).data
    assert data is not None
    assert data["client"] == client_code("some-one", KEY.encode())
    assert data["history"] == [{"state": "requested", "date": TODAY}]
    assert data["preferences"] == ["helene-dubois", "yann-caradec"]
    assert (data["unit"], data["manages_unit"], data["cohort"]) == (
        "U12/U7/U3",
        False,
        "cohort-2026",
    )
    assert new.stem in comment and "some-one" not in comment.lower()


def test_request_by_email_hashes_the_sender(repo: Path) -> None:
    code, comment, _, _ = _intake(repo, "coaching-request", _request(), "--sender", MARKER)
    assert code == 0, comment
    newest = max((repo / "records" / "engagements").glob(f"{TODAY[:4]}-*.yml"))
    assert (load_file(str(newest)).data or {})["client"] == client_code(MARKER, KEY.encode())
    assert MARKER not in newest.read_text("utf-8")


@pytest.mark.parametrize("field", ["coaches", "unit"])
def test_pasted_email_is_refused_and_never_echoed(repo: Path, field: str) -> None:
    before = sorted((repo / "records").rglob("*"))
    code, comment, out, err = _intake(
        repo, "coaching-request", _request(**{field: f"Jean {MARKER}"}), "--author", "someone"
    )
    assert code == 1
    for text in (comment, out, err):
        assert MARKER not in text and "zorglub" not in text and "Jean" not in text
    assert sorted((repo / "records").rglob("*")) == before


def test_request_too_many_or_unknown_coaches_is_refused(repo: Path) -> None:
    many = "helene-dubois, yann-caradec, agnes-kowalska, aminata-ndiaye"
    code, comment, _, _ = _intake(repo, "coaching-request", _request(coaches=many), "--author", "x")
    assert code == 1 and "Preferred coaches" in comment
    code, comment, _, _ = _intake(
        repo, "coaching-request", _request(coaches="no-such-coach"), "--author", "x"
    )
    assert code == 1 and "no-such-coach" not in comment
    twice = "helene-dubois, helene-dubois"
    code, comment, _, _ = _intake(
        repo, "coaching-request", _request(coaches=twice), "--author", "x"
    )
    assert code == 1 and "Preferred coaches" in comment


def _log(engagement: str, date: str = TODAY, minutes: str = "45") -> str:
    return _body(
        "session-log",
        {
            "engagement": engagement,
            "date": date,
            "minutes": minutes,
            "status": _option("session-log", "status", "held"),
        },
    )


def test_session_log_by_the_coach_appends_a_session(repo: Path) -> None:
    engagement, data = _engagement_with(repo, "active")
    coach = _profile(repo, data["coach"])
    last = data["history"][-1]["date"]
    code, comment, _, _ = _intake(
        repo, "session-log", _log(engagement, last), "--sender", coach["contact"]["email"]
    )
    assert code == 0, comment
    path = repo / "records" / "engagements" / f"{engagement}.yml"
    after = load_file(str(path)).data or {}
    assert after["sessions"] == [
        *data.get("sessions", []),
        {"date": last, "minutes": 45, "kind": "session", "status": "held"},
    ]
    assert {k: v for k, v in after.items() if k != "sessions"} == {
        k: v for k, v in data.items() if k != "sessions"
    }
    _validates(repo)


def test_session_log_refusals(repo: Path) -> None:
    engagement, _ = _engagement_with(repo, "active")
    before = (repo / "records" / "engagements" / f"{engagement}.yml").read_bytes()
    code, comment, _, _ = _intake(repo, "session-log", _log("2019-0999"), "--author", "x")
    assert code == 1 and "intake.unknown" in comment
    code, comment, _, _ = _intake(repo, "session-log", _log(engagement), "--sender", MARKER)
    assert code == 1 and "intake.identity" in comment and MARKER not in comment
    code, comment, _, err = _intake(
        repo, "session-log", _log(engagement, minutes=MARKER), "--author", "programme-lead"
    )
    assert code == 1 and MARKER not in comment + err
    assert (repo / "records" / "engagements" / f"{engagement}.yml").read_bytes() == before


def _end(engagement: str, reason: str) -> str:
    answers = {
        "engagement": engagement,
        "reason": _option("end-of-association", "reason", reason),
    }
    return _body("end-of-association", answers)


def test_end_by_the_team_completes_and_by_the_coach_ends(repo: Path) -> None:
    engagement, _ = _engagement_with(repo, "active")
    code, comment, _, _ = _intake(
        repo, "end-of-association", _end(engagement, "completed"), "--author", "programme-lead"
    )
    assert code == 0, comment
    after = load_file(str(repo / "records" / "engagements" / f"{engagement}.yml")).data or {}
    assert after["history"][-1] == {"state": "completed", "date": TODAY}
    _validates(repo)


def test_end_by_the_coach_with_a_reason(repo: Path) -> None:
    engagement, data = _engagement_with(repo, "active")
    github = _profile(repo, data["coach"])["github"]
    code, comment, _, _ = _intake(
        repo, "end-of-association", _end(engagement, "mismatch"), "--author", github
    )
    assert code == 0, comment
    after = load_file(str(repo / "records" / "engagements" / f"{engagement}.yml")).data or {}
    assert after["history"][-1] == {"state": "ended", "date": TODAY, "reason": "mismatch"}
    assert "satisfaction" not in after or after["satisfaction"] == data.get("satisfaction")


def test_end_by_someone_else_is_refused(repo: Path) -> None:
    engagement, _ = _engagement_with(repo, "active")
    code, comment, out, err = _intake(
        repo, "end-of-association", _end(engagement, "other"), "--sender", MARKER
    )
    assert code == 1 and "intake.identity" in comment
    assert MARKER not in comment + out + err
