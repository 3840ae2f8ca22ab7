"""The records repository's pr-check reasons: fixed sentences by rule id, never a value.

Kept apart from :mod:`coachdir.github.recordcheck` so that the reporters can name them
without loading the records package.
"""

from __future__ import annotations

#: by rule id (the part before ':'; '{field}' is the part after it: a known engagement field
#: or state name, never anything read from a file that the checker does not know)
RECORD_REASONS: dict[str, str] = {
    "records-decision": "a decision step (accepted, declined, active) on the author's own "
    "engagement",
    "records-session": "sessions logged on the author's own engagement",
    "records-author-not-coach": "the author's login is on no coach profile of the directory "
    "repository",
    "records-author-ambiguous": "the author's login is on more than one coach profile",
    "records-other-coach": "an engagement of another coach at base",
    "records-no-coach": "the engagement names no coach at base",
    "records-gone-on-base": "the engagement is no longer on the base branch",
    "records-unreadable": "cannot read the engagement",
    "records-field-changed": "'{field}' changed",
    "records-unknown-field": "a field the records format does not know was added, changed or "
    "removed",
    "records-history-changed": "an existing history step was changed, moved or removed",
    "records-sessions-changed": "an existing session was changed, moved or removed",
    "records-team-step": "a '{field}' step is the programme team's to record",
    "records-step-order": "the new steps do not follow the engagement's states",
    "records-step-shape": "a new step holds more than a state and a date",
    "records-session-shape": "a new session holds more than a date, minutes, kind and status",
    "records-session-rating": "a session rating is the client's (the programme team records it)",
    "records-comment": "a comment was added (records hold no free text)",
    "records-no-append": "the file changed without a decision or a session appended",
    "records-new-engagement": "a new engagement (the programme team opens engagements)",
    "records-deleted-engagement": "an engagement was deleted",
    "records-renamed": "renaming changes the engagement id",
    "records-supervision": "supervision log",
    "records-coach-units": "coach units (coach-units.yml)",
    "records-settings": "records repository settings (records.yml)",
    "records-requirements": "the pinned coachdir the workflows install (requirements/)",
    "records-outside": "outside the records folder",
    "records-other-path": "not an engagement of the author",
    "records-attendance": "the attendance of a group the author facilitates",
    "records-not-facilitator": "the attendance of a group the author does not facilitate (at "
    "every trusted revision of the directory)",
    "records-attendance-moved": "an attendance file was deleted, renamed or copied",
    "records-group-membership": "group memberships are the programme team's",
}
