"""Transitions: an engagement's history follows the state machine of ``records.model``.

Only allowed transitions, starting with ``requested``; dates in order and never after today;
nothing after a final state; ``intro`` steps (and only they) name a coach; ``ended`` steps (and
only they) carry a reason; the engagement's ``coach`` is the coach of its last intro.
"""

from __future__ import annotations

from collections.abc import Iterator

from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.records.files import Records
from coachdir.records.model import (
    COACH_STATES,
    FINAL_STATES,
    FIRST_STATE,
    REASON_STATE,
    Engagement,
    next_states,
)
from coachdir.records.rules.base import RecordContext, RecordRuleSpec
from coachdir.rules.base import problem


def _steps(loaded: Loaded, engagement: Engagement, context: RecordContext) -> Iterator[Problem]:
    today = context.today.isoformat()
    review = context.programme.programme_review
    history = engagement.history
    for index, step in enumerate(history):
        at = ("history", index)
        if index == 0 and step.state != FIRST_STATE:
            yield problem(
                loaded,
                (*at, "state"),
                f"history[0]: a history starts with '{FIRST_STATE}', not '{step.state}'",
                "transition.not-allowed",
                f"Add the '{FIRST_STATE}' step, with the day the request arrived, first.",
            )
        elif index > 0:
            before = history[index - 1]
            if before.state in FINAL_STATES:
                yield problem(
                    loaded,
                    (*at, "state"),
                    f"history[{index}]: '{step.state}' follows '{before.state}', a final state",
                    "transition.after-final",
                    "Nothing may follow a final state; remove this step, or open a new "
                    "engagement record for a new request.",
                )
                return
            allowed = next_states(before.state, review=review)
            if step.state not in allowed:
                yield problem(
                    loaded,
                    (*at, "state"),
                    f"history[{index}]: '{before.state}' cannot be followed by '{step.state}'",
                    "transition.not-allowed",
                    f"After '{before.state}' comes one of: {', '.join(sorted(allowed))}"
                    + (
                        " (programme review is on)"
                        if review and before.state == "requested"
                        else ""
                    )
                    + ".",
                )
            if step.date < before.date:
                yield problem(
                    loaded,
                    (*at, "date"),
                    f"history[{index}]: {step.date} is before the previous step's {before.date}",
                    "transition.date-order",
                    "Steps are listed in date order; fix the date or the order of the steps.",
                )
        if step.date > today:
            yield problem(
                loaded,
                (*at, "date"),
                f"history[{index}]: {step.date} is in the future",
                "transition.future",
                "Record a state only once it is reached, with the day it was reached.",
            )
        if step.state in COACH_STATES and step.coach is None:
            yield problem(
                loaded,
                (*at, "state"),
                f"history[{index}]: an '{step.state}' step names no coach",
                "transition.intro-coach",
                "Add 'coach: <coach-id>' to the step: the coach of the introductory conversation.",
            )
        elif step.state not in COACH_STATES and step.coach is not None:
            yield problem(
                loaded,
                (*at, "coach"),
                f"history[{index}]: only intro steps name a coach, not '{step.state}'",
                "transition.intro-coach",
                "Remove 'coach:' from this step; the engagement's coach is set by its intro.",
                key=True,
            )
        if step.state == REASON_STATE and step.reason is None:
            yield problem(
                loaded,
                (*at, "state"),
                f"history[{index}]: an '{REASON_STATE}' step gives no reason",
                "transition.ended-reason",
                "Add 'reason: <code>' from programme.yml vocabularies.end_reasons (default: "
                "client-left, coach-left, mismatch, programme-decision, other).",
            )
        elif step.state != REASON_STATE and step.reason is not None:
            yield problem(
                loaded,
                (*at, "reason"),
                f"history[{index}]: only '{REASON_STATE}' steps carry a reason",
                "transition.ended-reason",
                "Remove 'reason:' from this step.",
                key=True,
            )


def _coach(loaded: Loaded, engagement: Engagement) -> Iterator[Problem]:
    intros = [s.coach for s in engagement.history if s.state in COACH_STATES and s.coach]
    expected = intros[-1] if intros else None
    if engagement.coach == expected:
        return
    if expected is None:
        yield problem(
            loaded,
            ("coach",),
            "coach: set, but no introductory conversation is recorded",
            "transition.coach-field",
            "Remove 'coach:' until an 'intro' step names the coach.",
            key=True,
        )
    else:
        where = ("coach",) if engagement.coach is not None else ()
        yield problem(
            loaded,
            where,
            f"coach: must be '{expected}', the coach of the last intro step",
            "transition.coach-field",
            f"Set 'coach: {expected}'.",
        )


def check(records: Records, context: RecordContext) -> Iterator[Problem]:
    for loaded, engagement in records.engagements:
        yield from _steps(loaded, engagement, context)
        yield from _coach(loaded, engagement)


RULE = RecordRuleSpec(
    __name__,
    ids=(
        "transition.not-allowed",
        "transition.after-final",
        "transition.date-order",
        "transition.future",
        "transition.intro-coach",
        "transition.ended-reason",
        "transition.coach-field",
    ),
    check=check,
)
