"""Coach bios: their sanitised HTML (what a bio may hold is checked by coachdir.rules.bio)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from coachdir.rules.bio import ALLOWED_SCHEMES


@cache
def _renderer() -> MarkdownIt:
    # HTML is off: anything that looks like a tag is shown as text, and nh3 cleans up after.
    return MarkdownIt("commonmark", {"html": False}).disable(["image", "heading", "lheading"])


def _show_targets(tokens: Sequence[Any]) -> None:
    """After each link whose text is not its address, add the address in brackets."""
    for block in tokens:
        children = block.children or []
        out: list[Any] = []
        href = ""
        text = ""
        for child in children:
            out.append(child)
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                text = ""
            elif child.type == "text":
                text += child.content
            elif child.type == "link_close" and href:
                shown = href.removeprefix("mailto:")
                if text.strip() not in (href, shown):
                    extra = Token("text", "", 0)
                    extra.content = f" ({shown})"
                    out.append(extra)
                href = ""
        block.children = out


def render_bio(text: str) -> str:
    """Sanitised HTML for a bio. Link targets are shown next to their text."""
    md = _renderer()
    tokens = md.parse(text)
    _show_targets(tokens)
    html = md.renderer.render(tokens, md.options, {})
    return nh3.clean(
        html,
        tags={"p", "em", "strong", "ul", "ol", "li", "a", "br", "code", "blockquote"},
        attributes={"a": {"href"}},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
