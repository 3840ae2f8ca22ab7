"""Indicators (issue 10): measures, the graph suppression, freezing, rounding, rates, the
published format, the command, and the committed demo releases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coachdir.indicators.manifest import last_complete_quarter, parse_release
from coachdir.indicators.measures import Observation, observations
from coachdir.indicators.release import audit, make_release, release_csv
from coachdir.indicators.suppress import TOTAL, is_bridge, positions, secondary, suppress
from coachdir.programme import Programme, client_entity
from coachdir.records.model import Engagement, HistoryStep, Session
from conftest import ROOT, run_cli

DEMO_RELEASES = [
    "2025-Q1",
    "2025-Q2",
    "2025-Q3",
    "2025-Q4",
    "2025",
    "2026-Q1",
    "2026-Q2",
    "2026-Q3",
]


# -- the graph ------------------------------------------------------------------------------


def test_a_lone_hidden_cell_is_a_bridge_and_a_four_cycle_is_not() -> None:
    assert is_bridge(("a", "x"), {("a", "x")}, one_dimension=False)
    square = {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert not any(is_bridge(e, square, one_dimension=False) for e in square)
    # a cell and its row total: still a bridge (the column total pins the cell)
    assert is_bridge(("a", "x"), {("a", "x"), ("a", TOTAL)}, one_dimension=False)
    # a cell, its row total, its column total and the grand total: a cycle
    cycle = {("a", "x"), ("a", TOTAL), (TOTAL, "x"), (TOTAL, TOTAL)}
    assert not is_bridge(("a", "x"), cycle, one_dimension=False)


def test_one_dimension_needs_two_hidden_figures_per_line() -> None:
    assert is_bridge(("a", TOTAL), {("a", TOTAL)}, one_dimension=True)
    assert not is_bridge(("a", TOTAL), {("a", TOTAL), ("b", TOTAL)}, one_dimension=True)
    values = {("a", TOTAL): 3.0, ("b", TOTAL): 20.0, ("c", TOTAL): 12.0, (TOTAL, TOTAL): 35.0}
    people = {p: int(v) for p, v in values.items()}
    unsafe, hidden = suppress(values, people, 10, one_dimension=True)
    assert unsafe == {("a", TOTAL)}
    assert hidden == {("a", TOTAL), ("c", TOTAL)}  # the cheapest cell, not the total


def test_the_greedy_closes_a_cycle_with_the_cheapest_inner_cells_before_margins() -> None:
    rows, cols = ["a", "b"], ["x", "y", "z"]
    grid = {("a", "x"): 2, ("a", "y"): 30, ("a", "z"): 12, ("b", "x"): 11, ("b", "y"): 40}
    grid[("b", "z")] = 13
    values = {p: 0.0 for p in positions(rows, cols)}
    for (r, c), v in grid.items():
        values[(r, c)] += v
        values[(r, TOTAL)] += v
        values[(TOTAL, c)] += v
        values[(TOTAL, TOTAL)] += v
    hidden = secondary(values, {("a", "x")}, set(), one_dimension=False)
    assert hidden == {("a", "x"), ("a", "z"), ("b", "x"), ("b", "z")}
    assert not any(is_bridge(e, hidden, one_dimension=False) for e in [("a", "x")])


# -- releases from small programmes ------------------------------------------------------


def _programme(tables: list[dict[str, Any]], **settings: Any) -> Programme:
    terms = [{"id": r, "fr": r, "en": r} for r in ("o0", "o1", "o2")]
    raw = {
        "cohorts": [
            {
                "id": "c0",
                "fr": "c0",
                "en": "c0",
                "opens": "2025-01-01",
                "closes": "2026-12-31",
                "places": 200,
            }
        ],
        "vocabularies": {"offers": terms, "expertise": terms, "entities": terms},
        "session_plan": {"sessions": 5},
        "indicators": {"threshold": 10, "tables": tables, **settings},
    }
    return Programme(raw, Path("."))


def _obs(
    counts: dict[str, int], quarter: str = "2025-Q1", measure: str = "requests", value: float = 1
) -> list[Observation]:
    return [
        Observation(
            measure,
            (quarter, offer, "x", "e", "c0"),
            f"C-{quarter}-{offer}-{k}",
            f"coach-{k % 3}",
            value,
        )
        for offer, n in counts.items()
        for k in range(n)
    ]


ONE_D = [{"id": "t", "measure": "requests", "rows": "offer"}]


def _release(
    programme: Programme, obs: list[Observation], release: str, earlier: list[Any] | None = None
) -> dict[str, Any]:
    period = parse_release(release)
    assert period is not None
    return make_release(programme, obs, period, earlier or [])


def test_an_earlier_hidden_cell_stays_hidden_in_the_next_quarter() -> None:
    programme = _programme(ONE_D)
    first = _release(programme, _obs({"o0": 3, "o1": 20, "o2": 12}), "2025-Q1")
    assert first["tables"][0]["cells"][0] == [{"suppressed": True}]
    q1 = parse_release("2025-Q1")
    later = _obs({"o0": 30, "o1": 20, "o2": 12}, "2025-Q2")
    second = _release(programme, later, "2025-Q2", [(q1, first)])
    # 30 is safe on its own, but o0 was hidden in Q1: the pattern is frozen
    assert second["tables"][0]["cells"][0] == [{"suppressed": True}]
    alone = _release(programme, later, "2025-Q2")
    assert alone["tables"][0]["cells"][0] == [{"value": 30}]


def test_rounding_to_base_five_and_the_audit_reads_intervals() -> None:
    programme = _programme(ONE_D, rounding=5)
    obs = _obs({"o0": 12, "o1": 23, "o2": 31})
    doc = _release(programme, obs, "2025-Q1")
    assert doc["rounding"] == 5
    assert [c[0] for c in doc["tables"][0]["cells"]] == [
        {"value": 10},
        {"value": 25},
        {"value": 30},
    ]
    assert doc["tables"][0]["total"] == {"value": 65}
    # a hand-made release hiding one cell: with exact figures it would be pinned (66-23-31)
    hand = json.loads(json.dumps(doc))
    hand["tables"][0]["cells"][0] = [{"suppressed": True}]
    hand["tables"][0]["row_totals"][0] = {"suppressed": True}
    small = _obs({"o0": 2, "o1": 23, "o2": 31})
    hand["tables"][0]["total"] = {"value": 55}
    period = parse_release("2025-Q1")
    found: dict[Any, tuple[float, float]] = {}
    audit([(period, hand)], small, 10, 200, "requests", insiders=False, bounds_out=found)
    ((low, high),) = found.values()
    assert high - low >= 4  # three rounded figures: the hidden one keeps a range
    hand["rounding"] = None
    hand["tables"][0]["cells"][1] = [{"value": 23}]
    hand["tables"][0]["cells"][2] = [{"value": 31}]
    hand["tables"][0]["total"] = {"value": 56}
    assert audit([(period, hand)], small, 10, 200, "requests", insiders=False)


def test_a_rate_everyone_shares_is_coarsened_and_a_small_base_is_hidden() -> None:
    tables = [{"id": "r", "measure": "completion_rate", "rows": "offer"}]
    programme = _programme(tables)
    obs = _obs({"o0": 12}, measure="completion_rate", value=1) + _obs(
        {"o1": 4}, measure="completion_rate", value=1
    )
    table = _release(programme, obs, "2025-Q1")["tables"][0]
    assert table["kind"] == "rate"
    assert table["cells"][0] == [{"range": [0.9, 1.0]}]
    assert table["cells"][1] == [{"suppressed": True}]  # 4 people: below T
    assert table["cells"][2] == [{"suppressed": True}]  # nobody: not published either
    assert table["total"] == {"range": [0.9, 1.0]}


def _engagement(**over: Any) -> Engagement:
    base: dict[str, Any] = dict(
        id="2025-0001",
        client="C-AAAAAAAAAA",
        contract_type="civil-servant",
        unit="U1",
        manages_unit=False,
        cohort="c0",
        offer="o0",
        expertise="x",
        language="fr",
        kind="individual",
        initiated_by="self",
        preferences=("k",),
        coach="k",
        history=(
            HistoryStep("requested", "2025-03-30"),
            HistoryStep("intro", "2025-04-02", "k"),
            HistoryStep("active", "2025-04-10"),
            HistoryStep("completed", "2025-09-01"),
        ),
        sessions=(
            Session("2025-04-20", 45, "session", "held", 4),
            Session("2025-05-20", 45, "session", "cancelled"),
            Session("2025-07-20", 45, "session", "held"),
        ),
        satisfaction=4,
    )
    base.update(over)
    return Engagement(**base)


UNITS = {"e1": "U1"}


def test_measures_date_each_event_in_its_own_quarter() -> None:
    found = {(o.measure, o.key[0], o.value) for o in observations([_engagement()], UNITS)}
    assert found == {
        ("requests", "2025-Q1", 1),
        ("engagements_started", "2025-Q2", 1),
        ("engagements_completed", "2025-Q3", 1),
        ("sessions_held", "2025-Q2", 1),
        ("sessions_held", "2025-Q3", 1),
        ("completion_rate", "2025-Q3", 1),
        ("mean_satisfaction", "2025-Q3", 4),
        ("days_to_first_intro", "2025-Q2", 3),
    }
    assert {o.key[3] for o in observations([_engagement()], UNITS)} == {"e1"}


def test_the_client_entity_is_the_longest_unit_prefix_by_whole_segments() -> None:
    units = {"top": "U2", "lights": "U2/U10", "buoys": "U2/U11", "deep": "U2/U10/U100"}
    assert client_entity("U2/U10/U100/U7", units) == "deep"
    assert client_entity("U2/U10/U101", units) == "lights"
    assert client_entity("U2/U10", units) == "lights"
    assert client_entity("U2/U1", units) == "top"  # U2/U1 is no prefix of U2/U10
    assert client_entity("U2/U16/U160", units) == "top"
    assert client_entity("U3/U10", units) == "other"
    assert client_entity("U2/U10", {}) == "other"


def test_an_engagement_counts_for_its_clients_entity_not_its_coachs() -> None:
    """The coach ``k`` plays no part: the entity comes from the client's unit path, with or
    without a coach (none matching: ``other``)."""
    units = {"lights": "U2/U10", "buoys": "U2/U11"}
    cases = [("U2/U11/U110", "k", "buoys"), ("U2/U10/U100", None, "lights"), ("U9", "k", "other")]
    for unit, coach, entity in cases:
        found = observations([_engagement(unit=unit, coach=coach)], units)
        assert {o.key[3] for o in found} == {entity}, unit


def test_the_demo_programme_maps_its_entities_to_units() -> None:
    from coachdir.programme import load_programme

    programme, _, problems = load_programme(ROOT)
    assert programme is not None and problems == []
    units = programme.entity_units()
    assert units["secretariat-general"] == "U2/U10" and units["ecole-gardiens"] == "U2/U15"
    assert client_entity("U2/U16/U160", units) == "other"


def test_the_default_release_is_the_last_complete_quarter() -> None:
    from datetime import date

    assert last_complete_quarter(date(2026, 11, 22)) == "2026-Q3"
    assert last_complete_quarter(date(2026, 1, 5)) == "2025-Q4"
    assert parse_release("2026-Q5") is None and parse_release("26") is None


# -- the published format -----------------------------------------------------------------

_CELL = {
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["value"],
            "properties": {"value": {"type": "number", "minimum": 0}},
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["suppressed"],
            "properties": {"suppressed": {"const": True}},
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["range"],
            "properties": {
                "range": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {"type": "number"},
                }
            },
        },
    ]
}
_LABEL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fr", "en"],
    "properties": {"fr": {"type": "string"}, "en": {"type": "string"}},
}
_AXIS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["dimension", "label", "values"],
    "properties": {
        "dimension": {"enum": ["offer", "expertise", "entity", "cohort", "quarter"]},
        "label": _LABEL,
        "values": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "label"],
                "properties": {"id": {"type": "string"}, "label": _LABEL},
            },
        },
    },
}
SHAPE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "release", "period", "threshold", "rounding", "tables"],
    "properties": {
        "schema_version": {"const": 1},
        "release": {"type": "string", "pattern": "^[0-9]{4}(-Q[1-4])?$"},
        "period": {
            "type": "object",
            "additionalProperties": False,
            "required": ["start", "end"],
            "properties": {"start": {"type": "string"}, "end": {"type": "string"}},
        },
        "threshold": {"type": "integer"},
        "rounding": {"enum": [None, 5]},
        "tables": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "measure",
                    "kind",
                    "title",
                    "rows",
                    "columns",
                    "cells",
                    "row_totals",
                    "column_totals",
                    "total",
                ],
                "properties": {
                    "id": {"type": "string"},
                    "measure": {
                        "enum": [
                            "requests",
                            "engagements_started",
                            "engagements_completed",
                            "engagements_ended_early",
                            "sessions_held",
                            "completion_rate",
                            "mean_satisfaction",
                            "days_to_first_intro",
                            "group_memberships",
                            "group_sessions_held",
                            "immersion_days",
                        ]
                    },
                    "kind": {"enum": ["count", "rate", "mean"]},
                    "title": _LABEL,
                    "rows": _AXIS,
                    "columns": {"oneOf": [{"type": "null"}, _AXIS]},
                    "cells": {"type": "array", "items": {"type": "array", "items": _CELL}},
                    "row_totals": {"type": "array", "items": _CELL},
                    "column_totals": {
                        "oneOf": [{"type": "null"}, {"type": "array", "items": _CELL}]
                    },
                    "total": _CELL,
                },
            },
        },
    },
}


@pytest.mark.parametrize("release", DEMO_RELEASES)
def test_the_demo_releases_follow_the_published_format(release: str) -> None:
    doc = json.loads((ROOT / "indicators" / f"{release}.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SHAPE)
    for table in doc["tables"]:
        rows = len(table["rows"]["values"])
        assert len(table["cells"]) == rows == len(table["row_totals"])
        if table["columns"] is None:
            assert all(len(line) == 1 for line in table["cells"])
            assert table["column_totals"] is None
        else:
            cols = len(table["columns"]["values"])
            assert all(len(line) == cols for line in table["cells"])
            assert len(table["column_totals"]) == cols
        for line in table["cells"]:
            for cell in line:  # no small count is ever published
                if table["kind"] == "count" and "value" in cell:
                    assert not 0 < cell["value"] < doc["threshold"]
    assert (ROOT / "indicators" / f"{release}.csv").read_text(encoding="utf-8") == release_csv(doc)


@pytest.mark.parametrize("release", DEMO_RELEASES)
def test_the_demo_releases_match_the_published_schema_file(release: str) -> None:
    """The schema the site page reads (schemas/indicators.schema.json) accepts every release."""
    schema = json.loads((ROOT / "schemas" / "indicators.schema.json").read_text("utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
    doc = json.loads((ROOT / "indicators" / f"{release}.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())


def test_the_demo_publishes_a_new_quarters_zeros_in_full() -> None:
    """2026-Q3 has no request: every cell of requests-by-offer-quarter is a published 0, so its
    row totals and total (hidden in earlier quarters, frozen) are pinned to 0 and shown."""
    doc = json.loads((ROOT / "indicators" / "2026-Q3.json").read_text(encoding="utf-8"))
    table = next(t for t in doc["tables"] if t["id"] == "requests-by-offer-quarter")
    assert table["cells"] == [[{"value": 0}]] * 4
    assert table["row_totals"] == [{"value": 0}] * 4
    assert table["column_totals"] == [{"value": 0}] and table["total"] == {"value": 0}
    earlier = json.loads((ROOT / "indicators" / "2026-Q1.json").read_text(encoding="utf-8"))
    before = next(t for t in earlier["tables"] if t["id"] == "requests-by-offer-quarter")
    assert before["total"] == {"suppressed": True}  # frozen: the rule is what shows it


def test_the_demo_has_hidden_cells_and_a_table_with_published_figures() -> None:
    doc = json.loads((ROOT / "indicators" / "2025.json").read_text(encoding="utf-8"))
    cells = [c for t in doc["tables"] for line in t["cells"] for c in line]
    assert any("suppressed" in c for c in cells)
    assert any("value" in c and c["value"] > 0 for c in cells + [t["total"] for t in doc["tables"]])


# -- the command ---------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(len(DEMO_RELEASES)), ids=DEMO_RELEASES)
def test_regenerating_the_demo_releases_gives_the_same_bytes(tmp_path: Path, index: int) -> None:
    """Each committed release, computed again beside the releases published before it (what
    the command audits it with jointly), has the same bytes. One release a test: they run in
    parallel, and as each earlier one is checked the same way, the chain is checked whole."""
    release, earlier = DEMO_RELEASES[index], DEMO_RELEASES[:index]
    out = tmp_path / "indicators"
    out.mkdir()
    for name in earlier:
        for ext in ("json", "csv"):
            shutil.copy(ROOT / "indicators" / f"{name}.{ext}", out / f"{name}.{ext}")
    result = run_cli(
        "indicators",
        "--root",
        str(ROOT),
        "--records",
        str(ROOT / "records"),
        "--release",
        release,
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    expected = sorted(f"{name}.{ext}" for name in [*earlier, release] for ext in ("csv", "json"))
    assert sorted(p.name for p in out.iterdir()) == expected
    for ext in ("json", "csv"):
        name = f"{release}.{ext}"
        assert (out / name).read_bytes() == (ROOT / "indicators" / name).read_bytes(), name


def test_the_demo_releases_are_the_committed_ones() -> None:
    committed = sorted(p.name for p in (ROOT / "indicators").iterdir())
    assert committed == sorted(f"{name}.{ext}" for name in DEMO_RELEASES for ext in ("csv", "json"))


def _cli(out: Path, *args: str) -> Any:
    return run_cli(
        "indicators",
        "--root",
        str(ROOT),
        "--records",
        str(ROOT / "records"),
        "--out",
        str(out),
        *args,
    )


def test_the_command_refuses_bad_future_and_rewritten_releases(tmp_path: Path) -> None:
    out = tmp_path / "ind"
    shutil.copytree(ROOT / "indicators", out)
    for args, words in [
        (("--release", "2026-Q7"), "not a release id"),
        (("--release", "2026-Q4"), "not before today"),
        (("--release", "2027"), "not before today"),
        (("--release", "2024-Q4"), "published in order"),
    ]:
        result = _cli(out, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
    # the same release again: identical, nothing written
    before = (out / "2026-Q3.json").stat().st_mtime_ns
    again = _cli(out)  # the default: the last complete quarter before COACHDIR_TODAY
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout
    assert (out / "2026-Q3.json").stat().st_mtime_ns == before
    # a published release that would change is never rewritten
    text = (out / "2026-Q3.json").read_text(encoding="utf-8")
    (out / "2026-Q3.json").write_text(text.replace('"threshold": 10', '"threshold": 11'))
    changed = _cli(out, "--release", "2026-Q3")
    assert changed.returncode == 1
    assert "never rewritten" in changed.stderr
    assert '"threshold": 11' in (out / "2026-Q3.json").read_text(encoding="utf-8")
    # a release folder file that is not a release: a message, not a traceback
    good = (out / "2026-Q2.json").read_text(encoding="utf-8")
    for bad in (
        "{not json",
        "[]",
        good.replace('"value": 0', '"value": "x"', 1),
        good.replace('"dimension": "cohort"', '"dimension": "planet"', 1),
    ):
        (out / "2026-Q2.json").write_text(bad)
        broken = _cli(out, "--release", "2026-Q3")
        assert broken.returncode == 1, (bad[:40], broken.stderr)
        assert "not a published indicators release" in broken.stderr


def test_the_site_never_imports_the_indicators_package() -> None:
    for path in (ROOT / "src" / "coachdir" / "site").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "coachdir.indicators" not in text, path
