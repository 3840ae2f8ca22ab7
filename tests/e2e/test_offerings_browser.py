"""The groups and immersion pages in headless Chromium, built from the sample's groups/ and
immersions/: axe-core finds no WCAG 2.2 A/AA violation on the list pages nor on any entry page
in either language, every page reflows at 320 px without horizontal scrolling, each reads the
same with JavaScript off (the request button and the session table included), the navigation
reaches them by keyboard, and they ask nothing of another host."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from test_site import describe_violations, goto, run_axe

from conftest import ROOT, TODAY, PageLog, make_programme, run_cli, serve_folder, watch

NARROW = {"width": 320, "height": 740}  # WCAG 1.4.10 reflow width
GROUPS = sorted(p.stem for p in (ROOT / "groups").glob("*.yml"))
IMMERSIONS = sorted(p.stem for p in (ROOT / "immersions").glob("*.yml"))
PAGES = (
    "groups/",
    *(f"groups/{g}/" for g in GROUPS),
    "immersions/",
    *(f"immersions/{i}/" for i in IMMERSIONS),
)


@pytest.fixture(scope="module")
def offerings_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_programme(tmp_path_factory.mktemp("e2e-offerings") / "prog")
    for folder in ("groups", "immersions"):
        shutil.copytree(ROOT / folder, root / folder, dirs_exist_ok=True)
    result = run_cli("build", "--root", str(root), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    with serve_folder(str(root / "site")) as url:
        yield url


def test_the_sample_has_groups_and_immersions() -> None:
    assert len(GROUPS) >= 2 and len(IMMERSIONS) >= 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_any_group_or_immersion_page(
    page: Any, page_log: PageLog, offerings_server: str, lang: str
) -> None:
    for sub in PAGES:
        goto(page, f"{offerings_server}/{lang}/{sub}")
        assert page.locator("h1").count() == 1
        violations = run_axe(page)
        assert not violations, describe_violations(f"/{lang}/{sub}", violations)
    assert not page_log.problems(), page_log.problems()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_reflows_at_320_px(browser: Any, offerings_server: str, lang: str) -> None:
    context = browser.new_context(viewport=NARROW)
    log = PageLog()
    watch(context, log)
    try:
        narrow = context.new_page()
        for sub in PAGES:
            goto(narrow, f"{offerings_server}/{lang}/{sub}")
            width = narrow.evaluate("() => document.documentElement.scrollWidth")
            assert width <= NARROW["width"], sub
        assert not log.problems(), log.problems()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pages_work_without_javascript(browser: Any, offerings_server: str, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    log = PageLog()
    watch(context, log)
    try:
        plain = context.new_page()
        goto(plain, f"{offerings_server}/{lang}/groups/")
        assert plain.locator(".cd-cards > li.cd-card").count() == len(GROUPS)
        goto(plain, f"{offerings_server}/{lang}/groups/codev-brest-2027/")
        button = plain.locator(".cd-request__button")
        assert button.is_visible()
        assert (button.get_attribute("href") or "").startswith("mailto:")
        assert plain.locator(".cd-sessions table tbody tr").count() == 6
        assert plain.locator(".cd-sessions table").is_visible()
        goto(plain, f"{offerings_server}/{lang}/immersions/")
        assert plain.locator(".cd-cards > li.cd-card").count() == len(IMMERSIONS)
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_the_navigation_reaches_the_groups_by_keyboard(
    page: Any, page_log: PageLog, offerings_server: str
) -> None:
    goto(page, f"{offerings_server}/en/")
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.href")
        if focused and focused.rstrip("/").endswith("/en/groups"):
            break
    else:
        pytest.fail("Tab never reached the groups page's link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith("/en/groups")
    assert page.locator("h1").inner_text() == "Co-development groups"
    assert not page_log.problems(), page_log.problems()
