"""Availability in headless Chromium: a coach with no free place cannot be shortlisted with the
keyboard, the reason is the button's accessible description, the "accepting" filter hides the
coach, and axe-core finds no WCAG 2.2 A/AA violation on the directory and that coach's page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect
from test_site import describe_violations, goto, run_axe, wait_for_search_form

from conftest import TODAY, coach_ids, make_programme, run_cli, serve_folder

FULL = "camille-tremblay"  # accepting in its profile, no place free in availability.json
REASON = {"fr": "complet : aucune place libre", "en": "full: no place free"}
ACCEPTING = {"fr": "Accepte de nouvelles personnes", "en": "Accepting new clients"}


@pytest.fixture(scope="module")
def availability_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_programme(tmp_path_factory.mktemp("e2e-availability") / "prog")
    coaches = {}
    for cid in coach_ids(root):
        profile = yaml.safe_load((root / "coaches" / f"{cid}.yml").read_text(encoding="utf-8"))
        free = profile["capacity"] if profile["status"] == "accepting" and cid != FULL else 0
        coaches[cid] = {"free": free, "capacity": profile["capacity"]}
    doc = {"computed": "2026-10-01", "coaches": coaches}  # older than 14 days: the note shows
    (root / "availability.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("build", "--root", str(root), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def availability_server(availability_site: Path) -> Iterator[str]:
    with serve_folder(str(availability_site)) as url:
        yield url


def _shortlist(page: Any) -> Any:
    return page.evaluate("() => JSON.parse(localStorage.getItem('coachdir.shortlist') || '[]')")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_full_coach_cannot_be_shortlisted_and_the_filter_hides_it(
    page: Any, availability_server: str, lang: str
) -> None:
    goto(page, f"{availability_server}/{lang}/directory/")
    wait_for_search_form(page)
    card = page.locator(f'#cd-cards li.cd-card[data-id="{FULL}"]')
    button = card.locator("button.cd-toggle")
    expect(button).to_have_count(1)
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_accessible_description(REASON[lang])
    expect(card.locator(".cd-full-note")).to_be_visible()
    # with the keyboard: from the card's link, Tab reaches the button; Enter and Space do nothing
    card.locator("h3 a").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('data-cd-id')") == FULL
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert FULL not in _shortlist(page)
    assert button.get_attribute("aria-pressed") is None
    # a coach with a free place is still added the same way
    other = page.locator("#cd-cards li.cd-card button.cd-toggle[aria-pressed]").first
    other.focus()
    page.keyboard.press("Enter")
    expect(other).to_have_attribute("aria-pressed", "true")
    # the "accepting" filter hides the full coach
    box = page.locator('[data-cd-facet="availability"] input[value="accepting"]')
    if not box.is_visible():
        page.locator('[data-cd-facet="availability"] summary').click()
    box.check()
    expect(card).to_have_count(0)
    label = page.locator(
        '[data-cd-facet="availability"] label', has=page.locator('input[value="accepting"]')
    )
    expect(label).to_contain_text(ACCEPTING[lang])
    expect(page.locator("#cd-cards li.cd-card").first).to_be_visible()

    # the coach page: the same disabled button and reason, nothing added with the keyboard
    goto(page, f"{availability_server}/{lang}/coaches/{FULL}/")
    toggle = page.locator(".cd-shortlist-toggle button.cd-toggle")
    expect(toggle).to_have_count(1)
    expect(toggle).to_have_accessible_description(REASON[lang])
    toggle.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert FULL not in _shortlist(page)
    expect(page.locator(".cd-places-updated")).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["directory/", f"coaches/{FULL}/"])
def test_axe_finds_no_violation_with_availability(
    page: Any, availability_server: str, lang: str, path: str
) -> None:
    goto(page, f"{availability_server}/{lang}/{path}")
    page.wait_for_function("() => window.coachdirDirectory && window.coachdirDirectory.ready")
    page.evaluate("() => window.coachdirDirectory.ready")
    assert page.locator(".cd-places-updated").count() == 1
    violations = run_axe(page)
    assert not violations, describe_violations(f"/{lang}/{path}", violations)


#: accepting in its profile with free places, but its credential is not verified by the team
UNVERIFIED = "chloe-gagnon"
STANDING = {
    "fr": "Ne prend pas de nouvelles personnes : qualification à faire vérifier",
    "en": "Not taking new clients: credential to be verified",
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_coach_who_cannot_take_anyone_today_shows_why_and_cannot_be_shortlisted(
    page: Any, availability_server: str, lang: str
) -> None:
    goto(page, f"{availability_server}/{lang}/directory/")
    wait_for_search_form(page)
    card = page.locator(f'#cd-cards li.cd-card[data-id="{UNVERIFIED}"]')
    expect(card.locator(".cd-badge")).to_have_text(STANDING[lang])
    expect(card.locator(".cd-badge--accepting")).to_have_count(0)
    button = card.locator("button.cd-toggle")
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_accessible_description(STANDING[lang])
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    button.click(force=True)  # a mouse click does nothing either
    page.wait_for_timeout(200)
    assert UNVERIFIED not in _shortlist(page)
    # the "accepting" filter hides the coach; "paused" shows it, with its reason
    box = page.locator('[data-cd-facet="availability"] input[value="accepting"]')
    if not box.is_visible():
        page.locator('[data-cd-facet="availability"] summary').click()
    box.check()
    expect(card).to_have_count(0)
    box.uncheck()
    page.locator('[data-cd-facet="availability"] input[value="paused"]').check()
    expect(card.locator(".cd-badge")).to_have_text(STANDING[lang])
    # the coach page: the reason, a disabled button, nothing added
    goto(page, f"{availability_server}/{lang}/coaches/{UNVERIFIED}/")
    expect(page.locator(".cd-coach .cd-badge").first).to_have_text(STANDING[lang])
    toggle = page.locator(".cd-shortlist-toggle button.cd-toggle")
    expect(toggle).to_have_count(1)
    expect(toggle).to_have_accessible_description(STANDING[lang])
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert UNVERIFIED not in _shortlist(page)
