"""Intake: issue-form bodies in GitHub's exact format become validated, lossless YAML changes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from coachdir.github.roundtrip import update_yaml
from conftest import ROOT, copy_programme, run_cli

CASES = ROOT / "tests" / "cases" / "intake"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / ".github", prog / ".github")
    return prog


def _intake(repo: Path, form: str, body: str, author: str) -> tuple[int, str, str]:
    body_file = repo.parent / "body.md"
    body_file.write_bytes(body.encode("utf-8"))
    comment = repo.parent / "comment.md"
    result = run_cli(
        "intake",
        "--form",
        form,
        "--body",
        str(body_file),
        "--author",
        author,
        "--comment",
        str(comment),
        cwd=repo,
    )
    assert "Traceback" not in result.stderr
    return result.returncode, comment.read_text(encoding="utf-8"), result.stderr


def test_registration_becomes_a_valid_profile(repo: Path) -> None:
    body = (CASES / "registration.md").read_text(encoding="utf-8")
    code, comment, _ = _intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 0, comment
    created = repo / "coaches" / "maelle-le-bihan.yml"
    assert created.read_text(encoding="utf-8") == (CASES / "registration.expected.yml").read_text(
        encoding="utf-8"
    )
    assert run_cli("validate", "--no-cache", cwd=repo).returncode == 0
    assert "maelle-le-bihan.yml" in comment
    assert "Maëlle" not in comment and "phares-balises.example" not in comment


def test_registration_with_crlf_body(repo: Path) -> None:
    body = (CASES / "registration.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    code, comment, _ = _intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 0, comment


def test_registration_for_someone_else_is_refused(repo: Path) -> None:
    body = (CASES / "registration.md").read_text(encoding="utf-8")
    code, comment, _ = _intake(repo, "coach-registration", body, "someone-else")
    assert code == 1
    assert "intake.identity" in comment
    assert not (repo / "coaches" / "maelle-le-bihan.yml").exists()


def test_edited_body_is_refused_without_quoting_it(repo: Path) -> None:
    body = (CASES / "registration.md").read_text(encoding="utf-8")
    body = body.replace(
        "### Lieu / Location\n\nLorient",
        "### Lieu / Location\n\nLorient\n\n### Fonction / Role\n\nSECRET-INJECTED",
    )
    code, comment, _ = _intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 1
    assert "SECRET-INJECTED" not in comment and "Lorient" not in comment
    assert "appears twice" in comment
    assert not (repo / "coaches" / "maelle-le-bihan.yml").exists()


def test_invalid_profile_is_not_written(repo: Path) -> None:
    body = (CASES / "registration.md").read_text(encoding="utf-8")
    body = body.replace(
        "Dix ans de projets numériques publics. J'accompagne les **nouvelles "
        "cheffes et nouveaux chefs de projet** dans leurs premiers mois.",
        "<script>alert(1)</script> trop court",
    )
    code, comment, _ = _intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 1
    assert "bio.html" in comment
    assert "<script>" not in comment
    assert not (repo / "coaches" / "maelle-le-bihan.yml").exists()


def _change_body(coach: str, fields: list[str], changes: str) -> str:
    options = {
        "role": "Fonction / Role [role]",
        "languages": "Langues / Languages [languages]",
        "capacity": "Capacité / Capacity [capacity]",
        "credentials": "Certifications / Credentials — validation de l'équipe / team approval "
        "[credentials]",
    }
    return (
        f"### Identifiant de la fiche / Profile id\n\n{coach}\n\n"
        f"### Champs modifiés / Fields that change\n\n{', '.join(options[f] for f in fields)}\n\n"
        f"### Nouvelles valeurs / New values\n\n```yaml\n{changes}\n```\n"
    )


def test_profile_change_keeps_everything_else_byte_for_byte(repo: Path) -> None:
    path = repo / "coaches" / "helene-dubois.yml"
    before = path.read_text(encoding="utf-8")
    body = _change_body(
        "helene-dubois",
        ["role", "languages", "capacity"],
        'role: "Cheffe de projet"\nlanguages: [fr, en, "no"]\ncapacity: 3',
    )
    code, comment, _ = _intake(repo, "profile-change", body, "helene-dubois")
    assert code == 0, comment
    after = path.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        ('role: "Cheffe du bureau des phares de l\'Atlantique"', 'role: "Cheffe de projet"'),
        ("languages: [fr, en]", 'languages: [fr, en, "no"]'),
        ("capacity: 2", "capacity: 3"),
    ]
    assert after.startswith("# yaml-language-server: $schema=../schemas/coach.schema.json\n# ")


def test_update_yaml_round_trip_keeps_comments_and_crlf() -> None:
    original = '# head\r\na: 1 # keep\r\nb: [x, y]\r\nc:\r\n  d: "q"\r\n'
    assert update_yaml(original, {}) == original
    assert (
        update_yaml(original, {"a": 2})
        == '# head\r\na: 2 # keep\r\nb: [x, y]\r\nc:\r\n  d: "q"\r\n'
    )


def test_profile_change_by_someone_else_or_unticked_is_refused(repo: Path) -> None:
    path = repo / "coaches" / "helene-dubois.yml"
    before = path.read_bytes()
    body = _change_body("helene-dubois", ["role"], 'role: "Pirate"')
    code, comment, _ = _intake(repo, "profile-change", body, "mallory")
    assert code == 1 and "intake.identity" in comment
    body = _change_body("helene-dubois", ["role"], 'role: "X Y"\ncapacity: 3')
    code, comment, _ = _intake(repo, "profile-change", body, "helene-dubois")
    assert code == 1 and "not ticked" in comment
    body = _change_body("helene-dubois", ["capacity"], "capacity: 9")
    code, comment, _ = _intake(repo, "profile-change", body, "helene-dubois")
    assert code == 1 and "schema.maximum" in comment
    assert path.read_bytes() == before


def test_profile_the_editor_cannot_read_is_refused_not_a_crash(repo: Path) -> None:
    # 'capacity:<TAB>2' used to validate, then crash the round-trip editor (exit 3)
    path = repo / "coaches" / "helene-dubois.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("capacity: 2", "capacity:\t2"))
    before = path.read_bytes()
    body = _change_body("helene-dubois", ["role"], 'role: "Cheffe de projet"')
    code, comment, stderr = _intake(repo, "profile-change", body, "helene-dubois")
    assert code == 1, stderr
    assert "Cheffe" not in comment
    assert "intake.profile-invalid" in comment  # not "someone else's profile"
    assert "intake.identity" not in comment
    assert path.read_bytes() == before


def test_a_profile_that_is_not_utf8_is_refused_not_a_crash(repo: Path) -> None:
    path = repo / "coaches" / "helene-dubois.yml"
    path.write_bytes(path.read_bytes().replace("é".encode(), b"\xe9"))
    before = path.read_bytes()
    body = _change_body("helene-dubois", ["role"], 'role: "Cheffe de projet"')
    code, comment, stderr = _intake(repo, "profile-change", body, "helene-dubois")
    assert code == 1, stderr
    assert "intake.profile-invalid" in comment
    assert "Traceback" not in stderr
    assert path.read_bytes() == before


def test_round_trip_editor_errors_become_a_refusal(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from ruamel.yaml import YAML
    from ruamel.yaml.scanner import ScannerError

    from coachdir.github.intake import intake

    def broken(self: object, stream: object) -> object:
        raise ScannerError("while scanning", None, "found something", None)

    monkeypatch.setattr(YAML, "load", broken)
    body = _change_body("helene-dubois", ["role"], 'role: "Cheffe de projet"')
    result = intake(repo, "profile-change", body, author="helene-dubois", today=date(2026, 11, 22))
    assert not result.accepted
    assert "intake.round-trip" in result.comment
    assert "Cheffe" not in result.comment


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def test_registration_to_pull_request_check(repo: Path) -> None:
    """The issue's 'done' path: form body -> intake -> branch -> pr-check says who approves."""
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "ci@example.org")
    _git(repo, "config", "user.name", "CI")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "programme")
    _git(repo, "switch", "-q", "-c", "intake/issue-1")
    body = (CASES / "registration.md").read_text(encoding="utf-8")
    code, comment, _ = _intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 0, comment
    _git(repo, "add", "coaches")
    _git(repo, "commit", "-q", "-m", "registration")
    result = run_cli("pr-check", "--base", "main", "--author", "maelle-lb", "--exit-code", cwd=repo)
    assert result.returncode == 1, result.stdout
    assert "coaches/maelle-le-bihan.yml" in result.stdout
    assert "team" in result.stdout


def test_a_refused_registration_lists_every_problem_of_the_form(repo: Path) -> None:
    """Two answers outside the form (an entity and a network that are not options): one
    refusal names both questions, not only the first."""
    body = (CASES / "registration.md").read_text(encoding="utf-8")
    for old in (
        "Direction du numérique / Digital Directorate [direction-numerique]",
        "Communauté du numérique public / Public digital community [numerique-public]",
    ):
        assert old in body
        body = body.replace(old, "Not-An-Option", 1)
    code, comment, _ = _intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 1
    assert "Entité / Entity" in comment and "Réseaux / Networks" in comment
    assert "Not-An-Option" not in comment
    assert not (repo / "coaches" / "maelle-le-bihan.yml").exists()
