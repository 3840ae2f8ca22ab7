"""The indicators pages in headless Chromium, built from the sample's real releases (the main
page with the latest quarter and year, one page per earlier release): axe-core finds no WCAG 2.2
A/AA violation on any of them in either language (light and dark scheme), they reflow at 320 px
without horizontal scrolling, the chart labels are the body text's size at 320 and 1,280 px, they
read the same with JavaScript off, and they ask nothing of another host."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_site import describe_violations, goto, run_axe

from conftest import ROOT, TODAY, PageLog, make_programme, run_cli, serve_folder, watch

SAMPLE = ROOT / "indicators"
HIDDEN = {"fr": "masqué", "en": "hidden"}
NARROW = {"width": 320, "height": 740}  # WCAG 1.4.10 reflow width
WIDE = {"width": 1280, "height": 900}
#: the main page shows the latest quarter and the latest year; each earlier release has a page
MAIN = ("2026-Q3", "2025")
EARLIER = ("2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1")
PAGES = ("", *(f"{r}/" for r in EARLIER))


def _tables(*releases: str) -> int:
    return sum(
        len(json.loads((SAMPLE / f"{r}.json").read_text(encoding="utf-8"))["tables"])
        for r in releases
    )


@pytest.fixture(scope="module")
def indicators_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_programme(tmp_path_factory.mktemp("e2e-indicators") / "prog")
    shutil.copytree(SAMPLE, root / "indicators")
    result = run_cli("build", "--root", str(root), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def indicators_server(indicators_site: Path) -> Iterator[str]:
    with serve_folder(str(indicators_site)) as url:
        yield url


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_any_indicators_page(
    page: Any, page_log: PageLog, indicators_server: str, lang: str, scheme: str
) -> None:
    for sub in PAGES:
        goto(page, f"{indicators_server}/{lang}/indicators/{sub}")
        if scheme == "slate":  # the theme's dark scheme, as a programme may choose in mkdocs.yml
            page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
        expected = _tables(*MAIN) if sub == "" else _tables(sub.rstrip("/"))
        assert page.locator("section.cd-ind-table").count() == expected
        violations = run_axe(page)
        assert not violations, describe_violations(
            f"/{lang}/indicators/{sub} ({scheme})", violations
        )
    assert not page_log.problems(), page_log.problems()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_reflows_at_320_px(browser: Any, indicators_server: str, lang: str) -> None:
    context = browser.new_context(viewport=NARROW)
    log = PageLog()
    watch(context, log)
    try:
        narrow = context.new_page()
        for sub in PAGES:
            goto(narrow, f"{indicators_server}/{lang}/indicators/{sub}")
            assert narrow.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
            rights = narrow.evaluate(
                "() => [...document.querySelectorAll('.cd-chart, .cd-chart-text, svg.cd-bar-line')]"
                ".map(s => s.getBoundingClientRect().right)"
            )
            assert rights and max(rights) <= NARROW["width"], sub
            # a wide table scrolls inside its own focusable region, never the page
            region = narrow.locator(".cd-table-wrap").first
            assert region.get_attribute("tabindex") == "0"
        assert not log.problems(), log.problems()
    finally:
        context.close()


#: each chart label's font size as drawn (an SVG's scaling included), and the body text's
_SIZES = """() => {
    const drawn = (el) => {
        const size = parseFloat(getComputedStyle(el).fontSize);
        return el.getScreenCTM ? size * el.getScreenCTM().a : size;
    };
    const body = parseFloat(getComputedStyle(document.querySelector('.cd-ind-summary')).fontSize);
    return {body, labels: [...document.querySelectorAll('.cd-chart-text')].map(drawn)};
}"""


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["320px", "1280px"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chart_labels_are_the_body_text_size(
    browser: Any, indicators_server: str, lang: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport)
    try:
        view = context.new_page()
        for sub in ("", f"{EARLIER[0]}/"):
            goto(view, f"{indicators_server}/{lang}/indicators/{sub}")
            found = view.evaluate(_SIZES)
            assert len(found["labels"]) > 10
            for size in found["labels"]:
                assert abs(size - found["body"]) <= 1, (sub, size, found["body"])
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pages_work_without_javascript(browser: Any, indicators_server: str, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    log = PageLog()
    watch(context, log)
    try:
        plain = context.new_page()
        goto(plain, f"{indicators_server}/{lang}/indicators/")
        tables = _tables(*MAIN)
        assert plain.locator("table caption").count() == tables
        charts = plain.locator(".cd-chart").count()
        assert 0 < charts < tables  # a table with every figure hidden has a sentence instead
        chart = plain.locator("section.cd-ind-table:has(.cd-chart)").first
        assert chart.locator(".cd-chart").is_visible()
        assert plain.locator("svg.cd-bar-line rect.cd-bar").first.is_visible()
        assert chart.locator("table").is_visible()
        text = plain.locator("section.cd-ind-table").first.locator("table").inner_text()
        assert HIDDEN[lang] in text
        assert plain.locator(".cd-ind-method").is_visible()
        csv = plain.locator(".cd-ind-links a[download]").first
        assert csv.is_visible() and csv.get_attribute("href") == f"{MAIN[0]}.csv"
        # the earlier releases: plain links to their own pages, which need no script either
        plain.locator(".cd-ind-earlier a").first.click()
        plain.wait_for_load_state()
        assert plain.url.endswith(f"/{lang}/indicators/{EARLIER[0]}/")
        assert plain.locator("section.cd-ind-table").count() == _tables(EARLIER[0])
        assert plain.locator(f"a[href='../{EARLIER[0]}.csv'][download]").is_visible()
        plain.locator("a[href='../#cd-ind-method']").first.click()
        plain.wait_for_load_state()
        assert plain.locator("#cd-ind-method").is_visible()
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
    const style = (selector) => getComputedStyle(document.querySelector(selector));
    const bar = over(rgb(style('rect.cd-bar').fill), page);
    const text = over(rgb(style('.cd-chart-text').color), page);
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
