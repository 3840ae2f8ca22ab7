"""Text rules shared by every part: the character policy, folding, the coach-id pattern, slugs.

The character policy is one for everything a person types: profiles, settings and issue bodies.

Refused everywhere:

* control characters: C0 controls except tab, line feed and carriage return; DEL; C1 controls
  (U+0085 NEXT LINE included, an invisible line break for some tools);
* U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: invisible line breaks that git and
  grep do not see but YAML and browsers do;
* invisible format characters: soft hyphen U+00AD, Arabic letter mark U+061C, Hangul fillers
  (U+115F, U+1160, U+3164, U+FFA0), combining grapheme joiner U+034F, Khmer inherent vowels
  U+17B4/U+17B5, Mongolian vowel separator U+180E, zero-width space U+200B, left-to-right and
  right-to-left marks U+200E/U+200F, bidirectional embeddings, overrides and isolates
  (U+202A-U+202E, U+2066-U+2069), word joiner and invisible operators (U+2060-U+2064),
  deprecated format characters U+206A-U+206F, byte-order mark / zero-width no-break space
  U+FEFF, interlinear annotation characters U+FFF9-U+FFFB, musical formatting characters
  U+1D173-U+1D17A, and tag characters U+E0000-U+E007F.

Accepted only where writing needs them (the *joiner rule*):

* U+200D ZERO WIDTH JOINER inside an emoji sequence: the character before it is an emoji
  (a symbol of category So, or an emoji in the U+1F000-U+1FAFF blocks), possibly followed by
  the emoji presentation selector U+FE0F or a skin-tone modifier U+1F3FB-U+1F3FF, and the
  character after it is an emoji (as in 👩‍💻 or 🏳️‍🌈);
* U+200C ZERO WIDTH NON-JOINER and U+200D between two letters or marks (categories L and M)
  of one script that uses them: Arabic script (Arabic, Persian, Urdu...: U+0600-U+06FF,
  U+0750-U+077F, U+08A0-U+08FF, U+FB50-U+FDFF, U+FE70-U+FEFE), Syriac (U+0700-U+074F),
  N'Ko (U+07C0-U+07FF), Mongolian (U+1800-U+18AF), and the Indic scripts from Devanagari to
  Sinhala (U+0900-U+0DFF);
* tag characters only in an emoji tag sequence (a subdivision flag such as 🏴 followed by
  tag letters and U+E007F CANCEL TAG).

Anywhere else these joiners are refused like every other invisible character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

ZWNJ = "\u200c"
ZWJ = "\u200d"
_TAG_RANGE = "\U000e0000-\U000e007f"

#: characters refused wherever they are (joiners and tags are checked by context)
_ALWAYS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # controls (NEL U+0085 included)
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a"
)
_CANDIDATES = re.compile(f"[{_ALWAYS}{ZWNJ}{ZWJ}{_TAG_RANGE}]")
#: a well-formed emoji tag sequence: black flag, tag characters, cancel tag
_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: scripts whose spelling needs ZWJ / ZWNJ between letters
_JOINING_SCRIPTS = (
    ("arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF))),
    ("arabic-forms", ((0xFE70, 0xFEFE),)),
    ("syriac", ((0x0700, 0x074F),)),
    ("nko", ((0x07C0, 0x07FF),)),
    ("mongolian", ((0x1800, 0x18AF),)),
    ("indic", ((0x0900, 0x0DFF),)),
)


def _script(ch: str) -> str | None:
    code = ord(ch)
    if not unicodedata.category(ch).startswith(("L", "M")):
        return None
    for name, ranges in _JOINING_SCRIPTS:
        if any(low <= code <= high for low, high in ranges):
            return "arabic" if name == "arabic-forms" else name
    return None


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch) == "So" or 0x1F000 <= code <= 0x1FAFF


def _joiner_allowed(text: str, index: int) -> bool:
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if text[index] == ZWJ:
        base = index - 1
        if before == "\ufe0f" or 0x1F3FB <= ord(before) <= 0x1F3FF:
            base -= 1
        if base >= 0 and _is_emoji(text[base]) and _is_emoji(after):
            return True
    script = _script(before)
    return script is not None and script == _script(after)


def forbidden(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(index, character)`` for every character the policy refuses in ``text``."""
    tags_ok: set[int] = set()
    if "\U000e007f" in text:
        for match in _TAG_SEQUENCE.finditer(text):
            tags_ok.update(range(match.start() + 1, match.end()))
    for match in _CANDIDATES.finditer(text):
        index, ch = match.start(), match.group()
        if ch in (ZWJ, ZWNJ) and _joiner_allowed(text, index):
            continue
        if index in tags_ok:
            continue
        yield index, ch


def first_forbidden(text: str) -> tuple[int, str] | None:
    """The first refused character of ``text`` and its index, or None."""
    return next(forbidden(text), None)


def is_control(ch: str) -> bool:
    """True for a control character (the rest of the refused set is invisible formatting)."""
    return _CONTROL.fullmatch(ch) is not None


def describe(ch: str) -> str:
    """'a control character' or 'an invisible character', for messages."""
    return "a control character" if is_control(ch) else "an invisible character"


# Accent and letter folding for ids and sorting: 'Øystein Hélène' -> 'oystein helene'.
# Letters that do not decompose into a base letter plus accents.
_TRANSLIT = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII approximation: accents dropped, special letters transliterated."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def identity_key(text: str) -> str:
    """What makes two display names the same person's to a reader: NFKC, case and accents
    folded, spaces collapsed ('Hélène  DUBOIS' == 'helene dubois' == 'Ｈｅｌｅｎｅ Dubois').
    Letters of every script are kept (unlike :func:`fold`), so 'Ωμέγα' and 'Ωμεγα' match."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLIT).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", bare).split())


# Coach ids and slugs: the one definition of what an id looks like and how a name becomes one.

#: a coach id (a profile's file name without ``.yml``): lower-case ASCII letters and digits,
#: in words joined by single hyphens
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: the longest coach id the identity rule accepts
MAX_ID_LENGTH = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII id form of a name: 'Zoé Nguyễn' -> 'zoe-nguyen' ('' when nothing is left)."""
    return _NOT_SLUG.sub("-", fold(text)).strip("-")


def label_slug(label: str) -> str:
    """The key of a question that has no ``id`` in its template: its label folded to
    lower-case ASCII, every run of other characters made one "-" ("Votre rôle (actuel)"
    gives "votre-role-actuel"); "field" when nothing is left. A slug already used by an
    earlier question gets "-2", "-3"..."""
    return slugify(label) or "field"


def coach_id_for(name: str, taken: Callable[[str], bool]) -> str:
    """A free coach id made from a display name: its ASCII slug, cut at a hyphen so that the
    id (with a "-2", "-3"... suffix when ``taken`` says the plain one is used) stays within
    MAX_ID_LENGTH; "coach" when the name has no ASCII letter or digit."""
    base = slugify(name) or "coach"
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        stem = _cut_at_hyphen(base, MAX_ID_LENGTH - len(suffix))
        candidate = stem + suffix
        if not taken(candidate):
            return candidate
        number += 1


def _cut_at_hyphen(slug: str, limit: int) -> str:
    """``slug`` itself when short enough, else its longest run of whole words within
    ``limit`` characters (a single word longer than the limit is cut inside)."""
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]
    cut = head.rfind("-")
    return slug[:cut] if cut > 0 else slug[:limit]
