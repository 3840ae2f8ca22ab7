"""Strict YAML loading: bytes -> plain data with line/column positions, or problems.

One loader serves every command. It reads a deliberately small, unambiguous subset of YAML:

* UTF-8 only, without a byte-order mark (one rule: a BOM is an error, because GitHub's web
  editor never writes one and tools disagree about it);
* no control characters, hidden line breaks (U+2028, U+2029, U+0085), bidirectional controls
  or other invisible characters, in the text or in escaped scalars: the policy of
  ``coachdir.text``, shared with issue bodies (joiners only inside emoji sequences and
  between letters of the scripts that need them);
* size and nesting depth are capped before any work is done;
* no anchors, aliases, merge keys, explicit tags, ``%`` directives or second documents;
* keys are text, and each key appears once per mapping;
* plain scalars that YAML 1.1 and 1.2 read differently (``no``, ``on``, ``0123``, ``1_000``,
  ``1:30``, ``1.10`` ...) are refused with a request to quote them;
* dates stay ISO strings.

It is built on libyaml's event stream (PyYAML's C parser) and constructs values itself, so
it never builds a Python object YAML did not spell out and keeps the position of every value.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from coachdir.decoding import MAX_BYTES as MAX_BYTES
from coachdir.decoding import MAX_PROBLEMS_PER_FILE, _char_name, _decode, _line_col_from
from coachdir.decoding import Position as Position
from coachdir.problems import Problem
from coachdir.text import first_forbidden

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 16
#: the problem ids this module reports
_PROBLEM_IDS = (
    "file.unreadable yaml.too-many-problems yaml.syntax yaml.anchor yaml.alias "
    "yaml.merge-key yaml.tag yaml.directive yaml.multi-document yaml.control-char "
    "yaml.ambiguous yaml.duplicate-key yaml.key-type yaml.depth yaml.empty "
    "yaml.not-mapping"
)
PROBLEM_IDS = tuple(_PROBLEM_IDS.split())

PathKey = tuple[str | int, ...]

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOL = frozenset({"y", "yes", "n", "no", "on", "off"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_AMBIGUOUS_NUMBER = re.compile(
    r"""[-+]?(?:
        0[0-9_]+                         # leading zero: octal in YAML 1.1
      | 0[oObBxX][0-9a-fA-F_]+           # octal, binary, hexadecimal
      | [0-9][0-9_]*_[0-9_]*             # digit separators
      | [0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?  # sexagesimal 1:30
      | (?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?  # floats
      | [0-9][0-9_]*\.(?:[0-9_]*)?(?:[eE][-+]?[0-9]+)?
      | [0-9][0-9_]*[eE][-+]?[0-9]+
      | \.(?:inf|Inf|INF|nan|NaN|NAN)
    )""",
    re.VERBOSE,
)


@dataclass
class Loaded:
    """The result of loading one file: data (or None) with positions, and problems."""

    path: str
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    #: position of each value, by path from the root (``()`` is the document)
    values: dict[PathKey, Position] = field(default_factory=dict)
    #: position of the key that introduces each mapping value
    keys: dict[PathKey, Position] = field(default_factory=dict)
    #: positions packed by the cache, expanded on first use (most files never need them)
    packed_positions: bytes | None = None

    def _expand(self) -> None:
        if self.packed_positions is not None:
            import marshal

            self.values, self.keys = marshal.loads(self.packed_positions)  # noqa: S302
            self.packed_positions = None

    def where(self, path: PathKey, *, key: bool = False) -> Position:
        """Best known position for ``path``: the key or the value, else its nearest parent."""
        self._expand()
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        if not key and path in self.keys:
            return self.keys[path]
        while path:
            path = path[:-1]
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
        return (1, 1)


class _Stop(Exception):
    """Internal: abandon parsing after a fatal problem."""


class _Builder:
    """Builds plain data from libyaml events, enforcing the strict subset."""

    def __init__(self, path: str, text: str = "") -> None:
        self.path = path
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.layout = _Layout()

    def problem(
        self, pos: Position, message: str, rule: str, hint: str, *, fatal: bool = False
    ) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], message, rule, hint))
        if len(self.problems) >= MAX_PROBLEMS_PER_FILE:
            self.problems.append(
                Problem(
                    self.path,
                    pos[0],
                    pos[1],
                    f"stopped reading after {MAX_PROBLEMS_PER_FILE} problems",
                    "yaml.too-many-problems",
                    "Fix the problems above, then validate again to see the rest.",
                )
            )
            raise _Stop
        if fatal:
            raise _Stop

    def block_start(self, pos: Position) -> Position:
        """Position of the first content line of a block scalar (``|`` or ``>``)."""
        line = pos[0] + 1
        while line <= len(self.lines) and not self.lines[line - 1].strip():
            line += 1
        if line > len(self.lines):
            return pos
        content = self.lines[line - 1]
        return line, len(content) - len(content.lstrip(" ")) + 1

    @staticmethod
    def pos(event: Any) -> Position:
        mark = event.start_mark
        return mark.line + 1, mark.column + 1

    def check_node(self, event: Any) -> None:
        pos = self.pos(event)
        if event.anchor is not None:
            self.problem(
                pos,
                f"anchor '&{_short(event.anchor)}' is not allowed",
                "yaml.anchor",
                "Write the value out in full where it is needed; anchors and aliases are "
                "not supported.",
            )
        tag = event.tag
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(
                pos,
                f"explicit tag '{_short(shown)}' is not allowed",
                "yaml.tag",
                "Remove the tag; write text in quotes and numbers as plain digits.",
            )

    def scalar(self, event: Any, *, is_key: bool) -> Any:
        value: str = event.value
        pos = self.pos(event)
        bad = first_forbidden(value)
        if bad is not None:
            self.problem(
                pos,
                f"value contains the invisible or control character {_char_name(bad[1])}",
                "yaml.control-char",
                "Remove the character (it may come from an escape such as \\x1b or \\u202e).",
            )
        if event.style:  # quoted or block scalar: always text
            return value
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value.lower() in _YAML11_BOOL:
            self.problem(
                pos,
                f"'{value}' is ambiguous: some YAML tools read it as true or false",
                "yaml.ambiguous",
                f'Write "{value}" in quotes if you mean the text'
                + (
                    " (the language code for Norwegian, for example)"
                    if value.lower() == "no"
                    else ""
                )
                + ", or true/false for a yes/no value.",
            )
            return value
        if _INT.fullmatch(value):
            return int(value)
        if _AMBIGUOUS_NUMBER.fullmatch(value):
            self.problem(
                pos,
                f"'{_short(value)}' is ambiguous: YAML tools read this number differently",
                "yaml.ambiguous",
                f'Write "{_short(value)}" in quotes if it is text, or a whole number without '
                "leading zeros, separators or decimals.",
            )
            return value
        if is_key and value == "<<":
            self.problem(
                pos,
                "merge key '<<' is not allowed",
                "yaml.merge-key",
                "Write every field out in full; merge keys copy values from anchors.",
            )
        return value

    def build(self, text: str, loader: Any = _Loader) -> Any:
        events = yaml.parse(text, Loader=loader)
        # Stack entries: [container, path, pending_key, seen_keys, key_positions]
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0
        have_root = False

        def attach(value: Any, pos: Position, key_pos: Position | None = None) -> PathKey | None:
            nonlocal root, have_root
            if not stack:
                root, have_root = value, True
                self.values[()] = pos
                return ()
            top = stack[-1]
            container, path = top[0], top[1]
            if isinstance(container, list):
                child = (*path, len(container))
                container.append(value)
                self.values[child] = pos
                return child
            key = top[2]
            top[2] = _NO_KEY
            if key is _BAD_KEY:
                return None
            child = (*path, key)
            container[key] = value
            self.values[child] = pos
            return child

        layout = self.layout
        # indentation (0-based column) of each open block collection, None for flow ones
        blocks: list[int | None] = []

        def parent_indent() -> int:
            for col in reversed(blocks):
                if col is not None:
                    return col
            return -1

        key_end = 0  # where the last mapping key ended (index in text)
        for event in events:
            start, end = self.index(event.start_mark), self.index(event.end_mark)
            if isinstance(event, yaml.ScalarEvent):
                layout.scalars.append((start, end, event.style or ""))
                if event.style in ('"', "'"):
                    self.check_after(end)
                    if layout.flow_depth == 0:
                        layout.flows.append((start, end, parent_indent(), False))
                elif event.style in ("|", ">"):
                    self.check_block_scalar(event, start, end, parent_indent())
                elif layout.flow_depth and start and text[start - 1] == "?":
                    self.problem(
                        self.pos(event),
                        "'?' directly before a key in braces or brackets is read as "
                        "'this is a key', not as part of the text",
                        "yaml.syntax",
                        "Write the text in quotes if it starts with '?', or put a space after '?'.",
                    )
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.flow_style:
                    if layout.flow_depth == 0:
                        layout.flow_open = (start, parent_indent())
                    layout.flow_depth += 1
                    blocks.append(None)
                else:
                    blocks.append(self.pos(event)[1] - 1)
            elif (
                isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent))
                and blocks
                and blocks.pop() is None
            ):
                layout.flow_depth -= 1
                self.check_after(end)
                if layout.flow_depth == 0:
                    layout.flows.append((layout.flow_open[0], end, layout.flow_open[1], True))
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(
                        self.pos(event),
                        "a second YAML document starts here",
                        "yaml.multi-document",
                        "Keep one document per file: remove the '---' line and what follows, "
                        "or merge it into the first document.",
                        fatal=True,
                    )
                if event.version is not None or event.tags:
                    self.problem(
                        self.pos(event),
                        "'%' directives are not allowed",
                        "yaml.directive",
                        "Remove the %YAML or %TAG line at the top of the file.",
                    )
                continue
            if isinstance(event, yaml.AliasEvent):
                self.problem(
                    self.pos(event),
                    f"alias '*{_short(event.anchor or '')}' is not allowed",
                    "yaml.alias",
                    "Write the value out in full where it is needed; anchors and aliases are "
                    "not supported.",
                )
                if stack and isinstance(stack[-1][0], dict):
                    top = stack[-1]
                    top[2] = _BAD_KEY if top[2] is _NO_KEY else _NO_KEY
                continue
            if isinstance(event, yaml.ScalarEvent):
                self.check_node(event)
                pos = self.pos(event)
                if event.style in ("|", ">"):
                    pos = self.block_start(pos)
                parent = stack[-1] if stack else None
                if parent is not None and isinstance(parent[0], dict) and parent[2] is _NO_KEY:
                    key = self.scalar(event, is_key=True)
                    self.take_key(parent, key, pos, event.value)
                    key_end = end
                    continue
                if (
                    parent is not None
                    and isinstance(parent[0], dict)
                    and "#" in text[key_end:start]
                ):
                    # `role: # comment` then the value (text, or a '|'/'>' block) on the next
                    # line: the round-trip editor (ruamel.yaml) fails on it when a blank line
                    # follows.
                    self.problem(
                        pos,
                        "a comment sits between the field name and its value on the next line",
                        "yaml.syntax",
                        "Write the value on the same line as the field name, and put the "
                        "comment on its own line above the field.",
                    )
                attach(self.scalar(event, is_key=False), pos)
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self.check_node(event)
                pos = self.pos(event)
                if len(stack) >= MAX_DEPTH:
                    self.problem(
                        pos,
                        f"the data is nested more than {MAX_DEPTH} levels deep",
                        "yaml.depth",
                        "Flatten the structure; profiles need only a few levels.",
                        fatal=True,
                    )
                parent = stack[-1] if stack else None
                if parent is not None and isinstance(parent[0], dict) and parent[2] is _NO_KEY:
                    self.problem(
                        pos,
                        "a key must be plain text, not a list or mapping",
                        "yaml.key-type",
                        "Write the key as a single word followed by ': '.",
                        fatal=True,
                    )
                container = _container(event)
                child = attach(container, pos)
                stack.append([container, child if child is not None else ("?",), _NO_KEY, {}])
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
        if not self.problems:
            self.check_layout(text)
        if documents == 0 or not have_root or root is None:
            self.problem(
                (1, 1),
                "the file is empty",
                "yaml.empty",
                "Fill in the fields; copy an existing profile as a model.",
                fatal=True,
            )
        return root

    def index(self, mark: Any) -> int:
        """Index in the text of a libyaml mark (from its line and column)."""
        line = min(int(mark.line), len(self.starts) - 1)
        return self.starts[line] + int(mark.column)

    def at(self, index: int) -> Position:
        return _line_col_from(self.starts, index)

    def check_after(self, end: int) -> None:
        """A quoted value or a closing bracket must not be glued to a comment."""
        line, col = self.at(end)
        if self.lines[line - 1][col - 1 : col] == "#":
            self.problem(
                (line, col),
                "a comment starts right after the value, without a space",
                "yaml.syntax",
                "Put a space before '#' (editors and other YAML tools refuse it without).",
            )

    def check_block_scalar(self, event: Any, start: int, end: int, indent: int) -> None:
        """The header of ``|`` / ``>`` and the lines of only spaces around its text."""
        line, col = self.at(start)
        header = self.lines[line - 1]
        after = col  # 0-based index just after the indicator
        while after < len(header) and header[after] in "123456789+-":
            after += 1
        rest = header[after:].split("#", 1)[0]
        if "\t" in rest:
            self.problem(
                (line, after + rest.index("\t") + 1),
                "a tab follows '|' or '>' on its line",
                "yaml.syntax",
                "Delete the tab, or use a space (the round-trip editor refuses a tab here).",
            )
        elif header[after : after + 1] == "#":
            self.problem(
                (line, after + 1),
                "a comment starts right after '|' or '>', without a space",
                "yaml.syntax",
                "Put a space before '#' (editors and other YAML tools refuse it without).",
            )
        last_line, last_col = self.at(end)
        body = range(line + 1, last_line + (1 if last_col > 1 else 0))
        texts = [(n, self.lines[n - 1].rstrip("\r")) for n in body if n <= len(self.lines)]
        content = [(n, t) for n, t in texts if t.strip(" ")]
        width = len(content[0][1]) - len(content[0][1].lstrip(" ")) if content else indent + 1
        first = content[0][0] if content else last_line + 1
        final = content[-1][0] if content else line
        for n, t in texts:
            # Before the text, any line of only spaces (ruamel.yaml refuses even fewer spaces
            # than the text's indentation); after it, one more indented than the text.
            if t and not t.strip(" ") and (n < first or (n > final and len(t) > width)):
                self.problem(
                    (n, 1),
                    "a line of only spaces"
                    + (" comes before" if n < first else ", more indented than the text, ends")
                    + " this block of text; YAML tools read it differently",
                    "yaml.syntax",
                    "Delete the spaces on this line (keep it empty) or the line itself.",
                )
                return

    def check_layout(self, text: str) -> None:
        """What libyaml accepts but the YAML spec, editors and ruamel.yaml read otherwise."""
        layout = self.layout
        for start, end, indent, is_collection in layout.flows:
            first, _ = self.at(start)
            last, _ = self.at(end)
            for n in range(first + 1, last + 1):
                line = self.lines[n - 1].rstrip("\r")
                stripped = line.lstrip(" \t")
                if not stripped or (is_collection and stripped.startswith("#")):
                    continue
                spaces = len(line) - len(line.lstrip(" "))
                if line[spaces] != "\t" and spaces <= indent:  # tabs: reported below
                    self.problem(
                        (n, 1),
                        f"this line continues the value started on line {first}, but it is "
                        "not indented more than the field it belongs to",
                        "yaml.syntax",
                        "Indent the continuation lines with spaces, more than the field "
                        "name, or write the value on one line.",
                    )
                    break
        if "\t" not in text:
            return
        spans = sorted(layout.scalars)
        starts = [span[0] for span in spans]
        for match in re.finditer("\t", text):
            index = match.start()
            k = bisect.bisect_right(starts, index) - 1
            span = spans[k] if k >= 0 and spans[k][0] <= index < spans[k][1] else None
            line_start = text.rfind("\n", 0, index) + 1
            leading = not text[line_start:index].strip(" \t")
            if span is not None and span[2] and not leading:
                continue  # inside quoted or block text, after the line's indentation
            if span is None and self.in_comment(text, line_start, index, spans, starts):
                continue
            self.problem(
                self.at(index),
                "a tab character is used for indentation or layout"
                if span is None or span[2]
                else "a tab character is used in a value written without quotes",
                "yaml.syntax",
                "Indent with spaces, not tabs (set your editor to insert spaces)."
                if span is None or span[2]
                else "Write the value in quotes, or use spaces instead of the tab.",
            )
            return

    @staticmethod
    def in_comment(
        text: str, line_start: int, index: int, spans: list[tuple[int, int, str]], starts: list[int]
    ) -> bool:
        """True when ``index`` follows, on its line, a '#' outside every scalar (a comment)."""
        pos = text.find("#", line_start, index)
        while pos != -1:
            k = bisect.bisect_right(starts, pos) - 1
            if not (k >= 0 and spans[k][0] <= pos < spans[k][1]):
                return True
            pos = text.find("#", pos + 1, index)
        return False

    def take_key(self, top: list[Any], key: Any, pos: Position, written: str) -> None:
        if not isinstance(key, str):
            self.problem(
                pos,
                f"key '{_short(written)}' is not text",
                "yaml.key-type",
                "Field names are words such as 'name'; quote the key if it must be a number.",
            )
            top[2] = _BAD_KEY
            return
        seen: dict[str, Position] = top[3]
        if key in seen:
            first = seen[key]
            self.problem(
                pos,
                f"duplicate key '{_short(key)}' (first defined at line {first[0]}, "
                f"column {first[1]})",
                "yaml.duplicate-key",
                "Keep one of the two entries and delete the other; YAML tools silently "
                "keep only one of them.",
            )
            top[2] = _BAD_KEY
            return
        seen[key] = pos
        top[2] = key
        self.keys[(*top[1], key)] = pos


@dataclass
class _Layout:
    """What the layout checks need from the event stream."""

    #: (start, end, style) of every scalar
    scalars: list[tuple[int, int, str]] = field(default_factory=list)
    #: (start, end, indentation of the enclosing block, is a collection) of each outermost
    #: quoted scalar or flow collection in block context
    flows: list[tuple[int, int, int, bool]] = field(default_factory=list)
    flow_depth: int = 0
    flow_open: tuple[int, int] = (0, -1)


_NO_KEY = object()
_BAD_KEY = object()


def _container(event: Any) -> Any:
    return {} if isinstance(event, yaml.MappingStartEvent) else []


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml_error(path: str, exc: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    hint = "Check the indentation and the ':' after each field name."
    lines = text.split("\n")
    here = lines[line - 1][col - 1 : col] if line <= len(lines) else ""
    if here in ("@", "`"):
        hint = f"A value that starts with {here} must be written in quotes."
    if here == "\t" or "\\t" in str(problem):
        message = "a tab character is used for indentation or layout"
        hint = "Indent with spaces, not tabs (set your editor to insert spaces)."
    elif "mapping values are not allowed" in str(problem):
        hint = "A value that contains ': ' must be written in quotes."
    elif "found character '@'" in str(problem) or "found character '`'" in str(problem):
        hint = "A value that starts with @ or ` must be written in quotes."
    return Problem(path, line, col, message, "yaml.syntax", hint)


def load_text(path: str, text: str) -> Loaded:
    """Load already-decoded text (still checked for forbidden characters)."""
    return load_bytes(path, text.encode("utf-8", "surrogatepass"))


def load_bytes(path: str, raw: bytes, size: int | None = None, limit: int = MAX_BYTES) -> Loaded:
    """Load one file's bytes (at most ``limit``). Never raises for bad input: problems are
    returned."""
    text, problems = _decode(path, raw, size, limit)
    if text is None:
        return Loaded(path, None, problems)
    builder = _Builder(path, text)
    root: Any = None
    try:
        root = builder.build(text)
    except _Stop:
        root = None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):
            # libyaml stops at its own nesting limit (PyYAML >= 6.0.4) while it looks ahead,
            # before our 16-level cap sees an event. The pure-Python parser has no such limit
            # and yields the same events, so reading again with it reports our own
            # 'yaml.depth' problem at the first level too deep, whatever the PyYAML version.
            builder = _Builder(path, text)
            try:
                root = builder.build(text, loader=yaml.SafeLoader)
            except _Stop:
                root = None
            except yaml.YAMLError as again:
                builder.problems.append(_yaml_error(path, again, text))
        else:
            builder.problems.append(_yaml_error(path, exc, text))
    except (RecursionError, MemoryError, ValueError):  # pragma: no cover - defensive
        builder.problems.append(
            Problem(
                path,
                1,
                1,
                "the file could not be read as YAML",
                "yaml.syntax",
                "Simplify the file; copy an existing profile as a model.",
            )
        )
    if builder.problems:
        return Loaded(path, None, builder.problems, builder.values, builder.keys)
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        return Loaded(
            path,
            None,
            [
                Problem(
                    path,
                    *builder.values.get((), (1, 1)),
                    f"the file holds {kind}, but it must hold fields ('name: value' lines)",
                    "yaml.not-mapping",
                    "Start each line with a field name followed by ': ', as in the sample "
                    "profiles.",
                )
            ],
            builder.values,
            builder.keys,
        )
    return Loaded(path, root, [], builder.values, builder.keys)


def load_file(path: str, display: str | None = None, limit: int = MAX_BYTES) -> Loaded:
    """Read and load a file of at most ``limit`` bytes; ``display`` is the path shown in
    problems."""
    shown = display or path
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(limit + 1)
    except OSError as exc:
        return Loaded(
            shown,
            None,
            [
                Problem(
                    shown,
                    1,
                    1,
                    f"cannot read the file: {exc.strerror}",
                    "file.unreadable",
                    "Check that the file exists and is readable.",
                )
            ],
        )
    return load_bytes(shown, raw, max(size, len(raw)), limit)
