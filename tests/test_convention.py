"""coachdir convention: the tripartite convention of an immersion period (golden files in
French and English), its content (parties as roles, blank names and signatures, functions,
place, duration, dates, legal references, blanks for the HR office), what it must not print
(the agent's code and unit), escaping, no outside request, and the refusals.

To refresh the golden files after an intended change:
    COACHDIR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_convention.py
and read the diff (git diff tests/golden) before committing."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from coachdir.offerings.immersions import ImmersionOffer, load_immersions
from coachdir.programme import Programme, load_programme
from coachdir.records.files import load_records
from coachdir.records.immersions import ImmersionRecord
from coachdir.reports.convention import convention_html
from conftest import ROOT, copy_programme, run_cli

GOLDEN = ROOT / "tests" / "golden"
#: 2026-0001: balisage-lorient, 3 days, accepted; 2026-0003: phare-ouessant, 5 days, accepted;
#: 2026-0002: postponed
CASES = {"fr": "2026-0001", "en": "2026-0003"}


def _demo(record_id: str) -> tuple[Programme, ImmersionRecord, ImmersionOffer]:
    programme, _, problems = load_programme(ROOT)
    assert programme is not None, problems
    coach_ids = sorted(p.stem for p in (ROOT / "coaches").glob("*.yml"))
    records = load_records(ROOT / "records", ROOT, programme, coach_ids)
    assert not records.problems
    record = next(r for _, r in records.immersions if r.id == record_id)
    offers, problems = load_immersions(ROOT, programme)
    assert not problems
    return programme, record, next(o for o in offers if o.id == record.offer)


@pytest.mark.parametrize("lang", sorted(CASES))
def test_convention_matches_golden(lang: str, tmp_path: Path) -> None:
    out = tmp_path / f"convention-{lang}.html"
    args = ("convention", CASES[lang], "--root", str(ROOT), "--out", str(out))
    result = run_cli(*args, "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote the {lang} convention of {CASES[lang]} in {out}.\n"
    golden = GOLDEN / f"convention-{lang}.html"
    if os.environ.get("COACHDIR_UPDATE_GOLDEN"):
        shutil.copy(out, golden)
    assert out.read_bytes() == golden.read_bytes()


def test_french_is_the_default_language(tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    result = run_cli("convention", "2026-0001", "--root", str(ROOT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (GOLDEN / "convention-fr.html").read_bytes()


def test_convention_content_english() -> None:
    programme, record, offer = _demo("2026-0003")
    page = convention_html(record, offer, programme, "en")
    assert '<html lang="en">' in page
    # the three parties as roles, each with a blank line for the name and a signature box
    for role in ("The agent on immersion", "The employing administration", "The host"):
        assert f'<th scope="row">{role}</th>' in page
    assert page.count('class="signature"') == 3
    assert "Lighthouse Directorate (fictional), Iroise Sea lighthouses subdivision" in page
    assert "(contact: Head of subdivision)" in page
    assert "<li>Maintenance of lights and optics</li>" in page
    assert "<li>Keeping the watch log</li>" in page
    assert "Place: Ouessant." in page
    days = sorted(record.days)
    assert f"Duration: {len(days)} working days, from {days[0]} to {days[-1]}." in page
    assert all(f"<li>{day}</li>" in page for day in days)
    assert 'on mission ("en mission")' in page
    assert "Décret n° 2016-1732 of 14 December 2016" in page
    assert "décret n° 2022-1043 of 22 July 2022" in page
    assert "articles 12 to 13-2" in page and "F36642" in page
    # costs and insurance are not verified: blanks for the HR office, no claim
    costs = page.split("<h2>5. Costs and insurance</h2>", 1)[1].split("</section>", 1)[0]
    assert "To be completed by the HR office." in costs
    assert costs.count('class="fill"') == 4


def test_convention_content_french() -> None:
    programme, record, offer = _demo("2026-0001")
    page = convention_html(record, offer, programme, "fr")
    assert '<html lang="fr">' in page
    assert "<li>Préparation d&#39;une campagne de balisage</li>" in page
    assert "Durée : 3 jours ouvrés" in page
    assert "est en mission pour la prise en charge de ses frais" in page
    assert "À compléter par le service des ressources humaines." in page
    assert "modifié par le décret n° 2022-1043 du 22 juillet 2022" in page


def test_no_pseudonymous_code_nor_unit_is_printed() -> None:
    for record_id in CASES.values():
        programme, record, offer = _demo(record_id)
        for lang in ("fr", "en"):
            page = convention_html(record, offer, programme, lang)
            assert record.client not in page
            assert not re.search(r"C-[A-Z2-7]{10}", page)
            assert record.unit not in page and not re.search(r"\bU\d+/U\d+", page)
            assert record.requested not in page  # the request's day is the records' own


def test_hostile_offer_text_is_escaped_and_nothing_is_fetched() -> None:
    programme, record, offer = _demo("2026-0003")
    hostile = replace(
        offer,
        title={"fr": "<script>alert(1)</script>", "en": "<script>alert(1)</script>"},
        host={"fr": "A & B", "en": 'A "&" B'},
        functions=({"fr": "<img src=x onerror=alert(1)>", "en": "<img src=x onerror=alert(1)>"},),
        location="<b>Brest</b>",
        contact_role={"fr": "x", "en": "</td><td>"},
    )
    for lang in ("fr", "en"):
        page = convention_html(record, hostile, programme, lang)
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert "<img" not in page and "&lt;img src=x" in page
        assert "<b>" not in page and "&lt;b&gt;Brest&lt;/b&gt;" in page
        assert "</td><td>)" not in page
        # no resource from anywhere (no tag with src=, no stylesheet link, no url()), and no
        # address at all
        assert not re.search(r"<[^>]*\bsrc=|<link|url\(|@import|https?://", page)
        plain = convention_html(record, offer, programme, lang)
        assert not re.search(r"\bsrc=|<link|url\(|@import|https?://", plain)


def test_offer_text_with_quotes_and_ampersands_through_the_command(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    offer = prog / "immersions" / "balisage-lorient.yml"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace('"Sécurité à bord"', '"Sécurité & \\"sûreté\\" à bord"'))
    out = tmp_path / "c.html"
    result = run_cli("convention", "2026-0001", "--root", str(prog), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "<li>Sécurité &amp; &#34;sûreté&#34; à bord</li>" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argument", "message", "code"),
    [
        ("2026-0099", "no immersion '2026-0099' in the records", 2),
        ("not-an-id", "the IMMERSION argument is not an immersion id (YYYY-NNNN).", 2),
        ("2026-0002", "immersion '2026-0002' is not accepted", 1),
    ],
)
def test_refusals(argument: str, message: str, code: int, tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    result = run_cli("convention", argument, "--root", str(ROOT), "--out", str(out))
    assert result.returncode == code, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_refused_when_the_records_have_an_error(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    record = prog / "records" / "immersions" / "2026-0001.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('  - "2027-03-10"\n  - "2027-03-11"\n', ""), encoding="utf-8")
    out = tmp_path / "c.html"
    result = run_cli("convention", "2026-0001", "--root", str(prog), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[immersion.days]" in result.stdout + result.stderr
    assert not out.exists()


def test_pdf_is_printed(tmp_path: Path) -> None:
    browser = os.environ.get("COACHDIR_CHROMIUM") or "/usr/bin/chromium"
    if shutil.which(browser) is None:
        pytest.skip("no Chromium on this machine")
    html, pdf = tmp_path / "c.html", tmp_path / "c.pdf"
    args = ("convention", "2026-0001", "--root", str(ROOT), "--out", str(html), "--pdf", str(pdf))
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_without_chromium(tmp_path: Path) -> None:
    html, pdf = tmp_path / "c.html", tmp_path / "c.pdf"
    result = run_cli(
        "convention",
        "2026-0001",
        "--root",
        str(ROOT),
        "--out",
        str(html),
        "--pdf",
        str(pdf),
        env={"COACHDIR_CHROMIUM": str(tmp_path / "no-chromium")},
    )
    assert result.returncode == 1
    assert "Error: Chromium not found; open the HTML file and print it." in result.stderr
    assert html.is_file() and not pdf.exists()
