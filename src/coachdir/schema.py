"""JSON Schema validation of loaded files, reported as problems at file positions."""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from coachdir import dates
from coachdir.loader import Loaded, PathKey
from coachdir.problems import CoachdirError, Problem
from coachdir.tools.sample import sample_root

_TYPE_WORDS = {
    "array": "a list",
    "object": "fields (a mapping)",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def schema_dir(root: Path | None = None) -> Path:
    """The programme's ``schemas/`` folder, or the copy shipped inside the package."""
    if root is not None and (root / "schemas").is_dir():
        return root / "schemas"
    return sample_root() / "schemas"


_RESTORE = (
    "Restore the file from the coachdir version you use (coachdir init writes the schemas), "
    "then make your change again."
)


@cache
def _read_schema(path: str) -> dict[str, Any]:
    """A schema file's JSON; a file that is not UTF-8 JSON holding an object is a problem at
    its position (CoachdirError), never a crash."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        message = f"the schema is not valid UTF-8 (byte offset {exc.start})"
        raise CoachdirError([Problem(path, 1, 1, message, "schema.file", _RESTORE)]) from None
    except json.JSONDecodeError as exc:
        message = f"the schema is not valid JSON: {exc.msg}"
        problem = Problem(path, exc.lineno, exc.colno, message, "schema.file", _RESTORE)
        raise CoachdirError([problem]) from None
    if not isinstance(data, dict):
        message = "the schema must be a JSON object ({ ... })"
        raise CoachdirError([Problem(path, 1, 1, message, "schema.file", _RESTORE)])
    return data


def read_schema(path: Path) -> dict[str, Any]:
    """A deep copy of a schema file (cached), safe for the caller to change."""
    return copy.deepcopy(_read_schema(str(path)))


def dotted(path: Sequence[str | int]) -> str:
    """``('credentials', 0, 'type')`` -> ``credentials[0].type``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(file)"


def _show(value: Any, limit: int = 40) -> str:
    if isinstance(value, str):
        text = value.replace("\n", " ")
        text = text if len(text) <= limit else text[: limit - 1] + "…"
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "fields"
    return str(value)


def _redacted(value: Any, limit: int = 40) -> str:
    """What stands for a value that must not be echoed (records: personal data may hide in
    any value): its kind only."""
    return f"the value ({_kind_of(value)})"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "fields"
    return "nothing"


class SchemaChecker:
    """Validates data against one (already specialised) schema and explains each error."""

    def __init__(self, schema: Mapping[str, Any], *, name: str, echo: bool = True) -> None:
        self.schema = schema
        self.name = name
        #: whether messages may quote the offending value (False for records)
        self.echo = echo
        try:
            self._validator = jsonschema_rs.Draft202012Validator(
                dict(schema),
                validate_formats=True,
                # one date range for every schema (coachdir.dates), not only real days
                formats={"date": dates.is_stored},
            )
        except ValueError:  # jsonschema_rs.ValidationError: the schema itself is not valid
            problem = Problem(
                f"schemas/{name}.schema.json",
                1,
                1,
                "the schema is not a valid JSON Schema (2020-12)",
                "schema.invalid",
                _RESTORE,
            )
            raise CoachdirError([problem]) from None

    def _subschema(self, schema_path: Sequence[str | int]) -> Mapping[str, Any]:
        """Follow a schema path (through $ref) to the schema object that failed."""
        node: Any = self.schema
        for part in schema_path:
            node = self._deref(node)
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return {}
        return self._deref(node) if isinstance(node, dict) else {}

    def _deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 10:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                break
            target: Any = self.schema
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            node = merged
            seen += 1
        return node

    def _property_schema(self, parent_schema_path: Sequence[str | int], prop: str) -> Any:
        parent = self._subschema(parent_schema_path)
        props = parent.get("properties", {}) if isinstance(parent, dict) else {}
        return self._deref(props.get(prop, {}))

    def _describe(self, instance_path: Sequence[str | int]) -> str:
        """The description of the field that failed: the deepest described schema node met
        while following the instance path through properties and items."""
        node: Any = self._deref(self.schema)
        found = ""
        for part in instance_path:
            if not isinstance(node, dict):
                break
            if isinstance(part, int):
                node = self._deref(node.get("items", {}))
            else:
                node = self._deref(node.get("properties", {}).get(part, {}))
            if isinstance(node, dict) and node.get("description"):
                found = str(node["description"])
        return found

    def check(self, loaded: Loaded) -> list[Problem]:
        if loaded.data is None:
            return []
        return list(self._explain_all(loaded))

    def _explain_all(self, loaded: Loaded) -> Iterator[Problem]:
        for error in self._validator.iter_errors(loaded.data):
            yield from self._explain(loaded, error)

    def _explain(self, loaded: Loaded, error: Any) -> Iterator[Problem]:
        ipath: PathKey = tuple(error.instance_path)
        spath = list(error.schema_path)
        kind = error.kind
        kname = type(kind).__name__
        where = dotted(ipath)
        value = error.instance
        show = _show if self.echo else _redacted
        description = self._describe(ipath)
        rule_node = self._subschema(spath[:2]) if spath[:1] == ["allOf"] else {}

        def out(
            message: str, rule: str, hint: str, pos_path: PathKey = ipath, *, key: bool = False
        ) -> Problem:
            line, col = loaded.where(pos_path, key=key)
            return Problem(loaded.path, line, col, message, f"schema.{rule}", hint)

        if rule_node.get("x-coachdir-message"):
            at = str(rule_node.get("x-coachdir-at", ""))
            here: PathKey = (*ipath, at) if at and (*ipath, at) in loaded.keys else ipath
            yield out(
                str(rule_node["x-coachdir-message"]),
                _RULE_NAMES.get(kname, kname[0].lower() + kname[1:]),
                str(rule_node.get("x-coachdir-hint", "")),
                here,
                key=here != ipath,
            )
        elif kname == "Required":
            prop = str(kind.property)
            sub = self._property_schema(spath[:-1], prop)
            desc = sub.get("description", "") if isinstance(sub, dict) else ""
            field = dotted((*ipath, prop))
            hint = f"Add '{prop}:'" + (f" — {desc}" if desc else ".")
            yield out(f"{field}: this required field is missing", "required", hint)
        elif kname == "AdditionalProperties":
            allowed = list(self._subschema(spath[:-1]).get("properties", {}))
            for name in kind.unexpected:
                close = difflib.get_close_matches(str(name), allowed, n=1)
                hint = (
                    f"Did you mean '{close[0]}'? Otherwise remove this field."
                    if close
                    else "Remove this field; allowed fields are: " + ", ".join(allowed) + "."
                )
                # a key can be personal data (records): then its place is named, not its text
                message = (
                    f"{dotted((*ipath, str(name)))}: unknown field"
                    if self.echo
                    else (f"{where}: " if where else "")
                    + "a field that is not in the schema (its name is not shown: it could be "
                    "personal data)"
                )
                yield out(
                    message,
                    "additionalProperties",
                    hint,
                    (*ipath, str(name)),
                    key=True,
                )
        elif kname == "Type":
            types = [t if isinstance(t, str) else str(t) for t in _types_of(kind)]
            expected = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
            yield out(
                f"{where}: expected {expected}, found {_kind_of(value)}",
                "type",
                description or "Fix the value's form; compare with a sample profile.",
            )
        elif kname == "Enum":
            options = ", ".join(str(o) for o in kind.options)
            yield out(
                f"{where}: {show(value)} is not one of the allowed values",
                "enum",
                f"Use one of: {options}." + (f" ({description})" if description else ""),
            )
        elif kname == "Constant":
            expected = json.dumps(kind.expected_value)
            yield out(
                f"{where}: must be {expected}, found {show(value)}",
                "const",
                description or f"Set it to {expected}.",
            )
        elif kname == "Format":
            wrong = dates.out_of_range(value) if kind.format == "date" else None
            if wrong is not None:  # a real day, outside the range
                line, col = loaded.where(ipath)
                yield Problem(
                    loaded.path,
                    line,
                    col,
                    f"{where}: {show(value) if self.echo else 'the date'} {wrong}",
                    "date.range",
                    f"Dates run from {dates.range_text()}; check the year and write the date "
                    'as "YYYY-MM-DD", in quotes.',
                )
            elif kind.format == "date":
                yield out(
                    f"{where}: {show(value)} is not a real date",
                    "format",
                    'Write the date as "YYYY-MM-DD" (for example "2026-03-01"), in quotes.',
                )
            else:
                yield out(
                    f"{where}: {show(value)} is not a valid {kind.format}", "format", description
                )
        elif kname == "Pattern":
            pattern = self._subschema(spath[:-1]).get("pattern")
            odd = _culprit(str(value), pattern) if isinstance(pattern, str) else None
            detail = ""
            if odd is not None:
                import unicodedata

                name = unicodedata.name(odd, "")
                detail = f" (it contains '{odd}', U+{ord(odd):04X} {name}, not allowed here)"
            yield out(
                f"{where}: {show(value)} does not have the expected form{detail}",
                "pattern",
                description or f"It must match {pattern}.",
            )
        elif kname in ("MaxLength", "MinLength"):
            length = len(value) if isinstance(value, str) else 0
            word = "at most" if kname == "MaxLength" else "at least"
            yield out(
                f"{where}: {length} characters long, must be {word} {kind.limit}",
                kname[0].lower() + kname[1:],
                description or "Change the length of the text.",
            )
        elif kname in ("MaxItems", "MinItems"):
            count = len(value) if isinstance(value, list) else 0
            word = "at most" if kname == "MaxItems" else "at least"
            yield out(
                f"{where}: {count} item(s), must have {word} {kind.limit}",
                kname[0].lower() + kname[1:],
                description or "Change the number of entries.",
            )
        elif kname == "MinProperties":
            yield out(
                f"{where}: must have at least {kind.limit} field(s)",
                "minProperties",
                description or "Add the missing fields.",
            )
        elif kname == "UniqueItems":
            seen: list[Any] = []
            twice: Any = None
            for item in value if isinstance(value, list) else []:
                if item in seen:
                    twice = item
                    break
                seen.append(item)
            yield out(
                f"{where}: {show(twice)} is listed twice",
                "uniqueItems",
                "Remove the repeated entry.",
            )
        else:
            rule = kname[0].lower() + kname[1:]
            if not self.echo:  # the library's own message may quote the value
                said = _UNECHOED.get(kname, f"does not meet the schema's '{rule}' condition")
            elif len(str(error.message)) < 200:
                said = str(error.message)
            else:
                said = "invalid"
            yield out(f"{where}: {said}", rule, description or "Compare with a sample profile.")


_RULE_NAMES = {"Constant": "const"}
#: messages that quote nothing, for schemas whose values must not be echoed
_UNECHOED = {
    "OneOfNotValid": "is none of the allowed shapes",
    "AnyOf": "is none of the allowed shapes",
    "OneOfMultipleValid": "matches more than one of the allowed shapes",
}


def _types_of(kind: Any) -> list[Any]:
    types = getattr(kind, "types", None)
    if types is None:
        return []
    return list(types) if isinstance(types, (list, tuple)) else [types]


def _culprit(value: str, pattern: str) -> str | None:
    """The first character of ``value`` whose removal alone makes it match ``pattern`` (a
    character the pattern does not allow, such as a hidden one or an accent in an id); None
    when no single character is to blame. Named in the message, since it may be invisible."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    for i, ch in enumerate(value):
        if compiled.search(value[:i] + value[i + 1 :]) is not None:
            return ch
    return None
