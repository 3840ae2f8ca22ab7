"""Prefilled bodies of the generated record forms, in GitHub's exact rendered format.

Staff and coaches cannot read the records repository, so the site opens an e-mail to the
programme team instead of an issue; the team passes its text to ``coachdir intake``. For the
parser (:mod:`coachdir.github.issueform`) to read that text as a form submission, the e-mail
body is the body GitHub would render from the very form ``coachdir forms`` generates: for each
question in order ``### <label>``, a blank line, the answer, a blank line. An unanswered
question says ``_No response_`` (what GitHub writes for an empty answer), so an e-mail sent
unedited is refused with '"<label>" is required but has no answer'; checkboxes are written
unticked (``- [ ] <label>``) for the sender to tick. Nothing comes before the first heading:
the parser refuses text there, so guidance goes in the e-mail's subject. The e-mail's body
(:func:`mail_body`) also says, on lines under each dropdown's heading that start with
:data:`~coachdir.github.issueform.HINT_MARKER` (which the parser of an e-mail skips), which
answers the dropdown takes: the ids of its options, at most 72 columns a line so that no mail
client wraps them; and it leaves a missing answer empty rather than ``_No response_``, which
keeps the ``mailto:`` address under 2,000 characters.

The headings come from :func:`coachdir.github.forms.generate_forms`, never from a second copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from coachdir.github.forms import generate_forms
from coachdir.github.issueform import HINT_MARKER, NO_RESPONSE, option_ids
from coachdir.github.vocabulary import RECORD_FORMS
from coachdir.programme import Programme
from coachdir.schema import read_schema, schema_dir

__all__ = [
    "IDS_MARKER",
    "RecordForms",
    "hint_lines",
    "mail_body",
    "record_form_templates",
    "render_body",
]

IDS_MARKER = "COACHDIR-IDS"
"""Stands for the coach ids in a body template: letters and a hyphen, so percent-encoding
leaves it as is and a script can substitute the (encoded) ids into a ready-made address."""

Answer = str | Sequence[str]
RecordForms = Mapping[str, Mapping[str, Any]]
"""The record forms by name, as :func:`record_form_templates` gives them."""


def record_form_templates(programme: Programme, root: Path) -> dict[str, dict[str, Any]]:
    """The record forms (coaching request, session log, end of association) as generated from
    the programme's settings and coach schema: ``{"session-log": template, ...}``."""
    schema = read_schema(schema_dir(root) / "coach.schema.json")
    texts = generate_forms(programme, schema)
    return {name: dict(yaml.safe_load(texts[f"{name}.yml"])) for name in RECORD_FORMS}


def _answer_text(element: Mapping[str, Any], value: Answer | None) -> str:
    attributes = element.get("attributes", {})
    kind = element.get("type")
    if kind == "checkboxes":
        ticked = set([value] if isinstance(value, str) else value or ())
        return "\n".join(
            f"- [{'X' if box['label'] in ticked else ' '}] {box['label']}"
            for box in attributes.get("options", ())
        )
    text = value if isinstance(value, str) else ", ".join(value or ())
    if not text:
        return NO_RESPONSE
    render = attributes.get("render") if kind == "textarea" else None
    return f"```{render}\n{text}\n```" if render else text


def render_body(form: Mapping[str, Any], answers: Mapping[str, Answer] | None = None) -> str:
    """The body GitHub renders from ``form`` (a parsed issue-form template) with ``answers``
    (by question id; a list for a multiple dropdown or the ticked checkboxes). Questions
    without an answer are written ``_No response_``, checkboxes unticked."""
    given = answers or {}
    unknown = set(given) - {e.get("id") for e in form.get("body", ())}
    if unknown:
        raise ValueError(f"the form has no question {sorted(unknown)}")
    parts = [
        f"### {element['attributes']['label']}\n\n{_answer_text(element, given.get(element['id']))}"
        for element in form.get("body", ())
        if element.get("type") != "markdown"
    ]
    return "\n\n".join(parts) + "\n"


HINT_WIDTH = 72
"""The widest hint line: mail clients wrap plain text at 72 to 78 columns."""


def hint_lines(element: Mapping[str, Any]) -> list[str]:
    """The lines that say which answers a dropdown takes (its option ids, comma-separated),
    each starting with the hint marker and at most :data:`HINT_WIDTH` columns wide."""
    ids = option_ids([str(o) for o in element.get("attributes", {}).get("options", ())])
    lines: list[str] = []
    line = HINT_MARKER
    for number, ident in enumerate(ids):
        word = f" {ident}{',' if number < len(ids) - 1 else ''}"
        if len(line) + len(word) > HINT_WIDTH and line != HINT_MARKER:
            lines.append(line)
            line = HINT_MARKER
        line += word
    lines.append(line)
    return lines


def mail_body(form: Mapping[str, Any], answers: Mapping[str, Answer] | None = None) -> str:
    """The body of the prefilled e-mail: the form's body as :func:`render_body` writes it,
    with the :func:`hint_lines` of each dropdown right under its heading (the parser of an
    e-mail skips them) and, to stay short enough for a ``mailto:`` address, nothing where an
    answer is missing (in an e-mail an empty answer is no answer, as ``_No response_`` is):
    the sender writes each answer on the blank line under its question."""
    given = answers or {}
    unknown = set(given) - {e.get("id") for e in form.get("body", ())}
    if unknown:
        raise ValueError(f"the form has no question {sorted(unknown)}")
    parts = []
    for element in form.get("body", ()):
        if element.get("type") == "markdown":
            continue
        block = [f"### {element['attributes']['label']}"]
        if element.get("type") == "dropdown":
            block.extend(hint_lines(element))
        answer = _answer_text(element, given.get(element["id"]))
        if answer != NO_RESPONSE:
            block.extend(["", answer])
        parts.append("\n".join(block))
    return "\n\n".join(parts) + "\n"
