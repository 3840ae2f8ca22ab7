"""Records: the pseudonym, the state machine, the loader's file checks, the demo records."""

from __future__ import annotations

import base64
import hashlib
import hmac
import shutil
from datetime import date
from pathlib import Path

import pytest

from coachdir.problems import UsageError
from coachdir.programme import load_programme
from coachdir.records.model import FINAL_STATES, TRANSITIONS, next_states
from coachdir.records.pseudonym import (
    CODE_PATTERN,
    DEMO_KEY,
    KEY_VARIABLE,
    client_code,
    key_from_environment,
)
from coachdir.records.rules import SPECS, rule_ids
from coachdir.tools.demorecords import generate_records
from coachdir.validation.engine import validate

REPO = Path(__file__).resolve().parents[1]


def test_client_code_known_vectors() -> None:
    # independent computation: HMAC-SHA256, base32 (RFC 4648, upper, no padding), 10 chars
    digest = hmac.new(b"key", b"octocat", hashlib.sha256).digest()
    assert base64.b32encode(digest).decode()[:10] == "TU4ZTIWHXM"
    assert client_code("octocat", b"key") == "C-TU4ZTIWHXM"
    assert client_code("octocat", DEMO_KEY) == "C-3O7G36N4YP"
    assert client_code("ana@example.org", DEMO_KEY) == "C-7LUOYZUAZ7"


def test_client_code_normalises_identity() -> None:
    assert client_code("  OctoCat \n", DEMO_KEY) == client_code("octocat", DEMO_KEY)
    # full-width letters (NFKC) and case folding give the same code
    assert client_code("ＡＮＡ@Example.ORG", DEMO_KEY) == client_code("ana@example.org", DEMO_KEY)
    assert client_code("octocat", b"other") != client_code("octocat", DEMO_KEY)
    assert CODE_PATTERN.match(client_code("x", DEMO_KEY))


def test_client_code_lower_cases_and_never_case_folds() -> None:
    # two different mailboxes: case folding would give them one code, so one person could
    # end the other's engagement
    assert client_code("straße@x.de", DEMO_KEY) != client_code("strasse@x.de", DEMO_KEY)
    assert client_code("STRASSE@X.DE", DEMO_KEY) == client_code("strasse@x.de", DEMO_KEY)


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_client_code_ignores_zero_width_characters(invisible: str) -> None:
    spoofed = f"ana{invisible}@example.org"
    assert client_code(spoofed, DEMO_KEY) == client_code("ana@example.org", DEMO_KEY)


def test_key_from_environment_missing_never_echoes() -> None:
    with pytest.raises(UsageError) as caught:
        key_from_environment({})
    assert KEY_VARIABLE in caught.value.message
    good = "k" * 32
    assert key_from_environment({KEY_VARIABLE: good}) == good.encode()
    with pytest.raises(UsageError) as blank:
        key_from_environment({KEY_VARIABLE: "  "})
    assert "  " not in blank.value.message.split(KEY_VARIABLE)[0][-3:]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("s3cret-that-is-far-too-short", "shorter than 32 bytes"),
        ("x", "shorter than 32 bytes"),
        ("a-long-enough-key-of-more-than-32-bytes\n", "white space"),
        (" a-long-enough-key-of-more-than-32-bytes", "white space"),
    ],
)
def test_key_from_environment_refuses_weak_or_padded_keys(value: str, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        key_from_environment({KEY_VARIABLE: value})
    assert says in caught.value.message
    assert value.strip() not in caught.value.message


def test_state_machine_is_consistent() -> None:
    assert not FINAL_STATES & set(TRANSITIONS)
    assert "reviewed" in next_states("requested", review=True)
    assert "intro" not in next_states("requested", review=True)
    assert "reviewed" not in next_states("requested", review=False)
    assert "intro" in next_states("requested", review=False)


def test_records_rule_ids_carry_their_module_name() -> None:
    for spec in SPECS:
        assert all(i.partition(".")[0] == spec.name for i in spec.ids)
    assert len(rule_ids()) == len(set(rule_ids()))


def test_committed_demo_records_are_the_generators_output() -> None:
    programme, _, problems = load_programme(REPO)
    assert programme is not None, problems
    files = generate_records(REPO, programme)
    committed = {
        p.relative_to(REPO / "records").as_posix()
        for p in (REPO / "records").rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert committed == set(files)
    for rel, text in files.items():
        assert (REPO / "records" / rel).read_text(encoding="utf-8") == text, rel


def test_demo_records_are_valid_and_plausible() -> None:
    report = validate(REPO, today=date(2026, 11, 22), records=REPO / "records")
    assert report.ok, [p for p in report.problems if p.severity == "error"]
    assert not [p for p in report.problems if p.path.startswith("records/")]
    programme, _, _ = load_programme(REPO)
    assert programme is not None
    import yaml

    states: set[str] = set()
    offers: set[str] = set()
    cohorts: set[str] = set()
    days: list[str] = []
    for path in sorted((REPO / "records" / "engagements").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        states |= {s["state"] for s in data["history"]}
        offers.add(data["offer"])
        cohorts.add(data["cohort"])
        days.extend(s["date"] for s in data["history"])
        intros = [s for s in data.get("sessions", []) if s["kind"] == "session"]
        assert len(intros) <= programme.session_plan["sessions"]
    assert states == set(TRANSITIONS) | FINAL_STATES
    assert offers == {t.id for t in programme.vocabulary("offers")}
    assert len(cohorts) >= 2
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    assert (last - first).days >= 18 * 30
    assert 55 <= len(list((REPO / "records" / "engagements").glob("*.yml"))) <= 65


def test_a_changed_record_is_not_served_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "p"
    for name in ("programme.yml",):
        shutil.copy2(REPO / name, root / name) if root.exists() else None
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", ".git", "site", "tests"))
    cache = tmp_path / "cache"
    today = date(2026, 11, 22)
    assert validate(root, today=today, cache_dir=cache, records=root / "records").ok
    record = root / "records" / "engagements" / "2025-0001.yml"
    record.write_text(
        record.read_text(encoding="utf-8")
        .replace('"civil-servant"', '"apprentice"')
        .replace('"contract-staff"', '"apprentice"'),
        encoding="utf-8",
    )
    report = validate(root, today=today, cache_dir=cache, records=root / "records")
    assert [p.rule for p in report.problems if p.path.startswith("records/")] == [
        "eligibility.contract-type"
    ]
