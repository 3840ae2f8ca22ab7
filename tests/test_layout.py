"""Tests for coachdir.layout: the one description of the directory and records repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdir.github.codeowners import OWNED_PATHS
from coachdir.github.vocabulary import COACH_FORMS, FORM_NAMES, RECORD_FORMS
from coachdir.layout import DIRECTORY, RECORDS, layout_for, role_of
from coachdir.tools import initrepo
from conftest import ROOT


def test_a_root_tells_its_role(tmp_path: Path) -> None:
    assert role_of(ROOT) is DIRECTORY
    initrepo.init_records(tmp_path / "records")
    assert role_of(tmp_path / "records") is RECORDS
    assert role_of(tmp_path) is None


def test_each_form_belongs_to_one_repository() -> None:
    assert DIRECTORY.forms == COACH_FORMS == ("coach-registration", "profile-change")
    assert RECORDS.forms == RECORD_FORMS
    assert [layout_for(name) for name in FORM_NAMES] == [DIRECTORY] * 2 + [RECORDS] * 5
    assert layout_for("bug-report") is None


@pytest.mark.parametrize(
    ("path", "review"),
    [
        ("coaches/ada-lovelace.yml", None),
        ("coaches/photos/ada-lovelace.webp", None),
        ("programme.yml", "programme-settings"),
        ("schemas/coach.schema.json", "schemas"),
        (".github/workflows/ci.yml", "workflow"),
        (".github/CODEOWNERS", "codeowners"),
        ("docs/CODEOWNERS", "codeowners"),
        (".github/ISSUE_TEMPLATE/profile-change.yml", "issue-template"),
        (".github/dependabot.yml", "github-config"),
        ("content/fr/charter.md", "charter"),
        ("groups/codev-brest-2027.yml", "groups"),
        ("immersions/phare-ouessant.yml", "immersions"),
    ],
)
def test_the_directory_layout_gives_pr_check_its_reasons(path: str, review: str | None) -> None:
    area = DIRECTORY.area_of(path)
    assert area is not None
    assert area.self_service is (review is None)
    assert (area.review[0] if area.review else None) == review


@pytest.mark.parametrize(
    "path",
    ["coaches/Ada.yml", "coaches/photos/ada.gif", "coaches/notes.txt", "content/fr/index.md"],
)
def test_other_paths_are_not_a_coachs_own(path: str) -> None:
    area = DIRECTORY.area_of(path)
    assert area is None or (not area.self_service and area.review is None)


def test_codeowners_lists_the_owned_areas_of_the_layout() -> None:
    assert [path for path, _ in OWNED_PATHS] == [
        "/coaches/",
        "/programme.yml",
        "/groups/",
        "/immersions/",
        "/schemas/",
        "/content/*/charter.md",
        "/mkdocs.yml",
        "/.github/",
        "/src/",
    ]


def test_published_files_have_their_own_review_reason() -> None:
    """indicators/ and availability.json come from the records repository's jobs: the team
    reviews them under their own reason, said publicly without content."""
    from coachdir.github.changes import PUBLIC_REASONS
    from coachdir.layout import DIRECTORY

    for path, reason in (
        ("indicators/2026-Q3.json", "indicators"),
        ("availability.json", "availability"),
    ):
        area = DIRECTORY.area_of(path)
        assert area is not None and area.review is not None and area.review[0] == reason
        assert reason in PUBLIC_REASONS
    for area in DIRECTORY.areas:
        if area.review is not None:
            assert area.review[0] in PUBLIC_REASONS, area.path
