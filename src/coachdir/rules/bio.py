"""Bio rules: only the safe Markdown subset may be published (the site renders it, with
coachdir.site.bio)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from coachdir.loader import Loaded, Position
from coachdir.problems import Problem
from coachdir.rules.base import RuleSpec

ALLOWED_SCHEMES = ("https", "mailto")
#: the bios ``coachdir new`` writes, for the coach to replace: one left in a bio is refused
#: (``bio.placeholder``), so an unfinished profile is never published
BIO_PLACEHOLDERS: dict[str, str] = {
    "fr": "Présentez votre parcours et votre approche en quelques phrases.",
    "en": "Describe your background and your approach in a few sentences.",
}
_SCHEME_IN_TEXT = re.compile(
    r"(?i)\b(?:java\s*script|vb\s*script|live\s*script)\s*(?::|&#0*58;?|&#x0*3a;?|&colon;|%3a)"
)
_LOOKS_LIKE_URL = re.compile(
    r"(?i)^(?:[a-z][a-z0-9+.-]*:(?://)?|www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?$"
)
_HTML_HINT = "Write plain Markdown (**bold**, *italic*, lists, links); HTML is not allowed."


@dataclass(frozen=True)
class BioIssue:
    """Something a bio may not contain.

    ``line`` is the 0-based line of its paragraph within the bio text; ``needle`` is text to
    look for in the file from there, to point at the exact line and column.
    """

    line: int
    message: str
    rule: str
    hint: str
    needle: str = ""


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    # See every link, whatever its scheme: we judge schemes ourselves.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


# Every construct a bio may not hold needs one of these: '<' (HTML, autolinks), '[' (links,
# images), '#' (ATX headings) or an underline line of '=' or '-' (setext headings). A bio
# without any of them is plain text with emphasis and lists, and needs no parsing.
_MAY_HOLD_MARKUP = re.compile(r"[<\[#]|^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


def check_bio(text: str) -> Iterator[BioIssue]:
    """Everything in a bio that the directory refuses to publish."""
    issues = list(_check_tokens(text)) if _MAY_HOLD_MARKUP.search(text) else []
    yield from issues
    match = _SCHEME_IN_TEXT.search(text)
    if match is not None and not any(i.rule == "bio.unsafe-url" for i in issues):
        # A backstop for script addresses the Markdown parser did not take for a link.
        yield BioIssue(
            text.count("\n", 0, match.start()),
            "contains a script address ('javascript:' ...)",
            "bio.unsafe-url",
            "Only https:// and mailto: links are allowed; remove this address.",
            match.group(0),
        )


def _check_tokens(text: str) -> Iterator[BioIssue]:
    for token in _parser().parse(text):
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            first = token.content.strip().split("\n", 1)[0]
            yield BioIssue(line, "contains HTML", "bio.html", _HTML_HINT, first[:40])
        elif token.type == "heading_open":
            yield BioIssue(
                line,
                "contains a heading",
                "bio.heading",
                "Remove the '#' at the start of the line (or the underline); bios have no "
                "headings.",
                token.markup if token.markup.startswith("#") else "",
            )
        elif token.type == "inline":
            yield from _check_inline(token.children or [], line)


def _check_inline(children: Sequence[Any], line: int) -> Iterator[BioIssue]:
    link_href: str | None = None
    link_text = ""
    for child in children:
        ctype = getattr(child, "type", "")
        if ctype == "html_inline":
            yield BioIssue(line, "contains HTML", "bio.html", _HTML_HINT, child.content[:40])
        elif ctype == "image":
            yield BioIssue(
                line,
                "contains an image",
                "bio.image",
                "Remove the image; a photo goes in the 'photo' field.",
                "![",
            )
        elif ctype == "link_open":
            attrs = getattr(child, "attrs", {}) or {}
            link_href = str(attrs.get("href", ""))
            link_text = ""
            scheme = urlsplit(link_href.strip()).scheme.lower()
            if scheme not in ALLOWED_SCHEMES:
                yield BioIssue(
                    line,
                    f"links to a '{scheme or 'relative'}' address",
                    "bio.unsafe-url",
                    "Only https:// and mailto: links are allowed.",
                    link_href.strip()[:20],
                )
        elif ctype == "text" and link_href is not None:
            link_text += str(getattr(child, "content", ""))
        elif ctype == "link_close" and link_href is not None:
            shown = link_text.strip()
            if _LOOKS_LIKE_URL.match(shown) and _host(shown) != _host(link_href):
                yield BioIssue(
                    line,
                    "a link's text shows one address but leads to another",
                    "bio.deceptive-link",
                    "Make the link text the same address as the target, or use plain words.",
                    shown[:40],
                )
            link_href = None


def _host(url: str) -> str:
    url = url.strip()
    if not re.match(r"(?i)^[a-z][a-z0-9+.-]*:", url):
        url = "https://" + url
    parts = urlsplit(url)
    host = (parts.hostname or parts.path).lower()
    return host.removeprefix("www.")


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
        for placeholder in BIO_PLACEHOLDERS.values():
            if placeholder in text:
                issue = BioIssue(
                    0,
                    "still holds the sample sentence that 'coachdir new' wrote",
                    "bio.placeholder",
                    "Replace it with a few sentences about your background and approach (or "
                    "remove this language's bio if you write the other one).",
                    placeholder,
                )
                line, col = _locate(issue, start, lines)
                yield Problem(
                    loaded.path, line, col, f"bio.{lang}: {issue.message}", issue.rule, issue.hint
                )
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
    ids=(
        "bio.unsafe-url",
        "bio.html",
        "bio.heading",
        "bio.image",
        "bio.deceptive-link",
        "bio.placeholder",
    ),
)
