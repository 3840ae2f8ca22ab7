"""The pages of the groups and the immersion offers (issue 15): a list page for each kind, in
the navigation when the programme has entries of it, and one page per entry.

Everything shown comes from the validated ``groups/`` and ``immersions/`` files and the
programme's vocabularies; the places left of a group come from ``availability.json`` (the
records' only per-entry output), never from the records themselves. The list pages are MkDocs
pages whose body slot the build fills in; the entry pages are filled into the frame page as the
coach pages are, so their titles never go through Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2

from coachdir.github.groupforms import GROUP_FIELD, GROUP_JOIN_FORM, group_join_form
from coachdir.github.prefill import mail_body
from coachdir.offerings.groups import Group
from coachdir.offerings.immersions import ImmersionOffer
from coachdir.programme import Programme
from coachdir.site.text import mailto_url, url_text

Strings = dict[str, str]
#: the list pages: (Markdown page, UI string of its title and nav entry)
GROUPS_PAGE = ("groups.md", "nav_groups")
IMMERSIONS_PAGE = ("immersions.md", "nav_immersions")
#: where the build fills in a list page's body
OFFERINGS_SLOT = '<div class="coachdir-slot" data-slot="offerings"></div>'
#: under ``fragments/<lang>/``: the list bodies (``lists/<page>.html``), the entry bodies
#: (``entries/<folder>.html``) and their index (folder and title of each, in order)
LISTS_DIR = "lists"
ENTRIES_DIR = "entries"
ENTRIES_INDEX = "entries.json"
#: a group may take requests only in these states, and never when its members are assigned
REQUESTABLE = frozenset({"open"})


@dataclass(frozen=True)
class Page:
    """One entry page: its folder under the language's site (``groups/<id>``), its title as
    text (escaped where it lands) and its body in HTML."""

    folder: str
    title: str
    body: str


@cache
def _templates() -> Any:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("coachdir.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("offerings.html.j2").module


def _label(programme: Programme, vocabulary: str, term_id: str, lang: str) -> str:
    return programme.term(vocabulary, term_id).label(lang)


def _labels(programme: Programme, vocabulary: str, ids: Sequence[str], lang: str) -> str:
    return ", ".join(_label(programme, vocabulary, i, lang) for i in ids)


def join_url(programme: Programme, group: str, lang: str, subject: str) -> str:
    """Where "ask to join this group" leads: the records repository's join form prefilled with
    the group id, or an e-mail to the team whose body is that form's, in the form-body format
    record intake reads."""
    target = programme.request_target
    if target["kind"] == "issue-form":
        query = urlencode({"template": f"{GROUP_JOIN_FORM}.yml", GROUP_FIELD: group})
        return f"{url_text(target['url'])}?{query}"
    body = mail_body(group_join_form(programme), {GROUP_FIELD: group})
    return mailto_url(target["email"], subject, body)


class OfferingsPages:
    """The views and HTML of the groups and immersion pages of one programme."""

    def __init__(
        self,
        programme: Programme,
        groups: Sequence[Group],
        immersions: Sequence[ImmersionOffer],
        coach_names: Mapping[str, str],
        group_places: Mapping[str, int] | None = None,
        calendars: bool = False,
    ) -> None:
        self.programme = programme
        #: a staged group is not shown yet (groups/<id>.yml ``status``)
        shown = [g for g in groups if g.status != "staged"]
        self.groups = sorted(shown, key=lambda g: (g.sessions[0].date if g.sessions else "", g.id))
        self.immersions = sorted(immersions, key=lambda i: i.id)
        self.coach_names = dict(coach_names)
        #: group id -> places left (availability.json), when published
        self.group_places = dict(group_places or {})
        #: whether each group's page links its ``<id>.ics`` calendar
        self.calendars = calendars

    def nav(self) -> list[tuple[str, str]]:
        """The list pages the navigation shows: only those with entries."""
        out = []
        if self.groups:
            out.append(GROUPS_PAGE)
        if self.immersions:
            out.append(IMMERSIONS_PAGE)
        return out

    # -- groups --------------------------------------------------------------------------

    def _group_view(self, g: Group, lang: str, t: Strings, date: Callable[[str], str]) -> Any:
        p = self.programme
        scheme = _label(p, "offers", g.scheme, lang)
        languages = _labels(p, "languages", g.languages, lang)
        modality = _label(p, "modalities", g.modality, lang)
        places = (
            t["group_places_value"]
            .replace("{min}", str(g.places_min))
            .replace("{max}", str(g.places_max))
        )
        status_badge = "accepting" if g.status == "open" else "paused"
        left = self.group_places.get(g.id)
        left_row = []
        if left is not None:
            value = t["group_places_left_value"].replace("{free}", str(left))
            left_row = [(t["group_places_left"], value.replace("{max}", str(g.places_max)), "")]
        first = [(t["group_first_session"], date(g.sessions[0].date), "")] if g.sessions else []
        card = [
            (t["group_audience"], g.audience[lang], ""),
            (t["languages"], languages, ""),
            (t["group_places"], places, ""),
            *left_row,
            *first,
            (t["group_status"], t[f"status_{g.status}"], status_badge),
        ]
        names = ", ".join(self.coach_names.get(f, f) for f in g.facilitators)
        page = [
            (t["group_scheme"], scheme, ""),
            (t["group_audience"], g.audience[lang], ""),
            (t["group_facilitators"], names, ""),
            (t["languages"], languages, ""),
            (t["group_modality"], modality, ""),
            (t["group_location"], g.location, ""),
            (t["group_places"], places, ""),
            *left_row,
            (t["group_join"], t[f"join_{g.join}"], ""),
            (t["group_status"], t[f"status_{g.status}"], status_badge),
        ]
        sessions = []
        for s in g.sessions:
            end = s.ends(g.tz).strftime("%H:%M")
            when = t["group_time_value"].replace("{start}", s.start).replace("{end}", end)
            sessions.append({"date": date(s.date), "time": when})
        requestable = g.status in REQUESTABLE and g.join != "assigned" and left != 0
        other = "en" if lang == "fr" else "fr"
        return {
            "kind": "group",
            "id": g.id,
            "title": g.title[lang],
            "url": f"{g.id}/",
            "meta": f"{scheme} · {modality} · {g.location}",
            "card_facts": card,
            "page_facts": page,
            "sessions": sessions,
            "caption": t["group_sessions_caption"].replace("{tz}", g.timezone),
            "contract": g.contract[lang] if g.contract else None,
            "request_url": join_url(self.programme, g.id, lang, t["group_mail_subject"])
            if requestable
            else None,
            "no_request": t["group_assigned_note"]
            if g.join == "assigned"
            else t["group_no_request"],
            "calendar_url": f"../{g.id}.{lang}.ics" if self.calendars else None,
            "other": other,
            "other_url": f"../../../{other}/groups/{g.id}/",
        }

    # -- immersions ----------------------------------------------------------------------

    def _immersion_view(
        self, i: ImmersionOffer, lang: str, t: Strings, date: Callable[[str], str]
    ) -> Any:
        p = self.programme
        days = (
            t["immersion_days_value"]
            .replace("{min}", str(i.days_min))
            .replace("{max}", str(i.days_max))
        )
        status = t[f"immersion_status_{i.status}"]
        badge = "accepting" if i.status == "open" else "paused"
        languages = _labels(p, "languages", i.languages, lang)
        periods = [
            t["immersion_period_value"]
            .replace("{from}", date(x.start))
            .replace("{to}", date(x.end))
            for x in i.periods
        ]
        other = "en" if lang == "fr" else "fr"
        # {id} first: an offer's own text never goes through a replacement
        how = (
            t["immersion_how_text"].replace("{id}", i.id).replace("{contact}", i.contact_role[lang])
        )
        return {
            "kind": "immersion",
            "id": i.id,
            "title": i.title[lang],
            "url": f"{i.id}/",
            "meta": f"{i.host[lang]} · {i.location}",
            "card_facts": [
                (t["immersion_unit"], i.unit[lang], ""),
                (t["immersion_days"], days, ""),
                (t["languages"], languages, ""),
                (t["group_status"], status, badge),
            ],
            "page_facts": [
                (t["immersion_host"], i.host[lang], ""),
                (t["immersion_unit"], i.unit[lang], ""),
                (t["group_location"], i.location, ""),
                (t["immersion_days"], days, ""),
                (t["languages"], languages, ""),
                (t["immersion_contact"], i.contact_role[lang], ""),
                (t["group_status"], status, badge),
            ],
            "functions": [f[lang] for f in i.functions],
            "periods": periods,
            "how": how,
            "other": other,
            "other_url": f"../../../{other}/immersions/{i.id}/",
        }

    # -- output --------------------------------------------------------------------------

    def list_bodies(self, lang: str, t: Strings, date: Callable[[str], str]) -> dict[str, str]:
        """Markdown page -> the HTML body of its list."""
        m = _templates()
        out = {}
        if self.groups:
            views = [self._group_view(g, lang, t, date) for g in self.groups]
            out[GROUPS_PAGE[0]] = str(
                m.listing(t["groups_intro"], t["groups_heading"], t["groups_none"], views)
            )
        if self.immersions:
            views = [self._immersion_view(i, lang, t, date) for i in self.immersions]
            out[IMMERSIONS_PAGE[0]] = str(
                m.listing(
                    t["immersions_intro"],
                    t["immersions_heading"],
                    t["immersions_none"],
                    views,
                    t["immersions_source"],
                )
            )
        return out

    def entry_pages(self, lang: str, t: Strings, date: Callable[[str], str]) -> list[Page]:
        m = _templates()
        pages = [
            Page(f"groups/{g.id}", g.title[lang], str(m.group_page(v, t)))
            for g in self.groups
            for v in (self._group_view(g, lang, t, date),)
        ]
        pages += [
            Page(f"immersions/{i.id}", i.title[lang], str(m.immersion_page(v, t)))
            for i in self.immersions
            for v in (self._immersion_view(i, lang, t, date),)
        ]
        return pages

    def write_fragments(
        self, fragments: Path, lang: str, t: Strings, date: Callable[[str], str]
    ) -> None:
        """Write the list and entry bodies of ``lang`` under ``fragments`` (see LISTS_DIR)."""
        for md, body in self.list_bodies(lang, t, date).items():
            target = fragments / LISTS_DIR / md.replace(".md", ".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        index = []
        for entry in self.entry_pages(lang, t, date):
            target = fragments / ENTRIES_DIR / f"{entry.folder}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(entry.body, encoding="utf-8")
            index.append({"folder": entry.folder, "title": entry.title})
        (fragments / ENTRIES_INDEX).write_text(
            json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def read_fragments(fragments: Path) -> tuple[list[Page], dict[str, str]]:
    """What :meth:`OfferingsPages.write_fragments` wrote: the entry pages, and the list bodies
    by Markdown page (none when the programme has no groups nor immersion offers)."""
    index = fragments / ENTRIES_INDEX
    if not index.is_file():
        return [], {}
    pages = [
        Page(
            item["folder"],
            item["title"],
            (fragments / ENTRIES_DIR / f"{item['folder']}.html").read_text(encoding="utf-8"),
        )
        for item in json.loads(index.read_text(encoding="utf-8"))
    ]
    lists = {
        f"{path.stem}.md": path.read_text(encoding="utf-8")
        for path in sorted((fragments / LISTS_DIR).glob("*.html"))
    }
    return pages, lists
