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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from coachdir.github.changes import (
    _PHOTO,
    _PROFILE,
    _STATUSES,
    PROTECTED_ANNOTATION,
    PUBLIC_REASONS,
    SCHEMA_PATH,
    Change,
    PrCheckError,
    PrReport,
    _quote,
    validate_login,
    validate_revision,
)
from coachdir.github.prgit import _Entry, _Git, _Profile, _Snapshot
from coachdir.layout import DIRECTORY
from coachdir.loader import MAX_BYTES, load_bytes
from coachdir.photos import PhotoLimits, check_bytes

__all__ = [
    "check_pr",
    "protected_fields",
    "protected_fields_at",
]
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
        """True (with the team's reason) unless ``path`` is a coach's own profile or photo,
        as the directory repository's layout says."""
        area = DIRECTORY.area_of(path)
        if area is not None and area.self_service:
            return False
        if area is not None and area.review is not None:
            v.need(*area.review)
        else:
            v.need("other-path", "not a coach's own profile or photo")
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
        if match is None:
            raise RuntimeError("photo() called for a path that is not a photo")
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
