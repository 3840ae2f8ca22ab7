"""Hostile programme settings run nothing in a real browser (header, headings, footer, links).

The site is built from tests/test_settings_escaping.py's hostile programme.yml (every settings
field that reaches a page holds text that would be markup or script if it were not escaped).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PageLog, serve_folder

PAGES = [
    "fr/",
    "en/",
    "en/charter/",
    "fr/how-it-works/",
    "en/directory/",
    "en/coaches/helene-dubois/",
]


def _escaping_tests() -> Any:
    name = "_coachdir_settings_escaping"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "test_settings_escaping.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site, _ = _escaping_tests().build_hostile(tmp_path_factory.mktemp("hostile-e2e") / "prog")
    with serve_folder(str(site)) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_hostile_settings_run_no_script(
    page: Any, page_log: PageLog, hostile_server: str, path: str
) -> None:
    page.goto(f"{hostile_server}/{path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    # Focus every focusable element once: an injected onfocus would open a dialog.
    for _ in range(12):
        page.keyboard.press("Tab")
    page.hover("a.md-header__button.md-logo")
    page.wait_for_timeout(200)
    assert page_log.dialogs == []
    assert page.evaluate("document.querySelectorAll('[autofocus], [onfocus]').length") == 0
    logo = page.locator("a.md-header__button.md-logo")
    assert logo.get_attribute("aria-label") == logo.get_attribute("title")
    # (the page fixture also fails the test on any dialog, page error or outside request)
