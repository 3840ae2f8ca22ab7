"""Tests for coachdir.github.forms (issue forms generated from the schema and programme.yml) and
coachdir.github.codeowners."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdir.emit import dump_yaml
from coachdir.github.answers import option_to_id, options_to_ids, parse_credentials
from coachdir.github.codeowners import (
    CODEOWNERS_PATH,
    OWNED_PATHS,
    check_codeowners,
    generate_codeowners,
    write_codeowners,
)
from coachdir.github.formfiles import check_forms, diff_forms, write_forms
from coachdir.github.forms import generate_forms, profile_change_fields
from coachdir.github.issueform import FormError, fields_of, parse_body, typed_option
from coachdir.github.prcheck import protected_fields
from coachdir.github.vocabulary import (
    COACH_FORMS,
    DEFAULT_CONTRACT_TYPES,
    FORM_LABELS,
    FORM_NAMES,
    FORMS_DIR,
    NOT_IN_FORMS,
    contract_types,
    option_text,
)
from coachdir.loader import load_text
from coachdir.problems import CoachdirError
from coachdir.programme import Programme, load_programme
from coachdir.schema import SchemaChecker, read_schema, schema_dir
from conftest import ROOT, copy_programme

FIELD_IDS = {
    "coach-registration": [
        "name",
        "pronouns",
        "gender",
        "gender_description",
        "entity",
        "networks",
        "role",
        "location",
        "modalities",
        "languages",
        "offers",
        "expertise",
        "bio_fr",
        "bio_en",
        "credentials",
        "practice_hours",
        "capacity",
        "email",
        "github",
        "affiliation",
        "provider",
        "booking_url",
        "charter",
        "declarations",
    ],
    "profile-change": ["coach", "fields", "changes"],
    "coaching-request": [
        "coaches",
        "offer",
        "expertise",
        "language",
        "contract_type",
        "cohort",
        "unit",
        "manages_unit",
        "kind",
        "initiated_by",
        "consent",
    ],
    "session-log": ["engagement", "date", "minutes", "status"],
    "end-of-association": ["engagement", "reason"],
    "client-feedback": ["engagement", "satisfaction"],
    "group-join": ["group", "contract_type", "unit", "manages_unit", "consent"],
}

#: vocabulary -> the (form, field) dropdowns listing it
VOCABULARY_DROPDOWNS = {
    "entities": [("coach-registration", "entity")],
    "networks": [("coach-registration", "networks")],
    "genders": [("coach-registration", "gender")],
    "modalities": [("coach-registration", "modalities")],
    "languages": [("coach-registration", "languages"), ("coaching-request", "language")],
    "offers": [("coach-registration", "offers"), ("coaching-request", "offer")],
    "expertise": [("coach-registration", "expertise"), ("coaching-request", "expertise")],
}


def load(root: Path) -> tuple[Programme, dict[str, Any]]:
    programme, _, problems = load_programme(root)
    assert problems == [] and programme is not None
    return programme, read_schema(schema_dir(root) / "coach.schema.json")


PROGRAMME, SCHEMA = load(ROOT)
FORMS = generate_forms(PROGRAMME, SCHEMA)
#: the forms a directory repository holds (the coach forms; the record forms are the records
#: repository's)
DIRECTORY_FORMS = {f"{name}.yml": FORMS[f"{name}.yml"] for name in COACH_FORMS}
TEMPLATES: dict[str, dict[str, Any]] = {
    name: yaml.safe_load(FORMS[f"{name}.yml"]) for name in FORM_NAMES
}


def element(form: str, field_id: str) -> dict[str, Any]:
    for item in TEMPLATES[form]["body"]:
        if item.get("id") == field_id:
            return dict(item)
    raise KeyError(field_id)


def options(form: str, field_id: str) -> list[str]:
    return list(element(form, field_id)["attributes"]["options"])


def boxes(form: str, field_id: str) -> list[str]:
    return [box["label"] for box in element(form, field_id)["attributes"]["options"]]


def render_body(template: dict[str, Any], answers: dict[str, Any]) -> str:
    """The issue body GitHub writes for a form submission: '### Label', a blank line, the
    answer, a blank line; '_No response_' when empty; '- [X] label' for ticked boxes."""
    parts: list[str] = []
    for item in template["body"]:
        if item["type"] == "markdown":
            continue
        attributes = item["attributes"]
        value = answers.get(item["id"])
        if item["type"] == "checkboxes":
            ticked = value or []
            text = "\n".join(
                f"- [{'X' if box['label'] in ticked else ' '}] {box['label']}"
                for box in attributes["options"]
            )
        elif not value:
            text = "_No response_"
        elif item["type"] == "dropdown" and isinstance(value, list):
            text = ", ".join(value)
        elif item["type"] == "textarea" and attributes.get("render"):
            text = f"```{attributes['render']}\n{value}\n```"
        else:
            text = value
        parts.append(f"### {attributes['label']}\n\n{text}\n\n")
    return "".join(parts)


def term_option(vocabulary: str, term_id: str) -> str:
    return option_text(PROGRAMME.term(vocabulary, term_id))


# --------------------------------------------------------------------------- generation


def test_five_forms_named_after_form_names() -> None:
    assert list(FORMS) == [f"{name}.yml" for name in FORM_NAMES]
    for name in FORM_NAMES:
        assert TEMPLATES[name]["labels"] == [FORM_LABELS[name]]
        assert FORMS[f"{name}.yml"].startswith("# Generated by 'coachdir forms'")


def test_generation_is_deterministic() -> None:
    again = generate_forms(*load(ROOT))
    assert again == FORMS
    assert generate_forms(PROGRAMME, read_schema(schema_dir(ROOT) / "coach.schema.json")) == FORMS


def test_specialised_schema_gives_the_same_forms() -> None:
    assert generate_forms(PROGRAMME, PROGRAMME.coach_schema()) == FORMS


@pytest.mark.parametrize("name", FORM_NAMES)
def test_parser_accepts_every_form_and_ids_are_stable(name: str) -> None:
    fields = fields_of(TEMPLATES[name])
    assert [f.id for f in fields] == FIELD_IDS[name]
    for item in TEMPLATES[name]["body"]:
        if item["type"] in ("input", "textarea", "dropdown"):
            assert isinstance(item["validations"]["required"], bool)
        if item["type"] == "checkboxes":
            assert all(box["required"] is True for box in item["attributes"]["options"])


@pytest.mark.parametrize("name", FORM_NAMES)
def test_yaml_reads_the_same_in_every_tool(name: str) -> None:
    text = FORMS[f"{name}.yml"]
    strict = load_text(f"{name}.yml", text)  # refuses what YAML 1.1 and 1.2 read differently
    assert strict.problems == []
    assert strict.data == TEMPLATES[name]
    for item in TEMPLATES[name]["body"]:
        for option in item["attributes"].get("options", []):
            label = option["label"] if isinstance(option, dict) else option
            assert isinstance(label, str) and label.strip() == label and label


@pytest.mark.parametrize(("vocabulary", "dropdowns"), sorted(VOCABULARY_DROPDOWNS.items()))
def test_every_vocabulary_value_is_an_option(
    vocabulary: str, dropdowns: list[tuple[str, str]]
) -> None:
    for form, field_id in dropdowns:
        listed = options(form, field_id)
        terms = PROGRAMME.vocabulary(vocabulary)
        if (form, field_id) == ("coaching-request", "offer"):  # one-to-one offers only
            terms = [t for t in terms if PROGRAMME.offer_kind(t.id) in ("coaching", "mentoring")]
            assert 0 < len(terms) < len(PROGRAMME.vocabulary(vocabulary))
        assert listed == [option_text(t) for t in terms]
        assert [option_to_id(TEMPLATES[form], field_id, o) for o in listed] == [t.id for t in terms]


def test_options_are_unique_strings_and_no_stays_text() -> None:
    listed = options("coach-registration", "languages")
    assert "Norvégien / Norwegian [no]" in listed
    assert option_to_id(TEMPLATES["coach-registration"], "languages", listed[5]) == "no"
    assert "Breton [br]" in listed  # one label when French and English agree
    assert options("coach-registration", "capacity") == ["1", "2", "3"]
    assert "capacity: 3" not in FORMS["coach-registration.yml"]
    assert '- "1"' in FORMS["coach-registration.yml"]
    for name, template in TEMPLATES.items():
        for item in template["body"]:
            values = item.get("attributes", {}).get("options", [])
            labels = [v["label"] if isinstance(v, dict) else v for v in values]
            assert len(labels) == len(set(labels)), (name, item.get("id"))


def test_a_hand_typed_answer_may_name_the_option_by_id_or_label() -> None:
    """An e-mail body is typed with no dropdown in sight: the id, ``[id]``, the label in
    either language or the whole label (any case, accents, spaces or punctuation) name the
    option; anything else, or an ambiguous answer, is not an option."""
    listed = options("coach-registration", "languages")
    for typed in (
        "no", "[no]", " NO ", "norvégien / norwegian", "Norvégien  /  Norwegian",
        "Norwegian", "norvegien", "NORVÉGIEN.", "Norvégien / Norwegian [no]",
        "Norve\u0301gien",  # NFD
    ):  # fmt: skip
        assert typed_option(listed, typed) == "Norvégien / Norwegian [no]", typed
    assert typed_option(listed, "French (Canada)") == "Français (Canada) / French (Canada) [fr-CA]"
    assert typed_option(listed, "french") == "Français / French [fr]"
    for typed in ("[nope]", "Norv", "", "...", "French, English", "Norwegian Breton"):
        assert typed_option(listed, typed) is None, typed
    assert typed_option(["A [a]", "a"], "[a]") is None  # two options answer to "a": no guess
    form = TEMPLATES["coach-registration"]
    element = next(e for e in form["body"] if e.get("id") == "languages")
    assert element["attributes"].get("multiple")  # multiple dropdowns stay strict


def test_credential_types_are_listed_in_the_credentials_description() -> None:
    description = element("coach-registration", "credentials")["attributes"]["description"]
    for credential in PROGRAMME.credential_types():
        assert f"`{credential}`" in description


def test_capacity_follows_max_capacity(tmp_path: Path) -> None:
    raw = {**PROGRAMME.raw, "max_capacity": 5}
    forms = generate_forms(Programme(raw, ROOT), SCHEMA)
    template = yaml.safe_load(forms["coach-registration.yml"])
    capacity = next(i for i in template["body"] if i.get("id") == "capacity")
    assert capacity["attributes"]["options"] == ["1", "2", "3", "4", "5"]


def test_required_flags_follow_the_schema() -> None:
    fields = {f.id: f for f in fields_of(TEMPLATES["coach-registration"])}
    for fid in ("name", "entity", "role", "location", "modalities", "languages", "offers"):
        assert fields[fid].required, fid
    for fid in ("expertise", "capacity", "email", "github", "affiliation"):
        assert fields[fid].required, fid
    for fid in ("pronouns", "gender", "networks", "bio_fr", "bio_en", "credentials", "provider"):
        assert not fields[fid].required, fid
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    schema["required"].remove("role")
    relaxed = yaml.safe_load(generate_forms(PROGRAMME, schema)["coach-registration.yml"])
    assert not {f.id: f for f in fields_of(relaxed)}["role"].required


def test_charter_version_and_declarations_are_required_boxes() -> None:
    fields = {f.id: f for f in fields_of(TEMPLATES["coach-registration"])}
    charter = fields["charter"]
    assert len(charter.options) == 1 and PROGRAMME.charter_current in charter.options[0]
    assert charter.required_options == charter.options
    declarations = fields["declarations"]
    assert len(declarations.options) == 3
    assert declarations.required_options == declarations.options


def test_schema_field_not_handled_by_the_forms_is_an_error() -> None:
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    schema["properties"]["mastodon"] = {"type": "string"}
    with pytest.raises(CoachdirError) as caught:
        generate_forms(PROGRAMME, schema)
    assert "mastodon" in caught.value.problems[0].message
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    del schema["properties"]["pronouns"]
    with pytest.raises(CoachdirError) as caught:
        generate_forms(PROGRAMME, schema)
    assert "no longer has" in caught.value.problems[0].message
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    schema["properties"]["declarations"]["properties"]["no_conflict"] = {"const": True}
    with pytest.raises(CoachdirError):
        generate_forms(PROGRAMME, schema)


def test_profile_change_lists_the_fields_a_coach_may_change() -> None:
    listed = options("profile-change", "fields")
    ids = options_to_ids(TEMPLATES["profile-change"], "fields", listed)
    assert sorted(ids) == sorted(f for f in SCHEMA["properties"] if f not in NOT_IN_FORMS)
    for excluded in ("schema_version", "verification", "github", "photo", "declarations"):
        assert excluded not in ids
    alone, approval = profile_change_fields(SCHEMA)
    assert ids == alone + approval
    assert set(approval) == set(protected_fields(SCHEMA)) - set(NOT_IN_FORMS)
    assert {"credentials", "charter", "supervision", "affiliation", "provider"} <= set(approval)
    assert {"bio", "capacity", "status", "role", "languages"} <= set(alone)
    for option, fid in zip(listed, ids, strict=True):
        assert ("team approval" in option) == (fid in approval), option
    changes = element("profile-change", "changes")
    assert changes["attributes"]["render"] == "yaml"


def test_protecting_a_field_in_the_schema_changes_the_profile_change_form() -> None:
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    schema["properties"]["location"]["x-coachdir-protected"] = True
    template = yaml.safe_load(generate_forms(PROGRAMME, schema)["profile-change.yml"])
    field = next(i for i in template["body"] if i.get("id") == "fields")
    assert (
        "Lieu / Location — validation de l'équipe / team approval [location]"
        in (field["attributes"]["options"])
    )


def test_coaching_request_field_is_programme_request_target_field() -> None:
    # the sample e-mails the team (mailto): the coach ids question keeps its default id
    assert PROGRAMME.raw["request_target"]["kind"] == "mailto"
    assert FIELD_IDS["coaching-request"][0] == "coaches"
    target = {
        "kind": "issue-form",
        "url": "https://github.com/example/requests/issues/new",
        "template": "coaching-request.yml",
        "field": "coach_ids",
    }
    programme = Programme({**PROGRAMME.raw, "request_target": target}, ROOT)
    template = yaml.safe_load(generate_forms(programme, SCHEMA)["coaching-request.yml"])
    assert fields_of(template)[0].id == "coach_ids"
    clash = Programme({**PROGRAMME.raw, "request_target": {**target, "field": "language"}}, ROOT)
    with pytest.raises(CoachdirError):
        generate_forms(clash, SCHEMA)


def test_coaching_request_is_pseudonymous_and_requires_consent() -> None:
    template = TEMPLATES["coaching-request"]
    warning = template["body"][0]
    assert warning["type"] == "markdown"
    for words in ("nom", "santé", "name", "health", "anyone else"):
        assert words in warning["attributes"]["value"]
    fields = {f.id: f for f in fields_of(template)}
    assert fields["consent"].required_options == fields["consent"].options
    assert not any(f.type == "textarea" for f in fields.values())


def test_contract_types_default_then_programme_vocabulary() -> None:
    assert options("coaching-request", "contract_type") == [
        option_text(t) for t in contract_types(PROGRAMME)
    ]
    without = {k: v for k, v in PROGRAMME.raw["vocabularies"].items() if k != "contract_types"}
    bare = Programme({**PROGRAMME.raw, "vocabularies": without}, ROOT)
    template = yaml.safe_load(generate_forms(bare, SCHEMA)["coaching-request.yml"])
    contract = next(i for i in template["body"] if i.get("id") == "contract_type")
    assert contract["attributes"]["options"] == [option_text(t) for t in DEFAULT_CONTRACT_TYPES]
    vocabularies = {
        **PROGRAMME.raw["vocabularies"],
        "contract_types": [{"id": "intern", "fr": "Stagiaire", "en": "Intern"}],
    }
    programme = Programme({**PROGRAMME.raw, "vocabularies": vocabularies}, ROOT)
    template = yaml.safe_load(generate_forms(programme, SCHEMA)["coaching-request.yml"])
    contract = next(i for i in template["body"] if i.get("id") == "contract_type")
    assert contract["attributes"]["options"] == ["Stagiaire / Intern [intern]"]


def test_session_log_and_end_of_association_have_no_free_text() -> None:
    for name in ("session-log", "end-of-association"):
        assert not any(f.type == "textarea" for f in fields_of(TEMPLATES[name]))
    statuses = options_to_ids(TEMPLATES["session-log"], "status", options("session-log", "status"))
    assert statuses == ["held", "cancelled", "no-show"]
    assert options("client-feedback", "satisfaction") == ["1", "2", "3", "4", "5"]
    assert options_to_ids(
        TEMPLATES["end-of-association"], "reason", options("end-of-association", "reason")
    ) == ["completed", *PROGRAMME.end_reasons]


# --------------------------------------------------------------------------- answers


REGISTRATION_ANSWERS: dict[str, Any] = {
    "name": "Maëlle Le Goff",
    "pronouns": "elle",
    "gender": term_option("genders", "woman"),
    "entity": term_option("entities", "direction-phares"),
    "networks": [term_option("networks", "femmes-mer"), term_option("networks", "jeunes-cadres")],
    "role": "Cheffe du service des feux",
    "location": "Brest",
    "modalities": [term_option("modalities", "video"), term_option("modalities", "walking")],
    "languages": [
        term_option("languages", "fr"),
        term_option("languages", "no"),
        term_option("languages", "fr-CA"),
    ],
    "offers": [term_option("offers", "coaching")],
    "expertise": [term_option("expertise", "leadership"), term_option("expertise", "new-role")],
    "bio_fr": "Gardienne de phare pendant **dix ans**, j'accompagne les prises de poste.\n\n"
    "- écoute\n- méthode",
    "credentials": "icf-pcc; International Coaching Federation; 2021-06-15; 2027-06-14\n"
    "internal-training; Administration des Phares et Balises; 2019-03-01; ; 40",
    "practice_hours": "600",
    "capacity": "2",
    "email": "maelle.legoff@phares-balises.example",
    "github": "maelle-lg",
    "affiliation": options("coach-registration", "affiliation")[0],
    "charter": boxes("coach-registration", "charter"),
    "declarations": boxes("coach-registration", "declarations"),
}


def test_registration_body_parses_and_maps_back_to_ids() -> None:
    template = TEMPLATES["coach-registration"]
    body = render_body(template, REGISTRATION_ANSWERS)
    assert "### Pronoms / Pronouns\n\nelle\n\n" in body
    assert "### Prestataire / Provider\n\n_No response_\n\n" in body
    answers = parse_body(template, body)
    assert "provider" not in answers and "bio_en" not in answers

    def ids(field_id: str) -> list[str]:
        return options_to_ids(template, field_id, answers[field_id])

    assert option_to_id(template, "entity", str(answers["entity"])) == "direction-phares"
    assert option_to_id(template, "gender", str(answers["gender"])) == "woman"
    assert ids("networks") == ["femmes-mer", "jeunes-cadres"]
    assert ids("modalities") == ["video", "walking"]
    assert ids("languages") == ["fr", "no", "fr-CA"]
    assert ids("offers") == ["coaching"]
    assert ids("expertise") == ["leadership", "new-role"]
    assert option_to_id(template, "capacity", str(answers["capacity"])) == "2"
    assert option_to_id(template, "affiliation", str(answers["affiliation"])) == "internal"
    assert answers["charter"] == REGISTRATION_ANSWERS["charter"]
    assert answers["declarations"] == REGISTRATION_ANSWERS["declarations"]

    # The answers make a profile that the programme's schema accepts.
    profile = {
        "schema_version": 1,
        "name": answers["name"],
        "pronouns": answers["pronouns"],
        "gender": option_to_id(template, "gender", str(answers["gender"])),
        "entity": option_to_id(template, "entity", str(answers["entity"])),
        "networks": ids("networks"),
        "role": answers["role"],
        "location": answers["location"],
        "modalities": ids("modalities"),
        "languages": ids("languages"),
        "offers": ids("offers"),
        "expertise": ids("expertise"),
        "bio": {"fr": answers["bio_fr"]},
        "credentials": parse_credentials(str(answers["credentials"])),
        "practice_hours": int(str(answers["practice_hours"])),
        "capacity": int(option_to_id(template, "capacity", str(answers["capacity"]))),
        "status": "accepting",
        "charter": {"version": PROGRAMME.charter_current, "signed": "2026-11-20"},
        "contact": {"email": answers["email"]},
        "github": answers["github"],
        "affiliation": option_to_id(template, "affiliation", str(answers["affiliation"])),
        "declarations": {
            "confidentiality": True,
            "no_promotion_role": True,
            "no_staff_representative_role": True,
        },
    }
    loaded = load_text("coaches/maelle-le-goff.yml", yaml.safe_dump(profile, allow_unicode=True))
    assert loaded.problems == []
    assert SchemaChecker(PROGRAMME.coach_schema(), name="coach").check(loaded) == []


def test_unticked_declaration_is_refused() -> None:
    template = TEMPLATES["coach-registration"]
    answers = {**REGISTRATION_ANSWERS, "declarations": REGISTRATION_ANSWERS["declarations"][:2]}
    with pytest.raises(FormError) as caught:
        parse_body(template, render_body(template, answers))
    assert caught.value.field == "declarations"


def test_coaching_request_body_round_trip() -> None:
    template = TEMPLATES["coaching-request"]
    answers = {
        "coaches": "helene-dubois, yann-le-goff",
        "offer": term_option("offers", "mentoring"),
        "expertise": term_option("expertise", "career"),
        "language": term_option("languages", "no"),
        "contract_type": options("coaching-request", "contract_type")[1],
        "cohort": options("coaching-request", "cohort")[0],
        "unit": "U12/U7/U3",
        "manages_unit": options("coaching-request", "manages_unit")[1],
        "kind": options("coaching-request", "kind")[0],
        "initiated_by": options("coaching-request", "initiated_by")[0],
        "consent": boxes("coaching-request", "consent"),
    }
    parsed = parse_body(template, render_body(template, answers))
    assert parsed["coaches"] == "helene-dubois, yann-le-goff"
    assert option_to_id(template, "language", str(parsed["language"])) == "no"
    assert option_to_id(template, "contract_type", str(parsed["contract_type"])) == (
        "contract-staff"
    )


def test_option_to_id_refuses_what_is_not_an_option() -> None:
    template = TEMPLATES["coach-registration"]
    with pytest.raises(FormError):
        option_to_id(template, "entity", "Made up [made-up]")
    with pytest.raises(FormError):
        option_to_id(template, "name", "Maëlle")  # not a dropdown
    with pytest.raises(FormError):
        option_to_id(template, "nowhere", "1")


def test_parse_credentials() -> None:
    assert parse_credentials(
        "icf-acc; ICF; 2020-01-02; 2026-01-01\n\n  emcc ; EMCC ; 2018-05-06 ;  ; \n"
        "internal-training; Maison; 2019-03-01; ; 40"
    ) == [
        {"type": "icf-acc", "issuer": "ICF", "obtained": "2020-01-02", "expires": "2026-01-01"},
        {"type": "emcc", "issuer": "EMCC", "obtained": "2018-05-06"},
        {"type": "internal-training", "issuer": "Maison", "obtained": "2019-03-01", "hours": 40},
    ]
    for bad, line in (
        ("icf-acc; ICF", 1),
        ("icf-acc; ICF; 2020-01-02\nicf-pcc; ICF; 02/03/2021", 2),
        ("icf-acc; ; 2020-01-02", 1),
        ("icf-acc; ICF; 2020-01-02; ; forty", 1),
        ("icf-acc; ICF; 2020-01-02; 2021-01-01; 3; extra", 1),
    ):
        with pytest.raises(FormError) as caught:
            parse_credentials(bad)
        assert caught.value.line == line, bad
        assert caught.value.field == "credentials"


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=4),
)
def test_yaml_emitter_round_trips_any_text(text: str, items: list[str]) -> None:
    data = {"value": text, "list": items, "nested": [{"a": text, "b": True, "c": 3}]}
    assert yaml.safe_load(dump_yaml(data)) == data


# --------------------------------------------------------------------------- files


def test_write_then_check_is_clean(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "prog", coaches=False)
    programme, schema = load(root)
    assert {p.rule for p in check_forms(root, programme, schema)} == {"forms.stale"}
    written = write_forms(root, programme, schema)
    assert sorted(p.name for p in written) == sorted(DIRECTORY_FORMS)
    assert check_forms(root, programme, schema) == []
    assert write_forms(root, programme, schema) == []  # nothing changes the second time
    for name, text in DIRECTORY_FORMS.items():
        assert (root / FORMS_DIR / name).read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in (root / FORMS_DIR).iterdir()) == sorted(DIRECTORY_FORMS)


def test_stale_record_forms_in_the_directory_repository(tmp_path: Path) -> None:
    """Record forms left in a directory repository are reported as to be removed; `forms`
    removes those coachdir wrote and leaves a hand-written one alone."""
    root = copy_programme(tmp_path / "prog", coaches=False)
    programme, schema = load(root)
    write_forms(root, programme, schema)
    folder = root / FORMS_DIR
    for name in ("session-log.yml", "end-of-association.yml"):  # written by an older coachdir
        (folder / name).write_text(FORMS[name], encoding="utf-8")
    (folder / "coaching-request.yml").write_text("name: Request\n", encoding="utf-8")  # by hand
    problems = {p.path: p for p in check_forms(root, programme, schema)}
    left = ("coaching-request", "session-log", "end-of-association")
    assert sorted(problems) == sorted(f"{FORMS_DIR}/{name}.yml" for name in left)
    for path, problem in problems.items():
        assert problem.rule == "forms.stale" and (problem.line, problem.col) == (1, 1)
        assert problem.message == (
            f"{path} is a form of the records repository, not of this directory repository, "
            "so it is to be removed"
        )
    assert problems[f"{FORMS_DIR}/session-log.yml"].hint.startswith("Run 'coachdir forms'")
    assert problems[f"{FORMS_DIR}/coaching-request.yml"].hint.startswith("Remove it")
    assert diff_forms(root, programme, schema) == ""  # the coach forms are current
    removed = write_forms(root, programme, schema)
    assert sorted(p.name for p in removed) == ["end-of-association.yml", "session-log.yml"]
    assert (folder / "coaching-request.yml").read_text(encoding="utf-8") == "name: Request\n"
    assert [p.path for p in check_forms(root, programme, schema)] == [
        f"{FORMS_DIR}/coaching-request.yml"
    ]


def test_added_vocabulary_entry_makes_the_forms_stale(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "prog", coaches=False)
    write_forms(root, *load(root))
    path = root / "programme.yml"
    text = path.read_text(encoding="utf-8")
    entry = (
        "  entities:\n"
        "    - id: service-hydrographique\n"
        '      fr: "Service hydrographique"\n'
        '      en: "Hydrographic Service"\n'
    )
    path.write_text(text.replace("  entities:\n", entry, 1), encoding="utf-8")
    programme, schema = load(root)
    problems = check_forms(root, programme, schema)
    assert [(p.path, p.line, p.col, p.rule) for p in problems] == [
        (f"{FORMS_DIR}/coach-registration.yml", 1, 1, "forms.stale")
    ]
    assert "is out of date" in problems[0].message
    assert problems[0].hint == "Run 'coachdir forms' and commit the result."
    diff = diff_forms(root, programme, schema)
    assert diff.startswith(f"--- a/{FORMS_DIR}/coach-registration.yml\n")
    assert '+        - "Service hydrographique / Hydrographic Service' in diff
    write_forms(root, programme, schema)
    assert check_forms(root, programme, schema) == []
    assert diff_forms(root, programme, schema) == ""
    template = yaml.safe_load((root / FORMS_DIR / "coach-registration.yml").read_text("utf-8"))
    entity = next(i for i in template["body"] if i.get("id") == "entity")
    assert (
        "Service hydrographique / Hydrographic Service [service-hydrographique]"
        in (entity["attributes"]["options"])
    )


def test_new_charter_version_makes_registration_stale(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "prog", coaches=False)
    write_forms(root, *load(root))
    path = root / "programme.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('current: "2026-1"', 'current: "2026-2"').replace(
        'versions: ["2025-1", "2026-1"]', 'versions: ["2025-1", "2026-1", "2026-2"]'
    )
    path.write_text(text, encoding="utf-8")
    problems = check_forms(root, *load(root))
    assert [p.path for p in problems] == [f"{FORMS_DIR}/coach-registration.yml"]


def test_missing_and_extra_files(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "prog", coaches=False)
    programme, schema = load(root)
    write_forms(root, programme, schema)
    folder = root / FORMS_DIR
    (folder / "profile-change.yml").unlink()
    shutil.copy(folder / "coach-registration.yml", folder / "old-form.yml")  # formerly generated
    (folder / "bug-report.yml").write_text("name: Bug\n", encoding="utf-8")  # hand-written
    (folder / "config.yml").write_text("blank_issues_enabled: false\n", encoding="utf-8")
    (folder / "README.md").write_text("notes\n", encoding="utf-8")
    problems = {p.path: p for p in check_forms(root, programme, schema)}
    assert sorted(problems) == [
        f"{FORMS_DIR}/bug-report.yml",
        f"{FORMS_DIR}/old-form.yml",
        f"{FORMS_DIR}/profile-change.yml",
    ]
    assert all(p.rule == "forms.stale" and (p.line, p.col) == (1, 1) for p in problems.values())
    assert problems[f"{FORMS_DIR}/bug-report.yml"].hint.startswith("Remove it")
    write_forms(root, programme, schema)
    assert not (folder / "old-form.yml").exists()
    assert (folder / "bug-report.yml").exists()  # never deletes what it did not write
    assert [p.path for p in check_forms(root, programme, schema)] == [f"{FORMS_DIR}/bug-report.yml"]


def test_crlf_checkout_is_still_current(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "prog", coaches=False)
    programme, schema = load(root)
    write_forms(root, programme, schema)
    path = root / FORMS_DIR / "profile-change.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert check_forms(root, programme, schema) == []


# --------------------------------------------------------------------------- CODEOWNERS


def test_codeowners_lists_the_team_on_every_path() -> None:
    text = generate_codeowners(PROGRAMME)
    assert generate_codeowners(PROGRAMME) == text
    owners = "@programme-lead @credentials-officer"
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules[0] == f"* {owners}"
    assert rules[1:] == [f"{path} {owners}" for path, _ in OWNED_PATHS]
    for path in ("/programme.yml", "/schemas/", "/.github/", "/content/*/charter.md", "/src/"):
        assert f"{path} {owners}" in rules
    assert "self-service" in text  # the header explains why coaches/ is the team's


def test_codeowners_check_and_write(tmp_path: Path) -> None:
    root = copy_programme(tmp_path / "prog", coaches=False)
    programme, _ = load(root)
    problems = check_codeowners(root, programme)
    assert [(p.path, p.line, p.col, p.rule) for p in problems] == [
        (CODEOWNERS_PATH, 1, 1, "codeowners.stale")
    ]
    path = write_codeowners(root, programme)
    assert path == root / CODEOWNERS_PATH
    assert check_codeowners(root, programme) == []
    changed = replace(programme, raw={**programme.raw, "team": ["programme-lead", "new-lead"]})
    problems = check_codeowners(root, changed)
    assert [p.rule for p in problems] == ["codeowners.stale"]
    assert "out of date" in problems[0].message
    assert problems[0].hint == "Run 'coachdir codeowners' and commit the result."
    write_codeowners(root, changed)
    assert "@new-lead" in path.read_text(encoding="utf-8")
    assert check_codeowners(root, changed) == []
