"""Pull request check: may the author alone merge this change, or must the programme team approve?

Every path changed between the merge base and the head of the pull request gets a verdict,
``author`` or ``team``, with the reasons behind it. The pull request as a whole needs the
programme team as soon as one change does. The programme team's review of a pull request is
the approval of what it changes (credentials, verification, registrations...).

The author alone may:

* edit their own profile ``coaches/<id>.yml`` when no protected field changes;
* delete their own profile;
* add, replace or delete the photo ``coaches/photos/<id>.(jpg|png|webp)`` of their own profile,
  when the new file is a real image of the kind its extension says, within the photo limits of
  ``programme.yml`` at the merge base (see :mod:`coachdir.photos`);
* add a new profile whose ``github`` is their login, unused by any other profile, that sets no
  protected field but ``github``. The schema requires ``charter`` and ``affiliation``, both
  protected, so in practice **every registration needs the programme team's approval**: that is
  intended, registering a coach is the team's decision.

Everything else needs the team, and anything unexpected fails closed: someone else's profile,
a protected field added, removed or changed, a change of one's own display ``name`` or
``contact.email`` (they say who the coach is), a photo that is not a valid image, a renamed
profile (the file name is the coach id), a file that cannot be read, ``programme.yml``,
``schemas/``, ``.github/`` (workflows, code owners, issue templates), the ethics charter
``content/<lang>/charter.md`` and every other path.

Identity never comes from the proposed content alone: the owner of an existing profile is the
``github`` handle of the file at the merge base (and, if the base branch moved on since, on the
base branch too), read from git objects with the strict loader. Handles compare
case-insensitively. ``github`` is always protected, whatever the schema says, since changing
it hands the profile to another account.

Protected fields are the schema properties annotated ``"x-coachdir-protected": true``. Read them
from a trusted revision (:func:`protected_fields_at` on the base branch), never from the pull
request's own files, which it may have edited.

Git runs as a subprocess with argument lists only (no shell); no blob over 64 KiB is read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachdir.loader import MAX_BYTES, load_bytes
from coachdir.photos import PhotoLimits, check_bytes
from coachdir.tools.sample import sample_root

__all__ = [
    "PROTECTED_FIELDS",
    "Change",
    "PrCheckError",
    "PrReport",
    "check_pr",
    "format_json",
    "format_markdown",
    "format_text",
    "protected_fields",
    "protected_fields_at",
    "validate_login",
    "validate_revision",
]

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
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_PROFILE = re.compile(rf"coaches/({_SLUG})\.yml")
_PHOTO = re.compile(rf"coaches/photos/({_SLUG})\.(?:jpg|png|webp)")
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
    "schemas": "schemas",
    "workflow": "CI workflow",
    "codeowners": "code owners",
    "issue-template": "issue template",
    "github-config": "repository configuration",
    "charter": "ethics charter",
    "other-path": "not a coach's own profile or photo",
}


class PrCheckError(Exception):
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


# --------------------------------------------------------------------------- protected fields


def protected_fields(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """Top-level properties of the coach schema annotated ``"x-coachdir-protected": true``."""
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return ()
    return tuple(
        name
        for name, spec in props.items()
        if isinstance(name, str)
        and isinstance(spec, Mapping)
        and spec.get(PROTECTED_ANNOTATION) is True
    )


def _packaged_protected() -> tuple[str, ...]:
    try:
        path = sample_root() / SCHEMA_PATH
        with open(path, encoding="utf-8") as handle:
            schema = json.load(handle)
    except (OSError, ValueError):  # pragma: no cover - broken installation
        return ()
    return protected_fields(schema) if isinstance(schema, dict) else ()


#: Protected fields of the schema shipped with coachdir (the sample programme's). A programme
#: should rather use :func:`protected_fields_at` on its base branch.
PROTECTED_FIELDS: tuple[str, ...] = _packaged_protected()


def protected_fields_at(repo: Path, rev: str) -> tuple[str, ...]:
    """Protected fields of ``schemas/coach.schema.json`` as committed at ``rev`` (trusted)."""
    git = _Git(repo)
    commit = git.resolve(validate_revision(rev))
    entries = git.ls_tree(commit, "schemas")
    entry = entries.get(SCHEMA_PATH)
    if entry is None or not entry.regular:
        raise PrCheckError(
            f"no {SCHEMA_PATH} at revision '{rev}'; run the check on the programme repository"
        )
    if entry.size is None or entry.size > MAX_BYTES:
        raise PrCheckError(f"{SCHEMA_PATH} at revision '{rev}' is larger than 64 KiB")
    raw = git.read_blobs([entry.oid])[entry.oid]
    try:
        schema = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PrCheckError(
            f"{SCHEMA_PATH} at revision '{rev}' is not valid JSON ({exc}); fix it first"
        ) from None
    if not isinstance(schema, dict):
        raise PrCheckError(f"{SCHEMA_PATH} at revision '{rev}' is not a JSON object")
    return protected_fields(schema)


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


# --------------------------------------------------------------------------- git


@dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    oid: str
    size: int | None

    @property
    def regular(self) -> bool:
        return self.kind == "blob" and self.mode in _REGULAR


def _decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace")


class _Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        env.update(
            {
                "GIT_LITERAL_PATHSPECS": "1",
                "GIT_TERMINAL_PROMPT": "0",
                "GIT_PAGER": "cat",
                "LC_ALL": "C",
                "LANGUAGE": "C",
            }
        )
        self.env = env
        self._checked = False

    def run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        cmd = ["git", "-C", str(self.repo), *args]
        try:
            return subprocess.run(
                cmd,
                input=stdin,
                capture_output=True,
                env=self.env,
                check=False,
                timeout=GIT_TIMEOUT,
            )
        except FileNotFoundError:
            raise PrCheckError("git is not installed or not on PATH; install git") from None
        except subprocess.TimeoutExpired:
            raise PrCheckError(
                f"git {args[0]} took more than {GIT_TIMEOUT} s in {self.repo}; try again"
            ) from None
        except OSError as exc:
            raise PrCheckError(f"cannot run git in {self.repo}: {exc.strerror}") from None

    def ok(self, *args: str, stdin: bytes | None = None) -> bytes:
        proc = self.run(*args, stdin=stdin)
        if proc.returncode != 0:
            raise PrCheckError(f"git {args[0]} failed: {_first_line(proc.stderr)}")
        return proc.stdout

    def check_repo(self) -> None:
        if self._checked:
            return
        if not self.repo.is_dir():
            raise PrCheckError(f"{self.repo} is not a folder; pass the repository's checkout")
        proc = self.run("rev-parse", "--git-dir")
        if proc.returncode != 0:
            raise PrCheckError(
                f"{self.repo} is not a git repository ({_first_line(proc.stderr)}); run the "
                "check in a clone of the programme repository"
            )
        self._checked = True

    def resolve(self, rev: str) -> str:
        self.check_repo()
        proc = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        sha = proc.stdout.decode("ascii", "replace").strip()
        if proc.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", sha):
            raise PrCheckError(f"unknown revision {_quote(rev)}; {_FETCH_HINT}")
        return sha

    def merge_base(self, base: str, head: str, base_name: str, head_name: str) -> str:
        proc = self.run("merge-base", base, head)
        sha = proc.stdout.decode("ascii", "replace").strip()
        if proc.returncode == 1 and not sha:
            raise PrCheckError(
                f"{_quote(base_name)} and {_quote(head_name)} have no common ancestor; if the "
                f"clone is shallow, {_FETCH_HINT}"
            )
        if proc.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", sha):
            raise PrCheckError(
                f"cannot find the merge base of {_quote(base_name)} and {_quote(head_name)} "
                f"({_first_line(proc.stderr)}); {_FETCH_HINT}"
            )
        return sha

    def diff(self, old: str, new: str) -> list[tuple[str, str | None, str]]:
        """(status letter with score, old path or None, path) for each changed path."""
        out = self.ok(
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--ignore-submodules=none",
            f"{old}..{new}",
            "--",
        )
        fields = out.split(b"\0")
        if fields and fields[-1] == b"":
            fields.pop()
        result: list[tuple[str, str | None, str]] = []
        i = 0
        while i < len(fields):
            status = fields[i].decode("ascii", "replace")
            i += 1
            if status[:1] in ("R", "C"):
                if i + 1 >= len(fields):
                    raise PrCheckError("git diff printed an incomplete rename; update git")
                result.append((status, _decode_path(fields[i]), _decode_path(fields[i + 1])))
                i += 2
            else:
                if i >= len(fields):
                    raise PrCheckError("git diff printed an incomplete entry; update git")
                result.append((status, None, _decode_path(fields[i])))
                i += 1
        return result

    def ls_tree(self, rev: str, folder: str) -> dict[str, _Entry]:
        out = self.ok("ls-tree", "-r", "-l", "-z", "--full-tree", rev, "--", folder)
        entries: dict[str, _Entry] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            parts = meta.decode("ascii", "replace").split()
            if len(parts) != 4:
                raise PrCheckError("git ls-tree printed an unexpected line; update git")
            mode, kind, oid, size = parts
            entries[_decode_path(raw_path)] = _Entry(
                mode, kind, oid, int(size) if size.isdigit() else None
            )
        return entries

    def read_blob(self, oid: str, size: int) -> bytes:
        """One blob the caller checked is ``size`` bytes (``git cat-file blob``)."""
        if not re.fullmatch(r"[0-9a-f]{40,64}", oid):  # pragma: no cover - from ls-tree
            raise PrCheckError(f"invalid object id {_quote(oid)}")
        raw = self.ok("cat-file", "blob", oid)
        if len(raw) != size:  # pragma: no cover - git changed under us
            raise PrCheckError(f"git cat-file could not read object {oid[:12]}")
        return raw

    def read_blobs(self, oids: Iterable[str]) -> dict[str, bytes]:
        """Contents of blobs the caller checked are at most 64 KiB (``git cat-file --batch``)."""
        wanted = list(dict.fromkeys(oids))
        if not wanted:
            return {}
        out = self.ok("cat-file", "--batch", stdin="".join(f"{o}\n" for o in wanted).encode())
        blobs: dict[str, bytes] = {}
        pos = 0
        for oid in wanted:
            end = out.find(b"\n", pos)
            header = out[pos:end].decode("ascii", "replace").split()
            if end < 0 or len(header) != 3 or header[0] != oid or not header[2].isdigit():
                raise PrCheckError(f"git cat-file could not read object {oid[:12]}")
            size = int(header[2])
            if size > MAX_BYTES:  # pragma: no cover - sizes are checked before
                raise PrCheckError(f"object {oid[:12]} is larger than 64 KiB")
            blobs[oid] = out[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1
        return blobs


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return _quote(line.removeprefix("fatal: ").removeprefix("error: "), 200)[1:-1]
    return "no message"


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class _Profile:
    data: dict[str, Any] | None
    problem: str | None  # why it cannot be read

    @property
    def handle(self) -> str | None:
        value = (self.data or {}).get("github")
        if isinstance(value, str) and _LOGIN.fullmatch(value):
            return value
        return None


class _Snapshot:
    """The ``coaches/`` folder of one commit, with profiles read on demand."""

    def __init__(self, git: _Git, rev: str) -> None:
        self.git = git
        self.rev = rev
        self.entries = git.ls_tree(rev, "coaches")
        self._profiles: dict[str, _Profile] = {}
        self._handles: dict[str, list[str]] | None = None

    def has(self, path: str) -> bool:
        return path in self.entries

    def entry(self, path: str) -> _Entry | None:
        return self.entries.get(path)

    def profile(self, path: str) -> _Profile | None:
        if path not in self.entries:
            return None
        if path not in self._profiles:
            self._load([path])
        return self._profiles[path]

    def _load(self, paths: Sequence[str]) -> None:
        todo: dict[str, str] = {}
        for path in paths:
            entry = self.entries[path]
            if not entry.regular:
                self._profiles[path] = _Profile(None, "not a regular file")
            elif entry.size is None or entry.size > MAX_BYTES:
                loaded = load_bytes(path, b"", entry.size or MAX_BYTES + 1)
                self._profiles[path] = _Profile(None, loaded.problems[0].message)
            else:
                todo[path] = entry.oid
        blobs = self.git.read_blobs(todo.values())
        for path, oid in todo.items():
            loaded = load_bytes(path, blobs[oid])
            if loaded.data is None:
                message = loaded.problems[0].message if loaded.problems else "unreadable"
                self._profiles[path] = _Profile(None, message)
            else:
                self._profiles[path] = _Profile(loaded.data, None)

    def handles(self) -> dict[str, list[str]]:
        """Profile paths by lower-case github handle."""
        if self._handles is None:
            paths = [p for p in self.entries if _PROFILE.fullmatch(p)]
            self._load([p for p in paths if p not in self._profiles])
            table: dict[str, list[str]] = {}
            for path in paths:
                handle = self._profiles[path].handle
                if handle is not None:
                    table.setdefault(handle.lower(), []).append(path)
            self._handles = table
        return self._handles


# --------------------------------------------------------------------------- classification


class _Verdict:
    """Reasons collected for one change; any team reason makes it a team change."""

    def __init__(self) -> None:
        self.team: list[tuple[str, str]] = []
        self.author: list[tuple[str, str]] = []

    def need(self, rule: str, reason: str) -> None:
        self.team.append((rule, reason))

    def allow(self, rule: str, reason: str) -> None:
        self.author.append((rule, reason))

    def change(self, path: str, old_path: str | None, status: str) -> Change:
        chosen = self.team or self.author
        if not chosen:  # pragma: no cover - every branch gives a reason
            chosen = [("other-path", PUBLIC_REASONS["other-path"])]
            self.team = chosen
        verdict = "team" if self.team else "author"
        pairs = list(dict.fromkeys(chosen))
        reasons = tuple(text for _, text in pairs)
        return Change(path, old_path, status, verdict, reasons, tuple(r for r, _ in pairs))


def _name(profile: Mapping[str, Any]) -> Any:
    return profile.get("name")


def _email(profile: Mapping[str, Any]) -> Any:
    contact = profile.get("contact")
    return contact.get("email") if isinstance(contact, Mapping) else contact


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class _Checker:
    def __init__(
        self,
        git: _Git,
        author: str,
        protected: Sequence[str],
        bases: Sequence[_Snapshot],
        head: _Snapshot,
        base_name: str,
    ) -> None:
        self.git = git
        self.author = author
        self.key = author.lower()
        self.protected = tuple(dict.fromkeys([*protected, "github"]))
        self.merge_base = bases[0]
        self.bases = bases
        self.head = head
        self._content: dict[str, _Entry] | None = None
        self.base_name = base_name
        self.new_profiles: set[str] = set()
        self._limits: PhotoLimits | None = None

    @property
    def photo_limits(self) -> PhotoLimits:
        """The photo limits of ``programme.yml`` at the merge base (trusted); else defaults."""
        if self._limits is None:
            settings: dict[str, Any] = {}
            entry = self.git.ls_tree(self.merge_base.rev, "programme.yml").get("programme.yml")
            if (
                entry is not None
                and entry.regular
                and entry.size is not None
                and entry.size <= MAX_BYTES
            ):
                raw = self.git.read_blobs([entry.oid])[entry.oid]
                settings = load_bytes("programme.yml", raw).data or {}
            self._limits = PhotoLimits.from_settings(settings.get("photos"))
        return self._limits

    # -- paths that are not coaches' files
    @staticmethod
    def _fixed_path(path: str, v: _Verdict) -> bool:
        if path == "programme.yml":
            v.need("programme-settings", "programme settings (programme.yml)")
        elif path.startswith("schemas/"):
            v.need("schemas", "schemas define what a profile may contain")
        elif path.startswith(".github/workflows/"):
            v.need("workflow", "CI workflow (.github/workflows/)")
        elif path in (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"):
            v.need("codeowners", "code owners decide who reviews what")
        elif path.startswith(".github/ISSUE_TEMPLATE/"):
            v.need("issue-template", "issue template (.github/ISSUE_TEMPLATE/)")
        elif path.startswith(".github/"):
            v.need("github-config", "repository configuration (.github/)")
        elif _CHARTER.fullmatch(path):
            v.need("charter", "ethics charter")
        elif not (_PROFILE.fullmatch(path) or _PHOTO.fullmatch(path)):
            v.need("other-path", "not a coach's own profile or photo")
        else:
            return False
        return True

    # -- ownership of an existing profile
    def _owned(self, path: str, v: _Verdict, *, deleted: bool = False) -> bool:
        """True if every base version of ``path`` belongs to the author (else team reasons)."""
        ok = True
        for index, snap in enumerate(self.bases):
            where = "at base" if index == 0 else f"on {self.base_name}"
            profile = snap.profile(path)
            if profile is None:
                if index == 0:
                    v.need("profile-no-owner", f"the profile does not exist {where}")
                elif not deleted:
                    v.need(
                        "profile-gone-on-base",
                        f"the profile was deleted on {self.base_name} since the merge base",
                    )
                ok = False
                continue
            if profile.problem is not None:
                v.need(
                    "profile-unreadable",
                    f"cannot read the profile: {profile.problem} ({where})",
                )
                ok = False
                continue
            handle = profile.handle
            if handle is None:
                v.need("profile-no-owner", f"the profile has no valid github handle {where}")
                ok = False
            elif handle.lower() != self.key:
                v.need("profile-other-owner", f"profile owned by @{handle} {where}")
                ok = False
        return ok

    def _head_profile(self, path: str, v: _Verdict) -> _Profile | None:
        profile = self.head.profile(path)
        if profile is None:  # pragma: no cover - the diff says it exists
            v.need("profile-unreadable", "cannot read the profile: missing at head")
            return None
        if profile.problem is not None:
            v.need("profile-unreadable", f"cannot read the profile: {profile.problem}")
            return None
        return profile

    # -- profiles
    def profile_added(self, path: str, v: _Verdict) -> None:
        profile = self._head_profile(path, v)
        for index, snap in enumerate(self.bases[1:], start=1):
            if snap.has(path):
                self._owned_on(snap, index, path, v)
        if profile is None:
            return
        handle = profile.handle
        if handle is None:
            v.need("new-profile-handle", "the new profile has no valid github handle")
        elif handle.lower() != self.key:
            v.need(
                "new-profile-handle",
                f"the new profile's github handle is @{handle}, not the author @{self.author}",
            )
        else:
            for index, snap in enumerate([*self.bases, self.head]):
                where = (
                    "at base"
                    if index == 0
                    else "in this pull request"
                    if snap is self.head
                    else f"on {self.base_name}"
                )
                others = [p for p in snap.handles().get(self.key, []) if p != path]
                if others:
                    v.need(
                        "new-profile-handle-taken",
                        f"handle @{self.author} is already used by {others[0]} {where}",
                    )
                    break
        data = profile.data or {}
        for name in self.protected:
            if name != "github" and name in data:
                v.need(
                    f"new-profile-protected-field:{name}",
                    f"protected field '{name}' set on a new profile (the programme team "
                    "checks every registration)",
                )
        if not v.team:
            v.allow("own-profile-new", f"new profile of @{self.author}; sets no protected field")

    def _owned_on(self, snap: _Snapshot, index: int, path: str, v: _Verdict) -> None:
        profile = snap.profile(path)
        if profile is None:
            return
        if profile.problem is not None:
            v.need(
                "profile-unreadable",
                f"cannot read the profile: {profile.problem} (on {self.base_name})",
            )
        elif profile.handle is None or profile.handle.lower() != self.key:
            v.need(
                "profile-other-owner",
                f"profile owned by @{profile.handle or '?'} on {self.base_name}",
            )

    def profile_modified(self, path: str, v: _Verdict) -> None:
        owned = self._owned(path, v)
        after = self._head_profile(path, v)
        before = self.merge_base.profile(path)
        if not owned or after is None or before is None or before.data is None:
            return
        old, new = before.data, after.data or {}
        for name in self.protected:
            if (name in old) != (name in new) or (name in old and not _same(old[name], new[name])):
                v.need(f"protected-field:{name}", f"protected field '{name}' changed")
        for field, value in (("name", _name), ("contact.email", _email)):
            if field not in self.protected and not _same(value(old), value(new)):
                v.need(
                    f"identity-field:{field}",
                    f"'{field}' changed: the programme team checks who the coach is",
                )
        if not v.team:
            v.allow(
                "own-profile",
                f"own profile of @{self.author} at base; no protected field changed",
            )

    def profile_deleted(self, path: str, v: _Verdict) -> None:
        if self._owned(path, v, deleted=True):
            v.allow("own-profile-deleted", f"@{self.author} deletes their own profile")

    # -- photos
    def photo(self, path: str, v: _Verdict, *, removed: bool) -> None:
        match = _PHOTO.fullmatch(path)
        assert match is not None
        profile_path = f"coaches/{match.group(1)}.yml"
        if not removed:
            entry = self.head.entry(path)
            if entry is None or not entry.regular:
                v.need("not-regular-file", "not a regular file (symbolic link or submodule)")
                return
            self._photo_content(path, entry, v)
        if self.merge_base.has(profile_path):
            probe = _Verdict()
            if self._owned(profile_path, probe, deleted=True):
                v.allow("own-photo", f"photo of {profile_path}, owned by @{self.author}")
            else:
                for rule, reason in probe.team:
                    rule = "photo-other-owner" if rule == "profile-other-owner" else rule
                    v.need(rule, f"photo of {profile_path}: {reason}")
            return
        if profile_path in self.new_profiles:
            new = self.head.profile(profile_path)
            if new is not None and new.handle is not None and new.handle.lower() == self.key:
                v.allow(
                    "own-photo",
                    f"photo of {profile_path}, added in this pull request by @{self.author}",
                )
                return
        v.need(
            "photo-no-profile",
            f"photo of {profile_path}, which is neither the author's at base nor added by "
            "the author in this pull request",
        )

    def _photo_content(self, path: str, entry: _Entry, v: _Verdict) -> None:
        """A team reason unless the photo at head is a valid image within the limits."""
        limits = self.photo_limits
        name = path.removeprefix("coaches/")
        if entry.size is None or entry.size > limits.max_bytes:
            message = f"photo: {name} is larger than the limit of {limits.max_bytes} bytes"
        else:
            found = check_bytes(self.git.read_blob(entry.oid, entry.size), name, limits)
            if found is None:
                return
            message = found.message
        v.need("photo-invalid", f"not a valid photo: {message}")

    # -- one diff entry
    def added(self, path: str, v: _Verdict) -> None:
        self._present(path, v, self.profile_added)

    def modified(self, path: str, v: _Verdict) -> None:
        self._present(path, v, self.profile_modified)

    def _present(self, path: str, v: _Verdict, profile: Callable[[str, _Verdict], None]) -> None:
        """A path that exists at head: a fixed path, a profile, or a photo."""
        if path.startswith("content/"):
            # A page the site publishes: a symbolic link (to a file outside the repository,
            # say) or a submodule would be published as if it were a page.
            if self._content is None:
                self._content = self.git.ls_tree(self.head.rev, "content")
            entry = self._content.get(path)
            if entry is None or not entry.regular:
                v.need("not-regular-file", "not a regular file (symbolic link or submodule)")
        if self._fixed_path(path, v):
            return
        entry = self.head.entry(path)
        if entry is None or not entry.regular:
            v.need("not-regular-file", "not a regular file (symbolic link or submodule)")
            return
        if _PROFILE.fullmatch(path):
            profile(path, v)
        else:
            self.photo(path, v, removed=False)

    def deleted(self, path: str, v: _Verdict) -> None:
        if self._fixed_path(path, v):
            return
        if _PROFILE.fullmatch(path):
            self.profile_deleted(path, v)
        else:
            self.photo(path, v, removed=True)

    def classify(self, status: str, old_path: str | None, path: str) -> Change:
        v = _Verdict()
        letter = status[:1]
        if letter == "R" and old_path is not None:
            if _PROFILE.fullmatch(path) or _PROFILE.fullmatch(old_path):
                v.need("profile-renamed", "renaming changes the coach id")
            else:
                self.deleted(old_path, v)
                self.added(path, v)
            return v.change(path, old_path, "renamed")
        if letter == "C":
            self.added(path, v)
            return v.change(path, old_path, "added")
        if letter == "A":
            self.added(path, v)
        elif letter == "M":
            self.modified(path, v)
        elif letter == "D":
            self.deleted(path, v)
        elif letter == "T":
            self._fixed_path(path, v)
            v.need("type-changed", "the file type changed (file, symbolic link or submodule)")
        else:
            v.need("unknown-status", f"unmerged or unknown change (git status {_quote(status)})")
            return v.change(path, old_path, "modified")
        return v.change(path, old_path, _STATUSES[letter])


def check_pr(
    repo: Path,
    base: str,
    head: str,
    author: str,
    *,
    protected: Sequence[str],
) -> PrReport:
    """Classify every change between the merge base of ``base`` and ``head``, and ``head``.

    ``protected`` are the protected profile fields (:func:`protected_fields_at` on the base
    branch); ``github`` is always added. Raises :class:`PrCheckError` if the check cannot run.
    """
    login = validate_login(author)
    validate_revision(base)
    validate_revision(head)
    fields = tuple(protected)
    if not fields:
        raise PrCheckError(
            f"no protected fields: mark them in {SCHEMA_PATH} with "
            f'"{PROTECTED_ANNOTATION}": true (credentials, verification, charter...)'
        )
    bad = [f for f in fields if not isinstance(f, str) or not f]
    if bad:
        raise PrCheckError(f"invalid protected field name {bad[0]!r}")
    git = _Git(repo)
    base_sha = git.resolve(base)
    head_sha = git.resolve(head)
    mb = git.merge_base(base_sha, head_sha, base, head)
    diff = git.diff(mb, head_sha)
    snapshots = [_Snapshot(git, mb)]
    if base_sha != mb:
        snapshots.append(_Snapshot(git, base_sha))
    checker = _Checker(git, login, fields, snapshots, _Snapshot(git, head_sha), base)
    checker.new_profiles = {
        path for status, _, path in diff if status[:1] in ("A", "C") and _PROFILE.fullmatch(path)
    }
    changes = tuple(checker.classify(status, old, path) for status, old, path in diff)
    return PrReport(base_sha, head_sha, login, changes, mb)


# --------------------------------------------------------------------------- reports


def _show_path(path: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)


def _change_label(change: Change) -> str:
    if change.old_path is not None and change.status == "renamed":
        return f"{_show_path(change.old_path)} -> {_show_path(change.path)}"
    if change.old_path is not None:
        return f"{_show_path(change.path)} (copy of {_show_path(change.old_path)})"
    return _show_path(change.path)


def _summary(report: PrReport) -> str:
    team = sum(1 for c in report.changes if c.needs_team)
    total = len(report.changes)
    noun = "change" if total == 1 else "changes"
    if not total:
        return "no change between the merge base and the head: the author may merge."
    if team:
        return (
            f"{team} of {total} {noun} need the programme team's approval: "
            "request a review from the programme team."
        )
    return f"all {total} {noun} are the author's own: the author may merge."


def format_text(report: PrReport) -> str:
    """Plain text for logs: one line per change, its reasons indented, then the verdict."""
    out = [
        f"pull request by @{report.author}: merge base {report.merge_base[:12]}, "
        f"head {report.head[:12]}"
    ]
    for change in report.changes:
        out.append(f"{change.verdict:<6}  {change.status:<12}  {_change_label(change)}")
        out.extend(f"        - {_show_path(reason)}" for reason in change.reasons)
    verdict = "team approval required" if report.needs_team else "the author may merge"
    out.append(f"verdict: {verdict} ({_summary(report)})")
    return "\n".join(out)


def format_json(report: PrReport) -> str:
    """Machine-readable report (commit ids, verdicts, reasons and rule ids)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def _code(text: str) -> str:
    """A Markdown code span safe inside a GitHub table cell."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "
    return f"{fence}{text.replace('|', chr(92) + '|')}{fence}"


def _cell(text: str) -> str:
    """Plain text for a table cell: Markdown punctuation escaped, one line."""
    text = _CONTROL.sub(" ", text)
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~@&])", r"\\\1", text)


def public_reason(rule: str) -> str:
    """The sentence without personal data for a rule id (``protected-field:charter``...)."""
    name, _, field = rule.partition(":")
    template = PUBLIC_REASONS.get(name, "needs the programme team")
    return template.replace("{field}", field)


def format_markdown(report: PrReport) -> str:
    """A pull request comment: the verdict and a table of changes (paths and field names only)."""
    if report.needs_team:
        title = "### Programme team approval required"
    else:
        title = "### The author may merge this pull request"
    out = [title, "", _cell(_summary(report))]
    if report.changes:
        out += ["", "| File | Change | Approval | Why |", "| --- | --- | --- | --- |"]
        # GitHub refuses job summaries over 1 MiB: list what fits, then count the rest.
        used = sum(len(line.encode("utf-8")) + 1 for line in out) + SUMMARY_RESERVE
        for listed, change in enumerate(report.changes):
            if change.old_path is not None:
                arrow = "→" if change.status == "renamed" else "copied from"
                if change.status == "renamed":
                    path = f"{_code(change.old_path)} {arrow} {_code(change.path)}"
                else:
                    path = f"{_code(change.path)} ({arrow} {_code(change.old_path)})"
            else:
                path = _code(change.path)
            approval = "programme team" if change.needs_team else "author"
            why = "; ".join(dict.fromkeys(public_reason(r) for r in change.rules))
            row = f"| {path} | {change.status} | {approval} | {_cell(why)} |"
            used += len(row.encode("utf-8")) + 1
            if used > MAX_SUMMARY_BYTES:
                rest = len(report.changes) - listed
                noun = "change" if rest == 1 else "changes"
                out += [
                    "",
                    f"… and {rest:,} more {noun} (not listed: the summary is limited to 1 MiB)",
                ]
                break
            out.append(row)
    return "\n".join(out) + "\n"
