"""Tests of the synthetic demo programme generator (coachdir.tools.demo)."""

from __future__ import annotations

import json
import re
import shutil
import statistics
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coachdir.loader import load_file
from coachdir.problems import format_text
from coachdir.text import identity_key
from coachdir.tools.demo import MAX_COACHES, DemoError, generate, slugify
from coachdir.validation.engine import validate

REPO = Path(__file__).resolve().parents[1]
REFERENCE_DAY = date(2026, 11, 1)
TODAY = date(2026, 11, 22)
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _programme() -> dict[str, Any]:
    loaded = load_file(str(REPO / "programme.yml"))
    assert loaded.data is not None, loaded.problems
    return loaded.data


def _load(path: Path) -> dict[str, Any]:
    loaded = load_file(str(path), path.name)
    assert loaded.data is not None, format_text(loaded.problems)
    return loaded.data


@pytest.fixture(scope="module")
def sixty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo") / "programme"
    return out, generate(out, 60, source=REPO)


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("demo-large") / "programme"
    return [_load(p) for p in generate(out, 1000, source=REPO, seed=7)]


def test_display_names_are_unique_after_folding(thousand: list[dict[str, Any]]) -> None:
    keys = [identity_key(str(p["name"])) for p in thousand]
    assert len(set(keys)) == len(keys)


def test_generated_programme_passes_the_validator(sixty: tuple[Path, list[Path]]) -> None:
    out, paths = sixty
    assert len(paths) == 60
    report = validate(out, today=TODAY)
    errors = [p for p in report.problems if p.severity == "error"]
    assert not errors, "\n" + format_text(errors)
    assert report.ok
    assert report.files == 61  # 60 profiles and programme.yml


def test_profiles_match_schema_vocabularies_and_credential_rules(
    sixty: tuple[Path, list[Path]],
) -> None:
    """Independent of coachdir.validation.engine: jsonschema plus the programme's own rules."""
    _, paths = sixty
    programme = _programme()
    vocab = {name: {t["id"] for t in terms} for name, terms in programme["vocabularies"].items()}
    credential_types = {c["id"]: c for c in programme["vocabularies"]["credential_types"]}
    schema = json.loads((REPO / "schemas" / "coach.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    fields = {
        "entity": "entities",
        "gender": "genders",
        "networks": "networks",
        "modalities": "modalities",
        "languages": "languages",
        "offers": "offers",
        "expertise": "expertise",
    }
    for path in paths:
        data = _load(path)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"
        for field, name in fields.items():
            values = data.get(field, [])
            for value in values if isinstance(values, list) else [values]:
                assert value in vocab[name], f"{path.name}: {field} {value!r}"
        assert 1 <= data["capacity"] <= programme["max_capacity"]
        assert data["charter"]["version"] in programme["charter"]["versions"]
        assert data["charter"]["signed"] <= REFERENCE_DAY.isoformat()
        if "supervision" in data:
            assert data["supervision"]["last"] <= REFERENCE_DAY.isoformat()
        assert ("provider" in data) == (data["affiliation"] == "external")
        assert set(data["bio"]) == {"fr", "en"}
        assert data["contact"]["email"] == f"{path.stem}@phares-balises.example"
        assert all(data["declarations"].values())
        practice = data.get("practice_hours", 0)
        obtained: dict[str, str] = {}
        for cred in data.get("credentials", []):
            rule = credential_types[cred["type"]]
            obtained[cred["type"]] = cred["obtained"]
            date.fromisoformat(cred["obtained"])
            assert cred["obtained"] <= REFERENCE_DAY.isoformat()
            if "min_training_hours" in rule:
                assert cred["hours"] >= rule["min_training_hours"], path.name
            if "min_practice_hours" in rule:
                assert practice >= rule["min_practice_hours"], path.name
            if rule.get("expiry_required"):
                assert "expires" in cred, path.name
            if "expires" in cred:
                assert cred["expires"] > cred["obtained"]
                assert cred["expires"] > "2027-06-30"
        for check in data.get("verification", []):
            assert check["by"] in programme["team"]
            assert obtained[check["credential"]] <= check["date"] <= REFERENCE_DAY.isoformat()


def test_files_are_plain_utf8_with_the_profile_header(sixty: tuple[Path, list[Path]]) -> None:
    _, paths = sixty
    for path in paths:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        assert raw.endswith(b"\n") and not raw.endswith(b"\n\n")
        lines = raw.decode("utf-8").split("\n")
        assert lines[0] == "# yaml-language-server: $schema=../schemas/coach.schema.json"
        assert lines[1].startswith("# ")
        assert lines[2] == "schema_version: 1"
        assert "  fr: |" in lines and "  en: |" in lines


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 120, source=REPO, seed=11)
    second = generate(tmp_path / "b", 120, source=REPO, seed=11)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate(tmp_path / "c", 120, source=REPO, seed=12)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_default_seed_is_stable(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 5, source=REPO)
    b = generate(tmp_path / "b", 5, source=REPO, seed=2026)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_ids_handles_and_emails_are_unique(tmp_path: Path) -> None:
    # 3,000 profiles from ~60 x 60 names: many name collisions, resolved by -2, -3 ...
    paths = generate(tmp_path / "out", 3000, source=REPO)
    ids = [p.stem for p in paths]
    assert len(set(ids)) == 3000
    assert sorted(p.name for p in (tmp_path / "out" / "coaches").iterdir()) == sorted(
        f"{i}.yml" for i in ids
    )
    assert all(ID.fullmatch(i) and len(i) <= 60 for i in ids)
    assert any(i.endswith("-2") for i in ids) and any(i.endswith("-3") for i in ids)
    for i in ids:
        if re.search(r"-\d+$", i):  # a suffixed id always has its unsuffixed sibling
            assert re.sub(r"-\d+$", "", i) in set(ids)
    handles: set[str] = set()
    emails: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        handle = re.search(r"^github: (\S+)$", text, re.M)
        email = re.search(r'^  email: "(\S+)"$', text, re.M)
        assert handle and email
        assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?", handle[1])
        assert "--" not in handle[1]
        handles.add(handle[1].lower())
        emails.add(email[1].lower())
    assert len(handles) == len(emails) == 3000


def test_slugs_are_ascii_transliterations() -> None:
    assert slugify("Zoé Nguyễn") == "zoe-nguyen"
    assert slugify("Søren Ødegaard") == "soren-odegaard"
    assert slugify("Łukasz Wiśniewska") == "lukasz-wisniewska"
    assert slugify("Rachid Aït Ouali") == "rachid-ait-ouali"
    assert slugify("Marie-José Dupré-Lagarde") == "marie-jose-dupre-lagarde"


def test_norwegian_is_quoted_and_accents_are_kept(tmp_path: Path) -> None:
    paths = generate(tmp_path / "out", 400, source=REPO)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert any('"no"' in t for t in texts)
    assert not any(re.search(r"^languages: .*[\[ ]no[,\]]", t, re.M) for t in texts)
    assert any(re.search(r'^name: ".*[éèëïøłễ].*"$', t, re.M) for t in texts)


def test_source_is_copied(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copyfile(REPO / "programme.yml", source / "programme.yml")
    shutil.copytree(REPO / "schemas", source / "schemas")
    (source / "content" / "fr").mkdir(parents=True)
    (source / "content" / "fr" / "index.md").write_text("# Bienvenue — phares\n", "utf-8")
    (source / "content" / "en").mkdir()
    (source / "content" / "en" / "index.md").write_text("# Welcome\n", "utf-8")
    (source / "coaches").mkdir()
    (source / "coaches" / "real-person.yml").write_text("name: x\n", "utf-8")

    out = tmp_path / "out"
    paths = generate(out, 3, source=source)
    assert (out / "programme.yml").read_bytes() == (source / "programme.yml").read_bytes()
    for rel in (
        "schemas/coach.schema.json",
        "schemas/programme.schema.json",
        "content/fr/index.md",
        "content/en/index.md",
    ):
        assert (out / rel).read_bytes() == (source / rel).read_bytes(), rel
    # the source's own profiles are not copied: only the synthetic ones are there
    assert sorted((out / "coaches").iterdir()) == sorted(paths)
    assert not (out / "coaches" / "real-person.yml").exists()


def test_copies_of_the_real_repository(sixty: tuple[Path, list[Path]]) -> None:
    out, _ = sixty
    for rel in (
        "programme.yml",
        "schemas/coach.schema.json",
        "content/fr/index.md",
        "content/en/charter.md",
    ):
        assert (out / rel).read_bytes() == (REPO / rel).read_bytes(), rel


def test_empty_existing_folder_is_accepted(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert len(generate(out, 2, source=REPO)) == 2


@pytest.mark.parametrize("count", [0, -1, MAX_COACHES + 1])
def test_refuses_bad_counts(tmp_path: Path, count: int) -> None:
    with pytest.raises(DemoError):
        generate(tmp_path / "out", count, source=REPO)
    assert not (tmp_path / "out").exists()


def test_refuses_non_empty_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious\n", "utf-8")
    with pytest.raises(DemoError, match="not empty"):
        generate(out, 5, source=REPO)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_refuses_output_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "file"
    out.write_text("x", "utf-8")
    with pytest.raises(DemoError):
        generate(out, 5, source=REPO)
    assert out.read_text("utf-8") == "x"


def test_refuses_source_without_programme(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    with pytest.raises(DemoError, match=r"programme\.yml"):
        generate(tmp_path / "out", 5, source=source)
    assert not (tmp_path / "out").exists()


def test_refuses_unreadable_programme(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "programme.yml").write_text("max_capacity: [\n", "utf-8")
    with pytest.raises(DemoError):
        generate(tmp_path / "out", 5, source=source)


def test_demo_error_is_an_exception() -> None:
    assert issubclass(DemoError, Exception)


def test_proportions_look_like_a_real_programme(thousand: list[dict[str, Any]]) -> None:
    n = len(thousand)
    paused = sum(d["status"] == "paused" for d in thousand) / n
    external = sum(d["affiliation"] == "external" for d in thousand) / n
    current = sum(d["charter"]["version"] == "2026-1" for d in thousand) / n
    recent_limit = (REFERENCE_DAY - timedelta(days=305)).isoformat()
    recent = sum(d.get("supervision", {}).get("last", "") >= recent_limit for d in thousand) / n
    assert 0.10 <= paused <= 0.20
    assert 0.15 <= external <= 0.25
    assert 0.85 <= current <= 0.95
    assert recent >= 0.8
    assert {d["capacity"] for d in thousand} == {1, 2, 3}
    assert any("**" in d["bio"]["fr"] for d in thousand)
    assert any("**" not in d["bio"]["fr"] for d in thousand)


def test_profile_sizes_are_realistic(tmp_path: Path) -> None:
    paths = generate(tmp_path / "out", 500, source=REPO)
    sizes = [p.stat().st_size for p in paths]
    assert 1400 <= statistics.median(sizes) <= 2500
    assert max(sizes) < 4000


def test_bios_have_two_to_four_sentences(thousand: list[dict[str, Any]]) -> None:
    for data in thousand:
        for lang in ("fr", "en"):
            text = data["bio"][lang]
            assert text.endswith("\n") and "\n\n" not in text
            count = len(re.findall(r"[.!?](?:\s|$)", text))
            assert 2 <= count <= 4, text
