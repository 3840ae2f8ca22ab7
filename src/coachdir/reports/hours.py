"""A coach's practice log and supervision evidence from the records (``coachdir hours``), in
the shape credential bodies (ICF, EMCC) ask for. Internal: nothing here is published.

Practice: one row per engagement of the coach that started (reached ``active``): client code,
start (the first held coaching session, else the ``active`` date), end (the final state's date,
blank while ongoing), individual or group, hours (held coaching sessions; intro conversations
are not coaching hours) and paid or pro bono (``coaching_hours.paid``, default pro bono).
Records hold no team size, so a team engagement's group size is "team".

Group facilitation counts as group coaching, as ICF's coaching log counts it: one row per group
the coach facilitates (the group id in place of a client code, its held sessions' planned
minutes, the largest number of members present as the group size). A mentoring engagement is
not coaching: it is left out of the log and of the ratio.

Supervision: hours per quarter from ``supervision/<coach>.yml`` beside the practice hours of the
quarter, the ratio of practice to supervision hours, and a warning when the ratio passes 35:1
(EMCC's guideline) or when a quarter with practice has no supervision.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coachdir.records.model import Engagement, SupervisionEntry
from coachdir.reports.activity import coach_engagements, coaching_minutes, started
from coachdir.reports.facilitation import FacilitatedSession

#: EMCC: at least one hour of supervision for every 35 hours of practice
MAX_RATIO = 35
#: the size shown for a team engagement (records do not hold the team's size)
TEAM_SIZE = "team"
#: what a spreadsheet reads as a formula when a cell starts with it
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PracticeRow:
    client: str
    start: str
    end: str
    group: bool
    minutes: int
    paid: bool
    #: a facilitated group's size (the most members present at one session)
    size: int | None = None

    @property
    def hours(self) -> str:
        return f"{self.minutes / 60:.2f}"


@dataclass(frozen=True)
class QuarterRow:
    quarter: str
    practice_minutes: int
    supervision_minutes: int

    @property
    def warning(self) -> str:
        if self.practice_minutes and not self.supervision_minutes:
            return "no supervision this quarter"
        if (
            self.supervision_minutes
            and self.practice_minutes > MAX_RATIO * self.supervision_minutes
        ):
            return f"ratio above {MAX_RATIO}:1"
        return ""


@dataclass(frozen=True)
class HoursLog:
    coach: str
    practice: tuple[PracticeRow, ...]
    quarters: tuple[QuarterRow, ...]
    #: the profile's ``supervision.last`` (a day, without hours: never counted in the hours)
    profile_last: str | None = None

    @property
    def practice_minutes(self) -> int:
        return sum(r.minutes for r in self.practice)

    @property
    def supervision_minutes(self) -> int:
        return sum(q.supervision_minutes for q in self.quarters)

    @property
    def ratio(self) -> str:
        """Practice hours per supervision hour, e.g. "12.3:1" ("no supervision" when none)."""
        if not self.supervision_minutes:
            return "no supervision hours logged"
        return f"{self.practice_minutes / self.supervision_minutes:.1f}:1"

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.practice_minutes and not self.supervision_minutes and self.profile_last:
            out.append(
                f"Warning: practice hours and no supervision hours in the supervision log "
                f"(records supervision/{self.coach}.yml); the profile's supervision.last says "
                f"{self.profile_last}, without hours: log that session's hours there."
            )
        elif self.practice_minutes and not self.supervision_minutes:
            out.append(
                "Warning: practice hours and no supervision at all (neither in the supervision "
                "log nor in the profile's supervision.last)."
            )
        elif self.practice_minutes > MAX_RATIO * self.supervision_minutes:
            out.append(f"Warning: {self.ratio} practice to supervision hours passes {MAX_RATIO}:1.")
        for q in self.quarters:
            if q.practice_minutes and not q.supervision_minutes:
                out.append(f"Warning: {q.quarter} has practice hours and no supervision.")
        return out


def quarter_of(day: str) -> str:
    """``YYYY-MM-DD`` -> ``YYYY-Qn``."""
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def _quarters(first: str, last: str) -> list[str]:
    year, q = int(first[:4]), int(first[-1])
    out = []
    while f"{year}-Q{q}" <= last:
        out.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def _practice_row(engagement: Engagement, paid: bool) -> PracticeRow:
    held = sorted(s.date for s in engagement.sessions if s.kind == "session" and s.status == "held")
    begin = held[0] if held else engagement.date_of("active") or ""
    last = engagement.history[-1]
    end = last.date if last.state in ("completed", "ended") else ""
    return PracticeRow(
        engagement.client, begin, end, engagement.kind == "team", coaching_minutes(engagement), paid
    )


def hours_log(
    coach: str,
    engagements: Sequence[Engagement],
    supervision: Sequence[SupervisionEntry],
    *,
    paid: bool,
    profile_last: str | None = None,
    facilitation: Sequence[FacilitatedSession] = (),
    coaching: Callable[[Engagement], bool] = lambda e: True,
) -> HoursLog:
    """The practice log and the quarterly supervision evidence of ``coach``: hours from the
    records' supervision log; ``profile_last`` (the profile's ``supervision.last``, which the
    acceptance rule also reads) is a day without hours, named beside them. ``facilitation``:
    the coach's held group sessions; ``coaching``: whether an engagement is coaching (a
    mentoring one is not, and is left out)."""
    mine = [e for e in coach_engagements(coach, engagements) if started(e) and coaching(e)]
    rows = tuple(
        sorted(
            [*(_practice_row(e, paid) for e in mine), *_group_rows(facilitation, paid)],
            key=lambda r: (r.start, r.client),
        )
    )
    practice: dict[str, int] = {}
    for held in facilitation:
        practice[quarter_of(held.date)] = practice.get(quarter_of(held.date), 0) + held.minutes
    for e in mine:
        for s in e.sessions:
            if s.kind == "session" and s.status == "held":
                practice[quarter_of(s.date)] = practice.get(quarter_of(s.date), 0) + s.minutes
    supervised: dict[str, int] = {}
    for entry in supervision:
        supervised[quarter_of(entry.date)] = (
            supervised.get(quarter_of(entry.date), 0) + entry.minutes
        )
    known = sorted(set(practice) | set(supervised))
    quarters = (
        tuple(
            QuarterRow(q, practice.get(q, 0), supervised.get(q, 0))
            for q in _quarters(known[0], known[-1])
        )
        if known
        else ()
    )
    return HoursLog(coach, rows, quarters, profile_last)


def _group_rows(facilitation: Sequence[FacilitatedSession], paid: bool) -> list[PracticeRow]:
    by_group: dict[str, list[FacilitatedSession]] = {}
    for held in facilitation:
        by_group.setdefault(held.group, []).append(held)
    return [
        PracticeRow(
            group,
            min(s.date for s in held),
            "",
            True,
            sum(s.minutes for s in held),
            paid,
            max(len(s.present) for s in held),
        )
        for group, held in sorted(by_group.items())
    ]


def _safe(value: str) -> str:
    """A cell no spreadsheet runs as a formula (a leading ' when it starts like one)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[_safe(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def _kind(row: PracticeRow) -> tuple[str, str]:
    if row.size is not None:
        return "group", str(row.size)
    return ("group", TEAM_SIZE) if row.group else ("individual", "")


def practice_csv(log: HoursLog) -> str:
    """``practice.csv``: a header, one row per engagement, then a total row."""
    rows = [["client", "start", "end", "type", "group_size", "hours", "payment"]]
    for r in log.practice:
        rows.append(
            [r.client, r.start, r.end, *_kind(r), r.hours, "paid" if r.paid else "pro bono"]
        )
    rows.append(["total", "", "", "", "", f"{log.practice_minutes / 60:.2f}", ""])
    return _csv(rows)


def supervision_csv(log: HoursLog) -> str:
    """``supervision.csv``: one row per quarter, then a total row with the overall ratio."""
    rows = [["quarter", "practice_hours", "supervision_hours", "ratio", "warning"]]
    for q in log.quarters:
        ratio = (
            f"{q.practice_minutes / q.supervision_minutes:.1f}:1" if q.supervision_minutes else ""
        )
        rows.append(
            [
                q.quarter,
                f"{q.practice_minutes / 60:.2f}",
                f"{q.supervision_minutes / 60:.2f}",
                ratio,
                q.warning,
            ]
        )
    total_warning = "; ".join(w for w in log.warnings if "passes" in w or "at all" in w)
    rows.append(
        [
            "total",
            f"{log.practice_minutes / 60:.2f}",
            f"{log.supervision_minutes / 60:.2f}",
            log.ratio,
            total_warning,
        ]
    )
    return _csv(rows)


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|") or " "


def hours_markdown(log: HoursLog) -> str:
    """One Markdown document: the practice log, its totals, the supervision evidence."""
    individual = sum(r.minutes for r in log.practice if not r.group)
    group = sum(r.minutes for r in log.practice if r.group)
    out = [
        f"# Coaching practice log: {log.coach}",
        "",
        "| Client | Start | End | Individual or group | Group size | Hours | Payment |",
        "|---|---|---|---|---|---:|---|",
    ]
    for r in log.practice:
        kind, size = _kind(r)
        cells = [r.client, r.start, r.end or "ongoing", kind, size, r.hours]
        cells.append("paid" if r.paid else "pro bono")
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    out += [
        "",
        f"- Clients: {len({r.client for r in log.practice if r.size is None})}",
        f"- Individual coaching hours: {individual / 60:.2f}",
        f"- Group (team) coaching hours: {group / 60:.2f}",
        f"- Total coaching hours: {log.practice_minutes / 60:.2f}",
        "",
        "Hours are held coaching sessions; intro conversations are not counted. The records do "
        'not hold the size of a team, so a team engagement\'s group size is "team".',
        "",
        "## Supervision",
        "",
        "| Quarter | Practice hours | Supervision hours | Ratio | Warning |",
        "|---|---:|---:|---:|---|",
    ]
    for q in log.quarters:
        ratio = (
            f"{q.practice_minutes / q.supervision_minutes:.1f}:1" if q.supervision_minutes else ""
        )
        cells = [
            q.quarter,
            f"{q.practice_minutes / 60:.2f}",
            f"{q.supervision_minutes / 60:.2f}",
            ratio,
            q.warning,
        ]
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    out += [
        "",
        f"- Total supervision hours: {log.supervision_minutes / 60:.2f}",
        f"- Practice to supervision: {log.ratio} (EMCC asks for at most {MAX_RATIO}:1)",
        "- Last supervision in the profile (supervision.last): "
        + (log.profile_last or "none")
        + ". Hours come from the records' supervision log only: the profile gives a day, "
        "not hours.",
    ]
    warnings = log.warnings
    if warnings:
        out += ["", *(f"- **{w}**" for w in warnings)]
    return "\n".join(out) + "\n"
