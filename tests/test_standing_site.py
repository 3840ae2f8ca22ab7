"""The directory never says "accepting new clients" of a coach who cannot take one on the
build's day (no verified qualifying credential, supervision to renew, an outdated charter
signature): the badge, the shortlist note (no-JS), the directory data, the filter facet and the
count all give the plain reason instead, in both languages; without availability.json too."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from coachdir.site.build import build_site
from conftest import ROOT, copy_programme

TODAY = date(2026, 11, 22)
#: coach id -> (the edit that takes their standing away, the reason in en and fr); the three
#: coaches are accepting, with a free place and a verified credential in the sample
CASES: dict[str, tuple[tuple[str, str], dict[str, str]]] = {
    "helene-dubois": (
        ('last: "2026-10-05"', 'last: "2025-10-05"'),
        {
            "en": "Not taking new clients: supervision to renew",
            "fr": "Ne prend pas de nouvelles personnes : supervision à renouveler",
        },
    ),
    "soren-lindqvist": (
        ('version: "2026-1"', 'version: "2025-1"'),
        {
            "en": "Not taking new clients: charter to sign again",
            "fr": "Ne prend pas de nouvelles personnes : charte à signer de nouveau",
        },
    ),
    "ines-carvalho": (
        ("", ""),  # its verification entries removed (see _unverify): the credential stays
        {
            "en": "Not taking new clients: credential to be verified",
            "fr": "Ne prend pas de nouvelles personnes : qualification à faire vérifier",
        },
    ),
}


def _unverify(text: str) -> str:
    """The profile without its verification entries (the credential stays, unverified)."""
    head, _, rest = text.partition("verification:\n")
    lines = rest.splitlines(keepends=True)
    while lines and lines[0].startswith((" ", "-")):
        lines.pop(0)
    return head + "".join(lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_programme(tmp_path_factory.mktemp("standing") / "p")
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    for cid, ((old, new), _) in CASES.items():
        path = root / "coaches" / f"{cid}.yml"
        text = path.read_text(encoding="utf-8")
        if cid == "ines-carvalho":
            assert "verification:\n" in text
            text = _unverify(text)
        else:
            assert text.count(old) == 1, (cid, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    (root / "availability.json").unlink(missing_ok=True)
    return build_site(root, today=TODAY).site_dir


def _soup(site: Path, lang: str, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / lang / rel / "index.html").read_text("utf-8"), "html.parser")


def _data(site: Path, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / lang / "assets" / "coaches.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("cid", sorted(CASES))
def test_the_reason_replaces_accepting_on_the_card_and_the_page(
    site: Path, lang: str, cid: str
) -> None:
    reason = CASES[cid][1][lang]
    card = _soup(site, lang, "directory").find("li", attrs={"class": "cd-card", "data-id": cid})
    assert card is not None
    badge = card.find("span", class_="cd-badge")
    assert badge["class"] == ["cd-badge", "cd-badge--paused"] and badge.get_text() == reason
    note = card.find(id=f"cd-full-{cid}")  # no-JS: the reason where the shortlist button goes
    assert note is not None and note.get_text() == reason and card.find("button") is None
    page = _soup(site, lang, f"coaches/{cid}")
    assert page.find("span", class_="cd-badge").get_text() == reason
    assert page.find("span", class_="cd-badge--accepting") is None
    host = page.find("div", class_="cd-shortlist-toggle")
    assert host.find(id=f"cd-full-{cid}").get_text() == reason


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_data_filter_and_count_do_not_count_them_as_accepting(site: Path, lang: str) -> None:
    data = _data(site, lang)
    facet = next(f for f in data["facets"] if f["key"] == "availability")
    values = [v["id"] for v in facet["values"]]
    by_id = {c["id"]: c for c in data["coaches"]}
    for cid, (_, reasons) in CASES.items():
        assert values[by_id[cid]["f"]["availability"][0]] == "paused"
        assert by_id[cid]["r"] == reasons[lang]
    accepting = [c for c in data["coaches"] if values[c["f"]["availability"][0]] == "accepting"]
    assert accepting and all("r" not in c for c in accepting)
    if lang == "en":
        text = _soup(site, lang, "directory").get_text(" ")
        assert f", {len(accepting)} of them accepting" in text
