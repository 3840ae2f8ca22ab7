"""Groups and immersion offers in the built site (issue 15): their list pages in the navigation,
one page per entry in fr and en, the join request of an open group prefilled with its id in the
form-body format, no request where the group takes none, every value escaped, and no page at
all for a programme without entries."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from coachdir.github.groupforms import group_join_form
from coachdir.github.issueform import parse_answers
from coachdir.programme import load_programme
from coachdir.site.build import build_site
from conftest import ROOT, copy_programme

TODAY = date(2026, 11, 22)
HOSTILE = 'Codev "à part" & *gras* {{ x }} &lt;/h1&gt; [lien](https://x.example)'


def _page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_programme(tmp_path_factory.mktemp("offerings") / "p")
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    for folder in ("groups", "immersions"):
        shutil.copytree(ROOT / folder, root / folder, dirs_exist_ok=True)
    brest = root / "groups" / "codev-brest-2027.yml"
    text = brest.read_text(encoding="utf-8")
    brest.write_text(
        text.replace('en: "Co-development for new managers, Brest"', f"en: {HOSTILE!r}"),
        encoding="utf-8",
    )
    return build_site(root, today=TODAY).site_dir


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_group_and_immersion_has_its_page_and_a_card(site: Path, lang: str) -> None:
    groups = sorted(p.stem for p in (ROOT / "groups").glob("*.yml"))
    immersions = sorted(p.stem for p in (ROOT / "immersions").glob("*.yml"))
    assert groups and immersions
    for kind, ids in (("groups", groups), ("immersions", immersions)):
        listing = _page(site / lang, kind)
        cards = [li["data-id"] for li in listing.select(".cd-cards > li.cd-card")]
        assert sorted(cards) == ids, kind
        for entry in ids:
            page = _page(site / lang, f"{kind}/{entry}")
            assert page.select_one(f"[data-{kind[:-1]}='{entry}']") is not None
            switch = page.select_one(".cd-lang-switch a[hreflang]")
            other = "en" if lang == "fr" else "fr"
            assert switch is not None and switch["href"] == f"../../../{other}/{kind}/{entry}/"
        nav = {a.get_text(strip=True) for a in listing.select("nav a")}
        assert listing.select_one("h1") is not None
        assert listing.select_one("h1").get_text(strip=True) in nav


def test_a_title_is_shown_as_written_and_never_as_markup(site: Path) -> None:
    page = _page(site / "en", "groups/codev-brest-2027")
    assert page.select_one("h1").get_text() == HOSTILE
    assert page.title is not None and HOSTILE in page.title.get_text()
    listing = _page(site / "en", "groups")
    assert HOSTILE in [a.get_text() for a in listing.select(".cd-card__name a")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_open_group_asks_by_the_join_form_prefilled_with_its_id(site: Path, lang: str) -> None:
    button = _page(site / lang, "groups/codev-brest-2027").select_one(".cd-request__button")
    assert button is not None
    link = urlsplit(button["href"])
    assert link.scheme == "mailto"
    body = unquote(parse_qs(link.query)["body"][0])
    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    answers, missing = parse_answers(group_join_form(programme), body, typed=True)
    assert answers["group"] == "codev-brest-2027"  # what the person adds is still to answer
    assert {e.field for e in missing} == {"contract_type", "unit", "manages_unit", "consent"}


def test_a_full_group_takes_no_request(site: Path) -> None:
    page = _page(site / "en", "groups/codev-visio-2026")
    assert page.select_one(".cd-request__button") is None
    assert "takes no new request" in page.select_one(".cd-request").get_text()


def test_the_sessions_are_a_table_with_headers_and_a_caption(site: Path) -> None:
    page = _page(site / "fr", "groups/codev-brest-2027")
    table = page.select_one(".cd-sessions table")
    assert table is not None and "Europe/Paris" in table.caption.get_text()
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * 3
    assert len(table.select("tbody tr")) == 6
    assert table.select_one("tbody tr").get_text(" ", strip=True) == (
        "1 14 janvier 2027 de 14:00 à 16:30"
    )


def test_without_entries_there_is_no_page_nor_nav_entry(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "p")
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    for folder in ("groups", "immersions"):
        shutil.rmtree(root / folder, ignore_errors=True)
    site = build_site(root, today=TODAY).site_dir
    for lang in ("fr", "en"):
        assert not (site / lang / "groups").exists()
        assert not (site / lang / "immersions").exists()
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        assert "groups/" not in home and "immersions/" not in home


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_group_page_links_its_calendar_which_parses_back(site: Path, lang: str) -> None:
    from icalendar import Calendar

    for path in sorted((ROOT / "groups").glob("*.yml")):
        page = _page(site / lang, f"groups/{path.stem}")
        link = page.select_one("a[download]")
        assert link is not None
        target = (site / lang / "groups" / path.stem / link["href"]).resolve()
        assert target == (site / lang / "groups" / f"{path.stem}.{lang}.ics").resolve()
        calendar = Calendar.from_ical(target.read_bytes())
        events = calendar.walk("VEVENT")
        assert len(events) == path.read_text(encoding="utf-8").count("- {id: s")
        assert str(calendar["METHOD"]) == "PUBLISH"


def test_a_staged_group_is_not_shown(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "p")
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    shutil.rmtree(root / "groups", ignore_errors=True)
    (root / "groups").mkdir()
    text = (ROOT / "groups" / "codev-brest-2027.yml").read_text(encoding="utf-8")
    staged = root / "groups" / "codev-brest-2027.yml"
    staged.write_text(text.replace("status: open", "status: staged"), encoding="utf-8")
    site = build_site(root, today=TODAY).site_dir
    assert not (site / "en" / "groups").exists()
    staged.write_text(text, encoding="utf-8")
    site = build_site(root, today=TODAY).site_dir
    assert (site / "en" / "groups" / "codev-brest-2027" / "index.html").is_file()
