"""GitHub issue forms, generated from the coach schema and programme.yml.

The five forms in ``.github/ISSUE_TEMPLATE/`` are outputs, never sources: the questions
follow the profile schema (which fields exist, which are required, their length limits) and
every list of choices comes from ``programme.yml`` (vocabularies, capacity maximum, charter
version, session plan, request field). ``coachdir forms`` writes them and ``coachdir forms
--check`` fails when a committed form differs from what the sources give, so adding an
entity to ``programme.yml`` without regenerating the forms is caught in CI.

Forms are single-language on GitHub, so every label is bilingual ("Français / English").
A dropdown option names a vocabulary entry as ``"<fr label> / <en label> [<id>]"`` (one label
when both are equal): readable in both languages, unique because ids are unique, and mapped
back to the id by :func:`option_to_id` using only the form itself, so a submission is always
read with the form it was made with. Numeric options (capacity, ratings) are bare numbers.

The YAML is written by a small emitter that double-quotes every scalar string (``"no"`` stays
text, ``"1"`` stays a string), so the output is stable and needs no YAML library's quoting
rules; each generated text is read back and compared with the data it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from coachdir.emit import dump_yaml
from coachdir.github.formparts import (
    _check_schema_coverage,
    _checkboxes,
    _dropdown,
    _form,
    _input,
    _length_note,
    _markdown,
    _Schema,
    _terms,
    _textarea,
)
from coachdir.github.prcheck import protected_fields
from coachdir.github.recordforms import (
    client_feedback_form,
    end_of_association_form,
    session_log_form,
)
from coachdir.github.vocabulary import (
    AFFILIATIONS,
    DECLARATIONS,
    ENGAGEMENT_KINDS,
    FEEDBACK_FORM,
    FIELD_NAMES,
    FORM_NAMES,
    HEADER,
    INITIATED_BY,
    NOT_IN_FORMS,
    RECORD_REQUEST_FIELDS,
    REGISTRATION_FIELDS,
    _bi,
    _bi_block,
    contract_types,
    option_text,
    request_field,
)
from coachdir.problems import CoachdirError, Problem
from coachdir.programme import Programme, Term
from coachdir.records.model import INITIATORS, KINDS


def _registration(programme: Programme, schema: _Schema) -> dict[str, Any]:
    req = schema.required

    def line(fid: str, prop: str, fr: str, en: str, placeholder: str | None = None) -> Any:
        note_fr, note_en = _length_note(schema, prop)
        return _input(
            fid,
            _bi(*FIELD_NAMES[prop]),
            _bi_block(fr + note_fr, en + note_en),
            required=prop in req,
            placeholder=placeholder,
        )

    def vocab(fid: str, vocabulary: str, fr: str, en: str, *, multiple: bool) -> Any:
        prop = schema.prop(fid)
        required = fid in req and (not multiple or int(prop.get("minItems", 0)) > 0)
        return _dropdown(
            fid,
            _bi(*FIELD_NAMES[fid]),
            _bi_block(fr, en),
            _terms(programme.vocabulary(vocabulary)),
            required=required,
            multiple=multiple,
        )

    bio = schema.prop("bio", "fr")
    bio_min, bio_max = bio.get("minLength", 1), bio.get("maxLength", 3000)

    def bio_field(lang: str, fr: str, en: str) -> Any:
        return _textarea(
            f"bio_{lang}",
            f"{_bi(*FIELD_NAMES['bio'])} ({lang})",
            _bi_block(
                f"{fr} En Markdown : gras, italique, listes, liens https. Pas de HTML, d'image "
                f"ni de titre. De {bio_min} à {bio_max} caractères. Donnez au moins une des deux "
                "présentations ; l'autre langue affiche alors celle-ci.",
                f"{en} Markdown: bold, italics, lists, https links. No HTML, images or "
                f"headings. {bio_min} to {bio_max} characters. Give at least one of the two; "
                "the other language then shows this one.",
            ),
            required=False,
        )

    credential_ids = ", ".join(f"`{c}`" for c in programme.credential_types())
    max_credentials = schema.prop("credentials").get("maxItems", 20)
    capacity = [str(n) for n in range(1, programme.max_capacity + 1)]
    charter = programme.charter_current
    provider_fr, provider_en = _length_note(schema, "provider")
    body = [
        _markdown(
            "Ce formulaire crée votre fiche de coach. L'équipe du programme ouvre une demande "
            "de modification (pull request) avec votre fiche, la vérifie avec vous, puis la "
            "publie. Votre photo pourra être ajoutée à cette demande.",
            "This form creates your coach profile. The programme team opens a pull request "
            "with your profile, checks it with you, then publishes it. Your photo can be added "
            "to that pull request.",
        ),
        line("name", "name", "Tel qu'affiché dans l'annuaire.", "As shown in the directory."),
        line(
            "pronouns", "pronouns", "Facultatif, p. ex. elle, il, iel.", "Optional, e.g. she/her."
        ),
        vocab("gender", "genders", "Facultatif.", "Optional.", multiple=False),
        line(
            "gender_description",
            "gender_description",
            "Seulement si vous avez choisi « autodéfini ».",
            "Only if you chose 'self-described'.",
        ),
        vocab("entity", "entities", "Votre entité.", "Your entity.", multiple=False),
        vocab(
            "networks",
            "networks",
            "Facultatif : les réseaux professionnels dont vous êtes membre.",
            "Optional: the professional networks you belong to.",
            multiple=True,
        ),
        line("role", "role", "Votre fonction actuelle.", "Your current role or job title."),
        line(
            "location",
            "location",
            "Ville ou site où vous pouvez rencontrer en présentiel.",
            "Town or site where you can meet in person.",
        ),
        vocab(
            "modalities",
            "modalities",
            "Comment les séances peuvent avoir lieu.",
            "How sessions can take place.",
            multiple=True,
        ),
        vocab(
            "languages",
            "languages",
            "Les langues dans lesquelles vous accompagnez.",
            "The languages you coach in.",
            multiple=True,
        ),
        vocab("offers", "offers", "Ce que vous proposez.", "What you offer.", multiple=True),
        vocab(
            "expertise",
            "expertise",
            "Vos domaines d'expertise.",
            "Your areas of expertise.",
            multiple=True,
        ),
        bio_field("fr", "Votre présentation en français.", "Your bio in French."),
        bio_field("en", "Votre présentation en anglais.", "Your bio in English."),
        _textarea(
            "credentials",
            _bi(*FIELD_NAMES["credentials"]),
            _bi_block(
                "Une certification par ligne, champs séparés par des points-virgules : "
                "`type; organisme; obtenue le AAAA-MM-JJ; expire le AAAA-MM-JJ; heures`. "
                "L'expiration et les heures (de formation) sont facultatives : laissez le "
                f"champ vide. Types : {credential_ids}. Au plus {max_credentials} lignes. "
                "L'équipe du programme vérifie chaque certification.",
                "One credential per line, fields separated by semicolons: "
                "`type; issuer; obtained YYYY-MM-DD; expires YYYY-MM-DD; hours`. The expiry "
                "date and the (training) hours are optional: leave the field empty. Types: "
                f"{credential_ids}. At most {max_credentials} lines. The programme team checks "
                "every credential.",
            ),
            required=False,
            render="text",
            placeholder=(
                "icf-pcc; International Coaching Federation; 2021-06-15; 2027-06-14\n"
                "internal-training; Mon administration / My administration; 2019-03-01; ; 40"
            ),
        ),
        _input(
            "practice_hours",
            _bi(*FIELD_NAMES["practice_hours"]),
            _bi_block(
                "Facultatif : nombre d'heures de pratique du coaching (un nombre entier). "
                "Certaines certifications exigent un minimum.",
                "Optional: hours of coaching practice (a whole number). Some credentials "
                "require a minimum.",
            ),
            required="practice_hours" in req,
            placeholder="250",
        ),
        _dropdown(
            "capacity",
            _bi(*FIELD_NAMES["capacity"]),
            _bi_block(
                "Combien de personnes vous pouvez accompagner en même temps.",
                "How many clients you can follow at once.",
            ),
            capacity,
            required="capacity" in req,
        ),
        _input(
            "email",
            _bi(*FIELD_NAMES["contact"]),
            _bi_block(
                "Votre adresse professionnelle, affichée sur votre fiche.",
                "Your work address, shown on your profile.",
            ),
            required="contact" in req,
            placeholder="prenom.nom@example.org",
        ),
        _input(
            "github",
            _bi(*FIELD_NAMES["github"]),
            _bi_block(
                "Le compte GitHub qui modifiera votre fiche (en principe le vôtre, celui qui "
                "ouvre ce ticket), sans @.",
                "The GitHub account that will edit your profile (normally yours, the one "
                "opening this issue), without @.",
            ),
            required="github" in req,
        ),
        _dropdown(
            "affiliation",
            _bi(*FIELD_NAMES["affiliation"]),
            _bi_block(
                "Interne : agent·e de l'organisation. Externe : coach d'un prestataire référencé.",
                "Internal: staff of the organisation. External: coach from a referenced provider.",
            ),
            [
                option_text(Term(key, *AFFILIATIONS[key]))
                for key in schema.prop("affiliation").get("enum", list(AFFILIATIONS))
            ],
            required="affiliation" in req,
        ),
        _input(
            "provider",
            _bi(*FIELD_NAMES["provider"]),
            _bi_block(
                "Coachs externes seulement : le prestataire référencé." + provider_fr,
                "External coaches only: the referenced provider." + provider_en,
            ),
            required="provider" in req,
        ),
        _input(
            "booking_url",
            _bi(*FIELD_NAMES["booking_url"]),
            _bi_block(
                "Facultatif : un lien https:// de prise de rendez-vous.",
                "Optional: an https:// booking link.",
            ),
            required="booking_url" in req,
            placeholder="https://",
        ),
        _checkboxes(
            "charter",
            _bi("Charte déontologique", "Ethics charter"),
            _bi_block(
                f"La charte en vigueur est la version {charter}.",
                f"The charter in force is version {charter}.",
            ),
            [
                _bi(
                    f"J'ai lu et je signe la charte déontologique, version {charter}",
                    f"I have read and sign the ethics charter, version {charter}",
                )
            ],
        ),
        _checkboxes(
            "declarations",
            _bi("Déclarations", "Declarations"),
            _bi_block(
                "Chaque coach du programme fait ces trois déclarations.",
                "Every coach of the programme makes these three declarations.",
            ),
            [_bi(*DECLARATIONS[key]) for key in DECLARATIONS],
        ),
    ]
    asked = {f["id"] for f in body if "id" in f}
    expected = {
        fid
        for fields in REGISTRATION_FIELDS.values()
        if isinstance(fields, tuple)
        for fid in fields
    }
    if asked != expected:
        raise RuntimeError(
            f"registration form and REGISTRATION_FIELDS differ: {sorted(asked ^ expected)}"
        )
    return _form(
        ("Inscription d'un·e coach", "Coach registration"),
        (
            "Rejoindre l'annuaire des coachs et mentors du programme",
            "Join the programme's directory of coaches and mentors",
        ),
        ("Inscription", "Registration"),
        "coach-registration",
        body,
    )


def profile_change_fields(schema: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The profile fields of the profile-change form, in schema order: those a coach changes
    alone, and those that need the programme team's approval (schema properties marked
    ``"x-coachdir-protected": true``, as for ``coachdir pr-check``)."""
    protected = set(protected_fields(schema))
    fields = [f for f in schema.get("properties", {}) if f not in NOT_IN_FORMS]
    return [f for f in fields if f not in protected], [f for f in fields if f in protected]


def _profile_change(schema: _Schema) -> dict[str, Any]:
    approval_fr, approval_en = "validation de l'équipe", "team approval"
    alone, approval = profile_change_fields(schema.schema)
    options = [option_text(Term(f, *FIELD_NAMES[f])) for f in alone]
    options += [f"{_bi(*FIELD_NAMES[f])} — {_bi(approval_fr, approval_en)} [{f}]" for f in approval]
    body = [
        _markdown(
            "Ce formulaire modifie votre fiche : il ouvre une demande de modification (pull "
            "request) que l'équipe du programme relit. Les champs marqués « validation de "
            "l'équipe » demandent son accord. Pour changer de photo ou de compte GitHub, "
            "écrivez à l'équipe.",
            "This form changes your profile: it opens a pull request that the programme team "
            "reviews. Fields marked 'team approval' need its agreement. To change your photo "
            "or GitHub account, write to the team.",
        ),
        _input(
            "coach",
            _bi("Identifiant de la fiche", "Profile id"),
            _bi_block(
                "Le nom de votre fichier sans .yml, tel qu'il apparaît dans l'adresse de votre "
                "fiche, p. ex. `helene-dubois`.",
                "Your file name without .yml, as in the address of your profile page, e.g. "
                "`helene-dubois`.",
            ),
            required=True,
            placeholder="helene-dubois",
        ),
        _dropdown(
            "fields",
            _bi("Champs modifiés", "Fields that change"),
            _bi_block(
                "Les champs de votre fiche que vous modifiez.",
                "The fields of your profile that you change.",
            ),
            options,
            required=True,
            multiple=True,
        ),
        _textarea(
            "changes",
            _bi("Nouvelles valeurs", "New values"),
            _bi_block(
                "Les nouvelles valeurs, au format de votre fiche (YAML), uniquement pour les "
                'champs choisis. Mettez les dates et le code de langue "no" entre guillemets.',
                "The new values, in the format of your profile (YAML), only for the fields "
                'chosen. Quote dates and the language code "no".',
            ),
            required=True,
            render="yaml",
            placeholder=(
                'role: "Cheffe de projet / Project lead"\n'
                'languages: ["fr", "en", "no"]\n'
                "capacity: 2\n"
                'supervision: {last: "2026-10-05"}'
            ),
        ),
    ]
    return _form(
        ("Modification de fiche", "Profile change"),
        ("Modifier votre fiche de coach", "Change your coach profile"),
        ("Modification", "Profile change"),
        "profile-change",
        body,
    )


def _yes_no(fid: str, label: tuple[str, str], fr: str, en: str) -> dict[str, Any]:
    return _dropdown(
        fid,
        _bi(*label),
        _bi_block(fr, en),
        [option_text(Term("yes", "Oui", "Yes")), option_text(Term("no", "Non", "No"))],
        required=True,
    )


def _coaching_request(programme: Programme) -> dict[str, Any]:
    """The coaching request: one question per engagement field a requester knows (codes and
    vocabulary ids only, no free text); intake derives the rest (id, client code, history)."""
    plan = programme.session_plan
    field = request_field(programme)
    if field in RECORD_REQUEST_FIELDS:
        raise CoachdirError(
            [
                Problem(
                    "programme.yml",
                    1,
                    1,
                    f"request_target.field: '{field}' is already a question of the request form",
                    "forms.request-field",
                    "Use 'coaches', the field the site fills with the coach ids.",
                )
            ]
        )
    body = [
        _markdown(
            "**Ne donnez ni votre nom, ni donnée de santé, ni information sur une autre "
            "personne** : cette demande ne contient que des codes. L'équipe du programme "
            "vous répond.\n\n"
            f"Un accompagnement commence par un entretien préalable de "
            f"{plan['intro_minutes']} minutes, puis {plan['sessions']} séances de "
            f"{plan['session_minutes']} minutes (fréquence : {plan['frequency']['fr']}).",
            "**Give no name, no health data and no information about anyone else**: this "
            "request holds codes only. The programme team answers you.\n\n"
            f"An engagement starts with a {plan['intro_minutes']}-minute introductory "
            f"conversation, then {plan['sessions']} sessions of {plan['session_minutes']} "
            f"minutes (frequency: {plan['frequency']['en']}).",
        ),
        _input(
            field,
            _bi("Coachs souhaité·es", "Preferred coaches"),
            _bi_block(
                "Un à trois identifiants de coachs de l'annuaire, par ordre de préférence, "
                "séparés par des virgules.",
                "One to three coach ids from the directory, in order of preference, separated "
                "by commas.",
            ),
            required=True,
            placeholder="helene-dubois, yann-le-goff",
        ),
        _dropdown(
            "offer",
            _bi("Type d'accompagnement", "Kind of support"),
            "",
            # one-to-one offers only: a group is joined from its page, an immersion asked for
            # as the decree says (README "Schemes")
            _terms(
                t
                for t in programme.vocabulary("offers")
                if programme.offer_kind(t.id) in ("coaching", "mentoring")
            ),
            required=True,
        ),
        _dropdown(
            "expertise",
            _bi("Sujet", "Topic"),
            _bi_block("Le sujet principal de la demande.", "The main topic of the request."),
            _terms(programme.vocabulary("expertise")),
            required=True,
        ),
        _dropdown(
            "language",
            _bi("Langue souhaitée", "Preferred language"),
            "",
            _terms(programme.vocabulary("languages")),
            required=True,
        ),
        _dropdown(
            "contract_type",
            _bi("Statut", "Employment status"),
            _bi_block(
                "Sert à vérifier l'éligibilité et à suivre l'accès au programme.",
                "Used to check eligibility and to monitor access to the programme.",
            ),
            _terms(contract_types(programme)),
            required=True,
        ),
        _dropdown(
            "cohort",
            _bi("Promotion", "Cohort"),
            "",
            _terms(programme.cohorts),
            required=True,
        ),
        _input(
            "unit",
            _bi("Code de votre unité", "Your unit code"),
            _bi_block(
                "Le code de votre unité dans l'organigramme, de la plus haute à la vôtre, "
                "p. ex. `U12/U7/U3`. Jamais de nom.",
                "Your unit's code in the organisation chart, most senior unit first, e.g. "
                "`U12/U7/U3`. Never a name.",
            ),
            required=True,
            placeholder="U12/U7/U3",
        ),
        _yes_no(
            "manages_unit",
            ("Vous dirigez cette unité", "You manage this unit"),
            "Oui si vous êtes la ou le responsable de l'unité indiquée.",
            "Yes if you are the manager of the unit given.",
        ),
        _dropdown(
            "kind",
            _bi("Accompagnement individuel ou d'équipe", "Individual or team engagement"),
            "",
            [option_text(Term(k, *ENGAGEMENT_KINDS[k])) for k in KINDS],
            required=True,
        ),
        _dropdown(
            "initiated_by",
            _bi("À l'initiative de", "Initiated by"),
            "",
            [option_text(Term(k, *INITIATED_BY[k])) for k in INITIATORS],
            required=True,
        ),
        _checkboxes(
            "consent",
            _bi("Consentement et confidentialité", "Consent and confidentiality"),
            "",
            [
                _bi(
                    "J'accepte que l'équipe du programme traite cette demande pour me proposer "
                    "un accompagnement, et je respecterai la confidentialité des échanges",
                    "I agree that the programme team processes this request to offer me "
                    "support, and I will keep the exchanges confidential",
                )
            ],
        ),
    ]
    return _form(
        ("Demande d'accompagnement", "Coaching request"),
        (
            "Demander un coaching ou un mentorat, sans donnée personnelle",
            "Ask for coaching or mentoring, without personal data",
        ),
        ("Demande", "Request"),
        "coaching-request",
        body,
    )


from coachdir.github.groupforms import GROUP_JOIN_FORM, group_join_form  # noqa: E402


def generate_forms(programme: Programme, schema: Mapping[str, Any]) -> dict[str, str]:
    """Return ``{"coach-registration.yml": yaml_text, ...}`` for the five forms.

    ``schema`` is the coach schema (``schemas/coach.schema.json``, plain or specialised).
    The result depends only on its arguments. Raises CoachdirError when the schema has a
    profile field the forms do not handle.
    """
    checked = _Schema(schema)
    _check_schema_coverage(checked)
    forms = {
        "coach-registration": _registration(programme, checked),
        "profile-change": _profile_change(checked),
        "coaching-request": _coaching_request(programme),
        "session-log": session_log_form(programme),
        "end-of-association": end_of_association_form(programme),
        FEEDBACK_FORM: client_feedback_form(programme),
        GROUP_JOIN_FORM: group_join_form(programme),
    }
    out: dict[str, str] = {}
    for name in FORM_NAMES:
        data = forms[name]
        text = HEADER + dump_yaml(data)
        if yaml.safe_load(text) != data:  # the emitter must say exactly what we mean
            raise AssertionError(f"{name}: the generated YAML does not read back as written")
        out[f"{name}.yml"] = text
    return out
