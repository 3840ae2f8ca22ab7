"""The records' typed model and the engagement state machine, as data, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

State = Literal[
    "requested",
    "reviewed",
    "intro",
    "accepted",
    "declined",
    "expired",
    "withdrawn",
    "closed",
    "active",
    "completed",
    "ended",
]

#: every state, in the order of a typical engagement
STATES: tuple[State, ...] = (
    "requested",
    "reviewed",
    "intro",
    "accepted",
    "declined",
    "expired",
    "withdrawn",
    "closed",
    "active",
    "completed",
    "ended",
)
#: states after which nothing may follow
FINAL_STATES: frozenset[str] = frozenset({"completed", "ended", "closed", "expired", "withdrawn"})
#: the states after which the client may give their feedback (intake.not-ended)
COMPLETED_OR_ENDED: frozenset[str] = frozenset({"completed", "ended"})
#: the state every history starts with
FIRST_STATE: State = "requested"
#: state -> the states that may follow it (``reviewed`` only when programme review is on)
TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"reviewed", "intro", "withdrawn", "expired", "closed"}),
    "reviewed": frozenset({"intro", "withdrawn", "expired", "closed"}),
    "intro": frozenset({"accepted", "declined", "expired", "withdrawn"}),
    "declined": frozenset({"intro", "closed"}),
    "accepted": frozenset({"active", "withdrawn", "ended"}),
    "active": frozenset({"completed", "ended"}),
}
#: states that name the coach of the step
COACH_STATES: frozenset[str] = frozenset({"intro"})
#: the only state that carries an end ``reason``
REASON_STATE: State = "ended"
#: engagement kinds, who may initiate, session kinds and statuses, supervision kinds
KINDS = ("individual", "team")
INITIATORS = ("self", "manager", "programme")
SESSION_KINDS = ("intro", "session")
SESSION_STATUSES = ("held", "cancelled", "no-show")
SUPERVISION_KINDS = ("group", "individual")


def next_states(state: str, *, review: bool) -> frozenset[str]:
    """The states allowed after ``state``. With programme review on, a request is reviewed
    before any introductory conversation; with it off, ``reviewed`` never occurs."""
    allowed = TRANSITIONS.get(state, frozenset())
    if state == "requested":
        allowed = allowed - {"intro"} if review else allowed - {"reviewed"}
    return allowed


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """One state reached, on a date (``YYYY-MM-DD``); ``intro`` names the coach, ``ended``
    carries a reason code."""

    state: str
    date: str
    coach: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """One session: date, length, intro or session, held/cancelled/no-show, optional rating
    and optional local start time ``HH:MM`` (in the engagement's ``timezone``)."""

    date: str
    minutes: int
    kind: str
    status: str
    rating: int | None = None
    start: str | None = None


@dataclass(frozen=True, slots=True)
class Engagement:
    """``records/engagements/<id>.yml``: one request and what became of it."""

    id: str
    client: str
    contract_type: str
    unit: str
    manages_unit: bool
    cohort: str
    offer: str
    expertise: str
    language: str
    kind: str
    initiated_by: str
    preferences: tuple[str, ...]
    history: tuple[HistoryStep, ...]
    sessions: tuple[Session, ...] = ()
    coach: str | None = None
    satisfaction: int | None = None
    #: the IANA time zone of the sessions' start times (calendar files)
    timezone: str | None = None

    @property
    def state(self) -> str:
        """The last state reached."""
        return self.history[-1].state

    def date_of(self, state: str) -> str | None:
        """The date the engagement first reached ``state``, if it did."""
        return next((s.date for s in self.history if s.state == state), None)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Engagement:
        """Built from schema-valid data only."""
        return cls(
            id=data["id"],
            client=data["client"],
            contract_type=data["contract_type"],
            unit=data["unit"],
            manages_unit=bool(data["manages_unit"]),
            cohort=data["cohort"],
            offer=data["offer"],
            expertise=data["expertise"],
            language=data["language"],
            kind=data["kind"],
            initiated_by=data["initiated_by"],
            preferences=tuple(data.get("preferences", ())),
            history=tuple(HistoryStep(**step) for step in data["history"]),
            sessions=tuple(Session(**s) for s in data.get("sessions", ())),
            coach=data.get("coach"),
            satisfaction=data.get("satisfaction"),
            timezone=data.get("timezone"),
        )


@dataclass(frozen=True, slots=True)
class SupervisionEntry:
    """One supervision session of a coach (``records/supervision/<coach-id>.yml``)."""

    date: str
    minutes: int
    kind: str


@dataclass(frozen=True, slots=True)
class CoachUnit:
    """A coach's own place in the organisation (``records/coach-units.yml``)."""

    coach: str
    unit: str
    manages_unit: bool


def engagement_order(engagement_id: str) -> tuple[int, int]:
    """The sort key of an engagement id: by year, then by number (``2026-9999`` before
    ``2026-10000``, which a sort of the text would put first)."""
    year, _, number = engagement_id.partition("-")
    return int(year), int(number)
