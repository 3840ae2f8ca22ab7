"""Proof that no published indicators table lets anyone recompute a small count.

The enumerator below is written independently of the publishing code (it imports neither
coachdir.indicators.suppress nor coachdir.indicators.audit): from a published table only, it
lists every non-negative integer table consistent with it, and each hidden cell of 1 to T-1
people must keep at least two possible values. The LP bounds of the audit must equal the
enumerator's bounds, so the LP can be trusted on tables too large to enumerate.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdir.indicators.manifest import parse_release
from coachdir.indicators.measures import Observation
from coachdir.indicators.release import audit, make_release
from coachdir.programme import Programme

T = 3
STAR = "*"


# -- the independent enumerator --------------------------------------------------------------


def _axes(table: dict[str, Any]) -> tuple[list[str], list[str] | None]:
    rows = [v["id"] for v in table["rows"]["values"]]
    cols = None if table["columns"] is None else [v["id"] for v in table["columns"]["values"]]
    return rows, cols


def _published(table: dict[str, Any]) -> dict[tuple[str, str], int | None]:
    """Position -> published count, None when hidden (read straight from the JSON)."""
    rows, cols = _axes(table)

    def value(cell: dict[str, Any]) -> int | None:
        return None if cell.get("suppressed") else int(cell["value"])

    out: dict[tuple[str, str], int | None] = {}
    if cols is None:
        for r, line in zip(rows, table["cells"], strict=True):
            out[(r, STAR)] = value(line[0])
    else:
        for r, line in zip(rows, table["cells"], strict=True):
            for c, cell in zip(cols, line, strict=True):
                out[(r, c)] = value(cell)
        for r, cell in zip(rows, table["row_totals"], strict=True):
            out[(r, STAR)] = value(cell)
        for c, cell in zip(cols, table["column_totals"], strict=True):
            out[(STAR, c)] = value(cell)
    out[(STAR, STAR)] = value(table["total"])
    return out


def enumerate_tables(table: dict[str, Any], bound: int) -> list[dict[tuple[str, str], int]]:
    """Every non-negative integer table (cells, margins, total) consistent with a published
    table, every hidden figure at most ``bound``."""
    rows, cols = _axes(table)
    pub = _published(table)
    inner = [(r, STAR) for r in rows] if cols is None else [(r, c) for r in rows for c in cols]
    ceiling = pub[(STAR, STAR)] if pub[(STAR, STAR)] is not None else bound
    found: list[dict[tuple[str, str], int]] = []

    def margins(cells: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
        full = dict(cells)
        if cols is not None:
            for r in rows:
                full[(r, STAR)] = sum(cells[(r, c)] for c in cols)
            for c in cols:
                full[(STAR, c)] = sum(cells[(r, c)] for r in rows)
        full[(STAR, STAR)] = sum(cells.values())
        return full

    def walk(i: int, cells: dict[tuple[str, str], int], used: int) -> None:
        if i == len(inner):
            full = margins(cells)
            for pos, v in full.items():
                if pub[pos] is not None and pub[pos] != v:
                    return
                if pub[pos] is None and v > bound:
                    return
            found.append(full)
            return
        pos = inner[i]
        choices = [pub[pos]] if pub[pos] is not None else range(bound + 1)
        for v in choices:
            assert v is not None
            if used + v > ceiling:
                break
            cells[pos] = v
            walk(i + 1, cells, used + v)
            del cells[pos]

    walk(0, {}, 0)
    return found


# -- building releases from small tables --------------------------------------------------


def _programme(
    rows: list[str], cols: list[str], bound: int, two_d: bool, columns: str = "cohort"
) -> Programme:
    terms = [{"id": r, "fr": r, "en": r} for r in rows]
    raw = {
        "cohorts": [
            {"id": c, "fr": c, "en": c, "opens": "2025-01-01", "closes": "2026-12-31", "places": 1}
            for c in cols
        ],
        "vocabularies": {"offers": terms, "expertise": terms, "entities": terms},
        "session_plan": {"sessions": 5},
        "indicators": {
            "threshold": T,
            "bound": bound,
            "tables": [
                {
                    "id": "t",
                    "measure": "requests",
                    "rows": "offer",
                    "columns": columns if two_d else None,
                }
            ],
        },
    }
    return Programme(raw, Path("."))


def _observations(
    grid: list[list[int]], rows: list[str], cols: list[str], quarter: str = "2025-Q1"
) -> list[Observation]:
    """One request per person: grid[i][j] people of offer i in cohort j; coaches alternate."""
    out = []
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            for k in range(grid[i][j]):
                client = f"C-{quarter}-{r}-{c}-{k}"
                coach = f"coach-{k % 2}"
                out.append(Observation("requests", (quarter, r, "x", "e", c), client, coach, 1))
    return out


def _check(grid: list[list[int]], two_d: bool) -> dict[str, Any]:
    rows = [f"o{i}" for i in range(len(grid))]
    cols = [f"c{j}" for j in range(len(grid[0]))]
    bound = max(1, sum(map(sum, grid)))
    programme = _programme(rows, cols, bound, two_d)
    obs = _observations(grid, rows, cols)
    period = parse_release("2025-Q1")
    assert period is not None
    doc = make_release(programme, obs, period, [])
    table = doc["tables"][0]
    truth: dict[tuple[str, str], int] = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            truth[(r, c)] = grid[i][j]
    if not two_d:
        truth = {(r, STAR): sum(truth[(r, c)] for c in cols) for r in rows}
    tables = enumerate_tables(table, bound)
    pub = _published(table)
    full = next(t for t in tables if all(t[p] == v for p, v in truth.items()))
    # every hidden figure of 1 to T-1 people keeps two possible values
    for pos, v in pub.items():
        if v is None and 0 < full[pos] < T:
            assert len({t[pos] for t in tables}) >= 2, (grid, pos)
        if v is not None:
            assert not 0 < v < T, (grid, pos)
    # the LP's bounds are the enumerator's bounds
    found: dict[Any, tuple[float, float]] = {}
    audit([(period, doc)], obs, 10**9, bound, "requests", insiders=False, bounds_out=found)
    for (_, _, pos, _), (low, high) in found.items():
        values = [t[pos] for t in tables]
        assert (round(low, 6), round(high, 6)) == (min(values), max(values)), (grid, pos)
    return table


@pytest.mark.parametrize(
    "grid",
    [
        [[1, 5, 7]],
        [[2, 0, 9, 4]],
        [[1, 1, 1]],
        [[0, 6, 0]],
    ],
)
def test_one_dimension_tables_keep_every_small_count_hidden(grid: list[list[int]]) -> None:
    _check([[v] for v in grid[0]], two_d=False)


@pytest.mark.parametrize(
    "grid",
    [
        [[1, 4], [5, 6]],
        [[2, 2], [2, 2]],
        [[1, 5, 6], [4, 7, 3]],
        [[0, 5, 6], [4, 7, 1]],
        [[1, 4, 4], [4, 4, 4], [4, 4, 2]],
        [[3, 3, 1], [0, 0, 0], [5, 6, 7]],
    ],
)
def test_two_dimension_tables_keep_every_small_count_hidden(grid: list[list[int]]) -> None:
    table = _check(grid, two_d=True)
    assert any(c.get("suppressed") for line in table["cells"] for c in line)


def test_the_enumerator_finds_a_lone_hidden_cell_pinned() -> None:
    """The enumerator can fail: a table with one hidden cell per row is recomputable."""
    table = {
        "rows": {"values": [{"id": "a"}, {"id": "b"}]},
        "columns": None,
        "cells": [[{"suppressed": True}], [{"value": 5}]],
        "row_totals": None,
        "column_totals": None,
        "total": {"value": 6},
    }
    tables = enumerate_tables(table, 10)
    assert {t[("a", STAR)] for t in tables} == {1}


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.integers(1, 3).flatmap(
        lambda rows: st.integers(1, 3).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 4), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    st.booleans(),
)
def test_random_small_tables_are_protected(grid: list[list[int]], two_d: bool) -> None:
    if sum(map(sum, grid)) > 14:  # keeps the enumeration small
        grid = [[min(v, 1) for v in line] for line in grid]
    _check(grid, two_d)


# -- linked releases: a quarter and the year, audited together --------------------------


def _linked_brute(
    docs: list[tuple[Any, dict[str, Any]]],
    rows: list[str],
    quarters: list[str],
    bound: int,
    known: dict[tuple[str, str], int] | None = None,
) -> dict[tuple[str, tuple[str, str]], set[int]]:
    """Every finest table (quarter x offer) consistent with all releases (one table each, by
    offer, with or without quarter columns): the possible values of each hidden figure (less
    an insider's known part, if any)."""
    known = known or {}
    finest = [(q, r) for q in quarters for r in rows]
    possible: dict[tuple[str, tuple[str, str]], set[int]] = {}
    for values in product(range(bound + 1), repeat=len(finest)):
        cell = dict(zip(finest, values, strict=True))
        if any(cell[k] < known.get(k, 0) for k in finest):
            continue
        ok = True
        hits: list[tuple[str, tuple[str, str], int]] = []
        for period, doc in docs:
            pub = _published(doc["tables"][0])
            for pos, v in pub.items():
                total = sum(
                    cell[(q, r)]
                    for q in period.quarters
                    for r in rows
                    if pos[0] in (STAR, r) and pos[1] in (STAR, q)
                )
                if v is not None and v != total:
                    ok = False
                    break
                if v is None:
                    if total > bound:
                        ok = False
                        break
                    mine = sum(
                        known.get((q, r), 0)
                        for q in period.quarters
                        for r in rows
                        if pos[0] in (STAR, r) and pos[1] in (STAR, q)
                    )
                    hits.append((doc["release"], pos, total - mine))
            if not ok:
                break
        if ok:
            for release, pos, v in hits:
                possible.setdefault((release, pos), set()).add(v)
    return possible


def _linked(grids: dict[str, list[int]], rows: list[str]) -> tuple[Any, ...]:
    bound = 4
    programme = _programme(rows, ["c0"], bound, two_d=False)
    obs = [
        o
        for quarter, line in grids.items()
        for o in _observations([[v] for v in line], rows, ["c0"], quarter)
    ]
    q1 = parse_release("2025-Q1")
    year = parse_release("2025")
    assert q1 is not None and year is not None
    first = make_release(programme, obs, q1, [])
    second = make_release(programme, obs, year, [(q1, first)])
    return programme, obs, [(q1, first), (year, second)], bound


def test_a_quarter_and_its_year_audited_together() -> None:
    rows = ["o0", "o1"]
    # Q1: o0 has 1 person (hidden); the year adds 3 to o1 only: year - Q1 must not pin it
    grids = {"2025-Q1": [1, 3], "2025-Q2": [0, 0], "2025-Q3": [0, 0], "2025-Q4": [0, 0]}
    _, obs, docs, bound = _linked(grids, rows)
    quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    possible = _linked_brute(docs, rows, quarters, bound)
    q1_small = ("2025-Q1", ("o0", STAR))
    assert q1_small in possible
    assert len(possible[q1_small]) >= 2
    found: dict[Any, tuple[float, float]] = {}
    audit(docs, obs, 10**9, bound, "requests", insiders=False, bounds_out=found)
    for (release, _, pos, _), (low, high) in found.items():
        values = possible[(release, pos)]
        assert (round(low, 6), round(high, 6)) == (min(values), max(values))


def test_the_insider_learns_nothing_exact_about_the_others() -> None:
    rows = ["o0", "o1"]
    grids = {"2025-Q1": [2, 3], "2025-Q2": [0, 0], "2025-Q3": [0, 0], "2025-Q4": [0, 0]}
    _, obs, docs, bound = _linked(grids, rows)
    quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    known: dict[tuple[str, str], int] = {}
    for o in obs:
        if o.coach == "coach-0":
            known[(o.key[0], o.key[1])] = known.get((o.key[0], o.key[1]), 0) + 1
    possible = _linked_brute(docs, rows, quarters, bound, known)
    found: dict[Any, tuple[float, float]] = {}
    assert audit(docs, obs, T, bound, "requests", bounds_out=found) == []
    checked = 0
    for (release, _, pos, coach), (low, high) in found.items():
        if coach != "coach-0":
            continue
        values = possible[(release, pos)]
        assert (round(low, 6), round(high, 6)) == (min(values), max(values))
        assert len(values) >= 2
        checked += 1
    assert checked


def test_the_audit_catches_a_pattern_pinned_by_differencing() -> None:
    """Publishing the year in full after a quarter hid a lone small cell lets year minus the
    other quarters' published parts pin it: the audit must say so."""
    rows = ["o0", "o1"]
    q1 = parse_release("2025-Q1")
    year = parse_release("2025")
    assert q1 is not None and year is not None
    obs = _observations([[1], [12]], rows, ["c0"], "2025-Q1")
    hand = {
        "schema_version": 1,
        "release": "2025-Q1",
        "rounding": None,
        "tables": [
            {
                "id": "t",
                "measure": "requests",
                "rows": {"dimension": "offer", "values": [{"id": "o0"}, {"id": "o1"}]},
                "columns": None,
                "cells": [[{"suppressed": True}], [{"value": 12}]],
                "row_totals": [{"suppressed": True}, {"value": 12}],
                "column_totals": None,
                "total": {"value": 13},
            }
        ],
    }
    failures = audit([(q1, hand)], obs, T, 20, "requests", insiders=False)
    assert [(f.release, f.pos) for f in failures] == [("2025-Q1", ("o0", STAR))]


def test_a_bound_below_a_hidden_figure_is_raised_not_a_crash() -> None:
    """More people than the public bound (e.g. more requests than places): the audit uses
    the largest hidden figure as the bound instead of failing; every coach is audited too,
    including one with no client in the small cell."""
    q1 = parse_release("2025-Q1")
    assert q1 is not None

    def people(offer: str, n: int, coach: str | None) -> list[Observation]:
        key = ("2025-Q1", offer, "x", "e", "c0")
        return [Observation("requests", key, f"{offer}-{k}", coach, 1) for k in range(n)]

    obs = people("o0", 2, "other") + people("o1", 12, "coach-b") + people("o2", 30, None)
    programme = _programme(["o0", "o1", "o2"], ["c0"], 12, two_d=False)
    programme.raw["indicators"]["threshold"] = 10
    doc = make_release(programme, obs, q1, [])
    assert [c[0] for c in doc["tables"][0]["cells"]] == [
        {"suppressed": True},
        {"suppressed": True},
        {"value": 30},
    ]
    # with the total published, U = 12 would let coach-b (who has no client in o0) pin o0:
    # o1 holds their 12, so nobody else fits there and o0 = 44 - 30 - 12; the total is hidden
    assert doc["tables"][0]["total"] == {"suppressed": True}
    found: dict[Any, tuple[float, float]] = {}
    assert audit([(q1, doc)], obs, 10, 12, "requests", bounds_out=found) == []
    assert found[("2025-Q1", "t", ("o0", STAR), None)] == (0.0, 14.0)
    assert ("2025-Q1", "t", ("o0", STAR), "coach-b") in found


# -- zeros and frozen totals: a new period's pinned 0 is published -----------------------------


def _hide_again(doc: dict[str, Any], frozen: set[tuple[str, str]]) -> dict[str, Any]:
    """``doc`` with every figure of ``frozen`` hidden again (the pattern kept as it was)."""
    table = dict(doc["tables"][0])
    rows, cols = _axes(table)
    hide = {"suppressed": True}
    if cols is None:
        table["cells"] = [
            [hide] if (r, STAR) in frozen else line
            for r, line in zip(rows, table["cells"], strict=True)
        ]
    else:
        table["row_totals"] = [
            hide if (r, STAR) in frozen else cell
            for r, cell in zip(rows, table["row_totals"], strict=True)
        ]
    if (STAR, STAR) in frozen:
        table["total"] = hide
    return {**doc, "tables": [table]}


def _zero_quarters(
    columns: str | None, q1: list[int], rows: list[str], releases: list[str]
) -> tuple[Any, ...]:
    """The ``releases`` in order, by offer (and quarter, when ``columns`` is ``quarter``):
    ``q1`` people by offer in 2025-Q1, nobody after."""
    bound = max(3, *q1)
    programme = _programme(rows, ["c0"], bound, columns is not None, columns or "cohort")
    obs = _observations([[v] for v in q1], rows, ["c0"], "2025-Q1")
    docs: list[tuple[Any, dict[str, Any]]] = []
    for release in releases:
        period = parse_release(release)
        assert period is not None
        docs.append((period, make_release(programme, obs, period, docs)))
    return programme, obs, docs, bound


YEAR = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025"]


@pytest.mark.parametrize(
    ("columns", "q1", "freed", "releases"),
    [
        # by offer and quarter, the four quarters and the year audited together: Q1 hides
        # both rows and the total; in Q2 every cell is a published 0, so each row total (its
        # only cell) and the total are pinned to 0
        ("quarter", [1, 1], {("o0", STAR), ("o1", STAR), (STAR, STAR)}, YEAR),
        # by offer (two quarters: the enumeration stays small): Q1 hides o0 and o1 (total 7
        # shown); in Q2 the total is a published 0, and no count is below 0: o0 and o1 are 0
        (None, [1, 1, 5], {("o0", STAR), ("o1", STAR)}, YEAR[:2]),
    ],
)
def test_a_frozen_zero_pinned_by_its_own_period_is_published(
    columns: str | None, q1: list[int], freed: set[tuple[str, str]], releases: list[str]
) -> None:
    rows = [f"o{i}" for i in range(len(q1))]
    _, obs, docs, bound = _zero_quarters(columns, q1, rows, releases)
    first = _published(docs[0][1]["tables"][0])
    assert freed <= {pos for pos, v in first.items() if v is None}  # hidden in Q1: frozen
    second = _published(docs[1][1]["tables"][0])
    assert {pos: second[pos] for pos in freed} == dict.fromkeys(freed, 0)
    assert all(v == 0 for v in second.values())  # Q2 reads as what it is: nobody
    # nothing becomes recomputable: with the frozen figures hidden again, every figure of
    # every release keeps exactly the same possible values, and the freed ones were 0 only
    quarters = [r for r in releases if "-Q" in r]
    shown = _linked_brute(docs, rows, quarters, bound)
    kept = [docs[0], (docs[1][0], _hide_again(docs[1][1], freed)), *docs[2:]]
    hidden = _linked_brute(kept, rows, quarters, bound)
    for pos in freed:
        assert hidden.pop(("2025-Q2", pos)) == {0}
    assert shown == hidden
    for (release, pos), values in shown.items():
        period = next(p for p, d in docs if d["release"] == release)
        truth = sum(
            1
            for o in obs
            if o.key[0] in period.quarters
            and pos[0] in (STAR, o.key[1])
            and pos[1] in (STAR, o.key[0])
        )
        if 0 < truth < T:
            assert len(values) >= 2, (release, pos)
    # the LP agrees with the enumerator on every hidden figure, outsider and insiders
    found: dict[Any, tuple[float, float]] = {}
    assert audit(docs, obs, T, bound, "requests", bounds_out=found) == []
    for (release, _, pos, coach), (low, high) in found.items():
        if coach is None:
            values = shown[(release, pos)]
            assert (round(low, 6), round(high, 6)) == (min(values), max(values))


def test_a_frozen_zero_stays_hidden_when_figures_are_rounded() -> None:
    """A rounded figure is an interval to the audit ([v-2, v+2]): it pins nothing exactly, so
    the frozen pattern is kept."""
    rows = ["o0", "o1", "o2"]
    programme = _programme(rows, ["c0"], 3, two_d=False)
    programme.raw["indicators"]["rounding"] = 5
    obs = _observations([[1], [1], [5]], rows, ["c0"], "2025-Q1")
    q1, q2 = parse_release("2025-Q1"), parse_release("2025-Q2")
    assert q1 is not None and q2 is not None
    first = make_release(programme, obs, q1, [])
    second = make_release(programme, obs, q2, [(q1, first)])
    assert [c[0] for c in second["tables"][0]["cells"]][:2] == [{"suppressed": True}] * 2


def test_a_single_quarter_column_costs_one_other_row() -> None:
    """A quarterly release by offer and quarter has one column: a row's cell and its total
    are the same figure, so a small row is protected by the cheapest other row (cell and
    total: here the 0 of o3), and nothing else is hidden."""
    rows = ["o0", "o1", "o2", "o3"]
    programme = _programme(rows, ["c0"], 20, two_d=True, columns="quarter")
    obs = _observations([[1], [5], [7], [0]], rows, ["c0"], "2025-Q1")
    period = parse_release("2025-Q1")
    assert period is not None
    doc = make_release(programme, obs, period, [])
    hidden = {pos for pos, v in _published(doc["tables"][0]).items() if v is None}
    assert hidden == {("o0", "2025-Q1"), ("o0", STAR), ("o3", "2025-Q1"), ("o3", STAR)}
    tables = enumerate_tables(doc["tables"][0], 13)
    assert len({t[("o0", "2025-Q1")] for t in tables}) >= 2
