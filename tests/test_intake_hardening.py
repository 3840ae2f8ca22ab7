"""Intake hardening (issue #7): no echo of what was typed, ASCII-only numbers, ids within
the limit, partial mapping changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachdir.forms import parse_credentials
from coachdir.intake import update_yaml
from coachdir.issueform import FormError
from conftest import ROOT, copy_programme, run_cli

CASES = ROOT / "tests" / "cases" / "intake"
REGISTRATION = (CASES / "registration.md").read_text(encoding="utf-8")
CREDENTIAL = "internal-training; École nationale des gardiens de phare; 2025-03-10; ; 24"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / ".github", prog / ".github")
    return prog


def run_intake(repo: Path, form: str, body: str, author: str) -> tuple[int, str, str, str]:
    body_file = repo.parent / "body.md"
    body_file.write_bytes(body.encode("utf-8"))
    comment = repo.parent / "comment.md"
    comment.unlink(missing_ok=True)
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
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, comment.read_text(encoding="utf-8"), result.stdout, result.stderr


# --- 6: numbers are ASCII digits only ------------------------------------------------------


@pytest.mark.parametrize("hours", ["²", "١٢", "²4", "Ⅻ", "１２"])
def test_credential_hours_in_unicode_digits_are_refused(hours: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_credentials(f"internal-training; École; 2025-03-10; ; {hours}")
    assert caught.value.message == "the credential's hours must be a whole number"
    assert caught.value.line == 1


def test_credential_hours_in_ascii_digits_are_read() -> None:
    assert parse_credentials(CREDENTIAL)[0]["hours"] == 24


def test_registration_with_superscript_hours_is_refused_not_a_crash(repo: Path) -> None:
    body = REGISTRATION.replace(CREDENTIAL, CREDENTIAL.removesuffix("24") + "²")
    assert body != REGISTRATION
    code, comment, _, _ = run_intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 1
    assert "hours must be a whole number" in comment
    assert not (repo / "coaches" / "maelle-le-bihan.yml").exists()


# --- 11a: an id made from a long name is cut at a hyphen ------------------------------------

LONG_NAME = "Marie-Françoise Alexandrine Delacroix-Beauregard de la Tour d'Auvergne"


def test_long_name_gives_an_id_cut_at_a_hyphen() -> None:
    from coachdir.scaffold import MAX_ID_LENGTH, coach_id_for

    assert len(LONG_NAME) >= 70
    made = coach_id_for(LONG_NAME, lambda _: False)
    assert made == "marie-francoise-alexandrine-delacroix-beauregard-de-la-tour"
    assert len(made) <= MAX_ID_LENGTH
    taken = {made}
    second = coach_id_for(LONG_NAME, taken.__contains__)
    assert second == "marie-francoise-alexandrine-delacroix-beauregard-de-la-2"
    assert coach_id_for("a" * 80, lambda _: False) == "a" * MAX_ID_LENGTH
    assert coach_id_for("Zoé Nguyễn", lambda _: False) == "zoe-nguyen"
    assert coach_id_for("李小龍", lambda _: False) == "coach"


def test_registration_with_a_72_character_name_is_accepted(repo: Path) -> None:
    name = LONG_NAME + " Lemoine"
    body = REGISTRATION.replace("Maëlle Le Bihan", name)
    code, comment, _, stderr = run_intake(repo, "coach-registration", body, "maelle-lb")
    assert code == 0, (comment, stderr)
    made = list((repo / "coaches").glob("marie-francoise-*.yml"))
    assert [p.name for p in made] == [
        "marie-francoise-alexandrine-delacroix-beauregard-de-la-tour.yml"
    ]
    assert "identity.file-name" not in comment


# --- 11b: a partial mapping keeps the other keys --------------------------------------------


def test_update_yaml_keeps_the_other_language_of_the_bio() -> None:
    original = (
        "name: A\nbio:\n  fr: |\n    Ancien texte.\n  # English\n  en: |\n    Old text.\n"
        "capacity: 1\n"
    )
    assert update_yaml(original, {"bio": {"fr": "Nouveau texte.\n"}}) == (
        "name: A\nbio:\n  fr: |\n    Nouveau texte.\n  # English\n  en: |\n    Old text.\n"
        "capacity: 1\n"
    )


def test_profile_change_of_bio_fr_only_keeps_bio_en(repo: Path) -> None:
    path = repo / "coaches" / "helene-dubois.yml"
    before = path.read_text(encoding="utf-8")
    old_fr = (
        "  fr: |\n    Vingt ans d'encadrement dans les services techniques. J'accompagne les\n"
        "    **prises de poste** et les managers qui traversent une réorganisation.\n"
    )
    assert old_fr in before and "\n  en: |\n    Twenty years" in before
    body = (
        "### Identifiant de la fiche / Profile id\n\nhelene-dubois\n\n"
        "### Champs modifiés / Fields that change\n\nPrésentation / Bio [bio]\n\n"
        "### Nouvelles valeurs / New values\n\n```yaml\n"
        'bio:\n  fr: "Une nouvelle présentation, assez longue pour la règle."\n```\n'
    )
    code, comment, _, stderr = run_intake(repo, "profile-change", body, "helene-dubois")
    assert code == 0, (comment, stderr)
    assert path.read_text(encoding="utf-8") == before.replace(
        old_fr, '  fr: "Une nouvelle présentation, assez longue pour la règle."\n'
    )
