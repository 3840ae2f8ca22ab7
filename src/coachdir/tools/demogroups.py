"""The demo group records (``coachdir demo --records``): memberships and attendance for the
sample's groups (``groups/<id>.yml``), clearly fictional and deterministic, valid under every
rule of :mod:`coachdir.records.rules.group`.

- a group whose status is ``full`` gets ``places.max`` members, accepted a month before its
  first session and active from it, with the attendance of its sessions held by the last demo
  day;
- any other group gets a few requests: most accepted, one still requested and one declined.

Members are peers: each in a unit of their own under the programme's entities (no one manages
a unit that contains another's), off every coach's line (coaches sit under ``U1``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coachdir.emit import dump_yaml
from coachdir.layout import COACHES_DIR
from coachdir.offerings.groups import Group, load_groups
from coachdir.programme import Programme
from coachdir.records.groups import ATTENDANCE_FILE
from coachdir.records.pseudonym import DEMO_KEY, client_code

HEADER = {
    "membership": "# yaml-language-server: $schema=../../../schemas/group-membership.schema.json\n",
    "attendance": "# yaml-language-server: $schema=../../../schemas/group-attendance.schema.json\n",
}
NOTE = "# Fictional demo record (coachdir demo --records): no real person.\n"
#: the stories of the requests to a group that is not full, in turn
OPEN_STORIES = ("accepted", "accepted", "declined", "accepted", "requested")


def _day(d: date) -> str:
    return d.isoformat()


def _history(story: str, requested: date, first_session: date) -> list[dict[str, str]]:
    history = [{"state": "requested", "date": _day(requested)}]
    if story == "requested":
        return history
    answer = requested + timedelta(days=5)
    if story == "declined":
        return [*history, {"state": "declined", "date": _day(answer)}]
    history.append({"state": "accepted", "date": _day(answer)})
    if story == "active":
        history.append({"state": "active", "date": _day(first_session)})
    return history


def group_records(
    root: Path, programme: Programme, last_day: date, identity: str = "demo-member"
) -> dict[str, str]:
    """The group records of ``root``'s groups as relative path -> file text; no date after
    ``last_day``. ``identity`` names the fictional members' addresses (hashed into codes)."""
    coach_ids = sorted(p.stem for p in (root / COACHES_DIR).glob("*.yml"))
    groups, _ = load_groups(root, programme, coach_ids)
    contracts = programme.eligible_contract_types or programme.vocabulary_ids("contract_types")
    bases = sorted(set(programme.entity_units().values())) or ["U3"]
    files: dict[str, str] = {}
    number = 0
    for group in sorted(groups, key=lambda g: g.id):
        first = date.fromisoformat(group.sessions[0].date)
        full = group.status == "full"
        count = group.places_max if full else min(len(OPEN_STORIES), group.places_max)
        # requests arrive a week apart, the last one three weeks before the first session or
        # the last demo day, whichever comes first
        last_request = min(first - timedelta(days=21), last_day - timedelta(days=7))
        ids: list[str] = []
        for turn in range(count):
            number += 1
            story = "active" if full else OPEN_STORIES[turn]
            if story == "active" and first > last_day:
                story = "accepted"
            requested = last_request - timedelta(days=7 * (count - 1 - turn))
            membership_id = f"G-{requested.year}-{number:04d}"
            record: dict[str, Any] = {
                "schema_version": 1,
                "id": membership_id,
                "group": group.id,
                "client": client_code(f"{identity}-{number:03d}@phares-balises.example", DEMO_KEY),
                "contract_type": contracts[number % len(contracts)],
                "unit": f"{bases[number % len(bases)]}/U{800 + number % 50}/U{700 + number}",
                "manages_unit": number % 4 == 0,
                "history": _history(story, requested, first),
            }
            files[f"groups/{group.id}/{membership_id}.yml"] = (
                HEADER["membership"] + NOTE + dump_yaml(record)
            )
            if story == "active":
                ids.append(membership_id)
        if full and ids:
            files.update(_attendance(group, ids, last_day))
    return files


def _attendance(group: Group, ids: list[str], last_day: date) -> dict[str, str]:
    """The sessions held by ``last_day``: everyone present, but one member in turn."""
    sessions: dict[str, Any] = {}
    for turn, session in enumerate(group.sessions):
        if session.date > _day(last_day):
            break
        absent = ids[turn % len(ids)]
        sessions[session.id] = {"status": "held", "present": [i for i in ids if i != absent]}
    if not sessions:
        return {}
    document = {"schema_version": 1, "group": group.id, "sessions": sessions}
    return {
        f"groups/{group.id}/{ATTENDANCE_FILE}": HEADER["attendance"] + NOTE + dump_yaml(document)
    }
