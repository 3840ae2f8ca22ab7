"""Mentoring as its own offer kind (issue 15): a mentor needs no coaching credential nor
supervision, coaching-only rules do not apply to a mentoring engagement, a mentoring offer has
its own session plan, and the directory says plainly who coaches and who mentors."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from coachdir.loader import Loaded
from coachdir.model.coach import standing_reason
from coachdir.programme import Programme, load_programme
from coachdir.records.files import Records
from coachdir.records.model import Engagement, HistoryStep, Session
from coachdir.records.rules import session, standing
from coachdir.records.rules.base import RecordContext
from coachdir.site.build import build_site
from conftest import ROOT, copy_programme

TODAY = date(2026, 11, 22)


def _programme() -> Programme:
    programme, _, problems = load_programme(ROOT)
    assert programme is not None, problems
    return programme


PROGRAMME = _programme()


def _profile(offers: list[str]) -> dict[str, Any]:
    """A profile with no credential and no supervision, the current charter signed."""
    return {
        "offers": offers,
        "status": "accepting",
        "charter": {"version": PROGRAMME.charter_current, "signed": "2026-03-01"},
    }


def test_the_programme_says_who_needs_a_coaching_credential() -> None:
    assert PROGRAMME.offer_kind("mentoring") == "mentoring"
    assert PROGRAMME.offer_kind("coaching") == "coaching"
    assert not PROGRAMME.needs_credential(["mentoring"])
    assert PROGRAMME.needs_credential(["mentoring", "coaching"])
    assert PROGRAMME.needs_credential(["codevelopment"])  # a facilitator is trained
    assert PROGRAMME.roles(["mentoring"]) == ("mentor",)
    assert PROGRAMME.roles(["coaching", "mentoring"]) == ("coach", "mentor")


def test_a_mentor_without_credential_is_in_standing_and_a_coach_is_not() -> None:
    today = TODAY.isoformat()
    assert standing_reason(_profile(["mentoring"]), PROGRAMME, today) is None
    assert standing_reason(_profile(["mentoring", "coaching"]), PROGRAMME, today) == "credential"
    outdated = _profile(["mentoring"])
    outdated["charter"]["version"] = "2025-1"
    assert standing_reason(outdated, PROGRAMME, today) == "charter"  # the charter still binds


def _engagement(offer: str, sessions: int) -> Engagement:
    steps = (
        HistoryStep("requested", "2026-01-05"),
        HistoryStep("intro", "2026-01-06", coach="alice-martin"),
        HistoryStep("accepted", "2026-01-12"),
        HistoryStep("active", "2026-01-13"),
    )
    return Engagement(
        id="2026-0001",
        client="C-AAAAAAAAAA",
        contract_type="civil-servant",
        unit="U2/U7/U3",
        manages_unit=False,
        cohort="cohort-2026",
        offer=offer,
        expertise="career",
        language="fr",
        kind="individual",
        initiated_by="self",
        preferences=("alice-martin",),
        history=steps,
        coach="alice-martin",
        sessions=tuple(
            Session(date=f"2026-{month + 2:02d}-10", minutes=45, kind="session", status="held")
            for month in range(sessions)
        ),
    )


def _check(rule: Any, engagement: Engagement, offers: list[str]) -> list[str]:
    records = Records(engagements=[(Loaded("records/engagements/2026-0001.yml", {}), engagement)])
    context = RecordContext(PROGRAMME, TODAY, ("alice-martin",), {"alice-martin": _profile(offers)})
    return [p.rule for p in rule.RULE.check(records, context)]


def test_credential_and_supervision_standing_do_not_apply_to_a_mentoring_engagement() -> None:
    mentoring = _engagement("mentoring", 1)
    assert _check(standing, mentoring, ["mentoring"]) == []
    coaching = replace(mentoring, offer="coaching")
    assert sorted(_check(standing, coaching, ["mentoring", "coaching"])) == [
        "standing.credential",
        "standing.supervision",
    ]


def test_a_mentoring_engagement_follows_its_own_session_plan() -> None:
    plans = {o: PROGRAMME.session_plan_for(o)["sessions"] for o in ("mentoring", "coaching")}
    assert plans["mentoring"] != plans["coaching"]
    most = max(plans.values())
    for offer, planned in plans.items():
        found = _check(session, _engagement(offer, most), [offer])
        assert ("session.too-many" in found) == (most > planned), offer


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_programme(tmp_path_factory.mktemp("mentoring") / "p")
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    return build_site(root, today=TODAY).site_dir


@pytest.mark.parametrize(("lang", "word"), [("fr", "Mentorat"), ("en", "Mentoring")])
def test_the_directory_says_who_coaches_and_who_mentors(site: Path, lang: str, word: str) -> None:
    data = json.loads((site / lang / "assets" / "coaches.json").read_text(encoding="utf-8"))
    facet = next(f for f in data["facets"] if f["key"] == "practice")
    assert [v["id"] for v in facet["values"]] == ["coach", "mentor"]
    mentors = {c["id"] for c in data["coaches"] if c["f"]["practice"] == [1]}
    assert "brigitte-morvan" in mentors  # offers: [mentoring] only
    assert "diego-alvarez" not in mentors  # offers: [coaching]
    page = BeautifulSoup(
        (site / lang / "coaches" / "brigitte-morvan" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in page.select(".cd-facts dt")
    }
    assert facts[{"fr": "Pratique", "en": "Practice"}[lang]] == word
    assert page.select_one(".cd-mentor-note") is not None
