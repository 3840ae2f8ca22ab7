"""Tests for coachdir.github.issueform: GitHub issue-form bodies parsed against their template."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdir.github.issueform import FormError, FormField, fields_of, parse_body
from coachdir.text import first_forbidden

CASES = Path(__file__).parent / "cases" / "issueform"
REDO = "Create the request again from the form."
EDITED = "the body was edited by hand. " + REDO


def load_template(name: str) -> dict[str, Any]:
    data = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def read_body(name: str) -> str:
    # Bytes, then decode: keeps CRLF / CR exactly as in the file (no newline translation).
    return (CASES / name).read_bytes().decode("utf-8")


COACHING = load_template("coaching-request-fr.yml")
GENERIC = load_template("generic-form.yml")
CONSENT = (
    "J'ai lu la notice d'information (RGPD) et je n'indique aucune donnée de santé ou sur des tiers"
)
COC = "I agree to follow this project's [Code of Conduct](https://example.org/coc)"


def reject(template: dict[str, Any], body: str, **limits: int) -> FormError:
    with pytest.raises(FormError) as caught:
        parse_body(template, body, **limits)
    return caught.value


# --------------------------------------------------------------------------- template


def test_fields_of_coaching_template() -> None:
    fields = fields_of(COACHING)
    assert [(f.id, f.type, f.required) for f in fields] == [
        ("administration", "dropdown", True),
        ("theme", "dropdown", True),
        ("language", "dropdown", True),
        ("availability", "input", True),
        ("context", "textarea", False),
        ("consent", "checkboxes", True),
    ]
    assert fields[0].label == "Administration"
    assert fields[4].label == "Contexte (sans données personnelles)"
    assert fields[2].options == ("fr", "en", "de", "es", "br", "no", "ar", "fr-CA")
    assert fields[5].options == (CONSENT,)
    assert fields[5].required_options == (CONSENT,)


def test_fields_of_generic_template_every_type() -> None:
    fields = {f.id: f for f in fields_of(GENERIC)}
    assert list(fields) == [
        "name",
        "website",
        "description",
        "logs",
        "version",
        "platform",
        "cities",
        "terms",
        "extras",
    ]
    assert fields["logs"] == FormField(
        "logs", "Relevant log output", "textarea", required=False, render="shell"
    )
    assert fields["cities"].multiple and fields["cities"].options[1] == "Paris, France"
    assert not fields["platform"].multiple
    assert fields["terms"].required and fields["terms"].required_options == (COC,)
    assert not fields["extras"].required and fields["extras"].options == ("A", "B", "C")


def _element(**overrides: Any) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "input", "id": "a", "attributes": {"label": "A"}}
    element.update(overrides)
    return element


@pytest.mark.parametrize(
    ("template", "message", "field"),
    [
        (
            {"body": "nope"},
            'form template: "body" must be a non-empty list of form elements; fix the issue '
            "template.",
            None,
        ),
        (
            {"body": [{"type": "markdown", "attributes": {"value": "hi"}}]},
            "form template: the form has no question (only markdown); fix the issue template.",
            None,
        ),
        (
            {"body": [_element(type="radio")]},
            'form template: every element needs a "type": markdown, input, textarea, dropdown '
            "or checkboxes; fix the issue template.",
            None,
        ),
        (
            {"body": [{"type": "input", "id": "a b", "attributes": {"label": "A"}}]},
            'form template: an input element has an "id" that is not made of letters, digits, '
            '"-" or "_"; fix the issue template.',
            None,
        ),
        (
            {"body": [_element(), _element(attributes={"label": "B"})]},
            'form element "a": this id is used twice; ids must be unique; fix the issue template.',
            "a",
        ),
        (
            {"body": [_element(attributes={"label": "two\nlines"})]},
            'form element "a": "attributes.label" must be a non-empty single line; fix the '
            "issue template.",
            "a",
        ),
        (
            # YAML 1.1 turns an unquoted `no` into False: refuse it instead of guessing.
            {"body": [_element(type="dropdown", attributes={"label": "A", "options": [False]})]},
            'form element "a": every dropdown option must be a non-empty single-line string '
            "(quote values such as yes, no, 1.0); fix the issue template.",
            "a",
        ),
        (
            {"body": [_element(type="checkboxes", attributes={"label": "A", "options": ["x"]})]},
            'form element "a": every checkbox option must be a mapping with "label"; fix the '
            "issue template.",
            "a",
        ),
        (
            {"body": [_element(type="textarea", attributes={"label": "A", "render": "`x"})]},
            'form element "a": "attributes.render" must be a language name; fix the issue '
            "template.",
            "a",
        ),
        (
            {"body": [_element(validations={"required": "yes"})]},
            'form element "a": "required" must be true or false; fix the issue template.',
            "a",
        ),
    ],
)
def test_fields_of_rejects_bad_templates(
    template: dict[str, Any], message: str, field: str | None
) -> None:
    with pytest.raises(FormError) as caught:
        fields_of(template)
    assert str(caught.value) == message
    assert caught.value.line is None
    assert caught.value.field == field


def test_yaml_no_is_a_string_when_quoted_in_the_fixture() -> None:
    # The coaching template quotes "no" (Norwegian); unquoted it would load as False.
    assert "no" in fields_of(COACHING)[2].options


# --------------------------------------------------------------------------- corpus


def test_i1_valid_request() -> None:
    assert parse_body(COACHING, read_body("I1-valid-request.md")) == {
        "administration": "DINUM",
        "theme": "leadership",
        "language": "fr",
        "availability": "Mardi et jeudi après-midi",
        "context": "Nouvelle cheffe de bureau, équipe de 8 personnes.",
        "consent": [CONSENT],
    }


HOSTILE = [
    (
        "I2-shell-metacharacters.md",
        3,
        "administration",
        'line 3: the answer to "Administration" is not one of the options of the form; the '
        "body was edited outside the form. Create the request again from the form and pick "
        "an option from the list.",
    ),
    (
        "I3-markdown-injection.md",
        35,
        "consent",
        'line 35: heading "### Consentement" appears twice (first on line 17); the body was '
        "edited by hand or an answer copies a heading of the form. " + REDO,
    ),
    (
        "I4-very-long.md",
        15,
        "availability",
        'line 15: the answer to "Disponibilités" is 59000 characters long; the limit is '
        "10000. Shorten it and create the request again from the form.",
    ),
    (
        "I5-blanks-duplicates-crlf.md",
        9,
        "theme",
        'line 9: heading "### Thème" appears twice (first on line 5); the body was edited by '
        "hand or an answer copies a heading of the form. " + REDO,
    ),
    (
        "I6-personal-data.md",
        3,
        "administration",
        'line 3: the answer to "Administration" is not one of the options of the form; the '
        "body was edited outside the form. Create the request again from the form and pick "
        "an option from the list.",
    ),
]


@pytest.mark.parametrize(("name", "line", "field", "message"), HOSTILE)
def test_hostile_corpus_bodies_are_rejected(name: str, line: int, field: str, message: str) -> None:
    error = reject(COACHING, read_body(name))
    assert str(error) == message
    assert error.line == line
    assert error.field == field
    assert str(error) == f"line {line}: {error.message}"


@pytest.mark.parametrize("name", [case[0] for case in HOSTILE])
def test_hostile_messages_never_quote_the_body(name: str) -> None:
    body = read_body(name)
    message = str(reject(COACHING, body))
    labels = {f.label for f in fields_of(COACHING)} | {CONSENT}
    for raw_line in body.replace("\r", "\n").split("\n"):
        text = raw_line.removeprefix("### ").removeprefix("- [X] ").removeprefix("- [ ] ")
        if len(text) >= 4 and text not in labels:
            assert text not in message
    for secret in ("curl", "$(", "GITHUB", "pwned", "AAAA", "06 12", "@", "Curie", "burn"):
        assert secret not in message


def test_i3_fake_consent_is_never_accepted_even_after_removing_the_fake_field() -> None:
    # Without the unknown 'Coach attribué' section the injected consent still collides.
    body = read_body("I3-markdown-injection.md").replace(
        "### Coach attribué\n\nalice-martin\n\n", ""
    )
    error = reject(COACHING, body)
    assert error.field == "consent"
    assert "appears twice" in error.message


def test_i3_other_problems_are_reported_once_the_duplicate_is_gone() -> None:
    body = read_body("I3-markdown-injection.md")
    cut = body.index("### Consentement", body.index("### Contexte"))
    error = reject(COACHING, body[:cut])
    assert str(error) == (
        "line 21: heading of a question the form does not have; the body was edited by hand "
        'or an answer starts with "###". ' + REDO
    )


def test_i4_is_also_caught_by_the_body_limit() -> None:
    body = read_body("I4-very-long.md")
    error = reject(COACHING, body, max_body=50_000)
    assert str(error) == (
        f"the body is {len(body)} characters long; the limit is 50000. Shorten the answers "
        "and create the request again from the form."
    )
    assert error.line is None and error.field is None


def test_i5_reports_every_problem_in_turn() -> None:
    body = read_body("I5-blanks-duplicates-crlf.md")
    assert "\r\n" in body
    lines = body.split("\r\n")
    # Remove the duplicated Thème section: the unknown heading / missing Langue come next.
    without_dup = "\r\n".join(lines[:8] + lines[12:])
    assert str(reject(COACHING, without_dup)) == (
        'line 9: heading "### Langue" is missing before this line; ' + EDITED
    )


def test_i6_personal_data_is_out_of_scope_for_the_structural_parser() -> None:
    # With a valid administration I6 is a well-formed body: spotting the phone number,
    # e-mail and health data is the job of the PII checks run on the parsed answers.
    body = read_body("I6-personal-data.md").replace("Préfecture de la Lozère", "DGFiP")
    body = body.replace("wellbeing", "work-life-balance")
    answers = parse_body(COACHING, body)
    assert answers["administration"] == "DGFiP"
    assert "@" in str(answers["availability"])


# --------------------------------------------------------------------------- generic form


def expected(name: str) -> dict[str, Any]:
    data = json.loads((CASES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("body", "result"),
    [
        ("generic-full.md", "generic-full.expected.json"),
        ("generic-full-crlf.md", "generic-full.expected.json"),
        ("generic-full-cr.md", "generic-full.expected.json"),
        ("generic-minimal.md", "generic-minimal.expected.json"),
        ("generic-minimal-crlf.md", "generic-minimal.expected.json"),
    ],
)
def test_generic_bodies_as_github_renders_them(body: str, result: str) -> None:
    assert parse_body(GENERIC, read_body(body)) == expected(result)


def test_line_ending_fixtures_really_differ() -> None:
    assert b"\r" not in (CASES / "generic-full.md").read_bytes()
    assert b"\r\n" in (CASES / "generic-full-crlf.md").read_bytes()
    cr_only = (CASES / "generic-full-cr.md").read_bytes()
    assert b"\r" in cr_only and b"\n" not in cr_only


def test_injected_sections_inside_a_textarea_are_rejected() -> None:
    error = reject(GENERIC, read_body("generic-injected.md"))
    assert str(error) == (
        'line 23: heading "### Relevant log output" appears twice (first on line 13); the '
        "body was edited by hand or an answer copies a heading of the form. " + REDO
    )
    assert error.field == "logs"


FULL = read_body("generic-full.md")
MINIMAL = read_body("generic-minimal.md")


def line_of(body: str, text: str) -> int:
    return body.split("\n").index(text) + 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            FULL.replace("First paragraph", "### Website\n\nFirst paragraph"),
            'line 11: heading "### Website" appears twice (first on line 5); the body was '
            "edited by hand or an answer copies a heading of the form. " + REDO,
            id="textarea-repeats-earlier-heading",
        ),
        pytest.param(
            FULL.replace("Last line.", "### Version\n\n1.0.2 (Default)"),
            'line 34: heading "### Version" appears twice (first on line 21); the body was '
            "edited by hand or an answer copies a heading of the form. " + REDO,
            id="textarea-fakes-a-later-heading",
        ),
        pytest.param(
            FULL.replace("### Version\n\n1.0.3 (Edge)\n\n", "").replace(
                "### Cities", "### Version\n\n1.0.3 (Edge)\n\n### Cities"
            ),
            'line 36: heading "### Version" is out of order (the form puts it before '
            '"### Platform"); ' + EDITED,
            id="sections-swapped",
        ),
        pytest.param(
            "Hello\n\n" + FULL,
            'line 1: text before the first heading; the body must start with "### Project '
            'name". ' + REDO,
            id="text-before-first-heading",
        ),
        pytest.param(
            FULL.replace("### Website\n\nhttps://example.org/coachdir\n\n", ""),
            'line 5: heading "### Website" is missing before this line; ' + EDITED,
            id="missing-heading",
        ),
        pytest.param(
            FULL[: FULL.index("### Extras")],
            'heading "### Extras" is missing at the end of the body; ' + EDITED,
            id="truncated-body",
        ),
        pytest.param(
            FULL.replace("### Platform\n\nLinux\n\n", "### Platform\n\nLinux\n\n### Plat\n\nx\n\n"),
            "line 40: heading of a question the form does not have; the body was edited by "
            'hand or an answer starts with "###". ' + REDO,
            id="unknown-heading-after-dropdown",
        ),
        pytest.param(
            MINIMAL.replace("### Project name\n\ncoachdir", "### Project name\n\n_No response_"),
            'line 1: "Project name" is required but has no answer. Create the request again '
            "from the form and answer it.",
            id="required-input-no-response",
        ),
        pytest.param(
            FULL.replace("coachdir\n", "coachdir\nsecond line\n", 1),
            'line 3: the answer to "Project name" must be a single line but has 2 lines; ' + EDITED,
            id="input-two-lines",
        ),
        pytest.param(
            FULL.replace("### Website\n\nhttps://example.org/coachdir\n", "### Website\n"),
            'line 5: the answer to "Website" is empty; GitHub writes _No response_ for a '
            "question left empty, so " + EDITED,
            id="empty-section",
        ),
        pytest.param(
            FULL.replace("Linux", "BeOS"),
            'line 38: the answer to "Platform" is not one of the options of the form; the '
            "body was edited outside the form. Create the request again from the form and "
            "pick an option from the list.",
            id="dropdown-not-an-option",
        ),
        pytest.param(
            FULL.replace("Paris, France, Lyon", "Paris, France, Lyon, Marseille"),
            'line 42: the answer to "Cities" is not one of the options of the form; the body '
            "was edited outside the form. Create the request again from the form and pick an "
            "option from the list.",
            id="multiple-dropdown-not-an-option",
        ),
        pytest.param(
            FULL.replace("Paris, France, Lyon", "Lyon, Paris, France, Lyon"),
            'line 42: the answer to "Cities" names the same option twice; ' + EDITED,
            id="multiple-dropdown-twice",
        ),
        pytest.param(
            FULL.replace("- [X] I agree", "- [ ] I agree"),
            f'line 46: the box "{COC}" under "Code of Conduct" must be ticked. Create the '
            "request again from the form and tick it.",
            id="required-box-unticked",
        ),
        pytest.param(
            FULL.replace("- [x] A\n- [ ] B", "- [ ] B\n- [x] A"),
            'line 51: the answer to "Extras" does not list the 3 checkboxes of the form in '
            'order, one per line as "- [X] label" or "- [ ] label"; ' + EDITED,
            id="checkboxes-reordered",
        ),
        pytest.param(
            FULL.replace("- [X] C", "- [X] C\n- [X] D"),
            'line 51: the answer to "Extras" does not list the 3 checkboxes of the form in '
            'order, one per line as "- [X] label" or "- [ ] label"; ' + EDITED,
            id="checkbox-added",
        ),
        pytest.param(
            FULL.replace("- [ ] B", "- [v] B"),
            'line 52: the answer to "Extras" does not list the 3 checkboxes of the form in '
            'order, one per line as "- [X] label" or "- [ ] label"; ' + EDITED,
            id="checkbox-bad-mark",
        ),
        pytest.param(
            FULL.replace("```shell\n", "", 1),
            'line 26: heading "### Description" appears twice (first on line 9); the body was '
            "edited by hand or an answer copies a heading of the form. " + REDO,
            id="render-fence-removed-exposes-headings",
        ),
        pytest.param(
            MINIMAL.replace(
                "### Relevant log output\n\n_No response_",
                "### Relevant log output\n\nplain text",
            ),
            'line 15: the answer to "Relevant log output" is not inside the code block that '
            "the form adds (```shell ... ```); " + EDITED,
            id="render-without-fence",
        ),
    ],
)
def test_generic_rejections(body: str, message: str) -> None:
    assert str(reject(GENERIC, body)) == message


def test_expected_line_numbers_in_the_fixture() -> None:
    # Guards the hard-coded line numbers used above.
    assert line_of(FULL, "### Platform") == 36
    assert line_of(FULL, "### Cities") == 40
    assert line_of(FULL, "- [x] A") == 51


def test_fenced_render_textarea_hides_even_the_next_heading() -> None:
    assert parse_body(GENERIC, FULL)["logs"] == (
        "$ coachdir check\n### Description\n### Version\nerror: something went wrong"
    )


def test_render_textarea_may_contain_balanced_fences() -> None:
    body = FULL.replace("error: something went wrong", "error:\n```\nmore\n```\nend")
    assert parse_body(GENERIC, body)["logs"] == (
        "$ coachdir check\n### Description\n### Version\nerror:\n```\nmore\n```\nend"
    )


def test_unbalanced_fence_in_render_textarea_is_part_of_the_answer() -> None:
    # A pasted log with a fence of its own: GitHub's fence still ends the answer.
    body = FULL.replace("error: something went wrong", "error:\n```\nmore")
    assert parse_body(GENERIC, body)["logs"] == (
        "$ coachdir check\n### Description\n### Version\nerror:\n```\nmore"
    )


def test_render_fence_never_closed_is_explained() -> None:
    body = FULL.replace("error: something went wrong\n```\n", "error: something went wrong\n")
    error = reject(GENERIC, body)
    assert str(error) == (
        "line 25: the code block opened on this line is never closed, so the headings after "
        'it cannot be read; the answer to "Relevant log output" probably contains a line '
        "starting with ```. Remove that line and create the request again from the form."
    )
    assert error.field == "logs"


def test_optional_dropdown_none_entry_means_no_answer() -> None:
    body = FULL.replace("### Platform\n\nLinux", "### Platform\n\nNone")
    assert "platform" not in parse_body(GENERIC, body)


def test_checkboxes_accept_lowercase_and_uppercase_ticks() -> None:
    body = FULL.replace("- [X] C", "- [x] C").replace("- [ ] B", "- [X] B")
    assert parse_body(GENERIC, body)["extras"] == ["A", "B", "C"]


def test_multiple_dropdown_needs_backtracking_not_just_greedy() -> None:
    template = {
        "body": [
            {
                "type": "dropdown",
                "id": "places",
                "attributes": {
                    "label": "Places",
                    "multiple": True,
                    "options": ["Paris, France", "Paris", "France, Nord"],
                },
            }
        ]
    }
    body = "### Places\n\nParis, France, Nord\n"
    assert parse_body(template, body) == {"places": ["Paris", "France, Nord"]}
    assert parse_body(template, "### Places\n\nParis, France\n") == {"places": ["Paris, France"]}


def test_leading_blank_lines_and_trailing_spaces_are_tolerated() -> None:
    body = "\n\n" + FULL.replace("\n### Version\n\n1.0.3", "\n### Version   \n\n1.0.3")
    assert body.count("### Version   ") == 1
    assert parse_body(GENERIC, body) == expected("generic-full.expected.json")


def test_field_limit_applies_to_textareas() -> None:
    body = FULL.replace("Last line.", "y" * 300)
    size = len(expected("generic-full.expected.json")["description"]) - len("Last line.") + 300
    error = reject(GENERIC, body, max_field=200)
    assert str(error) == (
        f'line 11: the answer to "Description" is {size} characters long; the limit is 200. '
        "Shorten it and create the request again from the form."
    )
    assert parse_body(GENERIC, body, max_field=size)["description"].endswith("y" * 300)  # type: ignore[union-attr]
    assert "yyyy" not in str(error)


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x00", "a control character"),
        ("\x1b", "a control character"),
        ("\x85", "a control character"),
        ("\u202e", "an invisible character"),
        ("\u200b", "an invisible character"),
        ("\u2066", "an invisible character"),
        ("\ufeff", "an invisible character"),
        ("\u00ad", "an invisible character"),
        ("\u2028", "an invisible character"),
        ("\u2029", "an invisible character"),
        ("\u200d", "an invisible character"),
        ("\u200c", "an invisible character"),
    ],
)
def test_control_and_invisible_characters(char: str, kind: str) -> None:
    body = FULL.replace("Last line.", f"Last{char} line.")
    error = reject(GENERIC, body)
    code = f"U+{ord(char):04X}"
    assert str(error) == (
        f"line 21: the body contains {kind} ({code}), which can hide or reorder text; "
        "remove it and create the request again from the form."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Dev 👩\u200d💻 and 🏳\ufe0f\u200d🌈 and 👍🏽\u200d🔥",
        "Persian می\u200cخواهم, Arabic ل\u200dا",
        "Hindi क्\u200dष and क्\u200cष",
        "Flag \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ],
)
def test_joiners_where_writing_needs_them(text: str) -> None:
    body = FULL.replace("Last line.", text)
    assert parse_body(GENERIC, body)["description"].endswith(text)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    ["a\u200db", "a\u200cb", "👩\u200d", "\u200d💻", "ل\u200dक", "x\U000e0067\U000e007f"],
)
def test_joiners_elsewhere_are_refused(text: str) -> None:
    error = reject(GENERIC, FULL.replace("Last line.", text))
    assert "contains an invisible character" in str(error)


def test_tab_is_allowed() -> None:
    body = FULL.replace("Last line.", "Last\tline.")
    assert parse_body(GENERIC, body)["description"].endswith("Last\tline.")  # type: ignore[union-attr]


def test_empty_and_missing_bodies() -> None:
    assert str(reject(GENERIC, "")) == (
        "the body has none of the headings of the form; create the request again from the form."
    )
    with pytest.raises(FormError):
        parse_body(GENERIC, None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

MARKER = "ZQXJ7"
GENERIC_FIELDS = fields_of(GENERIC)
POOL = (
    [f"### {f.label}" for f in GENERIC_FIELDS]
    + ["### Unknown", "###", "", "", "_No response_", "None", "```", "```shell", "````"]
    + ["- [X] A", "- [ ] B", "- [x] C", f"- [X] {COC}", f"- [ ] {COC}"]
    + [option for f in GENERIC_FIELDS for option in f.options]
    + ["Paris, Lyon", "coachdir", MARKER + " secret", "\u202e", "\x00"]
)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def line_soup(draw: st.DrawFn) -> str:
    lines = draw(
        st.lists(
            st.one_of(st.sampled_from(POOL), st.text(max_size=20)),
            max_size=40,
        )
    )
    return draw(NEWLINES).join(lines)


def mutate(data: st.DataObject, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "edit"]))
        at = data.draw(st.integers(0, len(lines) - 1)) if lines else 0
        if op == "delete" and lines:
            del lines[at]
        elif op == "duplicate" and lines:
            lines.insert(data.draw(st.integers(0, len(lines))), lines[at])
        elif op == "insert":
            lines.insert(at, data.draw(st.sampled_from(POOL)))
        elif op == "swap" and lines:
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "edit" and lines:
            lines[at] = lines[at] + data.draw(st.text(max_size=5))
    return lines


def assert_consistent(answers: dict[str, str | list[str]]) -> None:
    """Whatever is accepted must be something the form could have produced."""
    by_id = {f.id: f for f in GENERIC_FIELDS}
    assert set(answers) <= set(by_id)
    for form_field in GENERIC_FIELDS:
        value = answers.get(form_field.id)
        if form_field.required:
            assert value
        if value is None:
            continue
        if form_field.type == "dropdown" and not form_field.multiple:
            assert value in form_field.options
        if form_field.multiple or form_field.type == "checkboxes":
            assert isinstance(value, list)
            assert set(value) <= set(form_field.options)
        if form_field.type == "checkboxes":
            assert set(form_field.required_options) <= set(value)
        if form_field.type == "input":
            assert isinstance(value, str) and "\n" not in value


def check(body: str) -> None:
    try:
        answers = parse_body(GENERIC, body)
    except FormError as error:
        assert isinstance(error.message, str) and error.message
        assert MARKER not in str(error)
        assert error.line is None or 1 <= error.line <= body.count("\n") + body.count("\r") + 1
    else:
        assert_consistent(answers)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_only_raises_form_error(body: str) -> None:
    check(body)


@settings(max_examples=300, deadline=None)
@given(line_soup())
def test_random_heading_soup_only_raises_form_error(body: str) -> None:
    check(body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_valid_bodies_only_raise_form_error(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from([FULL, MINIMAL]))
    body = data.draw(NEWLINES).join(mutate(data, base.split("\n")))
    check(body)


# Round trip: answers -> body exactly as GitHub renders it -> the same answers.

SAFE_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))


def safe_line(min_size: int = 0) -> st.SearchStrategy[str]:
    # the character policy's invisible letters (Hangul fillers...) are refused by design
    return st.text(SAFE_CHARS, min_size=min_size, max_size=30).filter(
        lambda s: (
            not re.match(r"\s*(#|`{3}|~{3})", s)
            and s.strip() != "_No response_"
            and first_forbidden(s) is None
        )
    )


def answer_for(form_field: FormField) -> st.SearchStrategy[Any]:
    if form_field.type == "input":
        single = safe_line(1).map(str.strip).filter(bool)
        return single if form_field.required else st.one_of(st.none(), single)
    if form_field.type == "textarea":
        text = st.lists(safe_line(), min_size=1, max_size=6).map("\n".join)
        text = text.filter(lambda s: s.strip() != "" and s.split("\n")[0].strip() != "")
        text = text.filter(lambda s: s.split("\n")[-1].strip() != "")
        return text if form_field.required else st.one_of(st.none(), text)
    if form_field.type == "dropdown" and form_field.multiple:
        return st.lists(st.sampled_from(form_field.options), unique=True)
    if form_field.type == "dropdown":
        one = st.sampled_from(form_field.options)
        return one if form_field.required else st.one_of(st.none(), one)
    size = len(form_field.options)

    def ticked(flags: list[bool]) -> list[str]:
        return [
            option
            for option, flag in zip(form_field.options, flags, strict=True)
            if flag or option in form_field.required_options
        ]

    return st.lists(st.booleans(), min_size=size, max_size=size).map(ticked)


def render(answers: dict[str, Any], newline: str) -> str:
    """Write an issue body the way GitHub does for the generic form."""
    parts: list[str] = []
    for form_field in GENERIC_FIELDS:
        value = answers.get(form_field.id)
        if form_field.type == "checkboxes":
            assert isinstance(value, list)
            text = "\n".join(
                f"- [{'X' if option in value else ' '}] {option}" for option in form_field.options
            )
        elif value is None or value == []:
            text = "_No response_"
        elif isinstance(value, list):
            text = ", ".join(value)
        elif form_field.render is not None:
            text = f"```{form_field.render}\n{value}\n```"
        else:
            text = value
        parts.append(f"### {form_field.label}\n\n{text}\n\n")
    return "".join(parts).replace("\n", newline)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({f.id: answer_for(f) for f in GENERIC_FIELDS}), NEWLINES)
def test_round_trip_of_github_rendering(answers: dict[str, Any], newline: str) -> None:
    body = render(answers, newline)
    wanted = {
        key: value
        for key, value in answers.items()
        if value is not None and (value != [] or key in {"terms", "extras"})
    }
    assert parse_body(GENERIC, body) == wanted


# --------------------------------------------------------------------------- GitHub's real shapes

BUG_REPORT = {
    "body": [
        {"type": "markdown", "attributes": {"value": "Thanks!"}},
        {"type": "input", "attributes": {"label": "Version de l'outil (actuelle)"}},
        {"type": "textarea", "id": "steps", "attributes": {"label": "Details"}},
        {"type": "textarea", "id": "logs", "attributes": {"label": "Details", "render": "shell"}},
        {"type": "textarea", "attributes": {"label": "Notes"}},
        {"type": "input", "id": "notes", "attributes": {"label": "Contact"}},
        {"type": "textarea", "attributes": {"label": "Notes"}},
    ]
}


def test_elements_without_id_are_keyed_by_a_slug_of_their_label() -> None:
    fields = fields_of(BUG_REPORT)
    assert [f.id for f in fields] == [
        "version-de-l-outil-actuelle",
        "steps",
        "logs",
        "notes-2",  # "notes" is the explicit id of a later question
        "notes",
        "notes-3",
    ]


def test_repeated_labels_are_matched_in_template_order() -> None:
    body = (
        "### Version de l'outil (actuelle)\n\n2.1\n\n"
        "### Details\n\nClick the button.\n\n"
        "### Details\n\n```shell\n$ tool\nboom\n```\n\n"
        "### Notes\n\nfirst\n\n"
        "### Contact\n\n_No response_\n\n"
        "### Notes\n\nsecond\n"
    )
    assert parse_body(BUG_REPORT, body) == {
        "version-de-l-outil-actuelle": "2.1",
        "steps": "Click the button.",
        "logs": "$ tool\nboom",
        "notes-2": "first",
        "notes-3": "second",
    }
    error = reject(BUG_REPORT, body + "\n### Details\n\nagain\n")
    assert "appears twice" in error.message and error.field == "logs"


def test_render_answer_with_pasted_fences_runs_to_the_last_fence_before_the_next_heading() -> None:
    pasted = "```console\n$ coachdir check\nerror\n```\n```\nmore\n```"
    body = FULL.replace(
        "$ coachdir check\n### Description\n### Version\nerror: something went wrong", pasted
    )
    assert parse_body(GENERIC, body)["logs"] == pasted
    # Even a lone opening fence of the user's: GitHub's fence still closes the answer.
    body = FULL.replace("error: something went wrong", "```shell\nerror")
    assert parse_body(GENERIC, body)["logs"].endswith("### Version\n```shell\nerror")  # type: ignore[union-attr]


def test_fenced_headings_in_a_plain_textarea_are_content() -> None:
    answer = "See:\n```markdown\n### Website\n\nhttps://example.org\n```\nEnd."
    body = FULL.replace("Last line.", answer)
    assert parse_body(GENERIC, body)["description"].endswith(answer)  # type: ignore[union-attr]


def test_required_dropdown_left_empty_names_the_question() -> None:
    # Private repositories do not enforce `required`: GitHub writes "None" (dropdown) or
    # _No response_; the refusal names the question, never "edited outside the form".
    for empty in ("None", "_No response_"):
        body = MINIMAL.replace("1.0.2 (Default)", empty)
        error = reject(GENERIC, body)
        assert str(error) == (
            'line 17: "Version" is required but has no answer. Create the request again '
            "from the form and answer it."
        )


def test_template_errors_are_reported_against_the_template_file(tmp_path: Path) -> None:
    from conftest import run_cli

    template = tmp_path / "form.yml"
    template.write_text(
        "name: x\nbody:\n  - type: markdown\n    attributes:\n      value: hi\n"
        '  - type: input\n    id: "a b"\n    attributes:\n      label: A\n',
        encoding="utf-8",
    )
    body = tmp_path / "body.md"
    body.write_text("### A\n\nx\n", encoding="utf-8")
    result = run_cli("parse-form", "--template", str(template), "--body", str(body))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{template}:6:5: error: form template: an input element")
    assert str(body) not in result.stderr
