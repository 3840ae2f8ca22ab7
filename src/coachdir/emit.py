"""Write profile data as YAML text in the strict subset, fields in the schema's order."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from coachdir.loader import load_text

HEADER = "# yaml-language-server: $schema=../schemas/coach.schema.json\n"
_PLAIN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str | None:
    """A literal block scalar, when the text can be one without changing it."""
    if not text.strip() or text[0] in " \t" or "\r" in text or "\t" in text:
        return None
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
    if text.endswith("\n\n"):
        return None
    body = text[:-1] if text.endswith("\n") else text
    lines = [indent + line if line else "" for line in body.split("\n")]
    return f"|{chomp}\n" + "\n".join(lines)


def _emit(value: Any, indent: int, out: list[str], key: str | None) -> None:
    pad = "  " * indent
    prefix = f"{pad}{key}:" if key is not None else ""
    if isinstance(value, Mapping):
        out.append(prefix)
        for k, v in value.items():
            _emit(v, indent + 1, out, str(k))
    elif isinstance(value, Sequence) and not isinstance(value, str):
        if value and all(isinstance(v, Mapping) for v in value):
            out.append(prefix)
            for item in value:
                first = True
                for k, v in item.items():
                    lead = f"{pad}  - " if first else f"{pad}    "
                    sub: list[str] = []
                    _emit(v, 0, sub, str(k))
                    sub[0] = lead + sub[0]
                    out.extend(sub[:1] + [("  " * (indent + 2)) + s for s in sub[1:]])
                    first = False
        else:
            out.append(f"{prefix} [" + ", ".join(_scalar(v) for v in value) + "]")
    elif isinstance(value, str) and "\n" in value:
        block = _block(value, "  " * (indent + 1))
        out.append(f"{prefix} {block if block is not None else _scalar(value)}")
    else:
        out.append(f"{prefix} {_scalar(value)}")


def emit_profile(data: Mapping[str, Any], order: Sequence[str], comment: str = "") -> str:
    """Profile text: the schema comment line, an optional comment, then fields in ``order``
    (unknown keys last). The result is checked to load back to exactly ``data``."""
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    out: list[str] = []
    for key in keys:
        _emit(data[key], 0, out, key)
    text = HEADER + (f"# {comment}\n" if comment else "") + "\n".join(out) + "\n"
    loaded = load_text("(generated)", text)
    if loaded.data != dict(data):
        raise ValueError("emitted YAML does not load back to the same data")
    return text
