"""The built site in headless Chromium: accessibility (axe-core), privacy (no outside request),
no-JS fallback, keyboard use, language switching, hostile data and the request button.

The directory script (assets/directory.js) is tested on its own in test_directory_js.py; the
tests here only drive it the way a person would, through the search form it builds.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import yaml

from conftest import AXE, HOSTILE_PROFILES, JINJA_BLOCK, JINJA_TEXT, ROOT, PageLog, watch

pytestmark = pytest.mark.browser

LANGS = ("fr", "en")
OTHER = {"fr": "en", "en": "fr"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CONTENT_PAGES = (
    "",
    "how-it-works/",
    "for-clients/",
    "for-coaches/",
    "directory/",
    "charter/",
    "faq/",
    "other-support/",
)
SEARCH_FORM = 'form[role="search"]:not(.md-search__form)'
SEARCH_INPUT = ", ".join(f'{SEARCH_FORM} input[type="{kind}"]' for kind in ("search", "text"))
FACET_BOX = f'{SEARCH_FORM} input[type="checkbox"]'
REQUEST_TEXT = {
    "fr": "Demander un entretien préalable",
    "en": "Request an introductory conversation",
}
# A search that matches several coaches in each language (entity labels), for the filtered view.
FILTER_QUERY = {"fr": "Direction", "en": "Directorate"}
# the coach the keyboard journey looks for, and what identifies her entity facet
JOURNEY_COACH = "helene-dubois"


# --- data read from the sources, never hard-coded ---------------------------------------------


def _programme() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "programme.yml").read_text(encoding="utf-8"))


def _coaches(built_site: Path) -> dict[str, dict[str, Any]]:
    folder = built_site.parent / "coaches"
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))
    }


_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def fold(name: str) -> str:
    """Accent-folded, case-folded sort key: 'Élodie' ~ 'elodie', 'Søren' ~ 'soren'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def expected_order(coaches: dict[str, dict[str, Any]]) -> list[str]:
    return sorted(coaches, key=lambda cid: (fold(coaches[cid]["name"]), cid))


def url(server: str, lang: str, path: str = "") -> str:
    return f"{server}/{lang}/{path}"


def goto(page: Any, address: str) -> Any:
    response = page.goto(address, wait_until="load")
    assert response is not None, f"no response for {address}"
    assert response.status == 200, f"{address} answered {response.status}"
    return response


# --- axe-core ----------------------------------------------------------------------------


def run_axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    return list(result)


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    target: {' > '.join(map(str, node['target']))}")
            lines.append(f"    html:   {node['html'][:240]}")
            summary = (node["summary"] or "").replace("\n", "\n            ")
            lines.append(f"    why:    {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more element(s)")
    return "\n".join(lines)


def wait_for_search_form(page: Any) -> None:
    try:
        page.wait_for_selector(SEARCH_INPUT, state="visible", timeout=5_000)
    except Exception:  # playwright's TimeoutError
        pytest.fail(
            "the directory script did not build its search form "
            f"({SEARCH_INPUT!r} not visible after 5 s) on {page.url}",
            pytrace=False,
        )


def reveal(page: Any, locator: Any) -> None:
    """Open the <details> (or disclosure button) that hides ``locator``, as a person would."""
    if locator.is_visible():
        return
    summary = locator.evaluate_handle(
        "el => { const d = el.closest('details:not([open])');"
        " return d ? d.querySelector('summary') : null; }"
    ).as_element()
    if summary is not None:
        summary.click()
    if not locator.is_visible():
        buttons = page.locator(f'{SEARCH_FORM} [aria-expanded="false"]')
        for i in range(buttons.count()):
            buttons.nth(i).click()
            if locator.is_visible():
                break


_VISIBLE_CARDS = """() => [...document.querySelectorAll('#cd-cards li.cd-card')]
    .filter(li => li.checkVisibility()).length"""


def filter_directory(page: Any, lang: str) -> int:
    """Type a search and tick the first facet value that leaves some coaches; return how many."""
    wait_for_search_form(page)
    search = page.locator(SEARCH_INPUT).first
    search.click()
    search.type(FILTER_QUERY[lang], delay=20)
    page.wait_for_timeout(400)  # debounce of the search box, if any
    assert page.evaluate(_VISIBLE_CARDS) > 0, f"no coach matches {FILTER_QUERY[lang]!r}"
    boxes = page.locator(FACET_BOX)
    assert boxes.count() > 0, "the search form has no facet checkbox"
    for i in range(min(boxes.count(), 20)):
        box = boxes.nth(i)
        reveal(page, box)
        if box.is_disabled():
            continue
        box.check()
        assert box.is_checked()
        page.wait_for_timeout(400)
        shown = int(page.evaluate(_VISIBLE_CARDS))
        if shown:
            page.wait_for_load_state("networkidle")
            return shown
        box.uncheck()
    pytest.fail("no facet value leaves any coach after the search", pytrace=False)


AXE_PAGES = (
    ("home", ""),
    ("directory", "directory/"),
    ("directory-filtered", "directory/"),
    ("coach", f"coaches/{JOURNEY_COACH}/"),
    ("coach-hostile-photo", "coaches/alice-hostile/"),
    ("coach-external-fallback-bio", "coaches/bruno-hostile/"),
    ("charter", "charter/"),
    ("faq", "faq/"),
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "path"), AXE_PAGES, ids=[k for k, _ in AXE_PAGES])
def test_axe_finds_no_violation(page: Any, server: str, lang: str, kind: str, path: str) -> None:
    goto(page, url(server, lang, path))
    page.wait_for_load_state("networkidle")
    if kind.startswith("directory"):
        wait_for_search_form(page)
    if kind == "directory-filtered":
        filter_directory(page, lang)
    violations = run_axe(page)
    assert not violations, describe_violations(f"{kind} ({lang}) {page.url}", violations)


# --- privacy: nothing leaves 127.0.0.1 -----------------------------------------------------

PRIVACY_PAGES = (
    ("home", ""),
    ("directory", "directory/"),
    ("coach", f"coaches/{JOURNEY_COACH}/"),
    ("coach-with-links", "coaches/zoe-nguyen/"),
    ("charter", "charter/"),
    ("faq", "faq/"),
    ("how-it-works", "how-it-works/"),
    ("for-clients", "for-clients/"),
    ("for-coaches", "for-coaches/"),
    ("other-support", "other-support/"),
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "path"), PRIVACY_PAGES, ids=[k for k, _ in PRIVACY_PAGES])
def test_no_request_leaves_the_machine(
    page: Any, page_log: PageLog, server: str, lang: str, kind: str, path: str
) -> None:
    goto(page, url(server, lang, path))
    page.wait_for_load_state("networkidle")
    # the theme's search loads its worker, index and language files on first use
    search = page.locator(".md-search__input")
    if search.count() and search.first.is_visible():
        search.first.fill("coach")
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
    if kind == "directory":
        wait_for_search_form(page)
    page.mouse.wheel(0, 5000)
    page.wait_for_load_state("networkidle")
    assert page_log.requests, "no request was recorded at all"
    assert not page_log.external(), f"requests outside 127.0.0.1 on {kind} ({lang}): " + ", ".join(
        page_log.external()
    )


# --- without JavaScript ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_directory_and_request_work_without_javascript(
    browser: Any, server: str, built_site: Path, lang: str
) -> None:
    coaches = _coaches(built_site)
    log = PageLog()
    context = browser.new_context(java_script_enabled=False)
    watch(context, log)
    try:
        page = context.new_page()
        directory = url(server, lang, "directory/")
        goto(page, directory)
        cards = page.locator("li.cd-card")
        assert cards.count() == len(coaches), (
            f"{cards.count()} cards for {len(coaches)} coach files"
        )
        ids = [cards.nth(i).get_attribute("data-id") for i in range(cards.count())]
        # text_content, not inner_text: off-screen cards may skip rendering until scrolled to
        names = [
            (cards.nth(i).locator(".cd-card__name").text_content() or "").strip()
            for i in range(cards.count())
        ]
        assert sorted(ids) == sorted(coaches), "cards and coach files differ"
        assert names == [coaches[cid]["name"] for cid in ids], "a card shows another name"
        want = expected_order(coaches)
        assert ids == want, "cards are not sorted by accent-folded name:\n" + "\n".join(
            f"  got {g!r:30} want {w!r}" for g, w in zip(ids, want, strict=True) if g != w
        )
        for i, cid in enumerate(ids):
            link = cards.nth(i).locator("a").first
            href = link.get_attribute("href") or ""
            target = urljoin(directory, href)
            assert urlsplit(target).path == f"/{lang}/coaches/{cid}/", (cid, href)
            link.scroll_into_view_if_needed()
            assert link.is_visible(), f"the card link of {cid} is not visible"
            response = page.request.get(target)
            assert response.status == 200, f"{target} answered {response.status}"
        # follow one card link by clicking, then the request button is there, as a link
        first = cards.first.locator("a").first
        with page.expect_navigation():
            first.click()
        assert urlsplit(page.url).path == f"/{lang}/coaches/{ids[0]}/"
        button = page.get_by_role("link", name=REQUEST_TEXT[lang])
        assert button.count() == 1
        assert button.is_visible()
        href = button.get_attribute("href") or ""
        assert href.startswith(("https://", "mailto:")), href
    finally:
        context.close()
    assert not log.problems(), log.problems()


# --- keyboard only -----------------------------------------------------------------------

_ACTIVE = """() => {
    const el = document.activeElement;
    if (!el) return null;
    const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
    return {
        tag: el.tagName.toLowerCase(), type: el.type || '', value: el.value || '',
        text: (el.innerText || '').trim().slice(0, 200), label: label.trim(),
        href: el.href || '', checked: !!el.checked, id: el.id || '',
        inSearchForm: !!el.closest('form[role="search"]:not(.md-search__form)'),
        inCards: !!el.closest('#cd-cards'),
        expanded: el.getAttribute('aria-expanded'),
        closedDetails: el.tagName === 'SUMMARY' && !el.parentElement.open,
    };
}"""


def tab_until(
    page: Any,
    wanted: Any,
    what: str,
    limit: int,
    *,
    open_disclosures: bool = False,
    key: str = "Tab",
) -> dict[str, Any]:
    """Press Tab until ``wanted(active)`` holds; fail, listing the stops, if it never does."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(_ACTIVE)
        if active and wanted(active):
            return dict(active)
        seen.append(active)
        if (
            open_disclosures
            and active
            and active["inSearchForm"]
            and (active["closedDetails"] or active["expanded"] == "false")
        ):
            page.keyboard.press("Enter")
    stops = "\n".join(
        f"  {s['tag']} {s['type']} {s['label'] or s['text'][:60]!r} {s['href']}" if s else "  -"
        for s in seen
    )
    pytest.fail(
        f"{what} not reached after {limit} presses of {key}; focus went to:\n{stops}", pytrace=False
    )


def test_keyboard_only_journey(page: Any, server: str, built_site: Path) -> None:
    coach = _coaches(built_site)[JOURNEY_COACH]
    entity = next(e for e in _programme()["vocabularies"]["entities"] if e["id"] == coach["entity"])
    surname = coach["name"].split()[-1]
    goto(page, url(server, "fr", "directory/"))
    wait_for_search_form(page)
    page.locator("body").focus()

    def is_search(a: dict[str, Any]) -> bool:
        return a["inSearchForm"] and a["tag"] == "input" and a["type"] in ("search", "text")

    tab_until(page, is_search, "the directory's search input", 80)
    # focus order is reversible: out and back again
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert is_search(page.evaluate(_ACTIVE)), "Shift+Tab did not come back to the search input"
    page.keyboard.type(surname, delay=30)
    page.wait_for_timeout(400)

    def is_entity_box(a: dict[str, Any]) -> bool:
        return (
            a["inSearchForm"]
            and a["type"] == "checkbox"
            and (a["value"] == entity["id"] or entity["fr"] in a["label"])
        )

    box = tab_until(
        page, is_entity_box, f"the facet checkbox {entity['fr']!r}", 200, open_disclosures=True
    )
    assert not box["checked"]
    page.keyboard.press("Space")
    assert page.evaluate(_ACTIVE)["checked"], "Space did not tick the focused checkbox"
    page.wait_for_timeout(400)

    def is_card_link(a: dict[str, Any]) -> bool:
        return a["inCards"] and a["tag"] == "a" and f"/fr/coaches/{JOURNEY_COACH}/" in a["href"]

    tab_until(page, is_card_link, f"the card link of {coach['name']}", 200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == f"/fr/coaches/{JOURNEY_COACH}/"

    def is_request(a: dict[str, Any]) -> bool:
        return a["tag"] == "a" and a["text"] == REQUEST_TEXT["fr"]

    tab_until(page, is_request, f"the {REQUEST_TEXT['fr']!r} link", 80)
    assert page.evaluate("() => document.activeElement.textContent.trim()") == REQUEST_TEXT["fr"]


# --- language switcher -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_on_every_page(
    page: Any, server: str, built_site: Path, lang: str
) -> None:
    other = OTHER[lang]
    pages = [*CONTENT_PAGES, *(f"coaches/{cid}/" for cid in _coaches(built_site))]
    problems = []
    for path in pages:
        goto(page, url(server, lang, path))
        page.wait_for_load_state("load")  # the theme's scripts are ready, as for a person
        links = page.locator(f'.cd-lang-switch a[hreflang="{other}"]')
        if links.count() != 1:
            problems.append(f"/{lang}/{path}: {links.count()} switch link(s) to {other}")
            continue
        assert page.locator(".cd-lang-switch a").count() >= 1
        with page.expect_navigation() as nav:
            links.first.click()
        response = nav.value
        landed = urlsplit(page.url).path
        html_lang = page.evaluate("() => document.documentElement.lang")
        if response is None or response.status != 200:
            problems.append(
                f"/{lang}/{path}: switch link leads to {landed}, "
                f"status {response.status if response else None}"
            )
        elif landed != f"/{other}/{path}":
            problems.append(f"/{lang}/{path}: switch link leads to {landed}, not /{other}/{path}")
        elif html_lang != other:
            problems.append(f"/{lang}/{path}: {landed} has <html lang={html_lang!r}>")
    assert not problems, "\n".join(problems)


# --- hostile data --------------------------------------------------------------------------

_ATTRIBUTE_PROBLEMS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            if (/^on/i.test(a.name) || a.name === 'autofocus' || a.name === 'data-x')
                out.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
        }
    }
    for (const el of document.querySelectorAll(
            'a[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i], '
            + '[formaction^="javascript:" i], iframe, object, embed'))
        out.push(el.outerHTML.slice(0, 200));
    for (const s of document.scripts)
        if (/alert\\(/.test(s.textContent)) out.push('script: ' + s.textContent.slice(0, 200));
    return out;
}"""


_INTERACTIVE = "a, summary, label, input, select, textarea, button, [tabindex]"
# Click only what cannot navigate: no link or field in it or around it (a click lands on the
# element's centre, which may be a link inside a paragraph). Buttons are clicked: the
# shortlist's buttons show the coaches' names.
_POKEABLE = """(e, interactive) => {
    if (e.matches('button:not([type="submit"])')) return !e.querySelector('a');
    return !e.closest(interactive) && !e.querySelector(interactive);
}"""


def _poke(page: Any, elements: Any) -> None:
    """Hover each element, click it unless it is (in) a link or a field, then tab around."""
    start = urlsplit(page.url).path
    for i in range(min(elements.count(), 300)):
        el = elements.nth(i)
        try:
            if not el.is_visible():
                continue
            el.hover(timeout=1_000)
            if el.evaluate(_POKEABLE, _INTERACTIVE):
                el.click(timeout=1_000, no_wait_after=True)
        except Exception:  # elements that move or vanish while the page reacts
            continue
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
    assert urlsplit(page.url).path == start, f"poking {start} navigated to {page.url}"


def _assert_hostile_page_clean(page: Any, page_log: PageLog, where: str) -> None:
    found = page.evaluate(_ATTRIBUTE_PROBLEMS)
    assert not found, f"markup injected from data on {where}:\n" + "\n".join(found)
    assert not page_log.dialogs, f"dialog opened on {where}: {page_log.dialogs}"
    assert not page_log.errors, f"page error on {where}: {page_log.errors}"


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_data_stays_text_in_the_directory(
    page: Any, page_log: PageLog, server: str, lang: str
) -> None:
    goto(page, url(server, lang, "directory/"))
    wait_for_search_form(page)
    search = page.locator(SEARCH_INPUT).first
    search.fill("Hostile")
    page.wait_for_timeout(400)
    cards = page.locator("#cd-cards li.cd-card")
    alice = page.locator('#cd-cards li:has(a[href*="coaches/alice-hostile/"])')
    bruno = page.locator('#cd-cards li:has(a[href*="coaches/bruno-hostile/"])')
    assert alice.count() == 1 and bruno.count() == 1, f"{cards.count()} cards after search"
    # add the hostile coaches to the shortlist: the panel shows their names
    for card in (alice, bruno):
        buttons = card.locator("button")
        for i in range(buttons.count()):
            if buttons.nth(i).is_visible():
                buttons.nth(i).click()
    hostile = re.compile(r"Hostile|alert|7\*7")
    _poke(page, page.locator("#cd-directory *").filter(has_text=hostile))
    _assert_hostile_page_clean(page, page_log, f"/{lang}/directory/")
    alice_data = HOSTILE_PROFILES["alice-hostile"]
    bruno_data = HOSTILE_PROFILES["bruno-hostile"]
    alice_text = alice.inner_text()
    bruno_text = bruno.inner_text()
    for value in (alice_data["name"], alice_data["role"], alice_data["location"]):
        assert value in alice_text, f"{value!r} not shown literally in {alice_text!r}"
    for value in (bruno_data["name"], bruno_data["role"], bruno_data["location"]):
        assert value in bruno_text, f"{value!r} not shown literally in {bruno_text!r}"
    assert JINJA_TEXT in bruno_text and "49" not in bruno_text
    assert "<script>" not in page.locator("#cd-directory").inner_text()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cid", ["alice-hostile", "bruno-hostile"])
def test_hostile_data_stays_text_on_coach_pages(
    page: Any, page_log: PageLog, server: str, lang: str, cid: str
) -> None:
    data = HOSTILE_PROFILES[cid]
    goto(page, url(server, lang, f"coaches/{cid}/"))
    page.wait_for_load_state("networkidle")
    # the shortlist toggle (built by the script, if present) shows the name
    for i in range(page.locator(".cd-shortlist-toggle button").count()):
        page.locator(".cd-shortlist-toggle button").nth(i).click()
    _poke(page, page.locator(".cd-coach *"))
    _assert_hostile_page_clean(page, page_log, f"/{lang}/coaches/{cid}/")
    content = page.locator("article").inner_text()
    assert page.locator("h1").inner_text().strip() == data["name"]
    assert page.title().startswith(data["name"])
    for key in ("role", "location"):
        assert data[key] in content, f"{key} {data[key]!r} not shown literally"
    assert JINJA_TEXT in content, f"{JINJA_TEXT!r} not shown literally"
    assert "49" not in content, "a template evaluated {{ 7*7 }}"
    if cid == "bruno-hostile":
        assert JINJA_BLOCK in content
        assert data["provider"] in content
    else:
        assert "{% raw %}{{ config }}{% endraw %}" in page.locator(".cd-bio").inner_text()
        assert data["pronouns"] in content


_BIO_LINKS = """() => [...document.querySelectorAll('.cd-bio a[href]')].map(a => {
    const after = getComputedStyle(a, '::after').content;
    const before = getComputedStyle(a, '::before').content;
    let next = '';
    for (let n = a.nextSibling; n && next.length < 400; n = n.nextSibling) next += n.textContent;
    return {href: a.getAttribute('href'), text: a.innerText, after, before, next};
})"""


@pytest.mark.parametrize("lang", LANGS)
def test_every_bio_link_shows_its_target(
    page: Any, server: str, built_site: Path, lang: str
) -> None:
    problems = []
    checked = 0
    for cid in _coaches(built_site):
        goto(page, url(server, lang, f"coaches/{cid}/"))
        for link in page.evaluate(_BIO_LINKS):
            checked += 1
            href = link["href"]
            shown = " ".join((link["before"], link["text"], link["after"], link["next"]))
            if href not in shown:
                problems.append(
                    f"/{lang}/coaches/{cid}/: link {link['text']!r} -> {href} "
                    f"does not show its target (shows {shown.strip()[:120]!r})"
                )
    assert checked, "no bio link found: the hostile profiles have some"
    assert not problems, "\n".join(problems)


# --- the request button --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cid", [JOURNEY_COACH, "alice-hostile"])
def test_request_button_opens_the_prefilled_e_mail(
    page: Any, server: str, lang: str, cid: str
) -> None:
    """The sample's target is the team's address (staff cannot read the records repository):
    the button is a mailto whose body is the request form with this coach as preference."""
    target = _programme()["request_target"]
    assert target["kind"] == "mailto", "this test reads a mailto request target"
    goto(page, url(server, lang, f"coaches/{cid}/"))
    button = page.get_by_role("link", name=REQUEST_TEXT[lang], exact=True)
    assert button.count() == 1
    href = button.get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and unquote(parts.path) == target["email"]
    body = parse_qs(parts.query)["body"][0]
    sections = body.split("### ")
    assert sections[0] == "" and len(sections) > 5  # starts at the first heading
    assert sections[1].split("\n\n")[1] == cid  # the preferences answer: this coach's id


def test_axe_vendor_file_is_present() -> None:
    text = AXE.read_text(encoding="utf-8")[:200]
    assert re.search(r"axe v4\.\d+", text), "tests/e2e/vendor/axe.min.js is not axe-core 4"
    assert (AXE.parent / "LICENSE-axe-core.txt").is_file()
