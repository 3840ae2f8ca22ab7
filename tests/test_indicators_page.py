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
from coachdir.site.build import build_site
from coachdir.site.indicators import Cell, cell_text, method_html, read_indicators
from coachdir.site.render import ui_strings
from conftest import ROOT, copy_programme, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "indicators"
SCHEMA = json.loads((ROOT / "schemas" / "indicators.schema.json").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 22)
FEWER = {"fr": "moins de 10", "en": "fewer than 10"}
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


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_is_in_the_nav_and_lists_releases_newest_first(site: Path, lang: str) -> None:
    home = BeautifulSoup((site / lang / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [_text(a) for a in home.select("nav a[href$='indicators/']")]
    assert ui_strings()[lang]["nav_indicators"] in nav
    soup = _page(site, lang)
    assert soup.html is not None and soup.html["lang"] == lang
    headings = [h["id"] for h in soup.select("section.cd-ind-release > h2")]
    assert headings == ["cd-ind-2026-Q3", "cd-ind-2026-Q2", "cd-ind-2025"]
    method = _text(soup.select_one(".cd-ind-method"))
    assert FEWER[lang] in method and "10" in method


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
    expected = [t for name in ("2026-Q3", "2026-Q2", "2025") for t in _release(name)["tables"]]
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
                    word = FEWER if table["kind"] == "count" else NOT_PUBLISHED
                    assert shown == word[lang]
                    # the only number a suppressed cell shows is the threshold itself
                    assert re.findall(r"\d+", shown) in ([], ["10"])
                else:
                    assert shown not in (FEWER[lang], NOT_PUBLISHED[lang])
        # one bar per published figure of the chart, none for a suppressed one
        bars = section.select("svg rect.cd-bar")
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
    svg = section.find("svg")
    assert svg is not None and svg["role"] == "img"
    for ref in svg["aria-labelledby"].split():
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
    assert cell_text(Cell(suppressed=True), "count", 5, "en", en) == "fewer than 5"
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
        assert any(HOSTILE[:20] in t.get_text() for t in section.select("svg text"))
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
