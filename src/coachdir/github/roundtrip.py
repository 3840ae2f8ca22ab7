"""Updating a profile's YAML text in place: comments, key order and untouched lines kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coachdir.emit import is_plain
from coachdir.problems import InvalidInput


class RoundTripError(InvalidInput):
    """The round-trip editor (ruamel.yaml) cannot read or write a profile."""


def update_yaml(original: str, changes: Mapping[str, Any]) -> str:
    """Set top-level fields of a YAML document, keeping comments, key order, quoting and
    every untouched line byte for byte (ruamel.yaml round trip). A field that is a mapping
    in both (``bio``, ``contact``, ``charter``...) is updated key by key: the keys not given
    are kept."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    crlf = "\r\n" in original
    try:
        document = rt.load(original.replace("\r\n", "\n"))
    except Exception as exc:  # any failure of the third-party editor (its own bugs included,
        # e.g. NotImplementedError "overlap in comment") is a refusal, never a crash
        raise RoundTripError(type(exc).__name__) from None
    if not isinstance(document, CommentedMap):
        raise RoundTripError("not a mapping")
    for key, value in changes.items():
        old = document.get(key)
        if isinstance(old, CommentedMap) and isinstance(value, Mapping):
            # A mapping is updated key by key: `bio: {fr: ...}` keeps bio.en (and its
            # comments and order) instead of dropping it.
            for sub, sub_value in value.items():
                old[sub] = _ruamel_value(sub_value)
            continue
        new = _ruamel_value(value)
        same_kind = (isinstance(old, CommentedSeq) and isinstance(new, CommentedSeq)) or (
            isinstance(old, CommentedMap) and isinstance(new, CommentedMap)
        )
        if same_kind and old.fa.flow_style():
            new.fa.set_flow_style()
        document[key] = new
    out = io.StringIO()
    try:
        rt.dump(document, out)
    except Exception as exc:  # any failure of the third-party editor (its own bugs included,
        # e.g. NotImplementedError "overlap in comment") is a refusal, never a crash
        raise RoundTripError(type(exc).__name__) from None
    text = out.getvalue()
    return text.replace("\n", "\r\n") if crlf else text


def _ruamel_value(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _ruamel_value(v)
        return mapping
    if isinstance(value, list):
        return CommentedSeq([_ruamel_value(v) for v in value])
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if is_plain(value):
            return value
        return DoubleQuotedScalarString(value)
    return value


def append_yaml(
    original: str, key: str, item: Mapping[str, Any], changes: Mapping[str, Any], before: str
) -> str:
    """Append ``item`` to the top-level list ``key`` and set the top-level scalars of
    ``changes`` (a new one goes just before the key ``before``), keeping comments, key order,
    quoting and every other line byte for byte; new strings are double-quoted, as records are
    written. The list's existing items are kept as they are (update_yaml would replace it)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    def quoted(value: Any) -> Any:
        return DoubleQuotedScalarString(value) if isinstance(value, str) else value

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    crlf = "\r\n" in original
    try:
        document = rt.load(original.replace("\r\n", "\n"))
    except Exception as exc:  # the third-party editor's own failures are refusals, never crashes
        raise RoundTripError(type(exc).__name__) from None
    if not isinstance(document, CommentedMap) or not isinstance(document.get(key), CommentedSeq):
        raise RoundTripError(f"no list '{key}'")
    entry = CommentedMap()
    for name, value in item.items():
        entry[name] = quoted(value)
    document[key].append(entry)
    for name, value in changes.items():
        if name in document:
            document[name] = quoted(value)
        else:
            keys = list(document)
            document.insert(
                keys.index(before) if before in keys else len(keys), name, quoted(value)
            )
    out = io.StringIO()
    try:
        rt.dump(document, out)
    except Exception as exc:  # as above
        raise RoundTripError(type(exc).__name__) from None
    text = out.getvalue()
    return text.replace("\n", "\r\n") if crlf else text
