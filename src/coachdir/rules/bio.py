"""Bio rules: only the safe Markdown subset may be published."""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.bio import check_bio
from coachdir.loader import Loaded
from coachdir.problems import Problem


def check(loaded: Loaded) -> Iterator[Problem]:
    """Problems in one profile's bios (a per-file check, cached with the schema's)."""
    for lang, text in (loaded.data or {}).get("bio", {}).items():
        line, col = loaded.where(("bio", lang))
        for issue in check_bio(text):
            yield Problem(
                loaded.path,
                line + issue.line,
                col,
                f"bio.{lang}: {issue.message}",
                issue.rule,
                issue.hint,
            )
