"""Programme settings (programme.yml): loading, the typed model, and the coach schema it implies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypedDict, cast

from coachdir import dates
from coachdir.loader import Loaded, PathKey, load_file
from coachdir.photos import PhotoLimits
from coachdir.problems import CoachdirError, Problem
from coachdir.schema import SchemaChecker, read_schema, schema_dir

PROGRAMME_FILE = "programme.yml"
#: the problem ids this module reports (besides the schema's ``schema.*``)
PROBLEM_IDS = (
    "programme.missing",
    "programme.duplicate-term",
    "programme.charter-version",
    "programme.duplicate-unit",
    "programme.placeholder",
)
#: the lines that end coachdir's own fictional sample (``sample: true``): its placeholder
#: settings are meant there; ``coachdir init`` leaves them out of the programme it writes
SAMPLE_MARKER = (
    "\n# coachdir's fictional sample: its *.example addresses and sample team are meant, so\n"
    "# validate does not warn about them. coachdir init leaves these lines out.\n"
    "sample: true\n"
)
#: domains reserved for examples (RFC 2606, RFC 6761): no one receives mail there
_EXAMPLE_DOMAINS = ("example", "test", "invalid", "localhost", "example.com", "example.org",
                    "example.net")  # fmt: skip
#: the words ``init`` leaves in repository addresses for the programme to replace
_ADDRESS_PLACEHOLDERS = ("OWNER/NAME", "YOUR-ORG", "OWNER/")
#: the entity an engagement counts for when no entity's ``unit`` is a prefix of its unit path
OTHER_ENTITY = "other"

#: profile field -> (programme vocabulary, whether the field is a list)
VOCABULARY_FIELDS: dict[str, tuple[str, bool]] = {
    "gender": ("genders", False),
    "entity": ("entities", False),
    "networks": ("networks", True),
    "modalities": ("modalities", True),
    "languages": ("languages", True),
    "offers": ("offers", True),
    "expertise": ("expertise", True),
}


@dataclass(frozen=True)
class Term:
    """One vocabulary entry with its labels."""

    id: str
    fr: str
    en: str

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


def client_entity(unit: str, entity_units: Mapping[str, str]) -> str:
    """The entity a client's unit path counts for: the entity whose ``unit`` code (from
    :meth:`Programme.entity_units`) is the longest prefix of ``unit`` by whole segments
    (``U2/U1`` is no prefix of ``U2/U10/U100``), else :data:`OTHER_ENTITY`."""
    segments = unit.split("/")
    best, best_length = OTHER_ENTITY, 0
    for entity, code in entity_units.items():
        parts = code.split("/")
        if len(parts) > best_length and segments[: len(parts)] == parts:
            best, best_length = entity, len(parts)
    return best


@dataclass(frozen=True)
class CredentialType(Term):
    min_training_hours: int | None = None
    min_practice_hours: int | None = None
    expiry_required: bool = False


#: the end reasons of ``ended`` records when programme.yml has no ``vocabularies.end_reasons``
DEFAULT_END_REASONS = ("client-left", "coach-left", "mismatch", "programme-decision", "other")
#: the reason codes of a refused or postponed immersion request (records/immersions/) when
#: programme.yml has no ``vocabularies.immersion_reasons``
DEFAULT_IMMERSION_REASONS = (
    "service-needs",
    "period-unsuitable",
    "host-unavailable",
    "cap-reached",
    "other",
)


@dataclass(frozen=True)
class Cohort(Term):
    """One entry of ``cohorts``: dates are ``YYYY-MM-DD`` strings (opens and closes included)."""

    opens: str = ""
    closes: str = ""
    places: int = 0


class SessionPlan(TypedDict):
    """``session_plan``: the shape of an engagement, shown on the pages and in the forms."""

    intro_minutes: int
    sessions: int
    session_minutes: int
    frequency: dict[str, str]


#: what an offer is (``kind`` of a ``vocabularies.offers`` entry)
OfferKind = Literal["coaching", "mentoring", "group", "immersion"]


class EthicsReferent(TypedDict):
    """``ethics_referent``: who hears a concern."""

    name: str
    email: str


class RequestTarget(TypedDict, total=False):
    """``request_target``: an issue form (``url``, ``template``, ``field``) or ``email``."""

    kind: Literal["issue-form", "mailto"]
    url: str
    template: str
    field: str
    email: str


#: the measures and dimensions an indicators table may use (issue 10)
INDICATOR_MEASURES = (
    "requests",
    "engagements_started",
    "engagements_completed",
    "engagements_ended_early",
    "sessions_held",
    "completion_rate",
    "mean_satisfaction",
    "days_to_first_intro",
    "group_memberships",
    "group_sessions_held",
    "immersion_days",
)
INDICATOR_DIMENSIONS = ("offer", "expertise", "entity", "cohort", "quarter")


@dataclass(frozen=True)
class IndicatorTable:
    """One table of the release manifest: a measure by one or two dimensions."""

    id: str
    measure: str
    rows: str
    columns: str | None = None


@dataclass(frozen=True)
class IndicatorSettings:
    """``indicators`` (every field optional): the threshold T (default 10), rounding (none or
    base 5), the public upper bound of a hidden count (default: the cohorts' places), and the
    release manifest (default: no table)."""

    threshold: int = 10
    rounding: int | None = None
    bound: int | None = None
    tables: tuple[IndicatorTable, ...] = ()


@dataclass(frozen=True)
class Programme:
    """Typed programme settings, built only from validated programme.yml data."""

    raw: dict[str, Any]
    root: Path

    @property
    def max_capacity(self) -> int:
        return int(self.raw["max_capacity"])

    @property
    def team(self) -> list[str]:
        return list(self.raw["team"])

    @property
    def charter_current(self) -> str:
        return str(self.raw["charter"]["current"])

    @property
    def charter_versions(self) -> list[str]:
        return list(self.raw["charter"]["versions"])

    @property
    def charter_dates(self) -> dict[str, str]:
        """``charter.dates``: version -> the day it came into force (empty when not set)."""
        return {str(k): str(v) for k, v in self.raw["charter"].get("dates", {}).items()}

    @property
    def cohorts(self) -> list[Cohort]:
        """``cohorts`` (default: none)."""
        return [
            Cohort(c["id"], c["fr"], c["en"], c["opens"], c["closes"], int(c["places"]))
            for c in self.raw.get("cohorts", [])
        ]

    @property
    def programme_review(self) -> bool:
        """``programme_review`` (default false): requests are reviewed before any intro."""
        return bool(self.raw.get("programme_review", False))

    @property
    def request_deadline_days(self) -> int:
        """``request_deadline_days`` (default 7)."""
        return int(self.raw.get("request_deadline_days", 7))

    @property
    def conflict_window_months(self) -> int:
        """``conflict_window_months`` (default 12)."""
        return int(self.raw.get("conflict_window_months", 12))

    @property
    def peer_conflict(self) -> Literal["warning", "error"]:
        """``peer_conflict`` (default warning)."""
        return "error" if self.raw.get("peer_conflict") == "error" else "warning"

    @property
    def supervision_max_gap_days(self) -> int:
        """``supervision_max_gap_days`` (default 365)."""
        return int(self.raw.get("supervision_max_gap_days", 365))

    @property
    def retention_months(self) -> int:
        """``retention_months`` (default 60): how long closed engagement records are kept."""
        return int(self.raw.get("retention_months", 60))

    @property
    def availability_max_age_days(self) -> int:
        """``availability_max_age_days`` (default 14): older availability shows a dated note."""
        return int(self.raw.get("availability_max_age_days", 14))

    @property
    def coaching_hours_paid(self) -> bool:
        """``coaching_hours.paid`` (default false): internal coaching is logged as pro bono."""
        return bool(self.raw.get("coaching_hours", {}).get("paid", False))

    @property
    def session_tolerance_minutes(self) -> int:
        """``session_plan.tolerance_minutes`` (default 10)."""
        return int(self.raw["session_plan"].get("tolerance_minutes", 10))

    @property
    def eligible_contract_types(self) -> list[str]:
        """The ids of ``vocabularies.contract_types`` marked ``eligible: true`` (the default is
        false: a contract is eligible only when the programme says so)."""
        terms = self.raw["vocabularies"].get("contract_types", [])
        return [str(t["id"]) for t in terms if t.get("eligible", False)]

    @property
    def end_reasons(self) -> list[str]:
        """The ids of ``vocabularies.end_reasons``, or the default reasons."""
        terms = self.raw["vocabularies"].get("end_reasons")
        if terms is None:
            return list(DEFAULT_END_REASONS)
        return [str(t["id"]) for t in terms]

    @property
    def immersion_reasons(self) -> list[str]:
        """The ids of ``vocabularies.immersion_reasons``, or the default reasons."""
        terms = self.raw["vocabularies"].get("immersion_reasons")
        if terms is None:
            return list(DEFAULT_IMMERSION_REASONS)
        return [str(t["id"]) for t in terms]

    @property
    def photo_limits(self) -> PhotoLimits:
        """Size and pixel caps of coach photos (``photos``; defaults when not set)."""
        return PhotoLimits.from_settings(self.raw.get("photos"))

    @property
    def email_domains(self) -> list[str]:
        """Lower-case domains a profile's contact.email must use (empty: any domain)."""
        return [str(d).lower() for d in self.raw.get("email_domains", [])]

    @property
    def session_plan(self) -> SessionPlan:
        return cast(SessionPlan, self.raw["session_plan"])

    def offer_kind(self, offer: str) -> OfferKind:
        """What an offer of ``vocabularies.offers`` is: coaching (the default), mentoring,
        group or immersion."""
        for term in self.raw["vocabularies"]["offers"]:
            if term["id"] == offer:
                return cast(OfferKind, term.get("kind", "coaching"))
        return "coaching"

    def offers_of_kind(self, *kinds: OfferKind) -> list[str]:
        """The ids of the offers of these kinds, in the programme's order."""
        return [
            str(t["id"])
            for t in self.raw["vocabularies"]["offers"]
            if t.get("kind", "coaching") in kinds
        ]

    def needs_credential(self, offers: Iterable[str]) -> bool:
        """Whether someone offering ``offers`` needs a coaching credential and supervision:
        when any of them is coaching or group facilitation. A mentor shares experience, advice
        and network, and an immersion host receives a colleague: neither needs one."""
        return any(self.offer_kind(o) in ("coaching", "group") for o in offers)

    def roles(self, offers: Iterable[str]) -> tuple[str, ...]:
        """What someone offering ``offers`` is, in this order: ``coach`` (a coaching or group
        offer), ``mentor`` (a mentoring offer)."""
        kinds = {self.offer_kind(o) for o in offers}
        out = []
        if kinds & {"coaching", "group"}:
            out.append("coach")
        if "mentoring" in kinds:
            out.append("mentor")
        return tuple(out)

    def session_plan_for(self, offer: str) -> SessionPlan:
        """The session plan of a one-to-one offer: its own ``session_plan`` when it has one,
        else the programme's."""
        for term in self.raw["vocabularies"]["offers"]:
            if term["id"] == offer and "session_plan" in term:
                return cast(SessionPlan, term["session_plan"])
        return self.session_plan

    def session_tolerance_for(self, offer: str) -> int:
        """The ``tolerance_minutes`` of the offer's own session plan, else the programme's."""
        for term in self.raw["vocabularies"]["offers"]:
            if term["id"] == offer and "tolerance_minutes" in term.get("session_plan", {}):
                return int(term["session_plan"]["tolerance_minutes"])
        return self.session_tolerance_minutes

    @property
    def ethics_referent(self) -> EthicsReferent:
        return cast(EthicsReferent, self.raw["ethics_referent"])

    @property
    def request_target(self) -> RequestTarget:
        return cast(RequestTarget, self.raw.get("request_target", {}))

    @property
    def site_url(self) -> str | None:
        """The site's public address (ending in "/"), when set."""
        value = self.raw.get("site_url")
        return None if value is None else str(value)

    @property
    def contract_types(self) -> list[Term]:
        """``vocabularies.contract_types`` (optional: empty when the programme lists none)."""
        listed = self.raw.get("vocabularies", {}).get("contract_types") or []
        return [Term(str(t["id"]), str(t["fr"]), str(t["en"])) for t in listed]

    @property
    def indicators(self) -> IndicatorSettings:
        """``indicators`` (default: threshold 10, no rounding, no table)."""
        data = self.raw.get("indicators") or {}
        bound = data.get("bound")
        rounding = data.get("rounding")
        return IndicatorSettings(
            threshold=int(data.get("threshold", 10)),
            rounding=None if rounding is None else int(rounding),
            bound=None if bound is None else int(bound),
            tables=tuple(
                IndicatorTable(str(t["id"]), str(t["measure"]), str(t["rows"]), t.get("columns"))
                for t in data.get("tables", [])
            ),
        )

    def name(self, lang: str) -> str:
        return str(self.raw["name"][lang])

    def organisation(self, lang: str) -> str:
        return str(self.raw["organisation"][lang])

    def has_vocabulary(self, name: str) -> bool:
        """Whether programme.yml lists this (optional) vocabulary."""
        return name in self.raw["vocabularies"]

    def vocabulary_ids(self, name: str) -> list[str]:
        """The ids of one vocabulary, empty when the programme does not list it."""
        return [str(t["id"]) for t in self.raw["vocabularies"].get(name, [])]

    def vocabulary(self, name: str) -> list[Term]:
        return [Term(t["id"], t["fr"], t["en"]) for t in self.raw["vocabularies"][name]]

    def entity_units(self) -> dict[str, str]:
        """Entity id -> its org-unit path code, for the entities that give one (``unit``)."""
        return {
            str(t["id"]): str(t["unit"])
            for t in self.raw["vocabularies"].get("entities", [])
            if t.get("unit") is not None
        }

    def term(self, vocabulary: str, term_id: str) -> Term:
        for term in self.vocabulary(vocabulary):
            if term.id == term_id:
                return term
        return Term(term_id, term_id, term_id)

    def credential_types(self) -> dict[str, CredentialType]:
        return {
            c["id"]: CredentialType(
                c["id"],
                c["fr"],
                c["en"],
                c.get("min_training_hours"),
                c.get("min_practice_hours"),
                bool(c.get("expiry_required", False)),
            )
            for c in self.raw["vocabularies"]["credential_types"]
        }

    def coach_schema(self) -> dict[str, Any]:
        """The coach schema specialised with this programme's vocabularies and limits."""
        path = schema_dir(self.root) / "coach.schema.json"
        schema = read_schema(path)
        try:
            props = schema["properties"]
            for field, (vocab, is_list) in VOCABULARY_FIELDS.items():
                ids = [t["id"] for t in self.raw["vocabularies"][vocab]]
                target = props[field]["items"] if is_list else props[field]
                target["enum"] = ids
            credential = props["credentials"]["items"]["properties"]["type"]
            credential["enum"] = list(self.credential_types())
            props["verification"]["items"]["properties"]["by"]["enum"] = self.team
            props["charter"]["properties"]["version"]["enum"] = self.charter_versions
            props["capacity"]["maximum"] = self.max_capacity
        except (KeyError, TypeError, IndexError):
            # An edited schema that lacks a field coachdir fills in with the programme's
            # vocabularies and limits: the programme's file is wrong, not coachdir.
            problem = Problem(
                str(path),
                1,
                1,
                "the coach schema lacks a field that coachdir fills in from programme.yml "
                "(the vocabularies, credential types, team, charter versions or capacity)",
                "schema.invalid",
                "Restore the file from the coachdir version you use (coachdir init writes the "
                "schemas), then make your change again.",
            )
            raise CoachdirError([problem]) from None
        return schema


def load_programme(root: Path) -> tuple[Programme | None, Loaded, list[Problem]]:
    """Load and validate ``programme.yml`` under ``root``."""
    path = root / PROGRAMME_FILE
    if not path.is_file():
        loaded = Loaded(PROGRAMME_FILE, None)
        problem = Problem(
            PROGRAMME_FILE,
            1,
            1,
            f"no {PROGRAMME_FILE} in {root}",
            "programme.missing",
            "Run the command from the programme repository's root, or pass --root.",
        )
        return None, loaded, [problem]
    loaded = load_file(str(path), PROGRAMME_FILE)
    if loaded.problems:
        return None, loaded, list(loaded.problems)
    checker = SchemaChecker(
        read_schema(schema_dir(root) / "programme.schema.json"), name="programme"
    )
    problems = checker.check(loaded)
    if problems:
        return None, loaded, problems
    if loaded.data is None:  # the schema asks for a mapping: a bug if it let None through
        raise TypeError(f"{PROGRAMME_FILE} passed its schema check without any data")
    problems = _programme_rules(loaded)
    if problems:
        return None, loaded, problems
    return Programme(loaded.data, root), loaded, []


def _programme_rules(loaded: Loaded) -> list[Problem]:
    data = loaded.data or {}
    problems: list[Problem] = []
    charter = data["charter"]
    if charter["current"] not in charter["versions"]:
        line, col = loaded.where(("charter", "current"))
        problems.append(
            Problem(
                loaded.path,
                line,
                col,
                f"charter.current: '{charter['current']}' is not listed in charter.versions",
                "programme.charter-version",
                "Add the new version to charter.versions.",
            )
        )
    for name, terms in data["vocabularies"].items():
        seen: dict[str, int] = {}
        for index, term in enumerate(terms):
            if term["id"] in seen:
                line, col = loaded.where(("vocabularies", name, index, "id"))
                problems.append(
                    Problem(
                        loaded.path,
                        line,
                        col,
                        f"vocabularies.{name}: id '{term['id']}' is listed twice",
                        "programme.duplicate-term",
                        "Give each entry its own id.",
                    )
                )
            seen[term["id"]] = index
    units: dict[str, str] = {}
    for index, term in enumerate(data["vocabularies"]["entities"]):
        code = term.get("unit")
        if code is None:
            continue
        if code in units:
            line, col = loaded.where(("vocabularies", "entities", index, "unit"))
            problems.append(
                Problem(
                    loaded.path,
                    line,
                    col,
                    f"vocabularies.entities: entity '{term['id']}' has the unit code of "
                    f"'{units[code]}'; an engagement's unit would count for both",
                    "programme.duplicate-unit",
                    "Give each entity the unit code of its own org unit, or remove one 'unit'.",
                )
            )
        else:
            units[code] = term["id"]
    return problems


def planned_dates(loaded: Loaded, today: date) -> list[Problem]:
    """``date.horizon`` for the programme's planned days (a cohort's opening and close, a
    charter version's day in force) more than ``dates.HORIZON_YEARS`` after today."""
    data = loaded.data or {}
    planned: list[tuple[PathKey, str, str]] = []
    for index, cohort in enumerate(data.get("cohorts", [])):
        for key in ("opens", "closes"):
            planned.append((("cohorts", index, key), f"cohorts[{index}].{key}", cohort[key]))
    for version, day in (data.get("charter") or {}).get("dates", {}).items():
        planned.append((("charter", "dates", version), f"charter.dates.{version}", day))
    found = [dates.horizon_problem(loaded, *item, today) for item in planned]
    return [p for p in found if p is not None]


def _example_domain(address: str) -> bool:
    domain = address.rpartition("@")[2].lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in _EXAMPLE_DOMAINS)


def placeholder_settings(loaded: Loaded, sample_team: Sequence[str] = ()) -> list[Problem]:
    """Warnings for the settings a new programme still has from the sample ``init`` copied
    (``programme.placeholder``): an address at a domain reserved for examples (request
    target, ethics referent), a repository address with ``OWNER/NAME``, a team handle of
    ``sample_team`` (the sample's). None for the sample itself (``sample: true``)."""
    data = loaded.data or {}
    if data.get("sample") is True:
        return []
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    target = data.get("request_target") or {}
    addresses: list[tuple[tuple[str | int, ...], Any]] = [
        (("request_target", "email"), target.get("email")),
        (("ethics_referent", "email"), (data.get("ethics_referent") or {}).get("email")),
    ]
    for path, value in addresses:
        if isinstance(value, str) and _example_domain(value):
            found.append(
                (
                    path,
                    f"{'.'.join(map(str, path))}: is at a domain reserved for examples, where "
                    "no one receives mail",
                    "Write the real address: the site's links and buttons e-mail it.",
                )
            )
    url = target.get("url")
    if isinstance(url, str) and any(p in url for p in _ADDRESS_PLACEHOLDERS):
        found.append(
            (
                ("request_target", "url"),
                "request_target.url: still names the placeholder repository OWNER/NAME",
                "Write the address of your records repository's new-issue page.",
            )
        )
    for index, handle in enumerate(data.get("team") or []):
        if handle in sample_team:
            found.append(
                (
                    ("team", index),
                    f"team[{index}]: is a handle of the sample programme's team",
                    "List the GitHub handles of your programme team.",
                )
            )
    problems = []
    for path, message, hint in found:
        line, col = loaded.where(path)
        problems.append(
            Problem(loaded.path, line, col, message, "programme.placeholder", hint, "warning")
        )
    return problems
