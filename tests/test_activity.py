"""coachdir activity: one coach's volume, reach and completion from the demo records, the
--shared suppression, and each refusal with its message and exit code."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdir.reports.activity import activity, hidden_in_line, threshold
from conftest import ROOT, copy_programme, run_cli
from reports_helpers import demo, raw_engagements

# Hand count of zoe-nguyen's five engagement files (records/engagements/2025-0007, -0011,
# -0015, 2026-0006, -0019): withdrawn, closed, completed (2025-0015), ended (2026-0006, team),
# active (2026-0019). Held coaching sessions 5 + 2 + 4 = 11, minutes 220 + 90 + 185 = 495 (8.25
# hours), 5 held intros; started: 2025-0015 (codevelopment), 2026-0006 and 2026-0019 (coaching),
# under U2/U10 (secretariat-general), U2/U15 (ecole-gardiens) and U2/U14 (inspection-cotes).
ZOE_STATES = {"withdrawn": 1, "closed": 1, "completed": 1, "ended": 1, "active": 1}


def _rows(line: dict) -> dict:
    return {r["id"]: r.get("value", "hidden") for r in line["rows"]}


def test_own_view_matches_the_hand_count() -> None:
    programme, engagements, _ = demo()
    doc = activity("zoe-nguyen", engagements, programme, shared=False)
    by_state = _rows(doc["volume"]["by_state"])
    assert {k: v for k, v in by_state.items() if v} == ZOE_STATES
    assert doc["volume"]["by_state"]["total"] == {"value": 5}
    assert doc["volume"]["sessions_held"] == {"value": 11}
    assert doc["volume"]["intros_held"] == {"value": 5}
    assert doc["volume"]["hours"] == {"value": 8.25}
    assert _rows(doc["reached"]["by_entity"]) == {
        "secretariat-general": 1,
        "direction-phares": 0,
        "direction-balises": 0,
        "direction-numerique": 0,
        "inspection-cotes": 1,
        "ecole-gardiens": 1,
        "other": 0,
    }
    assert _rows(doc["reached"]["by_offer"]) == {
        "coaching": 2,
        "mentoring": 0,
        "codevelopment": 1,
        "immersion": 0,
    }
    assert doc["completion"] == {
        "completed": {"value": 1},
        "finished": {"value": 2},
        "rate": {"value": 0.5},
    }


def test_every_coach_matches_a_count_from_the_yaml() -> None:
    """Computed from the YAML files alone, independently of coachdir's model."""
    programme, engagements, _ = demo()
    raw = raw_engagements()
    for coach in sorted({d["coach"] for d in raw if d.get("coach")}):
        mine = [d for d in raw if d.get("coach") == coach]
        begun = [d for d in mine if any(h["state"] == "active" for h in d["history"])]
        minutes = sum(
            s["minutes"]
            for d in mine
            for s in d.get("sessions", [])
            if s["kind"] == "session" and s["status"] == "held"
        )
        doc = activity(coach, engagements, programme, shared=False)
        assert doc["volume"]["by_state"]["total"] == {"value": len(mine)}
        assert doc["volume"]["hours"] == {"value": round(minutes / 60, 2)}
        assert doc["reached"]["by_offer"]["total"] == {"value": len(begun)}
        finished = [d for d in begun if d["history"][-1]["state"] in ("completed", "ended")]
        assert doc["completion"]["finished"] == {"value": len(finished)}


def test_shared_view_hides_small_counts_and_their_totals() -> None:
    programme, engagements, _ = demo()
    doc = activity("zoe-nguyen", engagements, programme, shared=True)
    assert doc["threshold"] == 10
    by_state = _rows(doc["volume"]["by_state"])
    assert {k for k, v in by_state.items() if v == "hidden"} == set(ZOE_STATES)
    assert all(v in (0, "hidden") for v in by_state.values())
    assert doc["volume"]["by_state"]["total"] == {"suppressed": True}
    assert _rows(doc["reached"]["by_offer"]) == {
        "coaching": "hidden",
        "mentoring": 0,
        "codevelopment": "hidden",
        "immersion": 0,
    }
    # sums and the rate rest on fewer than 10 engagements: not shown
    assert doc["volume"]["hours"] == {"suppressed": True}
    assert doc["completion"]["rate"] == {"suppressed": True}


def test_shared_view_adds_a_secondary_suppression() -> None:
    """With T = 2, zoe-nguyen's offers are coaching 2, codevelopment 1, total 3: the 1 alone
    could be recomputed from the total, so the cheapest other count is hidden too: a zero
    (mentoring), the indicators' documented choice (zeros are the cheapest partner)."""
    programme, engagements, _ = demo()
    low = replace(programme, raw={**programme.raw, "indicators": {"threshold": 2}})
    assert threshold(low) == 2
    doc = activity("zoe-nguyen", engagements, low, shared=True)
    assert _rows(doc["reached"]["by_offer"]) == {
        "coaching": 2,
        "mentoring": "hidden",
        "codevelopment": "hidden",
        "immersion": 0,
    }
    assert doc["reached"]["by_offer"]["total"] == {"value": 3}


def test_threshold_setting() -> None:
    """The threshold is the typed ``indicators.threshold`` (the schema refuses odd values)."""
    programme, _, _ = demo()
    assert threshold(programme) == 10
    raw = {**programme.raw, "indicators": {**programme.raw["indicators"], "threshold": 5}}
    assert threshold(replace(programme, raw=raw)) == 5


@pytest.mark.parametrize("odd", ["true", "0", "1", '"5"', "null"])
def test_an_odd_threshold_is_refused_by_the_settings_schema(tmp_path: Path, odd: str) -> None:
    """The typed threshold can be trusted because programme.yml's schema refuses anything but
    a whole number from 2 up, at its position."""
    from coachdir.programme import load_programme

    root = copy_programme(tmp_path / "p", coaches=False)
    text = (root / "programme.yml").read_text(encoding="utf-8")
    assert "  threshold: 10\n" in text
    (root / "programme.yml").write_text(text.replace("  threshold: 10\n", f"  threshold: {odd}\n"))
    programme, _, problems = load_programme(root)
    assert programme is None
    assert any(p.rule.startswith("schema.") and "threshold" in p.message for p in problems)


def test_hidden_in_line_cases() -> None:
    """The indicators' suppression of a line: the cheapest partner of a lone small count is a
    zero when there is one (a zero describes nobody), else the smallest count."""
    assert hidden_in_line([12, 3, 20], 10) == ([True, True, False], False)
    assert hidden_in_line([12, 0, 3], 10) == ([False, True, True], False)
    assert hidden_in_line([0, 3], 10) == ([False, True], True)
    assert hidden_in_line([15, 0], 10) == ([False, False], False)
    assert hidden_in_line([0, 0], 10) == ([False, False], False)


def test_activity_uses_the_indicators_suppression() -> None:
    """One implementation: the module has no suppression of its own."""
    import coachdir.reports.activity as module

    assert not hasattr(module, "suppress_line")
    assert module.suppress.__module__ == "coachdir.indicators.suppress"


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=5))
def test_no_hidden_count_is_determined_by_its_line(counts: list[int]) -> None:
    """Brute force: every non-negative line consistent with what is shown (the published cells
    and total) leaves each hidden count at least two possible values."""
    limit = 10
    hidden, total_hidden = hidden_in_line(counts, limit)
    total = sum(counts)
    assert all(h for n, h in zip(counts, hidden, strict=True) if 0 < n < limit)
    assert total_hidden or not 0 < total < limit
    unknown = [i for i, h in enumerate(hidden) if h]
    if total_hidden:  # no equation ties the hidden cells: each is free
        assert unknown or total == 0
        return
    assert len(unknown) != 1
    rest = total - sum(n for n, h in zip(counts, hidden, strict=True) if not h)
    possible: dict[int, set[int]] = {i: set() for i in unknown}
    for guess in itertools.product(range(rest + 1), repeat=max(len(unknown) - 1, 0)):
        last = rest - sum(guess)
        if unknown and last >= 0:
            for i, g in zip(unknown, (*guess, last), strict=True):
                possible[i].add(g)
    for i in unknown:
        assert len(possible[i]) >= 2, (counts, hidden, total_hidden)


def test_cli_text_and_json() -> None:
    text = run_cli("activity", "zoe-nguyen", "--root", str(ROOT))
    assert text.returncode == 0, text.stderr
    assert "Coaching hours: 8.25" in text.stdout and "rate       50%" in text.stdout
    assert "Entity = the client's entity" in text.stdout
    assert "  secretariat-general          1" in text.stdout
    shared = run_cli("activity", "zoe-nguyen", "--root", str(ROOT), "--shared", "--format", "json")
    assert shared.returncode == 0, shared.stderr
    doc = json.loads(shared.stdout)
    assert sorted(doc) == [
        "coach",
        "completion",
        "entity_basis",
        "facilitation",
        "reached",
        "shared",
        "threshold",
        "volume",
    ]
    assert doc["shared"] is True and doc["volume"]["hours"] == {"suppressed": True}
    # zoe-nguyen facilitates codev-brest-2027, whose sessions are still to come
    assert doc["facilitation"]["sessions_held"] == {"suppressed": True}
    table = run_cli("activity", "zoe-nguyen", "--root", str(ROOT), "--shared")
    assert table.returncode == 0, table.stderr
    # a hidden count may be a secondary suppression of a count of 10 or more: never "<10"
    assert "<10" not in table.stdout
    assert "  codevelopment     hidden" in table.stdout
    assert "Coaching hours: not shown" in table.stdout


def test_refuses_an_unknown_coach() -> None:
    result = run_cli("activity", "nobody-here", "--root", str(ROOT))
    assert result.returncode == 2
    assert (
        "Error: no coach 'nobody-here' in coaches/; give the id of a coach profile (its file "
        "name without .yml)." in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_never_echoes_what_is_not_an_id() -> None:
    result = run_cli("activity", "Jane Doe <jane@example.org>", "--root", str(ROOT))
    assert result.returncode == 2
    assert "jane" not in result.stderr.lower()
    assert "the COACH argument is not a coach id" in result.stderr


def test_an_id_with_a_line_break_is_not_echoed() -> None:
    result = run_cli("activity", "zoe-nguyen\n", "--root", str(ROOT))
    assert result.returncode == 2
    assert "the COACH argument is not a coach id" in result.stderr


def test_refuses_a_coach_without_engagements() -> None:
    result = run_cli("activity", "agnes-kowalska", "--root", str(ROOT))
    assert result.returncode == 1
    assert (
        "Error: coach 'agnes-kowalska' has no engagement in the records; there is nothing to "
        "report. Check the coach id and the --records folder." in result.stderr
    )


def test_refuses_missing_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "none"
    result = run_cli("activity", "zoe-nguyen", "--root", str(ROOT), "--records", str(missing))
    assert result.returncode == 2
    assert f"Error: {missing}: no such records folder; pass --records DIR." in result.stderr


def test_activity_counts_the_groups_a_coach_facilitates() -> None:
    """Issue 15: maelys-kerjean facilitates codev-visio-2026, whose first session was held."""
    result = run_cli("activity", "maelys-kerjean", "--root", str(ROOT), "--format", "json")
    assert result.returncode == 0, result.stderr
    facilitation = json.loads(result.stdout)["facilitation"]
    assert facilitation == {
        "groups": {"value": 1},
        "sessions_held": {"value": 1},
        "hours": {"value": 2.0},
    }
