"""Parse GitHub issue-form submissions strictly against their form template."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coachdir.github.formfield import FieldType, FormError, FormField
from coachdir.github.typedbody import (
    GITHUB,
    HINT_MARKER,
    MAIL,
    Words,
    heading_key,
    option_ids,
    options_said,
    ticked_typed,
    typed_option,
    unwrap_headings,
)
from coachdir.text import describe, first_forbidden, label_slug

__all__ = [
    "HINT_MARKER",
    "FieldType",
    "FormError",
    "FormField",
    "fields_of",
    "option_ids",
    "parse_answers",
    "parse_body",
    "typed_option",
]

NO_RESPONSE = "_No response_"
"""What GitHub writes for a question left empty."""

_NONE_CHOICE = "None"
"""The "None" entry GitHub adds to optional dropdowns: no answer, unless it is a real option."""

_REDO = GITHUB.redo
_REDO_LC = GITHUB.redo_lc
_REDO_AND = GITHUB.redo_and
_EDITED = GITHUB.edited

_FIELD_TYPES: tuple[FieldType, ...] = ("input", "textarea", "dropdown", "checkboxes")
_ID = re.compile(r"[A-Za-z0-9_-]+")
_HEADING = re.compile(r"###(?:[ \t]+(.*?))?[ \t]*")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,})[^`]*")
_FENCE_CLOSE = re.compile(r" {0,3}(`{3,})[ \t]*")
_CHECKBOX = re.compile(r"- \[([ xX])\] (.*?)[ \t]*")


# --------------------------------------------------------------------------- template


def _template_error(message: str, field_id: str | None = None) -> FormError:
    where = f'form element "{field_id}"' if field_id else "form template"
    return FormError(f"{where}: {message}; fix the issue template.", field=field_id)


def _single_line(value: object) -> str | None:
    """Return ``value`` stripped if it is a usable one-line string, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or "\n" in text or "\r" in text:
        return None
    if first_forbidden(text) is not None:
        return None
    return text


def _flag(mapping: Mapping[str, Any], key: str, field_id: str) -> bool:
    value = mapping.get(key, False)
    if not isinstance(value, bool):
        raise _template_error(f'"{key}" must be true or false', field_id)
    return value


def _mapping(value: object, what: str, field_id: str | None) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _template_error(f"{what} must be a mapping", field_id)
    return value


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _field_of(element: Mapping[str, Any], kind: FieldType, taken: set[str]) -> FormField:
    raw_id = element.get("id")
    if raw_id is not None and (not isinstance(raw_id, str) or not _ID.fullmatch(raw_id)):
        raise _template_error(
            f'{_article(kind)} {kind} element has an "id" that is not made of letters, '
            'digits, "-" or "_"'
        )
    attributes = _mapping(element.get("attributes"), '"attributes"', raw_id)
    label = _single_line(attributes.get("label"))
    if label is None:
        raise _template_error('"attributes.label" must be a non-empty single line', raw_id)
    if raw_id is None:
        base = label_slug(label)
        fid, number = base, 2
        while fid in taken:
            fid, number = f"{base}-{number}", number + 1
    else:
        fid = raw_id
    validations = _mapping(element.get("validations"), '"validations"', fid)
    required = _flag(validations, "required", fid)

    if kind == "dropdown":
        raw_options = attributes.get("options")
        if not isinstance(raw_options, Sequence) or isinstance(raw_options, str | bytes):
            raise _template_error('"attributes.options" must be a list of strings', fid)
        if not raw_options:
            raise _template_error('"attributes.options" must not be empty', fid)
        options: list[str] = []
        for raw in raw_options:
            option = _single_line(raw)
            if option is None:
                raise _template_error(
                    "every dropdown option must be a non-empty single-line string "
                    "(quote values such as yes, no, 1.0)",
                    fid,
                )
            if option in options:
                raise _template_error("dropdown options must be unique", fid)
            options.append(option)
        return FormField(
            fid,
            label,
            kind,
            required=required,
            options=tuple(options),
            multiple=_flag(attributes, "multiple", fid),
        )

    if kind == "checkboxes":
        raw_boxes = attributes.get("options")
        if not isinstance(raw_boxes, Sequence) or isinstance(raw_boxes, str | bytes):
            raise _template_error('"attributes.options" must be a list of {label: ...}', fid)
        if not raw_boxes:
            raise _template_error('"attributes.options" must not be empty', fid)
        boxes: list[str] = []
        must_tick: list[str] = []
        for raw in raw_boxes:
            if not isinstance(raw, Mapping):
                raise _template_error('every checkbox option must be a mapping with "label"', fid)
            box = _single_line(raw.get("label"))
            if box is None:
                raise _template_error("every checkbox label must be a non-empty single line", fid)
            if box in boxes:
                raise _template_error("checkbox labels must be unique", fid)
            boxes.append(box)
            box_checks = _mapping(raw.get("validations"), '"validations"', fid)
            if _flag(raw, "required", fid) or _flag(box_checks, "required", fid):
                must_tick.append(box)
        return FormField(
            fid,
            label,
            kind,
            required=required or bool(must_tick),
            options=tuple(boxes),
            required_options=tuple(must_tick),
        )

    render: str | None = None
    if kind == "textarea" and attributes.get("render") is not None:
        render = _single_line(attributes.get("render"))
        if render is None or "`" in render:
            raise _template_error('"attributes.render" must be a language name', fid)
    return FormField(fid, label, kind, required=required, render=render)


def fields_of(template: Mapping[str, Any]) -> list[FormField]:
    """Return the questions of an issue-form template, in order, skipping markdown.

    Raises FormError when the template does not have the shape this parser relies on:
    ids are unique, every question has a one-line ``label``, dropdowns and checkboxes list
    their options, flags are booleans. As on GitHub, an element may have no ``id`` (it is
    then keyed by :func:`label_slug` of its label) and several questions may share a label
    (their headings are matched in template order).
    """
    if not isinstance(template, Mapping):
        raise _template_error("the template must be a mapping with a 'body' list")
    body = template.get("body")
    if not isinstance(body, Sequence) or isinstance(body, str | bytes) or not body:
        raise _template_error('"body" must be a non-empty list of form elements')
    fields: list[FormField] = []
    ids: set[str] = {str(e.get("id")) for e in body if isinstance(e, Mapping) and e.get("id")}
    seen: set[str] = set()
    for position, element in enumerate(body):
        if not isinstance(element, Mapping):
            raise _template_error("every element of 'body' must be a mapping")
        kind = element.get("type")
        if kind == "markdown":
            continue
        if kind not in _FIELD_TYPES:
            raise _template_error(
                'every element needs a "type": markdown, input, textarea, dropdown or checkboxes'
            )
        try:
            form_field = _field_of(element, kind, ids | seen)
        except FormError as exc:
            exc.element = position
            raise
        if form_field.id in seen:
            error = _template_error("this id is used twice; ids must be unique", form_field.id)
            error.element = position
            raise error
        seen.add(form_field.id)
        fields.append(form_field)
    if not fields:
        raise _template_error("the form has no question (only markdown)")
    return fields


# --------------------------------------------------------------------------- body


@dataclass
class _Section:
    index: int
    heading_line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Problem:
    line: int
    message: str
    field: str | None = None


def _heading(label: str) -> str:
    return f'"### {label}"'


def _check_characters(body: str, words: Words) -> None:
    found = first_forbidden(body)
    if found is not None:
        index, char = found
        line = body.count("\n", 0, index) + 1
        raise FormError(
            f"the body contains {describe(char)} (U+{ord(char):04X}), which can hide or "
            f"reorder text; remove it and {words.redo_lc}",
            line=line,
        )


def _split_sections(fields: list[FormField], lines: list[str], words: Words) -> list[_Section]:
    """Cut the body into one section per question, or raise on any structural problem.

    A line ``### <label>`` opens a section only for a label of the form (compared in NFC,
    white space collapsed); questions that share a label are matched in template order. A
    heading of an unknown label is content inside a textarea answer and an error elsewhere.
    Inside a code fence of a textarea nothing is a heading. The fence GitHub puts around a
    ``render`` answer ends at the first fence line followed (after blank lines) by the
    heading of a later question or by the end of the body, so fences pasted inside the answer
    are content. All problems are collected and raised together; a duplicated heading comes
    first (it is the mark of an injected section), then the others in line order.
    """
    index: dict[str, list[int]] = {}
    for k, form_field in enumerate(fields):
        index.setdefault(heading_key(form_field.label), []).append(k)
    sections: dict[int, _Section] = {}
    skipped: dict[int, int] = {}  # question index -> line of the heading that jumped it
    duplicates: list[_Problem] = []
    problems: list[_Problem] = []
    expected = 0
    current: _Section | None = None
    fence = 0  # length of the open backtick fence, 0 when outside a fence
    fence_line = 0
    render_fence = False  # the open fence is the one GitHub adds around a render answer

    def later_heading_or_end(after: int) -> bool:
        """Whether the first non-blank line after line index ``after`` is the heading of
        a question after the current one, or the end of the body."""
        for text in lines[after + 1 :]:
            if not text.strip():
                continue
            heading = _HEADING.fullmatch(text)
            if heading is None or current is None:
                return False
            return any(
                k > current.index for k in index.get(heading_key(heading.group(1) or ""), [])
            )
        return True

    for number, text in enumerate(lines, 1):
        if fence and current is not None:
            closing = _FENCE_CLOSE.fullmatch(text)
            if (
                closing is not None
                and len(closing.group(1)) >= fence
                and (not render_fence or later_heading_or_end(number - 1))
            ):
                fence = 0
            current.lines.append((number, text))
            continue
        heading = _HEADING.fullmatch(text)
        if heading is not None:
            ks = index.get(heading_key(heading.group(1) or ""))
            if ks is not None:
                free = [j for j in ks if j not in sections]
                k = free[0] if free else ks[-1]
                fid = fields[k].id
                if not free:
                    first = sections[k].heading_line
                    duplicates.append(
                        _Problem(
                            number,
                            f"heading {_heading(fields[k].label)} appears twice (first on "
                            f"line {first}); the body was edited by hand or an answer copies "
                            f"a heading of the form. {words.redo}",
                            fid,
                        )
                    )
                    current = _Section(k, number)  # throw-away section
                    continue
                if k < expected:
                    later = min(
                        (s for s in sections.values() if s.index > k),
                        key=lambda s: s.heading_line,
                    )
                    problems.append(
                        _Problem(
                            number,
                            f"heading {_heading(fields[k].label)} is out of order (the form "
                            f"puts it before {_heading(fields[later.index].label)}); "
                            f"{words.edited}",
                            fid,
                        )
                    )
                else:
                    for j in range(expected, k):
                        skipped[j] = number
                    expected = k + 1
                current = sections[k] = _Section(k, number)
                continue
            if current is None:
                problems.append(_Problem(number, _before_first(fields, words)))
                continue
            if fields[current.index].type != "textarea":
                problems.append(
                    _Problem(
                        number,
                        "heading of a question the form does not have; the body was edited "
                        'by hand or an answer starts with "###". ' + words.redo,
                        fields[current.index].id,
                    )
                )
                continue
        if current is None:
            if text.strip():
                problems.append(_Problem(number, _before_first(fields, words)))
            continue
        if fields[current.index].type == "textarea":
            opening = _FENCE_OPEN.fullmatch(text)
            if opening is not None:
                fence = len(opening.group(1))
                fence_line = number
                first_line = not any(t.strip() for _, t in current.lines)
                render_fence = fields[current.index].render is not None and first_line
        current.lines.append((number, text))

    for k, number in skipped.items():
        if k not in sections:
            problems.append(
                _Problem(
                    number,
                    f"heading {_heading(fields[k].label)} is missing before this line; "
                    + words.edited,
                    fields[k].id,
                )
            )
    found = sorted(duplicates, key=_line_of) + _first_per_line(problems)
    if found:
        raise FormError.of([_as_error(p) for p in found])
    if not sections:
        raise FormError(f"the body has none of the headings of the form; {words.redo_lc}")
    if fence and current is not None and len(sections) < len(fields):
        raise FormError(
            f"the code block opened on this line is never closed, so the headings after "
            f'it cannot be read; the answer to "{fields[current.index].label}" '
            f"probably contains a line starting with ```. Remove that line and {words.redo_lc}",
            line=fence_line,
            field=fields[current.index].id,
        )
    missing = [
        FormError(
            f"heading {_heading(form_field.label)} is missing at the end of the body; "
            + words.edited,
            field=form_field.id,
        )
        for k, form_field in enumerate(fields)
        if k not in sections
    ]
    if missing:
        raise FormError.of(missing)
    return [sections[k] for k in range(len(fields))]


def _first_per_line(problems: list[_Problem]) -> list[_Problem]:
    """The problems in line order, one per line (text before the first heading may span many
    lines: it is said once)."""
    out: list[_Problem] = []
    for problem in sorted(problems, key=_line_of):
        if out and out[-1].message == problem.message and out[-1].field == problem.field:
            continue
        out.append(problem)
    return out


def _before_first(fields: list[FormField], words: Words) -> str:
    return (
        f"text before the first heading; the body must start with "
        f"{_heading(fields[0].label)}. {words.redo}"
    )


def _line_of(problem: _Problem) -> int:
    return problem.line


def _as_error(problem: _Problem) -> FormError:
    return FormError(problem.message, line=problem.line, field=problem.field)


def _trimmed(section: _Section) -> list[tuple[int, str]]:
    lines = section.lines
    start, end = 0, len(lines)
    while start < end and not lines[start][1].strip():
        start += 1
    while end > start and not lines[end - 1][1].strip():
        end -= 1
    return lines[start:end]


def _choices(value: str, options: tuple[str, ...]) -> list[str] | None:
    """Split ``"a, b, c"`` into options, allowing options that themselves contain ", "."""
    ordered = sorted(options, key=len, reverse=True)
    size = len(value)
    # step[p] = (option, next position) for a valid split of value[p:], None if none.
    step: list[tuple[str, int] | None] = [None] * (size + 1)
    for pos in range(size - 1, -1, -1):
        if pos and value[max(pos - 2, 0) : pos] != ", ":
            continue  # a choice only starts at 0 or after ", "
        for option in ordered:
            end = pos + len(option)
            if not value.startswith(option, pos):
                continue
            if end == size:
                step[pos] = (option, size)
                break
            if value.startswith(", ", end) and end + 2 <= size and step[end + 2] is not None:
                step[pos] = (option, end + 2)
                break
    chosen: list[str] = []
    pos = 0
    while pos < size:
        link = step[pos]
        if link is None:
            return None
        chosen.append(link[0])
        pos = link[1]
    return chosen or None


def _value_of(
    form_field: FormField, section: _Section, max_field: int, typed: bool, words: Words
) -> str | list[str] | None:
    """Return the answer of one section, None when unanswered; raise FormError if invalid."""
    quoted = f'"{form_field.label}"'
    lines = _trimmed(section)
    first_line = lines[0][0] if lines else section.heading_line

    def fail(message: str, line: int = first_line) -> FormError:
        return FormError(message, line=line, field=form_field.id)

    if not lines:
        if typed:
            return None  # an e-mail answer left empty is no answer
        raise fail(
            f"the answer to {quoted} is empty; GitHub writes {NO_RESPONSE} for a question "
            f"left empty, so {words.edited}"
        )
    texts = [text for _, text in lines]
    if texts == [NO_RESPONSE] or (typed and heading_key(" ".join(texts)) == NO_RESPONSE):
        return None
    raw = "\n".join(texts)

    def check_length(value: str) -> None:
        if len(value) > max_field:
            raise fail(
                f"the answer to {quoted} is {len(value)} characters long; the limit is "
                f"{max_field}. Shorten it and {words.redo_lc}"
            )

    if form_field.type == "checkboxes":
        check_length(raw)
        return ticked_typed(form_field, lines, words) if typed else _ticked(form_field, lines)

    if form_field.type == "textarea":
        if form_field.render is None:
            check_length(raw)
            return raw
        opening = "```" + form_field.render
        if len(texts) < 2 or texts[0].rstrip() != opening or texts[-1].rstrip() != "```":
            raise fail(
                f"the answer to {quoted} is not inside the code block that the form adds "
                f"({opening} ... ```); {words.edited}"
            )
        inner = "\n".join(texts[1:-1])
        check_length(inner)
        return inner if inner.strip() else None

    check_length(raw)
    if typed:
        # a mail client wraps a long line at a space: the lines of one answer are one line
        texts = [" ".join(" ".join(texts).split())]
    if form_field.type == "input":
        if len(texts) != 1:
            raise fail(
                f"the answer to {quoted} must be a single line but has {len(texts)} lines; "
                + words.edited
            )
        return texts[0].strip()

    # dropdown
    if typed:
        not_an_option = fail(
            f"the answer to {quoted} is not exactly one of its options; answer with one of: "
            f"{options_said(form_field)}."
        )
    else:
        not_an_option = fail(
            f"the answer to {quoted} is not one of the options of the form; the body was "
            f"edited outside the form. {words.redo_and} pick an option from the list."
        )
    if len(texts) != 1:
        raise not_an_option
    value = texts[0].strip()
    if heading_key(value) == _NONE_CHOICE and value not in form_field.options:
        return None  # required or not: GitHub does not enforce `required` everywhere
    options = {heading_key(o): o for o in form_field.options}
    if not form_field.multiple:
        found = options.get(heading_key(value))
        if found is None and typed:
            found = typed_option(form_field.options, value)
        if found is None:
            raise not_an_option
        return found
    chosen = _choices(heading_key(value), tuple(options))
    if chosen is None and typed:
        picked = [typed_option(form_field.options, part) for part in re.split(r"[,;]", value)]
        chosen = None if None in picked else [p for p in picked if p is not None]
    if chosen is None:
        raise not_an_option
    chosen = [options.get(c, c) for c in chosen]
    if len(set(chosen)) != len(chosen):
        raise fail(f"the answer to {quoted} names the same option twice; {words.edited}")
    return chosen


def _ticked(form_field: FormField, lines: list[tuple[int, str]]) -> list[str]:
    """Return the ticked labels of a checkboxes answer (already trimmed, not empty)."""
    quoted = f'"{form_field.label}"'
    count = len(form_field.options)
    shape = (
        f"the answer to {quoted} does not list the {count} checkbox"
        f"{'es' if count > 1 else ''} of the form in order, one per line as "
        f'"- [X] label" or "- [ ] label"; {_EDITED}'
    )
    if len(lines) != count:
        raise FormError(shape, line=lines[0][0], field=form_field.id)
    ticked: list[str] = []
    for (number, text), option in zip(lines, form_field.options, strict=True):
        box = _CHECKBOX.fullmatch(text)
        if box is None or heading_key(box.group(2)) != heading_key(option):
            raise FormError(shape, line=number, field=form_field.id)
        if box.group(1) != " ":
            ticked.append(option)
    for (number, _), option in zip(lines, form_field.options, strict=True):
        if option in form_field.required_options and option not in ticked:
            raise FormError(
                f'the box "{option}" under {quoted} must be ticked. {_REDO_AND} tick it.',
                line=number,
                field=form_field.id,
            )
    if form_field.required and not ticked:
        raise FormError(
            f"at least one box under {quoted} must be ticked. {_REDO_AND} tick one.",
            line=lines[0][0],
            field=form_field.id,
        )
    return ticked


def parse_answers(
    template: Mapping[str, Any],
    body: str,
    *,
    max_body: int = 65536,
    max_field: int = 10000,
    typed: bool = False,
) -> tuple[dict[str, str | list[str]], list[FormError]]:
    """:func:`parse_body` that reads a body to its end: the answers it could read, and a
    FormError for each question whose answer is not valid (or required and missing), in form
    order. A body whose shape cannot be read (headings, characters, length) still raises
    FormError, carrying every such problem in ``errors``."""
    words = MAIL if typed else GITHUB
    fields = fields_of(template)
    if not isinstance(body, str):
        raise FormError(f"the issue has no text body; {words.redo_lc}")
    if len(body) > max_body:
        raise FormError(
            f"the body is {len(body)} characters long; the limit is {max_body}. Shorten "
            f"the answers and {words.redo_lc}"
        )
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(text, words)
    lines = text.split("\n")
    if typed:
        lines = unwrap_headings(fields, [unicodedata.normalize("NFC", t) for t in lines])
    sections = _split_sections(fields, lines, words)
    answers: dict[str, str | list[str]] = {}
    problems: list[FormError] = []
    for form_field, section in zip(fields, sections, strict=True):
        try:
            value = _value_of(form_field, section, max_field, typed, words)
        except FormError as exc:
            problems.append(exc)
            continue
        if value is None:
            if form_field.required:
                problems.append(
                    FormError(
                        f'"{form_field.label}" is required but has no answer. '
                        f"{words.redo_and} answer it."
                        + (
                            f" Answers: {options_said(form_field)}."
                            if typed and form_field.options
                            else ""
                        ),
                        line=section.heading_line,
                        field=form_field.id,
                    )
                )
            continue
        answers[form_field.id] = value
    return answers, problems


def parse_body(
    template: Mapping[str, Any],
    body: str,
    *,
    max_body: int = 65536,
    max_field: int = 10000,
    typed: bool = False,
) -> dict[str, str | list[str]]:
    """Return the answers of an issue body rendered by GitHub from ``template``, by id.

    Inputs, textareas and single dropdowns give a string; multiple dropdowns and
    checkboxes give a list (checkboxes: the ticked labels, in form order). A question
    answered ``_No response_`` (or ``None`` for an optional dropdown) is left out.
    Anything GitHub's form would not have produced raises FormError: unknown, missing,
    repeated or reordered headings, text before the first heading, answers outside the
    options, malformed checkboxes, unticked required boxes, missing required answers,
    control or invisible characters, a body over ``max_body`` or an answer over
    ``max_field`` characters. The body is read to its end: the FormError raised is the
    first problem and carries every problem in ``errors``. Headings and options are
    compared in NFC. Nothing in the body is executed or interpreted, and error messages
    never quote it.

    ``typed``: the body was typed by hand (an e-mail, where nobody sees the dropdowns): a
    choice answer may name its option as :func:`typed_option` reads it, a heading or an
    answer wrapped by the mail client over several lines is read as one line, an empty
    answer is no answer, lines starting with :data:`HINT_MARKER` are skipped, and refusals
    tell the sender to correct and send the e-mail again.
    """
    answers, problems = parse_answers(
        template, body, max_body=max_body, max_field=max_field, typed=typed
    )
    if problems:
        raise FormError.of(problems)
    return answers
