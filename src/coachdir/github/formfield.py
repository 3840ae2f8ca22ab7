"""The question of an issue form, and the error of a body that does not match it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coachdir.problems import InvalidInput

__all__ = ["FieldType", "FormError", "FormField"]

FieldType = Literal["input", "textarea", "dropdown", "checkboxes"]


class FormError(InvalidInput):
    """A template or a body that does not match what GitHub's issue forms produce.

    ``message`` says what is wrong and how to fix it and never quotes the submitted text;
    ``line`` is the 1-based line of the body (None when not tied to a line); ``field`` is
    the id of the form field concerned (None when not tied to a field).
    """

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.message = message
        self.line = line
        self.field = field
        self.element: int | None = None
        """For a template error: the index in the template's ``body`` of the element."""
        self.errors: tuple[FormError, ...] = (self,)
        """Every problem found in the body, this one first (a body is read to its end, so
        one refusal can list them all)."""

    @classmethod
    def of(cls, problems: Sequence[FormError]) -> FormError:
        """One error standing for ``problems`` (not empty): the first, carrying them all."""
        first = problems[0]
        error = cls(first.message, line=first.line, field=first.field)
        error.errors = tuple(problems)
        return error


@dataclass(frozen=True)
class FormField:
    """One question of an issue form (markdown elements are not questions)."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    options: tuple[str, ...] = ()
    multiple: bool = False
    render: str | None = None
    required_options: tuple[str, ...] = ()
    """For checkboxes: the option labels that must be ticked."""
