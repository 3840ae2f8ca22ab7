"""Render the validated programme into ``build/``: Markdown pages, HTML fragments, data, assets.

Layout of ``build/`` (everything here is generated; nothing is edited by hand):

* ``<lang>/`` — the MkDocs ``docs_dir`` of each language: the content pages with programme
  settings filled in, ``directory.md`` and the coach page frame ``coaches/coachdir-frame.md``,
  ``assets/`` (script, styles, ``coaches.json``) and ``photos/``;
* ``fragments/<lang>/`` — the directory's card list and one body per coach, in HTML, filled
  into the built pages by :mod:`coachdir.site.build` (so 10,000 coaches cost no MkDocs pages);
* ``mkdocs.<lang>.yml`` — one MkDocs configuration per language, inheriting ``mkdocs.yml``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import yaml
from markupsafe import escape
from PIL import Image

from coachdir.github.prefill import IDS_MARKER, RecordForms, mail_body, record_form_templates
from coachdir.github.vocabulary import request_field
from coachdir.loader import load_file, load_text
from coachdir.model.coach import LANGS, Coach
from coachdir.photos import publish as publish_photo
from coachdir.problems import CoachdirError, Problem
from coachdir.programme import Programme, Term
from coachdir.site.bio import render_bio
from coachdir.site.indicators import release_name
from coachdir.site.offerings_pages import OFFERINGS_SLOT, OfferingsPages
from coachdir.site.text import format_date as format_date  # re-exported for the pages' callers
from coachdir.site.text import html_text as html_text
from coachdir.site.text import mailto_url
from coachdir.site.text import md_text as md_text
from coachdir.site.text import url_text as url_text

CONTENT_PAGES = (
    ("index.md", "nav_home"),
    ("how-it-works.md", "nav_how"),
    ("for-clients.md", "nav_clients"),
    ("for-coaches.md", "nav_coaches"),
    ("directory.md", "nav_directory"),
    ("charter.md", "nav_charter"),
    ("faq.md", "nav_faq"),
    ("other-support.md", "nav_support"),
)
FRAME = "coaches/coachdir-frame.md"
TITLE_SLOT = "COACHDIR-SLOT-TITLE"
BODY_SLOT = '<div class="coachdir-slot" data-slot="body"></div>'
LIST_SLOT = '<div class="coachdir-slot" data-slot="directory"></div>'
#: the indicators page, present only with published releases (filled in by the build)
INDICATORS_PAGE = ("indicators.md", "nav_indicators")
INDICATORS_SLOT = '<div class="coachdir-slot" data-slot="indicators"></div>'
#: ``site_name`` of the MkDocs configurations. The theme writes ``config.site_name`` unescaped
#: into text and attributes (the logo's ``aria-label``), so MkDocs never sees the programme
#: name: :mod:`coachdir.site.build` fills this slot in the built pages with :func:`html_text`.
#: Every settings escaper here encodes ``_``, so no settings value can spell the slot.
SITE_NAME_SLOT = "COACHDIR_SLOT_SITE_NAME"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\{%")

Strings = dict[str, str]


@cache
def ui_strings() -> dict[str, Strings]:
    """UI strings per language, from templates/strings.yml (checked complete)."""
    path = resources.files("coachdir.site") / "templates" / "strings.yml"
    loaded = load_file(str(path), "strings.yml")
    if loaded.problems or loaded.data is None:
        raise CoachdirError(loaded.problems)
    out: dict[str, Strings] = {lang: {} for lang in LANGS}
    for key, value in loaded.data.items():
        for lang in LANGS:
            out[lang][key] = str(value[lang])
    return out


@cache
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("coachdir.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def settings_values(programme: Programme, lang: str) -> dict[str, str]:
    """The values content pages may use as ``{{ name }}``, as Markdown text (:func:`md_text`)."""
    plan = programme.session_plan
    referent = programme.ethics_referent
    values = {
        "programme_name": programme.name(lang),
        "organisation": programme.organisation(lang),
        "charter_version": programme.charter_current,
        "intro_minutes": str(plan["intro_minutes"]),
        "sessions": str(plan["sessions"]),
        "session_minutes": str(plan["session_minutes"]),
        "frequency": str(plan["frequency"][lang]),
        "max_capacity": str(programme.max_capacity),
        "referent_name": str(referent["name"]),
        "referent_email": str(referent["email"]),
    }
    return {key: md_text(value) for key, value in values.items()}


def fill_placeholders(rel: str, text: str, values: dict[str, str]) -> tuple[str, list[Problem]]:
    """Replace ``{{ name }}`` by plain text substitution; never a template engine."""
    problems: list[Problem] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is not None and name in values:
            return values[name]
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(
            Problem(
                rel,
                line,
                col,
                f"unknown placeholder '{match.group(0)}'",
                "content.placeholder",
                "Use one of: " + ", ".join("{{ " + k + " }}" for k in values) + ".",
            )
        )
        return match.group(0)

    return _PLACEHOLDER.sub(replace, text), problems


def request_url(
    programme: Programme, ids: list[str], lang: str, forms: RecordForms | None = None
) -> str:
    """Where 'request an introductory conversation' leads, prefilled with coach ids: the issue
    form, or an e-mail whose body is the coaching-request form's (``forms``, see
    :func:`coachdir.github.prefill.record_form_templates`) with the ids as the preferences."""
    target = programme.request_target
    if target["kind"] == "issue-form":
        query = urlencode({"template": target["template"], target["field"]: ",".join(ids)})
        return f"{url_text(target['url'])}?{query}"
    if forms is None:
        raise ValueError("an e-mail request needs the record forms")
    body = mail_body(forms["coaching-request"], {request_field(programme): ", ".join(ids)})
    return _mailto(programme, lang, "request_mail_subject", body)


def record_urls(programme: Programme, lang: str, forms: RecordForms | None) -> dict[str, str]:
    """The coach's "log a session" and "end the coaching" links: the records repository's issue
    forms, or e-mails prefilled with the session-log and end-of-association bodies."""
    target = programme.request_target
    names = {"session": "session-log", "end": "end-of-association"}
    if target["kind"] == "issue-form":
        base = url_text(target["url"])
        return {k: f"{base}?{urlencode({'template': f'{n}.yml'})}" for k, n in names.items()}
    if forms is None:
        raise ValueError("e-mail links need the record forms")
    return {
        k: _mailto(programme, lang, f"{k}_mail_subject", mail_body(forms[n]))
        for k, n in names.items()
    }


def _mailto(programme: Programme, lang: str, subject: str, body: str) -> str:
    """A ``mailto:`` to the programme team, with the UI string ``subject`` as its subject."""
    address = programme.request_target["email"]
    return mailto_url(address, ui_strings()[lang][subject], body)


@dataclass(frozen=True)
class Rendered:
    build_dir: Path
    coaches: list[Coach]


class Renderer:
    """Writes ``build/`` for one validated programme."""

    def __init__(
        self,
        root: Path,
        programme: Programme,
        coaches: list[Coach],
        places: dict[str, dict[str, Any]] | None = None,
        places_updated: str | None = None,
        indicators: bool = False,
        release_pages: Sequence[str] = (),
        offerings: OfferingsPages | None = None,
    ) -> None:
        self.root = root
        self.programme = programme
        self.coaches = coaches
        #: per coach id, per language: the places text and whether full (availability.json)
        self.places = places
        #: the day availability.json was computed, when older than the programme allows
        self.places_updated = places_updated
        #: whether the site has an indicators page (indicators/<release>.json published)
        self.indicators = indicators
        self.release_pages = list(release_pages)  # earlier releases: indicators/<release>/
        #: the groups and immersion offers (their list pages are in the navigation)
        self.offerings = offerings
        self._photo_cache: dict[str, bytes] = {}
        #: the record forms, for e-mail requests and logs (their bodies are the forms')
        self.forms: RecordForms | None = None
        if programme.request_target["kind"] == "mailto":
            self.forms = record_form_templates(programme, root)

    def render(self, build_dir: Path) -> Rendered:
        problems = list(self._check_content())
        if problems:
            raise CoachdirError(problems)
        if build_dir.exists():
            shutil.rmtree(build_dir)
        build_dir.mkdir(parents=True)
        for lang in LANGS:
            self._render_language(build_dir, lang)
        return Rendered(build_dir, self.coaches)

    # -- checks before writing anything -------------------------------------------------

    def _check_content(self) -> Iterator[Problem]:
        for page, _ in CONTENT_PAGES:
            if page == "directory.md":
                continue
            for lang in LANGS:
                rel = f"content/{lang}/{page}"
                path = self.root / rel
                if not path.is_file():
                    yield Problem(
                        rel,
                        1,
                        1,
                        "this page is missing",
                        "content.missing",
                        "Every page exists in French and English; add it.",
                    )
                    continue
                try:
                    text = path.read_bytes().decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield Problem(
                        rel,
                        1,
                        1,
                        f"the page is not valid UTF-8 (byte offset {exc.start})",
                        "file.encoding",
                        "Save the page as UTF-8 (most editors offer this in 'Save as').",
                    )
                    continue
                yield from fill_placeholders(rel, text, settings_values(self.programme, lang))[1]
                if page == "charter.md":
                    yield from self._check_charter(rel, text)

    def _check_charter(self, rel: str, text: str) -> Iterator[Problem]:
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        version = None
        if match:
            # The strict loader, as for every other file: positions are shifted by the
            # front matter's opening '---' line.
            loaded = load_text(rel, match.group(1) + "\n")
            if loaded.problems or loaded.data is None:
                for found in loaded.problems:
                    yield dataclasses.replace(found, line=found.line + 1)
                return
            written = loaded.data.get("charter_version")
            version = None if written is None else str(written)
        current = self.programme.charter_current
        if version != current:
            yield Problem(
                rel,
                2 if match else 1,
                1,
                f"the charter page is version {version or '(none)'}, programme.yml says {current}",
                "content.charter-version",
                f"Set 'charter_version: \"{current}\"' in the page's front matter when you "
                "publish the new text, and update programme.yml's charter.current together.",
            )

    # -- writing -----------------------------------------------------------------------

    def _render_language(self, build_dir: Path, lang: str) -> None:
        t = ui_strings()[lang]
        docs = build_dir / lang
        (docs / "coaches").mkdir(parents=True)
        values = settings_values(self.programme, lang)
        other = "en" if lang == "fr" else "fr"
        for page, _ in CONTENT_PAGES:
            if page == "directory.md":
                continue
            text = (self.root / "content" / lang / page).read_text(encoding="utf-8")
            text = fill_placeholders(page, text, values)[0]
            (docs / page).write_text(_with_lang_switch(text, page, other), encoding="utf-8")
        (docs / "directory.md").write_text(self._directory_md(lang, t), encoding="utf-8")
        (docs / FRAME).write_text(_frame_md(), encoding="utf-8")
        if self.indicators:  # the main page, then one per earlier release (ids: the schema's)
            pages = {INDICATORS_PAGE[0]: t["ind_title"]}
            for release in self.release_pages:
                name = t["ind_release_title"].replace("{release}", release_name(release, t))
                pages[f"indicators/{release}.md"] = name
            (docs / "indicators").mkdir(exist_ok=True)
            for page, title in pages.items():
                text = f"# {_md_escape(title)}\n\n{_switch_html(page, other)}\n\n"
                (docs / page).write_text(
                    f"---\nhide:\n  - toc\n---\n\n{text}{INDICATORS_SLOT}\n", encoding="utf-8"
                )
        for page, key in self.offerings.nav() if self.offerings else ():
            text = f"# {_md_escape(t[key])}\n\n{_switch_html(page, other)}\n\n"
            (docs / page).write_text(
                f"---\nhide:\n  - toc\n---\n\n{text}{OFFERINGS_SLOT}\n", encoding="utf-8"
            )
        self._write_assets(docs, lang)
        fragments = build_dir / "fragments" / lang
        (fragments / "coaches").mkdir(parents=True)
        self._write_fragments(fragments, lang)
        config = self._mkdocs_config(build_dir, lang)
        (build_dir / f"mkdocs.{lang}.yml").write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )

    def _directory_md(self, lang: str, t: Strings) -> str:
        open_count = sum(1 for c in self.coaches if accepting(c, self.places))
        other = "en" if lang == "fr" else "fr"
        count = t["directory_count"].replace("{n}", str(len(self.coaches)))
        count = count.replace("{open}", str(open_count))
        return (
            "---\nhide:\n  - toc\n---\n\n"
            f"# {t['directory_title']}\n\n"
            + _switch_html("directory.md", other)
            + f"\n\n{_md_escape(t['directory_intro'])}\n\n{_md_escape(count)}\n\n"
            f"{LIST_SLOT}\n"
        )

    def _write_assets(self, docs: Path, lang: str) -> None:
        assets = docs / "assets"
        assets.mkdir()
        package = resources.files("coachdir.site") / "assets"
        for name in ("directory.js", "coachdir.css"):
            source = package / name
            if source.is_file():
                (assets / name).write_bytes(source.read_bytes())
        data = directory_data(self.programme, self.coaches, lang, self.places, self.forms)
        (assets / "coaches.json").write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        photos = [c.photo for c in self.coaches if c.photo]
        if photos:
            (docs / "photos").mkdir()
            for photo in photos:
                # Re-encoded without metadata (EXIF, GPS, XMP, ICC), never copied as is.
                (docs / photo).write_bytes(self._published_photo(photo))

    def _published_photo(self, photo: str) -> bytes:
        """The published bytes of a validated photo, re-encoded once for both languages."""
        cache = self._photo_cache
        if photo not in cache:
            try:
                cache[photo] = publish_photo(self.root / "coaches" / photo)
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                raise CoachdirError(
                    [
                        Problem(
                            f"coaches/{photo}",
                            1,
                            1,
                            f"cannot publish the photo ({type(exc).__name__})",
                            "photo.damaged",
                            "Run coachdir validate, then export the picture again.",
                        )
                    ]
                ) from None
        return cache[photo]

    def _write_fragments(self, fragments: Path, lang: str) -> None:
        t = ui_strings()[lang]
        macros: Any = _jinja().get_template("macros.html.j2").module
        places = {cid: p[lang] for cid, p in (self.places or {}).items()}
        cards = [
            str(macros.card(c, lang, t, f"../coaches/{c.id}/", places.get(c.id)))
            for c in self.coaches
        ]
        updated = None
        if self.places_updated is not None:
            updated = t["places_updated"].replace("{date}", format_date(self.places_updated, lang))
        (fragments / "directory.html").write_text(
            '<div id="cd-directory" class="cd-directory" data-data-url="../assets/coaches.json">\n'
            + (f'<p class="cd-places-updated">{escape(updated)}</p>\n' if updated else "")
            + f'<p class="cd-nojs-note">{escape(t["nojs_note"])}</p>\n'
            f'<h2 id="cd-results-heading">{escape(t["results_heading"])}</h2>\n'
            '<ul class="cd-cards" id="cd-cards">\n' + "\n".join(cards) + "\n</ul>\n</div>\n",
            encoding="utf-8",
        )
        if self.offerings is not None:
            self.offerings.write_fragments(fragments, lang, t, _date_formatter(lang))
        page = _jinja().get_template("coach.html.j2")
        other = "en" if lang == "fr" else "fr"
        common = {
            "lang": lang,
            "other": other,
            "t": t,
            "charter_current": self.programme.charter_current,
            "date": _date_formatter(lang),
            "other_url": "",
            "record_urls": record_urls(self.programme, lang, self.forms),
        }
        for c in self.coaches:
            text, bio_lang = c.bio_for(lang)
            html = page.render(
                c=c,
                bio_html=render_bio(text),
                bio_lang=bio_lang,
                photo_url=f"../../{c.photo}" if c.photo else None,
                request_url=request_url(self.programme, [c.id], lang, self.forms),
                places=places.get(c.id),
                places_updated=updated,
                **{**common, "other_url": f"../../../{other}/coaches/{c.id}/"},
            )
            (fragments / "coaches" / f"{c.id}.html").write_text(html, encoding="utf-8")

    def _nav(self) -> list[tuple[str, str]]:
        """The content pages, the groups and immersions lists right after the directory, and
        the indicators page when releases are published."""
        out: list[tuple[str, str]] = []
        for entry in CONTENT_PAGES:
            out.append(entry)
            if entry[0] == "directory.md" and self.offerings is not None:
                out.extend(self.offerings.nav())
        return out + ([INDICATORS_PAGE] if self.indicators else [])

    def _mkdocs_config(self, build_dir: Path, lang: str) -> dict[str, Any]:
        t = ui_strings()[lang]
        referent = self.programme.ethics_referent
        config: dict[str, Any] = {
            "INHERIT": str((self.root / "mkdocs.yml").resolve()),
            "site_name": SITE_NAME_SLOT,
            "docs_dir": str((build_dir / lang).resolve()),
            "site_dir": str((build_dir / "site" / lang).resolve()),
            "theme": {"language": lang},
            "nav": [{t[key]: page} for page, key in self._nav()],
            "extra": {
                "alternate": [
                    {"name": ui_strings()[code]["lang_name"], "link": f"../{code}/", "lang": code}
                    for code in LANGS
                ],
            },
            "extra_css": ["assets/coachdir.css"],
            "extra_javascript": ["assets/directory.js"],
            "copyright": (
                f"{html_text(self.programme.organisation(lang))} — "
                f'<a href="mailto:{url_text(referent["email"])}">'
                f"{escape(t['report_concern'])}</a> "
                f"({html_text(referent['name'])}, {html_text(referent['email'])})"
            ),
        }
        site_url = self.programme.site_url
        if site_url:
            config["site_url"] = url_text(f"{site_url}{lang}/")
        return config


#: directory facets drawn from programme vocabularies:
#: (facet key, UI string, vocabulary in programme.yml, the coach's terms)
_VOCABULARY_FACETS: tuple[tuple[str, str, str, Callable[[Coach], Sequence[Term]]], ...] = (
    ("entity", "entity", "entities", lambda c: (c.entity,)),
    ("gender", "gender", "genders", lambda c: (c.gender,) if c.gender else ()),
    ("network", "networks", "networks", lambda c: c.networks),
    ("expertise", "expertise", "expertise", lambda c: c.expertise),
    ("language", "languages", "languages", lambda c: c.languages),
    ("offer", "offers", "offers", lambda c: c.offers),
    ("modality", "modalities", "modalities", lambda c: c.modalities),
)


def _ids_of(terms: Callable[[Coach], Sequence[Term]]) -> Callable[[Coach], list[str]]:
    return lambda c: [term.id for term in terms(c)]


def accepting(coach: Coach, places: dict[str, dict[str, Any]] | None) -> bool:
    """Profile accepting, nothing against it today (``Coach.standing``), a place free."""
    if not coach.accepting or coach.standing is not None:
        return False
    return places is None or coach.id not in places or not places[coach.id][LANGS[0]]["full"]


def directory_data(
    programme: Programme,
    coaches: list[Coach],
    lang: str,
    places: dict[str, dict[str, Any]] | None = None,
    forms: RecordForms | None = None,
) -> dict[str, Any]:
    """The directory's data file: facets from the programme vocabularies, compact coaches, and
    with availability.json each coach's places (``p``: the card's text, and whether full);
    ``r``: why a coach cannot take a new client today, in words.
    For e-mail requests, ``request.href`` is the shortlist's address with ``request.marker``
    where the script puts the coach ids (``forms``: the record forms the body is made from)."""
    t = ui_strings()[lang]
    facets: list[tuple[str, str, list[tuple[str, str]], Callable[[Coach], list[str]]]] = [
        (key, t[label], _vocab(programme, vocabulary, lang), _ids_of(terms))
        for key, label, vocabulary, terms in _VOCABULARY_FACETS
    ]
    facets += [
        (
            "practice",
            t["practice"],
            [("coach", t["role_coach"]), ("mentor", t["role_mentor"])],
            lambda c: list(c.roles),
        ),
        (
            "affiliation",
            t["affiliation"],
            [("internal", t["internal"]), ("external", t["external"])],
            lambda c: ["external" if c.external else "internal"],
        ),
        (
            "availability",
            t["availability"],
            [("accepting", t["accepting"]), ("paused", t["paused"])],
            lambda c: ["accepting" if accepting(c, places) else "paused"],
        ),
    ]
    index = {key: {vid: i for i, (vid, _) in enumerate(values)} for key, _, values, _ in facets}
    target = programme.request_target
    request = dict(target)
    if target["kind"] == "mailto":
        request["subject"] = t["request_mail_subject"]
        request["href"] = request_url(programme, [IDS_MARKER], lang, forms)
        request["marker"] = IDS_MARKER
    strings = {
        k: t[k]
        for k in (
            "search_label",
            "search_placeholder",
            "filters",
            "clear_all",
            "results_one",
            "results_many",
            "results_none",
            "show_more",
            "shortlist",
            "shortlist_help",
            "shortlist_empty",
            "shortlist_add",
            "shortlist_remove",
            "shortlist_up",
            "shortlist_down",
            "shortlist_full",
            "shortlist_request",
            *("accepting", "paused", "offers", "expertise", "languages", "availability"),
        )
    }
    if places is not None:
        strings.update({k: t[k] for k in ("places", "places_no_shortlist")})
    entries: list[dict[str, Any]] = []
    for c in coaches:
        entry: dict[str, Any] = {
            "id": c.id,
            "name": c.name,
            "url": f"../coaches/{c.id}/",
            "role": c.role,
            "location": c.location,
            "f": {key: [index[key][v] for v in get(c)] for key, _, _, get in facets},
        }
        if places is not None and c.id in places:
            entry["p"] = places[c.id][lang]
        if c.standing is not None:
            entry["r"] = t[f"standing_{c.standing}"]
        entries.append(entry)
    return {
        "version": 1,
        "lang": lang,
        "strings": strings,
        "request": request,
        "facets": [
            {"key": key, "label": label, "values": [{"id": v, "label": lab} for v, lab in values]}
            for key, label, values, _ in facets
        ],
        "coaches": entries,
    }


def _vocab(programme: Programme, name: str, lang: str) -> list[tuple[str, str]]:
    return [(t.id, t.label(lang)) for t in programme.vocabulary(name)]


def _date_formatter(lang: str) -> Callable[[str], str]:
    return lambda value: format_date(value, lang)


def _page_url(page: str) -> str:
    return "" if page == "index.md" else page.removesuffix(".md") + "/"


def _switch_html(page: str, other: str) -> str:
    depth = "../" if page == "index.md" else "../" * (page.count("/") + 2)
    own = "fr" if other == "en" else "en"
    label = ui_strings()[own]["other_lang_link"]
    # target="_self": the theme's script would otherwise send the click to the other
    # language's home page (it looks pages up in a sitemap that needs a site_url).
    return (
        f'<p class="cd-lang-switch"><a href="{depth}{other}/{_page_url(page)}" target="_self" '
        f'hreflang="{other}" lang="{other}">{escape(label)}</a></p>'
    )


def _with_lang_switch(text: str, page: str, other: str) -> str:
    """Insert the link to the same page in the other language right after the title."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i + 1 : i + 1] = ["", _switch_html(page, other)]
            break
    return "\n".join(lines)


def _frame_md() -> str:
    return f"---\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n# {TITLE_SLOT}\n\n{BODY_SLOT}\n"


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)
