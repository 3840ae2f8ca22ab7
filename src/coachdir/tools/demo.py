"""Synthetic demo programmes: fictional but valid coach profiles, generated deterministically."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coachdir.emit import Quoted, emit_profile
from coachdir.loader import load_file
from coachdir.problems import InvalidInput
from coachdir.text import slugify
from coachdir.tools.initrepo import InitError, new_folder, write_programme

# --- Banks: fictional names, places, titles and bio phrases (tools/data/demo-banks.yml) -----
#: (French feminine, French masculine, English)
Phrase = tuple[str, str, str]
BANKS_FILE = Path(__file__).parent / "data" / "demo-banks.yml"


def _phrase(entry: dict[str, str]) -> Phrase:
    if "fr" in entry:
        return entry["fr"], entry["fr"], entry["en"]
    return entry["fr_f"], entry["fr_m"], entry["en"]


def _load_banks(path: Path) -> dict[str, Any]:
    """The banks, read with the strict loader; a broken file is a bug of coachdir itself."""
    loaded = load_file(str(path))
    if loaded.data is None or loaded.problems:
        detail = "; ".join(p.message for p in loaded.problems[:3]) or "it is empty"
        raise RuntimeError(f"the demo banks {path} are broken: {detail}")
    return loaded.data


_BANKS = _load_banks(BANKS_FILE)
FIRST_NAMES: tuple[tuple[str, str], ...] = tuple(
    (e["name"], e["gender"]) for e in _BANKS["first_names"]
)
LAST_NAMES: tuple[str, ...] = tuple(_BANKS["last_names"])
LOCATIONS: tuple[str, ...] = tuple(_BANKS["locations"])
TITLES: tuple[tuple[str, str], ...] = tuple((e["f"], e["m"]) for e in _BANKS["titles"])
SERVICES: tuple[str, ...] = tuple(_BANKS["services"])
EXTERNAL_ROLES: tuple[tuple[str, str], ...] = tuple(
    (e["f"], e["m"]) for e in _BANKS["external_roles"]
)
PROVIDERS: tuple[str, ...] = tuple(_BANKS["providers"])
GENDER_DESCRIPTIONS: tuple[str, ...] = tuple(_BANKS["gender_descriptions"])
PRONOUNS: dict[str, tuple[str, ...]] = {g: tuple(p) for g, p in _BANKS["pronouns"].items()}
ISSUERS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (e["prefix"], tuple(e["names"])) for e in _BANKS["issuers"]
)
TRAINING_ISSUERS: tuple[str, ...] = tuple(_BANKS["training_issuers"])
OTHER_ISSUERS: tuple[str, ...] = tuple(_BANKS["other_issuers"])
FORMER: tuple[Phrase, ...] = tuple(_phrase(e) for e in _BANKS["former"])
OPENINGS: tuple[Phrase, ...] = tuple(_phrase(e) for e in _BANKS["openings"])
EXTERNAL_OPENINGS: tuple[Phrase, ...] = tuple(_phrase(e) for e in _BANKS["external_openings"])
APPROACHES: tuple[Phrase, ...] = tuple(_phrase(e) for e in _BANKS["approaches"])
EXPERTISE_SENTENCE = _phrase(_BANKS["expertise_sentence"])
MODALITY_SENTENCE = _phrase(_BANKS["modality_sentence"])
LANGUAGE_SENTENCE = _phrase(_BANKS["language_sentence"])
PAUSED_SENTENCES: tuple[Phrase, ...] = tuple(_phrase(e) for e in _BANKS["paused_sentences"])
LINK_SENTENCE = _phrase(_BANKS["link_sentence"])

MAX_COACHES = 100_000
#: generated dates never go past this day (except credential expiry dates)
REFERENCE_DAY = date(2026, 11, 1)
#: expiry dates are always after this day, so credentials stay valid for a good while
EXPIRY_FLOOR = date(2027, 6, 30)
EMAIL_DOMAIN = "phares-balises.example"
COMMENT = "Profil fictif de démonstration (coachdir demo) / Fictional demo profile."
BIO_WIDTH = 76


class DemoError(InvalidInput):
    """The demo programme cannot be generated with these arguments."""


#: punctuation that French sets off with a space but that must not start a bio line
_GLUED = frozenset({":", ";", "!", "?"})
#: words that would start a Markdown block (list, heading, quote, rule) at a line start
_BLOCK_START = re.compile(r"[-+*]|#.*|>.*|\d+[.)]|=+|_{3,}|`{3,}.*|~{3,}.*")


@dataclass(frozen=True)
class _Term:
    id: str
    fr: str
    en: str


@dataclass(frozen=True)
class _Credential:
    id: str
    min_training_hours: int | None
    min_practice_hours: int | None
    expiry_required: bool


@dataclass(frozen=True)
class _Programme:
    max_capacity: int
    team: tuple[str, ...]
    charter_current: str
    charter_older: tuple[str, ...]
    vocab: dict[str, tuple[_Term, ...]]
    credentials: tuple[_Credential, ...]


def generate(out: Path, coaches: int, *, source: Path, seed: int = 2026) -> list[Path]:
    """Write a complete synthetic programme into `out`: copies programme.yml, schemas/ and
    content/ from `source` (a programme repository root), then writes `coaches` synthetic
    profiles to out/coaches/<id>.yml. Returns the profile paths. Deterministic: same
    arguments -> byte-identical files."""
    if isinstance(coaches, bool) or not isinstance(coaches, int):
        raise DemoError(f"the number of coaches must be a whole number, not {coaches!r}")
    if not 1 <= coaches <= MAX_COACHES:
        raise DemoError(f"the number of coaches must be between 1 and {MAX_COACHES}, not {coaches}")
    programme_file = source / "programme.yml"
    if not programme_file.is_file():
        raise DemoError(f"no programme.yml in {source}: pass a programme repository root")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DemoError(f"{out} already exists and is not empty; choose a new or empty folder")
    programme = _read_programme(programme_file)

    rng = random.Random(seed)  # noqa: S311 - fictional demo data, reproducible on purpose
    maker = _ProfileMaker(rng, programme)
    paths: list[Path] = []
    # The same writer as `coachdir init`: mkdocs.yml, schemas/ and content/ included (the
    # sample's when the source lacks them), so the demo builds on its own; nothing overwritten.
    try:
        with new_folder(out) as writer:
            write_programme(writer, source)
            for _ in range(coaches):
                cid, text = maker.profile()
                paths.append(writer.file(f"coaches/{cid}.yml", text.encode("utf-8")))
    except InitError as exc:  # init's usage error (exit 2) is, for demo, one of its own (exit 1)
        raise DemoError(str(exc)) from None
    return paths


# --- Programme settings ----------------------------------------------------------------------


def _read_programme(path: Path) -> _Programme:
    loaded = load_file(str(path), "programme.yml")
    if loaded.data is None or loaded.problems:
        detail = "; ".join(p.message for p in loaded.problems[:3]) or "it is empty"
        raise DemoError(f"cannot read {path}: {detail}")
    data = loaded.data
    try:
        vocabularies = data["vocabularies"]
        vocab = {
            name: tuple(_Term(str(t["id"]), str(t["fr"]), str(t["en"])) for t in terms)
            for name, terms in vocabularies.items()
            if name != "credential_types"
        }
        credentials = tuple(
            _Credential(
                str(c["id"]),
                _optional_int(c.get("min_training_hours")),
                _optional_int(c.get("min_practice_hours")),
                bool(c.get("expiry_required", False)),
            )
            for c in vocabularies.get("credential_types", [])
        )
        current = str(data["charter"]["current"])
        versions = [str(v) for v in data["charter"]["versions"]]
        programme = _Programme(
            max_capacity=int(data["max_capacity"]),
            team=tuple(str(t) for t in data["team"]),
            charter_current=current,
            charter_older=tuple(v for v in versions if v != current),
            vocab=vocab,
            credentials=credentials,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DemoError(f"{path} is not a complete programme file ({exc!r})") from exc
    for name in ("entities", "modalities", "languages", "offers", "expertise"):
        if not programme.vocab.get(name):
            raise DemoError(f"{path}: vocabularies.{name} is missing or empty")
    if programme.max_capacity < 1:
        raise DemoError(f"{path}: max_capacity must be at least 1")
    return programme


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


# --- Text helpers ----------------------------------------------------------------------------


def _initials(number: int) -> str:
    """1 -> 'A.', 26 -> 'Z.', 27 -> 'A. A.': a distinct middle initial for each repeat."""
    letters = []
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters.append(f"{chr(ord('A') + rest)}.")
    return " ".join(reversed(letters))


def _lower_first(label: str) -> str:
    """'Prise de poste' -> 'prise de poste', but keep acronyms ('ICF ACC')."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _enumerate(items: Sequence[str], last: str) -> str:
    """'a, b et c'; ``last`` may start with a comma (', ainsi que')."""
    if len(items) == 1:
        return items[0]
    joiner = last + " " if last.startswith(",") else f" {last} "
    return ", ".join(items[:-1]) + joiner + items[-1]


def _wrap(text: str) -> list[str]:
    """Greedy wrap; French ':' never starts a line, nor does a word that opens a Markdown
    block."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not current:
            current = word
        elif (
            len(current) + 1 + len(word) <= BIO_WIDTH
            or word in _GLUED
            or _BLOCK_START.fullmatch(word)
        ):
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _between(rng: random.Random, low: date, high: date) -> date:
    return date.fromordinal(rng.randint(low.toordinal(), high.toordinal()))


# --- Profiles --------------------------------------------------------------------------------


class _ProfileMaker:
    """Draws one profile after another from a single random generator."""

    def __init__(self, rng: random.Random, programme: _Programme) -> None:
        self.rng = rng
        self.p = programme
        self.ids: dict[str, int] = {}
        self.handles: set[str] = set()
        self.genders = {t.id for t in programme.vocab.get("genders", ())}
        self.lang_ids = [t.id for t in programme.vocab["languages"]]

    def _unique_id(self, base: str) -> str:
        count = self.ids.get(base, 0) + 1
        self.ids[base] = count
        return base if count == 1 else f"{base}-{count}"

    def _handle(self, cid: str, first: str, last: str) -> str:
        rng = self.rng
        style = rng.randrange(4)
        if style == 0:
            base = cid
        elif style == 1:
            base = cid.replace("-", "")
        elif style == 2:
            base = first[:1] + last.replace("-", "")
        else:
            base = f"{first}-{last[:3]}"
        base = base[:32].strip("-")
        sep = "-" if rng.random() < 0.5 else ""
        number = rng.randint(1, 99)
        handle = f"{base}{sep}{number}"
        while handle in self.handles:
            number += 1
            handle = f"{base}{sep}{number}"
        self.handles.add(handle)
        return handle

    def _pick(self, name: str, low: int, high: int) -> list[_Term]:
        terms = self.p.vocab.get(name, ())
        count = min(len(terms), self.rng.randint(low, high))
        return self.rng.sample(list(terms), count)

    def _gender(self, grammatical: str) -> tuple[str | None, str | None, str | None]:
        """(gender, gender_description, pronouns), each optional."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.2 or not self.genders:
            return None, None, None
        natural = "woman" if grammatical == "f" else "man"
        if roll < 0.93 and natural in self.genders:
            gender = natural
        else:
            gender = rng.choice(sorted(self.genders))
        description = rng.choice(GENDER_DESCRIPTIONS) if gender == "self-described" else None
        pronouns = None
        if gender in PRONOUNS and rng.random() < 0.75:
            pronouns = rng.choice(PRONOUNS[gender])
        return gender, description, pronouns

    def _languages(self) -> list[str]:
        rng = self.rng
        ids = self.lang_ids
        chosen: list[str] = []
        if "fr" in ids and rng.random() < 0.92:
            chosen.append("fr")
        if "en" in ids and "en" not in chosen and rng.random() < 0.6:
            chosen.append("en")
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            lang = rng.choice(ids)
            if lang not in chosen:
                chosen.append(lang)
        if not chosen:
            chosen.append(rng.choice(ids))
        return chosen

    def _credentials(self) -> tuple[dict[str, Any], int]:
        """The credentials and verification fields (when any), and the practice hours."""
        rng = self.rng
        types = self.p.credentials
        count = min(len(types), rng.choices((0, 1, 2, 3), weights=(10, 45, 35, 10))[0])
        chosen = rng.sample(list(types), count)
        practice = rng.randint(10, 600)
        fields: dict[str, Any] = {}
        credentials: list[dict[str, Any]] = []
        obtained_by_type: list[tuple[str, date]] = []
        for cred in chosen:
            obtained = _between(rng, date(2012, 1, 1), date(2026, 10, 1))
            entry: dict[str, Any] = {
                "type": cred.id,
                "issuer": Quoted(self._issuer(cred)),
                "obtained": obtained.isoformat(),
            }
            if cred.expiry_required or rng.random() < 0.05:
                expires = obtained + timedelta(days=rng.randint(3 * 365, 5 * 365))
                if expires <= EXPIRY_FLOOR:
                    expires = _between(rng, EXPIRY_FLOOR + timedelta(days=1), date(2029, 12, 31))
                entry["expires"] = expires.isoformat()
            if cred.min_training_hours is not None:
                entry["hours"] = cred.min_training_hours + rng.randint(0, 60)
            if cred.min_practice_hours is not None and practice < cred.min_practice_hours:
                practice = cred.min_practice_hours + rng.randint(0, 900)
            credentials.append(entry)
            obtained_by_type.append((cred.id, obtained))
        if credentials:
            fields["credentials"] = credentials
        if obtained_by_type and self.p.team and rng.random() < 0.5:
            checked_count = rng.randint(1, len(obtained_by_type))
            verification: list[dict[str, Any]] = []
            for ctype, obtained in rng.sample(obtained_by_type, checked_count):
                checked = min(obtained + timedelta(days=rng.randint(5, 90)), REFERENCE_DAY)
                by = rng.choice(self.p.team)
                verification.append({"credential": ctype, "by": by, "date": checked.isoformat()})
            fields["verification"] = verification
        return fields, practice

    def _issuer(self, cred: _Credential) -> str:
        for prefix, names in ISSUERS:
            if cred.id.startswith(prefix):
                return self.rng.choice(names)
        if cred.min_training_hours is not None:
            return self.rng.choice(TRAINING_ISSUERS)
        return self.rng.choice(OTHER_ISSUERS)

    def _charter(self) -> tuple[str, date]:
        rng = self.rng
        if self.p.charter_older and rng.random() >= 0.9:
            version = rng.choice(self.p.charter_older)
        else:
            version = self.p.charter_current
        year = int(version[:4]) if version[:4].isdigit() else 0
        if 2000 <= year <= REFERENCE_DAY.year:
            signed = _between(rng, date(year, 1, 5), min(date(year, 12, 20), REFERENCE_DAY))
        else:
            signed = _between(rng, REFERENCE_DAY - timedelta(days=700), REFERENCE_DAY)
        return version, signed

    def _supervision(self) -> date | None:
        roll = self.rng.random()
        if roll < 0.05:
            return None
        if roll < 0.12:
            return REFERENCE_DAY - timedelta(days=self.rng.randint(305, 480))
        return REFERENCE_DAY - timedelta(days=self.rng.randint(0, 300))

    def _bio(
        self,
        *,
        fem: bool,
        cid: str,
        location: str,
        external: bool,
        paused: bool,
        expertise: list[_Term],
        modalities: list[_Term],
        languages: list[str],
    ) -> tuple[str, str]:
        rng = self.rng
        former = rng.choice(FORMER)
        fields = {
            "years": str(rng.randint(3, 30)),
            "former_f": former[0],
            "former_m": former[1],
            "former_en": former[2],
            "location": location,
            "id": cid,
        }
        bold = rng.random() < 0.4

        lang_terms = {t.id: t for t in self.p.vocab["languages"]}
        spoken = [lang_terms[code] for code in languages]
        approach_a, approach_b = rng.sample(APPROACHES, 2)
        extras: list[tuple[int, Phrase, dict[str, str]]] = [
            (0, EXPERTISE_SENTENCE, _labels(expertise, bold=bold)),
            (1, approach_a, {}),
            (2, approach_b, {}),
            (3, MODALITY_SENTENCE, _labels(modalities)),
            (4, LANGUAGE_SENTENCE, _labels(spoken, lower_en=False)),
        ]
        budget = rng.choices((1, 2, 3), weights=(1, 3, 6))[0] - (1 if paused else 0)
        picked = sorted(rng.sample(extras, max(budget, 0)), key=lambda e: e[0])
        opening = rng.choice(EXTERNAL_OPENINGS if external else OPENINGS)
        sentences: list[tuple[Phrase, dict[str, str]]] = [(opening, {})]
        sentences += [(phrase, lists) for _, phrase, lists in picked]
        if paused:
            sentences.append((rng.choice(PAUSED_SENTENCES), {}))
        if len(sentences) < 4 and rng.random() < 0.12:
            sentences.append((LINK_SENTENCE, {}))
        out: list[str] = []
        for lang, index in (("fr", 0 if fem else 1), ("en", 2)):
            parts = [
                phrase[index].format(**fields, items=lists.get(lang, ""))
                for phrase, lists in sentences
            ]
            out.append("\n".join(_wrap(" ".join(parts))) + "\n")
        return out[0], out[1]

    def profile(self) -> tuple[str, str]:
        """(id, YAML text) of the next profile."""
        rng = self.rng
        p = self.p
        first, grammatical = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        first_slug, last_slug = slugify(first), slugify(last)
        cid = self._unique_id(f"{first_slug}-{last_slug}")
        # Display names are unique (identity.duplicate-name): a repeated name gets initials.
        repeat = self.ids[f"{first_slug}-{last_slug}"] - 1
        display = f"{first} {_initials(repeat)} {last}" if repeat else f"{first} {last}"
        fem = grammatical == "f"
        gender, description, pronouns = self._gender(grammatical)
        external = rng.random() < 0.2
        paused = rng.random() < 0.15
        location = rng.choice(LOCATIONS)
        if external:
            role = rng.choice(EXTERNAL_ROLES)[0 if fem else 1]
        else:
            role = f"{rng.choice(TITLES)[0 if fem else 1]} {rng.choice(SERVICES)}"
        entity = rng.choice(p.vocab["entities"]).id
        networks = self._pick("networks", 1, 2) if rng.random() < 0.6 else []
        modalities = self._pick("modalities", 1, 3)
        languages = self._languages()
        offers = self._pick("offers", 1, 2)
        expertise = self._pick("expertise", 1, 3)
        credential_fields, practice = self._credentials()
        if external:
            practice += rng.randint(200, 3000)
        capacity = rng.randint(1, p.max_capacity)
        version, signed = self._charter()
        supervision = self._supervision()
        provider = rng.choice(PROVIDERS) if external else None
        booking = rng.random() < 0.25
        handle = self._handle(cid, first_slug, last_slug)
        bio_fr, bio_en = self._bio(
            fem=fem,
            cid=cid,
            location=location,
            external=external,
            paused=paused,
            expertise=expertise,
            modalities=modalities,
            languages=languages,
        )

        data: dict[str, Any] = {"schema_version": 1, "name": Quoted(display)}
        if pronouns is not None:
            data["pronouns"] = pronouns
        if gender is not None:
            data["gender"] = gender
        if description is not None:
            data["gender_description"] = Quoted(description)
        data["entity"] = entity
        if networks:
            data["networks"] = [t.id for t in networks]
        data["role"] = Quoted(role)
        data["location"] = Quoted(location)
        data["modalities"] = [t.id for t in modalities]
        data["languages"] = languages
        data["offers"] = [t.id for t in offers]
        data["expertise"] = [t.id for t in expertise]
        data["bio"] = {"fr": bio_fr, "en": bio_en}
        data.update(credential_fields)
        data["capacity"] = capacity
        data["status"] = "paused" if paused else "accepting"
        data["charter"] = {"version": Quoted(version), "signed": signed.isoformat()}
        if supervision is not None:
            data["supervision"] = {"last": supervision.isoformat()}
        data["contact"] = {"email": f"{cid}@{EMAIL_DOMAIN}"}
        data["github"] = handle
        data["affiliation"] = "external" if external else "internal"
        if provider is not None:
            data["provider"] = Quoted(provider)
        if booking:
            data["booking_url"] = f"https://rendez-vous.example/{cid}"
        data["practice_hours"] = practice
        data["declarations"] = {
            "confidentiality": True,
            "no_promotion_role": True,
            "no_staff_representative_role": True,
        }
        # The demo's own synthetic data: tests/test_demo.py validates what it writes, and the
        # load-back check would triple the time of a large demo.
        return cid, emit_profile(data, list(data), COMMENT, check=False)


def _labels(terms: Sequence[_Term], *, bold: bool = False, lower_en: bool = True) -> dict[str, str]:
    """'a, b et c' / 'a, b and c' from the terms' labels, optionally in bold.

    English keeps capitals when ``lower_en`` is false (language names: 'French').
    """
    out: dict[str, str] = {}
    for lang, conjunction, longer in (("fr", "et", ", ainsi que"), ("en", "and", ", as well as")):
        labels = [t.fr if lang == "fr" else t.en for t in terms]
        if lang == "fr" or lower_en:
            labels = [_lower_first(label) for label in labels]
        if any(f" {conjunction} " in label for label in labels):
            conjunction = longer  # 'a, b et c et d' would be ambiguous
        text = _enumerate(labels, conjunction)
        out[lang] = f"**{text}**" if bold else text
    return out
