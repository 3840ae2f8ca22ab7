"""The issue forms' YAML writer: every scalar string double-quoted, so output is stable."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from coachdir.github.vocabulary import (
    _KEY,
    _UNPRINTABLE,
    _UNSAFE_RAW,
)

# --------------------------------------------------------------------------- YAML


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML escapes too); characters YAML
    cannot hold raw, or would read as line breaks, are escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _block_ok(text: str) -> bool:
    if "\n" not in text or text.endswith("\n") or text.startswith((" ", "\n")):
        return False
    if _UNPRINTABLE.search(text):
        return False  # only a quoted scalar can carry these
    return all(line == line.rstrip() for line in text.split("\n"))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    raise TypeError(f"cannot write {type(value).__name__} in a form")


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or not _KEY.fullmatch(key):
                raise ValueError(f"unexpected key {key!r}")
            if isinstance(item, Mapping | list) and item:
                out.append(f"{pad}{key}:")
                out.extend(_lines(item, indent + 2))
            elif isinstance(item, list):
                out.append(f"{pad}{key}: []")
            elif isinstance(item, str) and _block_ok(item):
                out.append(f"{pad}{key}: |-")
                out.extend(f"{pad}  {row}" if row else "" for row in item.split("\n"))
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
        return out
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and item:
                inner = _lines(item, indent + 2)
                out.append(f"{pad}- {inner[0][indent + 2 :]}")
                out.extend(inner[1:])
            elif isinstance(item, Mapping | list):
                raise ValueError("empty or nested lists are not written")
            else:
                out.append(f"{pad}- {_scalar(item)}")
        return out
    raise TypeError("a mapping or a list is expected")


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Block-style YAML with every string double-quoted (or a ``|-`` block if multi-line)."""
    return "\n".join(_lines(data, 0)) + "\n"


# --------------------------------------------------------------------------- files
