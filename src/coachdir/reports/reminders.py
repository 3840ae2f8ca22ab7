"""The weekly reminders: lapsed supervision, expired credentials, outdated charter signatures."""

from __future__ import annotations

from collections.abc import Sequence

from coachdir.problems import Problem

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
