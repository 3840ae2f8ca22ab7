"""PII scan: every value of every record file that loads (schema-valid or not), after NFKC
normalisation, is scanned for e-mail addresses (full-width and spelled-out forms such as
"name dot name at example dot org"), phone numbers (French and international forms), French
NIR (social security numbers, 13 digits and the 2-digit check key, with 2A/2B for Corsica),
UK National Insurance numbers, and the display names of the directory's coaches (folded with
``coachdir.text.fold``). A finding names the field and what it looks like, never the value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem
from coachdir.text import fold

_SEP = r"\s*(?:\.|\bdot\b|\bpoint\b|\[dot\]|\(dot\)|\[point\])\s*"
_AT = r"\s*(?:@|\bat\b|\barobase\b|\[at\]|\(at\)|\{at\})\s*"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SPELLED_EMAIL = re.compile(
    rf"\b[a-z0-9][a-z0-9_+-]*(?:{_SEP}[a-z0-9_+-]+)*{_AT}[a-z0-9-]+(?:{_SEP}[a-z0-9-]+)*"
    rf"{_SEP}[a-z]{{2,6}}\b"
)
PHONE = re.compile(
    r"(?:\+|\b00)\d{1,3}(?:[\s.()-]*\d){6,14}\b"  # international: +33 6 12 34 56 78
    r"|\b0[1-9](?:[\s.-]?\d{2}){4}\b"  # French national: 06 12 34 56 78
    r"|\b0\d{3,4}[\s.-]?\d{6}\b"  # UK national: 07700 900123
)
NIR = re.compile(
    r"\b([12])\s?(\d{2})\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2[AB])\s?(\d{3})\s?(\d{3})\s?"
    r"(\d{2})\b",
    re.IGNORECASE,
)
NINO = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)


def nir_key_ok(match: re.Match[str]) -> bool:
    """Whether an NIR's check key is 97 minus the number mod 97 (2A -> 19, 2B -> 18)."""
    sex, year, month, dept, town, order, key = match.groups()
    dept = {"2A": "19", "2B": "18"}.get(dept.upper(), dept)
    return 97 - int(sex + year + month + dept + town + order) % 97 == int(key)


@dataclass(frozen=True)
class Names:
    """The folded display names of the directory's coaches, looked up by word runs: a value is
    checked against a set, whatever the number of coaches (not against every name in turn)."""

    keys: frozenset[str]
    #: the distinct numbers of words of the names
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, keys: Iterable[str]) -> Names:
        found = frozenset(keys)
        return cls(found, tuple(sorted({len(k.split(" ")) for k in found})))

    def in_words(self, words: list[str]) -> bool:
        """Whether the words hold a name, as a run of whole words."""
        for size in self.lengths:
            for start in range(len(words) - size + 1):
                if " ".join(words[start : start + size]) in self.keys:
                    return True
        return False


def findings(text: str, names: Names) -> Iterator[tuple[str, str]]:
    """``(rule id, what the value looks like)`` for each kind of PII found in ``text``."""
    value = unicodedata.normalize("NFKC", text)
    folded = fold(value)
    if EMAIL.search(value) or SPELLED_EMAIL.search(folded):
        yield "pii.email", "an e-mail address"
    nir = NIR.search(value)
    if nir:
        yield (
            "pii.nir",
            "a French social security number (NIR)"
            + ("" if nir_key_ok(nir) else ", even with a wrong check key"),
        )
    elif PHONE.search(value):
        yield "pii.phone", "a phone number"
    if NINO.search(value):
        yield "pii.nino", "a UK National Insurance number"
    if names.in_words(re.sub(r"[^a-z0-9-]+", " ", folded).split()):
        yield "pii.name", "the name of a coach of the directory"


def _values(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _values(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _values(value, (*path, index))
    elif isinstance(data, (str, int)) and not isinstance(data, bool):
        yield path, str(data)


def _name_keys(context: RecordContext) -> Names:
    out = []
    for profile in context.profiles.values():
        name = profile.get("name")
        if isinstance(name, str):
            key = " ".join(re.sub(r"[^a-z0-9-]+", " ", fold(name)).split())
            if key:
                out.append(key)
    return Names.of(out)


def _label(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    names = _name_keys(context)
    for loaded in records.scanned:
        yield from _scan(loaded, names)


def _scan(loaded: Loaded, names: Names) -> Iterator[Problem]:
    for path, text in _values(loaded.data, ()):
        for rule, what in findings(text, names):
            yield problem(
                loaded,
                path,
                f"{_label(path)}: the value looks like {what}; records hold codes only",
                rule,
                "Remove the personal data from the record (and from the Git history if it was "
                "committed); people appear only as pseudonymous codes.",
            )


RULE = RecordRuleSpec(
    __name__,
    ids=("pii.email", "pii.phone", "pii.nir", "pii.nino", "pii.name"),
    check=check,
)
