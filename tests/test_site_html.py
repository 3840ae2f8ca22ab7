"""Structural checks of the built HTML, without a browser.

The site is built once per session from the sample programme plus the hostile-but-valid
profiles of tests/e2e/conftest.py (so the checks also cover data that tries to be markup).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

LANGS = ("fr", "en")
_FAKE = "http://site.invalid/"
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _e2e_helpers() -> Any:
    """tests/e2e/conftest.py, loaded by path: its programme maker and hostile profiles."""
    name = "_coachdir_e2e_conftest"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parent / "e2e" / "conftest.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _e2e_helpers().build_programme(tmp_path_factory.mktemp("html") / "prog")


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20, f"only {len(pages)} pages built"
    return pages


def _rel(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()


def _programme() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "programme.yml").read_text(encoding="utf-8"))


def _strings() -> dict[str, dict[str, str]]:
    path = ROOT / "src" / "coachdir" / "site" / "templates" / "strings.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _coaches(site: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((site.parent / "coaches").glob("*.yml"))
    }


_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "TH", "ı": "i",
    }
)  # fmt: skip


def fold(name: str) -> str:
    """Accent-folded, case-folded sort key: 'Élodie' ~ 'elodie', 'Øystein' ~ 'oystein'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _report(problems: list[str], what: str) -> str:
    shown = "\n".join(problems[:60])
    more = f"\n... and {len(problems) - 60} more" if len(problems) > 60 else ""
    return f"{len(problems)} {what}:\n{shown}{more}"


# --- every page ----------------------------------------------------------------------------


def test_one_h1_per_page(site: Path) -> None:
    problems = []
    for page in _pages(site):
        h1 = _soup(page).find_all("h1")
        if len(h1) != 1:
            texts = [h.get_text(" ", strip=True) for h in h1]
            problems.append(f"{_rel(site, page)}: {len(h1)} <h1> {texts}")
    assert not problems, _report(problems, "pages without exactly one <h1>")


def test_heading_levels_never_skip(site: Path) -> None:
    problems = []
    for page in _pages(site):
        previous = 0
        for heading in _soup(page).find_all(re.compile(r"^h[1-6]$")):
            level = int(heading.name[1])
            if level > previous + 1:
                text = heading.get_text(" ", strip=True)[:60]
                problems.append(
                    f"{_rel(site, page)}: <{heading.name}> {text!r} after "
                    f"{'<h' + str(previous) + '>' if previous else 'no heading'}"
                )
            previous = level
    assert not problems, _report(problems, "skipped heading levels")


def test_every_image_has_alt(site: Path) -> None:
    problems = [
        f"{_rel(site, page)}: {img}"
        for page in _pages(site)
        for img in _soup(page).find_all("img")
        if img.get("alt") is None
    ]
    assert any(_soup(p).find("img") for p in _pages(site)), "no <img> at all: nothing was checked"
    assert not problems, _report(problems, "images without alt")


def test_html_lang_matches_the_folder(site: Path) -> None:
    problems = []
    for page in _pages(site):
        rel = _rel(site, page)
        want = rel.split("/")[0] if rel.split("/")[0] in LANGS else "fr"
        got = _soup(page).html.get("lang") if _soup(page).html else None
        if got != want:
            problems.append(f"{rel}: <html lang={got!r}>, want {want!r}")
    assert not problems, _report(problems, "pages in the wrong language")


def test_no_script_or_stylesheet_from_another_host(site: Path) -> None:
    problems = []
    for page in _pages(site):
        soup = _soup(page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                value = str(el.get(attr) or "")
                if _EXTERNAL.match(value):
                    problems.append(f"{_rel(site, page)}: <{tag} {attr}={value!r}>")
    assert not problems, _report(problems, "resources from another host")


def test_no_inline_event_handler_or_script_url(site: Path) -> None:
    problems = []
    for page in _pages(site):
        for el in _soup(page).find_all(True):
            for name, value in el.attrs.items():
                handler = name.lower().startswith("on")
                script_url = name in ("href", "src", "action", "formaction") and str(
                    value
                ).strip().lower().startswith("javascript:")
                if handler or script_url:
                    problems.append(f"{_rel(site, page)}: <{el.name} {name}={value!r}>")
    assert not problems, _report(problems, "inline handlers or javascript: URLs")


def test_every_internal_link_resolves(site: Path) -> None:
    problems = []
    checked = 0
    for page in _pages(site):
        rel = _rel(site, page)
        soup = _soup(page)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in soup.find_all(tag):
                value = el.get(attr)
                if value is None:
                    continue
                value = str(value).strip()
                if not value or value.startswith("#") or _SCHEME.match(value):
                    continue
                if value.startswith("//"):
                    continue  # another host: test_no_script_or_stylesheet_from_another_host
                checked += 1
                target = unquote(urlsplit(urljoin(_FAKE + rel, value)).path).lstrip("/")
                path = site / target
                if target == "" or target.endswith("/") or path.is_dir():
                    path = path / "index.html"
                if not path.is_file():
                    problems.append(f"{rel}: <{tag} {attr}={value!r}> -> {target} (missing)")
    assert checked > 1000, f"only {checked} internal links checked"
    assert not problems, _report(problems, "broken internal links")


# --- programme settings on the pages -------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_charter_shows_the_current_version(site: Path, lang: str) -> None:
    current = _programme()["charter"]["current"]
    article = _soup(site / lang / "charter" / "index.html").find("article")
    assert article is not None
    assert current in article.get_text(" ", strip=True), f"charter {current} not shown ({lang})"


def test_footer_has_the_ethics_referent_and_a_report_link(site: Path) -> None:
    referent = _programme()["ethics_referent"]
    report = {lang: _strings()["report_concern"][lang] for lang in LANGS}
    problems = []
    for lang in LANGS:
        for page in sorted((site / lang).rglob("*.html")):
            footer = _soup(page).find("footer")
            rel = _rel(site, page)
            if footer is None:
                problems.append(f"{rel}: no <footer>")
                continue
            links = footer.find_all("a", href=f"mailto:{referent['email']}")
            if not any(a.get_text(" ", strip=True) == report[lang] for a in links):
                problems.append(f"{rel}: no {report[lang]!r} link to mailto:{referent['email']}")
            if referent["email"] not in footer.get_text(" ", strip=True):
                problems.append(f"{rel}: the footer does not show {referent['email']}")
    assert not problems, _report(problems, "footers without the ethics referent")


# --- the directory -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_directory_lists_every_coach_once_sorted_by_name(site: Path, lang: str) -> None:
    coaches = _coaches(site)
    cards = _soup(site / lang / "directory" / "index.html").select("li.cd-card")
    ids = [str(card.get("data-id")) for card in cards]
    duplicates = sorted({cid for cid in ids if ids.count(cid) > 1})
    assert not duplicates, f"listed more than once: {duplicates}"
    assert sorted(ids) == sorted(coaches), (
        f"missing: {sorted(set(coaches) - set(ids))}, unknown: {sorted(set(ids) - set(coaches))}"
    )
    for card in cards:
        cid = card["data-id"]
        link = card.select_one(".cd-card__name a")
        assert link is not None and link.get("href") == f"../coaches/{cid}/", cid
        assert link.get_text(strip=True) == coaches[str(cid)]["name"], cid
    want = sorted(coaches, key=lambda cid: (fold(coaches[cid]["name"]), cid))
    assert ids == want, "not sorted by accent-folded name:\n" + "\n".join(
        f"  #{i}: got {coaches[g]['name']!r}, want {coaches[w]['name']!r}"
        for i, (g, w) in enumerate(zip(ids, want, strict=True))
        if g != w
    )


def _shingles(text: str, size: int = 6) -> set[str]:
    words = re.sub(r"[*_`\[\]()<>#]", " ", text).split()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.parametrize("lang", LANGS)
def test_data_file_holds_no_email_and_no_bio(site: Path, lang: str) -> None:
    path = site / lang / "assets" / "coaches.json"
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    data = json.loads(text)
    gz = len(gzip.compress(raw, compresslevel=9))
    print(f"{lang}/assets/coaches.json: {len(raw)} bytes, {gz} bytes gzipped "
          f"({len(data['coaches'])} coaches)")  # fmt: skip
    # the programme team's address is the request button's target, public by design; no
    # coach's address may be in the data file
    settings = yaml.safe_load((ROOT / "programme.yml").read_text(encoding="utf-8"))
    team = {settings["request_target"].get("email")}
    emails = sorted(set(_EMAIL.findall(text)) - team)
    assert not emails, f"e-mail addresses in {path.name}: {emails}"
    flat = " ".join(re.sub(r"[*_`\[\]()<>#]", " ", text).split())
    leaked = []
    for cid, coach in _coaches(site).items():
        for bio_lang, bio in coach["bio"].items():
            hits = [s for s in _shingles(bio) if s in flat]
            if hits:
                leaked.append(f"{cid} bio.{bio_lang}: {hits[0]!r}")
    assert not leaked, _report(leaked, "bios found in the data file")
