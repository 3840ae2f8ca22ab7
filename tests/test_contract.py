"""coachdir contract: the tripartite contract page of an engagement (golden files in French and
English), its PDF through headless Chromium, escaping, no outside request, and the refusals.

To refresh the golden files after an intended change:
    COACHDIR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_contract.py
and read the diff (git diff tests/golden) before committing."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from coachdir.reports.contract import charter_in_force, contract_html, sponsor_of
from conftest import ROOT, run_cli
from reports_helpers import demo

GOLDEN = ROOT / "tests" / "golden"
#: 2025-0001: English, individual, manages U2/U10/U100, accepted 2025-03-12 (charter 2025-1);
#: 2026-0015: French, a team engagement of U2/U10/U149, accepted in 2026 (charter 2026-1)
CASES = {"en": "2025-0001", "fr": "2026-0015"}


def _engagement(engagement_id: str):  # type: ignore[no-untyped-def]
    programme, engagements, _ = demo()
    return programme, next(e for e in engagements if e.id == engagement_id)


@pytest.mark.parametrize("lang", sorted(CASES))
def test_contract_matches_golden(lang: str, tmp_path: Path) -> None:
    out = tmp_path / f"contract-{lang}.html"
    result = run_cli("contract", CASES[lang], "--root", str(ROOT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote the {lang} contract of {CASES[lang]} in {out}.\n"
    golden = GOLDEN / f"contract-{lang}.html"
    if os.environ.get("COACHDIR_UPDATE_GOLDEN"):
        shutil.copy(out, golden)
    assert out.read_bytes() == golden.read_bytes()


def test_contract_content_english() -> None:
    programme, engagement = _engagement("2025-0001")
    page = contract_html(engagement, programme, "en")
    assert '<html lang="en">' in page
    assert "<code>C-JKNGAEEOPM</code>" in page and "<code>aminata-ndiaye</code>" in page
    # the client manages U2/U10/U100: the sponsor is the manager of the unit above
    assert "manager of unit <code>U2/U10</code>" in page
    assert "An introductory conversation of 30 minutes, held on 2025-03-11, then 5 sessions" in page
    assert "nothing of the content of the sessions is reported to anyone".lower() in page.lower()
    assert "only general anonymised lessons" in page
    assert "version 2025-1" in page
    assert page.count('class="signature"') == 3
    assert "at the start" in page and "at the end" in page
    assert "refer the beneficiary to another coach" in page


def test_contract_team_sponsor_and_french() -> None:
    programme, engagement = _engagement("2026-0015")
    page = contract_html(engagement, programme, "fr")
    assert '<html lang="fr">' in page
    assert "équipe de l'unité <code>U2/U10/U149</code>" in page
    assert "responsable de l'unité <code>U2/U10</code>" in page
    assert "version 2026-1" in page
    assert sponsor_of(replace(engagement, unit="U2", kind="individual")).unit is None


def test_charter_in_force_by_date() -> None:
    programme, _ = _engagement("2025-0001")
    assert charter_in_force(programme, "2025-12-31") == "2025-1"
    assert charter_in_force(programme, "2026-01-05") == "2026-1"
    assert charter_in_force(programme, "2024-01-01") == programme.charter_current


def test_settings_are_escaped_and_nothing_is_fetched() -> None:
    programme, engagement = _engagement("2025-0001")
    raw = {
        **programme.raw,
        "name": {"fr": "x", "en": "<script>alert(1)</script>"},
        "site_url": "https://example.org/a&b/",
    }
    page = contract_html(engagement, replace(programme, raw=raw), "en")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<a href="https://example.org/a&amp;b/en/charter/">' in page
    # no resource from anywhere: no src=, no stylesheet link, no url(); the only address is
    # the charter link
    assert not re.search(r"\bsrc=|<link|url\(|@import", page)
    assert (
        re.findall(r"https?://[^\"<\s]+", page) == ["https://example.org/a&amp;b/en/charter/"] * 2
    )


def test_pdf_is_printed(tmp_path: Path) -> None:
    browser = os.environ.get("COACHDIR_CHROMIUM") or "/usr/bin/chromium"
    if shutil.which(browser) is None:
        pytest.skip("no Chromium on this machine")
    html, pdf = tmp_path / "c.html", tmp_path / "c.pdf"
    result = run_cli(
        "contract", "2025-0001", "--root", str(ROOT), "--out", str(html), "--pdf", str(pdf)
    )
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.html", "c.pdf"]


def test_says_when_it_replaces_a_file(tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    out.write_text("an earlier copy", encoding="utf-8")
    result = run_cli("contract", "2025-0001", "--root", str(ROOT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Replaced the en contract of 2025-0001 in {out}.\n"


def test_unwritable_out_is_a_message(tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "c.html"
    result = run_cli("contract", "2025-0001", "--root", str(ROOT), "--out", str(out))
    assert result.returncode == 1
    assert "No such file or directory. Check that this path exists" in result.stderr
    assert "Traceback" not in result.stderr


def test_pdf_without_chromium(tmp_path: Path) -> None:
    result = run_cli(
        "contract",
        "2025-0001",
        "--root",
        str(ROOT),
        "--out",
        str(tmp_path / "c.html"),
        "--pdf",
        str(tmp_path / "c.pdf"),
        env={"COACHDIR_CHROMIUM": str(tmp_path / "no-chromium")},
    )
    assert result.returncode == 1
    assert "Error: Chromium not found; open the HTML file and print it." in result.stderr
    assert (tmp_path / "c.html").is_file() and not (tmp_path / "c.pdf").exists()


def test_refuses_an_unknown_engagement(tmp_path: Path) -> None:
    result = run_cli("contract", "2099-0001", "--root", str(ROOT), cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "Error: no engagement '2099-0001' in the records; give the id of a file of "
        "engagements/ (YYYY-NNNN, without .yml)." in result.stderr
    )
    bad = run_cli("contract", "../../etc/passwd", "--root", str(ROOT), cwd=tmp_path)
    assert bad.returncode == 2
    assert "Error: the ENGAGEMENT argument is not an engagement id (YYYY-NNNN)." in bad.stderr
    assert "passwd" not in bad.stderr
    newline = run_cli("contract", "2025-0001\n", "--root", str(ROOT), cwd=tmp_path)
    assert newline.returncode == 2
    assert "is not an engagement id" in newline.stderr
    assert list(tmp_path.iterdir()) == []


def test_refuses_an_engagement_without_coach(tmp_path: Path) -> None:
    # 2025-0014 was closed before any intro
    result = run_cli("contract", "2025-0014", "--root", str(ROOT), cwd=tmp_path)
    assert result.returncode == 1
    assert "Error: engagement '2025-0014' has no coach yet (no intro);" in result.stderr


def test_refuses_a_language_without_text(tmp_path: Path) -> None:
    # an engagement held in Breton: the contract has a French and an English text only
    _, engagements, _ = demo()
    breton = next(e for e in engagements if e.language == "br" and e.coach)
    result = run_cli("contract", breton.id, "--root", str(ROOT), cwd=tmp_path)
    assert result.returncode == 2
    assert "pass --lang fr or --lang en." in result.stderr
    ok = run_cli("contract", breton.id, "--root", str(ROOT), "--lang", "fr", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / f"contract-{breton.id}.html").is_file()


def test_refuses_missing_records(tmp_path: Path) -> None:
    missing = tmp_path / "none"
    result = run_cli("contract", "2025-0001", "--root", str(ROOT), "--records", str(missing))
    assert result.returncode == 2
    assert f"Error: {missing}: no such records folder; pass --records DIR." in result.stderr
