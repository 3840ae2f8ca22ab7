"""A pasted e-mail made into the form body to parse, with its sender and the day it was sent."""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass
from datetime import date
from email import message_from_bytes, policy
from email.errors import NonASCIILocalPartDefect
from email.headerregistry import AddressHeader, HeaderRegistry
from email.message import EmailMessage
from typing import cast

from coachdir.problems import UsageError

__all__ = ["Mail", "read_mail", "sender_address"]

#: a header line of a pasted message (RFC 5322 field name, a colon)
_HEADER = re.compile(r"[!-9;-~]+:")
#: headers that say the text is a whole message, not a body (one is enough)
_MESSAGE_HEADERS = frozenset({"from", "date", "subject", "to", "message-id", "mime-version"})
#: a quoted-printable escape left in a body copied from a message's source
_QP_ESCAPE = re.compile(r"=(?:[0-9A-F]{2}|\n)")
_QP_ANY = re.compile(r"=")
#: the signature separator of RFC 3676 (4.3), also as clients that strip trailing spaces send it
_SIGNATURE = frozenset({"-- ", "--"})
_QUOTE = re.compile(r">+ ?")
#: the line a mail client writes before the message it quotes ("On ... wrote:")
_ATTRIBUTION = re.compile(
    r".*(?:wrote|a écrit|écrit)\s*:\s*|-+ *(?:original message|message d'origine) *-+",
    re.IGNORECASE,
)
_REGISTRY = HeaderRegistry()


@dataclass(frozen=True)
class Mail:
    """A pasted e-mail: the text to parse as the form's body, and what its headers say."""

    body: str
    sent: date | None = None
    """The day of its ``Date:`` header, in the sender's own time zone (None without one)."""
    sender: str | None = None
    """The address of its ``From:`` header, as :func:`sender_address` reads it (None without
    one, or when it is not exactly one address: see ``sender_refused``)."""
    sender_refused: bool = False
    """It has a ``From:`` header that is not exactly one address (as a copy of a client's
    display, "From: Camille Martin", may be)."""


def sender_address(text: str) -> str:
    """The one e-mail address ``text`` names: ``Name <addr>``, ``<addr>``, ``mailto:addr`` or
    ``addr``. A UsageError (exit 2) for anything else (empty, not an address, two addresses);
    the message never shows the text, which is personal data."""
    value = text.strip()
    if value[:7].casefold() == "mailto:":
        value = value[7:]
    refused = UsageError(
        "the sender is not exactly one e-mail address (give one address, written addr, "
        "<addr>, Name <addr> or mailto:addr)"
    )
    if not value or "\n" in value or "\r" in value:
        raise refused
    header = cast(AddressHeader, _REGISTRY("From", value))
    defects = [
        d for d in getattr(header, "defects", ()) if not isinstance(d, NonASCIILocalPartDefect)
    ]
    if defects or len(header.addresses) != 1:
        raise refused
    address = header.addresses[0]
    if not address.username or not address.domain or address.addr_spec.startswith('"'):
        raise refused
    return f"{address.username}@{address.domain}"


def read_mail(text: str) -> Mail:
    """The body to parse from what was pasted: a whole message (headers, a blank line, its
    body; MIME with quoted-printable or base64 and format=flowed, as mail clients send it), or
    a body alone (with the quoted-printable escapes a copy from a message's source leaves:
    ``=`` soft line breaks, ``=3D``, ``=C3=A9``). Then the signature (from a line ``-- ``) is
    cut off, and a reply's quoted copy (``> `` lines) is dropped when the body has the form's
    headings itself, or is the body when only the quote has them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sent: date | None = None
    sender: str | None = None
    refused = False
    if _is_message(text):
        # as bytes: an 8bit body is then decoded with its own charset
        message = message_from_bytes(text.encode("utf-8"), policy=policy.default)
        if not isinstance(message, EmailMessage):  # pragma: no cover - policy.default gives one
            raise TypeError("the e-mail parser did not give an EmailMessage")
        sent = _sent(message)
        if message["From"] is not None:
            try:
                sender = sender_address(str(message["From"]))
            except UsageError:
                refused = True
        text = _plain_body(message)
    elif _QP_ESCAPE.search(text) and len(_QP_ANY.findall(text)) == len(_QP_ESCAPE.findall(text)):
        text = _unquote_printable(text)
    lines = _without_signature(text.split("\n"))
    return Mail("\n".join(_without_quote(lines)), sent, sender, refused)


def _is_message(text: str) -> bool:
    """Whether ``text`` starts with a message's header lines, as a pasted message's source."""
    head = text.lstrip("\n").split("\n\n", 1)[0].split("\n")
    names = set()
    for line in head:
        if line[:1] in (" ", "\t"):
            continue  # a folded header line
        found = _HEADER.match(line)
        if found is None:
            return False
        names.add(found.group()[:-1].casefold())
    return bool(names & _MESSAGE_HEADERS)


def _sent(message: EmailMessage) -> date | None:
    header = message["Date"]
    if header is None:
        return None
    when = getattr(header, "datetime", None)
    if when is None:
        raise UsageError(
            "the pasted message's Date: header is not a date; give the day it was sent with "
            "--received YYYY-MM-DD"
        )
    return date(when.year, when.month, when.day)


def _plain_body(message: EmailMessage) -> str:
    """The text/plain part, decoded (transfer encoding and charset) and unflowed."""
    part = message.get_body(preferencelist=("plain",))
    if part is None or not isinstance(part, EmailMessage):
        raise UsageError(
            "the pasted message has no plain-text part; paste the text of the e-mail instead"
        )
    if part.get_content_charset() is None:
        # no charset named (a message pasted with its headers but no Content-Type): the text
        # is what was pasted, UTF-8, not the us-ascii a MIME reader would assume
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else ""
    else:
        content = part.get_content()
    if not isinstance(content, str):  # pragma: no cover - a text part gives text
        raise UsageError("the pasted message's text cannot be read")
    content = content.replace("\r\n", "\n")
    if str(part.get_param("format", "", header="content-type")).casefold() == "flowed":
        delsp = str(part.get_param("delsp", "", header="content-type")).casefold() == "yes"
        content = _unflow(content, delsp)
    return content


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676: a line ending in a space continues on the next line (quote depth and the
    signature separator respected); space-stuffing is undone."""
    out: list[tuple[int, str]] = []
    joining = False
    for raw in text.split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        line = raw[depth:]
        if line.startswith(" "):
            line = line[1:]  # space-stuffed
        if joining and out and out[-1][0] == depth:
            previous = out[-1][1]
            out[-1] = (depth, previous[:-1] + line if delsp else previous + line)
        else:
            out.append((depth, line))
        joining = line.endswith(" ") and line != "-- "
    return "\n".join(">" * depth + (" " if depth else "") + line for depth, line in out)


def _unquote_printable(text: str) -> str:
    decoded = quopri.decodestring(text.encode("utf-8"))
    try:
        return decoded.decode("utf-8")
    except UnicodeDecodeError:
        return text  # not quoted-printable after all: the parser reads it as it is


def _without_signature(lines: list[str]) -> list[str]:
    """Everything before the last signature separator (RFC 3676, 4.3)."""
    for number in range(len(lines) - 1, -1, -1):
        if lines[number] in _SIGNATURE:
            return lines[:number]
    return lines


def _without_quote(lines: list[str]) -> list[str]:
    """A reply: its own text when it holds the form's headings (the quoted message and its
    attribution line dropped), else the quoted text with one level of ``>`` removed when that
    holds them (the attribution line dropped; any other line of the reply's own is kept where
    it is, so the parser refuses it rather than it being lost)."""
    quoted = [bool(_QUOTE.match(line)) for line in lines]
    if not any(quoted):
        return lines
    own = [line for line, q in zip(lines, quoted, strict=True) if not q]
    if any(line.startswith("###") for line in own):
        kept = [
            line
            for number, (line, q) in enumerate(zip(lines, quoted, strict=True))
            if not q and number not in _attribution(lines, quoted)
        ]
        while kept and not kept[-1].strip():
            kept.pop()
        return kept
    inner = [
        _QUOTE.sub("", line, count=1) if q else line for line, q in zip(lines, quoted, strict=True)
    ]
    if not any(line.startswith("###") for line, q in zip(inner, quoted, strict=True) if q):
        return lines
    dropped = _attribution(lines, quoted)
    return [line for number, line in enumerate(inner) if number not in dropped]


def _attribution(lines: list[str], quoted: list[bool]) -> set[int]:
    """The lines of the attribution before each quoted block ("On ..., X wrote:", which a
    client may wrap over two or three lines)."""
    found: set[int] = set()
    for start, q in enumerate(quoted):
        if not q or (start and quoted[start - 1]):
            continue
        end = start
        while end and not lines[end - 1].strip():
            end -= 1
        longest = end
        for first in range(end - 1, max(end - 4, -1), -1):
            if quoted[first] or not lines[first].strip():
                break
            joined = " ".join(line.strip() for line in lines[first:end])
            if _ATTRIBUTION.fullmatch(joined):
                longest = first
        found.update(range(longest, end))
    return found
