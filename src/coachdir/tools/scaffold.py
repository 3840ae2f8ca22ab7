"""``coachdir new``: write a new coach profile from answers, for the coach to finish."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.emit import emit_profile
from coachdir.github.vocabulary import DECLARATIONS
from coachdir.problems import CoachdirError, Problem, has_errors
from coachdir.programme import Programme, load_programme
from coachdir.rules.bio import BIO_PLACEHOLDERS
from coachdir.rules.identity import new_id_problem
from coachdir.validation.engine import validate

Ask = Callable[[str, list[str] | None, str | None], str]
#: stands for the coach's own bio while the other answers are checked (never written)
_FINISHED_BIO = "Un texte de présentation écrit par le coach / a bio written by the coach."


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
    #: the charter in force signed (``--sign-charter``, or "yes" in a terminal); None: not
    #: answered yet (asked in a terminal, else not signed)
    sign_charter: bool | None = None
    #: the declarations made (keys of DECLARATIONS); None: not answered yet
    declarations: list[str] | None = None

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
            sign_charter=True if options.get("sign_charter") else None,
            declarations=_declared(options.get("declare") or ()),
        )


def _declared(given: Sequence[str]) -> list[str] | None:
    """The declaration keys given as options (``all`` for every one); None when none."""
    if not given:
        return None
    keys = list(DECLARATIONS) if "all" in given else list(given)
    return [key for key in DECLARATIONS if key in keys]


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
    if ask is not None and answers.sign_charter is None:
        version = programme.charter_current
        question = f"Have you read the ethics charter, version {version}, and do you sign it?"
        answers.sign_charter = ask(question, ["yes", "no"], "no") == "yes"
    if ask is not None and answers.declarations is None:
        answers.declarations = [
            key
            for key, (_, text) in DECLARATIONS.items()
            if ask(f"Declaration: {text}. Do you make it?", ["yes", "no"], "no") == "yes"
        ]
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


def render_profile(
    answers: Answers, programme: Programme, today: date, *, finished: bool = False
) -> str:
    """The profile text, with the schema comment first and fields in the schema's order.

    The bios are :data:`BIO_PLACEHOLDERS` (refused by validation until the coach writes them);
    the charter is signed and the declarations made only as answered (else left out, so that
    validation says what is missing). ``finished``: as if the coach had done all that (to check
    every other answer before writing)."""
    data: dict[str, Any] = new_profile_defaults(programme, today)
    if not (finished or answers.sign_charter):
        del data["charter"]
    declared = data["declarations"]
    if not finished:
        declared = {k: v for k, v in declared.items() if k in (answers.declarations or ())}
        if declared:
            data["declarations"] = declared
        else:
            del data["declarations"]
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
            lang: (_FINISHED_BIO if finished else text) + "\n"
            for lang, text in BIO_PLACEHOLDERS.items()
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


@dataclass(frozen=True)
class Created:
    """The profile written, and what validation still refuses in it: what the coach has to
    do (write the bios, sign the charter, make the declarations) before a pull request."""

    path: Path
    to_do: list[Problem]


def create_profile(root: Path, answers: Answers, *, ask: Ask | None, today: date) -> Created:
    """Validate the new profile with the programme's own checks (every rule, against the
    other profiles too) as if the coach had written the bios, signed the charter and made the
    declarations; then write it as it is, and say what is left; never over an existing file."""
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
    finished = render_profile(answers, programme, today, finished=True)
    report = validate(root, [rel], today=today, overrides={rel: finished.encode("utf-8")})
    if has_errors(report.problems):
        raise CoachdirError([p for p in report.problems if p.severity == "error"])
    text = render_profile(answers, programme, today)
    left = validate(root, [rel], today=today, overrides={rel: text.encode("utf-8")}).problems
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Created(target, [p for p in left if p.severity == "error"])
