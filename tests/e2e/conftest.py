"""Browser-test fixtures: one built site per session, a local HTTP server, headless Chromium.

* ``built_site`` builds the sample programme plus a few hostile-but-valid profiles
  (:data:`HOSTILE_PROFILES`) into a temporary folder and returns its ``site/``;
* ``server`` serves that folder on 127.0.0.1 and yields the base URL;
* ``browser`` is Playwright's Chromium from Debian (``COACHDIR_CHROMIUM``);
* ``page`` is a fresh page in a fresh context that records every request, dialog and page
  error, and fails the test at teardown if one went outside 127.0.0.1, a dialog opened or a
  script raised.

``tests/test_site_html.py`` loads this file by path to build the same programme.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import shutil
import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml


def _load_parent_conftest() -> Any:
    """tests/conftest.py, loaded by path.

    Both conftest files are imported under the module name ``conftest``; pytest replaces the
    first in ``sys.modules`` when it imports this one, so ``from conftest import ...`` in
    tests/ may find this module. Re-exporting the parent's helpers keeps those imports working.
    """
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("_coachdir_tests_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_parent = _load_parent_conftest()
ROOT: Path = _parent.ROOT
TODAY: str = _parent.TODAY
copy_programme = _parent.copy_programme
run_cli = _parent.run_cli

E2E = Path(__file__).resolve().parent
AXE = E2E / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"

# --- hostile-but-valid profiles ------------------------------------------------------------
# Every field below passes the schema and the rules (no '<' or '>' in one-line fields, bios in
# the safe Markdown subset, https-only links). They carry text that would do harm if a
# template, the frame filling or the directory script ever treated data as markup or code.

JINJA_TEXT = "{{ 7*7 }}"
JINJA_BLOCK = "{% raw %}"
ENTITY_NAME = "&lt;script&gt;"
VALID_BIO_LINK = "https://coach.example/parcours/alice"


def _profile(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema_version": 1,
        "entity": "direction-phares",
        "modalities": ["video", "in-person"],
        "languages": ["fr", "en"],
        "offers": ["coaching"],
        "expertise": ["leadership", "career"],
        "capacity": 2,
        "status": "accepting",
        "charter": {"version": "2026-1", "signed": "2026-02-01"},
        "supervision": {"last": "2026-09-01"},
        "affiliation": "internal",
        "declarations": {
            "confidentiality": True,
            "no_promotion_role": True,
            "no_staff_representative_role": True,
        },
    }
    base.update(fields)
    return base


HOSTILE_PROFILES: dict[str, dict[str, Any]] = {
    # Jinja text, an attribute-breaking role, an entity-looking name, a javascript: location.
    "alice-hostile": _profile(
        name="Alice &lt;script&gt;alert(1)&lt;/script&gt; Hostile",
        pronouns='" autofocus onfocus="alert(1)',
        role='Cheffe " onmouseover="alert(1)" data-x="',
        location="javascript:alert(1)",
        bio={
            "fr": (
                "Je cite tel quel {{ 7*7 }} et {% raw %}{{ config }}{% endraw %} dans ma "
                "présentation.\n\n"
                'Un faux lien : [click](https://example.org/" onmouseover="alert(1)) ici.\n\n'
                "Un vrai lien : [mon parcours](" + VALID_BIO_LINK + ").\n"
            ),
            "en": (
                "I quote {{ 7*7 }} and {% raw %}{{ config }}{% endraw %} as they are.\n\n"
                'A fake link: [click](https://example.org/" onmouseover="alert(1)) here.\n\n'
                "A real link: [my journey](" + VALID_BIO_LINK + ").\n"
            ),
        },
        contact={"email": "alice.hostile@phares-balises.example"},
        github="alice-hostile",
        # a verified qualifying credential: accepting, so the tests can shortlist her
        credentials=[{"type": "ilm-7", "issuer": "ILM", "obtained": "2020-01-15"}],
        verification=[{"credential": "ilm-7", "by": "programme-lead", "date": "2020-02-01"}],
        photo="photos/alice-hostile.png",
        booking_url='https://example.org/"onmouseover="alert(1)',
    ),
    # Jinja in one-line fields, a single-quote attribute breaker, a javascript: provider.
    "bruno-hostile": _profile(
        name="Bruno {{ 7*7 }} {% raw %} Hostile",
        role="{{ 7*7 }} {% if true %}chef{% endif %}",
        location="' onfocus='alert(1)' autofocus='",
        entity="direction-numerique",
        status="paused",
        bio={
            "fr": (
                "Un lien avec titre : "
                '[ici](https://example.org/ "t\\" onmouseover=\\"alert(1)")'
                " et un lien entre chevrons : "
                '[là](<https://example.org/" onmouseover="alert(1)>).\n'
            ),
        },
        contact={"email": "bruno.hostile@phares-balises.example"},
        github="bruno-hostile",
        affiliation="external",
        provider="javascript:alert(document.domain)",
    ),
    # A letter that Unicode does not decompose: accent folding must not drop it.
    "oystein-brekke": _profile(
        name="Øystein Brekke",
        role="Inspecteur des feux côtiers",
        location="Calais",
        entity="inspection-cotes",
        languages=["no", "fr", "en"],
        bio={"en": "Lighthouse inspector for twenty years, I mentor new inspectors."},
        contact={"email": "oystein.brekke@phares-balises.example"},
        github="oystein-brekke",
    ),
}


def _png(width: int = 4, height: int = 4) -> bytes:
    """A tiny valid grey PNG (no third-party imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_programme(dest: Path) -> Path:
    """The sample programme (with mkdocs.yml) plus :data:`HOSTILE_PROFILES`, in ``dest``."""
    copy_programme(dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    photos = dest / "coaches" / "photos"
    photos.mkdir(exist_ok=True)
    for cid, data in HOSTILE_PROFILES.items():
        text = "# yaml-language-server: $schema=../schemas/coach.schema.json\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=1000
        )
        (dest / "coaches" / f"{cid}.yml").write_text(text, encoding="utf-8")
        if "photo" in data:
            (dest / "coaches" / data["photo"]).write_bytes(_png())
    return dest


def build_programme(dest: Path) -> Path:
    """Make and build the programme in ``dest``; return its ``site/``."""
    make_programme(dest)
    result = run_cli("build", "--root", str(dest), "--today", TODAY)
    if result.returncode != 0:
        pytest.fail(
            f"coachdir build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    site = dest / "site"
    assert (site / "fr" / "directory" / "index.html").is_file()
    return site


def coach_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "coaches").glob("*.yml"))


# --- clicks that do not race the layout ------------------------------------------------

# Cards off screen use ``content-visibility: auto`` (coachdir.css): after a scroll jump the cards
# that come into view are laid out at their real height a frame or more later, and the page
# shifts. A mouse click sent in that window can press on one element and release on another
# (a card), so the browser fires ``click`` on their common ancestor and the button never runs.
# ``click`` below brings the target into view, waits until the layout has stopped moving
# (scroll position, page height and the target's place equal over three frames), then clicks.
SETTLE_JS = """async el => {
  el.scrollIntoView({block: 'center', inline: 'nearest'});
  const snap = () => [scrollY, document.documentElement.scrollHeight,
                      el.getBoundingClientRect().top].join();
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  let last = snap(), same = 0;
  for (let i = 0; same < 3; i++) {
    if (i > 600) throw new Error('the layout never settled');
    await frame();
    const now = snap();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}"""


def click(locator: Any) -> None:
    """A mouse click on ``locator`` once the layout around it has settled."""
    locator.evaluate(SETTLE_JS)
    locator.click()


# --- pytest wiring -------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in tests/e2e runs in the browser: mark it so ``-m 'not browser'`` works."""
    for item in items:
        if E2E in Path(str(item.path)).resolve().parents and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def programme_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e") / "prog"


@pytest.fixture(scope="session")
def built_site(programme_root: Path) -> Path:
    """The built site folder (sample programme + hostile profiles)."""
    return build_programme(programme_root)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request, never from a cache."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # the browser dropping a connection it no longer needs (a page left before an image
        # arrived) is not an error of the test; anything else is printed as usual
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: str | Path) -> Iterator[str]:
    """Base URL (no trailing slash) of an HTTP server on 127.0.0.1 serving ``folder``."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = _QuietServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="coachdir-e2e-http", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    """Base URL (no trailing slash) of an HTTP server on 127.0.0.1 serving ``built_site``."""
    with serve_folder(str(built_site)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system (Debian's ``chromium``)."""
    executable = os.environ.get("COACHDIR_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        message = f"Chromium is required: apt-get install chromium (not found at {executable})"
        if os.environ.get("COACHDIR_REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What happened in a page: requests, dialogs, uncaught errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def external(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def problems(self) -> list[str]:
        out = [f"request outside {LOCAL_HOST}: {url}" for url in self.external()]
        out += [f"dialog opened: {d}" for d in self.dialogs]
        out += [f"page error: {e}" for e in self.errors]
        return out


def is_local(url: str) -> bool:
    """True for 127.0.0.1 and for URLs that reach no host at all (data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == LOCAL_HOST


def watch(context: Any, log: PageLog) -> None:
    """Record a context's requests, dialogs and page errors in ``log``; block outside hosts."""

    def on_request(request: Any) -> None:
        log.requests.append(request.url)

    def on_dialog(dialog: Any) -> None:
        where = dialog.page.url if dialog.page else "?"
        log.dialogs.append(f"{dialog.type}: {dialog.message!r} on {where}")
        dialog.dismiss()

    def on_page(page: Any) -> None:
        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: log.errors.append(f"{error} on {page.url}"))

    def block(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.on("request", on_request)
    context.on("page", on_page)
    context.route("**/*", block)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Any, page_log: PageLog) -> Iterator[Any]:
    """A page in a fresh context (empty storage), watched; fails at teardown on any problem."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)  # generous: CI shares 2 cores with the build
    watch(context, page_log)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()
    problems = page_log.problems()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
