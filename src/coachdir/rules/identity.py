"""Identity rules: file names are ids; GitHub handles, e-mails and display names are unique;
e-mails use an allowed domain; photos exist and are real images within the limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from coachdir.layout import COACHES_DIR, NOT_PROFILES, PHOTOS_DIR
from coachdir.loader import Loaded
from coachdir.photos import check_file
from coachdir.problems import Problem
from coachdir.rules.base import Context, RuleSpec, problem
from coachdir.text import ID_PATTERN, MAX_ID_LENGTH, identity_key

FILE_NAME = "identity.file-name"


def coach_id(loaded: Loaded) -> str:
    """The coach id is the file name without ``.yml``."""
    return PurePosixPath(loaded.path).name.removesuffix(".yml")


def new_id_problem(rel: str, cid: str) -> Problem | None:
    """``identity.file-name`` for the id asked for a new profile ``rel`` (``coachdir new``)
    when it is not made of lower-case letters, digits and single hyphens; None otherwise. A
    well-formed id that is too long is reported by :func:`check` on the profile itself."""
    if ID_PATTERN.fullmatch(cid):
        return None
    return Problem(
        rel,
        1,
        1,
        f"'{cid}' is not a valid coach id",
        FILE_NAME,
        "Use lower-case letters, digits and single hyphens, e.g. helene-dubois.",
    )


def unexpected_folder_problem(name: str) -> Problem:
    """``identity.file-name`` for a folder ``name`` in ``coaches/`` other than the photos."""
    return Problem(
        f"{COACHES_DIR}/{name}/",
        1,
        1,
        f"this folder is not expected in {COACHES_DIR}/",
        FILE_NAME,
        f"Profiles are {COACHES_DIR}/<id>.yml and photos go in "
        f"{COACHES_DIR}/{PHOTOS_DIR}/; move or remove this folder.",
    )


def profile_name_problem(name: str) -> Problem | None:
    """``identity.file-name`` for a file ``name`` in ``coaches/`` that is not a profile (a
    ``.yaml`` one, or any other than the files allowed there); None for a ``.yml`` file."""
    rel = f"{COACHES_DIR}/{name}"
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix == "yml":
        return None
    if dot and suffix == "yaml":
        return Problem(
            rel, 1, 1, "profiles end in .yml, not .yaml", FILE_NAME, f"Rename it to {stem}.yml."
        )
    if name in NOT_PROFILES:
        return None
    return Problem(
        rel,
        1,
        1,
        "this file is not a profile",
        FILE_NAME,
        f"Only <id>.yml profiles belong in {COACHES_DIR}/; photos go in "
        f"{COACHES_DIR}/{PHOTOS_DIR}/.",
    )


def check(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    by_handle: dict[str, list[Loaded]] = {}
    by_email: dict[str, list[Loaded]] = {}
    by_name: dict[str, list[Loaded]] = {}
    domains = context.programme.email_domains
    limits = context.programme.photo_limits
    for loaded in sorted(profiles, key=lambda p: p.path):
        data = loaded.data or {}
        cid = coach_id(loaded)
        if not ID_PATTERN.fullmatch(cid) or len(cid) > MAX_ID_LENGTH:
            yield problem(
                loaded,
                (),
                f"file name '{PurePosixPath(loaded.path).name}' is not a valid coach id",
                FILE_NAME,
                "Name the file <first>-<last>.yml in lower-case ASCII letters, digits and "
                "single hyphens, e.g. helene-dubois.yml.",
            )
        handle = str(data.get("github", "")).lower()
        if handle:
            by_handle.setdefault(handle, []).append(loaded)
        email = str(data.get("contact", {}).get("email", "")).lower()
        if email:
            by_email.setdefault(email, []).append(loaded)
            if domains and email.rpartition("@")[2] not in domains:
                yield problem(
                    loaded,
                    ("contact", "email"),
                    "contact.email is not an address of the programme's domains ("
                    + ", ".join(domains)
                    + ")",
                    "identity.email-domain",
                    "Give your professional address; the domains allowed are listed in "
                    "programme.yml (email_domains).",
                )
        name = data.get("name")
        if isinstance(name, str) and identity_key(name):
            by_name.setdefault(identity_key(name), []).append(loaded)
        photo = data.get("photo")
        if isinstance(photo, str):
            stem = PurePosixPath(photo).stem
            if stem != cid:
                yield problem(
                    loaded,
                    ("photo",),
                    f"photo: '{photo}' is not named after this profile ('{cid}')",
                    "identity.photo-name",
                    f"Name the photo {PHOTOS_DIR}/{cid}.jpg (or .png, .webp).",
                )
            else:
                photos = (context.root / COACHES_DIR / PHOTOS_DIR).resolve()
                target = (context.root / COACHES_DIR / photo).resolve()
                if not target.is_relative_to(photos):
                    yield problem(
                        loaded,
                        ("photo",),
                        f"photo: {COACHES_DIR}/{photo} is a link to a file outside "
                        f"{COACHES_DIR}/{PHOTOS_DIR}/",
                        "identity.photo-missing",
                        f"Put the picture file itself in {COACHES_DIR}/{PHOTOS_DIR}/, not a link.",
                    )
                elif not target.is_file():
                    yield problem(
                        loaded,
                        ("photo",),
                        f"photo: {COACHES_DIR}/{photo} does not exist",
                        "identity.photo-missing",
                        f"Add the picture to {COACHES_DIR}/{PHOTOS_DIR}/ in the same pull "
                        "request, or remove the photo line.",
                    )
                else:
                    issue = check_file(target, photo, limits)
                    if issue is not None:
                        yield problem(loaded, ("photo",), issue.message, issue.rule, issue.hint)

    # Each duplicate is reported on every file that has it, so a check limited to the files a
    # pull request changes still sees it.
    yield from _duplicates(
        by_handle,
        ("github",),
        "github: '{value}' is also the handle in {others}",
        "identity.duplicate-github",
        "Each coach edits their own profile with their own GitHub account; keep the handle in "
        "one profile only.",
    )
    yield from _duplicates(
        by_email,
        ("contact", "email"),
        "contact.email is also used in {others}",
        "identity.duplicate-email",
        "Give your own professional e-mail address.",
    )
    yield from _duplicates(
        by_name,
        ("name",),
        "name: another profile has the same display name ({others})",
        "identity.duplicate-name",
        "Each coach appears under their own name; if two coaches really share a name, add "
        "a middle name or initial to tell them apart.",
    )


def _duplicates(
    groups: dict[str, list[Loaded]], path: tuple[str, ...], message: str, rule: str, hint: str
) -> Iterator[Problem]:
    for owners in groups.values():
        if len(owners) < 2:
            continue
        for loaded in owners:
            others = ", ".join(o.path for o in owners if o is not loaded)
            value: object = loaded.data or {}
            for part in path:
                value = value.get(part, "") if isinstance(value, dict) else ""
            yield problem(loaded, path, message.format(value=value, others=others), rule, hint)


RULE = RuleSpec(
    __name__,
    ids=(
        FILE_NAME,
        "identity.email-domain",
        "identity.photo-name",
        "identity.photo-missing",
        "identity.duplicate-github",
        "identity.duplicate-email",
        "identity.duplicate-name",
    ),
    reads=("name", "github", "contact", "photo"),
    check=check,
)
