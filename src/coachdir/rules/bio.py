"""Bio rules: only the safe Markdown subset may be published."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from coachdir.loader import Loaded, Position
from coachdir.problems import Problem
from coachdir.rules.base import RuleSpec
from coachdir.site.bio import BioIssue, check_bio


def check(loaded: Loaded, lines: Sequence[str] = ()) -> Iterator[Problem]:
    """Problems in one profile's bios (a per-file check, cached with the schema's).

    ``lines`` are the file's text lines, used to point at the exact line and column of each
    culprit (a bio may be quoted, literal ``|`` or folded ``>``).
    """
    bio = (loaded.data or {}).get("bio")
    if not isinstance(bio, dict):
        return
    for lang, text in bio.items():
        if not isinstance(text, str):
            continue
        start = loaded.where(("bio", lang))
        for issue in check_bio(text):
            line, col = _locate(issue, start, lines)
            yield Problem(
                loaded.path, line, col, f"bio.{lang}: {issue.message}", issue.rule, issue.hint
            )


def _locate(issue: BioIssue, start: Position, lines: Sequence[str]) -> Position:
    """Find the culprit in the file at or after its paragraph's line; else the paragraph."""
    guess = start[0] + issue.line
    if issue.needle and lines:
        for first in (guess, start[0]):
            for number in range(first, len(lines) + 1):
                column = lines[number - 1].find(issue.needle)
                if column >= 0 and (number > start[0] or column + 1 >= start[1]):
                    return number, column + 1
    return guess, start[1]


RULE = RuleSpec(
    __name__,
    # raised by coachdir.site.bio, which the site uses to render the same bios
    ids=("bio.unsafe-url", "bio.html", "bio.heading", "bio.image", "bio.deceptive-link"),
)
