"""pr-check's reporters: text, JSON and Markdown (kept under GitHub's summary limit)."""

from __future__ import annotations

import json
import re

from coachdir.github.changes import (
    _CONTROL,
    MAX_SUMMARY_BYTES,
    PUBLIC_REASONS,
    SUMMARY_RESERVE,
    Change,
    PrReport,
)
from coachdir.github.recordreasons import RECORD_REASONS

# --------------------------------------------------------------------------- reports


def _show_path(path: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)


def _change_label(change: Change) -> str:
    if change.old_path is not None and change.status == "renamed":
        return f"{_show_path(change.old_path)} -> {_show_path(change.path)}"
    if change.old_path is not None:
        return f"{_show_path(change.path)} (copy of {_show_path(change.old_path)})"
    return _show_path(change.path)


def _summary(report: PrReport) -> str:
    team = sum(1 for c in report.changes if c.needs_team)
    total = len(report.changes)
    if not total:
        return "no change between the merge base and the head: the author may merge."
    if team:
        verb = "requires" if team == 1 else "require"
        noun = "change" if total == 1 else "changes"
        return (
            f"{team} of {total} {noun} {verb} the programme team's approval: "
            "request a review from the programme team."
        )
    if total == 1:
        return "the one change is the author's own: the author may merge."
    return f"all {total} changes are the author's own: the author may merge."


def format_text(report: PrReport) -> str:
    """Plain text for logs: one line per change, its reasons indented, then the verdict."""
    out = [
        f"pull request by @{report.author}: merge base {report.merge_base[:12]}, "
        f"head {report.head[:12]}"
    ]
    for change in report.changes:
        out.append(f"{change.verdict:<6}  {change.status:<12}  {_change_label(change)}")
        out.extend(f"        - {_show_path(reason)}" for reason in change.reasons)
    verdict = "team approval required" if report.needs_team else "the author may merge"
    out.append(f"verdict: {verdict} ({_summary(report)})")
    return "\n".join(out)


def format_json(report: PrReport) -> str:
    """Machine-readable report (commit ids, verdicts, reasons and rule ids)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def _code(text: str) -> str:
    """A Markdown code span safe inside a GitHub table cell."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "
    return f"{fence}{text.replace('|', chr(92) + '|')}{fence}"


def _cell(text: str) -> str:
    """Plain text for a table cell: Markdown punctuation escaped, one line."""
    text = _CONTROL.sub(" ", text)
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~@&])", r"\\\1", text)


def public_reason(rule: str) -> str:
    """The sentence without personal data for a rule id (``protected-field:charter``...)."""
    name, _, field = rule.partition(":")
    template = PUBLIC_REASONS.get(name) or RECORD_REASONS.get(name, "needs the programme team")
    return template.replace("{field}", field)


def format_markdown(report: PrReport) -> str:
    """A pull request comment: the verdict and a table of changes (paths and field names only)."""
    if report.needs_team:
        title = "### Programme team approval required"
    else:
        title = "### The author may merge this pull request"
    out = [title, "", _cell(_summary(report))]
    if report.changes:
        out += ["", "| File | Change | Approval | Why |", "| --- | --- | --- | --- |"]
        # GitHub refuses job summaries over 1 MiB: list what fits, then count the rest.
        used = sum(len(line.encode("utf-8")) + 1 for line in out) + SUMMARY_RESERVE
        for listed, change in enumerate(report.changes):
            if change.old_path is not None:
                arrow = "→" if change.status == "renamed" else "copied from"
                if change.status == "renamed":
                    path = f"{_code(change.old_path)} {arrow} {_code(change.path)}"
                else:
                    path = f"{_code(change.path)} ({arrow} {_code(change.old_path)})"
            else:
                path = _code(change.path)
            approval = "programme team" if change.needs_team else "author"
            why = "; ".join(dict.fromkeys(public_reason(r) for r in change.rules))
            row = f"| {path} | {change.status} | {approval} | {_cell(why)} |"
            used += len(row.encode("utf-8")) + 1
            if used > MAX_SUMMARY_BYTES:
                rest = len(report.changes) - listed
                noun = "change" if rest == 1 else "changes"
                out += [
                    "",
                    f"… and {rest:,} more {noun} (not listed: the summary is limited to 1 MiB)",
                ]
                break
            out.append(row)
    return "\n".join(out) + "\n"
