"""``coachdir new``: write a new, valid coach profile from answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.emit import emit_profile
from coachdir.problems import CoachdirError, Problem, has_errors
from coachdir.programme import Programme, load_programme
from coachdir.rules.identity import new_id_problem
from coachdir.validation.engine import validate

Ask = Callable[[str, list[str] | None, str | None], str]


@dataclass
class Answers:
    coach_id: str | None = None
    name: str | None = None
    github: str | None = None
    email: str | None = None
    entity: str | None = None
    role: str | None = None
    location: str | None = None
    languages: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    capacity: int | None = None
    provider: str | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Answers:
        return cls(
            coach_id=options.get("coach_id"),
            name=options.get("name"),
            github=options.get("github"),
            email=options.get("email"),
            entity=options.get("entity"),
            role=options.get("role"),
            location=options.get("location"),
            languages=list(options.get("languages") or []),
            offers=list(options.get("offers") or []),
            expertise=list(options.get("expertise") or []),
            modalities=list(options.get("modalities") or []),
            capacity=options.get("capacity"),
            provider=options.get("provider"),
        )


def _fill(answers: Answers, programme: Programme, ask: Ask | None) -> Answers:
    def need(
        attr: str,
        question: str,
        vocab: str | None = None,
        default: str | None = None,
        many: bool = False,
    ) -> None:
        current = getattr(answers, attr)
        if current:
            return
        if ask is None:
            missing.append(attr)
            return
        choices = [t.id for t in programme.vocabulary(vocab)] if vocab else None
        if many:
            text = ask(f"{question} (comma-separated: {', '.join(choices or [])})", None, default)
            setattr(answers, attr, [v.strip() for v in text.split(",") if v.strip()])
        else:
            setattr(answers, attr, ask(question, choices, default))

    missing: list[str] = []
    need("coach_id", "Coach id (file name), e.g. helene-dubois")
    need("name", "Name as shown in the directory")
    need("github", "GitHub handle")
    need("email", "Professional e-mail")
    need("entity", "Entity", "entities")
    need("role", "Role or job title")
    need("location", "Town or site")
    need("languages", "Languages", "languages", "fr", many=True)
    need("offers", "Offers", "offers", "coaching", many=True)
    need("expertise", "Expertise areas", "expertise", None, many=True)
    need("modalities", "Modalities", "modalities", "video", many=True)
    if answers.capacity is None:
        answers.capacity = 1 if ask is None else int(ask("Capacity (clients at once)", None, "1"))
    if missing:
        options = ", ".join("--" + m.replace("coach_id", "id").rstrip("s") for m in missing)
        raise CoachdirError(
            [
                Problem(
                    "(command line)",
                    1,
                    1,
                    f"missing answers: {options}",
                    "new.missing",
                    "Give these options, or run 'coachdir new' in a terminal to be asked.",
                )
            ]
        )
    return answers


def new_profile_defaults(programme: Programme, today: date) -> dict[str, Any]:
    """What every new profile starts with, from ``coachdir new`` or a registration form:
    the schema version, accepting clients, the charter in force signed today, the three
    declarations made (the field order is the schema's, whatever the order here)."""
    return {
        "schema_version": 1,
        "status": "accepting",
        "charter": {"version": programme.charter_current, "signed": today.isoformat()},
        "declarations": {
            "confidentiality": True,
            "no_promotion_role": True,
            "no_staff_representative_role": True,
        },
    }


def render_profile(answers: Answers, programme: Programme, today: date) -> str:
    """The profile text, with the schema comment first and fields in the schema's order."""
    data: dict[str, Any] = new_profile_defaults(programme, today)
    data |= {
        "name": answers.name or "",
        "entity": answers.entity or "",
        "role": answers.role or "",
        "location": answers.location or "",
        "modalities": answers.modalities,
        "languages": answers.languages,
        "offers": answers.offers,
        "expertise": answers.expertise,
        "bio": {
            "fr": "Présentez votre parcours et votre approche en quelques phrases.\n",
            "en": "Describe your background and your approach in a few sentences.\n",
        },
        "capacity": answers.capacity,
        "contact": {"email": answers.email or ""},
        "github": answers.github or "",
        "affiliation": "external" if answers.provider is not None else "internal",
    }
    if answers.provider is not None:
        data["provider"] = answers.provider
    order = list(programme.coach_schema()["properties"])
    return emit_profile(data, order, "Coach profile. Edit the values, then open a pull request.")


def create_profile(root: Path, answers: Answers, *, ask: Ask | None, today: date) -> Path:
    """Validate the new profile with the programme's own checks (every rule, against the
    other profiles too), then write it; never over an existing file."""
    programme, _, problems = load_programme(root)
    if programme is None:
        raise CoachdirError(problems)
    answers = _fill(answers, programme, ask)
    rel = f"coaches/{answers.coach_id}.yml"
    bad_id = new_id_problem(rel, answers.coach_id or "")
    if bad_id is not None:
        raise CoachdirError([bad_id])
    target = root / rel
    if target.exists():
        raise CoachdirError(
            [
                Problem(
                    rel,
                    1,
                    1,
                    "this profile already exists",
                    "new.exists",
                    "Edit the existing file, or choose another id.",
                )
            ]
        )
    text = render_profile(answers, programme, today)
    report = validate(root, [rel], today=today, overrides={rel: text.encode("utf-8")})
    if has_errors(report.problems):
        raise CoachdirError([p for p in report.problems if p.severity == "error"])
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target
