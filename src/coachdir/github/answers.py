"""Decoding of issue-form answers back to ids and values (the inverse of the forms' options)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coachdir.github.issueform import FormError
from coachdir.github.vocabulary import _DATE, _OPTION_ID, _WHOLE


def _element(form: Mapping[str, Any], field_id: str) -> Mapping[str, Any]:
    for element in form.get("body", ()):
        if isinstance(element, Mapping) and element.get("id") == field_id:
            return element
    raise FormError(f'the form has no question "{field_id}"', field=field_id)


def option_to_id(form: Mapping[str, Any], field_id: str, option_text: str) -> str:
    """Map a dropdown answer back to its id, using the form (the parsed template) alone.

    ``"Français / French [fr]"`` gives ``"fr"``; a bare option (``"3"``) gives itself.
    Raises FormError when the text is not an option of that dropdown.
    """
    element = _element(form, field_id)
    options = element.get("attributes", {}).get("options", ())
    text = option_text.strip()
    if element.get("type") != "dropdown" or text not in options:
        raise FormError(
            f'the answer to "{field_id}" is not one of the options of the form',
            field=field_id,
        )
    found = _OPTION_ID.search(text)
    return found.group(1) if found else text


def options_to_ids(form: Mapping[str, Any], field_id: str, answer: str | list[str]) -> list[str]:
    """:func:`option_to_id` for each choice of a (multiple) dropdown answer."""
    values = [answer] if isinstance(answer, str) else answer
    return [option_to_id(form, field_id, value) for value in values]


@dataclass(frozen=True)
class _Part:
    key: str
    required: bool


_CREDENTIAL_PARTS = (
    _Part("type", True),
    _Part("issuer", True),
    _Part("obtained", True),
    _Part("expires", False),
    _Part("hours", False),
)


def parse_credentials(text: str) -> list[dict[str, Any]]:
    """Read the registration form's credentials answer, one credential per line:
    ``type; issuer; obtained; expires; hours`` (the last two may be empty or left out).

    Returns profile ``credentials`` entries. Raises FormError (``line`` is the line within
    the answer) on a malformed line; whether the type is known and the dates are real is
    left to profile validation.
    """
    out: list[dict[str, Any]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(";")]
        while len(parts) > 3 and not parts[-1]:
            parts.pop()
        if not 3 <= len(parts) <= len(_CREDENTIAL_PARTS):
            raise FormError(
                "each credential line needs 3 to 5 fields separated by semicolons: "
                "type; issuer; obtained; expires; hours",
                line=number,
                field="credentials",
            )
        entry: dict[str, Any] = {}
        for part, value in zip(_CREDENTIAL_PARTS, parts, strict=False):
            if not value:
                if part.required:
                    raise FormError(
                        f"the credential's {part.key} is empty", line=number, field="credentials"
                    )
                continue
            if part.key in ("obtained", "expires") and not _DATE.fullmatch(value):
                raise FormError(
                    f"the credential's {part.key} date must be written YYYY-MM-DD",
                    line=number,
                    field="credentials",
                )
            if part.key == "hours":
                # [0-9] only: str.isdigit() accepts "²" and other Unicode digits.
                if not _WHOLE.fullmatch(value):
                    raise FormError(
                        "the credential's hours must be a whole number",
                        line=number,
                        field="credentials",
                    )
                entry["hours"] = int(value)
                continue
            entry[part.key] = value
        out.append(entry)
    return out
