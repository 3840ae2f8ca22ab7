"""The indicators page (issue 10): the published ``indicators/<release>.json`` files become an
FR/EN page with, per table, a caption, an inline SVG bar chart, the data table with its margins
and a one-sentence summary. A suppressed cell reads "fewer than 10" (the file's threshold), never
0 or blank, and has no bar; a malformed file is a build error with its position; every label
is escaped where it lands; the schema refuses every shape the contract does not allow."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from bs4 import BeautifulSoup, Tag

from coachdir.problems import CoachdirError
from coachdir.published import release_csv
from coachdir.site.build import build_site
from coachdir.site.indicators import (
    Cell,
    Dimension,
    Table,
    cell_text,
    read_indicators,
    release_name,
    split_releases,
    summary,
)
from coachdir.site.indicators_page import method_html, page_html, release_page_html
from coachdir.site.render import format_date, ui_strings
from conftest import ROOT, copy_programme, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "indicators"
SCHEMA = json.loads((ROOT / "schemas" / "indicators.schema.json").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 22)
HIDDEN = {"fr": "masqué", "en": "hidden"}
NOT_PUBLISHED = {"fr": "non publié", "en": "not published"}
HOSTILE = '<script>alert(1)</script>" onload="alert(2)'
URL = {"fr": "indicators", "en": "indicators"}


def _release(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _programme(dest: Path, releases: dict[str, dict[str, Any]] | None = None) -> Path:
    root = copy_programme(dest)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    folder = root / "indicators"
    if releases is None:
        shutil.copytree(FIXTURES, folder)
    else:
        folder.mkdir()
        for name, data in releases.items():
            (folder / f"{name}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _programme(tmp_path_factory.mktemp("indicators") / "p")
    build_site(root, today=TODAY)
    return root / "site"


def _page(site: Path, lang: str) -> BeautifulSoup:
    path = site / lang / URL[lang] / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").replace("\u00a0", " ").split())


def _sections(soup: BeautifulSoup) -> list[Tag]:
    return list(soup.select("section.cd-ind-table"))


def _release_page(site: Path, lang: str, release: str) -> BeautifulSoup:
    path = site / lang / URL[lang] / release / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_is_in_the_nav_and_lists_releases_newest_first(site: Path, lang: str) -> None:
    home = BeautifulSoup((site / lang / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [_text(a) for a in home.select("nav a[href$='indicators/']")]
    assert ui_strings()[lang]["nav_indicators"] in nav
    soup = _page(site, lang)
    assert soup.html is not None and soup.html["lang"] == lang
    # the latest quarter and the latest year in full; the earlier quarter on its own page
    headings = [h["id"] for h in soup.select("section.cd-ind-release > h2")]
    assert headings == ["cd-ind-2026-Q3", "cd-ind-2025"]
    assert [a["href"] for a in soup.select(".cd-ind-earlier a")] == ["2026-Q2/"]
    page = _release_page(site, lang, "2026-Q2")
    assert [h["id"] for h in page.select("section.cd-ind-release > h2")] == ["cd-ind-2026-Q2"]
    method = _text(soup.select_one(".cd-ind-method"))
    assert HIDDEN[lang] in method and "10" in method


def _expected_cells(table: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The cells of the data table's body and foot, in reading order, from the JSON."""
    body = [
        line + ([table["row_totals"][r]] if table["columns"] is not None else [])
        for r, line in enumerate(table["cells"])
    ]
    foot = [*(table["column_totals"] or []), table["total"]]
    return [*body, foot]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_suppressed_cell_reads_fewer_than_the_threshold(site: Path, lang: str) -> None:
    soup = _page(site, lang)
    sections = _sections(soup)
    sections += _sections(_release_page(site, lang, "2026-Q2"))
    expected = [t for name in ("2026-Q3", "2025", "2026-Q2") for t in _release(name)["tables"]]
    assert len(sections) == len(expected)
    suppressed = 0
    for section, table in zip(sections, expected, strict=True):
        rows = section.select("table tbody tr") + section.select("table tfoot tr")
        for tr, cells in zip(rows, _expected_cells(table), strict=True):
            tds = tr.find_all("td")
            assert len(tds) == len(cells)
            for td, cell in zip(tds, cells, strict=True):
                shown = _text(td)
                assert shown, "a cell is never blank"
                if cell.get("suppressed"):
                    suppressed += 1
                    word = HIDDEN if table["kind"] == "count" else NOT_PUBLISHED
                    assert shown == word[lang]
                    # a suppressed cell shows no number at all
                    assert re.findall(r"\d+", shown) == []
                else:
                    assert shown not in (HIDDEN[lang], NOT_PUBLISHED[lang])
        # one bar per published figure of the chart, none for a suppressed one
        bars = section.select(".cd-chart svg rect.cd-bar")
        published = [c for line in table["cells"] for c in line if not c.get("suppressed")]
        assert len(bars) == len(published)
    assert suppressed > 10


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_margins_are_labelled_total_and_the_table_is_structured(site: Path, lang: str) -> None:
    section = _sections(_page(site, lang))[0]  # 2026-Q3, started by offer and cohort (2-D)
    table = section.find("table")
    assert table is not None
    caption = _text(table.find("caption"))
    period = {"fr": "du 1er juillet 2026 au 30 septembre 2026", "en": "from 1 July 2026"}
    assert period[lang] in caption
    head = [_text(th) for th in table.select("thead th")]
    assert head[-1] == "Total" and all(th["scope"] == "col" for th in table.select("thead th"))
    assert all(th["scope"] == "row" for th in table.select("tbody th, tfoot th"))
    assert [_text(td) for td in table.select("tfoot td")] == ["36", "47", "83"]
    assert _text(table.select_one("tfoot th")) == "Total"
    assert [_text(td) for td in table.select("tbody tr")[0].find_all("td")] == ["23", "31", "54"]
    summary = _text(section.select_one(".cd-ind-summary"))
    label = {"fr": "« Coaching individuel », avec 54", "en": "Individual coaching with 54"}
    assert label[lang] in summary
    if lang == "fr":  # French spacing that never breaks a line inside « »
        assert "«\u00a0Coaching individuel\u00a0»" in section.select_one(".cd-ind-summary").text
    chart = section.select_one(".cd-chart")
    assert chart is not None and chart["role"] == "img"
    for ref in chart["aria-labelledby"].split():
        assert section.find(id=ref) is not None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["82 %", "90 % ou plus", "non publié", "86 %", "4,3", "4,5", "12,5", "11,8"]),
        ("en", ["82%", "90% or more", "not published", "86%", "4.3", "4.5", "12.5", "11.8"]),
    ],
)
def test_rates_means_and_ranges_are_localised(site: Path, lang: str, expected: list[str]) -> None:
    sections = _sections(_page(site, lang))[2:5]  # 2026-Q3: completion, satisfaction, days
    shown = [_text(td) for s in sections for td in s.select("table td")]
    for value in expected:
        assert value in shown, value
    assert "\u00a0%" in str(sections[0]) if lang == "fr" else "%" in str(sections[0])


def test_cell_text_formats() -> None:
    fr, en = ui_strings()["fr"], ui_strings()["en"]
    assert cell_text(Cell(value=12345), "count", 10, "fr", fr) == "12\u00a0345"
    assert cell_text(Cell(value=12345), "count", 10, "en", en) == "12,345"
    assert cell_text(Cell(suppressed=True), "count", 5, "en", en) == "hidden"
    assert cell_text(Cell(suppressed=True), "count", 5, "fr", fr) == "masqué"
    assert cell_text(Cell(suppressed=True), "mean", 5, "en", en) == "not published"
    assert cell_text(Cell(low=0.9, high=1.0), "rate", 10, "fr", fr) == "90\u00a0% ou plus"
    assert cell_text(Cell(low=10, high=14), "count", 10, "en", en) == "between 10 and 14"
    assert cell_text(Cell(value=0), "count", 10, "en", en) == "0"


def test_no_request_leaves_the_site_and_no_script(site: Path) -> None:
    for lang in ("fr", "en"):
        body = _page(site, lang).select_one(".cd-indicators")
        assert body is not None
        assert body.find("script") is None
        for node in body.find_all(True):
            for attr in ("src", "href", "xlink:href"):
                assert not str(node.get(attr, "")).startswith(("http", "//")), node


def _hostile() -> dict[str, Any]:
    data = _release("2026-Q3")
    table = data["tables"][0]
    table["title"] = {"fr": HOSTILE, "en": HOSTILE}
    table["rows"]["label"] = {"fr": HOSTILE, "en": HOSTILE}
    table["rows"]["values"][0]["label"] = {"fr": HOSTILE, "en": HOSTILE}
    table["columns"]["values"][1]["label"] = {"fr": "COACHDIR_SLOT_SITE_NAME", "en": HOSTILE}
    return data


def test_hostile_labels_stay_text(tmp_path: Path) -> None:
    root = _programme(tmp_path / "p", {"2026-Q3": _hostile()})
    build_site(root, today=TODAY)
    for lang in ("fr", "en"):
        raw = (root / "site" / lang / URL[lang] / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in raw and 'onload="alert' not in raw
        soup = BeautifulSoup(raw, "html.parser")
        assert not [n for n in soup.find_all(True) if n.has_attr("onload")]
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
        section = _sections(soup)[0]
        assert HOSTILE in section.find("h3").get_text()
        assert HOSTILE in section.find("caption").get_text()
        assert HOSTILE in section.select_one("tbody th").get_text()
        assert any(HOSTILE[:20] in t.get_text() for t in section.select(".cd-chart-text"))
    fr = (root / "site" / "fr" / "indicators" / "index.html").read_text(encoding="utf-8")
    assert "COACHDIR&#95;SLOT&#95;SITE&#95;NAME" in fr


def test_without_files_there_is_no_page(tmp_path: Path) -> None:
    root = _programme(tmp_path / "p", {})
    assert read_indicators(root) == []
    build_site(root, today=TODAY)  # an empty indicators/ folder: no page, no nav entry
    for lang in ("fr", "en"):
        assert not (root / "site" / lang / "indicators").exists()
        home = (root / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert "indicators/" not in home
    shutil.rmtree(root / "indicators")
    assert read_indicators(root) == []


def _errors(tmp_path: Path, name: str, text: str) -> list[str]:
    root = _programme(tmp_path / "p", {})
    (root / "indicators" / f"{name}.json").write_text(text, encoding="utf-8")
    with pytest.raises(CoachdirError) as caught:
        read_indicators(root)
    return [f"{p.path}:{p.line}:{p.col}: {p.message} [{p.rule}]" for p in caught.value.problems]


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2)


def test_a_file_that_is_not_json_names_its_position(tmp_path: Path) -> None:
    cut = _errors(tmp_path / "cut", "2026-Q3", _dump(_release("2026-Q3"))[:200])
    assert cut == [
        "indicators/2026-Q3.json:12:23: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar) [yaml.syntax]"
    ]
    yaml_not_json = _errors(tmp_path / "yaml", "2026-Q3", "schema_version: 1\n")
    assert yaml_not_json == [
        "indicators/2026-Q3.json:1:1: not valid JSON: Expecting value [indicators.json]"
    ]
    nan = _errors(tmp_path / "nan", "2026-Q3", '{"schema_version": NaN}')
    assert nan == ["indicators/2026-Q3.json:1:1: not valid JSON: NaN or Infinity [indicators.json]"]


def test_a_cell_with_two_shapes_is_refused_at_its_position(tmp_path: Path) -> None:
    data = _release("2026-Q3")
    data["tables"][0]["cells"][0][0] = {"value": 23, "suppressed": True}
    errors = _errors(tmp_path, "2026-Q3", _dump(data))
    assert errors == [
        "indicators/2026-Q3.json:74:11: tables[0].cells[0][0]: is none of the allowed shapes "
        "[schema.oneOfNotValid]"
    ]


def test_schema_messages_never_quote_the_file(tmp_path: Path) -> None:
    data = _release("2026-Q3")
    data["release"] = "2026-Q9 secret"
    data["tables"][0]["cells"][0][0] = {"value": 23, "suppressed": True, "why": "secret"}
    errors = _errors(tmp_path, "2026-Q3", _dump(data))
    assert len(errors) == 2 and not any("secret" in e for e in errors), errors


def test_a_release_in_the_wrong_file_and_shapes_that_disagree(tmp_path: Path) -> None:
    data = _release("2026-Q3")
    data["tables"][0]["cells"].pop()
    data["tables"][1]["row_totals"].append({"value": 3})
    data["tables"][2]["cells"][0][0] = {"value": 1.5}
    data["tables"][0]["total"] = {"value": 83.5}
    data["tables"][3]["cells"][0][0] = {"range": [4.5, 4.0]}
    errors = _errors(tmp_path, "2026-Q2", _dump(data))
    messages = [e.split(": ", 1)[1] for e in errors]
    assert messages == [
        "release: the file of release 2026-Q3 must be named 2026-Q3.json [indicators.file-name]",
        "cells: 2 lines for 3 row values [indicators.shape]",
        "a count is not a whole number [indicators.shape]",
        "row_totals: 4 totals for 3 row values [indicators.shape]",
        "a rate is a fraction between 0 and 1 [indicators.shape]",
        "range: the lower end is above the upper end [indicators.shape]",
    ], errors
    assert all(e.startswith("indicators/2026-Q2.json:") for e in errors)


def test_a_quarter_with_the_wrong_period(tmp_path: Path) -> None:
    data = _release("2026-Q3")
    data["period"]["end"] = "2026-10-31"
    errors = _errors(tmp_path, "2026-Q3", _dump(data))
    assert errors == [
        "indicators/2026-Q3.json:4:13: period: release 2026-Q3 runs from 2026-07-01 to "
        "2026-09-30 [indicators.shape]"
    ]


def test_the_build_reports_a_malformed_file_and_exits_1(tmp_path: Path) -> None:
    root = _programme(tmp_path / "p", {})
    (root / "indicators" / "2026-Q3.json").write_text('{"schema_version": 1,', encoding="utf-8")
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first, hint = result.stderr.splitlines()[:2]
    assert first == (
        "indicators/2026-Q3.json:2:1: error: YAML syntax error: did not find expected node "
        "content (while parsing a flow node) [yaml.syntax]"
    )
    assert hint.startswith("  hint: "), hint
    assert not (root / "site").exists()


# -- the schema: every fixture is valid, every bad shape is refused ------------------------


@pytest.mark.parametrize("name", ["2025", "2026-Q2", "2026-Q3"])
def test_every_fixture_is_valid(name: str) -> None:
    jsonschema_rs.Draft202012Validator(SCHEMA).validate(_release(name))


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


BAD = {
    "two cell shapes": _set(("tables", 0, "cells", 0, 0), {"value": 1, "suppressed": True}),
    "suppressed false": _set(("tables", 0, "cells", 0, 0), {"suppressed": False}),
    "empty cell": _set(("tables", 0, "cells", 0, 0), {}),
    "a reason published": _set(("tables", 0, "cells", 1, 0), {"suppressed": True, "why": "p"}),
    "negative count": _set(("tables", 0, "cells", 0, 0), {"value": -1}),
    "huge count": _set(("tables", 0, "cells", 0, 0), {"value": 1e308}),
    "huge range": _set(("tables", 2, "cells", 1, 0), {"range": [0.9, 1e12]}),
    "three-ended range": _set(("tables", 2, "cells", 1, 0), {"range": [0.8, 0.9, 1.0]}),
    "text value": _set(("tables", 0, "total"), {"value": "83"}),
    "release Q5": _set(("release",), "2026-Q5"),
    "release month": _set(("release",), "2026-07"),
    "schema version 2": _set(("schema_version",), 2),
    "extra top key": _set(("notes",), "x"),
    "extra table key": _set(("tables", 0, "unit"), "x"),
    "unknown measure": _set(("tables", 0, "measure"), "coaches"),
    "unknown dimension": _set(("tables", 0, "rows", "dimension"), "gender"),
    "count measure as rate": _set(("tables", 0, "kind"), "rate"),
    "rate measure as count": _set(("tables", 2, "kind"), "count"),
    "1-D with column totals": _set(("tables", 1, "column_totals"), [{"value": 58}]),
    "1-D with two cells a line": _set(("tables", 1, "cells", 0), [{"value": 1}, {"value": 2}]),
    "2-D without column totals": _set(("tables", 0, "column_totals"), None),
    "label in one language": _set(("tables", 0, "title"), {"fr": "Titre"}),
    "period without end": _set(("period",), {"start": "2026-07-01"}),
    "threshold zero": _set(("threshold",), 0),
    "no tables": _set(("tables",), []),
    "missing total": lambda d: d["tables"][0].pop("total"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_schema_refuses(case: str) -> None:
    data = copy.deepcopy(_release("2026-Q3"))
    BAD[case](data)
    assert not jsonschema_rs.Draft202012Validator(SCHEMA).is_valid(data), case


@pytest.mark.parametrize("target", ["indicators", "indicators/site"])
def test_the_site_is_never_built_into_indicators(tmp_path: Path, target: str) -> None:
    """indicators/ holds published releases (never rewritten): even when empty, a build there
    would make the next one delete what coachdir indicators wrote into it."""
    root = _programme(tmp_path / "p", {})
    result = run_cli("build", "--site-dir", target, cwd=root)
    assert result.returncode == 2, result.stderr
    assert "is in the programme's indicators/ folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert list((root / "indicators").iterdir()) == []


def test_a_link_or_a_pipe_is_refused_without_reading_it(tmp_path: Path) -> None:
    root = _programme(tmp_path / "p", {})
    secret = tmp_path / "elsewhere.json"
    secret.write_text(json.dumps(_release("2026-Q3")), encoding="utf-8")
    (root / "indicators" / "2026-Q3.json").symlink_to(secret)
    os.mkfifo(root / "indicators" / "2026-Q2.json")  # opening it would wait forever
    with pytest.raises(CoachdirError) as caught:
        read_indicators(root)
    assert [f"{p.path}:{p.line}:{p.col}: {p.message}" for p in caught.value.problems] == [
        "indicators/2026-Q2.json:1:1: this is not a regular file; a release must be a regular file",
        "indicators/2026-Q3.json:1:1: this is a symbolic link; a release must be a regular file",
    ]


def test_the_method_note_names_the_rounding_when_there_is_one() -> None:
    release = read_indicators_of({"2026-Q3": {**_release("2026-Q3"), "rounding": 5}})
    en = method_html(release, "en", ui_strings()["en"])
    assert "Published numbers are rounded to the nearest multiple of 5." in en
    plain = read_indicators_of({"2026-Q3": _release("2026-Q3")})
    assert "rounded" not in method_html(plain, "en", ui_strings()["en"])


def read_indicators_of(releases: dict[str, dict[str, Any]]) -> list[Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "indicators").mkdir()
        for name, data in releases.items():
            (root / "indicators" / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
        return read_indicators(root)


def test_a_huge_figure_is_an_error_not_a_crash(tmp_path: Path) -> None:
    text = _dump(_release("2026-Q3")).replace('"value": 23', '"value": 1e308')
    errors = _errors(tmp_path, "2026-Q3", text)
    assert errors == [
        "indicators/2026-Q3.json:74:11: tables[0].cells[0][0]: is none of the allowed shapes "
        "[schema.oneOfNotValid]"
    ]


# -- second pass: the sample's releases, summaries, charts, release pages, CSV files -----------

SAMPLE = ROOT / "indicators"
GOLDEN = ROOT / "tests" / "golden" / "indicators"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the sample programme with its real releases (indicators/ at the root)."""
    root = copy_programme(tmp_path_factory.mktemp("sample-indicators") / "p")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(SAMPLE, root / "indicators")
    build_site(root, today=TODAY)
    return root / "site"


def _sample_pages(site: Path, lang: str) -> list[BeautifulSoup]:
    folder = site / lang / URL[lang]
    return [
        BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in sorted(folder.rglob("index.html"))
    ]


def _table(
    cells: list[list[Cell]], row_totals: list[Cell], column_totals: list[Cell], total: Cell
) -> Table:
    rows = Dimension("offer", {"fr": "Offre", "en": "Offer"}, [])
    rows.values.extend(
        (f"o{i}", {"fr": f"Offre {i}", "en": f"Offer {i}"}) for i in range(len(cells))
    )
    columns = Dimension("quarter", {"fr": "Trimestre", "en": "Quarter"}, [])
    columns.values.extend((f"q{i}", {"fr": f"T{i}", "en": f"Q{i}"}) for i in range(len(cells[0])))
    title = {"fr": "Demandes", "en": "Requests"}
    return Table(
        "t", "requests", "count", title, rows, columns, cells, row_totals, column_totals, total
    )


V = Cell
H = Cell(suppressed=True)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (_table([[V(0), V(0)]], [V(0)], [V(0), V(0)], V(0)), "Every figure of this table is 0."),
        (
            _table([[V(0)], [V(0)]], [H, H], [V(0)], H),
            "Every published figure of this table is 0; the others are hidden to protect people.",
        ),
        (
            _table([[H, H], [H, H]], [H, H], [H, H], H),
            "All figures of this table are below the threshold or hidden to protect them.",
        ),
        (
            _table([[V(3), V(0)], [V(12), H]], [H, H], [V(15), H], V(27)),
            "Among the published figures, the largest group is Offer 1, Q0 with 12.",
        ),
        (
            _table([[V(30), H], [V(12), H]], [V(35), V(14)], [V(42), H], V(49)),
            "Among the published figures, the largest group is Offer 0 with 35.",
        ),
    ],
)
def test_the_summary_is_true_of_every_table(table: Table, expected: str) -> None:
    assert summary(table, 10, "en", ui_strings()["en"]) == expected


def test_a_published_zero_is_a_figure_in_the_sample(sample_site: Path) -> None:
    """2026-Q3, requests by offer and quarter: every figure 0 (the margins too: a zero pinned
    by published zeros is published, see the indicators' determined_zeros)."""
    for lang, words in (
        ("en", "Every figure of this table is 0."),
        ("fr", "de ce tableau valent 0."),
    ):
        soup = _page(sample_site, lang)
        section = soup.find(id="cd-ind-2026-Q3-requests-by-offer-quarter-title")
        assert section is not None and section.parent is not None
        assert words in _text(section.parent.select_one(".cd-ind-summary"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_all_hidden_table_has_one_sentence_and_its_table_but_no_chart(
    sample_site: Path, lang: str
) -> None:
    sentence = ui_strings()[lang]["ind_summary_hidden"].replace(" ;", "\u00a0;")
    hidden = 0
    for soup in _sample_pages(sample_site, lang):
        for section in _sections(soup):
            cells = section.select("table td")
            if all("cd-suppressed" in (td.get("class") or []) for td in cells):
                hidden += 1
                assert section.select_one(".cd-ind-summary").get_text() == sentence
                assert section.select_one(".cd-chart") is None
                assert section.select_one(".cd-table-wrap table caption") is not None
            else:
                assert section.select_one(".cd-chart") is not None
    assert hidden >= 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chart_labels_are_html_text_and_bars_do_not_scale(sample_site: Path, lang: str) -> None:
    charts = [c for soup in _sample_pages(sample_site, lang) for c in soup.select(".cd-chart")]
    assert len(charts) > 20
    for chart in charts:
        assert chart.name == "div" and chart["role"] == "img"
        assert chart.select("text") == []  # no text only in the SVG
        labels = chart.select("p.cd-chart-text")
        assert labels and all(_text(p) for p in labels)
        for svg in chart.select("svg"):
            assert not svg.has_attr("viewBox") and svg["height"] == "12"
            assert svg["aria-hidden"] == "true"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_latest_year_and_quarter_in_full_the_others_one_page_each(
    sample_site: Path, lang: str
) -> None:
    soup = _page(sample_site, lang)
    assert [h["id"] for h in soup.select("section.cd-ind-release > h2")] == [
        "cd-ind-2026-Q3",
        "cd-ind-2025",
    ]
    assert soup.find(id="cd-ind-method") is not None
    earlier = ["2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
    assert [a["href"] for a in soup.select(".cd-ind-earlier li a")] == [f"{r}/" for r in earlier]
    other = "en" if lang == "fr" else "fr"
    for release in earlier:
        page = _release_page(sample_site, lang, release)
        assert [h["id"] for h in page.select("section.cd-ind-release > h2")] == [
            f"cd-ind-{release}"
        ]
        assert len(_sections(page)) == len(
            json.loads((SAMPLE / f"{release}.json").read_text())["tables"]
        )
        links = [a["href"] for a in page.select(".cd-indicators a")]
        assert "../#cd-ind-method" in links and "../" in links
        switch = page.select_one(".cd-lang-switch a")
        assert switch is not None
        assert switch["href"] == f"../../../{other}/indicators/{release}/"
        assert (sample_site / other / "indicators" / release / "index.html").is_file()
        assert page.select_one("h1") is not None and release_name(
            release, ui_strings()[lang]
        ) in _text(page.select_one("h1"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_release_links_its_csv_with_its_size(sample_site: Path, lang: str) -> None:
    folder = sample_site / lang / "indicators"
    links = {}
    for page in sorted(folder.rglob("index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select(".cd-ind-links a[download]"):
            target = (page.parent / a["href"]).resolve()
            links[target.name] = (target, _text(a))
            assert a["type"] == "text/csv" and a["download"] == target.name
    assert sorted(links) == sorted(p.name for p in SAMPLE.glob("*.csv"))
    for name, (target, text) in links.items():
        # written from the validated JSON, byte for byte what coachdir indicators wrote
        assert target.read_bytes() == (SAMPLE / name).read_bytes(), name
        tenths = (target.stat().st_size + 50) // 100  # kB to one decimal, half up as the page
        size = f"{tenths // 10}.{tenths % 10}"
        size = size.replace(".", ",") + " ko" if lang == "fr" else size + " kB"
        assert size in text, (name, text)


def test_the_linked_csv_is_written_from_the_json_not_copied(tmp_path: Path) -> None:
    root = _programme(tmp_path / "p")
    (root / "indicators" / "2026-Q3.csv").write_text("table,row,column,value\nx,y,,3\n")
    build_site(root, today=TODAY)
    written = (root / "site" / "en" / "indicators" / "2026-Q3.csv").read_text(encoding="utf-8")
    assert "x,y,,3" not in written
    assert written == release_csv(_release("2026-Q3"))
    assert written.startswith("table,row,column,value\nstarted-by-offer-cohort,coaching,")


def test_the_method_note_does_not_claim_every_hidden_count_is_small() -> None:
    releases = read_indicators(ROOT)
    en = _text(BeautifulSoup(method_html(releases, "en", ui_strings()["en"]), "html.parser"))
    fr = _text(BeautifulSoup(method_html(releases, "fr", ui_strings()["fr"]), "html.parser"))
    assert "those may be 10 or more" in en and "peuvent valoir 10 ou plus" in fr
    assert "number of sessions, what counts is the people" in en
    assert "séances, ce sont les personnes" in fr
    assert "any number below 10 is hidden" not in en and 'shown as "fewer than 10"' not in en
    assert '"<10"' in en  # what the CSV writes, and how to read it


def test_a_table_with_hidden_figures_says_under_it_what_hidden_means() -> None:
    """A hidden count reads "hidden" (it may be 10 or more when it protects another), and
    the line under its table says the threshold: fewer than 10 people, or protecting such a
    figure. A table with nothing hidden has no such line."""
    t = ui_strings()["en"]
    shown, earlier = split_releases(read_indicators(ROOT))
    soup = BeautifulSoup(page_html(shown, earlier, "en", t, lambda d: d), "html.parser")
    tables = soup.select("section.cd-ind-table")
    assert tables
    for section in tables:
        hidden = [td for td in section.select("td, th") if _text(td) in ("hidden", "not published")]
        legend = section.select_one("p.cd-ind-legend")
        if not hidden:
            assert legend is None
            continue
        assert legend is not None
        assert "fewer than 10 people" in _text(legend)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_indicators_pages_match_their_golden_files(lang: str) -> None:
    """The bodies the build puts into the sample's indicators pages, byte for byte (refresh
    with COACHDIR_UPDATE_GOLDEN=1 and read git diff tests/golden)."""
    t = ui_strings()[lang]
    shown, earlier = split_releases(read_indicators(ROOT))

    def day(text: str) -> str:
        return format_date(text, lang)

    got = {"index.html": page_html(shown, earlier, lang, t, day)}
    for release in earlier:
        got[f"{release.release}.html"] = release_page_html(release, lang, t, day)
    expected = GOLDEN / lang
    if os.environ.get("COACHDIR_UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        expected.mkdir(parents=True)
        for name, text in got.items():
            (expected / name).write_text(text, encoding="utf-8")
    assert sorted(got) == sorted(p.name for p in expected.glob("*.html"))
    for name, text in got.items():
        assert text == (expected / name).read_text(encoding="utf-8"), name
