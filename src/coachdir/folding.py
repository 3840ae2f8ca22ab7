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
