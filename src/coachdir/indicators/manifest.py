"""The release manifest (``indicators.tables`` of programme.yml): each table's titles, its
dimensions' values and labels, in the programme's vocabularies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from coachdir import dates
from coachdir.programme import OTHER_ENTITY, IndicatorTable, Programme

RELEASE_ID = re.compile(r"^(?P<year>[0-9]{4})(?:-Q(?P<quarter>[1-4]))?$")

MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "requests": ("Demandes", "Requests"),
    "engagements_started": ("Accompagnements commencés", "Engagements started"),
    "engagements_completed": ("Accompagnements menés à terme", "Engagements completed"),
    "engagements_ended_early": ("Accompagnements arrêtés avant terme", "Engagements ended early"),
    "sessions_held": ("Séances tenues", "Sessions held"),
    "completion_rate": ("Taux de réalisation complète", "Completion rate"),
    "mean_satisfaction": ("Satisfaction moyenne (1 à 5)", "Mean satisfaction (1 to 5)"),
    "days_to_first_intro": (
        "Jours moyens entre la demande et le premier entretien",
        "Mean days from request to first introductory conversation",
    ),
    "group_memberships": ("Entrées dans un groupe", "Group memberships"),
    "group_sessions_held": ("Séances de groupe tenues", "Group sessions held"),
    "immersion_days": ("Jours d'immersion", "Immersion days"),
}
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "offer": ("Offre", "Offer"),
    "expertise": ("Domaine d'expertise", "Expertise area"),
    "entity": ("Entité de la personne accompagnée", "Client's entity"),
    "cohort": ("Promotion", "Cohort"),
    "quarter": ("Trimestre", "Quarter"),
}
VOCABULARY_OF = {"offer": "offers", "expertise": "expertise", "entity": "entities"}


@dataclass(frozen=True)
class Period:
    """A release: ``YYYY-Qn`` (a quarter) or ``YYYY`` (a year)."""

    release: str
    start: date
    end: date

    @property
    def quarters(self) -> list[str]:
        first = (self.start.month - 1) // 3 + 1
        last = (self.end.month - 1) // 3 + 1
        return [f"{self.start.year}-Q{q}" for q in range(first, last + 1)]


def parse_release(release: str) -> Period | None:
    """The period of a release id, or None when it is not ``YYYY-Qn`` or ``YYYY``."""
    match = RELEASE_ID.match(release)
    if match is None:
        return None
    year = int(match["year"])
    if not dates.EARLIEST.year <= year <= dates.LATEST.year:
        return None
    if match["quarter"] is None:
        return Period(release, date(year, 1, 1), date(year, 12, 31))
    q = int(match["quarter"])
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Period(release, start, date.fromordinal(end.toordinal() - 1))


def last_complete_quarter(today: date) -> str:
    """The release id of the last quarter that ended before ``today``."""
    q = (today.month - 1) // 3 + 1
    return f"{today.year - 1}-Q4" if q == 1 else f"{today.year}-Q{q - 1}"


def dimension_values(
    programme: Programme, dimension: str, period: Period
) -> list[tuple[str, dict[str, str]]]:
    """(id, {fr, en}) of each value of a dimension, in the programme's order."""
    if dimension == "quarter":
        return [(q, {"fr": q, "en": q}) for q in period.quarters]
    if dimension == "cohort":
        return [(c.id, {"fr": c.fr, "en": c.en}) for c in programme.cohorts]
    terms = [
        (t.id, {"fr": t.fr, "en": t.en}) for t in programme.vocabulary(VOCABULARY_OF[dimension])
    ]
    if dimension == "entity":
        terms.append((OTHER_ENTITY, {"fr": "Autre entité", "en": "Other entity"}))
    return terms


def title(table: IndicatorTable) -> dict[str, str]:
    """``Requests by offer and quarter``, in both languages."""
    fr, en = MEASURE_LABELS[table.measure]
    dims = [table.rows] + ([table.columns] if table.columns else [])
    fr_dims = " et ".join(DIMENSION_LABELS[d][0].lower() for d in dims)
    en_dims = " and ".join(DIMENSION_LABELS[d][1].lower() for d in dims)
    return {"fr": f"{fr} par {fr_dims}", "en": f"{en} by {en_dims}"}


def dimension_label(dimension: str) -> dict[str, str]:
    fr, en = DIMENSION_LABELS[dimension]
    return {"fr": fr, "en": en}
