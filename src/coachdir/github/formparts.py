"""Element builders of the issue forms, and the schema view they read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from coachdir.github.vocabulary import (
    DECLARATIONS,
    FIELD_NAMES,
    FORM_LABELS,
    NOT_IN_FORMS,
    REGISTRATION_FIELDS,
    _bi,
    _bi_block,
    option_text,
)
from coachdir.problems import CoachdirError, Problem
from coachdir.programme import Term


def _schema_error(message: str, hint: str) -> CoachdirError:
    return CoachdirError(
        [Problem("schemas/coach.schema.json", 1, 1, message, "forms.schema", hint)]
    )


class _Schema:
    """Read-only look-ups in the (unspecialised or specialised) coach schema."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        props = schema.get("properties")
        if not isinstance(props, Mapping):
            raise _schema_error(
                "the coach schema has no 'properties'", "Pass schemas/coach.schema.json."
            )
        self.props: Mapping[str, Any] = props
        self.required = frozenset(schema.get("required", ()))

    def _resolve(self, node: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = self.schema.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
            out.update(self._resolve(target))
        out.update({k: v for k, v in node.items() if k != "$ref"})
        return out

    def prop(self, *path: str) -> dict[str, Any]:
        node: Mapping[str, Any] = self.schema
        for name in path:
            node = self._resolve(node).get("properties", {}).get(name, {})
        return self._resolve(node)

    def limit(self, *path: str) -> str:
        """The ``maxLength`` of a property as text, '' when it has none."""
        node = self.prop(*path)
        if "maxLength" in node:
            return str(node["maxLength"])
        return ""


def _length_note(schema: _Schema, *path: str) -> tuple[str, str]:
    size = schema.limit(*path)
    if not size:
        return "", ""
    return f" {size} caractères au plus.", f" At most {size} characters."


# --------------------------------------------------------------------------- elements


def _labelled(label: str, description: str) -> dict[str, Any]:
    return {"label": label, "description": description} if description else {"label": label}


def _markdown(fr: str, en: str) -> dict[str, Any]:
    return {"type": "markdown", "attributes": {"value": _bi_block(fr, en)}}


def _input(
    fid: str,
    label: str,
    description: str,
    *,
    required: bool,
    placeholder: str | None = None,
) -> dict[str, Any]:
    attributes: dict[str, Any] = _labelled(label, description)
    if placeholder:
        attributes["placeholder"] = placeholder
    return {
        "type": "input",
        "id": fid,
        "attributes": attributes,
        "validations": {"required": required},
    }


def _textarea(
    fid: str,
    label: str,
    description: str,
    *,
    required: bool,
    render: str | None = None,
    placeholder: str | None = None,
) -> dict[str, Any]:
    attributes: dict[str, Any] = _labelled(label, description)
    if placeholder:
        attributes["placeholder"] = placeholder
    if render:
        attributes["render"] = render
    return {
        "type": "textarea",
        "id": fid,
        "attributes": attributes,
        "validations": {"required": required},
    }


def _dropdown(
    fid: str,
    label: str,
    description: str,
    options: Sequence[str],
    *,
    required: bool,
    multiple: bool = False,
) -> dict[str, Any]:
    if len(set(options)) != len(options):
        raise ValueError(f"dropdown {fid}: options are not unique")
    attributes: dict[str, Any] = _labelled(label, description)
    if multiple:
        attributes["multiple"] = True
    attributes["options"] = list(options)
    return {
        "type": "dropdown",
        "id": fid,
        "attributes": attributes,
        "validations": {"required": required},
    }


def _checkboxes(fid: str, label: str, description: str, boxes: Sequence[str]) -> dict[str, Any]:
    """Checkboxes that must all be ticked (GitHub puts ``required`` on each option)."""
    return {
        "type": "checkboxes",
        "id": fid,
        "attributes": {
            **_labelled(label, description),
            "options": [{"label": box, "required": True} for box in boxes],
        },
    }


def _terms(terms: Iterable[Term]) -> list[str]:
    return [option_text(t) for t in terms]


def _form(
    name: tuple[str, str],
    description: tuple[str, str],
    title: tuple[str, str],
    form: str,
    body: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "name": _bi(*name),
        "description": _bi(*description),
        "title": f"[{_bi(*title)}] ",
        "labels": [FORM_LABELS[form]],
        "body": body,
    }


# --------------------------------------------------------------------------- the forms


def _check_schema_coverage(schema: _Schema) -> None:
    """Every schema property is asked by the forms or listed with the reason it is not."""
    props = set(schema.props)
    for table, what in (
        (set(REGISTRATION_FIELDS), "REGISTRATION_FIELDS"),
        (set(FIELD_NAMES) | set(NOT_IN_FORMS), "FIELD_NAMES and NOT_IN_FORMS"),
    ):
        unknown, gone = sorted(props - table), sorted(table - props)
        if unknown:
            raise _schema_error(
                f"profile field(s) {', '.join(unknown)} of the schema are not handled by the "
                f"issue forms ({what} in coachdir/forms.py)",
                "Add the field to coachdir/forms.py (registration question and profile-change "
                "list, or the list of fields left out with the reason).",
            )
        if gone:
            raise _schema_error(
                f"the issue forms ask for profile field(s) {', '.join(gone)} that the schema "
                f"no longer has ({what} in coachdir/forms.py)",
                "Remove the field from coachdir/forms.py.",
            )
    declared = set(schema.prop("declarations").get("properties", {}))
    if declared != set(DECLARATIONS):
        raise _schema_error(
            "the schema's declarations differ from the registration form's checkboxes",
            "Update DECLARATIONS in coachdir/forms.py to the schema's declarations.",
        )


def _choice(fid: str, label: tuple[str, str], values: Sequence[str], *, required: bool) -> Any:
    return _dropdown(fid, _bi(*label), "", list(values), required=required)
