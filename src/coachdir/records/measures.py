"""What the group and immersion records give the indicators (coachdir.indicators.measures):
the memberships that became active, the group sessions held with who was present, and the
days of the accepted immersion periods, as plain values."""

from __future__ import annotations


from coachdir.indicators.measures import GroupMember, GroupSessionHeld, ImmersionDay
from coachdir.programme import Programme
from coachdir.records.files import Records


def scheme_inputs(
    programme: Programme, records: Records
) -> tuple[list[GroupMember], list[GroupSessionHeld], list[ImmersionDay]]:
    """The inputs of :func:`coachdir.indicators.measures.scheme_observations`."""
    offers = programme.offers_of_kind("immersion")
    immersion = offers[0] if offers else "immersion"
    days = [
        ImmersionDay(record.client, record.unit, immersion, day)
        for _, record in getattr(records, "immersions", [])
        if record.accepted
        for day in record.days
    ]
    members, sessions = _groups(records)
    return members, sessions, days


def _groups(records: Records) -> tuple[list[GroupMember], list[GroupSessionHeld]]:
    """Group memberships and sessions (none until the group records are loaded)."""
    members: list[GroupMember] = []
    sessions: list[GroupSessionHeld] = []
    return members, sessions
