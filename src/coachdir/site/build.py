"""Build the site: validate -> render -> mkdocs (one build per language) -> site/.

MkDocs themes the few Markdown pages; the directory list and the coach pages are filled into
the built frame pages afterwards, so a programme of 10,000 coaches costs MkDocs no extra page.
The new site is assembled in a working folder of its own, created for this run beside the
target (so on the same filesystem), and swapped in with renames at the end: a failure or an
interruption at any step leaves the previous site whole. The target is refused when it is, holds
or lies inside the programme's own files, or when it holds files that no coachdir build wrote.
"""

from __future__ import annotations

import fcntl
import html
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coachdir.calendar import commit_time, group_calendar
from coachdir.model.coach import LANGS, Coach, build_coaches
from coachdir.problems import CoachdirError, Problem, UsageError
from coachdir.site.availability import Availability, places_by_coach, read_availability
from coachdir.site.indicators import Release, read_indicators, split_releases
from coachdir.site.indicators_page import csv_name, page_html, release_page_html
from coachdir.site.offerings_pages import OFFERINGS_SLOT, OfferingsPages, read_fragments
from coachdir.site.render import (
    BODY_SLOT,
    FRAME,
    INDICATORS_SLOT,
    LIST_SLOT,
    SITE_NAME_SLOT,
    TITLE_SLOT,
    Renderer,
    format_date,
    html_text,
    ui_strings,
)
from coachdir.validation.engine import Report, validate

#: written into every site coachdir builds; only a folder carrying it may be replaced
MARKER = ".coachdir-site"
MARKER_TEXT = "This folder was written by coachdir build; the next build replaces it whole.\n"
#: folders of the programme that a site may never be written into
PROTECTED = ("coaches", "content", "schemas", ".github", "records", ".git", "indicators")
WORK_PREFIX = ".coachdir-build-"
#: in each working folder, so that only folders coachdir made are ever cleaned up
WORK_MARKER = ".coachdir-work"


class SiteDirError(UsageError):
    """The site folder asked for cannot be written without harming other files (a usage error)."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    coaches: int
    warnings: list[Problem]


def build_site(
    root: Path,
    *,
    site_dir: Path | None = None,
    today: date | None = None,
) -> BuildResult:
    """Validate, render and build. Raises CoachdirError before writing anything if invalid,
    SiteDirError if ``site_dir`` is not a folder a build may replace."""
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    today = today or date.today()
    check_site_dir(root, site_dir)
    report = validate(root, today=today, full=True)
    content_problems = _check_content_files(root) + _check_theme_config(root)
    if not report.ok or report.programme is None or content_problems:
        raise CoachdirError(report.problems + content_problems)
    coaches = build_coaches(report.profiles, report.programme, today.isoformat())
    found = report.offerings
    group_ids = {g.id for g in found.groups} if found is not None else set()
    availability = read_availability(root, {c.id for c in coaches}, group_ids)
    places = places_by_coach(availability, ui_strings())
    stale = availability is not None and availability.stale(
        today, report.programme.availability_max_age_days
    )
    places_updated = availability.computed if availability is not None and stale else None
    releases = read_indicators(root)
    shown, earlier = split_releases(releases)
    offerings = offerings_pages(report, coaches, availability)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _interrupts_held():
        work, work_fd = _make_work(site_dir.parent)
    try:
        _remove_stale_work(site_dir.parent)
        build_dir = work / "build"
        Renderer(
            root,
            report.programme,
            coaches,
            places,
            places_updated,
            bool(releases),
            [r.release for r in earlier],
            offerings,
        ).render(build_dir)
        staging = build_dir / "site"
        _run_mkdocs(build_dir)
        for lang in LANGS:
            _fill_site_name(staging / lang, report.programme.name(lang))
            _fill_frames(build_dir, staging / lang, lang, coaches)
            _write_calendars(root, staging / lang, lang, offerings)
            if releases:
                _fill_indicators(staging / lang, lang, shown, earlier)
            # MkDocs writes root-relative links in 404.html, which break under /fr/ and /en/.
            (staging / lang / "404.html").unlink(missing_ok=True)
        _write_root_index(staging, report.programme.name("fr"), report.programme.name("en"))
        _write_not_found(
            staging, report.programme.site_url if report.programme.site_url is not None else "/"
        )
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap(root, staging, site_dir, work / "old")
    finally:
        with _interrupts_held():  # a Ctrl-C now must not leave half of the working folder
            shutil.rmtree(work, ignore_errors=True)
            os.close(work_fd)
    warnings = [p for p in report.problems if p.severity == "warning"]
    return BuildResult(site_dir, len(coaches), warnings)


def _make_work(parent: Path) -> tuple[Path, int]:
    """A new working folder in ``parent``, marked as coachdir's and locked (the lock lasts as
    long as this process, even through a kill, so a later build knows whether it is in use)."""
    try:
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=parent))
    except OSError as exc:
        reason = f"cannot create the build's working folder here ({exc.strerror})"
        raise OSError(exc.errno, reason, str(parent)) from None
    try:
        fd = os.open(work, os.O_RDONLY)
    except OSError:
        work.rmdir()
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        (work / WORK_MARKER).write_text("coachdir build working folder\n", encoding="utf-8")
    except OSError:
        os.close(fd)
        shutil.rmtree(work, ignore_errors=True)
        raise
    return work, fd


def check_site_dir(root: Path, site_dir: Path) -> None:
    """Refuse a site folder whose replacement would delete or hide what coachdir did not write.

    Both paths are resolved. Raises SiteDirError with what is wrong and what to do instead.
    """
    if root == site_dir or root.is_relative_to(site_dir):
        raise SiteDirError(
            f"{site_dir} is the programme folder or contains it; building the site there would "
            "replace the programme's files. Choose a new or empty folder, such as the default "
            f"{root / 'site'}."
        )
    for name in PROTECTED:
        if site_dir.is_relative_to((root / name).resolve()):
            raise SiteDirError(
                f"{site_dir} is in the programme's {name}/ folder, which holds your files. "
                f"Choose a folder outside {name}/, such as the default {root / 'site'}."
            )
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteDirError(f"{site_dir} exists and is not a folder; choose another --site-dir.")
    if site_dir.is_dir() and os.path.ismount(site_dir):
        raise SiteDirError(
            f"{site_dir} is a mount point, which cannot be replaced by a rename; "
            "choose a folder inside it."
        )
    if site_dir.is_dir() and not (site_dir / MARKER).is_file() and any(site_dir.iterdir()):
        raise SiteDirError(
            f"{site_dir} is not empty and was not written by coachdir build (it has no {MARKER} "
            "file), so building there would delete its files. Choose a new or empty folder, "
            "or move its files away first."
        )


def _check_content_files(root: Path) -> list[Problem]:
    """Everything in content/ is a real folder or a regular file: a link could publish any file
    of the machine, and a pipe or device would hang the build."""
    problems: list[Problem] = []
    folder = root / "content"
    if folder.is_symlink():
        return [_not_regular("content", "a symbolic link")]
    if not folder.is_dir():
        return []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
                continue
            what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
            problems.append(_not_regular(path.relative_to(root).as_posix(), what))
    return problems


def _check_theme_config(root: Path) -> list[Problem]:
    """Every language's MkDocs configuration inherits mkdocs.yml: without it, say so (MkDocs
    itself would fail with a message about something else)."""
    if (root / "mkdocs.yml").is_file():
        return []
    return [
        Problem(
            "mkdocs.yml",
            1,
            1,
            "the theme configuration mkdocs.yml is missing from the programme folder",
            "build.no-theme-config",
            "Run coachdir init, or copy mkdocs.yml from the sample programme.",
        )
    ]


def _not_regular(rel: str, what: str) -> Problem:
    return Problem(
        rel,
        1,
        1,
        f"this is {what}; everything in content/ must be a regular file or folder",
        "file.not-regular",
        "Replace it with a copy of the page itself, kept in the repository.",
    )


def _run_mkdocs(build_dir: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-f"]
    processes = [
        subprocess.Popen(
            [*command, str(build_dir / f"mkdocs.{lang}.yml")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for lang in LANGS
    ]
    try:
        outputs = [process.communicate() for process in processes]
    except BaseException:  # Ctrl-C: stop them before the working folder is removed
        for process in processes:
            process.kill()
        for process in processes:
            process.communicate()
        raise
    results = [
        subprocess.CompletedProcess(process.args, process.returncode, out, err)
        for process, (out, err) in zip(processes, outputs, strict=True)
    ]
    problems = []
    for lang, result in zip(LANGS, results, strict=True):
        if result.returncode != 0:
            detail = " ".join((result.stderr or result.stdout).split())[-1500:]
            problems.append(
                Problem(
                    "mkdocs.yml",
                    1,
                    1,
                    f"mkdocs build failed ({lang}): {detail}",
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


def offerings_pages(
    report: Report, coaches: list[Coach], availability: Availability | None
) -> OfferingsPages:
    """The groups and immersion pages of the validated programme; a group's places left come
    from availability.json (``groups``) when it is published."""
    found = report.offerings
    if report.programme is None:  # build_site refused an invalid programme before this
        raise CoachdirError(report.problems)
    places = availability.groups if availability is not None else None
    return OfferingsPages(
        report.programme,
        found.groups if found is not None else [],
        found.immersions if found is not None else [],
        {c.id: c.name for c in coaches},
        {gid: p.free for gid, p in places.items()} if places else None,
        calendars=True,
    )


def _write_calendars(root: Path, site: Path, lang: str, offerings: OfferingsPages) -> None:
    """Each group's schedule as ``groups/<id>.<lang>.ics`` (its page links it): one event per
    session with a stable UID, stamped with the time of the programme's last commit so that
    two builds of one commit give the same bytes."""
    if not offerings.groups:
        return
    stamp = commit_time(root)
    for group in offerings.groups:
        target = site / "groups" / f"{group.id}.{lang}.ics"
        target.write_bytes(group_calendar(group, stamp, lang))


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
    entries, lists = read_fragments(fragments)
    for entry in entries:
        title = html.escape(entry.title, quote=True)
        out = site / entry.folder
        out.mkdir(parents=True, exist_ok=True)
        page = head.replace(TITLE_SLOT, title) + entry.body + tail.replace(TITLE_SLOT, title)
        (out / "index.html").write_text(page, encoding="utf-8")
    for md, body in lists.items():
        listing_page = site / md.removesuffix(".md") / "index.html"
        before, after = _slot_parts(
            listing_page.read_text(encoding="utf-8"), OFFERINGS_SLOT, listing_page
        )
        listing_page.write_text(before + body + after, encoding="utf-8")
    shutil.rmtree(frame_dir)


def _fill_indicators(site: Path, lang: str, shown: list[Release], earlier: list[Release]) -> None:
    """The indicators pages' bodies, after the site name (no figure's label can spell a slot),
    and each release's CSV beside the main page, written from the file the page shows."""
    t = ui_strings()[lang]
    folder = site / "indicators"

    def fill(page: Path, body: str) -> None:
        before, after = _slot_parts(page.read_text(encoding="utf-8"), INDICATORS_SLOT, page)
        page.write_text(before + body + after, encoding="utf-8")

    def day(text: str) -> str:
        return format_date(text, lang)

    fill(folder / "index.html", page_html(shown, earlier, lang, t, day))
    for release in earlier:
        fill(folder / release.release / "index.html", release_page_html(release, lang, t, day))
    for release in shown + earlier:
        (folder / csv_name(release)).write_text(release.csv, encoding="utf-8", newline="\n")


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


def _swap(root: Path, staging: Path, site_dir: Path, old: Path) -> None:
    """Replace site_dir by staging with renames only, under a lock on the folder that holds them
    (two builds never swap at once), with Ctrl-C held back between the two renames: at every
    moment site_dir is either the old site or the new one, whole."""
    with _folder_lock(site_dir.parent):
        check_site_dir(root, site_dir)  # again: something may have changed while we built
        with _interrupts_held():
            moved = site_dir.is_dir() and (site_dir / MARKER).is_file()
            if moved:
                site_dir.rename(old)
            try:
                # Onto a missing or empty folder, a rename replaces it in one step.
                staging.rename(site_dir)
            except BaseException:
                if moved:
                    old.rename(site_dir)
                raise


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder (flock on the folder itself: no lock file to leave)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _remove_stale_work(parent: Path) -> None:
    """Remove the working folders that killed builds left in ``parent``: only folders named
    and marked as coachdir's, and only when no running build holds them."""
    with _folder_lock(parent):
        for work in parent.glob(WORK_PREFIX + "*"):
            marker = work / WORK_MARKER
            if work.is_symlink() or not marker.is_file():
                continue
            fd = os.open(work, os.O_RDONLY)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a build is running in it
                shutil.rmtree(work, ignore_errors=True)
            finally:
                os.close(fd)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM until the block has run, then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        pending.append(signum)

    previous = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(pending):
            signal.raise_signal(signum)
