"""Typed, language-aware objects built only from validated data, ready to render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any

from coachdir.loader import Loaded
from coachdir.programme import Programme, Term
from coachdir.text import fold

LANGS = ("fr", "en")
#: why a coach whose profile says ``accepting`` cannot take a new client today, in the order
#: they are told (the site's words for each are ``standing_<reason>`` in its strings)
STANDING_REASONS = ("credential", "supervision", "charter")


@dataclass(frozen=True)
class Credential:
    type: Term
    issuer: str
    obtained: str
    expires: str | None
    hours: int | None
    verified: bool
    expired: bool


@dataclass(frozen=True)
class Coach:
    """One coach, with vocabulary ids resolved to terms."""

    id: str
    name: str
    pronouns: str | None
    gender: Term | None
    gender_description: str | None
    entity: Term
    networks: tuple[Term, ...]
    role: str
    location: str
    modalities: tuple[Term, ...]
    languages: tuple[Term, ...]
    offers: tuple[Term, ...]
    expertise: tuple[Term, ...]
    bio: dict[str, str]
    credentials: tuple[Credential, ...]
    capacity: int
    accepting: bool
    charter_version: str
    charter_signed: str
    supervision_last: str | None
    email: str
    photo: str | None
    external: bool
    provider: str | None
    booking_url: str | None
    standing: str | None = None
    """None, or the first of :data:`STANDING_REASONS` that keeps a coach who is accepting
    from taking a new client today."""
    roles: tuple[str, ...] = ("coach",)
    """``coach``, ``mentor`` or both (``Programme.roles`` of the offers): the directory says
    which is which."""

    @property
    def mentor_only(self) -> bool:
        """A mentor who offers no coaching: listed without coaching credentials."""
        return self.roles == ("mentor",)

    def bio_for(self, lang: str) -> tuple[str, str]:
        """The bio in ``lang`` if written, else the other language: (text, its language)."""
        if lang in self.bio:
            return self.bio[lang], lang
        other = next(iter(self.bio))
        return self.bio[other], other

    @property
    def sort_key(self) -> tuple[str, str]:
        return fold(self.name), self.id


def standing_reason(data: dict[str, Any], programme: Programme, today: str) -> str | None:
    """What keeps the coach of a validated profile from taking a new client on ``today``, from
    the profile alone (the site never reads the records): ``credential`` (no credential of
    programme.yml's credential_types that the team verified, with the type's training and
    practice hours, obtained by today and not expired), ``supervision`` (the profile's
    ``supervision.last`` missing or more than ``supervision_max_gap_days`` ago) or ``charter``
    (a version other than ``charter.current`` signed); None when none of them. A profile
    whose offers need no coaching credential (mentoring, immersion hosting) is held to the
    charter alone."""
    if not programme.needs_credential(data.get("offers", [])):
        return "charter" if data["charter"]["version"] != programme.charter_current else None
    types = programme.credential_types()
    verified = {v["credential"] for v in data.get("verification", [])}
    practice = data.get("practice_hours") or 0

    def qualifies(cred: dict[str, Any]) -> bool:
        ctype = types.get(cred["type"])
        if ctype is None or cred["type"] not in verified:
            return False
        if ctype.min_training_hours is not None and (cred.get("hours") or 0) < (
            ctype.min_training_hours
        ):
            return False
        if ctype.min_practice_hours is not None and practice < ctype.min_practice_hours:
            return False
        return bool(cred["obtained"] <= today <= cred.get("expires", "9999-12-31"))

    if not any(qualifies(c) for c in data.get("credentials", [])):
        return "credential"
    last = (data.get("supervision") or {}).get("last")
    due = date.fromisoformat(today) - timedelta(days=programme.supervision_max_gap_days)
    if not isinstance(last, str) or last < due.isoformat():
        return "supervision"
    if data["charter"]["version"] != programme.charter_current:
        return "charter"
    return None


def build_coach(loaded: Loaded, programme: Programme, today: str) -> Coach:
    data: dict[str, Any] = loaded.data or {}
    cid = PurePosixPath(loaded.path).name.removesuffix(".yml")

    def terms(vocab: str, ids: list[str]) -> tuple[Term, ...]:
        return tuple(programme.term(vocab, i) for i in ids)

    ctypes = programme.credential_types()
    verified = {v["credential"] for v in data.get("verification", [])}
    credentials = tuple(
        Credential(
            type=ctypes[c["type"]],
            issuer=c["issuer"],
            obtained=c["obtained"],
            expires=c.get("expires"),
            hours=c.get("hours"),
            verified=c["type"] in verified,
            expired=c.get("expires") is not None and c["expires"] < today,
        )
        for c in data.get("credentials", [])
    )
    gender = data.get("gender")
    return Coach(
        id=cid,
        name=data["name"],
        pronouns=data.get("pronouns"),
        gender=programme.term("genders", gender) if gender else None,
        gender_description=data.get("gender_description"),
        entity=programme.term("entities", data["entity"]),
        networks=terms("networks", data.get("networks", [])),
        role=data["role"],
        location=data["location"],
        modalities=terms("modalities", data["modalities"]),
        languages=terms("languages", data["languages"]),
        offers=terms("offers", data["offers"]),
        expertise=terms("expertise", data["expertise"]),
        bio=dict(data["bio"]),
        credentials=credentials,
        capacity=data["capacity"],
        accepting=data["status"] == "accepting",
        charter_version=data["charter"]["version"],
        charter_signed=data["charter"]["signed"],
        supervision_last=(data.get("supervision") or {}).get("last"),
        email=data["contact"]["email"],
        photo=data.get("photo"),
        external=data["affiliation"] == "external",
        provider=data.get("provider"),
        booking_url=data.get("booking_url"),
        standing=standing_reason(data, programme, today) if data["status"] == "accepting" else None,
        roles=programme.roles(data["offers"]) or ("coach",),
    )


def build_coaches(profiles: list[Loaded], programme: Programme, today: str) -> list[Coach]:
    """Coaches sorted by name (accents folded), then id."""
    coaches = [build_coach(p, programme, today) for p in profiles if p.data is not None]
    return sorted(coaches, key=lambda c: c.sort_key)
