"""The one YAML writer: block-style YAML in the strict subset that loader.py reads.

Two styles, one module: profiles (:func:`emit_profile`: ids plain, other text double-quoted,
multi-line text as literal blocks, fields in the schema's order, checked to load back equal)
and issue forms (:func:`dump_yaml`: every string double-quoted, so the output is stable).
The round-trip editor that keeps a profile's comments (github/roundtrip.py) is ruamel's."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from coachdir.loader import load_text

HEADER = "# yaml-language-server: $schema=../schemas/coach.schema.json\n"
_PLAIN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
#: a key the forms' style writes
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Not printable in YAML, or a line break (NEL, LS, PS): never written raw.
_UNSAFE_RAW = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# What a literal block cannot hold: the above, and controls (tab and CR included) but LF.
_UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


class Quoted(str):
    """Text the profile style writes double-quoted even where a plain word would do."""

    __slots__ = ()


def is_plain(text: str) -> bool:
    """True when the profile style writes ``text`` as a plain (unquoted) scalar."""
    return (
        not isinstance(text, Quoted)
        and _PLAIN.fullmatch(text) is not None
        and (text not in _RESERVED)
    )


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and is_plain(value):
        return value
    return json.dumps(str(value), ensure_ascii=False)


def _block(text: str, indent: str) -> str | None:
    """A literal block scalar, when the text can be one without changing it."""
    if not text.strip() or "\r" in text or "\t" in text:
        return None
    first = next(line for line in text.split("\n") if line)
    if first[0] == " ":  # YAML would take its leading spaces for the block's indentation
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


def emit_profile(
    data: Mapping[str, Any], order: Sequence[str], comment: str = "", *, check: bool = True
) -> str:
    """Profile text: the schema comment line, an optional comment, then fields in ``order``
    (unknown keys last). The result is checked to load back to exactly ``data`` (``check``:
    only the demo, writing its own synthetic data by the thousand, skips the check)."""
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    out: list[str] = []
    for key in keys:
        _emit(data[key], 0, out, key)
    text = HEADER + (f"# {comment}\n" if comment else "") + "\n".join(out) + "\n"
    if check and load_text("(generated)", text).data != dict(data):
        raise ValueError("emitted YAML does not load back to the same data")
    return text


# --------------------------------------------------------------------------- forms' style


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


def _form_scalar(value: Any) -> str:
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
                out.append(f"{pad}{key}: {_form_scalar(item)}")
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
                out.append(f"{pad}- {_form_scalar(item)}")
        return out
    raise TypeError("a mapping or a list is expected")


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Block-style YAML with every string double-quoted (or a ``|-`` block if multi-line)."""
    return "\n".join(_lines(data, 0)) + "\n"
