"""The tripartite contract of one engagement (``coachdir contract``): a printable,
self-contained HTML page (print CSS, no request to any host) in the engagement's language, and
its PDF through headless Chromium when one is installed.

The page shows codes and roles only (the client code, the sponsor's unit, the coach id); the
names, the objectives and the signatures are blank lines filled in by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from coachdir.problems import InvalidInput
from coachdir.programme import Programme
from coachdir.records.model import Engagement

#: the languages the contract has a text in
LANGUAGES = ("fr", "en")
#: where Chromium is looked for when COACHDIR_CHROMIUM is not set
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: flags that keep headless Chromium from contacting its own services
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class ChromiumMissing(InvalidInput):
    """No Chromium to print the PDF with."""

    def __init__(self) -> None:
        super().__init__("Chromium not found; open the HTML file and print it.")


class PrintFailed(InvalidInput):
    """Chromium ran but wrote no PDF."""

    def __init__(self) -> None:
        super().__init__("Chromium did not write the PDF; open the HTML file and print it.")


def contract_language(engagement: Engagement) -> str | None:
    """``fr`` for French (``fr``, ``fr-CA``...), ``en`` for English, None otherwise."""
    base = engagement.language.split("-", 1)[0]
    return base if base in LANGUAGES else None


def charter_in_force(programme: Programme, day: str) -> str:
    """The charter version in force on ``day`` (``charter.dates``); the current version when
    no dated version had come into force by then."""
    in_force = [(d, v) for v, d in programme.charter_dates.items() if d <= day]
    return max(in_force)[1] if in_force else programme.charter_current


def contract_day(engagement: Engagement) -> str:
    """The engagement's date for the contract: its acceptance, else its request."""
    return engagement.date_of("accepted") or engagement.history[0].date


@dataclass(frozen=True)
class Sponsor:
    """The sponsor: the manager of ``unit`` (None: the head of the organisation)."""

    unit: str | None


def sponsor_of(engagement: Engagement) -> Sponsor:
    """The client's line manager's level: the manager of the client's unit, or, when the
    client manages that unit (always for a team engagement), of the unit above it."""
    segments = engagement.unit.split("/")
    if engagement.manages_unit or engagement.kind == "team":
        segments = segments[:-1]
    return Sponsor("/".join(segments) if segments else None)


def intro_date(engagement: Engagement) -> str | None:
    """The day of the held intro conversation, if there was one."""
    held = sorted(s.date for s in engagement.sessions if s.kind == "intro" and s.status == "held")
    return held[0] if held else None


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("coachdir.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def contract_context(engagement: Engagement, programme: Programme, lang: str) -> dict[str, Any]:
    """What the template needs; every value is a code, a number, a date or a setting."""
    plan = programme.session_plan
    sponsor = sponsor_of(engagement)
    site_url = programme.site_url
    return {
        "lang": lang,
        "id": engagement.id,
        "programme": programme.name(lang),
        "organisation": programme.organisation(lang),
        "client": engagement.client,
        "team": engagement.kind == "team",
        "unit": engagement.unit,
        "sponsor_unit": sponsor.unit,
        "coach": engagement.coach or "",
        "offer": programme.term("offers", engagement.offer).label(lang),
        "intro_minutes": int(plan["intro_minutes"]),
        "sessions": int(plan["sessions"]),
        "session_minutes": int(plan["session_minutes"]),
        "frequency": str(plan["frequency"][lang]),
        "intro_date": intro_date(engagement),
        "charter_version": charter_in_force(programme, contract_day(engagement)),
        "charter_url": f"{site_url}{lang}/charter/" if site_url else None,
    }


def contract_html(engagement: Engagement, programme: Programme, lang: str) -> str:
    """The contract page in ``lang`` (``fr`` or ``en``)."""
    template = _environment().get_template(f"contract.{lang}.html.j2")
    return template.render(**contract_context(engagement, programme, lang))


def chromium() -> str:
    """The Chromium to print with: $COACHDIR_CHROMIUM, else /usr/bin/chromium."""
    candidate = os.environ.get("COACHDIR_CHROMIUM") or DEFAULT_CHROMIUM
    found = shutil.which(candidate)
    if found is None:
        raise ChromiumMissing()
    return found


def print_pdf(html_file: Path, pdf_file: Path, *, timeout: float = 120) -> None:
    """Print ``html_file`` to ``pdf_file`` with headless Chromium (its own throwaway profile
    folder, no network services)."""
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="coachdir-chromium-") as profile:
        partial = pdf_file.with_name(f".{pdf_file.name}.partial")
        command = [
            browser,
            *_CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={partial}",
            html_file.resolve().as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise PrintFailed() from None
        if not partial.is_file() or not partial.read_bytes().startswith(b"%PDF"):
            partial.unlink(missing_ok=True)
            raise PrintFailed()
        os.replace(partial, pdf_file)
