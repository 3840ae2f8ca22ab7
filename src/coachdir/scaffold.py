"""``coachdir new``: write a new, valid coach profile from answers."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.loader import load_bytes
from coachdir.problems import Problem, has_errors
from coachdir.programme import Programme, load_programme
from coachdir.schema import SchemaChecker

Ask = Callable[[str, list[str] | None, str | None], str]


class ScaffoldError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


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


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _seq(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


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
        raise ScaffoldError(
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


def render_profile(answers: Answers, programme: Programme, today: date) -> str:
    """The profile text, with the schema comment first and fields in the usual order."""
    external = answers.provider is not None
    lines = [
        "# yaml-language-server: $schema=../schemas/coach.schema.json",
        "# Coach profile. Edit the values, then open a pull request.",
        "schema_version: 1",
        f"name: {_q(answers.name or '')}",
        f"entity: {_q(answers.entity or '')}",
        f"role: {_q(answers.role or '')}",
        f"location: {_q(answers.location or '')}",
        f"modalities: {_seq(answers.modalities)}",
        f"languages: {_seq(answers.languages)}",
        f"offers: {_seq(answers.offers)}",
        f"expertise: {_seq(answers.expertise)}",
        "bio:",
        "  fr: |",
        "    Présentez votre parcours et votre approche en quelques phrases.",
        "  en: |",
        "    Describe your background and your approach in a few sentences.",
        f"capacity: {answers.capacity}",
        "status: accepting",
        "charter:",
        f"  version: {_q(programme.charter_current)}",
        f"  signed: {_q(today.isoformat())}",
        "contact:",
        f"  email: {_q(answers.email or '')}",
        f"github: {_q(answers.github or '')}",
        f"affiliation: {'external' if external else 'internal'}",
    ]
    if external:
        lines.append(f"provider: {_q(answers.provider or '')}")
    lines += [
        "declarations:",
        "  confidentiality: true",
        "  no_promotion_role: true",
        "  no_staff_representative_role: true",
    ]
    return "\n".join(lines) + "\n"


def create_profile(root: Path, answers: Answers, *, ask: Ask | None, today: date) -> Path:
    """Validate the new profile with the programme's own checks, then write it (never over
    an existing file)."""
    programme, _, problems = load_programme(root)
    if programme is None:
        raise ScaffoldError(problems)
    answers = _fill(answers, programme, ask)
    rel = f"coaches/{answers.coach_id}.yml"
    target = root / rel
    if target.exists():
        raise ScaffoldError(
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
    loaded = load_bytes(rel, text.encode("utf-8"))
    problems = loaded.problems or SchemaChecker(programme.coach_schema(), name="coach").check(
        loaded
    )
    from coachdir.rules.identity import ID_PATTERN

    if not ID_PATTERN.fullmatch(answers.coach_id or ""):
        problems.append(
            Problem(
                rel,
                1,
                1,
                f"'{answers.coach_id}' is not a valid coach id",
                "identity.file-name",
                "Use lower-case letters, digits and single hyphens.",
            )
        )
    if has_errors(problems):
        raise ScaffoldError(problems)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target
