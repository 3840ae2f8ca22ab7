"""One release of the indicators: compute every table of the manifest for a period, suppress,
audit jointly with every release already published, and write ``<release>.json`` and
``<release>.csv`` (never rewriting a published release)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

from coachdir.indicators.audit import Infeasible, Relation, joint_bounds, two_values
from coachdir.indicators.manifest import (
    Period,
    dimension_label,
    dimension_values,
    parse_release,
    title,
)
from coachdir.indicators.measures import DIMENSIONS, MEASURE_KINDS, Observation
from coachdir.indicators.suppress import (
    TOTAL,
    Pos,
    determined_zeros,
    is_margin,
    positions,
    secondary,
    suppress,
)
from coachdir.problems import InvalidInput
from coachdir.programme import IndicatorSettings, IndicatorTable, Programme
from coachdir.published import release_csv

SCHEMA_VERSION = 1
DIM_INDEX = {name: i for i, name in enumerate(DIMENSIONS)}
#: the published range of a rate everyone shares (100%, or 0%): "90% or more", "10% or less"
RATE_RANGES = {1.0: (0.9, 1.0), 0.0: (0.0, 0.1)}
#: answers a rate or mean needs besides T people
MIN_ANSWERS = 3


@dataclass
class Built:
    """One table of the release being made."""

    spec: IndicatorTable
    rows: list[tuple[str, dict[str, str]]]
    columns: list[tuple[str, dict[str, str]]] | None
    values: dict[Pos, float]
    people: dict[Pos, int]
    answers: dict[Pos, int]
    unsafe: set[Pos] = field(default_factory=set)
    hidden: set[Pos] = field(default_factory=set)

    @property
    def kind(self) -> str:
        return MEASURE_KINDS[self.spec.measure]

    @property
    def one_dimension(self) -> bool:
        return self.columns is None


@dataclass(frozen=True)
class Summary:
    """What a release wrote: its files, tables, cells, hidden cells (and how many were below
    the threshold), and whether the files were already there, identical."""

    json_path: Path
    csv_path: Path
    tables: int
    cells: int
    hidden: int
    unsafe: int
    unchanged: bool


def _matches(obs: Observation, dim: str, value: str) -> bool:
    return value == TOTAL or obs.key[DIM_INDEX[dim]] == value


def _select(obs: Sequence[Observation], spec: IndicatorTable, pos: Pos) -> list[Observation]:
    return [
        o
        for o in obs
        if _matches(o, spec.rows, pos[0])
        and (spec.columns is None or _matches(o, spec.columns, pos[1]))
    ]


def build_table(
    programme: Programme, spec: IndicatorTable, period: Period, obs: Sequence[Observation]
) -> Built:
    """The true values of one table: per position, the value, the people and the answers."""
    quarters = set(period.quarters)
    mine = [o for o in obs if o.measure == spec.measure and o.key[0] in quarters]
    rows = dimension_values(programme, spec.rows, period)
    columns = None if spec.columns is None else dimension_values(programme, spec.columns, period)
    built = Built(spec, rows, columns, {}, {}, {})
    cols = None if columns is None else [c for c, _ in columns]
    for pos in positions([r for r, _ in rows], cols):
        chosen = _select(mine, spec, pos)
        total = sum(o.value for o in chosen)
        built.people[pos] = len({o.client for o in chosen})
        built.answers[pos] = len(chosen)
        if built.kind == "count":
            built.values[pos] = total
        else:
            built.values[pos] = total / len(chosen) if chosen else 0.0
    return built


def _protect(built: Built, settings: IndicatorSettings, frozen: set[Pos]) -> None:
    if built.kind == "count":
        built.unsafe, built.hidden = suppress(
            built.values, built.people, settings.threshold, built.one_dimension, frozen
        )
        if settings.rounding is None:  # a frozen 0 this period's own figures pin is shown
            keep = (frozen & set(built.values)) - built.unsafe
            built.hidden -= determined_zeros(built.values, built.hidden, keep, built.one_dimension)
        return
    built.hidden = {
        pos
        for pos in built.values
        if built.people[pos] < settings.threshold or built.answers[pos] < MIN_ANSWERS
    } | (frozen & set(built.values))


def _rounded(value: float, rounding: int | None) -> int:
    if rounding is None:
        return int(value)
    return int((value + rounding / 2) // rounding * rounding)


def _cell(built: Built, pos: Pos, rounding: int | None) -> dict[str, Any]:
    if pos in built.hidden:
        return {"suppressed": True}
    value = built.values[pos]
    if built.kind == "count":
        return {"value": _rounded(value, rounding)}
    if built.kind == "rate":
        if value in RATE_RANGES:
            low, high = RATE_RANGES[value]
            return {"range": [low, high]}
        return {"value": round(value, 2)}
    return {"value": round(value, 1)}


def _axis(dimension: str, values: list[tuple[str, dict[str, str]]]) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "label": dimension_label(dimension),
        "values": [{"id": v, "label": label} for v, label in values],
    }


def table_json(built: Built, rounding: int | None) -> dict[str, Any]:
    """One table in the published format."""
    rows = [r for r, _ in built.rows]
    if built.columns is None:
        cells = [[_cell(built, (r, TOTAL), rounding)] for r in rows]
        row_totals = [cell[0] for cell in cells]
        column_totals = None
    else:
        cols = [c for c, _ in built.columns]
        cells = [[_cell(built, (r, c), rounding) for c in cols] for r in rows]
        row_totals = [_cell(built, (r, TOTAL), rounding) for r in rows]
        column_totals = [_cell(built, (TOTAL, c), rounding) for c in cols]
    return {
        "id": built.spec.id,
        "measure": built.spec.measure,
        "kind": built.kind,
        "title": title(built.spec),
        "rows": _axis(built.spec.rows, built.rows),
        "columns": None
        if built.columns is None
        else _axis(built.spec.columns or "", built.columns),
        "cells": cells,
        "row_totals": row_totals,
        "column_totals": column_totals,
        "total": _cell(built, (TOTAL, TOTAL), rounding),
    }


def published_cells(table: dict[str, Any]) -> Iterator[tuple[Pos, dict[str, Any]]]:
    """Every (position, cell) of a published table."""
    rows = [v["id"] for v in table["rows"]["values"]]
    if table["columns"] is None:
        for r, cell in zip(rows, table["cells"], strict=True):
            yield (r, TOTAL), cell[0]
    else:
        cols = [v["id"] for v in table["columns"]["values"]]
        for r, line in zip(rows, table["cells"], strict=True):
            for c, cell in zip(cols, line, strict=True):
                yield (r, c), cell
        for r, cell in zip(rows, table["row_totals"], strict=True):
            yield (r, TOTAL), cell
        for c, cell in zip(cols, table["column_totals"], strict=True):
            yield (TOTAL, c), cell
    yield (TOTAL, TOTAL), table["total"]


@dataclass(frozen=True)
class Failure:
    """A hidden cell of 1 to T-1 people that the attacker (or one coach) pins down."""

    release: str
    table: str
    pos: Pos
    support: frozenset[int]
    coach: str | None
    #: the observations (by identity) behind the cell
    people: frozenset[int] = frozenset()


def audit(
    releases: Sequence[tuple[Period, dict[str, Any]]],
    obs: Sequence[Observation],
    threshold: int,
    upper: float,
    measure: str,
    insiders: bool = True,
    bounds_out: dict[tuple[str, str, Pos, str | None], tuple[float, float]] | None = None,
) -> list[Failure]:
    """The joint audit of one count measure over every release given (period, document):
    each hidden cell of 1 to T-1 people must keep two integer values, for an outsider and
    for every coach knowing their own clients' contributions (the bounds found, by release,
    table, position and coach, go to ``bounds_out`` when given)."""
    tables = [
        (period, doc.get("rounding"), t)
        for period, doc in releases
        for t in doc["tables"]
        if t["measure"] == measure
    ]
    if not tables:
        return []
    used = sorted(
        {t["rows"]["dimension"] for _, _, t in tables}
        | {t["columns"]["dimension"] for _, _, t in tables if t["columns"]}
        | {"quarter"},
        key=DIM_INDEX.__getitem__,
    )
    axes: dict[str, set[str]] = {d: set() for d in used}
    for period, _, t in tables:
        axes["quarter"].update(period.quarters)
        for axis in (t["rows"], t["columns"]):
            if axis is not None:
                axes[axis["dimension"]].update(v["id"] for v in axis["values"])
    mine = [o for o in obs if o.measure == measure and o.key[0] in axes["quarter"]]
    for o in mine:
        for d in used:
            axes[d].add(o.key[DIM_INDEX[d]])
    keys = list(product(*(sorted(axes[d]) for d in used)))
    index = {k: i for i, k in enumerate(keys)}

    def project(o: Observation) -> int:
        return index[tuple(o.key[DIM_INDEX[d]] for d in used)]

    where = [project(o) for o in mine]
    truth = [0.0] * len(keys)
    for o, i in zip(mine, where, strict=True):
        truth[i] += o.value
    published: list[Relation] = []
    hidden: list[tuple[int, ...]] = []
    targets: list[tuple[Period, str, Pos, tuple[int, ...]]] = []
    seen: set[tuple[int, ...]] = set()
    faces: dict[tuple[int, ...], frozenset[int]] = {}
    for period, rounding, t in tables:
        quarters = set(period.quarters)
        rows_dim = t["rows"]["dimension"]
        cols_dim = t["columns"]["dimension"] if t["columns"] else None
        for pos, cell in published_cells(t):
            support = tuple(
                i
                for i, k in enumerate(keys)
                if k[0] in quarters
                and (pos[0] == TOTAL or k[used.index(rows_dim)] == pos[0])
                and (cols_dim is None or pos[1] == TOTAL or k[used.index(cols_dim)] == pos[1])
            )
            if "value" in cell:
                v = float(cell["value"])
                if rounding:
                    published.append(Relation(support, max(0.0, v - 2), v + 2))
                else:
                    published.append(Relation(support, v, v))
                continue
            hidden.append(support)
            if support in seen:
                continue
            inside = set(support)
            behind = [o for o, i in zip(mine, where, strict=True) if i in inside]
            people = len({o.client for o in behind})
            if 0 < people < threshold:
                seen.add(support)
                targets.append((period, t["id"], pos, support))
                faces[support] = frozenset(id(o) for o in behind)
    if not targets:
        return []
    # a bound below a true hidden figure is no bound (more requests than places, say): it is
    # raised to the largest hidden figure, so the attacker's problem always has the truth
    upper = max([upper] + [sum(truth[i] for i in h) for h in hidden])
    supports = [s for _, _, _, s in targets]
    # every coach as an insider, knowing their own clients' part of each finest cell; each
    # audits every cell where someone else remains, the coach's part in it or not: what they
    # know of other cells is subtracted from the margins too
    knowns: dict[str, dict[int, float]] = {}
    if insiders:
        for o, i in zip(mine, where, strict=True):
            if o.coach:
                known = knowns.setdefault(o.coach, {})
                known[i] = known.get(i, 0.0) + o.value
    coaches = sorted(knowns)
    totals = [sum(truth[i] for i in s) for s in supports]
    sets = [set(s) for s in supports]
    wanted = [
        [
            n
            for n, inside in enumerate(sets)
            if totals[n] - sum(v for i, v in knowns[coach].items() if i in inside) > 0
        ]
        for coach in coaches
    ]
    try:
        bounds, inside_bounds = joint_bounds(
            len(keys),
            published,
            hidden,
            upper,
            supports,
            [(knowns[c], w) for c, w in zip(coaches, wanted, strict=True)],
            exact=bounds_out is not None,
        )
    except Infeasible:
        raise InvalidInput(
            f"the published {measure} figures no longer match the records (a record changed "
            "after a release was published); the audit cannot run. Restore the records as they "
            "were, or ask the programme team how to publish a correction."
        ) from None
    failures: list[Failure] = []
    for (period, table_id, pos, support), (low, high) in zip(targets, bounds, strict=True):
        if bounds_out is not None:
            bounds_out[(period.release, table_id, pos, None)] = (low, high)
        if not two_values(low, high):
            failures.append(
                Failure(period.release, table_id, pos, frozenset(support), None, faces[support])
            )
    for coach, indices, found in zip(coaches, wanted, inside_bounds, strict=True):
        for n, (low, high) in zip(indices, found, strict=True):
            period, table_id, pos, support = targets[n]
            if bounds_out is not None:
                bounds_out[(period.release, table_id, pos, coach)] = (low, high)
            if not two_values(low, high):
                failures.append(
                    Failure(
                        period.release, table_id, pos, frozenset(support), coach, faces[support]
                    )
                )
    return failures


def _hidden_of(table: dict[str, Any]) -> set[Pos]:
    return {pos for pos, cell in published_cells(table) if "suppressed" in cell}


def _check_table(table: dict[str, Any]) -> None:
    """Raise ValueError unless a published table has the shape the audit reads."""
    if table["measure"] not in MEASURE_KINDS or not isinstance(table["id"], str):
        raise ValueError("unknown measure")
    for axis in (table["rows"], table["columns"]):
        if axis is not None and (
            axis["dimension"] not in DIM_INDEX
            or not all(isinstance(v["id"], str) for v in axis["values"])
        ):
            raise ValueError("unknown dimension")
    for _, cell in published_cells(table):
        value = cell.get("value")
        if (
            cell != {"suppressed": True}
            and "range" not in cell
            and (len(cell) != 1 or isinstance(value, bool) or not isinstance(value, (int, float)))
        ):
            raise ValueError("not a cell")


def read_releases(folder: Path, skip: str) -> list[tuple[Period, dict[str, Any]]]:
    """The releases already published in ``folder`` (every ``<release>.json`` but ``skip``)."""
    found: list[tuple[Period, dict[str, Any]]] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        period = parse_release(path.stem)
        if period is None or path.stem == skip:
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc["schema_version"] != SCHEMA_VERSION or doc["release"] != path.stem:
                raise ValueError("not a release of this format")
            for table in doc["tables"]:
                _check_table(table)
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise InvalidInput(
                f"{path}: this is not a published indicators release (schema_version "
                f"{SCHEMA_VERSION}); restore it from git history or move it out of {folder}."
            ) from None
        found.append((period, doc))
    return found


def order(period: Period) -> tuple[date, bool]:
    """Releases come in the order of their end, a quarter before the year it closes."""
    return period.end, len(period.quarters) > 1


def default_bound(programme: Programme, measure: str) -> int:
    """The public upper bound of a hidden count: ``indicators.bound``, or the cohorts' places
    (times the planned sessions, plus one, for sessions)."""
    settings = programme.indicators
    places = settings.bound or sum(c.places for c in programme.cohorts) or 10_000
    if measure in ("sessions_held", "group_sessions_held"):
        return places * (int(programme.session_plan["sessions"]) + 1)
    if measure == "immersion_days":  # at most 10 working days a period
        return places * 10
    return places


def make_release(
    programme: Programme,
    obs: Sequence[Observation],
    period: Period,
    earlier: Sequence[tuple[Period, dict[str, Any]]],
) -> dict[str, Any]:
    """The release document: every table, suppressed, frozen and audited."""
    settings = programme.indicators
    frozen: dict[str, set[Pos]] = {}
    for before, doc in earlier:
        if len(before.quarters) != len(period.quarters):
            continue  # a pattern is frozen across periods of one kind: quarters, or years
        for t in doc["tables"]:
            frozen.setdefault(t["id"], set()).update(_hidden_of(t))
    tables = [build_table(programme, spec, period, obs) for spec in settings.tables]
    for built in tables:
        _protect(built, settings, frozen.get(built.spec.id, set()))

    def document() -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "release": period.release,
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "threshold": settings.threshold,
            "rounding": settings.rounding,
            "tables": [table_json(b, settings.rounding) for b in tables],
        }

    for measure in sorted({b.spec.measure for b in tables if b.kind == "count"}):
        while True:
            doc = document()
            failures = audit(
                [*earlier, (period, doc)],
                obs,
                settings.threshold,
                default_bound(programme, measure),
                measure,
            )
            if not failures:
                break
            if not _widen(tables, measure, failures[0], period, obs):
                raise InvalidInput(
                    f"an earlier release already lets a {measure} figure of fewer than "
                    f"{settings.threshold} people be worked out; this release cannot repair it. "
                    "Ask the programme team to review the published releases."
                )
    return document()


def _widen(
    tables: list[Built], measure: str, failure: Failure, period: Period, obs: Sequence[Observation]
) -> bool:
    """Hide one more published cell of this release: the cheapest (inner cells first, then
    the smallest) among those sharing people with the failing cell, or else among all of
    the measure's; then close its table's cycles again. False when none is left."""
    quarters = set(period.quarters)
    mine = [o for o in obs if o.measure == measure and o.key[0] in quarters]
    ranked: list[tuple[tuple[bool, bool, float, str, Pos], Built, Pos]] = []
    for built in tables:
        if built.spec.measure != measure or built.kind != "count":
            continue
        for pos in built.values:
            if pos in built.hidden:
                continue
            shares = any(id(o) in failure.people for o in _select(mine, built.spec, pos))
            rank = (
                not shares,
                is_margin(pos, built.one_dimension),
                built.values[pos],
                built.spec.id,
                pos,
            )
            ranked.append((rank, built, pos))
    if not ranked:
        return False
    _, built, pos = min(ranked, key=lambda item: item[0])
    built.hidden = secondary(built.values, built.unsafe, built.hidden | {pos}, built.one_dimension)
    return True


def release_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(partial, path)


def publish(
    programme: Programme, obs: Sequence[Observation], release: str, today: date, out: Path
) -> Summary:
    """Compute, audit and write one release under ``out``; refuse a future or incomplete
    period and any change to a release already published."""
    period = parse_release(release)
    if period is None:
        raise InvalidInput(
            f"'{release}' is not a release id; write a quarter (2026-Q3) or a year (2026)."
        )
    if period.end >= today:
        raise InvalidInput(
            f"release {release} ends on {period.end}, which is not before today ({today}): "
            "only a complete period is published. Pass an earlier --release."
        )
    others = read_releases(out, release)
    earlier = [(p, d) for p, d in others if order(p) < order(period)]
    later = sorted(p.release for p, _ in others if order(p) > order(period))
    if later and not (out / f"{release}.json").is_file():
        raise InvalidInput(
            f"release {release} comes before {later[0]}, which is already published: releases "
            "are published in order (each is audited with the ones before it). Publish only "
            "periods after the last one."
        )
    doc = make_release(programme, obs, period, earlier)
    texts = {out / f"{release}.json": release_json(doc), out / f"{release}.csv": release_csv(doc)}
    existing = {p: p.read_text(encoding="utf-8") for p in texts if p.is_file()}
    for path, text in existing.items():
        if text != texts[path]:
            raise InvalidInput(
                f"{path} is already published and would change; a release is never rewritten. "
                "Publish the next period instead (or remove the file if it was never made public)."
            )
    unchanged = len(existing) == len(texts)
    if not unchanged:
        out.mkdir(parents=True, exist_ok=True)
        for path, text in texts.items():
            if path not in existing:
                _write(path, text)
    cells = [cell for t in doc["tables"] for _, cell in published_cells(t)]
    tables = [build_table(programme, s, period, obs) for s in programme.indicators.tables]
    unsafe = sum(len(_unsafe_count(b, programme.indicators.threshold)) for b in tables)
    return Summary(
        out / f"{release}.json",
        out / f"{release}.csv",
        len(doc["tables"]),
        len(cells),
        sum(1 for c in cells if "suppressed" in c),
        unsafe,
        unchanged,
    )


def _unsafe_count(built: Built, threshold: int) -> set[Pos]:
    return {p for p, n in built.people.items() if 0 < n < threshold}
