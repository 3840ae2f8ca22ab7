"""The weekly reminders: lapsed supervision, expired credentials, outdated charter signatures;
with records, the stale requests and the coaches whose standing has lapsed (by id only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coachdir.problems import Problem
from coachdir.records.cascade import after_decline
from coachdir.records.files import Records
from coachdir.records.model import FINAL_STATES
from coachdir.records.rules import RecordContext
from coachdir.records.rules import run as run_record_rules
from coachdir.records.rules.request import stale_days
from coachdir.records.rules.standing import lapses

SECTIONS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "Supervision absente ou de plus d'un an / Supervision missing or lapsed",
        frozenset({"supervision.lapsed", "supervision.missing"}),
    ),
    ("Certifications expirées / Expired credentials", frozenset({"credentials.expired"})),
    (
        "Charte signée dans une version ancienne / Outdated charter signature",
        frozenset({"charter.outdated"}),
    ),
)


def reminders_markdown(problems: Sequence[Problem], files: int, link_base: str = "") -> str:
    """Markdown for the tracking issue; '' when there is nothing to remind.

    ``link_base`` (e.g. ``https://github.com/org/repo/blob/<sha>``) turns each place into a
    link to the line.
    """
    out: list[str] = []
    count = 0
    for title, rules in SECTIONS:
        found = [p for p in problems if p.rule in rules]
        if not found:
            continue
        out += [f"## {title}", ""]
        for p in found:
            where = f"{p.path}:{p.line}"
            place = f"[{where}]({link_base}/{p.path}#L{p.line})" if link_base else f"`{where}`"
            out.append(f"- {place}: {p.message}")
            count += 1
        out.append("")
    errors = sum(1 for p in problems if p.severity == "error")
    if errors:
        out += [f"{errors} error(s) also block the build: run `coachdir validate`.", ""]
    if not count and not errors:
        return ""
    return "\n".join([f"{count} reminder(s) on {files} file(s).", "", *out])


#: what each standing rule means in a reminder (never the dates or values of the records)
LAPSE_LABELS: dict[str, str] = {
    "standing.supervision": "supervision lapsed / supervision échue",
    "standing.credential": "no valid qualifying credential / certification expirée ou absente",
    "standing.charter": "charter version not current / charte non à jour",
}


#: an intro that expired this many days ago or less is still reminded (the job runs weekly)
REMINDER_DAYS = 7


@dataclass(frozen=True)
class RecordReminders:
    """What the records add to the weekly reminders: ids only, never a record's content."""

    #: engagement ids of the requests with no answer within ``request_deadline_days``
    stale: tuple[str, ...] = ()
    #: (coach id, standing rule ids that have lapsed today)
    lapsed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the number of error problems in the records (they block CI; not detailed here)
    errors: int = 0
    deadline: int = 7
    #: (engagement id, the next coach to propose or None) after a decline or an expired intro
    next: tuple[tuple[str, str | None], ...] = ()


def record_reminders(records: Records, context: RecordContext) -> RecordReminders:
    """Stale requests (``request.stale``), the coaches whose standing has lapsed today
    (``standing.lapses`` on today's date), and the next coach to propose for each engagement
    whose coach declined or let the intro expire this week (records.cascade), from records
    that were loaded and checked.

    A coach is looked at when their profile accepts clients or they hold an open engagement
    (not in a final state): those are the ones a lapse can stop.
    """
    deadline = context.programme.request_deadline_days
    stale = sorted(
        engagement.id
        for _, engagement in records.engagements
        if stale_days(engagement, context.today, deadline) is not None
    )
    open_coaches = {
        e.coach for _, e in records.engagements if e.coach and e.state not in FINAL_STATES
    }
    day = context.today.isoformat()
    lapsed: list[tuple[str, tuple[str, ...]]] = []
    for coach in sorted(context.profiles):
        if context.profiles[coach].get("status") != "accepting" and coach not in open_coaches:
            continue
        rules = tuple(dict.fromkeys(rule for rule, _, _ in lapses(coach, day, records, context)))
        if rules:
            lapsed.append((coach, rules))
    problems = [*records.problems, *run_record_rules(records, context)]
    errors = sum(1 for p in problems if p.severity == "error")
    after = after_decline(records, context, within_days=REMINDER_DAYS)
    following = tuple((c.engagement, c.proposed) for c in after)
    return RecordReminders(tuple(stale), tuple(lapsed), errors, deadline, following)


def records_markdown(found: RecordReminders) -> str:
    """Markdown for the tracking issue's records part; '' when all is well."""
    out: list[str] = []
    if found.stale:
        out += ["## Demandes sans réponse / Stale requests", ""]
        out += [
            f"- `{eid}`: no answer within {found.deadline} days / sans réponse depuis plus de "
            f"{found.deadline} jours"
            for eid in found.stale
        ]
        out.append("")
    if found.lapsed:
        out += ["## Coachs hors conditions d'exercice / Coaches whose standing has lapsed", ""]
        out += [
            f"- `{coach}`: " + "; ".join(LAPSE_LABELS.get(r, r) for r in rules)
            for coach, rules in found.lapsed
        ]
        out.append("")
    if found.next:
        out += ["## Prochain coach à proposer / Next coach to propose", ""]
        out += [
            f"- `{eid}` → `{coach}`"
            if coach is not None
            else f"- `{eid}`: no preference left / aucune préférence restante"
            for eid, coach in found.next
        ]
        out.append("")
    if found.errors:
        out += [
            f"{found.errors} error(s) in the records also block CI: run "
            "`coachdir validate --records`.",
            "",
        ]
    if not out:
        return ""
    count = len(found.stale) + len(found.lapsed) + len(found.next)
    return "\n".join([f"{count} records reminder(s).", "", *out])
