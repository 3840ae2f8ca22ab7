"""The indicators page: reading the published ``indicators/<release>.json`` files (through the
strict loader and ``indicators.schema.json``, so a malformed file is a build error with its
position) and rendering them as HTML (caption, inline SVG bar chart, data table, one-sentence
summary). The site reads these published, already suppressed figures only, never the records.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from coachdir.loader import MAX_BYTES, Loaded, load_bytes, load_file
from coachdir.problems import CoachdirError, Problem, has_errors
from coachdir.schema import SchemaChecker, read_schema
from coachdir.tools.sample import sample_root

INDICATORS_DIR = "indicators"
_RELEASE = re.compile(r"^([0-9]{4})(?:-Q([1-4]))?$")
_QUARTER_START = {1: (1, 1), 2: (4, 1), 3: (7, 1), 4: (10, 1)}
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_FIX = "Run coachdir indicators again; never edit a published release by hand."

Strings = dict[str, str]
Text = dict[str, str]


@dataclass(frozen=True)
class Cell:
    """One published figure: a value, a suppressed cell, or a coarsened range."""

    value: float | None = None
    suppressed: bool = False
    low: float | None = None
    high: float | None = None

    @property
    def sort_key(self) -> float | None:
        """The number a comparison may use (a range counts as its lower end)."""
        return self.value if self.value is not None else self.low


@dataclass(frozen=True)
class Dimension:
    dimension: str
    label: Text
    values: list[tuple[str, Text]]


@dataclass(frozen=True)
class Table:
    id: str
    measure: str
    kind: str
    title: Text
    rows: Dimension
    columns: Dimension | None
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell] | None
    total: Cell


@dataclass(frozen=True)
class Release:
    release: str
    start: str
    end: str
    threshold: int
    rounding: int | None
    tables: list[Table]


def indicators_schema() -> dict[str, Any]:
    """coachdir's own ``schemas/indicators.schema.json`` (a machine file's contract)."""
    return read_schema(sample_root() / "schemas" / "indicators.schema.json")


def read_indicators(root: Path) -> list[Release]:
    """Every release in ``root/indicators/``, newest first ([] when there is none). Raises
    CoachdirError (with file:line:col) when a file is malformed."""
    folder = root / INDICATORS_DIR
    if not folder.exists() and not folder.is_symlink():
        return []
    if folder.is_symlink() or not folder.is_dir():
        raise CoachdirError(
            [
                Problem(
                    INDICATORS_DIR,
                    1,
                    1,
                    "indicators is not a folder",
                    "indicators.folder",
                    "Make indicators/ a folder holding the files coachdir indicators writes.",
                )
            ]
        )
    problems: list[Problem] = []
    releases: list[Release] = []
    for path in sorted(folder.glob("*.json")):
        rel = f"{INDICATORS_DIR}/{path.name}"
        if not stat.S_ISREG(path.lstat().st_mode):
            # a link could publish any file of the machine, and a pipe would hang the build
            what = "a symbolic link" if path.is_symlink() else "not a regular file"
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    f"this is {what}; a release must be a regular file",
                    "file.not-regular",
                    "Replace it with the file coachdir indicators wrote, kept in the repository.",
                )
            )
            continue
        loaded = _load_json(path, rel)
        found: list[Problem] = list(loaded.problems)
        if loaded.data is not None and not has_errors(found):
            checker = SchemaChecker(indicators_schema(), name="indicators", echo=False)
            found += checker.check(loaded)
        if loaded.data is not None and not has_errors(found):
            found += _check_release(rel, path.stem, loaded)
        problems += found
        if not has_errors(found) and loaded.data is not None:
            releases.append(_release(loaded.data))
    if has_errors(problems):
        raise CoachdirError(problems)
    return sorted(releases, key=lambda r: (r.end, _neg(r.start)), reverse=True)


#: in JSON text: a string (skipped) or a number with a fraction or an exponent
_JSON_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)'
)


def _mask(match: re.Match[str]) -> str:
    number = match.group(1)
    if number is None or number.lstrip("-").isdigit():
        return match.group(0)
    return "1" + "0" * (len(number) - 1)


def _refuse_constant(name: str) -> float:
    raise ValueError(name)


def _load_json(path: Path, rel: str) -> Loaded:
    """The strict loader's checks and positions, with JSON's own reading of numbers.

    The strict loader refuses a decimal such as ``0.82`` as ambiguous (right for hand-written
    YAML). So it reads a copy where each decimal number is replaced by a whole number of the
    same length (every position stays), and the data comes from Python's JSON parser (a
    decimal has one reading in JSON; NaN and Infinity are refused)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return load_file(str(path), rel)  # the loader's own message for an unreadable file
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return load_bytes(rel, raw, max(size, len(raw)))
    masked = _JSON_TOKEN.sub(_mask, text)
    loaded = load_bytes(rel, masked.encode("utf-8"), max(size, len(raw)))
    if loaded.data is None or has_errors(loaded.problems):
        return loaded
    try:
        loaded.data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        loaded.data = None
        loaded.problems.append(
            Problem(
                rel, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}", "indicators.json", _FIX
            )
        )
    except ValueError:
        loaded.data = None
        loaded.problems.append(
            Problem(rel, 1, 1, "not valid JSON: NaN or Infinity", "indicators.json", _FIX)
        )
    return loaded


def _neg(day: str) -> int:
    """Order key: of two releases ending the same day, the longer (year) comes first."""
    return -date.fromisoformat(day).toordinal()


def _problem(rel: str, loaded: Loaded, path: tuple[str | int, ...], msg: str) -> Problem:
    line, col = loaded.where(path)
    return Problem(rel, line, col, msg, "indicators.shape", _FIX)


def _check_release(rel: str, stem: str, loaded: Loaded) -> list[Problem]:
    """What the schema cannot say: names, days, and table shapes that agree."""
    data: dict[str, Any] = loaded.data or {}
    problems: list[Problem] = []
    release = data["release"]
    if stem != release:
        problems.append(
            Problem(
                rel,
                *loaded.where(("release",)),
                f"release: the file of release {release} must be named {release}.json",
                "indicators.file-name",
                f"Rename the file to indicators/{release}.json, or run coachdir indicators again.",
            )
        )
    problems += _check_period(rel, loaded, release, data["period"])
    seen: set[str] = set()
    for i, table in enumerate(data["tables"]):
        where = ("tables", i)
        if table["id"] in seen:
            problems.append(_problem(rel, loaded, (*where, "id"), "id: two tables have this id"))
        seen.add(table["id"])
        problems += _check_table(rel, loaded, where, table)
    return problems


def _check_period(rel: str, loaded: Loaded, release: str, period: dict[str, str]) -> list[Problem]:
    try:
        start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    except ValueError:
        return [_problem(rel, loaded, ("period",), "period: a day is not a real day")]
    match = _RELEASE.match(release)
    assert match is not None  # the schema's pattern
    year = int(match.group(1))
    if match.group(2):
        quarter = int(match.group(2))
        expected = (date(year, *_QUARTER_START[quarter]), date(year, *_QUARTER_END[quarter]))
        if (start, end) != expected:
            return [
                _problem(
                    rel,
                    loaded,
                    ("period",),
                    f"period: release {release} runs from {expected[0]} to {expected[1]}",
                )
            ]
    elif start != date(year, 1, 1) or end.year != year or end < start:
        return [
            _problem(
                rel,
                loaded,
                ("period",),
                f"period: release {release} starts on {year}-01-01 and ends in {year}",
            )
        ]
    return []


def _check_table(
    rel: str, loaded: Loaded, where: tuple[str | int, ...], table: dict[str, Any]
) -> list[Problem]:
    problems: list[Problem] = []
    for name in ("rows", "columns"):
        dim = table[name]
        ids = [v["id"] for v in dim["values"]] if dim is not None else []
        if len(ids) != len(set(ids)):
            problems.append(
                _problem(rel, loaded, (*where, name, "values"), f"{name}: two values share an id")
            )
    nrows = len(table["rows"]["values"])
    ncols = 1 if table["columns"] is None else len(table["columns"]["values"])
    if len(table["cells"]) != nrows:
        msg = f"cells: {len(table['cells'])} lines for {nrows} row values"
        problems.append(_problem(rel, loaded, (*where, "cells"), msg))
    for r, line in enumerate(table["cells"]):
        if len(line) != ncols:
            msg = f"cells: line {r + 1} has {len(line)} cells for {ncols} columns"
            problems.append(_problem(rel, loaded, (*where, "cells", r), msg))
    if len(table["row_totals"]) != nrows:
        msg = f"row_totals: {len(table['row_totals'])} totals for {nrows} row values"
        problems.append(_problem(rel, loaded, (*where, "row_totals"), msg))
    if table["column_totals"] is not None and len(table["column_totals"]) != ncols:
        msg = f"column_totals: {len(table['column_totals'])} totals for {ncols} column values"
        problems.append(_problem(rel, loaded, (*where, "column_totals"), msg))
    every: list[tuple[tuple[str | int, ...], dict[str, Any]]] = [
        ((*where, "cells", r, c), cell)
        for r, line in enumerate(table["cells"])
        for c, cell in enumerate(line)
    ]
    every += [((*where, "row_totals", r), cell) for r, cell in enumerate(table["row_totals"])]
    every += [
        ((*where, "column_totals", c), cell) for c, cell in enumerate(table["column_totals"] or [])
    ]
    every.append(((*where, "total"), table["total"]))
    for path, cell in every:
        wrong = _cell_problem(table["kind"], cell)
        if wrong:
            problems.append(_problem(rel, loaded, path, wrong))
    return problems


def _cell_problem(kind: str, cell: dict[str, Any]) -> str | None:
    numbers = [cell["value"]] if "value" in cell else list(cell.get("range", []))
    if "range" in cell and numbers[0] > numbers[1]:
        return "range: the lower end is above the upper end"
    if kind == "count" and any(not float(n).is_integer() for n in numbers):
        return "a count is not a whole number"
    if kind == "rate" and any(n > 1 for n in numbers):
        return "a rate is a fraction between 0 and 1"
    return None


def _text(data: dict[str, str]) -> Text:
    return {"fr": data["fr"], "en": data["en"]}


def _dimension(data: dict[str, Any] | None) -> Dimension | None:
    if data is None:
        return None
    values = [(v["id"], _text(v["label"])) for v in data["values"]]
    return Dimension(data["dimension"], _text(data["label"]), values)


def _cell(data: dict[str, Any]) -> Cell:
    if "value" in data:
        return Cell(value=float(data["value"]))
    if "range" in data:
        return Cell(low=float(data["range"][0]), high=float(data["range"][1]))
    return Cell(suppressed=True)


def _release(data: dict[str, Any]) -> Release:
    tables = []
    for t in data["tables"]:
        rows = _dimension(t["rows"])
        assert rows is not None  # the schema requires it
        tables.append(
            Table(
                t["id"],
                t["measure"],
                t["kind"],
                _text(t["title"]),
                rows,
                _dimension(t["columns"]),
                [[_cell(c) for c in line] for line in t["cells"]],
                [_cell(c) for c in t["row_totals"]],
                None if t["column_totals"] is None else [_cell(c) for c in t["column_totals"]],
                _cell(t["total"]),
            )
        )
    return Release(
        data["release"],
        data["period"]["start"],
        data["period"]["end"],
        data["threshold"],
        data["rounding"],
        tables,
    )


# -- rendering ----------------------------------------------------------------------------


def esc(value: str) -> str:
    """Escaped for HTML and SVG text and quoted attributes (``_`` too, as for settings)."""
    return html.escape(value, quote=True).replace("_", "&#95;")


def _number(value: float, decimals: int, lang: str) -> str:
    """Rounded half up (4.25 -> 4.3, as people round), with the language's separators."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if lang == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def _plain(value: float, kind: str, lang: str) -> str:
    if kind == "count":
        return _number(value, 0, lang)
    if kind == "rate":
        percent = _number(value * 100, 0, lang)
        return f"{percent}\u00a0%" if lang == "fr" else f"{percent}%"
    return _number(value, 1, lang)


def cell_text(cell: Cell, kind: str, threshold: int, lang: str, t: Strings) -> str:
    """How a cell reads: '12', '82 %', '4,3', 'moins de 10', 'non publié', '90 % ou plus'."""
    if cell.suppressed:
        if kind == "count":
            return t["ind_fewer_than"].replace("{t}", _plain(threshold, "count", lang))
        return t["ind_not_published"]
    if cell.value is not None:
        return _plain(cell.value, kind, lang)
    assert cell.low is not None and cell.high is not None
    low = _plain(cell.low, kind, lang)
    if kind == "rate" and cell.high >= 1:
        return t["ind_or_more"].replace("{lo}", low)
    return t["ind_between"].replace("{lo}", low).replace("{hi}", _plain(cell.high, kind, lang))


def release_label(release: Release, t: Strings) -> str:
    match = _RELEASE.match(release.release)
    assert match is not None
    if match.group(2) is None:
        return t["ind_release_year"].replace("{year}", match.group(1))
    return t[f"ind_q{match.group(2)}"].replace("{year}", match.group(1))


def _lines(table: Table) -> list[tuple[Text, Cell]]:
    """What the summary speaks of: the row margins of a 2-D table, the cells of a 1-D one."""
    labels = [label for _, label in table.rows.values]
    if table.columns is None:
        return [(label, line[0]) for label, line in zip(labels, table.cells, strict=True)]
    return list(zip(labels, table.row_totals, strict=True))


def summary(table: Table, threshold: int, lang: str, t: Strings) -> str:
    """One sentence from the published figures only ('… the largest is X with N.')."""
    lines = _lines(table)
    published = [(label, cell) for label, cell in lines if cell.sort_key is not None]
    if not published:
        return t["ind_summary_none"]
    label, cell = max(published, key=lambda item: item[1].sort_key or 0.0)
    value = cell_text(cell, table.kind, threshold, lang, t)
    text = t[f"ind_summary_{table.kind}"].replace("{label}", label[lang]).replace("{value}", value)
    return _no_break(text)


def _no_break(text: str) -> str:
    """French spacing that never breaks a line: inside « » and before : and ;."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u00a0:")


_WIDTH = 300
_FONT = 12
_BAR = 12


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def chart_svg(table: Table, threshold: int, lang: str, t: Strings, labelled_by: str) -> str:
    """Horizontal bars, one per row value (grouped by row for a 2-D table), with each bar's
    label and value as text above it; a suppressed cell has no bar, only its text."""
    groups: list[tuple[str | None, list[tuple[str, Cell]]]] = []
    for (_, row_label), line in zip(table.rows.values, table.cells, strict=True):
        if table.columns is None:
            groups.append((None, [(row_label[lang], line[0])]))
        else:
            bars = [(col[lang], c) for (_, col), c in zip(table.columns.values, line, strict=True)]
            groups.append((row_label[lang], bars))
    top = 1.0 if table.kind == "rate" else 0.0
    for _, bars in groups:
        for _, cell in bars:
            top = max(top, cell.sort_key or 0.0)
    parts: list[str] = []
    y = 0
    for heading, bars in groups:
        if heading is not None:
            y += _FONT + 4
            parts.append(
                f'<text x="0" y="{y}" font-weight="bold" class="cd-chart-text">'
                f"{esc(_short(heading))}</text>"
            )
        for label, cell in bars:
            y += _FONT + 4
            shown = cell_text(cell, table.kind, threshold, lang, t)
            text = t["ind_bar_label"].replace("{label}", _short(label)).replace("{value}", shown)
            text = _no_break(text)
            indent = 8 if heading is not None else 0
            parts.append(f'<text x="{indent}" y="{y}" class="cd-chart-text">{esc(text)}</text>')
            y += 4
            number = cell.sort_key
            if number is not None and top > 0:
                width = max(1.0, round((_WIDTH - indent) * number / top, 1)) if number else 0.0
                parts.append(
                    f'<rect x="{indent}" y="{y}" width="{width}" height="{_BAR}" '
                    'class="cd-bar" fill="#3949ab"/>'
                )
            y += _BAR + 6
    height = y + 2
    return (
        f'<svg class="cd-chart" role="img" aria-labelledby="{esc(labelled_by)}" '
        f'viewBox="0 0 {_WIDTH} {height}" font-size="{_FONT}" fill="currentColor" '
        f'font-family="system-ui, sans-serif" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + "</svg>"
    )


def table_html(table: Table, release: Release, lang: str, t: Strings, caption: str) -> str:
    """The data table: caption, header cells with scope, margins labelled Total."""
    th = release.threshold

    def td(cell: Cell) -> str:
        cls = ' class="cd-suppressed"' if cell.suppressed else ""
        return f"<td{cls}>{esc(cell_text(cell, table.kind, th, lang, t))}</td>"

    total = esc(t["ind_total"])
    out = [f"<table>\n<caption>{esc(caption)}</caption>\n<thead>\n<tr>"]
    out.append(f'<th scope="col">{esc(table.rows.label[lang])}</th>')
    if table.columns is None:
        out.append(f'<th scope="col">{esc(t["ind_kind_" + table.kind])}</th>')
    else:
        out += [f'<th scope="col">{esc(label[lang])}</th>' for _, label in table.columns.values]
        out.append(f'<th scope="col">{total}</th>')
    out.append("</tr>\n</thead>\n<tbody>")
    for r, ((_, label), line) in enumerate(zip(table.rows.values, table.cells, strict=True)):
        cells = "".join(td(c) for c in line)
        if table.columns is not None:
            cells += td(table.row_totals[r])
        out.append(f'<tr><th scope="row">{esc(label[lang])}</th>{cells}</tr>')
    out.append("</tbody>\n<tfoot>")
    foot = "".join(td(c) for c in table.column_totals or [])
    out.append(f'<tr><th scope="row">{total}</th>{foot}{td(table.total)}</tr>')
    out.append("</tfoot>\n</table>")
    return "\n".join(out)


def method_html(releases: Sequence[Release], lang: str, t: Strings) -> str:
    latest = releases[0]
    threshold = _plain(latest.threshold, "count", lang)
    text = t["ind_method"].replace("{t}", threshold)
    rounding = ""
    if latest.rounding is not None:
        rounded = t["ind_method_rounding"].replace("{base}", str(latest.rounding))
        rounding = f"\n<p>{esc(rounded)}</p>"
    paragraphs = "".join(f"\n<p>{esc(p.strip())}</p>" for p in text.split("\n") if p.strip())
    return (
        '<section class="cd-ind-method" aria-labelledby="cd-ind-method">\n'
        f'<h2 id="cd-ind-method">{esc(t["ind_method_title"])}</h2>'
        f"{paragraphs}{rounding}\n</section>"
    )


def page_html(
    releases: Sequence[Release], lang: str, t: Strings, format_date: Callable[[str], str]
) -> str:
    """The body of the indicators page: intro, method note, then each release, newest first."""
    out = ['<div class="cd-indicators">', f"<p>{esc(t['ind_intro'])}</p>"]
    if not releases:
        out.append(f"<p>{esc(t['ind_none'])}</p>\n</div>\n")
        return "\n".join(out)
    out.append(method_html(releases, lang, t))
    for release in releases:
        rid = f"cd-ind-{release.release}"
        period = (
            t["ind_period"]
            .replace("{start}", format_date(release.start))
            .replace("{end}", format_date(release.end))
        )
        out.append(f'<section class="cd-ind-release" aria-labelledby="{esc(rid)}">')
        out.append(f'<h2 id="{esc(rid)}">{esc(release_label(release, t))}</h2>')
        out.append(f'<p class="cd-ind-period">{esc(period)}</p>')
        for table in release.tables:
            tid = f"{rid}-{table.id}"
            title = table.title[lang]
            caption = f"{title} ({period})"
            text = summary(table, release.threshold, lang, t)
            out.append(f'<section class="cd-ind-table" aria-labelledby="{esc(tid)}-title">')
            out.append(f'<h3 id="{esc(tid)}-title">{esc(title)}</h3>')
            out.append(f'<p class="cd-ind-summary" id="{esc(tid)}-summary">{esc(text)}</p>')
            out.append('<div class="cd-ind-body">')
            labelled = f"{tid}-title {tid}-summary"
            out.append(chart_svg(table, release.threshold, lang, t, labelled))
            out.append(
                f'<div class="cd-table-wrap" tabindex="0" role="region" '
                f'aria-label="{esc(caption)}">'
            )
            out.append(table_html(table, release, lang, t, caption))
            out.append("</div>\n</div>\n</section>")
        out.append("</section>")
    out.append("</div>\n")
    return "\n".join(out)
