"""`coachdir build`: never a half-updated site, and user text is never taken for a slot."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, copy_programme, run_cli


def _programme(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    (prog / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    return prog


def test_invalid_programme_writes_nothing(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    assert run_cli("build", cwd=prog).returncode == 0
    page = prog / "site" / "fr" / "coaches" / "helene-dubois" / "index.html"
    before = page.read_bytes()
    # The working folder is the run's own and gone after it: the programme folder is as it was.
    listing_before = sorted(p.name for p in prog.iterdir())
    profile = prog / "coaches" / "helene-dubois.yml"
    profile.write_text(
        profile.read_text(encoding="utf-8")
        .replace("Brest", "Ouessant")
        .replace("capacity: 2", "capacity: 9"),
        encoding="utf-8",
    )
    result = run_cli("build", cwd=prog)
    assert result.returncode == 1
    assert "coaches/helene-dubois.yml:31:11: error: capacity: 9" in result.stderr
    assert "Traceback" not in result.stderr
    assert page.read_bytes() == before
    assert sorted(p.name for p in prog.iterdir()) == listing_before


def test_broken_content_page_is_reported_with_its_position(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    faq = prog / "content" / "en" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\nSee {{ nope }}.\n", encoding="utf-8")
    result = run_cli("build", cwd=prog)
    assert result.returncode == 1
    assert "content/en/faq.md:" in result.stderr
    assert "unknown placeholder '{{ nope }}'" in result.stderr
    assert not (prog / "site").exists()


def test_charter_version_must_match_the_settings(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    charter = prog / "content" / "fr" / "charter.md"
    charter.write_text(
        charter.read_text(encoding="utf-8").replace('"2026-1"', '"2025-1"', 1), encoding="utf-8"
    )
    result = run_cli("build", cwd=prog)
    assert result.returncode == 1
    assert "content/fr/charter.md:2:1: error: the charter page is version 2025-1" in result.stderr


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        # the strict loader reads the front matter: positions in the page, never a traceback
        ('charter_version: "2026-1"\ncharter_version: "2026-1"', ":3:1: error: duplicate key"),
        ("charter_version: [2026-1", ":3:1: error: YAML syntax error"),  # at the closing ---
        ("charter_version: 2026.1", ":2:18: error:"),
        ("- 2026-1", ":2:1: error: the file holds a list"),
        ("charter_version: !!python/object x", ":2:18: error:"),
    ],
)
def test_charter_front_matter_goes_through_the_strict_loader(
    tmp_path: Path, front: str, expected: str
) -> None:
    prog = _programme(tmp_path)
    charter = prog / "content" / "en" / "charter.md"
    text = charter.read_text(encoding="utf-8")
    charter.write_text(text.replace('charter_version: "2026-1"', front, 1), encoding="utf-8")
    result = run_cli("build", cwd=prog)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "content/en/charter.md" + expected in result.stderr, result.stderr
    assert not (prog / "site").exists()


def test_a_content_page_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    faq = prog / "content" / "fr" / "faq.md"
    faq.write_bytes(faq.read_bytes().replace("é".encode(), b"\xe9", 1))
    result = run_cli("build", cwd=prog)
    assert result.returncode == 1, result.stderr
    assert "content/fr/faq.md:1:1: error: the page is not valid UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_that_looks_like_a_slot_stays_text(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    profile = prog / "coaches" / "helene-dubois.yml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "Vingt ans d'encadrement", "COACHDIR-SLOT-TITLE et vingt ans d'encadrement"
        ),
        encoding="utf-8",
    )
    assert run_cli("build", cwd=prog).returncode == 0
    page = (prog / "site" / "fr" / "coaches" / "helene-dubois" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "COACHDIR-SLOT-TITLE et vingt ans" in page
    assert "<title>Hélène Dubois - " in page
