"""Identity rules: file names are ids, GitHub handles and e-mails are unique, photos exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules import Context, problem

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def coach_id(loaded: Loaded) -> str:
    """The coach id is the file name without ``.yml``."""
    return PurePosixPath(loaded.path).name.removesuffix(".yml")


def check(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    handles: dict[str, Loaded] = {}
    emails: dict[str, Loaded] = {}
    for loaded in sorted(profiles, key=lambda p: p.path):
        data = loaded.data or {}
        cid = coach_id(loaded)
        if not ID_PATTERN.fullmatch(cid) or len(cid) > 60:
            yield problem(
                loaded,
                (),
                f"file name '{PurePosixPath(loaded.path).name}' is not a valid coach id",
                "identity.file-name",
                "Name the file <first>-<last>.yml in lower-case ASCII letters, digits and "
                "single hyphens, e.g. helene-dubois.yml.",
            )
        handle = str(data.get("github", "")).lower()
        if handle:
            if handle in handles:
                first = handles[handle]
                line, _ = first.where(("github",))
                yield problem(
                    loaded,
                    ("github",),
                    f"github: '{data['github']}' is already the handle of {first.path} "
                    f"(line {line})",
                    "identity.duplicate-github",
                    "Each coach edits their own profile with their own GitHub account; use yours.",
                )
            else:
                handles[handle] = loaded
        email = str(data.get("contact", {}).get("email", "")).lower()
        if email:
            if email in emails:
                yield problem(
                    loaded,
                    ("contact", "email"),
                    f"contact.email is already used by {emails[email].path}",
                    "identity.duplicate-email",
                    "Give your own professional e-mail address.",
                )
            else:
                emails[email] = loaded
        photo = data.get("photo")
        if isinstance(photo, str):
            stem = PurePosixPath(photo).stem
            if stem != cid:
                yield problem(
                    loaded,
                    ("photo",),
                    f"photo: '{photo}' is not named after this profile ('{cid}')",
                    "identity.photo-name",
                    f"Name the photo photos/{cid}.jpg (or .png, .webp).",
                )
            else:
                photos = (context.root / "coaches" / "photos").resolve()
                target = (context.root / "coaches" / photo).resolve()
                if not target.is_relative_to(photos) or not target.is_file():
                    yield problem(
                        loaded,
                        ("photo",),
                        f"photo: coaches/{photo} does not exist",
                        "identity.photo-missing",
                        "Add the picture to coaches/photos/ in the same pull request, or "
                        "remove the photo line.",
                    )
