"""programme.yml values are text wherever they land: Markdown pages, theme slots, the footer.

Unit and property tests of the escapers of coachdir.site.render (md_text, html_text, url_text),
then one real build whose every settings field that reaches a page holds hostile text that
the schema accepts (no '<' or '>', one line), checked in the built HTML with BeautifulSoup.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdir.site.render import SITE_NAME_SLOT, TITLE_SLOT, html_text, md_text, url_text
from conftest import ROOT, TODAY, copy_programme, run_cli

# The Markdown extensions of the repository's mkdocs.yml.
_EXTENSIONS = ["tables", "admonition", "attr_list", "toc"]

#: Hostile text that passes the programme schema (a single line without '<' or '>').
HOSTILE = [
    'Prog" autofocus onfocus="alert(7)" x="',
    "{ tabindex=0 autofocus onfocus=alert(11) }",
    "[monthly](javascript:alert(1)) ![t](https://tracker.example/p.gif)",
    "' onmouseover='alert(2)' data-x='",
    "&lt;img src=x onerror=alert(3)&gt; &amp; *b* _i_ `c` | d |",
    "{: #x onclick=alert(4) } ![x](data:image/png;base64,AAAA)",
    f"{SITE_NAME_SLOT} {TITLE_SLOT} {{{{ programme_name }}}}",
    "- 1. # !!! note ==m== ~~s~~ :smile: +++ \\*",
]


def _visible(value: str) -> str:
    """The text a reader should see for ``value``: white space collapses as in HTML."""
    return re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", "\ufffd", value)


def _squash(text: str) -> str:
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


def _render(source: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(source, extensions=_EXTENSIONS), "html.parser")


def _tags(soup: BeautifulSoup) -> list[tuple[str, dict[str, Any]]]:
    return [(tag.name, dict(tag.attrs)) for tag in soup.find_all(True)]


# --- md_text -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_md_text_in_a_paragraph_is_one_paragraph_of_the_same_text(value: str) -> None:
    soup = _render(f"Before {md_text(value)} after.")
    assert _tags(soup) == [("p", {})]
    assert soup.get_text() == f"Before {value} after."


@pytest.mark.parametrize("value", HOSTILE)
def test_md_text_in_a_heading_adds_no_attribute(value: str) -> None:
    soup = _render(f"# {md_text(value)}")
    [(name, attrs)] = _tags(soup)
    assert name == "h1" and set(attrs) == {"id"}
    assert soup.get_text() == value.strip()


def test_md_text_keeps_plain_settings_unchanged() -> None:
    for value in ("Programme d'accompagnement (fictive)", "2026-1", "a.b-c@x.example", "30"):
        assert md_text(value) == value


def test_md_text_neutralises_block_syntax_at_the_start_of_a_line() -> None:
    for value in ("- item", "1. first", "2026) x", "> quote", "---", "===", "    code", "| a |"):
        soup = _render(f"Line\n{md_text(value)}\n\n{md_text(value)} end")
        assert _tags(soup) == [("p", {}), ("p", {})], value
        assert _squash(soup.get_text()) == _squash(f"Line {value} {value} end"), value


#: (Markdown around the value, the elements it must give, the text they must show)
_CONTEXTS = [
    ("Text {} more.", ["p"], "Text {} more."),
    ("# {}", ["h1"], "{}"),
    ("**{}**", ["p", "strong"], "{}"),
    ("Para\n{}", ["p"], "Para {}"),
    ("{}", ["p"], "{}"),
    ("- {}", ["ul", "li"], "{}"),
    ("| a | b |\n|---|---|\n| x | {} |", ["table", "thead", "tr", "th", "th", "tbody"], "{}"),
]


@settings(max_examples=400, deadline=None)
@given(
    value=st.text(min_size=1, max_size=40).filter(lambda v: v.strip(" \t\n\r\f\v")),
    context=st.sampled_from(_CONTEXTS),
)
def test_md_text_is_always_text(value: str, context: tuple[str, list[str], str]) -> None:
    source, structure, shown = context
    soup = _render(source.format(md_text(value)))
    tags = _tags(soup)
    if structure[0] == "table":
        structure = [*structure, "tr", "td", "td"]
        element: Any = soup.find_all("td")[1]
    else:
        element = soup.find(structure[-1])
    assert [name for name, _ in tags] == structure
    for name, attrs in tags:
        assert set(attrs) <= ({"id"} if name == "h1" else set()), (name, attrs)
    assert _squash(element.get_text()) == _squash(shown.format(_visible(value)))


# --- html_text and url_text ----------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(value=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=40))
def test_html_text_round_trips_in_text_and_attributes(value: str) -> None:
    soup = BeautifulSoup(f'<p title="{html_text(value)}">{html_text(value)}</p>', "html.parser")
    [tag] = soup.find_all(True)
    assert tag.name == "p" and set(tag.attrs) == {"title"}
    assert tag["title"] == value and tag.get_text() == value
    assert SITE_NAME_SLOT not in html_text(value)


def test_url_text_refuses_other_schemes_and_stays_in_its_attribute() -> None:
    for bad in ("javascript:alert(1)", "data:text/html,x", "http://x.example/"):
        with pytest.raises(ValueError):
            url_text(bad)
    url = url_text("https://x.example/a\"b'c d`e_f/")
    assert url == "https://x.example/a%22b%27c%20d%60e%5Ff/"
    assert url_text("deontologie@phares-balises.example") == "deontologie@phares-balises.example"


# --- a real build with hostile settings ----------------------------------------------------


def _hostile(index: int, field: str) -> str:
    """Hostile text for one settings field, with a marker naming the field (<= 120 chars)."""
    return f"{field} {HOSTILE[index % len(HOSTILE)]}"[:120]


def make_hostile_programme(dest: Path) -> dict[str, Any]:
    """The sample programme with hostile text in every settings field that reaches a page."""
    copy_programme(dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    data = yaml.safe_load((dest / "programme.yml").read_text(encoding="utf-8"))
    data["name"] = {"fr": HOSTILE[1], "en": HOSTILE[0]}
    data["organisation"] = {"fr": _hostile(3, "org"), "en": _hostile(4, "org")}
    data["session_plan"]["frequency"] = {"fr": HOSTILE[2], "en": _hostile(5, "freq")}
    data["ethics_referent"]["name"] = _hostile(6, "referent")
    data["site_url"] = "https://coaching.example/a'\"onfocus=alert(5)x/"
    count = 7
    for vocabulary, terms in data["vocabularies"].items():
        for term in terms:
            for lang in ("fr", "en"):
                term[lang] = _hostile(count, f"{vocabulary}-{term['id']}-{lang}")
                count += 1
    text = "# yaml-language-server: $schema=schemas/programme.schema.json\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=1000
    )
    (dest / "programme.yml").write_text(text, encoding="utf-8")
    return data


def build_hostile(dest: Path) -> tuple[Path, dict[str, Any]]:
    data = make_hostile_programme(dest)
    result = run_cli("build", "--root", str(dest), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return dest / "site", data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return build_hostile(tmp_path_factory.mktemp("hostile-settings") / "prog")


_URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "srcset")


def test_hostile_settings_make_no_markup(hostile_site: tuple[Path, dict[str, Any]]) -> None:
    site, _ = hostile_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag in BeautifulSoup(text, "html.parser").find_all(True):
            where = f"{page.relative_to(site)}: <{tag.name} {tag.attrs}>"
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), where
                assert attr.lower() not in ("autofocus", "onfocus", "data-x"), where
                if attr.lower() in _URL_ATTRS:
                    url = (value if isinstance(value, str) else " ".join(value)).strip().lower()
                    assert not url.startswith(("javascript:", "data:", "vbscript:")), where
                    if attr.lower() in ("src", "srcset", "poster", "data"):
                        assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", url), where
            if tag.name in ("h1", "h2", "h3"):
                assert "tabindex" not in tag.attrs, where
            assert tag.name not in ("img", "script", "iframe") or not any(
                marker in str(tag) for marker in ("tracker", "alert")
            ), where


def test_hostile_settings_show_as_written(hostile_site: tuple[Path, dict[str, Any]]) -> None:
    site, data = hostile_site
    for lang in ("fr", "en"):
        name = data["name"][lang]
        home = BeautifulSoup((site / lang / "index.html").read_text("utf-8"), "html.parser")
        logo = home.select_one("a.md-header__button.md-logo")
        assert logo is not None and logo["aria-label"] == name and logo["title"] == name
        assert home.title is not None and home.title.get_text() == name
        assert home.h1 is not None and home.h1.get_text() == name
        topic = home.select_one(".md-header__topic .md-ellipsis")
        assert topic is not None and topic.get_text().strip() == name
        footer = home.select_one(".md-copyright")
        assert footer is not None
        for value in (data["organisation"][lang], data["ethics_referent"]["name"]):
            assert _squash(value) in _squash(footer.get_text())
        charter = (site / lang / "charter" / "index.html").read_text("utf-8")
        visible = _squash(BeautifulSoup(charter, "html.parser").get_text())
        assert _squash(data["session_plan"]["frequency"][lang]) in visible
        assert _squash(data["organisation"][lang]) in visible
        coach = BeautifulSoup(
            (site / lang / "coaches" / "helene-dubois" / "index.html").read_text("utf-8"),
            "html.parser",
        )
        assert coach.title is not None and coach.title.get_text() == f"Hélène Dubois - {name}"
        directory = json.loads((site / lang / "assets" / "coaches.json").read_text("utf-8"))
        facet = next(f for f in directory["facets"] if f["key"] == "entity")
        expected = [t[lang] for t in data["vocabularies"]["entities"]]
        assert [v["label"] for v in facet["values"]] == expected


def test_hostile_site_url_stays_one_attribute(hostile_site: tuple[Path, dict[str, Any]]) -> None:
    site, _ = hostile_site
    home = BeautifulSoup((site / "en" / "index.html").read_text("utf-8"), "html.parser")
    canonical = home.find("link", rel="canonical")
    assert canonical is not None
    assert urlsplit(str(canonical["href"])).hostname == "coaching.example"
    assert "'" not in canonical["href"] and '"' not in canonical["href"]
