"""pr-check: classify the changes of a pull request, on real temporary git repositories."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from coachdir.github.changes import Change, PrCheckError, PrReport
from coachdir.github.prcheck import check_pr, protected_fields, protected_fields_at
from coachdir.github.prreport import format_json, format_markdown, format_text

PROTECTED_NAMES = (
    "credentials",
    "verification",
    "supervision",
    "charter",
    "github",
    "affiliation",
    "provider",
)

SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "schema_version": {"const": 1},
        "name": {"type": "string"},
        "bio": {"type": "object"},
        "credentials": {"type": "array", "x-coachdir-protected": True},
        "verification": {"type": "array", "x-coachdir-protected": True},
        "capacity": {"type": "integer", "x-coachdir-protected": False},
        "charter": {"type": "object", "x-coachdir-protected": True},
        "supervision": {"type": "object", "x-coachdir-protected": True},
        "github": {"type": "string", "x-coachdir-protected": True},
        "affiliation": {"enum": ["internal", "external"], "x-coachdir-protected": True},
        "provider": {"type": "string", "x-coachdir-protected": True},
        "status": {"enum": ["accepting", "paused"], "x-coachdir-protected": "yes"},
    },
}
PROTECTED = protected_fields(SCHEMA)


def profile(
    github: str,
    *,
    name: str = "Alice Martin",
    bio: str = "Cheffe de projet, j'accompagne les prises de poste.",
    credential: str | None = "ilm-5",
    extra: str = "",
) -> str:
    """A profile in our schema's shape (only the fields the check looks at matter)."""
    creds = (
        "credentials:\n"
        f"  - type: {credential}\n"
        '    issuer: "Institute of Leadership and Management"\n'
        '    obtained: "2020-10-23"\n'
        if credential
        else ""
    )
    return (
        "schema_version: 1\n"
        f'name: "{name}"\n'
        "bio:\n"
        "  fr: |\n"
        f"    {bio}\n"
        f"{creds}"
        "capacity: 2\n"
        "status: accepting\n"
        "charter:\n"
        '  version: "2026-1"\n'
        '  signed: "2026-01-15"\n'
        f"github: {github}\n"
        "affiliation: internal\n"
        f"{extra}"
    )


# Mirrors /work/shared/corpus/{base,profiles}/35-credential-self-upgrade.yaml in our schema:
# the coach raises her own credential (associate level -> ICF PCC) along with a bio edit.
GAEL_BASE = """\
schema_version: 1
name: "Gaël Hubert"
languages: [fr, en]
expertise: [leadership, career]
status: accepting
bio:
  fr: |
    Coach certifiée.
credentials:
  - type: icf-acc
    issuer: "International Coaching Federation"
    obtained: "2019-01-01"
    expires: "2027-01-01"
charter:
  version: "2026-1"
  signed: "2026-01-10"
github: gael-hubert
affiliation: internal
"""
GAEL_HEAD = """\
schema_version: 1
name: "Gaël Hubert"
languages: [fr, en]
expertise: [leadership, career]
status: accepting
bio:
  fr: |
    Coach certifiée, 15 ans d'encadrement dans la fonction publique.
    J'accompagne les **prises de poste** et les transitions.
credentials:
  - type: icf-pcc
    issuer: "International Coaching Federation"
    obtained: "2019-01-01"
    expires: "2027-01-01"
charter:
  version: "2026-1"
  signed: "2026-01-10"
github: gael-hubert
affiliation: internal
"""


def image(fmt: str, colour: tuple[int, int, int] = (90, 120, 200)) -> bytes:
    """A real, tiny image (pr-check decodes photos)."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, fmt)
    return out.getvalue()


JPEG = image("JPEG")


class Repo:
    """A throwaway programme repository driven with the real git command."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def write(self, rel: str, content: str | bytes) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str = "pr") -> None:
        self.git("checkout", "-q", "-b", name)

    def check(self, author: str, base: str = "main", head: str = "pr") -> PrReport:
        return check_pr(self.path, base, head, author, protected=PROTECTED)


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git configuration (signing, hooks, aliases) leaks into the tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """main: a programme with alice-m's, bob-d's and gael-hubert's profiles; then branch pr."""
    r = Repo(tmp_path / "programme")
    r.write("programme.yml", "schema_version: 1\nteam: [programme-lead]\n")
    r.write("schemas/coach.schema.json", json.dumps(SCHEMA, indent=2))
    r.write("content/fr/charter.md", "# Charte\n")
    r.write("content/en/charter.md", "# Charter\n")
    r.write("content/fr/index.md", "# Accueil\n")
    r.write(".github/workflows/ci.yml", "on: pull_request\n")
    r.write(".github/CODEOWNERS", "* @programme-lead\n")
    r.write(".github/ISSUE_TEMPLATE/register.yml", "name: Register\n")
    r.write("coaches/alice-martin.yml", profile("alice-m"))
    r.write("coaches/bob-durand.yml", profile("bob-d", name="Bob Durand"))
    r.write("coaches/photos/bob-durand.jpg", JPEG)
    r.write("coaches/gael-hubert.yml", GAEL_BASE)
    r.write("README.md", "# Programme\n")
    r.commit("base")
    r.branch()
    return r


def only(report: PrReport) -> Change:
    assert len(report.changes) == 1, report.changes
    return report.changes[0]


def by_path(report: PrReport) -> dict[str, Change]:
    return {c.path: c for c in report.changes}


# --------------------------------------------------------------------------- protected fields


def test_protected_fields_reads_the_annotation_only_when_true() -> None:
    assert set(PROTECTED) == set(PROTECTED_NAMES)
    assert "capacity" not in PROTECTED and "status" not in PROTECTED
    assert protected_fields({}) == ()
    assert protected_fields({"properties": []}) == ()


def test_protected_fields_at_reads_the_committed_schema(repo: Repo) -> None:
    assert set(protected_fields_at(repo.path, "main")) == set(PROTECTED_NAMES)


def test_no_protected_fields_is_refused(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Nouvelle biographie ici."))
    repo.commit()
    with pytest.raises(PrCheckError, match="x-coachdir-protected"):
        check_pr(repo.path, "main", "pr", "alice-m", protected=())


# --------------------------------------------------------------------------- new profiles


def test_new_own_profile_without_protected_fields_is_the_authors(repo: Repo) -> None:
    repo.write(
        "coaches/carol-leroy.yml",
        'schema_version: 1\nname: "Carol Leroy"\ngithub: carol-l\ncapacity: 1\n',
    )
    repo.commit()
    change = only(repo.check("carol-l"))
    assert (change.path, change.status, change.verdict) == (
        "coaches/carol-leroy.yml",
        "added",
        "author",
    )
    assert change.rules == ("own-profile-new",)


def test_new_own_profile_with_protected_fields_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/carol-leroy.yml", profile("carol-l", name="Carol Leroy"))
    repo.commit()
    report = repo.check("carol-l")
    change = only(report)
    assert change.verdict == "team" and report.verdict == "team" and report.needs_team
    assert set(change.rules) == {
        "new-profile-protected-field:credentials",
        "new-profile-protected-field:charter",
        "new-profile-protected-field:affiliation",
    }
    assert any("protected field 'credentials' set on a new profile" in r for r in change.reasons)


def test_new_profile_for_someone_else_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/carol-leroy.yml", 'name: "Carol"\ngithub: carol-l\n')
    repo.commit()
    change = only(repo.check("mallory"))
    assert change.verdict == "team"
    assert "new-profile-handle" in change.rules
    assert any("@carol-l, not the author @mallory" in r for r in change.reasons)


def test_second_profile_with_a_handle_already_used_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/alice-bis.yml", 'name: "Alice"\ngithub: Alice-M\n')
    repo.commit()
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert change.rules == ("new-profile-handle-taken",)
    assert "coaches/alice-martin.yml at base" in change.reasons[0]


# --------------------------------------------------------------------------- edits


def test_own_bio_edit_is_the_authors(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Une toute nouvelle bio."))
    repo.commit()
    report = repo.check("alice-m")
    change = only(report)
    assert (change.status, change.verdict, change.rules) == ("modified", "author", ("own-profile",))
    assert report.verdict == "author" and not report.needs_team


def test_changing_your_own_name_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m", name="Bob Durand"))
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.verdict, change.rules) == ("team", ("identity-field:name",))
    markdown = format_markdown(repo.check("alice-m"))
    assert "Bob Durand" not in markdown and "name" in markdown


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            'contact:\n  email: "alice@agency.example"\n',
            'contact:\n  email: "bob@agency.example"\n',
        ),
        ('contact:\n  email: "alice@agency.example"\n', ""),
        ("", 'contact:\n  email: "someone@elsewhere.example"\n'),
    ],
)
def test_changing_your_own_email_needs_the_team(repo: Repo, before: str, after: str) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("coaches/alice-martin.yml", profile("alice-m", extra=before))
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "pr2")
    repo.write("coaches/alice-martin.yml", profile("alice-m", extra=after))
    repo.commit()
    change = only(repo.check("alice-m", head="pr2"))
    assert (change.verdict, change.rules) == ("team", ("identity-field:contact.email",))


def test_handles_compare_case_insensitively(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Une toute nouvelle bio."))
    repo.commit()
    assert repo.check("@Alice-M").verdict == "author"


def test_credential_self_upgrade_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/gael-hubert.yml", GAEL_HEAD)
    repo.commit()
    change = only(repo.check("gael-hubert"))
    assert change.verdict == "team"
    assert change.rules == ("protected-field:credentials",)
    assert change.reasons == ("protected field 'credentials' changed",)


@pytest.mark.parametrize(
    ("head", "field"),
    [
        (profile("alice-m", credential=None), "credentials"),  # removed
        (profile("alice-m", extra="supervision:\n  last: '2026-01-02'\n"), "supervision"),
        (profile("alice-m", extra="verification: []\n"), "verification"),  # added, even empty
        (
            profile("alice-m").replace("affiliation: internal", "affiliation: external"),
            "affiliation",
        ),
        (profile("alice-m").replace('"2026-01-15"', '"2026-02-15"'), "charter"),
    ],
)
def test_any_protected_field_added_removed_or_changed_needs_the_team(
    repo: Repo, head: str, field: str
) -> None:
    repo.write("coaches/alice-martin.yml", head)
    repo.commit()
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert change.rules == (f"protected-field:{field}",)


def test_reordering_keys_of_a_protected_field_is_no_change(repo: Repo) -> None:
    text = profile("alice-m").replace(
        '  version: "2026-1"\n  signed: "2026-01-15"\n',
        '  signed: "2026-01-15"\n  version: "2026-1"\n',
    )
    repo.write("coaches/alice-martin.yml", text)
    repo.commit()
    assert only(repo.check("alice-m")).verdict == "author"


def test_edit_of_someone_elses_profile_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/bob-durand.yml", profile("bob-d", name="Bob Durand", bio="Piraté ici."))
    repo.commit()
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert change.reasons == ("profile owned by @bob-d at base",)


def test_changing_your_own_github_handle_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("bob-d"))
    repo.commit()
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert change.rules == ("protected-field:github",)


def test_claiming_someone_elses_profile_in_its_new_content_needs_the_team(repo: Repo) -> None:
    # mallory rewrites bob's file with her own handle: identity comes from the merge base.
    repo.write("coaches/bob-durand.yml", profile("mallory", name="Bob Durand"))
    repo.commit()
    change = only(repo.check("mallory"))
    assert change.verdict == "team"
    assert "profile owned by @bob-d at base" in change.reasons
    assert "protected-field:github" not in change.rules  # ownership failed first


def test_owner_change_on_the_base_branch_since_the_merge_base_counts(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Une toute nouvelle bio."))
    repo.commit()
    repo.git("checkout", "-q", "main")
    repo.write("coaches/alice-martin.yml", profile("carol-l"))
    repo.commit("the team hands the profile to carol-l")
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert change.reasons == ("profile owned by @carol-l on main",)


def test_unreadable_profile_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m") + "github: alice-m\n")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert change.rules == ("profile-unreadable",)
    assert change.reasons[0].startswith("cannot read the profile: duplicate key 'github'")


def test_oversized_profile_is_not_read(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m") + "# " + "x" * 70_000 + "\n")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert change.verdict == "team"
    assert "64 KiB limit" in change.reasons[0]


def test_profile_replaced_by_a_symlink_needs_the_team(repo: Repo) -> None:
    (repo.path / "coaches/alice-martin.yml").unlink()
    os.symlink("bob-durand.yml", repo.path / "coaches/alice-martin.yml")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.verdict, change.rules) == (
        "type-changed",
        "team",
        ("type-changed",),
    )


# --------------------------------------------------------------------------- renames, deletes


def test_renaming_a_profile_needs_the_team(repo: Repo) -> None:
    repo.git("mv", "coaches/alice-martin.yml", "coaches/alice-dupont.yml")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.old_path, change.path) == (
        "renamed",
        "coaches/alice-martin.yml",
        "coaches/alice-dupont.yml",
    )
    assert change.verdict == "team"
    assert change.reasons == ("renaming changes the coach id",)


def test_deleting_your_own_profile_is_the_authors(repo: Repo) -> None:
    repo.git("rm", "-q", "coaches/alice-martin.yml")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.verdict, change.rules) == (
        "deleted",
        "author",
        ("own-profile-deleted",),
    )


def test_deleting_someone_elses_profile_needs_the_team(repo: Repo) -> None:
    repo.git("rm", "-q", "coaches/bob-durand.yml")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.verdict) == ("deleted", "team")
    assert change.reasons == ("profile owned by @bob-d at base",)


# --------------------------------------------------------------------------- photos


def test_photo_of_your_own_profile_is_the_authors(repo: Repo) -> None:
    repo.write("coaches/photos/alice-martin.webp", image("WEBP"))
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.verdict, change.rules) == ("added", "author", ("own-photo",))


def test_photo_of_someone_else_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/photos/bob-durand.jpg", image("JPEG", (200, 0, 0)))
    repo.git("rm", "-q", "--cached", "coaches/photos/bob-durand.jpg")
    repo.write("coaches/photos/bob-durand.png", image("PNG"))
    repo.commit()
    report = repo.check("alice-m")
    changes = by_path(report)
    assert {c.verdict for c in report.changes} == {"team"}
    assert changes["coaches/photos/bob-durand.png"].rules == ("photo-other-owner",)
    assert "owned by @bob-d at base" in changes["coaches/photos/bob-durand.png"].reasons[0]


def test_photo_without_a_profile_needs_the_team(repo: Repo) -> None:
    repo.write("coaches/photos/nobody.jpg", JPEG)
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.verdict, change.rules) == ("team", ("photo-no-profile",))


def test_photo_of_a_profile_added_by_the_author_in_the_same_pr(repo: Repo) -> None:
    repo.write("coaches/carol-leroy.yml", profile("carol-l", name="Carol Leroy"))
    repo.write("coaches/photos/carol-leroy.jpg", JPEG)
    repo.commit()
    report = repo.check("carol-l")
    changes = by_path(report)
    assert changes["coaches/photos/carol-leroy.jpg"].verdict == "author"
    assert changes["coaches/carol-leroy.yml"].verdict == "team"  # registration = approval
    assert report.verdict == "team"


def test_photo_turned_into_a_symlink_needs_the_team(repo: Repo) -> None:
    os.symlink("../../programme.yml", repo.path / "coaches/photos/alice-martin.png")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.verdict, change.rules) == ("team", ("not-regular-file",))


# --------------------------------------------------------------------------- other paths


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("programme.yml", "programme-settings"),
        ("schemas/coach.schema.json", "schemas"),
        ("schemas/new.schema.json", "schemas"),
        (".github/workflows/ci.yml", "workflow"),
        (".github/workflows/release.yml", "workflow"),
        (".github/CODEOWNERS", "codeowners"),
        ("CODEOWNERS", "codeowners"),
        (".github/ISSUE_TEMPLATE/register.yml", "issue-template"),
        (".github/dependabot.yml", "github-config"),
        ("content/fr/charter.md", "charter"),
        ("content/en/charter.md", "charter"),
        ("content/fr/index.md", "other-path"),
        ("README.md", "other-path"),
        ("mkdocs.yml", "other-path"),
        ("src/coachdir/cli.py", "other-path"),
        ("coaches/README.md", "other-path"),
        ("coaches/alice-martin.yaml", "other-path"),
        ("coaches/Alice-Martin.yml", "other-path"),
        ("coaches/photos/alice-martin.gif", "other-path"),
        ("coaches/sub/alice-martin.yml", "other-path"),
    ],
)
def test_programme_files_and_other_paths_need_the_team(repo: Repo, path: str, rule: str) -> None:
    target = repo.path / path
    old = target.read_bytes() if target.exists() else b""
    repo.write(path, old + b"\n# edited by alice-m\n")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.path, change.verdict, change.rules) == (path, "team", (rule,))


def test_deleting_a_programme_file_needs_the_team(repo: Repo) -> None:
    repo.git("rm", "-q", ".github/workflows/ci.yml")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.verdict, change.rules) == ("deleted", "team", ("workflow",))


def test_one_team_change_makes_the_whole_pr_a_team_pr(repo: Repo) -> None:
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Une toute nouvelle bio."))
    repo.write("coaches/photos/alice-martin.jpg", JPEG)
    repo.write("programme.yml", "schema_version: 1\nteam: [programme-lead, alice-m]\n")
    repo.commit()
    report = repo.check("alice-m")
    verdicts = {c.path: c.verdict for c in report.changes}
    assert verdicts == {
        "coaches/alice-martin.yml": "author",
        "coaches/photos/alice-martin.jpg": "author",
        "programme.yml": "team",
    }
    assert report.verdict == "team"


def test_unusual_file_names_are_parsed_with_nul_separators(repo: Repo) -> None:
    names = [
        "notes/my file.md",
        "notes/tab\there.md",
        "notes/new\nline.md",
        'notes/quote"and\\back.md',
        "notes/élodie ünïcode 名前.md",
        "coaches/élodie.yml",
        "notes/pipe|back`tick.md",
    ]
    for name in names:
        repo.write(name, "x\n")
    repo.commit()
    report = repo.check("alice-m")
    assert sorted(c.path for c in report.changes) == sorted(names)
    assert all(c.verdict == "team" and c.rules == ("other-path",) for c in report.changes)


def test_a_file_moved_out_of_the_way_is_judged_at_both_ends(repo: Repo) -> None:
    repo.git("mv", "README.md", "coaches/photos/alice-martin.jpg")
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.status, change.old_path, change.verdict) == ("renamed", "README.md", "team")
    # README.md is neither an allowed path's content (other-path) nor an image (photo-invalid).
    assert set(change.rules) == {"other-path", "photo-invalid"}


def test_renaming_your_own_photo_to_another_extension_needs_the_team(repo: Repo) -> None:
    # A JPEG renamed .png: the content decides, and the name must match it.
    repo.write("coaches/photos/alice-martin.jpg", JPEG)
    repo.commit("photo")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "pr")
    repo.git("checkout", "-q", "-b", "pr2")
    repo.git("mv", "coaches/photos/alice-martin.jpg", "coaches/photos/alice-martin.png")
    repo.commit()
    change = only(repo.check("alice-m", head="pr2"))
    assert (change.status, change.verdict, change.rules) == ("renamed", "team", ("photo-invalid",))
    assert "is a JPEG image, but its name ends in .png" in change.reasons[0]


def test_replacing_your_own_photo_by_another_format_is_the_authors(repo: Repo) -> None:
    repo.write("coaches/photos/alice-martin.jpg", JPEG)
    repo.commit("photo")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "pr")
    repo.git("checkout", "-q", "-b", "pr2")
    repo.git("rm", "-q", "coaches/photos/alice-martin.jpg")
    repo.write("coaches/photos/alice-martin.png", image("PNG"))
    repo.commit()
    report = repo.check("alice-m", head="pr2")
    assert {c.path: c.verdict for c in report.changes} == {
        "coaches/photos/alice-martin.jpg": "author",
        "coaches/photos/alice-martin.png": "author",
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("alice-martin.jpg", b"<html><script>alert(1)</script></html>\n"),
        ("alice-martin.webp", bytes(range(256)) * 16),
        ("alice-martin.jpg", None),  # a real PNG named .jpg
    ],
)
def test_own_photo_that_is_not_a_valid_image_needs_the_team(
    repo: Repo, name: str, content: bytes | None
) -> None:
    repo.write(f"coaches/photos/{name}", image("PNG") if content is None else content)
    repo.commit()
    change = only(repo.check("alice-m"))
    assert (change.verdict, change.rules) == ("team", ("photo-invalid",))
    assert "<html>" not in format_markdown(repo.check("alice-m"))


def test_own_photo_over_the_base_programmes_limits_needs_the_team(repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("programme.yml", "photos:\n  max_bytes: 10000\n  max_pixels: 10000\n")
    repo.commit("limits")
    repo.git("checkout", "-q", "-b", "pr2")
    out = io.BytesIO()
    Image.new("RGB", (101, 100), (1, 2, 3)).save(out, "PNG")  # 10,100 pixels
    repo.write("coaches/photos/alice-martin.png", out.getvalue())
    repo.commit()
    report = repo.check("alice-m", head="pr2")
    change = {c.path: c for c in report.changes}["coaches/photos/alice-martin.png"]
    assert (change.verdict, change.rules) == ("team", ("photo-invalid",))
    assert "10,100" in change.reasons[0]
    # The limits are the base's: the pull request cannot raise them for itself.
    repo.write("programme.yml", "photos:\n  max_bytes: 20000000\n  max_pixels: 50000000\n")
    repo.commit()
    change = {c.path: c for c in repo.check("alice-m", head="pr2").changes}[
        "coaches/photos/alice-martin.png"
    ]
    assert change.rules == ("photo-invalid",)


def test_no_change_is_the_authors(repo: Repo) -> None:
    repo.commit("empty")
    report = repo.check("alice-m")
    assert report.changes == () and report.verdict == "author"


# --------------------------------------------------------------------------- errors


def test_unknown_revision_says_how_to_fetch_it(repo: Repo) -> None:
    with pytest.raises(PrCheckError, match=r"unknown revision 'origin/main'.*fetch-depth: 0"):
        repo.check("alice-m", base="origin/main")
    with pytest.raises(PrCheckError, match="unknown revision 'nope'"):
        repo.check("alice-m", head="nope")


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "main;rm -rf /", "a b", "", "main:README.md"])
def test_invalid_revisions_are_refused(repo: Repo, rev: str) -> None:
    with pytest.raises(PrCheckError, match="invalid revision"):
        repo.check("alice-m", base=rev)


@pytest.mark.parametrize(
    "login", ["", "-alice", "alice-", "a" * 40, "alice m", "alice;id", "alice\n", "al/ice"]
)
def test_invalid_login_is_refused(repo: Repo, login: str) -> None:
    with pytest.raises(PrCheckError, match="invalid GitHub login"):
        repo.check(login)


def test_bot_logins_are_accepted_and_own_nothing(repo: Repo) -> None:
    repo.write(".github/workflows/ci.yml", "on: [pull_request]\n")
    repo.commit()
    report = repo.check("dependabot[bot]")
    assert report.author == "dependabot[bot]" and report.verdict == "team"


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(PrCheckError, match="not a git repository"):
        check_pr(tmp_path / "plain", "main", "HEAD", "alice-m", protected=PROTECTED)


def test_unrelated_histories_have_no_merge_base(repo: Repo) -> None:
    repo.git("checkout", "-q", "--orphan", "island")
    repo.commit("unrelated")
    with pytest.raises(PrCheckError, match="no common ancestor"):
        repo.check("alice-m", head="island")


# --------------------------------------------------------------------------- formats


def _mixed_report(repo: Repo) -> PrReport:
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Une toute nouvelle bio."))
    repo.write("coaches/bob-durand.yml", profile("bob-d", name="Bob Durand", bio="Piraté."))
    repo.write("notes/a|b`c``d.md", "x\n")
    repo.write("notes/`edge`", "x\n")
    repo.write("notes/line\nbreak.md", "x\n")
    repo.commit()
    return repo.check("alice-m")


def test_format_text_lists_changes_reasons_and_verdict(repo: Repo) -> None:
    text = format_text(_mixed_report(repo))
    assert "author  modified      coaches/alice-martin.yml" in text
    assert "team    modified      coaches/bob-durand.yml" in text
    assert "- profile owned by @bob-d at base" in text
    assert "notes/line\\x0abreak.md" in text  # one line per change, whatever the name
    assert text.splitlines()[-1].startswith("verdict: team approval required")


def test_format_json_round_trips(repo: Repo) -> None:
    report = _mixed_report(repo)
    data = json.loads(format_json(report))
    assert data["verdict"] == "team" and data["needs_team"] is True
    assert data["author"] == "alice-m" and data["base"] == report.base
    assert len(data["merge_base"]) == 40
    paths = {c["path"]: c for c in data["changes"]}
    assert paths["coaches/bob-durand.yml"]["reasons"] == ["profile owned by @bob-d at base"]
    assert paths["coaches/bob-durand.yml"]["rules"] == ["profile-other-owner"]
    assert "notes/line\nbreak.md" in paths


def test_format_markdown_escapes_paths_and_names_no_one(repo: Repo) -> None:
    md = format_markdown(_mixed_report(repo))
    assert md.startswith("### Programme team approval required")
    assert "| File | Change | Approval | Why |" in md
    rows = [line for line in md.splitlines() if line.startswith("| ") and "notes/" in line]
    assert len(rows) == 3
    pipe_row = next(r for r in rows if "a\\|b" in r)
    assert "a|b" not in pipe_row  # a raw pipe would split the table cell
    assert "```notes/a\\|b`c``d.md```" in pipe_row  # fence longer than any backtick run
    assert "`` notes/`edge` ``" in md
    assert "notes/line\\x0abreak.md" in md
    for line in md.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            assert line.count(" | ") - line.count("\\| ") == 3  # four cells per row
    assert "@" not in md  # no handles, no pings
    assert "profile owned by another account at base" in md
    assert "coaches/bob-durand.yml" in md


def test_format_markdown_field_names_and_author_verdict(repo: Repo) -> None:
    repo.write("coaches/gael-hubert.yml", GAEL_HEAD)
    repo.commit()
    md = format_markdown(repo.check("gael-hubert"))
    assert "protected field 'credentials' changed" in md
    repo.write("coaches/gael-hubert.yml", GAEL_BASE.replace("Coach certifiée.", "Coach."))
    repo.commit()
    md = format_markdown(repo.check("gael-hubert"))
    assert md.startswith("### The author may merge this pull request")


def test_markdown_summary_stays_under_githubs_limit(repo: Repo) -> None:
    """A 5,000-file diff with long paths would make a ~1.4 MB table; it is cut with a count."""
    folder = repo.path / "data" / ("x" * 100) / ("y" * 100)
    folder.mkdir(parents=True)
    total = 5000
    for i in range(total):
        (folder / f"file-{i:05d}.txt").write_bytes(b"")
    repo.commit("many files")
    report = repo.check("alice-m")
    assert len(report.changes) == total
    markdown = format_markdown(report)
    size = len(markdown.encode("utf-8"))
    assert size <= 900 * 1024 < 1024 * 1024
    rows = [line for line in markdown.splitlines() if line.startswith("| `data/")]
    assert 1000 < len(rows) < total
    assert markdown.endswith(
        f"… and {total - len(rows):,} more changes (not listed: the summary is limited to 1 MiB)\n"
    )
    # The rows listed are the first ones, in order, and the verdict still covers every change.
    assert rows[0].startswith("| `data/") and "file-00000.txt" in rows[0]
    assert f"of {total} changes" in markdown


def test_content_page_that_is_a_symlink_is_not_a_regular_file(repo: Repo) -> None:
    """A page linked to a file outside the repository is refused, whoever proposes it."""
    os.symlink("/etc/passwd", repo.path / "content/fr/faq.md")
    repo.commit()
    for author in ("alice-m", "programme-lead"):
        change = only(repo.check(author))
        assert change.path == "content/fr/faq.md"
        assert change.verdict == "team"
        assert change.rules == ("not-regular-file", "other-path")
    os.unlink(repo.path / "content/fr/index.md")
    os.symlink("../../coaches/alice-martin.yml", repo.path / "content/fr/index.md")
    repo.commit()
    changes = by_path(repo.check("alice-m"))
    assert changes["content/fr/index.md"].rules == ("other-path", "type-changed")


# --------------------------------------------------------------------------- summary wording


def test_the_summary_agrees_in_number_with_its_count(repo: Repo) -> None:
    """One change is "the one change is", never "all 1 change are"; one team change (of one or
    of two) "requires", two "require"."""
    repo.write("coaches/alice-martin.yml", profile("alice-m", bio="Une toute nouvelle bio."))
    repo.commit()
    one = repo.check("alice-m")
    assert "the one change is the author's own: the author may merge." in format_text(one)
    assert "all 1 change" not in format_markdown(one)
    repo.write("README.md", "# Programme, renamed\n")
    repo.commit()
    two = repo.check("alice-m")
    assert "1 of 2 changes requires the programme team's approval" in format_text(two)
    repo.write(
        "coaches/bob-durand.yml", profile("bob-d", name="Bob Durand", bio="Autre bio, autre.")
    )
    repo.commit()
    summary = format_text(repo.check("alice-m"))
    assert "2 of 3 changes require the programme team's approval" in summary
    repo.write("coaches/alice-martin.yml", profile("alice-m"))
    repo.write("README.md", "# Programme\n")
    repo.commit()
    summary = format_text(repo.check("alice-m"))
    assert "1 of 1 change requires the programme team's approval" in summary
