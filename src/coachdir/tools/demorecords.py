"""The demo records: clearly fictional engagements, supervision logs and coach units for the
sample coaches, generated deterministically (``coachdir demo --records``).

The records follow every rule, including those not yet written: one active engagement per
coach at a time (so never above capacity), one engagement past intro per client, distinct
management lines, the session plan (one intro then at most the plan's sessions, monthly), and
supervision within a year before each acceptance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coachdir.emit import dump_yaml
from coachdir.layout import COACHES_DIR
from coachdir.loader import Loaded, load_file
from coachdir.offerings.immersions import ImmersionOffer, load_immersions
from coachdir.problems import InvalidInput, UsageError
from coachdir.programme import Programme
from coachdir.records.files import COACH_UNITS_MAX_BYTES, Records
from coachdir.records.model import SupervisionEntry
from coachdir.records.pseudonym import DEMO_KEY, client_code
from coachdir.records.rules.base import RecordContext
from coachdir.records.rules.immersion import months_after
from coachdir.records.rules.standing import lapses
from coachdir.tools.demogroups import group_records

FIRST_DAY = date(2025, 3, 3)
#: no demo date goes past this day
LAST_DAY = date(2026, 11, 1)
ENGAGEMENTS = 60
HEADER = {
    "engagements": "# yaml-language-server: $schema=../../schemas/engagement.schema.json\n",
    "supervision": "# yaml-language-server: $schema=../../schemas/supervision.schema.json\n",
    "units": "# yaml-language-server: $schema=../schemas/coach-units.schema.json\n",
    "immersions": "# yaml-language-server: $schema=../../schemas/immersion-record.schema.json\n",
}
NOTE = "# Fictional demo record (coachdir demo --records): no real person.\n"
#: the story of each engagement, cycled: how far it got and how it ended
STORIES = (
    "completed",
    "active",
    "completed",
    "ended",
    "declined-accepted",
    "completed",
    "withdrawn",
    "completed",
    "expired",
    "active",
    "declined-closed",
    "completed",
    "ended",
    "closed",
)
END_REASONS = ("client-left", "coach-left", "mismatch", "programme-decision", "other")


@dataclass
class _Coach:
    id: str
    offers: list[str]
    languages: list[str]
    expertise: list[str]
    supervision: date
    free_from: date
    #: the day the charter version the coach signed came into force
    charter_since: str = ""
    #: the profile's data (the scaled records check standing against it)
    profile: dict[str, Any] = field(default_factory=dict)


def _coaches(root: Path, languages: set[str], charter_dates: dict[str, str]) -> list[_Coach]:
    out = []
    for path in sorted((root / COACHES_DIR).glob("*.yml")):
        loaded = load_file(str(path), f"{COACHES_DIR}/{path.name}")
        data = loaded.data
        if data is None or loaded.problems:
            raise InvalidInput(f"{COACHES_DIR}/{path.name} does not load; run coachdir validate")
        if data.get("status") != "accepting" or "supervision" not in data:
            continue
        out.append(
            _Coach(
                path.stem,
                list(data["offers"]),
                [lang for lang in data["languages"] if lang in languages],
                list(data["expertise"]),
                date.fromisoformat(data["supervision"]["last"]),
                FIRST_DAY,
                charter_dates.get(str(data.get("charter", {}).get("version")), ""),
                data,
            )
        )
    return out


def _sessions(rng: random.Random, start: date, count: int, plan: dict[str, Any]) -> list[Any]:
    out: list[dict[str, Any]] = []
    day = start
    for _ in range(count):
        day += timedelta(days=rng.randint(26, 34))
        session: dict[str, Any] = {
            "date": day.isoformat(),
            "minutes": int(plan["session_minutes"]) + rng.choice((-5, 0, 0, 5)),
            "kind": "session",
            "status": "held",
        }
        if rng.random() < 0.5:
            session["rating"] = rng.randint(3, 5)
        out.append(session)
    return out


def generate_records(root: Path, programme: Programme, seed: int = 2026) -> dict[str, str]:
    """The demo records folder, as relative path -> file text."""
    rng = random.Random(seed)  # noqa: S311 - fictional demo data, reproducible on purpose
    languages = {t.id for t in programme.vocabulary("languages")}
    coaches = _coaches(root, languages, programme.charter_dates)
    in_force = sorted(programme.charter_dates.values())
    offers = [t.id for t in programme.vocabulary("offers")]
    contracts = programme.eligible_contract_types
    cohorts = programme.cohorts
    plan: dict[str, Any] = dict(programme.session_plan)
    review = programme.programme_review
    files: dict[str, str] = {}
    step = (LAST_DAY - timedelta(days=120) - FIRST_DAY).days / (ENGAGEMENTS - 4)
    sequence: dict[int, int] = {}
    for number in range(ENGAGEMENTS):
        story = STORIES[number % len(STORIES)]
        requested = FIRST_DAY + timedelta(days=int(number * step) + rng.randint(0, 3))
        if number >= ENGAGEMENTS - 4:  # the last ones are still open
            # answered (intro set): an unanswered one would be stale (request.stale)
            story = ("intro", "intro", "intro", "accepted")[number - (ENGAGEMENTS - 4)]
            requested = LAST_DAY - timedelta(days=(ENGAGEMENTS - number) * 6)
        offer = offers[number % len(offers)]
        # standing: only coaches who signed the charter version in force (the .. standing rule)
        since = max((d for d in in_force if d <= requested.isoformat()), default="")
        eligible = [c for c in coaches if c.charter_since >= since]
        free = [c for c in eligible if offer in c.offers and c.free_from <= requested]
        if not free:
            free = [c for c in eligible if c.free_from <= requested]
            offer = rng.choice(free[0].offers)
            free = [c for c in free if offer in c.offers]
        rng.shuffle(free)
        coach = free[0]
        preferences = [c.id for c in free[:3]]
        year = requested.year
        sequence[year] = sequence.get(year, 0) + 1
        engagement_id = f"{year}-{sequence[year]:04d}"
        team = number % 9 == 4
        history: list[dict[str, Any]] = [{"state": "requested", "date": requested.isoformat()}]
        day = requested
        if review:
            day += timedelta(days=rng.randint(1, 3))
            history.append({"state": "reviewed", "date": day.isoformat()})
        sessions: list[dict[str, Any]] = []
        chosen: str | None = None
        if story in ("requested", "reviewed"):
            history = history[: 1 if story == "requested" else 2]
        elif story in ("expired", "closed") and review:
            history.append({"state": story, "date": (day + timedelta(days=8)).isoformat()})
        else:
            day += timedelta(days=rng.randint(1, 4))
            history.append({"state": "intro", "date": day.isoformat(), "coach": coach.id})
            chosen = coach.id
            intro_day = day + timedelta(days=rng.randint(2, 6))
            if story == "intro":
                intro_day = day
            sessions.append(_intro_session(intro_day, plan))
            day = intro_day + timedelta(days=rng.randint(1, 4))
            if story.startswith("declined"):
                history.append({"state": "declined", "date": day.isoformat()})
                if story == "declined-closed" or len(preferences) < 2:
                    history.append({"state": "closed", "date": day.isoformat()})
                    day = day + timedelta(days=1)
                    story = "declined-closed"
                else:
                    second = next(c for c in coaches if c.id == preferences[1])
                    day += timedelta(days=2)
                    history.append({"state": "intro", "date": day.isoformat(), "coach": second.id})
                    coach.free_from = day
                    coach = second
                    chosen = coach.id
                    intro_day = day + timedelta(days=3)
                    sessions.append(_intro_session(intro_day, plan))
                    day = intro_day + timedelta(days=2)
                    story = "completed"
            if story == "intro":
                pass
            elif story in ("withdrawn", "expired"):
                history.append({"state": story, "date": day.isoformat()})
            elif story != "declined-closed":
                history.append({"state": "accepted", "date": day.isoformat()})
                if story != "accepted":
                    day += timedelta(days=rng.randint(5, 10))
                    history.append({"state": "active", "date": day.isoformat()})
                    count = {"completed": int(plan["sessions"]), "ended": 2}.get(story, 0)
                    if story == "active":
                        count = max(0, min(int(plan["sessions"]) - 1, (LAST_DAY - day).days // 35))
                    planned = _sessions(rng, day, count, plan)
                    if planned and planned[-1]["date"] > (LAST_DAY - timedelta(days=8)).isoformat():
                        story = "active"  # not over yet on the last demo day
                        planned = [p for p in planned if p["date"] <= LAST_DAY.isoformat()]
                    sessions.extend(planned)
                    last = date.fromisoformat(sessions[-1]["date"])
                    if story in ("completed", "ended"):
                        day = last + timedelta(days=rng.randint(1, 7))
                        end: dict[str, Any] = {"state": story, "date": day.isoformat()}
                        if story == "ended":
                            end["reason"] = END_REASONS[number % len(END_REASONS)]
                        history.append(end)
                    else:
                        day = LAST_DAY
        coach.free_from = max(coach.free_from, day + timedelta(days=1))
        accepted = next((s["date"] for s in history if s["state"] == "accepted"), None)
        cohort_day = accepted or requested.isoformat()
        cohort = next((c.id for c in cohorts if c.opens <= cohort_day <= c.closes), cohorts[-1].id)
        record: dict[str, Any] = {
            "schema_version": 1,
            "id": engagement_id,
            "client": client_code(f"demo-client-{number + 1:03d}@phares-balises.example", DEMO_KEY),
            "contract_type": contracts[number % len(contracts)],
            "unit": f"U2/U{10 + number % 7}/U{100 + number}",
            "manages_unit": team or number % 5 == 0,
            "cohort": cohort,
            "offer": offer,
            "expertise": rng.choice(coach.expertise),
            "language": rng.choice(coach.languages),
            "kind": "team" if team else "individual",
            "initiated_by": ("self", "self", "manager", "programme")[number % 4],
            "preferences": preferences,
        }
        if chosen is not None:
            record["coach"] = chosen
        record["history"] = history
        if sessions:
            record["sessions"] = sessions
        if history[-1]["state"] == "completed":
            record["satisfaction"] = rng.randint(3, 5)
        files[f"engagements/{engagement_id}.yml"] = HEADER["engagements"] + NOTE + dump_yaml(record)
    for coach in coaches:
        entries = _supervision_log(rng, coach.supervision, FIRST_DAY - timedelta(days=365))
        log = {"schema_version": 1, "coach": coach.id, "sessions": entries}
        files[f"supervision/{coach.id}.yml"] = HEADER["supervision"] + NOTE + dump_yaml(log)
    files["coach-units.yml"] = _coach_units(coaches)
    files.update(_immersions(root, programme, IMMERSIONS, LAST_DAY, "demo-agent"))
    files.update(group_records(root, programme, LAST_DAY))
    return dict(sorted(files.items()))


#: the demo's immersion records: one per immersion offer of the sample, at most this many
IMMERSIONS = 3
#: the answer of the n-th immersion request, cycled (a postponement gives a reason code)
IMMERSION_ANSWERS = (("accepted", None), ("postponed", "period-unsuitable"), ("accepted", None))


def _immersion_days(offer: ImmersionOffer, earliest: date, count: int, gap: int) -> list[str]:
    """``count`` weekdays of one of the offer's periods (its second week on), from
    ``earliest`` on, one in every
    ``gap`` weekdays (1: consecutive); none when no period has room for them."""
    for period in offer.periods:
        # not on the period's first days: a record's day is not a date the offer's page shows
        day = max(date.fromisoformat(period.start) + timedelta(days=8), earliest)
        end = date.fromisoformat(period.end)
        picked: list[str] = []
        skip = 0
        while day <= end and len(picked) < count:
            if day.weekday() < 5:
                if skip == 0:
                    picked.append(day.isoformat())
                skip = (skip + 1) % gap
            day += timedelta(days=1)
        if len(picked) == count:
            return picked
    return []


def _immersions(
    root: Path, programme: Programme, count: int, last: date, agent: str
) -> dict[str, str]:
    """``count`` immersion records (``immersions/<YYYY-NNNN>.yml``) over the directory's
    immersion offers in turn, each for its own agent, valid under every immersion rule: asked
    for 3 months or more ahead (weekly, or over 240 days when more, the last one 4 weeks
    before ``last``), answered within
    2 weeks, 2 to 10 weekdays within a period of the offer and its days min/max. An offer that
    is closed is only ever answered. None when the directory has no immersion offer."""
    offers, _ = load_immersions(root, programme)
    offers = sorted(offers, key=lambda o: o.id)
    contracts = programme.eligible_contract_types
    reasons = programme.immersion_reasons
    if not offers or not contracts:
        return {}
    files: dict[str, str] = {}
    sequence: dict[int, int] = {}
    span = min(7 * (count - 1), 240)
    for number in range(count):
        offer = offers[number % len(offers)]
        back = (count - 1 - number) * span // max(count - 1, 1)
        requested = last - timedelta(days=28 + back)
        wanted = max(offer.days_min, min(offer.days_max, 3 + number % 3))
        earliest = months_after(requested, 3) + timedelta(days=7 * (number % 5))
        days = _immersion_days(offer, earliest, wanted, 1 + number % 2)
        if not days:
            continue
        decision, reason = IMMERSION_ANSWERS[number % len(IMMERSION_ANSWERS)]
        year = requested.year
        sequence[year] = sequence.get(year, 0) + 1
        record_id = f"{year}-{sequence[year]:04d}"
        answer: dict[str, Any] = {
            "date": (requested + timedelta(days=7 + number % 8)).isoformat(),
            "decision": decision,
        }
        if reason is not None:
            answer["reason"] = reason if reason in reasons else reasons[0]
        record: dict[str, Any] = {
            "schema_version": 1,
            "id": record_id,
            "offer": offer.id,
            "client": client_code(f"{agent}-{number + 1:06d}@phares-balises.example", DEMO_KEY),
            "contract_type": contracts[number % len(contracts)],
            "unit": f"U2/U{10 + number % 7}/U{300 + number}",
            "requested": requested.isoformat(),
            "answer": answer,
            "days": days,
        }
        text = HEADER["immersions"] + NOTE + dump_yaml(record)
        files[f"immersions/{record_id}.yml"] = text
    return files


def _supervision_log(rng: random.Random, last: date, since: date) -> list[dict[str, Any]]:
    """A coach's supervision sessions, every 80 to 110 days back from ``last`` to ``since``,
    in date order."""
    entries = []
    day = last
    while day >= since:
        entries.append(
            {"date": day.isoformat(), "minutes": 90, "kind": rng.choice(("group", "individual"))}
        )
        day -= timedelta(days=rng.randint(80, 110))
    return entries[::-1]


def _coach_units(coaches: list[_Coach]) -> str:
    """``coach-units.yml``: each coach in a unit of ``U1``, off every client's line (``U2``,
    ``U3``). Every coach: the records' loader gives this file its own size cap
    (``COACH_UNITS_MAX_BYTES``, room for some 60,000 coaches)."""
    units = {
        c.id: {"unit": f"U1/U{20 + i}", "manages_unit": i % 3 == 0} for i, c in enumerate(coaches)
    }
    text = HEADER["units"] + NOTE + dump_yaml({"schema_version": 1, "coaches": units})
    if len(text.encode("utf-8")) > COACH_UNITS_MAX_BYTES:
        raise InvalidInput(
            f"{len(coaches)} coaches do not fit in coach-units.yml "
            f"({COACH_UNITS_MAX_BYTES // 1024 // 1024} MiB); use fewer coaches"
        )
    return text


def write_demo_records(
    root: Path, programme: Programme, out: Path, seed: int, engagements: int | None = None
) -> list[Path]:
    """Write the demo records of ``root``'s coaches into ``out``, a new or empty folder
    (``engagements`` synthetic ones for benchmarks when given)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty folder; choose a new one")
    if engagements is not None:
        return write_records(out, generate_scaled_records(root, programme, engagements, seed))
    return write_records(out, generate_records(root, programme, seed))


def write_records(out: Path, files: dict[str, str]) -> list[Path]:
    """Write the generated files under ``out``."""
    written = []
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _intro_session(day: date, plan: dict[str, Any]) -> dict[str, Any]:
    """A held intro session of the plan's length on ``day``."""
    return {
        "date": day.isoformat(),
        "minutes": int(plan["intro_minutes"]),
        "kind": "intro",
        "status": "held",
    }


class _Scale:
    """What the scaled generator tracks to keep every rule: each coach's places (the day each
    place is free again), each cohort's places taken, and standing, checked with the
    validator's own ``standing.lapses`` against the generated supervision logs."""

    def __init__(self, programme: Programme, coaches: list[_Coach], logs: dict[str, Any]) -> None:
        self.cohorts = programme.cohorts
        self.taken = {c.id: 0 for c in self.cohorts}
        self.places = {
            c.id: [date.min] * max(1, int(c.profile.get("capacity") or 1)) for c in coaches
        }
        supervision = {
            coach: (Loaded(coach, None), tuple(SupervisionEntry(**e) for e in entries))
            for coach, entries in logs.items()
        }
        self.records = Records(supervision=supervision)
        self.context = RecordContext(
            programme, LAST_DAY, tuple(c.id for c in coaches), {c.id: c.profile for c in coaches}
        )

    def cohort(self, day: date) -> str | None:
        """The cohort open on ``day`` with a free place."""
        iso = day.isoformat()
        return next(
            (
                c.id
                for c in self.cohorts
                if c.opens <= iso <= c.closes and self.taken[c.id] < c.places
            ),
            None,
        )

    def can_accept(self, coach: _Coach, day: date) -> bool:
        """Whether ``coach`` has a free place and is in standing on ``day``."""
        if min(self.places[coach.id]) > day:
            return False
        return next(lapses(coach.id, day.isoformat(), self.records, self.context), None) is None

    def hold(self, coach: _Coach, cohort: str, until: date) -> None:
        """Take one of ``coach``'s places up to ``until`` and one place of ``cohort``."""
        places = self.places[coach.id]
        places[places.index(min(places))] = until
        self.taken[cohort] += 1


def generate_scaled_records(
    root: Path, programme: Programme, engagements: int, seed: int = 2026
) -> dict[str, str]:
    """``engagements`` synthetic engagements for the benchmark (``coachdir demo --records
    --engagements N``) over ``root``'s coaches, evenly over time (at most 9,000 requests a
    year, so ids stay ``YYYY-NNNN``), each with its own client and unit, with supervision logs
    and ``coach-units.yml``. The stories cycle like the demo's (completed, active, ended,
    declined then accepted or closed, withdrawn, expired, closed; the last ones still at intro
    or accepted), with sessions. An engagement is accepted only when its coach has a free
    place and is in standing that day and a cohort open that day has a place; otherwise the
    request is withdrawn after the intro. Linear and deterministic; valid under every rule
    when the cohorts have places enough. The committed demo records come from
    ``generate_records``, which this leaves unchanged."""
    rng = random.Random(seed)  # noqa: S311 - fictional demo data, reproducible on purpose
    languages = {t.id for t in programme.vocabulary("languages")}
    coaches = _coaches(root, languages, programme.charter_dates)
    if not coaches:
        raise InvalidInput("no accepting coach with a supervision date; run coachdir validate")
    contracts = programme.eligible_contract_types
    plan: dict[str, Any] = dict(programme.session_plan)
    review = programme.programme_review
    years = max(1, -(-engagements // 9000))
    last = LAST_DAY - timedelta(days=30)
    first = date(last.year - years + 1, 1, 1)
    step = (last - first).days / max(engagements, 1)
    files: dict[str, str] = {}
    logs = {
        c.id: _supervision_log(rng, c.supervision, first - timedelta(days=365)) for c in coaches
    }
    scale = _Scale(programme, coaches, logs)
    # Clients spread over the programme's entities (their unit codes), one in eight outside
    # them, so the scaled indicators' entity tables are not all "other".
    bases = sorted(set(programme.entity_units().values())) or ["U3"]
    one_to_one = set(programme.offers_of_kind("coaching", "mentoring"))
    sequence: dict[int, int] = {}
    turn = 0
    for number in range(engagements):
        story = STORIES[number % len(STORIES)]
        requested = first + timedelta(days=int(number * step))
        if number >= engagements - 4:
            story = ("intro", "intro", "intro", "accepted")[number - (engagements - 4)]
        year = requested.year
        sequence[year] = sequence.get(year, 0) + 1
        engagement_id = f"{year}-{sequence[year]:04d}"
        team = number % 9 == 4
        history: list[dict[str, Any]] = [{"state": "requested", "date": requested.isoformat()}]
        day = requested
        if review:
            day += timedelta(days=rng.randint(1, 3))
            history.append({"state": "reviewed", "date": day.isoformat()})
        sessions: list[dict[str, Any]] = []
        chosen: _Coach | None = None
        preferences = [coaches[(turn + i) % len(coaches)].id for i in range(min(3, len(coaches)))]
        cohort = scale.cohort(requested) or scale.cohorts[-1].id
        if story in ("expired", "closed"):
            history.append({"state": story, "date": (day + timedelta(days=8)).isoformat()})
        else:
            intro = day + timedelta(days=rng.randint(1, 4))
            held = intro if story == "intro" else intro + timedelta(days=rng.randint(2, 6))
            answer = held + timedelta(days=rng.randint(1, 4))
            if story.startswith("declined"):
                declined = coaches[turn % len(coaches)]
                history.append({"state": "intro", "date": intro.isoformat(), "coach": declined.id})
                sessions.append(_intro_session(held, plan))
                history.append({"state": "declined", "date": answer.isoformat()})
                chosen = declined
                if story == "declined-closed":
                    history.append({"state": "closed", "date": answer.isoformat()})
                    story = ""
                else:
                    intro = answer + timedelta(days=2)
                    held = intro + timedelta(days=3)
                    answer = held + timedelta(days=2)
                    story = "completed"
                    turn += 1
            if story:
                accepts = story not in ("intro", "withdrawn")
                open_cohort = scale.cohort(answer) if accepts else None
                candidates = [coaches[(turn + i) % len(coaches)] for i in range(8)]
                able = [c for c in candidates if open_cohort and scale.can_accept(c, answer)]
                chosen = able[0] if able else candidates[0]
                if accepts and not able:
                    story = "withdrawn"
                history.append({"state": "intro", "date": intro.isoformat(), "coach": chosen.id})
                sessions.append(_intro_session(held, plan))
                if chosen.id in preferences:
                    preferences.remove(chosen.id)
                preferences = [chosen.id, *preferences][:3]
                if story == "withdrawn":
                    history.append({"state": "withdrawn", "date": answer.isoformat()})
                elif story != "intro" and open_cohort is not None:
                    cohort = open_cohort
                    until = _scaled_engagement(rng, story, number, answer, plan, history, sessions)
                    scale.hold(chosen, cohort, until)
            turn += 1
        coach = chosen or coaches[turn % len(coaches)]
        record: dict[str, Any] = {
            "schema_version": 1,
            "id": engagement_id,
            "client": client_code(f"bench-client-{number + 1:06d}@bench.example", DEMO_KEY),
            "contract_type": contracts[number % len(contracts)],
            "unit": _scaled_unit(bases, number),
            "manages_unit": team or number % 5 == 0,
            "cohort": cohort,
            "offer": _scaled_offer(coach, one_to_one, number),
            "expertise": coach.expertise[number % len(coach.expertise)],
            "language": coach.languages[number % len(coach.languages)],
            "kind": "team" if team else "individual",
            "initiated_by": ("self", "self", "manager", "programme")[number % 4],
            "preferences": preferences,
        }
        if chosen is not None:
            record["coach"] = chosen.id
        record["history"] = history
        if sessions:
            record["sessions"] = sessions
        if history[-1]["state"] == "completed":
            record["satisfaction"] = 3 + number % 3
        files[f"engagements/{engagement_id}.yml"] = HEADER["engagements"] + NOTE + dump_yaml(record)
    for coach in coaches:
        log = {"schema_version": 1, "coach": coach.id, "sessions": logs[coach.id]}
        files[f"supervision/{coach.id}.yml"] = HEADER["supervision"] + NOTE + dump_yaml(log)
    files["coach-units.yml"] = _coach_units(coaches)
    immersions = min(SCALED_IMMERSIONS_MAX, max(IMMERSIONS, engagements // 20))
    files.update(_immersions(root, programme, immersions, LAST_DAY, "bench-agent"))
    files.update(group_records(root, programme, LAST_DAY, "bench-member"))
    return dict(sorted(files.items()))


#: the scaled demo's immersion records: one for every 20 engagements, at most this many
SCALED_IMMERSIONS_MAX = 2000


def _scaled_unit(bases: list[str], number: int) -> str:
    """A synthetic client's unit: under one of the entities' unit codes in turn, or (one in
    eight) under U3, which no sample entity holds."""
    base = "U3" if number % 8 == 7 else bases[number % len(bases)]
    return f"{base}/U{500 + number % 97}/U{1000 + number}"


def _scaled_offer(coach: _Coach, one_to_one: set[str], number: int) -> str:
    """One of the coach's one-to-one offers (coaching or mentoring kind): groups and
    immersions have records of their own."""
    offers = [o for o in coach.offers if o in one_to_one] or sorted(one_to_one)
    return offers[number % len(offers)]


def _scaled_engagement(
    rng: random.Random,
    story: str,
    number: int,
    accepted: date,
    plan: dict[str, Any],
    history: list[dict[str, Any]],
    sessions: list[dict[str, Any]],
) -> date:
    """Accept on ``accepted`` and play ``story`` (accepted, active, completed or ended) out;
    the day the coach's place is free again (never, while the engagement is open). Only the
    engagements still running on the last demo day stay active."""
    history.append({"state": "accepted", "date": accepted.isoformat()})
    if story == "accepted":
        return date.max
    day = accepted + timedelta(days=rng.randint(5, 10))
    history.append({"state": "active", "date": day.isoformat()})
    count = {"ended": 2}.get(story, int(plan["sessions"]))
    planned = _sessions(rng, day, count, plan)
    if planned[-1]["date"] > (LAST_DAY - timedelta(days=8)).isoformat():
        sessions.extend(p for p in planned if p["date"] <= LAST_DAY.isoformat())
        return date.max  # not over yet on the last demo day
    sessions.extend(planned)
    story = "completed" if story == "active" else story
    end = date.fromisoformat(planned[-1]["date"]) + timedelta(days=rng.randint(1, 7))
    step: dict[str, Any] = {"state": story, "date": end.isoformat()}
    if story == "ended":
        step["reason"] = END_REASONS[number % len(END_REASONS)]
    history.append(step)
    return end + timedelta(days=1)
