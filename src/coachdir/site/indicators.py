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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from coachdir import dates
from coachdir.loader import MAX_BYTES, Loaded, load_bytes, load_file
from coachdir.problems import CoachdirError, Problem, has_errors
from coachdir.published import release_csv
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
    #: the long-form CSV, written from this validated file (what the page shows, exactly)
    csv: str = ""


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
    if match is None:  # the schema's pattern refused it already; said again, never a crash
        return [_problem(rel, loaded, ("release",), "release: not a release id")]
    year = int(match.group(1))
    if not dates.EARLIEST.year <= year <= dates.LATEST.year:
        return [
            _problem(
                rel,
                loaded,
                ("release",),
                f"release: the year {dates.out_of_range(f'{year:04d}-01-01')}",
            )
        ]
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
    return None if data is None else _rows(data)


def _rows(data: dict[str, Any]) -> Dimension:
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
        rows = _rows(t["rows"])
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
        release_csv(data),
    )


def split_releases(releases: Sequence[Release]) -> tuple[list[Release], list[Release]]:
    """(the latest year and the latest quarter, shown in full; every earlier release), both
    newest first as ``releases`` is."""
    latest: list[Release] = []
    for quarter in (False, True):
        kind = [r for r in releases if ("-Q" in r.release) == quarter]
        latest += kind[:1]
    shown = [r for r in releases if r in latest]
    return shown, [r for r in releases if r not in latest]


# -- rendering ----------------------------------------------------------------------------


def esc(value: str) -> str:
    """Escaped for HTML and SVG text and quoted attributes (``_`` too, as for settings)."""
    return html.escape(value, quote=True).replace("_", "&#95;")


def number_text(value: float, decimals: int, lang: str) -> str:
    """Rounded half up (4.25 -> 4.3, as people round), with the language's separators."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if lang == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def plain_figure(value: float, kind: str, lang: str) -> str:
    if kind == "count":
        return number_text(value, 0, lang)
    if kind == "rate":
        percent = number_text(value * 100, 0, lang)
        return f"{percent}\u00a0%" if lang == "fr" else f"{percent}%"
    return number_text(value, 1, lang)


def cell_text(cell: Cell, kind: str, threshold: int, lang: str, t: Strings) -> str:
    """How a cell reads: '12', '82 %', '4,3', 'masqué', 'non publié', '90 % ou plus'.

    A hidden count reads "hidden", not "fewer than T": a count hidden to protect another cell
    may be T or more, a count of sessions is hidden when it rests on fewer than T *people*, and
    the page must not tell which is which. The method note says what hidden means."""
    if cell.suppressed:
        return t["ind_hidden"] if kind == "count" else t["ind_not_published"]
    if cell.value is not None:
        return plain_figure(cell.value, kind, lang)
    if cell.low is None or cell.high is None:  # no such cell is read (see _cell)
        return t["ind_not_published"]
    low = plain_figure(cell.low, kind, lang)
    if kind == "rate" and cell.high >= 1:
        return t["ind_or_more"].replace("{lo}", low)
    return (
        t["ind_between"].replace("{lo}", low).replace("{hi}", plain_figure(cell.high, kind, lang))
    )


def release_label(release: Release, t: Strings) -> str:
    return release_name(release.release, t)


def release_name(release: str, t: Strings) -> str:
    """'Third quarter of 2026', 'Year 2025' (``release`` is a valid release id)."""
    match = _RELEASE.match(release)
    if match is None:  # not a release id: its own text
        return release
    if match.group(2) is None:
        return t["ind_release_year"].replace("{year}", match.group(1))
    return t[f"ind_q{match.group(2)}"].replace("{year}", match.group(1))


def every_cell(table: Table) -> list[Cell]:
    """Every figure of a table: cells, margins and total."""
    cells = [c for line in table.cells for c in line]
    if table.columns is not None:
        cells += table.row_totals + (table.column_totals or [])
    return [*cells, table.total]


def all_hidden(table: Table) -> bool:
    """Whether no figure of the table is published (then it gets no chart)."""
    return all(c.sort_key is None for c in every_cell(table))


def summary(table: Table, threshold: int, lang: str, t: Strings) -> str:
    """One sentence, true of the published figures: all hidden, all zero, or the largest."""
    cells = every_cell(table)
    published = [c for c in cells if c.sort_key is not None]
    if not published:
        return _no_break(t["ind_summary_hidden"])
    if all(c.value == 0 for c in published):
        key = "ind_summary_zero_some" if len(published) < len(cells) else "ind_summary_zero"
        return _no_break(t[key])
    rows = [label for _, label in table.rows.values]
    candidates: list[tuple[str, Cell]] = []
    if table.columns is None:
        candidates = [(r[lang], line[0]) for r, line in zip(rows, table.cells, strict=True)]
    else:
        candidates = [(r[lang], c) for r, c in zip(rows, table.row_totals, strict=True)]
        if all(c.sort_key is None for _, c in candidates):
            names = [label for _, label in table.columns.values]
            candidates = [
                (f"{r[lang]}, {col[lang]}", c)
                for r, line in zip(rows, table.cells, strict=True)
                for col, c in zip(names, line, strict=True)
            ]
    shown = [(label, c) for label, c in candidates if c.sort_key is not None]
    if not shown:  # only the total is published
        shown = [(t["ind_total"], table.total)]
    label, cell = max(shown, key=lambda item: item[1].sort_key or 0.0)
    value = cell_text(cell, table.kind, threshold, lang, t)
    text = t[f"ind_summary_{table.kind}"].replace("{label}", label).replace("{value}", value)
    return _no_break(text)


def _no_break(text: str) -> str:
    """French spacing that never breaks a line: inside « » and before : and ;."""
    text = text.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u00a0:")
    return text.replace(" ;", "\u00a0;")


#: a bar's height in CSS px; its length is a share of the chart's width (no viewBox scaling)
_BAR = 12


def chart_html(table: Table, threshold: int, lang: str, t: Strings, labelled_by: str) -> str:
    """Horizontal bars, one per row value (grouped by row for a 2-D table). Each label is HTML
    text above an inline SVG bar that is 12 CSS px high and as long as its share of the width,
    so the labels are the body text's size at every width. A hidden cell has no bar, only its
    text. The chart is one image named by the table's title and summary (the data table beside
    it gives every figure to a screen reader)."""
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
    parts = [f'<div class="cd-chart" role="img" aria-labelledby="{esc(labelled_by)}">']
    for heading, bars in groups:
        if heading is not None:
            parts.append(f'<p class="cd-chart-group cd-chart-text">{esc(heading)}</p>')
        for label, cell in bars:
            shown = cell_text(cell, table.kind, threshold, lang, t)
            text = _no_break(t["ind_bar_label"].replace("{label}", label).replace("{value}", shown))
            indent = " cd-chart-indent" if heading is not None else ""
            parts.append(f'<div class="cd-chart-bar{indent}">')
            parts.append(f'<p class="cd-chart-text">{esc(text)}</p>')
            number = cell.sort_key
            if number is not None and top > 0:
                width = max(0.5, round(100 * number / top, 1)) if number else 0.0
                parts.append(
                    f'<svg class="cd-bar-line" width="100%" height="{_BAR}" aria-hidden="true" '
                    'focusable="false" xmlns="http://www.w3.org/2000/svg">'
                    f'<rect class="cd-bar" x="0" y="0" width="{width}%" height="{_BAR}" '
                    'fill="#3949ab"/></svg>'
                )
            parts.append("</div>")
    parts.append("</div>")
    return "\n".join(parts)


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
