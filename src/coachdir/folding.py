"""Accent and letter folding for ids and sorting: 'Øystein Hélène' -> 'oystein helene'."""

from __future__ import annotations

import unicodedata

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
