"""The record forms after the request (session log, end of association, the client's
feedback): an engagement id and codes, never free text."""

from __future__ import annotations

from typing import Any

from coachdir.github.formparts import _choice, _dropdown, _form, _input, _markdown, _terms
from coachdir.github.vocabulary import (
    COMPLETED,
    COMPLETED_LABELS,
    END_REASON_LABELS,
    FEEDBACK_FORM,
    SESSION_STATUS_LABELS,
    _bi,
    _bi_block,
    option_text,
)
from coachdir.programme import Programme, Term
from coachdir.records.model import SESSION_STATUSES


def _engagement_input() -> dict[str, Any]:
    return _input(
        "engagement",
        _bi("Référence de l'accompagnement", "Engagement reference"),
        _bi_block(
            "Le code de l'accompagnement donné par l'équipe du programme, de la forme "
            "`AAAA-NNNN` (p. ex. `2026-0017`). Jamais de nom.",
            "The engagement code given by the programme team, shaped `YYYY-NNNN` (e.g. "
            "`2026-0017`). Never a name.",
        ),
        required=True,
        placeholder="2026-0017",
    )


def session_log_form(programme: Programme) -> dict[str, Any]:
    """The session log: engagement id, date, minutes and status, nothing else."""
    plan = programme.session_plan
    body = [
        _markdown(
            "Relevé d'une séance, sans aucun texte libre : la référence, la date, la durée et "
            "si elle a eu lieu.",
            "Record of one session, with no free text: the reference, the date, the length "
            "and whether it took place.",
        ),
        _engagement_input(),
        _input(
            "date",
            _bi("Date de la séance", "Date of the session"),
            _bi_block("Au format AAAA-MM-JJ.", "As YYYY-MM-DD."),
            required=True,
            placeholder="2026-03-02",
        ),
        _input(
            "minutes",
            _bi("Durée en minutes", "Length in minutes"),
            _bi_block(
                f"Un nombre entier (entretien préalable : {plan['intro_minutes']}, séance : "
                f"{plan['session_minutes']}).",
                f"A whole number (introductory conversation: {plan['intro_minutes']}, "
                f"session: {plan['session_minutes']}).",
            ),
            required=True,
            placeholder=str(plan["session_minutes"]),
        ),
        _dropdown(
            "status",
            _bi("Statut", "Status"),
            "",
            [option_text(Term(s, *SESSION_STATUS_LABELS[s])) for s in SESSION_STATUSES],
            required=True,
        ),
    ]
    return _form(
        ("Relevé de séance", "Session log"),
        ("Enregistrer une séance", "Record a session"),
        ("Séance", "Session"),
        "session-log",
        body,
    )


def end_of_association_form(programme: Programme) -> dict[str, Any]:
    """The end of association: engagement id and reason code. The satisfaction score is not
    asked here, since a coach ends engagements too: the client gives it in their own feedback
    form (:func:`client_feedback_form`)."""
    own = programme.has_vocabulary("end_reasons")
    labels = {t.id: t for t in programme.vocabulary("end_reasons")} if own else {}
    reasons = [Term(COMPLETED, *COMPLETED_LABELS)]
    reasons += [
        labels.get(r) or Term(r, *END_REASON_LABELS.get(r, (r, r))) for r in programme.end_reasons
    ]
    body = [
        _markdown(
            "Clôture d'un accompagnement. Aucun texte libre : n'écrivez rien sur la personne "
            "accompagnée.",
            "Closing an engagement. No free text: write nothing about the person coached.",
        ),
        _engagement_input(),
        _dropdown(
            "reason",
            _bi("Motif de fin", "Reason for ending"),
            "",
            _terms(reasons),
            required=True,
        ),
    ]
    return _form(
        ("Fin d'accompagnement", "End of association"),
        ("Clore un accompagnement", "Close an engagement"),
        ("Fin", "End"),
        "end-of-association",
        body,
    )


def client_feedback_form(programme: Programme) -> dict[str, Any]:
    """The client's own feedback, once the engagement has ended: engagement id and the
    satisfaction score, nothing else. Only the client (by the keyed hash of who sends it)
    or the team may give it; the coach never."""
    least = programme.indicators.threshold
    body = [
        _markdown(
            "Votre avis sur l'accompagnement terminé, réservé à l'équipe du programme : il "
            "n'est jamais montré seul à votre coach ni à votre hiérarchie, et n'est publié que "
            f"dans des moyennes sur au moins {least} personnes. Aucun texte libre.",
            "Your view of the ended engagement, for the programme team only: it is never "
            "shown on its own to your coach or your line management, and is published only in "
            "averages "
            f"over at least {least} people. No free text.",
        ),
        _engagement_input(),
        _choice(
            "satisfaction",
            ("Satisfaction (1 à 5)", "Satisfaction (1 to 5)"),
            [str(n) for n in range(1, 6)],
            required=True,
        ),
    ]
    return _form(
        ("Avis du client", "Client feedback"),
        ("Donner votre avis à la fin de l'accompagnement", "Give your feedback at the end"),
        ("Avis", "Feedback"),
        FEEDBACK_FORM,
        body,
    )
