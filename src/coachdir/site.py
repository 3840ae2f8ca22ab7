"""Build the site: validate -> render build/ -> mkdocs (one build per language) -> site/.

MkDocs themes the few Markdown pages; the directory list and the coach pages are filled into
the built frame pages afterwards, so a programme of 10,000 coaches costs MkDocs no extra page.
The new site is assembled beside the old one and swapped in at the end: a failure at any step
leaves the previous site/ untouched.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coachdir.model import LANGS, Coach, build_coaches
from coachdir.problems import CoachdirError, Problem
from coachdir.render import (
    BODY_SLOT,
    FRAME,
    LIST_SLOT,
    SITE_NAME_SLOT,
    TITLE_SLOT,
    Renderer,
    html_text,
    ui_strings,
)
from coachdir.validate import validate


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    coaches: int
    warnings: list[Problem]


def build_site(
    root: Path,
    *,
    build_dir: Path | None = None,
    site_dir: Path | None = None,
    today: date | None = None,
) -> BuildResult:
    """Validate, render and build. Raises CoachdirError before writing anything if invalid."""
    root = root.resolve()
    build_dir = (build_dir or root / "build").resolve()
    site_dir = (site_dir or root / "site").resolve()
    today = today or date.today()
    report = validate(root, today=today, full=True)
    if not report.ok or report.programme is None:
        raise CoachdirError(report.problems)
    coaches = build_coaches(report.profiles, report.programme, today.isoformat())
    Renderer(root, report.programme, coaches).render(build_dir)
    staging = build_dir / "site"
    _run_mkdocs(build_dir)
    for lang in LANGS:
        _fill_site_name(staging / lang, report.programme.name(lang))
        _fill_frames(build_dir, staging / lang, lang, coaches)
        # MkDocs writes root-relative links in 404.html, which break under /fr/ and /en/.
        (staging / lang / "404.html").unlink(missing_ok=True)
    _write_root_index(staging, report.programme.name("fr"), report.programme.name("en"))
    _write_not_found(staging, str(report.programme.raw.get("site_url", "/")))
    _swap(staging, site_dir)
    warnings = [p for p in report.problems if p.severity == "warning"]
    return BuildResult(site_dir, len(coaches), warnings)


def _run_mkdocs(build_dir: Path) -> None:
    def one(lang: str) -> subprocess.CompletedProcess[str]:
        config = build_dir / f"mkdocs.{lang}.yml"
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-f", str(config)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )

    with ThreadPoolExecutor(len(LANGS)) as pool:
        results = list(pool.map(one, LANGS))
    problems = []
    for lang, result in zip(LANGS, results, strict=True):
        if result.returncode != 0:
            detail = " ".join((result.stderr or result.stdout).split())[-1500:]
            problems.append(
                Problem(
                    f"build/mkdocs.{lang}.yml",
                    1,
                    1,
                    f"mkdocs build failed: {detail}",
                    "build.mkdocs",
                    "Check links between content pages (mkdocs runs in strict mode).",
                )
            )
    if problems:
        raise CoachdirError(problems)


def _slot_parts(page: str, slot: str, where: Path) -> tuple[str, str]:
    if page.count(slot) != 1:
        raise CoachdirError(
            [
                Problem(
                    str(where),
                    1,
                    1,
                    "the built page lacks its fill-in slot",
                    "build.slot",
                    "Do not edit build/; run coachdir build.",
                )
            ]
        )
    before, after = page.split(slot)
    return before, after


def _fill_site_name(site: Path, name: str) -> None:
    """Put the escaped programme name where the theme wrote ``config.site_name`` (unescaped).

    Runs before the coach pages are filled in, so no coach's text is ever taken for the slot.
    """
    text = html_text(name).replace(TITLE_SLOT, TITLE_SLOT.replace("-", "&#45;", 1))
    for page in site.rglob("*.html"):
        content = page.read_text(encoding="utf-8")
        if SITE_NAME_SLOT in content:
            page.write_text(content.replace(SITE_NAME_SLOT, text), encoding="utf-8")


def _fill_frames(build_dir: Path, site: Path, lang: str, coaches: list[Coach]) -> None:
    fragments = build_dir / "fragments" / lang
    directory = site / "directory" / "index.html"
    before, after = _slot_parts(directory.read_text(encoding="utf-8"), LIST_SLOT, directory)
    listing = (fragments / "directory.html").read_text(encoding="utf-8")
    directory.write_text(before + listing + after, encoding="utf-8")

    frame_dir = site / FRAME.removesuffix(".md")
    frame = (frame_dir / "index.html").read_text(encoding="utf-8")
    head, tail = _slot_parts(frame, BODY_SLOT, frame_dir)
    for coach in coaches:
        name = html.escape(coach.name, quote=True)
        body = (fragments / "coaches" / f"{coach.id}.html").read_text(encoding="utf-8")
        out = site / "coaches" / coach.id
        out.mkdir(parents=True, exist_ok=True)
        # The title goes into the frame only: text in the coach's own fields stays as written.
        page = head.replace(TITLE_SLOT, name) + body + tail.replace(TITLE_SLOT, name)
        (out / "index.html").write_text(page, encoding="utf-8")
    shutil.rmtree(frame_dir)


def _standalone_page(title: str, body: str, head: str = "") -> str:
    """A small bilingual page outside the theme (root index, 404): no external resource."""
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}<title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;
line-height:1.5;color:#1a1a1a}}a{{color:#303f9f}}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _write_root_index(site: Path, name_fr: str, name_en: str) -> None:
    fr, en = ui_strings()["fr"], ui_strings()["en"]
    body = f"""<h1>{html.escape(name_fr)}</h1>
<p>{html.escape(fr["choose_language"])} /
<span lang="en">{html.escape(en["choose_language"])}</span></p>
<ul>
<li><a href="fr/" hreflang="fr">Français</a></li>
<li><a href="en/" hreflang="en" lang="en">English — {html.escape(name_en)}</a></li>
</ul>"""
    head = '<meta http-equiv="refresh" content="0; url=fr/">\n'
    (site / "index.html").write_text(_standalone_page(name_fr, body, head), encoding="utf-8")


def _write_not_found(site: Path, site_url: str) -> None:
    """A bilingual 404 page that needs nothing else (it is served at any missing address)."""
    from urllib.parse import urlsplit

    base = html.escape(urlsplit(site_url).path or "/", quote=True)
    fr, en = ui_strings()["fr"], ui_strings()["en"]
    body = f"""<h1>Page introuvable <span lang="en">/ Page not found</span></h1>
<p>Cette page n'existe pas ou a été déplacée.
<span lang="en">This page does not exist or has moved.</span></p>
<ul>
<li><a href="{base}fr/">{html.escape(fr["nav_home"])}</a> —
<a href="{base}fr/directory/">{html.escape(fr["nav_directory"])}</a></li>
<li lang="en"><a href="{base}en/">{html.escape(en["nav_home"])}</a> —
<a href="{base}en/directory/">{html.escape(en["nav_directory"])}</a></li>
</ul>"""
    page = _standalone_page("Page introuvable / Page not found", body)
    (site / "404.html").write_text(page, encoding="utf-8")


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, so there is never a half-written site."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    shutil.move(str(staging), str(site_dir))
    if old.exists():
        shutil.rmtree(old)
