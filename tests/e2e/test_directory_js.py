"""Browser tests for src/coachdir/site/assets/directory.js and coachdir.css.

They run the real files in headless Debian Chromium against the hand-made fixture in
fixtures/ (directory-fixture.html + coaches.json, laid out as the site generator lays out a
language: /fr/directory/, /fr/assets/, /fr/coaches/<id>/), served by http.server on
127.0.0.1. Variants (hostile data, 120 and 10,000 coaches, a missing data file) are built
on the fly in a temporary folder.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import shutil
import statistics
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import click, serve_folder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "src" / "coachdir" / "site" / "assets"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("COACHDIR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 740}  # WCAG 1.4.10 reflow width
UI_ALWAYS = {"availability"}
SEARCHED = ("entity", "expertise", "offer", "language", "modality", "network")
ISSUE_URL = "https://github.com/org/repo/issues/new?template=coaching-request.yml&coaches="

Data = dict[str, Any]


# ---------------------------------------------------------------- fixture data and pages


def fixture_data() -> Data:
    return json.loads((FIXTURES / "coaches.json").read_text(encoding="utf-8"))


def labels(data: Data, coach: Data, key: str) -> list[str]:
    for facet in data["facets"]:
        if facet["key"] == key:
            return [facet["values"][i]["label"] for i in coach["f"].get(key, [])]
    return []


def card_html(data: Data, coach: Data) -> str:
    """The server-rendered card of the contract (what the site generator writes)."""
    s, e = data["strings"], html.escape
    parts = [coach.get("role", ""), ", ".join(labels(data, coach, "entity")), coach["location"]]
    meta = " · ".join(p for p in parts if p)
    rows = []
    for title, key in (
        (s["offers"], "offer"),
        (s["expertise"], "expertise"),
        (s["languages"], "language"),
    ):
        if values := labels(data, coach, key):
            rows.append(f"      <div><dt>{e(title)}</dt><dd>{e(', '.join(values))}</dd></div>")
    avail = next(f for f in data["facets"] if f["key"] == "availability")
    if picked := [avail["values"][i] for i in coach["f"].get("availability", [])]:
        badges = " ".join(
            f'<span class="cd-badge cd-badge--{e(v["id"])}">'
            f"{e(s[v['id']] if v['id'] in ('accepting', 'paused') else v['label'])}</span>"
            for v in picked
        )
        rows.append(f"      <div><dt>{e(s['availability'])}</dt><dd>{badges}</dd></div>")
    return "\n".join(
        [
            f'  <li class="cd-card" data-id="{e(coach["id"])}">',
            f'    <h3 class="cd-card__name"><a href="{e(coach["url"])}">'
            f"{e(coach['name'])}</a></h3>",
            *([f'    <p class="cd-card__meta">{e(meta)}</p>'] if meta else []),
            '    <dl class="cd-card__facts">',
            *rows,
            "    </dl>",
            "  </li>",
        ]
    )


def directory_html(
    data: Data, *, cards: bool = True, data_url: str = "../assets/coaches.json"
) -> str:
    """A directory page as the contract describes it (used for generated variants)."""
    body = "\n".join(card_html(data, c) for c in data["coaches"]) if cards else ""
    template = (FIXTURES / "directory-fixture.html").read_text(encoding="utf-8")
    head, rest = template.split('  <ul class="cd-cards" id="cd-cards">\n', 1)
    tail = rest.split("  </ul>\n", 1)[1]
    head = head.replace('data-data-url="../assets/coaches.json"', f'data-data-url="{data_url}"')
    return f'{head}  <ul class="cd-cards" id="cd-cards">\n{body}\n  </ul>\n{tail}'


def coach_html(coach: Data) -> str:
    e = html.escape
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(coach["name"])}</title>
<link rel="stylesheet" href="../../assets/coachdir.css">
</head>
<body>
<main>
<h1>{e(coach["name"])}</h1>
<p>{e(coach.get("role", ""))}</p>
<div class="cd-shortlist-toggle" data-id="{e(coach["id"])}" data-name="{e(coach["name"])}"
     data-data-url="../../assets/coaches.json"></div>
<p><a href="../../directory/">Retour à l'annuaire</a></p>
<div id="cd-shortlist"></div>
</main>
<script src="../../assets/directory.js"></script>
</body>
</html>
"""


def build_site(
    root: Path, data: Data | None = None, page: str | None = None, *, coach_pages: bool = True
) -> None:
    data = fixture_data() if data is None else data
    lang = root / "fr"
    for sub in ("assets", "directory"):
        (lang / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(ASSETS / "directory.js", lang / "assets" / "directory.js")
    shutil.copy(ASSETS / "coachdir.css", lang / "assets" / "coachdir.css")
    (lang / "assets" / "coaches.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    if page is None:
        shutil.copy(FIXTURES / "directory-fixture.html", lang / "directory" / "index.html")
    else:
        (lang / "directory" / "index.html").write_text(page, encoding="utf-8")
    if coach_pages:
        for coach in data["coaches"]:
            folder = lang / "coaches" / coach["id"]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(coach_html(coach), encoding="utf-8")


# ---------------------------------------------------------------- reference model (Python)


def fold(text: str) -> str:
    out = unicodedata.normalize("NFD", text).lower()
    out = "".join(ch for ch in out if not unicodedata.combining(ch))
    for a, b in (("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("’", "'")):
        out = out.replace(a, b)
    return out


def ui_facets(data: Data) -> list[Data]:
    return [f for f in data["facets"] if len(f["values"]) > 1 or f["key"] in UI_ALWAYS]


def reference(
    data: Data, q: str = "", sel: dict[str, set[str]] | None = None
) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Matching ids (data order) and faceted counts, computed independently of the JS."""
    sel = sel or {}
    tokens = fold(q).split()
    facets = ui_facets(data)
    counts = {f["key"]: {v["id"]: 0 for v in f["values"]} for f in facets}
    matched = []
    for coach in data["coaches"]:
        hay = [coach["name"], coach.get("role", ""), coach.get("location", "")]
        for key in SEARCHED:
            hay += labels(data, coach, key)
        folded = fold("\n".join(hay))
        if not all(t in folded for t in tokens):
            continue

        def ok(facet: Data, coach: Data = coach) -> bool:
            chosen = sel.get(facet["key"])
            ids = {facet["values"][i]["id"] for i in coach["f"].get(facet["key"], [])}
            return not chosen or bool(ids & chosen)

        failing = [f for f in facets if not ok(f)]
        if not failing:
            matched.append(coach["id"])
        for facet in facets:
            if all(f is facet for f in failing):
                for i in coach["f"].get(facet["key"], []):
                    counts[facet["key"]][facet["values"][i]["id"]] += 1
    return matched, counts


# ---------------------------------------------------------------- server and browser


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    with serve_folder(str(root)) as url:
        yield url


@pytest.fixture(scope="session")
def chromium(browser: Any) -> Any:
    """The one session-wide Chromium of tests/e2e/conftest.py (a second Playwright instance
    in the same worker would clash with the first)."""
    return browser


class Session:
    """A browser context that records every request, dialog and script error."""

    def __init__(self, browser: Any, **options: Any) -> None:
        options.setdefault("viewport", WIDE)
        options.setdefault("locale", "fr-FR")
        self.context = browser.new_context(**options)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.new_page()

    def new_page(self) -> Any:
        page = self.context.new_page()
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return page

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]

    def check(self) -> None:
        assert not self.dialogs, f"a dialog fired: {self.dialogs}"
        assert not self.errors, f"script errors: {self.errors}"
        assert not self.foreign_requests(), f"requests off 127.0.0.1: {self.foreign_requests()}"


@pytest.fixture
def sessions(chromium: Any) -> Iterator[Callable[..., Session]]:
    made: list[Session] = []

    def make(**options: Any) -> Session:
        session = Session(chromium, **options)
        made.append(session)
        return session

    yield make
    try:
        for session in made:
            session.check()
    finally:
        for session in made:
            session.context.close()


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The committed fixture, built and served once for the tests that only read it."""
    root = tmp_path_factory.mktemp("fixture-site")
    build_site(root)
    with serve(root) as base:
        yield base


@pytest.fixture
def site(tmp_path: Path, fixture_site: str) -> Iterator[Callable[..., str]]:
    """site(data=None, page=None, coach_pages=True) -> base URL of a served site.

    Without arguments: the shared copy of the committed fixture. With arguments: a new
    site in tmp_path/siteN, served on its own port.
    """
    with contextlib.ExitStack() as stack:
        count = 0

        def make(
            data: Data | None = None, page: str | None = None, coach_pages: bool = True
        ) -> str:
            if data is None and page is None and coach_pages:
                return fixture_site
            nonlocal count
            count += 1
            root = tmp_path / f"site{count}"
            build_site(root, data, page, coach_pages=coach_pages)
            return stack.enter_context(serve(root))

        yield make


@pytest.fixture
def s(sessions: Callable[..., Session]) -> Session:
    return sessions()


# ---------------------------------------------------------------- page helpers


def open_directory(page: Any, base: str, query: str = "") -> None:
    page.goto(f"{base}/fr/directory/{query}")
    assert page.evaluate("() => window.coachdirDirectory.ready") is True


def card_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all("#cd-cards > li.cd-card", "els => els.map(e => e.dataset.id)")


def search_box(page: Any) -> Any:
    return page.locator("form[role=search] input[type=search]")


def status_text(page: Any) -> str:
    return page.locator("#cd-status").inner_text()


def shows_as_text(locator: Any, text: str) -> None:
    """``locator`` shows ``text`` as a person sees it (innerText). A card off screen skips
    rendering (``content-visibility: auto``) and its innerText is then empty, so the card is
    scrolled into view first and its text awaited (no retry of the test: it fails if the
    text never shows)."""
    locator.scroll_into_view_if_needed()
    expect(locator).to_have_text(text, use_inner_text=True, timeout=3000)


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def wait_status(page: Any, text: str) -> None:
    expect(page.locator("#cd-status")).to_have_text(text, timeout=3000)


def checkbox(page: Any, key: str, value: str) -> Any:
    return page.locator(f"form[role=search] input[type=checkbox][name='{key}'][value='{value}']")


def shown_counts(page: Any) -> dict[str, dict[str, int]]:
    rows = page.eval_on_selector_all(
        "form[role=search] input[type=checkbox]",
        """els => els.map(e => [e.name, e.value,
             e.closest('label').querySelector('.cd-facet__count').textContent])""",
    )
    out: dict[str, dict[str, int]] = {}
    for key, value, text in rows:
        out.setdefault(key, {})[value] = int(text.strip("()").replace("\u202f", ""))
    return out


def results_text(n: int) -> str:
    if n == 0:
        return "Aucun coach ne correspond. Retirez un filtre ou modifiez la recherche."
    return "1 coach correspond" if n == 1 else f"{n} coachs correspondent"


def panel(page: Any) -> Any:
    return page.get_by_role("region", name="Ma présélection")


def shortlist_names(page: Any) -> list[str]:
    return panel(page).locator("ol.cd-shortlist__list > li .cd-shortlist__name").all_inner_texts()


def stored_shortlist(page: Any) -> Any:
    return page.evaluate("() => JSON.parse(localStorage.getItem('coachdir.shortlist'))")


def add_button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=f"Ajouter {name} à ma présélection", exact=True)


def tab_until(page: Any, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def name_of_focus(page: Any) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e.getAttribute('aria-label') "
        "|| e.textContent.trim(); }"
    )


# ---------------------------------------------------------------- tests


def test_builds_the_search_form_above_the_list(site: Callable[..., str], s: Session) -> None:
    base = site()
    open_directory(s.page, base)
    page = s.page
    assert page.locator(".cd-nojs-note").is_hidden()
    form = page.locator("#cd-directory form[role=search]")
    assert form.count() == 1
    # the form comes before the list in the DOM (and so in reading and tab order)
    assert page.evaluate(
        "() => !!(document.querySelector('form[role=search]').compareDocumentPosition("
        "document.getElementById('cd-cards')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    box = page.get_by_role("searchbox", name="Rechercher un coach")
    assert box.get_attribute("type") == "search"
    assert box.get_attribute("placeholder") == "Nom, rôle, lieu, expertise…"
    assert page.get_by_role("button", name="Tout effacer").count() == 1
    legends = page.locator("form[role=search] fieldset > legend").all_inner_texts()
    assert legends == [
        "Entité",
        "Genre",
        "Réseau",
        "Expertise",
        "Langues",
        "Offres",
        "Modalités",
        "Coach interne ou externe",
        "Disponibilité",
    ]  # "Promotion" has one value only: left out
    assert page.get_by_role("checkbox", name="Mentorat (7)").count() == 1
    assert page.get_by_role("group", name="Offres").count() == 1
    data = fixture_data()
    assert card_ids(page) == [c["id"] for c in data["coaches"]]
    assert status_text(page) == results_text(len(data["coaches"]))
    assert page.locator("#cd-status").get_attribute("aria-live") == "polite"
    assert page.locator("#cd-status").get_attribute("role") == "status"
    assert page.locator(".cd-more").is_hidden()
    for details in page.locator("form[role=search] details").all():
        assert details.get_attribute("open") is not None  # open on a wide screen
    assert page.evaluate("() => typeof window.coachdirDirectory.lastUpdateMs") == "number"


def test_without_javascript_the_server_list_stands(
    site: Callable[..., str], sessions: Callable[..., Session]
) -> None:
    base = site()
    s = sessions(java_script_enabled=False)
    s.page.goto(f"{base}/fr/directory/")
    assert s.page.locator(".cd-nojs-note").is_visible()
    assert len(card_ids(s.page)) == len(fixture_data()["coaches"])
    assert s.page.locator("form").count() == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", ["helene-dubois"]),
        ("Hélène", ["helene-dubois"]),
        ("HELENE brest", ["helene-dubois"]),
        ("  brest   helene ", ["helene-dubois"]),
        ("brest", ["helene-dubois", "nadia-haddad", "yann-le-bihan"]),
        ("oeuvray", ["jean-marc-oeuvray"]),  # Œ folds to oe
        ("ŒUVRAY", ["jean-marc-oeuvray"]),
        ("cartographie", ["chloe-martin", "olivier-garnier"]),  # entity label
        ("equilibre lyon", ["elodie-perrin"]),  # expertise label + location
        ("visioconf", None),  # modality label, prefix
        ("breton", ["jean-marc-oeuvray", "yann-le-bihan"]),  # language label
        ("cercle", None),  # network label
        ("mentor", None),  # offer label
        ("zzz", []),
    ],
)
def test_search_is_case_and_accent_insensitive(
    site: Callable[..., str], s: Session, query: str, expected: list[str] | None
) -> None:
    base = site()
    open_directory(s.page, base)
    search_box(s.page).fill(query)
    want, _ = reference(fixture_data(), query)
    if expected is not None:
        assert want == expected  # the fixture says what it means to
    assert card_ids(s.page) == want
    wait_status(s.page, results_text(len(want)))


def test_facets_or_within_and_across_with_counts(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    data = fixture_data()
    steps: list[tuple[str, str]] = [
        ("offer", "mentoring"),
        ("offer", "codev"),  # OR within offers
        ("availability", "accepting"),  # AND across facets
        ("language", "br"),
    ]
    sel: dict[str, set[str]] = {}
    _, counts = reference(data)
    assert shown_counts(page) == counts
    for key, value in steps:
        checkbox(page, key, value).check()
        sel.setdefault(key, set()).add(value)
        matched, counts = reference(data, "", sel)
        assert card_ids(page) == matched, (key, value)
        assert shown_counts(page) == counts, (key, value)
    assert card_ids(page) == ["jean-marc-oeuvray", "yann-le-bihan"]
    # counts for a facet ignore that facet's own selection
    assert shown_counts(page)["offer"]["coaching"] == 0
    assert shown_counts(page)["language"]["fr"] == 9  # > 2 shown: br is not counted against fr
    # a search narrows the counts too
    search_box(page).fill("phare")
    matched, counts = reference(data, "phare", sel)
    assert card_ids(page) == matched
    assert shown_counts(page) == counts
    checkbox(page, "language", "br").uncheck()
    sel["language"].discard("br")
    matched, counts = reference(data, "phare", sel)
    assert card_ids(page) == matched
    assert shown_counts(page) == counts
    wait_status(page, results_text(len(matched)))


def test_clear_all(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base, "?q=brest&offer=coaching")
    assert card_ids(page) == ["helene-dubois", "nadia-haddad"]
    clear = page.get_by_role("button", name="Tout effacer")
    clear.focus()
    page.keyboard.press("Enter")
    assert search_box(page).input_value() == ""
    assert page.locator("form[role=search] input[type=checkbox]:checked").count() == 0
    assert card_ids(page) == [c["id"] for c in fixture_data()["coaches"]]
    assert page.evaluate("() => location.search") == ""
    assert page.evaluate("() => document.activeElement.textContent") == "Tout effacer"
    wait_status(page, results_text(len(fixture_data()["coaches"])))


def test_url_state_restore_and_back_button(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    # unknown params and values are ignored; a single-value facet is not a filter here
    open_directory(
        page, base, "?q=brest&offer=mentoring,coaching,nope&language=xx&utm=1&cohort=2026#top"
    )
    assert search_box(page).input_value() == "brest"
    assert checkbox(page, "offer", "mentoring").is_checked()
    assert checkbox(page, "offer", "coaching").is_checked()
    assert not checkbox(page, "offer", "codev").is_checked()
    assert page.locator("form[role=search] input[type=checkbox]:checked").count() == 2
    matched, _ = reference(fixture_data(), "brest", {"offer": {"mentoring", "coaching"}})
    assert card_ids(page) == matched
    length = page.evaluate("() => history.length")

    checkbox(page, "availability", "accepting").check()  # pushState
    assert page.evaluate("() => history.length") == length + 1
    assert page.evaluate("() => location.search") == (
        "?q=brest&offer=coaching,mentoring&availability=accepting&utm=1&cohort=2026"
    )
    assert page.evaluate("() => location.hash") == "#top"
    matched_after, _ = reference(
        fixture_data(), "brest", {"offer": {"mentoring", "coaching"}, "availability": {"accepting"}}
    )
    assert card_ids(page) == matched_after == ["helene-dubois", "yann-le-bihan"]

    search_box(page).fill("helene")  # replaceState (debounced)
    page.wait_for_function("() => location.search.startsWith('?q=helene&')")
    assert page.evaluate("() => history.length") == length + 1

    page.go_back()
    page.wait_for_function("() => !location.search.includes('availability')")
    assert search_box(page).input_value() == "brest"
    assert not checkbox(page, "availability", "accepting").is_checked()
    assert card_ids(page) == matched

    page.go_forward()
    page.wait_for_function("() => location.search.includes('availability')")
    assert search_box(page).input_value() == "helene"
    assert checkbox(page, "availability", "accepting").is_checked()
    assert card_ids(page) == ["helene-dubois"]

    page.goto(f"{base}/fr/directory/?q=%3Cscript%3E&availability=%22%3E")
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    assert search_box(page).input_value() == "<script>"
    assert card_ids(page) == ["xss-test"]


def test_aria_live_status_is_debounced_but_the_list_is_not(
    site: Callable[..., str], s: Session
) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    result = page.evaluate(
        """() => {
          const input = document.querySelector('form[role=search] input[type=search]');
          input.value = 'brest';
          input.dispatchEvent(new Event('input', {bubbles: true}));
          return [document.querySelectorAll('#cd-cards > li').length,
                  document.getElementById('cd-status').textContent];
        }"""
    )
    assert result == [
        3,
        results_text(len(fixture_data()["coaches"])),
    ]  # list at once, announcement later
    wait_status(page, "3 coachs correspondent")
    search_box(page).fill("helene")
    wait_status(page, "1 coach correspond")
    search_box(page).fill("nobody")
    wait_status(page, results_text(0))


def many_coaches(n: int) -> Data:
    """n coaches on the fixture's facets, sorted by name."""
    data = fixture_data()
    firsts = ["Hélène", "Jean", "Marie", "Loïc", "Zoé", "Anaïs", "Noël", "Gaëlle", "Benoît"]
    firsts += ["Jérôme", "Chloé", "Éric", "Françoise", "Mathis", "Inès", "Yannick", "Maëlle"]
    lasts = ["Dubois", "Le Gall", "Martin", "Lefèvre", "Nguyen", "Kerouac", "Moreau", "Roux"]
    lasts += ["Haddad", "Perrin", "Garnier", "Benali", "Le Bihan", "Ødegaard", "Çelik", "Abadie"]
    towns = ["Brest", "Rennes", "Lyon", "Paris", "Nantes", "Lille", "Nîmes", "Évreux", "Sète"]
    sizes = {f["key"]: len(f["values"]) for f in data["facets"]}
    coaches = []
    for i in range(n):
        name = f"{firsts[i % len(firsts)]} {lasts[(i * 7) % len(lasts)]} {i:05d}"
        f = {}
        for j, (key, size) in enumerate(sizes.items()):
            picks = {(i * (j + 3) + k * (j + 5)) % size for k in range(1 + (i + j) % 3)}
            f[key] = sorted(picks) if key not in ("gender", "availability") else [i % size]
        coaches.append(
            {
                "id": f"coach-{i:05d}",
                "name": name,
                "url": f"../coaches/coach-{i:05d}/",
                "role": f"Chargé·e de mission {i % 97}",
                "location": towns[(i * 5) % len(towns)],
                "f": f,
            }
        )
    coaches.sort(key=lambda c: (fold(c["name"]), c["id"]))
    data["coaches"] = coaches
    return data


def test_show_more_appends_fifty_and_moves_focus(site: Callable[..., str], s: Session) -> None:
    data = many_coaches(120)
    base = site(data, directory_html(data), coach_pages=False)
    page = s.page
    open_directory(page, base)
    ids = [c["id"] for c in data["coaches"]]
    assert card_ids(page) == ids[:50]
    more = page.get_by_role("button", name="Afficher plus de coachs")
    more.focus()
    page.keyboard.press("Enter")
    assert card_ids(page) == ids[:100]
    focused = page.evaluate("() => document.activeElement.closest('li.cd-card').dataset.id")
    assert focused == ids[50]
    assert page.evaluate("() => document.activeElement.tagName") == "A"
    click(more)
    assert card_ids(page) == ids
    assert more.is_hidden()
    assert (
        page.evaluate("() => document.activeElement.closest('li.cd-card').dataset.id") == ids[100]
    )
    search_box(page).fill("mission")  # a new search starts again at 50
    matched, _ = reference(data, "mission")
    assert len(matched) > 50
    assert card_ids(page) == matched[:50]
    assert more.is_visible()


def test_shortlist_add_reorder_remove_full_persist_and_request(
    site: Callable[..., str], s: Session
) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    region = panel(page)
    assert region.get_by_role("heading", level=2, name="Ma présélection").count() == 1
    assert "Gardez jusqu'à trois coachs" in region.inner_text()
    assert "Aucun coach présélectionné." in region.inner_text()
    request = region.get_by_role("link", name="Demander des entretiens préalables avec ces coachs")
    assert request.count() == 0

    helene = add_button(page, "Hélène Dubois")
    assert helene.get_attribute("aria-pressed") == "false"
    click(helene)
    assert helene.get_attribute("aria-pressed") == "true"
    assert helene.evaluate("b => b === document.activeElement")
    click(add_button(page, "Chloé Martin"))
    click(add_button(page, "Léa Moreau"))
    assert shortlist_names(page) == ["Hélène Dubois", "Chloé Martin", "Léa Moreau"]
    assert stored_shortlist(page) == ["helene-dubois", "chloe-martin", "lea-moreau"]
    assert request.get_attribute("href") == ISSUE_URL + "helene-dubois%2Cchloe-martin%2Clea-moreau"
    status = region.get_by_role("status")
    assert status.inner_text() == "La présélection contient déjà trois coachs."

    # a fourth is refused, with a message; nothing changes
    yann = add_button(page, "Yann Le Bihan")
    click(yann)
    assert yann.get_attribute("aria-pressed") == "false"
    assert stored_shortlist(page) == ["helene-dubois", "chloe-martin", "lea-moreau"]
    card = page.locator("li.cd-card[data-id='yann-le-bihan']")
    assert "La présélection contient déjà trois coachs." in card.inner_text()
    expect(status).to_have_text("La présélection contient déjà trois coachs.")

    # reorder with the keyboard; focus follows the moved coach
    up = region.get_by_role("button", name="Monter Léa Moreau", exact=True)
    up.focus()
    page.keyboard.press("Enter")
    assert shortlist_names(page) == ["Hélène Dubois", "Léa Moreau", "Chloé Martin"]
    assert name_of_focus(page) == "Monter Léa Moreau"
    page.keyboard.press("Enter")
    assert shortlist_names(page) == ["Léa Moreau", "Hélène Dubois", "Chloé Martin"]
    assert name_of_focus(page) == "Monter Léa Moreau"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-disabled')") == "true"
    page.keyboard.press("Enter")  # already first: nothing happens, focus stays
    assert shortlist_names(page) == ["Léa Moreau", "Hélène Dubois", "Chloé Martin"]
    region.get_by_role("button", name="Descendre Hélène Dubois", exact=True).click()
    assert shortlist_names(page) == ["Léa Moreau", "Chloé Martin", "Hélène Dubois"]
    assert stored_shortlist(page) == ["lea-moreau", "chloe-martin", "helene-dubois"]
    assert request.get_attribute("href") == ISSUE_URL + "lea-moreau%2Cchloe-martin%2Chelene-dubois"

    # remove: focus goes to the next item's remove button, never to <body>
    remove = region.get_by_role("button", name="Retirer Chloé Martin", exact=True)
    remove.focus()
    page.keyboard.press("Enter")
    assert shortlist_names(page) == ["Léa Moreau", "Hélène Dubois"]
    assert name_of_focus(page) == "Retirer Hélène Dubois"
    assert status.inner_text() == ""
    assert add_button(page, "Chloé Martin").get_attribute("aria-pressed") == "false"

    # persistence across a reload
    page.reload()
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    assert shortlist_names(page) == ["Léa Moreau", "Hélène Dubois"]
    assert add_button(page, "Hélène Dubois").get_attribute("aria-pressed") == "true"
    assert request.get_attribute("href") == ISSUE_URL + "lea-moreau%2Chelene-dubois"

    # pressing a pressed toggle removes the coach; removing the last one focuses the heading
    click(add_button(page, "Hélène Dubois"))
    assert shortlist_names(page) == ["Léa Moreau"]
    region.get_by_role("button", name="Retirer Léa Moreau", exact=True).click()
    assert shortlist_names(page) == []
    assert page.evaluate("() => document.activeElement.id").startswith("cd-shortlist-heading")
    assert "Aucun coach présélectionné." in region.inner_text()
    assert request.count() == 0
    assert stored_shortlist(page) == []


def test_shortlist_drops_unknown_ids_and_keeps_three(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    page.goto(f"{base}/fr/directory/")
    page.evaluate(
        """() => localStorage.setItem('coachdir.shortlist', JSON.stringify(
             ['ghost', 'helene-dubois', 'helene-dubois', 7, 'chloe-martin', 'lea-moreau',
              'mathieu-roux']))"""
    )
    page.reload()
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    assert shortlist_names(page) == ["Hélène Dubois", "Chloé Martin", "Léa Moreau"]
    page.evaluate("() => localStorage.setItem('coachdir.shortlist', '{not json')")
    page.reload()
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    assert shortlist_names(page) == []


def test_shortlist_on_coach_pages_and_across_tabs(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    page.goto(f"{base}/fr/coaches/helene-dubois/")
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    toggle = add_button(page, "Hélène Dubois")
    assert toggle.get_attribute("aria-pressed") == "false"
    click(toggle)
    assert toggle.get_attribute("aria-pressed") == "true"
    link = panel(page).get_by_role("link", name="Hélène Dubois")
    # relative coach URLs are taken from the data file, so they work on every page
    assert link.evaluate("a => a.href") == f"{base}/fr/coaches/helene-dubois/"

    other = s.new_page()
    open_directory(other, base)
    assert shortlist_names(other) == ["Hélène Dubois"]
    assert add_button(other, "Hélène Dubois").get_attribute("aria-pressed") == "true"
    click(add_button(other, "Chloé Martin"))
    page.wait_for_function("() => document.querySelectorAll('.cd-shortlist__item').length === 2")
    assert shortlist_names(page) == ["Hélène Dubois", "Chloé Martin"]
    chloe = panel(page).get_by_role("link", name="Chloé Martin")
    assert chloe.evaluate("a => a.href") == f"{base}/fr/coaches/chloe-martin/"

    click(add_button(other, "Léa Moreau"))
    page.goto(f"{base}/fr/coaches/yann-le-bihan/")
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    click(add_button(page, "Yann Le Bihan"))
    note = page.locator(".cd-shortlist-toggle [role=status]")
    expect(note).to_have_text("La présélection contient déjà trois coachs.")
    assert add_button(page, "Yann Le Bihan").get_attribute("aria-pressed") == "false"


def test_shortlist_without_local_storage_stays_in_memory(
    site: Callable[..., str], sessions: Callable[..., Session]
) -> None:
    base = site()
    s = sessions()
    s.context.add_init_script(
        """Object.defineProperty(window, 'localStorage', {configurable: true,
             get() { throw new DOMException('blocked', 'SecurityError'); }});"""
    )
    page = s.page
    open_directory(page, base)
    click(add_button(page, "Hélène Dubois"))
    click(add_button(page, "Karim Benali"))
    assert shortlist_names(page) == ["Hélène Dubois", "Karim Benali"]
    link = panel(page).get_by_role(
        "link", name="Demander des entretiens préalables avec ces coachs"
    )
    assert link.get_attribute("href") == ISSUE_URL + "helene-dubois%2Ckarim-benali"


def test_mailto_request(site: Callable[..., str], s: Session) -> None:
    # the generator writes the whole address (the request form's body, encoded) with a marker
    # where the ids go; the script only puts the encoded ids there
    head = (
        "mailto:coaching@ministere.example?subject=Demande%20%26%20suite&body=%23%23%23%20C%0A%0A"
    )
    data = fixture_data()
    data["request"] = {
        "kind": "mailto",
        "email": "coaching@ministere.example",
        "subject": "Demande & suite",
        "href": head + "COACHDIR-IDS%0A",
        "marker": "COACHDIR-IDS",
    }
    base = site(data)
    page = s.page
    open_directory(page, base)
    click(add_button(page, "Nadia Haddad"))
    click(add_button(page, "Hélène Dubois"))
    link = panel(page).get_by_role(
        "link", name="Demander des entretiens préalables avec ces coachs"
    )
    assert link.get_attribute("href") == head + "nadia-haddad%2C%20helene-dubois%0A"


@pytest.mark.parametrize(
    "request_data",
    [
        {"kind": "mailto", "href": "mailto:a@b.example?body=x", "marker": "COACHDIR-IDS"},
        {"kind": "mailto", "href": "javascript:alert(1)//COACHDIR-IDS", "marker": "COACHDIR-IDS"},
        {"kind": "mailto", "href": "mailto:a@b.example?body=M%0AM", "marker": "M"},
    ],
)
def test_mailto_request_without_a_usable_address_shows_no_link(
    site: Callable[..., str], s: Session, request_data: Data
) -> None:
    data = fixture_data()
    # an address and subject alone no longer make a link: the body must be the generator's
    data["request"] = {"email": "a@b.example", "subject": "x", **request_data}
    page = s.page
    open_directory(page, site(data))
    click(add_button(page, "Nadia Haddad"))
    link = panel(page).get_by_role(
        "link", name="Demander des entretiens préalables avec ces coachs"
    )
    expect(link).to_have_count(0)


def test_keyboard_only_flow(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_until(page, "el.type === 'search'")
    page.keyboard.type("brest")
    assert card_ids(page) == ["helene-dubois", "nadia-haddad", "yann-le-bihan"]
    tab_until(page, "el.type === 'checkbox' && el.name === 'offer' && el.value === 'coaching'")
    page.keyboard.press("Space")
    assert checkbox(page, "offer", "coaching").is_checked()
    assert card_ids(page) == ["helene-dubois", "nadia-haddad"]
    assert page.evaluate("() => document.activeElement.value") == "coaching"  # focus kept
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    tab_until(page, "el.tagName === 'A' && !!el.closest('.cd-card__name')")
    target = page.evaluate("() => document.activeElement.closest('li').dataset.id")
    assert target == "helene-dubois"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/fr/coaches/helene-dubois/")
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    tab_until(page, "el.getAttribute('aria-pressed') !== null")
    page.keyboard.press("Enter")
    assert stored_shortlist(page) == ["helene-dubois"]
    page.go_back()
    page.wait_for_function("() => document.querySelector('.cd-shortlist__item') !== null")
    assert search_box(page).input_value() == "brest"
    assert checkbox(page, "offer", "coaching").is_checked()


def test_no_positive_tabindex_and_focus_never_falls_to_body(
    site: Callable[..., str], s: Session
) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    assert page.locator("[tabindex]:not([tabindex='-1']):not([tabindex='0'])").count() == 0
    # focus a card's shortlist button, then filter that card away: focus goes to the heading
    add_button(page, "Karim Benali").focus()
    page.evaluate(
        """() => {
          const input = document.querySelector('form[role=search] input[type=search]');
          input.value = 'brest';
          input.dispatchEvent(new Event('input', {bubbles: true}));
        }"""
    )
    assert page.evaluate("() => document.activeElement.id") == "cd-results-heading"
    # a card that stays keeps the focus
    add_button(page, "Hélène Dubois").focus()
    search_box(page).evaluate(
        "el => { el.value = 'helene'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert name_of_focus(page) == "Ajouter Hélène Dubois à ma présélection"


HOSTILE = "<img src=x onerror=alert(1)>"


def test_hostile_strings_render_as_text(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    card = page.locator("li.cd-card[data-id='xss-test']")
    shows_as_text(card.locator(".cd-card__name"), HOSTILE)
    click(add_button(page, HOSTILE))
    assert shortlist_names(page) == [HOSTILE]
    search_box(page).fill("onerror")
    assert card_ids(page) == ["xss-test"]
    assert page.locator("#cd-directory img, #cd-directory script, #cd-directory b").count() == 0
    page.wait_for_timeout(200)
    assert s.dialogs == []


def test_hostile_data_rendered_by_the_script(site: Callable[..., str], s: Session) -> None:
    data = fixture_data()
    data["strings"]["shortlist_add"] = "Ajouter {name} à ma présélection<svg onload=alert(5)>"
    data["strings"]["results_many"] = "{n} <img src=y onerror=alert(6)>"
    data["facets"][5]["values"][1]["label"] = "<svg onload=alert(4)>"
    xss = next(c for c in data["coaches"] if c["id"] == "xss-test")
    xss["url"] = "javascript:alert(3)"
    data["coaches"][1]["url"] = " JavaScript:alert(7)"
    data["request"]["url"] = "javascript:alert(8)"
    base = site(data, directory_html(data, cards=False))
    page = s.page
    open_directory(page, base)
    assert len(card_ids(page)) == len(data["coaches"])  # all made by the script
    card = page.locator("li.cd-card[data-id='xss-test']")
    shows_as_text(card.locator(".cd-card__name"), HOSTILE)
    assert card.locator("a").count() == 0  # no link rather than a javascript: link
    assert page.locator("a[href^='javascript' i], a[href*='alert']").count() == 0
    assert page.get_by_role("checkbox", name="<svg onload=alert(4)> (7)").count() == 1
    click(
        page.get_by_role("button", name=f"Ajouter {HOSTILE} à ma présélection<svg onload=alert(5)>")
    )
    assert shortlist_names(page) == [HOSTILE]
    assert panel(page).get_by_role("link").count() == 0  # request URL refused too
    search_box(page).fill("a")
    expect(page.locator("#cd-status")).to_contain_text("<img src=y onerror=alert(6)>")
    assert page.locator("img, svg, script:not([src])").count() == 0
    assert s.dialogs == []


def structure(page: Any, selector: str) -> list[Any]:
    """Cards as trees of (tag, attributes, children), ignoring whitespace and buttons."""
    return page.eval_on_selector_all(
        selector,
        """els => {
          const walk = n => {
            if (n.nodeType === 3) return n.textContent.trim() ? n.textContent : null;
            if (n.nodeType !== 1 || n.classList.contains('cd-card__actions')) return null;
            const attrs = Array.from(n.attributes).map(a => [a.name, a.value]).sort();
            return [n.tagName, attrs, Array.from(n.childNodes).map(walk).filter(x => x !== null)];
          };
          return els.map(walk);
        }""",
    )


def test_script_cards_have_the_server_markup(
    site: Callable[..., str], sessions: Callable[..., Session]
) -> None:
    data = fixture_data()
    server = site()
    made_by_script = site(data, directory_html(data, cards=False))
    plain = sessions(java_script_enabled=False)
    plain.page.goto(f"{server}/fr/directory/")
    expected = structure(plain.page, "#cd-cards > li")
    s = sessions()
    open_directory(s.page, made_by_script)
    assert structure(s.page, "#cd-cards > li") == expected
    # and the server's cards get the same shortlist button as the script's
    open_directory(s.page, server)
    assert s.page.locator("#cd-cards > li > .cd-card__actions > button.cd-toggle").count() == len(
        data["coaches"]
    )


@pytest.mark.parametrize("broken", ["missing", "not-json", "wrong-shape"])
def test_a_failed_data_file_leaves_the_page_alone(
    site: Callable[..., str], sessions: Callable[..., Session], tmp_path: Path, broken: str
) -> None:
    data = fixture_data()
    page_html = directory_html(data, data_url=f"../assets/{broken}.json")
    base = site(data, page_html, coach_pages=False)
    root = tmp_path / "site1" / "fr" / "assets"
    if broken == "not-json":
        (root / "not-json.json").write_text("{oops", encoding="utf-8")
    elif broken == "wrong-shape":
        (root / "wrong-shape.json").write_text('{"coaches": "no"}', encoding="utf-8")
    s = sessions()
    s.page.goto(f"{base}/fr/directory/")
    assert s.page.evaluate("() => window.coachdirDirectory.ready") is False
    assert len(card_ids(s.page)) == len(data["coaches"])
    assert s.page.locator("form, .cd-shortlist, button").count() == 0
    assert s.page.locator(".cd-nojs-note").is_visible()


def test_pages_without_the_widgets_are_left_alone(
    site: Callable[..., str], s: Session, tmp_path: Path
) -> None:
    base = site(fixture_data())
    plain = tmp_path / "site1" / "fr" / "about"
    plain.mkdir()
    (plain / "index.html").write_text(
        '<!doctype html><html lang="fr"><title>x</title><main><p>Texte</p></main>'
        '<script src="../assets/directory.js"></script></html>',
        encoding="utf-8",
    )
    s.page.goto(f"{base}/fr/about/")
    assert s.page.evaluate("() => window.coachdirDirectory.ready") is False
    assert s.page.inner_html("main") == "<p>Texte</p>"
    assert not any(u.endswith(".json") for u in s.requests)


def test_layout_wide_and_narrow(site: Callable[..., str], sessions: Callable[..., Session]) -> None:
    base = site()
    wide = sessions(viewport=WIDE).page
    open_directory(wide, base)
    form = wide.locator("form[role=search]").bounding_box()
    results = wide.locator(".cd-results").bounding_box()
    assert form and results
    assert form["x"] + form["width"] <= results["x"]  # filters beside the list

    narrow = sessions(viewport=NARROW, has_touch=True, is_mobile=True).page
    open_directory(narrow, base)
    form = narrow.locator("form[role=search]").bounding_box()
    cards = narrow.locator("#cd-cards").bounding_box()
    assert form and cards
    assert form["y"] + form["height"] <= cards["y"]  # filters above the list
    assert narrow.locator("details.cd-filters__panel").get_attribute("open") is None
    assert narrow.locator("form[role=search] input[type=checkbox]").first.is_hidden()
    assert narrow.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    narrow.get_by_text("Filtres", exact=True).click()
    narrow.locator("summary", has_text="Offres").click()
    narrow.get_by_role("checkbox", name="Mentorat (7)").check()
    assert "offer=mentoring" in narrow.url
    # a selection restored from the URL opens its facet on a phone
    open_directory(narrow, base, "?offer=mentoring")
    assert narrow.locator("details[data-cd-facet='offer']").get_attribute("open") is not None
    assert narrow.locator("details[data-cd-facet='entity']").get_attribute("open") is None


TARGETS = (
    "#cd-directory button:visible, #cd-directory input:visible, #cd-directory summary:visible,"
    " #cd-directory .cd-facet__option:visible, .cd-card__name a:visible,"
    " .cd-shortlist a:visible, .cd-shortlist button:visible"
)


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
def test_touch_targets_are_at_least_24px(
    site: Callable[..., str], sessions: Callable[..., Session], viewport: dict[str, int]
) -> None:
    base = site()
    page = sessions(viewport=viewport).page
    open_directory(page, base)
    for name in ("Hélène Dubois", "Chloé Martin"):
        click(add_button(page, name))
    if viewport is NARROW:
        page.locator("summary.cd-filters__summary").click()
        for summary in page.locator(".cd-facet > summary").all():
            summary.click()
    small = []
    for target in page.locator(TARGETS).all():
        box = target.bounding_box()
        if box and (box["width"] < 24 or box["height"] < 24):
            small.append((target.evaluate("e => e.outerHTML.slice(0, 80)"), box))
    assert len(page.locator(TARGETS).all()) > 40
    assert small == []


def test_focus_is_visible(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    click(add_button(page, "Hélène Dubois"))
    page.evaluate("() => document.activeElement.blur()")
    seen = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const cs = getComputedStyle(e);
                 return [e.tagName + (e.type ? ':' + e.type : ''), cs.outlineStyle,
                         parseFloat(cs.outlineWidth), !!e.closest('#cd-directory')]; }"""
        )
        kind, style, width, inside = info
        if not inside:
            continue
        seen.add(kind)
        assert style != "none" and width >= 2, info
    assert {"INPUT:search", "INPUT:checkbox", "A", "SUMMARY", "BUTTON:button"} <= seen


CONTRAST_JS = """
(selectors) => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number);
                       return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor); if (c[3] > 0) return c; }
    return [255, 255, 255, 1]; };
  const out = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      if (!el.getClientRects().length) continue;
      const bg = background(el);
      const fg = parse(getComputedStyle(el).color);
      const mixed = [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
      const [a, b] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
      out.push([sel, (a + 0.05) / (b + 0.05)]);
    }
  }
  return out;
}
"""


def test_text_contrast_is_at_least_4_5(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base)
    click(add_button(page, "Hélène Dubois"))
    selectors = [
        ".cd-card__name a",
        ".cd-card__meta",
        ".cd-card__facts dt",
        ".cd-card__facts dd",
        ".cd-badge--accepting",
        ".cd-badge--paused",
        ".cd-toggle[aria-pressed=false]",
        ".cd-toggle[aria-pressed=true]",
        ".cd-status",
        ".cd-search__label",
        ".cd-clear",
        ".cd-facet__summary",
        ".cd-filters__summary",
        ".cd-facet__label",
        ".cd-facet__count",
        ".cd-shortlist__title",
        ".cd-shortlist__help",
        ".cd-shortlist__name a",
        ".cd-shortlist__btn",
        ".cd-shortlist__request",
    ]
    ratios = page.evaluate(CONTRAST_JS, selectors)
    assert {sel for sel, _ in ratios} == set(selectors)
    low = [(sel, round(r, 2)) for sel, r in ratios if r < 4.5]
    assert low == []
    placeholder = page.evaluate(
        """() => getComputedStyle(document.querySelector('input[type=search]'),
                                  '::placeholder').color"""
    )
    assert placeholder in ("rgba(0, 0, 0, 0.54)", "rgba(0, 0, 0, 0.6)")


def test_only_127_0_0_1_is_ever_asked(site: Callable[..., str], s: Session) -> None:
    base = site()
    page = s.page
    open_directory(page, base, "?q=brest")
    click(add_button(page, "Hélène Dubois"))
    click(page.get_by_role("link", name="Hélène Dubois").first)
    page.wait_for_url("**/coaches/helene-dubois/")
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    assert len(s.requests) >= 6
    assert s.foreign_requests() == []
    hosts = {urlsplit(u).hostname for u in s.requests}
    assert hosts == {"127.0.0.1"}


def test_ten_thousand_coaches_update_within_a_frame(
    site: Callable[..., str], sessions: Callable[..., Session]
) -> None:
    data = many_coaches(10_000)
    base = site(data, directory_html(data), coach_pages=False)
    s = sessions()
    page = s.page
    page.goto(f"{base}/fr/directory/", timeout=60_000)
    assert page.evaluate("() => window.coachdirDirectory.ready") is True
    assert len(card_ids(page)) == 50
    initial = page.evaluate("() => window.coachdirDirectory.timings[0]")

    def measure(actions: list[Callable[[], None]]) -> tuple[list[float], list[float]]:
        sync, frame = [], []
        for act in actions:
            before = page.evaluate("() => window.coachdirDirectory.frameTimings.length")
            act()
            page.wait_for_function(
                f"() => window.coachdirDirectory.frameTimings.length > {before}", timeout=5000
            )
            sync.append(page.evaluate("() => window.coachdirDirectory.lastUpdateMs"))
            frame.append(page.evaluate("() => window.coachdirDirectory.lastFrameMs"))
        return sync, frame

    search_box(page).focus()
    keys = [*"jean", *["Backspace"] * 4, *"marie bre", *["Backspace"] * 3]
    assert len(keys) == 20
    key_sync, key_frame = measure([functools.partial(page.keyboard.press, k) for k in keys])
    assert search_box(page).input_value() == "marie "
    matched, _ = reference(data, "marie ")
    assert card_ids(page) == matched[:50]

    search_box(page).fill("")
    page.wait_for_function("() => document.querySelectorAll('#cd-cards > li').length === 50")
    picks = [("offer", "mentoring"), ("availability", "accepting"), ("language", "en")]
    picks += [("expertise", "leadership"), ("expertise", "conflits"), ("entity", "agence-eau")]
    picks += [("modality", "visio"), ("gender", "femme"), ("network", "cercle-managers")]
    picks += [("affiliation", "external")]
    boxes = [checkbox(page, k, v) for k, v in picks]
    clicks = [box.click for box in boxes] + [box.click for box in reversed(boxes)]
    click_sync, click_frame = measure(clicks)
    assert page.locator("form[role=search] input[type=checkbox]:checked").count() == 0
    assert len(card_ids(page)) == 50

    def line(label: str, values: list[float]) -> str:
        return (
            f"{label}: median {statistics.median(values):.2f} ms, max {max(values):.2f} ms "
            f"({', '.join(f'{v:.1f}' for v in values)})"
        )

    print(f"\n10,000 coaches, first render {initial:.1f} ms")
    print(line("keystroke, event -> DOM updated", key_sync))
    print(line("keystroke, event -> next frame done", key_frame))
    print(line("facet click, event -> DOM updated", click_sync))
    print(line("facet click, event -> next frame done", click_frame))
    assert statistics.median(key_sync) <= 16
    assert statistics.median(click_sync) <= 16


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
def test_axe_finds_nothing(
    site: Callable[..., str], sessions: Callable[..., Session], viewport: dict[str, int]
) -> None:
    """axe-core (vendored next to these tests, if present) on the directory and a coach page."""
    if not AXE.is_file():
        pytest.skip(f"axe-core not vendored at {AXE}")
    base = site()
    page = sessions(viewport=viewport).page
    for path in ("/fr/directory/?offer=mentoring", "/fr/coaches/helene-dubois/"):
        page.goto(base + path)
        page.evaluate(
            """() => localStorage.setItem('coachdir.shortlist',
                 JSON.stringify(['helene-dubois', 'chloe-martin', 'lea-moreau']))"""
        )
        page.reload()
        assert page.evaluate("() => window.coachdirDirectory.ready") is True
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """async () => {
              const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                            'best-practice'];
              const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
              return r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]);
            }"""
        )
        assert violations == [], path


def test_script_cards_show_why_a_coach_cannot_take_anyone_today(
    site: Callable[..., str], s: Session
) -> None:
    """A coach whose data carries ``r`` (the build's reason: no verified credential,
    supervision to renew, charter to sign again) gets, on a card made by the script, the
    reason as its badge and a disabled shortlist button described by it; it is never added."""
    data = fixture_data()
    avail = next(f for f in data["facets"] if f["key"] == "availability")
    paused = next(i for i, v in enumerate(avail["values"]) if v["id"] == "paused")
    coach = next(c for c in data["coaches"] if c["id"] == "helene-dubois")
    coach["f"]["availability"] = [paused]  # as the build files it: not accepting
    reason = "Ne prend pas de nouvelles personnes : supervision à renouveler"
    coach["r"] = reason
    base = site(data, directory_html(data, cards=False))
    page = s.page
    open_directory(page, base)
    card = page.locator("li.cd-card[data-id='helene-dubois']")
    expect(card.locator(".cd-badge")).to_have_text(reason)
    button = card.locator("button.cd-toggle")
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_accessible_description(reason)
    button.click(force=True)
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert "helene-dubois" not in (stored_shortlist(page) or [])
    other = page.locator("li.cd-card[data-id='chloe-martin'] button.cd-toggle")
    other.click()
    assert stored_shortlist(page) == ["chloe-martin"]
