"""``coachdir records show``: one engagement's record as text for the team's terminal (what
the record holds, client code included, and nothing else)."""

from __future__ import annotations

from coachdir.records.model import Engagement


def show_text(engagement: Engagement) -> str:
    """The engagement's fields, its steps and its sessions, one per line."""
    e = engagement
    lines = [
        f"engagement {e.id}: {e.state} (team terminal only: holds the client code)",
        f"  client: {e.client}",
        f"  coach: {e.coach or '-'}",
        f"  preferences: {', '.join(e.preferences) or '-'}",
        f"  offer: {e.offer}; expertise: {e.expertise}; language: {e.language}",
        f"  kind: {e.kind}; initiated by: {e.initiated_by}; cohort: {e.cohort}",
        f"  contract type: {e.contract_type}; unit: {e.unit}; manages unit: "
        + ("yes" if e.manages_unit else "no"),
        "  history:",
    ]
    for step in e.history:
        extra = f" coach {step.coach}" if step.coach else ""
        extra += f" reason {step.reason}" if step.reason else ""
        lines.append(f"    {step.date}  {step.state}{extra}")
    lines.append(f"  sessions: {len(e.sessions) or 'none'}")
    for s in e.sessions:
        rating = f" rating {s.rating}" if s.rating is not None else ""
        lines.append(f"    {s.date}  {s.kind} {s.minutes} min {s.status}{rating}")
    if e.satisfaction is not None:
        lines.append(f"  satisfaction: {e.satisfaction}")
    return "\n".join(lines) + "\n"
