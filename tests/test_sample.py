"""The sample programme: fictional, varied, and using every vocabulary value at least once."""

from __future__ import annotations

from coachdir.loader import load_file
from coachdir.programme import VOCABULARY_FIELDS
from conftest import ROOT


def _profiles() -> list[dict[str, object]]:
    out = []
    for path in sorted((ROOT / "coaches").glob("*.yml")):
        loaded = load_file(str(path))
        assert loaded.data is not None, loaded.problems
        out.append(loaded.data)
    return out


def test_sample_has_at_least_24_varied_coaches() -> None:
    profiles = _profiles()
    assert len(profiles) >= 24
    assert sum(1 for p in profiles if p["status"] == "paused") >= 3
    assert any(p["affiliation"] == "external" for p in profiles)
    assert any(not str(p["name"]).isascii() for p in profiles)
    bios = [p["bio"] for p in profiles]
    assert all(isinstance(b, dict) for b in bios)
    assert any("fr" in b and "en" not in b for b in bios)  # type: ignore[operator]
    assert any("en" in b and "fr" not in b for b in bios)  # type: ignore[operator]


def test_every_vocabulary_value_is_used() -> None:
    programme = load_file(str(ROOT / "programme.yml")).data
    assert programme is not None
    profiles = _profiles()
    for field, (vocabulary, is_list) in VOCABULARY_FIELDS.items():
        used: set[str] = set()
        for profile in profiles:
            value = profile.get(field)
            if value is None:
                continue
            used.update(value if is_list else [value])  # type: ignore[arg-type]
        ids = {term["id"] for term in programme["vocabularies"][vocabulary]}
        assert ids <= used, f"{vocabulary} never used: {sorted(ids - used)}"
    credential_types = {t["id"] for t in programme["vocabularies"]["credential_types"]}
    used_types = {c["type"] for p in profiles for c in p.get("credentials", [])}  # type: ignore[attr-defined]
    assert credential_types <= used_types, sorted(credential_types - used_types)
