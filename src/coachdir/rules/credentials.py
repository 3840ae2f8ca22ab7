"""Credential rules from programme.yml: training hours, practice hours, expiry, verification."""

from __future__ import annotations

from collections.abc import Iterator

from coachdir import dates
from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules.base import Context, RuleSpec, problem


def check(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    types = context.programme.credential_types()
    today = context.today.isoformat()
    far = dates.expiry_limit(context.today).isoformat()
    for loaded in profiles:
        data = loaded.data or {}
        practice = data.get("practice_hours")
        listed: dict[str, str] = {}
        for index, cred in enumerate(data.get("credentials", [])):
            here = ("credentials", index)
            ctype = types.get(cred["type"])
            listed.setdefault(cred["type"], cred["obtained"])
            if ctype is None:
                continue  # reported by the schema (not in the vocabulary)
            label = ctype.en
            if ctype.min_training_hours is not None:
                hours = cred.get("hours")
                if hours is None:
                    yield problem(
                        loaded,
                        here,
                        f"credentials[{index}]: {label} needs its training hours",
                        "credentials.hours",
                        f"Add 'hours:' with the number of training hours (at least "
                        f"{ctype.min_training_hours}).",
                    )
                elif hours < ctype.min_training_hours:
                    yield problem(
                        loaded,
                        (*here, "hours"),
                        f"credentials[{index}].hours: {hours} is fewer than the "
                        f"{ctype.min_training_hours} hours {label} requires",
                        "credentials.hours",
                        "Check the hours on your certificate, or choose the credential type "
                        "that matches your training.",
                    )
            if ctype.min_practice_hours is not None and (practice or 0) < ctype.min_practice_hours:
                yield problem(
                    loaded,
                    ("practice_hours",) if practice is not None else here,
                    f"practice_hours: {label} requires at least {ctype.min_practice_hours} hours "
                    "of coaching practice, "
                    + (
                        f"the profile gives {practice}"
                        if practice is not None
                        else "and the profile gives no practice_hours"
                    ),
                    "credentials.practice-hours",
                    "Update practice_hours, or check the credential type.",
                )
            expires = cred.get("expires")
            if ctype.expiry_required and expires is None:
                yield problem(
                    loaded,
                    here,
                    f"credentials[{index}]: {label} needs an expiry date",
                    "credentials.expiry-required",
                    "Add 'expires: \"YYYY-MM-DD\"' as printed on the credential.",
                )
            if cred["obtained"] > today:
                yield problem(
                    loaded,
                    (*here, "obtained"),
                    f"credentials[{index}].obtained: {cred['obtained']} is in the future",
                    "credentials.future",
                    "Give the date the credential was awarded.",
                )
            if expires is not None:
                if expires <= cred["obtained"]:
                    yield problem(
                        loaded,
                        (*here, "expires"),
                        f"credentials[{index}].expires: {expires} is not after the date "
                        f"obtained ({cred['obtained']})",
                        "credentials.expiry-order",
                        "Check both dates.",
                    )
                elif expires > far:
                    yield problem(
                        loaded,
                        (*here, "expires"),
                        f"credentials[{index}].expires: {expires} is more than "
                        f"{dates.EXPIRY_YEARS} years after today",
                        "credentials.expiry-far",
                        "Give the expiry date printed on the credential (check the year); "
                        "leave 'expires' out when it does not expire.",
                    )
                elif expires < today:
                    yield problem(
                        loaded,
                        (*here, "expires"),
                        f"credentials[{index}].expires: {label} expired on {expires}",
                        "credentials.expired",
                        "Renew the credential and update the dates, or remove it.",
                        severity="warning",
                    )
        for index, ver in enumerate(data.get("verification", [])):
            here = ("verification", index)
            if ver["credential"] not in listed:
                yield problem(
                    loaded,
                    (*here, "credential"),
                    f"verification[{index}].credential: '{ver['credential']}' is not among "
                    "this profile's credentials",
                    "credentials.verification",
                    "Verify only a credential listed under 'credentials'.",
                )
            elif ver["date"] < listed[ver["credential"]]:
                yield problem(
                    loaded,
                    (*here, "date"),
                    f"verification[{index}].date: {ver['date']} is before the credential "
                    "was obtained",
                    "credentials.verification",
                    "Check the verification date.",
                )
            if ver["date"] > today:
                yield problem(
                    loaded,
                    (*here, "date"),
                    f"verification[{index}].date: {ver['date']} is in the future",
                    "credentials.verification",
                    "Give the date of the check.",
                )


RULE = RuleSpec(
    __name__,
    ids=(
        "credentials.hours",
        "credentials.practice-hours",
        "credentials.expiry-required",
        "credentials.future",
        "credentials.expiry-order",
        "credentials.expiry-far",
        "credentials.expired",
        "credentials.verification",
    ),
    reads=("credentials", "verification", "practice_hours"),
    check=check,
)
