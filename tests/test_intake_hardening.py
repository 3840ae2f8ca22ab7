"""Intake hardening (issue #7): no echo of what was typed, ASCII-only numbers, ids within
the limit, partial mapping changes."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdir.github.answers import parse_credentials
from coachdir.github.intake import intake
from coachdir.github.issueform import FormError
from coachdir.github.roundtrip import update_yaml
from coachdir.problems import format_text
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
    from coachdir.text import MAX_ID_LENGTH, coach_id_for

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


# --- 5: nothing that was typed reaches the comment or the log -------------------------------

MARKER = "Zq7Wm"
ISSUE_KEY = "[Cliquez ici](https://evil.example/login) jean.dupont@example.org 06 12 34 56 78"
FIELDS = {
    "role": "Fonction / Role [role]",
    "languages": "Langues / Languages [languages]",
    "capacity": "Capacité / Capacity [capacity]",
    "bio": "Présentation / Bio [bio]",
    "contact": "E-mail professionnel / Work e-mail [contact]",
    "booking_url": "Lien de prise de rendez-vous / Booking link [booking_url]",
}


def change_body(
    changes: str, fields: tuple[str, ...] = ("role",), coach: str = "helene-dubois"
) -> str:
    return (
        f"### Identifiant de la fiche / Profile id\n\n{coach}\n\n"
        f"### Champs modifiés / Fields that change\n\n{', '.join(FIELDS[f] for f in fields)}\n\n"
        f"### Nouvelles valeurs / New values\n\n```yaml\n{changes}\n```\n"
    )


def test_the_issue_example_key_is_not_quoted(repo: Path) -> None:
    body = change_body(f'role: "Cheffe de projet"\n"{ISSUE_KEY}": 1')
    code, comment, stdout, stderr = run_intake(repo, "profile-change", body, "helene-dubois")
    assert code == 1
    for text in (comment, stdout, stderr):
        for piece in ("Cliquez", "evil.example", "jean", "dupont", "06 12", "56 78", "]("):
            assert piece not in text
    assert "line 2 of the answer" in comment
    assert "Nouvelles valeurs / New values" in comment
    # The log names the body line: heading 9, blank, fence 11, answer line 2 = line 13.
    assert "(issue body):13:1: error: line 2 of 'Nouvelles valeurs / New values':" in stderr


@pytest.mark.parametrize(
    ("changes", "fields", "rule"),
    [
        pytest.param('role: "X"\nrole: "@octocat 06 12 34 56 78"', ("role",), "yaml.duplicate-key"),
        pytest.param('role: "X"\n"@octocat": 1', ("role",), "form.value", id="unticked-mention"),
        pytest.param(
            'bio:\n  fr: "Texte assez long pour la règle."\n  jean@ex.org: x',
            ("bio",),
            "schema.additionalProperties",
            id="nested-unknown-email",
        ),
        pytest.param('capacity: "06 12 34 56 78"', ("capacity",), "schema.type", id="phone"),
        pytest.param('languages: ["jean@ex.org"]', ("languages",), "schema.enum", id="email"),
        pytest.param(
            'booking_url: "http://evil.example/@x"', ("booking_url",), "schema.pattern", id="link"
        ),
        pytest.param('role: "unclosed @octocat', ("role",), "yaml.syntax", id="yaml-syntax"),
        pytest.param("role: yes", ("role",), "yaml.ambiguous", id="ambiguous"),
        pytest.param('github: "@octocat"', ("role",), "form.value", id="github"),
    ],
)
def test_refusals_name_the_rule_and_line_but_quote_nothing(
    repo: Path, changes: str, fields: tuple[str, ...], rule: str
) -> None:
    code, comment, stdout, stderr = run_intake(
        repo, "profile-change", change_body(changes, fields), "helene-dubois"
    )
    assert code == 1
    assert f"`{rule}`" in comment, comment
    for text in (comment, stdout, stderr):
        for piece in ("octocat", "jean", "ex.org", "06 12", "evil", "unclosed"):
            assert piece not in text, (piece, text)


# Property: whatever hostile text carries the marker, in whatever place of a submission, the
# marker never reaches the comment, the problems (what the CLI logs) or their formatted text.

PAYLOADS = st.sampled_from(
    [
        "[Cliquez ici](https://evil.example/{m})",
        "{m}.dupont@example.org",
        "06 12 34 56 {m}",
        "@{m}",
        "@org/{m}-team",
        "<img src=x alt={m}>",
        "{m}",
        "![](https://tracker.example/{m}.gif)",
        "`{m}`",
        "{m}: x",
    ]
)
FILLER = st.text(alphabet="abc XYZ-_.,:;'\"[](){}@#!?/é", max_size=12)


@st.composite
def hostile(draw: st.DrawFn) -> str:
    payload = draw(PAYLOADS).format(m=MARKER)
    return draw(FILLER) + payload + draw(FILLER)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@st.composite
def change_submission(draw: st.DrawFn) -> str:
    bad = draw(hostile())
    shape = draw(st.integers(0, 11))
    if shape == 0:
        return change_body(f'role: "X"\n{_q(bad)}: 1')
    if shape == 1:
        return change_body(f"role: {_q(bad)}\nrole: {_q(bad)}")
    if shape == 2:
        return change_body(f"capacity: {_q(bad)}", ("capacity",))
    if shape == 3:
        return change_body(f"languages: [{_q(bad)}]", ("languages",))
    if shape == 4:
        return change_body(f"bio:\n  fr: {_q(bad)}\n  {_q(bad)}: x", ("bio",))
    if shape == 5:
        return change_body(f"github: {_q(bad)}")
    if shape == 6:
        return change_body(f'role: "{bad}')  # unbalanced quote, raw text
    if shape == 7:
        return change_body(bad.replace("\n", " "))  # raw line
    if shape == 8:
        return change_body(f"contact: {{email: {_q(bad)}}}", ("contact",))
    if shape == 9:
        return change_body(f"booking_url: {_q(bad)}", ("booking_url",))
    if shape == 10:
        return change_body('role: "X"', coach=bad.replace("\n", " "))
    return change_body(f"role: {_q(bad)}", ("role", "capacity"))


def _registration_with(field: str, bad: str) -> str:
    replacements = {
        "role": ("Cheffe de projet données", bad),
        "location": ("Lorient", bad),
        "email": ("maelle.le-bihan@phares-balises.example", bad),
        "github": ("\n\nmaelle-lb\n", f"\n\n{bad}\n"),
        "bio": ("Dix ans de projets numériques publics.", bad),
        "credentials": (CREDENTIAL, bad),
        "hours": ("\n\n40\n", f"\n\n{bad}\n"),
        "pronouns": ("\n\nelle\n", f"\n\n{bad}\n"),
    }
    old, new = replacements[field]
    assert old in REGISTRATION
    return REGISTRATION.replace(old, new.replace("\n\n\n", "\n\n"), 1)


@st.composite
def registration_submission(draw: st.DrawFn) -> str:
    # Not the display name: the new file's name is made from it, and that name is meant to
    # be in the comment (it is the file that the pull request adds).
    field = draw(
        st.sampled_from(
            ["role", "location", "email", "github", "bio", "credentials", "hours", "pronouns"]
        )
    )
    return _registration_with(field, draw(hostile()))


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prog = copy_programme(tmp_path_factory.mktemp("hostile") / "prog")
    shutil.copytree(ROOT / ".github", prog / ".github")
    return prog


def _assert_never_echoed(repo: Path, form: str, body: str) -> None:
    result = intake(
        repo,
        form,
        body,
        author="helene-dubois" if form == "profile-change" else "maelle-lb",
        today=date(2026, 11, 22),
    )
    texts = [result.comment, format_text(result.problems)]
    texts += [f"{p.path} {p.message} {p.hint} {p.rule}" for p in result.problems]
    for text in texts:
        assert MARKER.lower() not in text.lower(), (body, text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change_submission())
def test_profile_change_never_echoes_the_submission(shared_repo: Path, body: str) -> None:
    _assert_never_echoed(shared_repo, "profile-change", body)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(registration_submission())
def test_registration_never_echoes_the_submission(shared_repo: Path, body: str) -> None:
    _assert_never_echoed(shared_repo, "coach-registration", body)


@pytest.mark.parametrize("field", ["role", "email", "github", "bio", "credentials", "hours"])
def test_registration_cli_output_never_echoes_the_submission(repo: Path, field: str) -> None:
    bad = f"[Cliquez ici](https://evil.example/{MARKER}) {MARKER}@example.org @{MARKER} 06 12"
    _, comment, stdout, stderr = run_intake(
        repo, "coach-registration", _registration_with(field, bad), "maelle-lb"
    )
    for text in (comment, stdout, stderr):
        assert MARKER.lower() not in text.lower()
    assert not list((repo / "coaches").glob(f"*{MARKER.lower()}*"))
