"""The layout of a programme's two repositories and their roles, described once, as data.

A programme has a **directory repository** (profiles, pages, settings: what the public site
is built from, and the coach forms) and a private **records repository** (coaching requests,
engagements, supervision, and the record forms). ``discover`` (validation), ``pr-check``,
``codeowners`` and ``forms`` read this description; a root tells its role by its marker file
(:func:`role_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coachdir.text import ID_PATTERN

__all__ = [
    "COACHES_DIR",
    "DIRECTORY",
    "LAYOUTS",
    "NOT_PROFILES",
    "PHOTO",
    "PHOTOS_DIR",
    "PROFILE",
    "RECORDS",
    "SITE_SOURCES",
    "Area",
    "Layout",
    "layout_for",
    "role_of",
    "site_sources_text",
]

#: an id, as in ``coaches/<id>.yml``: lower-case ASCII letters and digits joined by ``-``
_ID = ID_PATTERN.pattern
_PLACEHOLDERS = {"<id>": f"({_ID})", "<lang>": r"[^/]+", "*": r"[^/]+"}
_PLACEHOLDER = re.compile(r"<id>|<lang>|\*|\(([a-z|]+)\)")

SITE_SOURCES = (
    "coaches/",
    "groups/",
    "immersions/",
    "content/",
    "schemas/",
    "programme.yml",
    "mkdocs.yml",
    "availability.json",
    "indicators/",
)
"""What a site is built from, in the root (folders end in ``/``): ``serve`` rebuilds when one
changes; its ``--help`` and the README list them from here."""


def site_sources_text(code: bool = False) -> str:
    """The site's sources as a list in words: ``coaches/, …, availability.json or indicators/``
    (each in backticks with ``code``, as the README writes them)."""
    names = [f"`{name}`" if code else name for name in SITE_SOURCES]
    return ", ".join(names[:-1]) + " or " + names[-1]


COACHES_DIR = "coaches"
"""The folder of the profiles (``coaches/<id>.yml``)."""
PHOTOS_DIR = "photos"
"""The folder of the photos, inside :data:`COACHES_DIR`."""
NOT_PROFILES = frozenset({"README.md", ".gitkeep"})
"""Files that may sit in :data:`COACHES_DIR` without being profiles."""


@lru_cache(maxsize=64)
def _regex(path: str) -> re.Pattern[str]:
    """``content/<lang>/*.md`` as a regular expression of whole repository paths."""
    out: list[str] = []
    end = 0
    for match in _PLACEHOLDER.finditer(path):
        out.append(re.escape(path[end : match.start()]))
        choices = match.group(1)
        out.append(f"(?:{choices})" if choices else _PLACEHOLDERS[match.group()])
        end = match.end()
    out.append(re.escape(path[end:]))
    return re.compile("".join(out))


@dataclass(frozen=True)
class Area:
    """One path of a repository (a file, a family of files, or a folder ending in ``/``).

    ``review`` is the pr-check reason (id, text) a change there needs the team for;
    ``self_service`` marks a coach's own files (the profile, the photo), judged by their
    owner; anything else is the team's ("other-path"). ``owners`` is the comment of its
    explicit line in the generated CODEOWNERS (None: not listed there).
    """

    path: str
    holds: str
    review: tuple[str, str] | None = None
    self_service: bool = False
    owners: str | None = None

    @property
    def folder(self) -> bool:
        return self.path.endswith("/")

    @property
    def codeowners_pattern(self) -> str:
        """The CODEOWNERS pattern: ``/content/*/charter.md``."""
        return "/" + self.path.replace("<lang>", "*")

    @property
    def regex(self) -> re.Pattern[str]:
        """The whole repository paths of a file area; its group 1 is the ``<id>``, if any."""
        return _regex(self.path)

    def matches(self, path: str) -> bool:
        if self.folder:
            return path.startswith(self.path)
        return self.regex.fullmatch(path) is not None


@dataclass(frozen=True)
class Layout:
    """What one kind of repository holds, and which generated issue forms belong to it."""

    role: str
    marker: str
    areas: tuple[Area, ...]
    forms: tuple[str, ...]

    def area_of(self, path: str) -> Area | None:
        """The area a repository path belongs to: the first file area that matches it, else
        the deepest folder that holds it (``.github/workflows/`` before ``.github/``)."""
        for area in self.areas:
            if not area.folder and area.matches(path):
                return area
        folders = [a for a in self.areas if a.folder and a.matches(path)]
        return max(folders, key=lambda a: len(a.path)) if folders else None

    @property
    def owned(self) -> tuple[Area, ...]:
        """The areas listed explicitly in CODEOWNERS, in order."""
        return tuple(area for area in self.areas if area.owners is not None)


PROFILE = Area(f"{COACHES_DIR}/<id>.yml", "a coach's profile", self_service=True)
"""A coach's profile, ``coaches/<id>.yml``."""
PHOTO = Area(
    f"{COACHES_DIR}/{PHOTOS_DIR}/<id>.(jpg|png|webp)", "a coach's photo", self_service=True
)
"""A coach's photo, ``coaches/photos/<id>.jpg`` (or ``.png``, ``.webp``)."""

DIRECTORY = Layout(
    role="directory repository",
    marker="programme.yml",
    areas=(
        Area(
            f"{COACHES_DIR}/",
            "coach profiles and photos",
            owners="coach profiles and photos (see above)",
        ),
        PROFILE,
        PHOTO,
        Area(
            "programme.yml",
            "settings and vocabularies",
            review=("programme-settings", "programme settings (programme.yml)"),
            owners="settings and vocabularies",
        ),
        Area(
            "groups/",
            "co-development and other groups, one file each (groups/<id>.yml)",
            review=("groups", "a group: its facilitators, places and schedule"),
            owners="groups, their facilitators and schedules",
        ),
        Area(
            "immersions/",
            "immersion offers, one file each (immersions/<id>.yml)",
            review=("immersions", "an immersion offer"),
            owners="immersion offers",
        ),
        Area(
            "schemas/",
            "profile and settings schemas",
            review=("schemas", "schemas define what a profile may contain"),
            owners="profile and settings schemas",
        ),
        Area(
            "content/<lang>/charter.md",
            "the ethics charter coaches sign",
            review=("charter", "ethics charter"),
            owners="the ethics charter coaches sign",
        ),
        Area("content/<lang>/*.md", "the site's pages, per language"),
        Area("mkdocs.yml", "site configuration", owners="site configuration"),
        Area(
            ".github/",
            "repository configuration",
            review=("github-config", "repository configuration (.github/)"),
            owners="workflows, issue forms and this file",
        ),
        Area(
            ".github/workflows/",
            "the workflows (CI, Intake, Pages, Weekly)",
            review=("workflow", "CI workflow (.github/workflows/)"),
        ),
        Area(
            ".github/ISSUE_TEMPLATE/",
            "the issue forms (generated by coachdir forms)",
            review=("issue-template", "issue template (.github/ISSUE_TEMPLATE/)"),
        ),
        *(
            Area(
                path,
                "code owners (GitHub reads the first of .github/, the root, docs/)",
                review=("codeowners", "code owners decide who reviews what"),
            )
            for path in (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
        ),
        Area("requirements/", "the pinned coachdir the workflows install"),
        Area(
            "indicators/",
            "the published indicator releases (written by coachdir indicators)",
            review=(
                "indicators",
                "published indicators: only new release files, never a changed one",
            ),
        ),
        Area(
            "availability.json",
            "free places per coach (written by coachdir availability)",
            review=("availability", "free places per coach (availability.json)"),
        ),
        Area("site/", "the built site (output of coachdir build)"),
        Area(
            "src/",
            "the coachdir code (only in coachdir's own repository)",
            owners="the coachdir code",
        ),
    ),
    forms=("coach-registration", "profile-change"),
)
"""The directory repository: profiles, pages and settings; the coach forms."""

RECORDS = Layout(
    role="records repository",
    marker="records.yml",
    areas=(
        Area("records.yml", "the directory repository these records belong to"),
        Area("engagements/", "one file per coaching engagement"),
        Area("supervision/", "supervision attendance of the coaches"),
        Area("groups/", "group memberships and attendance, one folder per group"),
        Area("immersions/", "immersion requests and their days"),
        Area("coach-units.yml", "each coach's own unit (for the conflict-of-line rules)"),
        Area(".github/", "repository configuration"),
        Area(".github/workflows/", "the workflows (CI, Intake, Weekly)"),
        Area(".github/ISSUE_TEMPLATE/", "the record forms (generated by coachdir forms --records)"),
        Area("requirements/", "the pinned coachdir the workflows install"),
    ),
    forms=(
        "coaching-request",
        "session-log",
        "end-of-association",
        "client-feedback",
        "group-join",
    ),
)
"""The private records repository (written by ``coachdir init --records``): its settings
(``records.yml``, naming the directory repository), requests and engagements, supervision,
coach units, the record forms and the workflows that validate them against a read-only
checkout of the directory repository."""

LAYOUTS = (DIRECTORY, RECORDS)


def role_of(root: Path) -> Layout | None:
    """The layout of the repository at ``root``, told by its marker file (``programme.yml``
    first: a root holding both is a directory repository); None when it has neither."""
    for layout in LAYOUTS:
        if (root / layout.marker).is_file():
            return layout
    return None


def layout_for(form: str) -> Layout | None:
    """The layout whose repository a generated form belongs to."""
    return next((layout for layout in LAYOUTS if form in layout.forms), None)
