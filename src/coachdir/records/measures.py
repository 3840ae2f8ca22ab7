"""What the group and immersion records give the indicators (coachdir.indicators.measures):
the memberships that became active, the group sessions held with who was present, and the
days of the accepted immersion periods, as plain values."""

from __future__ import annotations

from collections.abc import Sequence

from coachdir.indicators.measures import GroupMember, GroupSessionHeld, ImmersionDay
from coachdir.offerings.groups import Group
from coachdir.programme import Programme
from coachdir.records.files import Records


def scheme_inputs(
    programme: Programme, records: Records, groups: Sequence[Group]
) -> tuple[list[GroupMember], list[GroupSessionHeld], list[ImmersionDay]]:
    """The inputs of :func:`coachdir.indicators.measures.scheme_observations`, from valid
    records and the directory's groups (a membership of a group that is not there counts
    nowhere: validation has refused it already)."""
    offers = programme.offers_of_kind("immersion")
    immersion = offers[0] if offers else "immersion"
    days = [
        ImmersionDay(record.client, record.unit, immersion, day)
        for _, record in records.immersions
        if record.accepted
        for day in record.days
    ]
    by_id = {g.id: g for g in groups}
    members: list[GroupMember] = []
    clients: dict[str, str] = {}
    for _, m in records.groups.memberships:
        group = by_id.get(m.group)
        if group is None:
            continue
        clients[m.id] = m.client
        active = next((s.date for s in m.history if s.state == "active"), None)
        if active is not None:
            lead = group.facilitators[0] if group.facilitators else None
            members.append(GroupMember(m.client, m.unit, group.scheme, active, lead))
    sessions: list[GroupSessionHeld] = []
    for gid, (_, attendance) in sorted(records.groups.attendance.items()):
        group = by_id.get(gid)
        if group is None:
            continue
        lead = group.facilitators[0] if group.facilitators else None
        for sid, held in sorted(attendance.sessions.items()):
            planned = group.session(sid)
            if held.status != "held" or planned is None:
                continue
            present = tuple(clients[p] for p in held.present if p in clients)
            if present:
                sessions.append(GroupSessionHeld(group.scheme, planned.date, lead, present))
    return members, sessions, days
