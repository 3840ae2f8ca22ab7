"""How a form body typed by hand in an e-mail is read: loose options, wrapped lines, hints."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from coachdir.github.formfield import FormError, FormField
from coachdir.github.vocabulary import _OPTION_ID

__all__ = ["GITHUB", "HINT_MARKER", "MAIL", "Words", "option_ids", "typed_option"]

_HEADING = re.compile(r"###(?:[ \t]+(.*?))?[ \t]*")


HINT_MARKER = "~"
"""A line of an e-mail body starting with this marker is a hint for the sender (the answers a
dropdown takes, written by :mod:`coachdir.github.prefill`): the parser of a typed body skips it."""


@dataclass(frozen=True)
class Words:
    """How a refusal tells the person to try again: from the issue form on GitHub, or by
    correcting and sending their e-mail again (never "the form" to someone who wrote one)."""

    redo: str
    redo_lc: str
    redo_and: str
    edited: str


GITHUB = Words(
    "Create the request again from the form.",
    "create the request again from the form.",
    "Create the request again from the form and",
    "the body was edited by hand. Create the request again from the form.",
)
MAIL = Words(
    "Correct your e-mail and send it again.",
    "send your e-mail again.",
    "Send your e-mail again and",
    "the e-mail's questions were changed. Send it again keeping each line that starts with "
    '"###" as it was.',
)


def heading_key(text: str) -> str:
    """How a heading is compared with a label: NFC (an accent typed decomposed is the same
    letter) and runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def unwrap_headings(fields: list[FormField], lines: list[str]) -> list[str]:
    """A typed body, as a mail client wraps it: a heading cut after 72 to 78 columns is joined
    back to its label (its continuation lines become blank, so line numbers stay), and the
    sender's hint lines (:data:`HINT_MARKER`) become blank."""
    labels = {heading_key(f.label) for f in fields}
    out = list(lines)
    for number, text in enumerate(out):
        if text.lstrip().startswith(HINT_MARKER):
            out[number] = ""
            continue
        heading = _HEADING.fullmatch(text)
        if heading is None or heading_key(heading.group(1) or "") in labels:
            continue
        joined = heading.group(1) or ""
        for later in range(number + 1, min(number + 4, len(out))):
            if not out[later].strip() or out[later].startswith("#"):
                break
            joined = f"{joined} {out[later].strip()}"
            if heading_key(joined) in labels:
                out[number] = f"### {joined}"
                for blank in range(number + 1, later + 1):
                    out[blank] = ""
                break
    return out


def option_ids(options: Sequence[str]) -> list[str]:
    """What a person may type to name each option, shortest first: its id (``fr`` for
    ``Français / French [fr]``), or the option itself when it has none (``"3"``)."""
    out = []
    for option in options:
        found = _OPTION_ID.search(option)
        out.append(found.group(1) if found else option)
    return out


def options_said(form_field: FormField) -> str:
    """The valid answers of a choice question, in the programme's words (never the sender's)."""
    if form_field.type == "checkboxes":
        return "; ".join(f'"{o}"' for o in form_field.options)
    ids = ", ".join(option_ids(form_field.options))
    return f"{ids} (or an option's French or English label)"


def _loose(text: str) -> str:
    """A text as a typed answer is compared: case, accents, white space and punctuation left
    out (``"Promotion 2026-2027"`` and ``"promotion 20262027"`` are the same answer)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).casefold())
    return "".join(char for char in folded if char.isalnum())


def _names(option: str) -> set[str]:
    """Every way a typed answer may name ``option`` (loose, see :func:`_loose`): its id, its
    whole text, its label without the id, and the French or the English half of the label
    (the label is ``"fr / en"``; each " / " is tried as the place where they meet)."""
    found = _OPTION_ID.search(option)
    label = option[: found.start()].strip() if found else option
    names = {option, label}
    if found:
        names.add(found.group(1))
    parts = label.split(" / ")
    for cut in range(1, len(parts)):
        names.add(" / ".join(parts[:cut]))
        names.add(" / ".join(parts[cut:]))
    return {loose for loose in map(_loose, names) if loose}


def typed_option(options: Sequence[str], text: str) -> str | None:
    """The one option a hand-typed answer names, else None: by its id (``fr`` or ``[fr]``,
    for an option written ``Français / French [fr]``), by its label in either language
    (``French``, ``français``), by the whole label or the whole text, without regard to case,
    accents, white space or punctuation. An answer that names two options: None."""
    typed = _loose(text)
    if not typed:
        return None
    matches = [option for option in options if typed in _names(option)]
    return matches[0] if len(matches) == 1 else None


_TYPED_BOX = re.compile(r"[-*•]?[ \t]*\[[ \t]*([xX✓✔✗☒]?)[ \t]*\][ \t]*(.*?)[ \t]*")


def ticked_typed(form_field: FormField, lines: list[tuple[int, str]], words: Words) -> list[str]:
    """The ticked labels of a checkboxes answer in an e-mail: a box is ``- [X] label`` (also
    ``[x]``, ``* [x]``, ``[✓]``), its label wrapped over several lines as a mail client does
    and named as :func:`typed_option` reads it; a box left out is not ticked."""
    quoted = f'"{form_field.label}"'
    boxes: list[tuple[int, bool, str]] = []
    for number, text in lines:
        box = _TYPED_BOX.fullmatch(text.strip())
        if box is not None:
            boxes.append((number, bool(box.group(1)), box.group(2)))
        elif boxes and text.strip():
            start, ticked_box, label = boxes[-1]
            boxes[-1] = (start, ticked_box, f"{label} {text.strip()}")
        elif text.strip():
            raise FormError(
                f'the answer to {quoted} must list its boxes as "- [X] label" (ticked) or '
                f'"- [ ] label"; {words.edited}',
                line=number,
                field=form_field.id,
            )
    ticked: list[str] = []
    for number, is_ticked, label in boxes:
        option = typed_option(form_field.options, label)
        if option is None:
            raise FormError(
                f"a box under {quoted} is not one of its boxes; they are: "
                f"{options_said(form_field)}. {words.redo}",
                line=number,
                field=form_field.id,
            )
        if is_ticked and option not in ticked:
            ticked.append(option)
    ticked.sort(key=form_field.options.index)
    for option in form_field.required_options:
        if option not in ticked:
            raise FormError(
                f'the box "{option}" under {quoted} must be ticked. {words.redo_and} tick it.',
                line=lines[0][0],
                field=form_field.id,
            )
    if form_field.required and not ticked:
        raise FormError(
            f"at least one box under {quoted} must be ticked. {words.redo_and} tick one.",
            line=lines[0][0],
            field=form_field.id,
        )
    return ticked
