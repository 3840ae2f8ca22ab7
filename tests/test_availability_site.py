"""Availability on the built site: with availability.json, a coach with no free place is not
"accepting" (filter, count, badge), cannot be shortlisted (its reason in the server-rendered
HTML, where the script adds a disabled button; and in the directory data), and an old file
shows a dated note."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from coachdir.model.coach import standing_reason
from coachdir.programme import load_programme
from coachdir.site.build import build_site
from conftest import ROOT, copy_programme

TODAY = date(2026, 11, 22)
FULL = "camille-tremblay"  # accepting in its profile, but no place free in availability.json


def _profiles() -> dict[str, dict[str, Any]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "coaches").glob("*.yml"))
    }


def _build(dest: Path, computed: str, max_age: int | None = None) -> Path:
    root = copy_programme(dest)
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    if max_age is not None:
        with (root / "programme.yml").open("a", encoding="utf-8") as f:
            f.write(f"availability_max_age_days: {max_age}\n")
    coaches = {}
    for cid, p in _profiles().items():
        open_ = p["status"] == "accepting" and cid != FULL
        coaches[cid] = {"free": p["capacity"] if open_ else 0, "capacity": p["capacity"]}
    doc = {"computed": computed, "coaches": coaches}
    (root / "availability.json").write_text(json.dumps(doc), encoding="utf-8")
    build_site(root, site_dir=root / "site", today=TODAY)
    return root / "site"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("fresh") / "p", "2026-11-20")


@pytest.fixture(scope="module")
def stale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("stale") / "p", "2026-11-01")


def _soup(site: Path, lang: str, rel: str) -> BeautifulSoup:
    return BeautifulSoup(
        (site / lang / rel / "index.html").read_text(encoding="utf-8"), "html.parser"
    )


def _data(site: Path, lang: str) -> dict[str, Any]:
    text = (site / lang / "assets" / "coaches.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _card(soup: BeautifulSoup, cid: str) -> Any:
    card = soup.find("li", attrs={"class": "cd-card", "data-id": cid})
    assert card is not None, cid
    return card


def _full_reason(scope: Any, cid: str, reason: str) -> None:
    """Without the script there is no shortlist: the page shows the reason, no button (the
    script adds the disabled button, described by this note)."""
    assert scope.find("button") is None
    note = scope.find(id=f"cd-full-{cid}")
    assert note is not None and note.get_text() == reason


@pytest.mark.parametrize(
    ("lang", "reason"), [("en", "full: no place free"), ("fr", "complet : aucune place libre")]
)
def test_full_coach_shows_its_reason_and_no_shortlist_button_without_js(
    fresh: Path, lang: str, reason: str
) -> None:
    directory = _soup(fresh, lang, "directory")
    _full_reason(_card(directory, FULL), FULL, reason)
    host = _soup(fresh, lang, f"coaches/{FULL}").find("div", class_="cd-shortlist-toggle")
    assert host is not None
    _full_reason(host, FULL, reason)
    # a coach with a free place keeps the script-drawn button only (none server-side)
    other = "helene-dubois"  # accepting, a free place, a verified credential, supervision
    assert _card(directory, other).find("button") is None
    page = _soup(fresh, lang, f"coaches/{other}")
    assert page.find("div", class_="cd-shortlist-toggle").find("button") is None


def test_accepting_filter_and_count_use_the_free_places(fresh: Path) -> None:
    profiles = _profiles()
    programme = load_programme(ROOT)[0]
    assert programme is not None
    accepting = sorted(
        c
        for c, p in profiles.items()
        if p["status"] == "accepting"
        and c != FULL
        and standing_reason(p, programme, TODAY.isoformat()) is None
    )
    for lang in ("en", "fr"):
        data = _data(fresh, lang)
        facet = next(f for f in data["facets"] if f["key"] == "availability")
        ids = [v["id"] for v in facet["values"]]
        open_ = sorted(
            c["id"] for c in data["coaches"] if ids[c["f"]["availability"][0]] == "accepting"
        )
        assert open_ == accepting
        by_id = {c["id"]: c for c in data["coaches"]}
        assert by_id[FULL]["p"]["full"] is True
        assert by_id[FULL]["p"]["text"] == {"en": "full", "fr": "complet"}[lang]
        assert by_id[accepting[0]]["p"]["full"] is False
        assert data["strings"]["places_no_shortlist"]
    en = _soup(fresh, "en", "directory")
    text = en.get_text(" ")
    assert f"{len(profiles)} coaches in the directory, {len(accepting)} of them accepting" in text
    badge = _card(en, FULL).find("span", class_="cd-badge")
    assert badge["class"] == ["cd-badge", "cd-badge--paused"]


def test_no_stale_note_when_fresh(fresh: Path) -> None:
    for lang in ("en", "fr"):
        assert _soup(fresh, lang, "directory").find(class_="cd-places-updated") is None
        assert _soup(fresh, lang, f"coaches/{FULL}").find(class_="cd-places-updated") is None


def test_stale_note_when_older_than_availability_max_age_days(stale: Path) -> None:
    want = {
        "en": "Places last updated on 1 November 2026.",
        "fr": "Places mises à jour le 1er novembre 2026.",
    }
    for lang in ("en", "fr"):
        for rel in ("directory", f"coaches/{FULL}"):
            notes = _soup(stale, lang, rel).find_all(class_="cd-places-updated")
            assert [n.get_text() for n in notes] == [want[lang]], (lang, rel)


def test_availability_max_age_days_setting_is_read(tmp_path: Path) -> None:
    site = _build(tmp_path / "p", "2026-11-01", max_age=30)
    assert _soup(site, "en", "directory").find(class_="cd-places-updated") is None
    text = (site / "en" / "directory" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"last updated", text)
