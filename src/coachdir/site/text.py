"""Text for the site's pages: dates in words, and settings values escaped for the place they
land (Markdown text, HTML text and attributes, addresses)."""

from __future__ import annotations

import html
import re
import string
from datetime import date
from urllib.parse import quote


def format_date(value: str, lang: str) -> str:
    """ISO date -> '3 février 2026' / '3 February 2026'."""
    months = {
        "fr": [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        "en": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    }
    day = date.fromisoformat(value)
    first = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{first} {months[lang][day.month - 1]} {day.year}"


#: Characters encoded wherever they are in a settings value put into Markdown: inline syntax
#: (emphasis, code, links, images, raw HTML and entities, attr_list's ``{ }``, tables' ``|``,
#: common extensions' ``~ ^ = : + $``) and ``"`` (link titles).
_MD_ALWAYS = frozenset('\\`*_{}[]<>&#|!~^=:+$"')
_ASCII_PUNCTUATION = frozenset(string.punctuation)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LIST_NUMBER = re.compile(r"\d+(?=[.)])")


def md_text(value: str) -> str:
    """Markdown source that renders as the text ``value``: never markup, a link or a block.

    Markdown metacharacters become numeric character references (``&#42;``), which every
    Markdown dialect passes through as text and the browser shows as the character; so do
    the first character (when it is punctuation or a space: no list, quote, heading, rule or
    setext underline), the dot of a leading number (no ordered list) and a last space (so the
    page's own emphasis around the value still closes). Runs of white space become one space
    (the same visible text, and no hard line break or new block); control characters, which
    no loaded file may hold, become U+FFFD.
    """
    text = _CONTROL.sub("\ufffd", _SPACES.sub(" ", value))
    number = _LIST_NUMBER.match(text)
    skip = number.end() if number else 0
    last = len(text) - 1
    out = []
    for i, char in enumerate(text):
        first = i == 0 and (char.isspace() or char in _ASCII_PUNCTUATION)
        edge = first or (i == last and char.isspace()) or (number is not None and i == skip)
        if char in _MD_ALWAYS or edge:
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def html_text(value: str) -> str:
    """``value`` escaped for HTML text and quoted attributes (``_`` too: see SITE_NAME_SLOT)."""
    return html.escape(value, quote=True).replace("_", "&#95;")


def url_text(url: str) -> str:
    """``url`` percent-encoded where it could leave a quoted attribute or spell a slot.

    Only for addresses the schema already restricted (``https:``/``mailto:``); the scheme is
    checked again so that no other one reaches a page.
    """
    if not url.startswith("https://") and ":" in url.split("@")[0]:
        raise ValueError("a settings address is not https (the schema should have refused it)")
    return quote(url, safe="/:@!$&()*+,;=%~.-?#").replace("_", "%5F")


def mailto_url(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` address with its subject and body, percent-encoded (``_`` too: see
    ``render.SITE_NAME_SLOT``); ``address`` as :func:`url_text` writes it."""

    def encoded(text: str) -> str:
        return quote(text, safe="").replace("_", "%5F")

    return f"mailto:{url_text(address)}?subject={encoded(subject)}&body={encoded(body)}"
