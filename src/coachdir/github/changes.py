"""What pr-check works with and reports: changes, reasons, the report, logins, revisions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from coachdir.layout import PHOTO, PROFILE
from coachdir.problems import UsageError

PROTECTED_ANNOTATION = "x-coachdir-protected"
SCHEMA_PATH = "schemas/coach.schema.json"
GIT_TIMEOUT = 120
#: the Markdown report stays under this many UTF-8 bytes (GitHub's job summary limit is 1 MiB)
MAX_SUMMARY_BYTES = 900 * 1024
#: room kept for the closing "… and N more changes" line
SUMMARY_RESERVE = 200

_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")
_BOT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?\[bot\]")
_REVISION = re.compile(r"[A-Za-z0-9_./@^~{}+-]{1,256}")
#: a profile's and a photo's repository paths, as the layout describes them (group 1: the id)
_PROFILE = PROFILE.regex
_PHOTO = PHOTO.regex
_CHARTER = re.compile(r"content/[^/]+/charter\.md")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REGULAR = frozenset({"100644", "100755"})
_STATUSES = {"A": "added", "M": "modified", "D": "deleted", "T": "type-changed"}
_SCRUBBED_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
)
_FETCH_HINT = "fetch it first (actions/checkout with fetch-depth: 0)"

#: Sentences without handles or file content, for public pull request comments; by rule id
#: (the part before ':'; '{field}' is the part after it).
PUBLIC_REASONS: dict[str, str] = {
    "own-profile": "the author's own profile; no protected field changed",
    "own-profile-deleted": "the author deletes their own profile",
    "own-profile-new": "new profile of the author; sets no protected field",
    "own-photo": "photo of the author's own profile",
    "profile-other-owner": "profile owned by another account at base",
    "profile-no-owner": "the profile has no valid github handle at base",
    "profile-gone-on-base": "the profile was deleted on the base branch since the merge base",
    "profile-unreadable": "cannot read the profile",
    "profile-renamed": "renaming changes the coach id",
    "protected-field": "protected field '{field}' changed",
    "new-profile-handle": "the new profile's github handle is not the author's",
    "new-profile-handle-taken": "the github handle is already used by another profile",
    "new-profile-protected-field": "protected field '{field}' set on a new profile",
    "photo-other-owner": "photo of a profile owned by another account",
    "photo-no-profile": "photo of a profile that is not the author's",
    "photo-invalid": "not a valid photo (JPEG, PNG or WebP within the programme's limits)",
    "identity-field": "'{field}' changed: the programme team checks who the coach is",
    "not-regular-file": "not a regular file (symbolic link or submodule)",
    "type-changed": "the file type changed",
    "unknown-status": "unmerged or unknown change",
    "programme-settings": "programme settings",
    "groups": "a group: its facilitators, places and schedule",
    "immersions": "an immersion offer",
    "schemas": "schemas",
    "workflow": "CI workflow",
    "codeowners": "code owners",
    "issue-template": "issue template",
    "github-config": "repository configuration",
    "charter": "ethics charter",
    "indicators": "published indicators: only new release files, never a changed one",
    "availability": "free places per coach (availability.json)",
    "other-path": "not a coach's own profile or photo",
}


class PrCheckError(UsageError):
    """The check could not run (git failure, unknown revision, bad input); says how to fix."""


@dataclass(frozen=True)
class Change:
    """One changed path of the pull request and who may approve it.

    ``reasons`` are full sentences (they may name GitHub handles); ``rules`` holds a stable
    rule id for each reason, in the same order (``protected-field:credentials``...), from which
    :data:`PUBLIC_REASONS` gives a sentence without personal data.
    """

    path: str
    old_path: str | None
    status: str  # added | modified | deleted | renamed | type-changed (copies are "added")
    verdict: str  # author | team
    reasons: tuple[str, ...]
    rules: tuple[str, ...] = ()

    @property
    def needs_team(self) -> bool:
        return self.verdict != "author"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "old_path": self.old_path,
            "status": self.status,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class PrReport:
    """The verdict on every change of a pull request (``base``/``head``: commit ids)."""

    base: str
    head: str
    author: str
    changes: tuple[Change, ...]
    merge_base: str = ""

    @property
    def needs_team(self) -> bool:
        return any(c.needs_team for c in self.changes)

    @property
    def verdict(self) -> str:
        return "team" if self.needs_team else "author"

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "head": self.head,
            "merge_base": self.merge_base,
            "author": self.author,
            "verdict": self.verdict,
            "needs_team": self.needs_team,
            "changes": [c.to_dict() for c in self.changes],
        }


# --------------------------------------------------------------------------- validation


def validate_login(login: str) -> str:
    """The GitHub login (one leading '@' dropped); PrCheckError if it is not a login."""
    value = login[1:] if login.startswith("@") else login
    if _LOGIN.fullmatch(value) or _BOT.fullmatch(value):
        return value
    raise PrCheckError(
        f"invalid GitHub login {_quote(login)}: a login is 1 to 39 letters, digits or hyphens, "
        "not starting or ending with a hyphen; pass the pull request author's login "
        "(github.event.pull_request.user.login)"
    )


def validate_revision(rev: str) -> str:
    """The revision if it is a plain name, commit id or ancestry expression; else PrCheckError."""
    if _REVISION.fullmatch(rev) and not rev.startswith("-"):
        return rev
    raise PrCheckError(
        f"invalid revision {_quote(rev)}: give a branch name, tag or commit id "
        "(such as origin/main or a 40-character SHA)"
    )


def _quote(text: str, limit: int = 60) -> str:
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"
