"""One of each (issue #8): one text module for ids and slugs, one YAML writer, banks as data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdir import text
from coachdir.emit import Quoted, dump_yaml, emit_profile, is_plain
from coachdir.loader import load_text

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "coachdir"
#: what only coachdir/text.py may spell out: the coach-id pattern, the slug substitution
ID_AND_SLUG_REGEXES = ("[a-z0-9]+(?:-[a-z0-9]+)*", "[^a-z0-9]")
#: functions that only coachdir/text.py may define
TEXT_FUNCTIONS = frozenset({"slugify", "label_slug", "coach_id_for"})


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE_DIR)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
    }


def test_only_text_spells_the_id_pattern_and_the_slug() -> None:
    offenders = sorted(
        name
        for name, tree in _modules().items()
        if name != "text.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and any(regex in node.value for regex in ID_AND_SLUG_REGEXES)
    )
    assert offenders == []


def test_only_text_defines_the_slug_functions() -> None:
    offenders = sorted(
        f"{name}:{node.name}"
        for name, tree in _modules().items()
        if name != "text.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in TEXT_FUNCTIONS
    )
    assert offenders == []


def test_the_id_users_share_the_text_module_pattern() -> None:
    from coachdir.github import changes, issueform
    from coachdir.rules import identity
    from coachdir.tools import demo, scaffold

    assert identity.ID_PATTERN is text.ID_PATTERN
    # scaffold checks a new id through the identity rule (rules.identity.new_id_problem)
    assert "new_id_problem" in Path(scaffold.__file__).read_text(encoding="utf-8")
    assert text.ID_PATTERN.pattern in changes._PROFILE.pattern
    assert issueform.label_slug is text.label_slug
    assert demo.slugify is text.slugify


def test_slugs_and_ids() -> None:
    assert text.slugify("Zoé Nguyễn") == "zoe-nguyen"
    assert text.slugify("李小龍") == ""
    assert text.label_slug("Votre rôle (actuel)") == "votre-role-actuel"
    assert text.label_slug("???") == "field"
    assert text.coach_id_for("李小龍", lambda _: False) == "coach"
    assert text.coach_id_for("Zoé Nguyễn", {"zoe-nguyen"}.__contains__) == "zoe-nguyen-2"
    assert text.ID_PATTERN.fullmatch("zoe-nguyen-2")
    assert not text.ID_PATTERN.fullmatch("zoe--nguyen")


# --- the one YAML writer ----------------------------------------------------------------------


_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\t"
)
# what the one character policy accepts (the loader refuses the rest, so the writer must too)
_LINE = st.text(_CHARS, max_size=30).filter(lambda t: text.first_forbidden(t) is None)
_WORD = st.from_regex(r"[a-z][a-z0-9]{0,6}(?:-[a-z0-9]{1,4}){0,2}", fullmatch=True)
_TEXT = st.one_of(_LINE, _WORD, st.builds(Quoted, _WORD), st.sampled_from(["no", "true", "1"]))
_MULTILINE = st.lists(_LINE, min_size=1, max_size=4).map("\n".join).filter(
    lambda t: "\n" in t
) | st.lists(_LINE, min_size=1, max_size=4).map(lambda lines: "\n".join(lines) + "\n")
_SCALAR = st.one_of(_TEXT, st.integers(0, 10_000), st.booleans())
_KEYS = st.sampled_from(["name", "role", "location", "capacity", "status", "github", "x_extra"])
_PROFILE = st.fixed_dictionaries(
    {"schema_version": st.just(1), "name": _LINE},
    optional={
        "languages": st.lists(_WORD, max_size=4),
        "bio": st.dictionaries(st.sampled_from(["fr", "en"]), _MULTILINE, min_size=1),
        "credentials": st.lists(
            st.dictionaries(st.sampled_from(["type", "issuer", "hours"]), _SCALAR, min_size=1),
            max_size=3,
        ),
        "charter": st.fixed_dictionaries({"version": _TEXT, "signed": _TEXT}),
        "declarations": st.dictionaries(
            st.sampled_from(["confidentiality", "a"]), st.booleans(), min_size=1
        ),
    },
).flatmap(lambda base: st.dictionaries(_KEYS, _SCALAR, max_size=4).map(lambda e: {**e, **base}))


@settings(max_examples=300, deadline=None)
@given(_PROFILE)
def test_profile_writer_round_trips_through_the_strict_loader(data: dict[str, object]) -> None:
    text = emit_profile(data, ["schema_version", "name", "bio"], "a comment")
    loaded = load_text("(test)", text)
    assert loaded.problems == []
    assert loaded.data == data
    assert list(loaded.data)[:2] == ["schema_version", "name"]


def test_an_empty_mapping_is_refused_not_written_as_null() -> None:
    # (intake answers "cannot be written safely" rather than writing ``bio:`` as null)
    with pytest.raises(ValueError, match="does not load back"):
        emit_profile({"schema_version": 1, "bio": {}}, [])


def test_quoted_text_is_never_plain() -> None:
    assert is_plain("coaching") and not is_plain(Quoted("coaching")) and not is_plain("no")
    text = emit_profile({"a": Quoted("genderqueer"), "b": "genderqueer"}, [])
    assert text.endswith('a: "genderqueer"\nb: genderqueer\n')


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "body", "labels"]), _TEXT | _MULTILINE))
def test_forms_writer_round_trips_and_quotes_every_string(data: dict[str, str]) -> None:
    text = dump_yaml({"fields": [data]} if data else {"fields": []})
    loaded = load_text("(test)", text)
    assert loaded.problems == []
    assert loaded.data == ({"fields": [data]} if data else {"fields": []})


# --- new-profile defaults, once -------------------------------------------------------------


def test_new_and_registration_share_the_new_profile_defaults(tmp_path: Path) -> None:
    """Both ways of making a profile start from tools/scaffold.new_profile_defaults: a
    change of the defaults reaches both (here seen through a patched charter version)."""
    from datetime import date
    from unittest import mock

    from coachdir.github import intake
    from coachdir.programme import load_programme
    from coachdir.tools import scaffold
    from conftest import copy_programme

    root = copy_programme(tmp_path / "p")
    programme, _, _ = load_programme(root)
    assert programme is not None
    today = date(2026, 11, 22)
    defaults = scaffold.new_profile_defaults(programme, today)
    assert defaults["status"] == "accepting" and defaults["schema_version"] == 1
    answers = scaffold.Answers(
        coach_id="paul-durand", name="Paul Durand", github="paul-durand",
        email="paul.durand@phares-balises.example", entity="direction-balises",
        role="Chef de quai", location="Sète", languages=["fr"], offers=["coaching"],
        expertise=["career"], modalities=["video"], capacity=1,
    )  # fmt: skip
    marked = {**defaults, "status": "paused"}
    with mock.patch.object(scaffold, "new_profile_defaults", return_value=dict(marked)):
        assert "status: paused" in scaffold.render_profile(answers, programme, today)
    assert "new_profile_defaults" in intake._registration.__code__.co_names + tuple(
        intake._registration.__code__.co_varnames
    )


def test_programme_settings_are_read_through_typed_properties(tmp_path: Path) -> None:
    from coachdir.programme import load_programme
    from conftest import copy_programme

    programme, _, _ = load_programme(copy_programme(tmp_path / "p"))
    assert programme is not None
    raw = programme.raw
    assert programme.session_plan == raw["session_plan"]
    assert programme.ethics_referent == raw["ethics_referent"]
    assert programme.request_target == raw["request_target"]
    assert programme.site_url == raw.get("site_url")
    users = ["site/render.py", "site/build.py", "github/forms.py", "github/vocabulary.py"]
    for rel in users:
        source = (PACKAGE_DIR / rel).read_text(encoding="utf-8")
        for key in ("session_plan", "ethics_referent", "request_target", "site_url"):
            assert f'raw["{key}"]' not in source and f'raw.get("{key}"' not in source, rel
