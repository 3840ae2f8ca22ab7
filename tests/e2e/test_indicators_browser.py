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


_CONTRAST = """() => {
    const rgb = (css) => {
        const probe = document.createElement('canvas').getContext('2d');
        probe.fillStyle = css;
        probe.fillRect(0, 0, 1, 1);
        return Array.from(probe.getImageData(0, 0, 1, 1).data);
    };
    const over = (fg, bg) =>
        fg.slice(0, 3).map((c, i) => c * fg[3] / 255 + bg[i] * (1 - fg[3] / 255));
    const lum = (c) => {
        const [r, g, b] = c.map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    let node = document.querySelector('.cd-indicators'), bg = [0, 0, 0, 0];
    while (node && bg[3] === 0) {
        bg = rgb(getComputedStyle(node).backgroundColor);
        node = node.parentElement;
    }
    if (bg[3] === 0) bg = [255, 255, 255, 255];
    const page = bg.slice(0, 3);
    const fill = (selector) => rgb(getComputedStyle(document.querySelector(selector)).fill);
    const bar = over(fill('rect.cd-bar'), page);
    const text = over(fill('text.cd-chart-text'), page);
    return {bar: ratio(bar, page), text: ratio(text, page)};
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_bars_and_chart_text_have_enough_contrast(
    page: Any, indicators_server: str, scheme: str
) -> None:
    """axe-core does not measure SVG shapes: bars need 3:1 against the page (WCAG 1.4.11),
    the chart's text 4.5:1 (1.4.3), in the theme's light and dark schemes."""
    goto(page, f"{indicators_server}/en/indicators/")
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    found = page.evaluate(_CONTRAST)
    assert found["bar"] >= 3 and found["text"] >= 4.5, found
