"""The indicators page in headless Chromium: axe-core finds no WCAG 2.2 A/AA violation in either
language (light and dark scheme), the page reflows at 320 px without horizontal scrolling, it
reads the same with JavaScript off, and it asks nothing of another host."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_site import describe_violations, goto, run_axe

from conftest import LOCAL_HOST, ROOT, TODAY, PageLog, make_programme, run_cli, watch

FIXTURES = ROOT / "tests" / "fixtures" / "indicators"
FEWER = {"fr": "moins de 10", "en": "fewer than 10"}
NARROW = {"width": 320, "height": 740}  # WCAG 1.4.10 reflow width
TABLES = 15  # 3 releases of 5 tables in tests/fixtures/indicators


@pytest.fixture(scope="module")
def indicators_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_programme(tmp_path_factory.mktemp("e2e-indicators") / "prog")
    shutil.copytree(FIXTURES, root / "indicators")
    result = run_cli("build", "--root", str(root), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def indicators_server(indicators_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(indicators_site))
    httpd = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_the_indicators_page(
    page: Any, page_log: PageLog, indicators_server: str, lang: str, scheme: str
) -> None:
    goto(page, f"{indicators_server}/{lang}/indicators/")
    if scheme == "slate":  # the theme's dark scheme, as a programme may choose in mkdocs.yml
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    assert page.locator("section.cd-ind-table").count() == TABLES
    violations = run_axe(page)
    assert not violations, describe_violations(f"/{lang}/indicators/ ({scheme})", violations)
    assert not page_log.problems(), page_log.problems()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_reflows_at_320_px(browser: Any, indicators_server: str, lang: str) -> None:
    context = browser.new_context(viewport=NARROW)
    log = PageLog()
    watch(context, log)
    try:
        narrow = context.new_page()
        goto(narrow, f"{indicators_server}/{lang}/indicators/")
        assert narrow.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
        widths = narrow.evaluate(
            "() => [...document.querySelectorAll('svg.cd-chart')]"
            ".map(s => s.getBoundingClientRect().right)"
        )
        assert len(widths) == TABLES and max(widths) <= NARROW["width"]
        # a wide table scrolls inside its own focusable region, never the page
        region = narrow.locator(".cd-table-wrap").first
        assert region.get_attribute("tabindex") == "0"
        assert not log.problems(), log.problems()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_works_without_javascript(browser: Any, indicators_server: str, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    log = PageLog()
    watch(context, log)
    try:
        plain = context.new_page()
        goto(plain, f"{indicators_server}/{lang}/indicators/")
        assert plain.locator("svg.cd-chart").count() == TABLES
        assert plain.locator("table caption").count() == TABLES
        first = plain.locator("section.cd-ind-table").first
        assert first.locator("svg.cd-chart").is_visible()
        assert first.locator("table").is_visible()
        assert FEWER[lang] in first.locator("table").inner_text().replace("\u00a0", " ")
        assert plain.locator(".cd-ind-method").is_visible()
        assert not log.problems(), log.problems()
    finally:
        context.close()
