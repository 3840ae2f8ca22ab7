"""Typed, language-aware objects built only from validated data, ready to render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from coachdir.loader import Loaded
from coachdir.programme import Programme, Term
from coachdir.text import fold

LANGS = ("fr", "en")


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

    def bio_for(self, lang: str) -> tuple[str, str]:
        """The bio in ``lang`` if written, else the other language: (text, its language)."""
        if lang in self.bio:
            return self.bio[lang], lang
        other = next(iter(self.bio))
        return self.bio[other], other

    @property
    def sort_key(self) -> tuple[str, str]:
        return fold(self.name), self.id


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
    )


def build_coaches(profiles: list[Loaded], programme: Programme, today: str) -> list[Coach]:
    """Coaches sorted by name (accents folded), then id."""
    coaches = [build_coach(p, programme, today) for p in profiles if p.data is not None]
    return sorted(coaches, key=lambda c: c.sort_key)
