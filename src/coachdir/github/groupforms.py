"""The group join request form: the group's id and codes only, never free text (issue 15).

A member of staff asks to join a group (co-development, or any offer of kind ``group``) from
the group's page: the issue form of the records repository, or an e-mail whose body is this
form's, prefilled with the group id."""

from __future__ import annotations

from typing import Any

from coachdir.github.formparts import _checkboxes, _dropdown, _form, _input, _markdown, _terms
from coachdir.github.vocabulary import _bi, _bi_block, contract_types, option_text
from coachdir.programme import Programme, Term

GROUP_JOIN_FORM = "group-join"
#: the question the site prefills with the group id
GROUP_FIELD = "group"


def group_join_form(programme: Programme) -> dict[str, Any]:
    """Group id, employment status, unit code and whether the person manages it (for the
    no-line-management rule between members), and the consent to the group contract."""
    body = [
        _markdown(
            "**Ne donnez ni votre nom, ni donnée de santé, ni information sur une autre "
            "personne** : cette demande ne contient que des codes. Les membres d'un groupe "
            "n'ont aucun lien hiérarchique entre eux ni avec l'animatrice ou l'animateur : "
            "l'équipe du programme le vérifie avec le code de votre unité.",
            "**Give no name, no health data and no information about anyone else**: this "
            "request holds codes only. The members of a group have no line-management link "
            "between them nor with the facilitator: the programme team checks it with your "
            "unit code.",
        ),
        _input(
            GROUP_FIELD,
            _bi("Groupe", "Group"),
            _bi_block(
                "L'identifiant du groupe, tel qu'il figure sur sa page (p. ex. "
                "`codev-brest-2027`).",
                "The group's id, as on its page (e.g. `codev-brest-2027`).",
            ),
            required=True,
            placeholder="codev-brest-2027",
        ),
        _dropdown(
            "contract_type",
            _bi("Statut", "Employment status"),
            _bi_block(
                "Sert à vérifier l'éligibilité.",
                "Used to check eligibility.",
            ),
            _terms(contract_types(programme)),
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
        _dropdown(
            "manages_unit",
            _bi("Vous dirigez cette unité", "You manage this unit"),
            _bi_block(
                "Oui si vous êtes la ou le responsable de l'unité indiquée.",
                "Yes if you are the manager of the unit given.",
            ),
            [option_text(Term("yes", "Oui", "Yes")), option_text(Term("no", "Non", "No"))],
            required=True,
        ),
        _checkboxes(
            "consent",
            _bi("Contrat du groupe", "Group contract"),
            "",
            [
                _bi(
                    "Je respecterai le contrat du groupe : ce qui se dit dans le groupe reste "
                    "dans le groupe",
                    "I will keep the group contract: what is said in the group stays in the group",
                )
            ],
        ),
    ]
    return _form(
        ("Demande d'entrée dans un groupe", "Group join request"),
        ("Demander à rejoindre un groupe, sans donnée personnelle", "Ask to join a group"),
        ("Groupe", "Group"),
        GROUP_JOIN_FORM,
        body,
    )
