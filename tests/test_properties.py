"""Property tests of the whole validator: any mutation of a valid profile gives problems with
positions, or is valid — never an exception."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdir.loader import load_file
from coachdir.validation.engine import validate
from conftest import ROOT, copy_programme

BASE = load_file(str(ROOT / "coaches" / "helene-dubois.yml")).data or {}
FIELDS = sorted(BASE)

_leaf = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.none(),
    st.sampled_from(
        [
            "2026-02-30",
            "no",
            "https://x.example",
            "javascript:alert(1)",
            "<b>x</b>",
            "# Title",
            "[a](https://b.example)",
            "photos/helene-dubois.png",
            "fr",
        ]
    ),
)
_value = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "fr",
                    "en",
                    "type",
                    "issuer",
                    "obtained",
                    "last",
                    "version",
                    "signed",
                    "email",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.dictionaries(st.sampled_from([*FIELDS, "extra"]), _value, max_size=4),
    st.lists(st.sampled_from(FIELDS), max_size=3),
)
def test_mutated_profiles_never_crash(tmp_path_factory, changes, removed) -> None:  # type: ignore[no-untyped-def]
    root: Path = tmp_path_factory.mktemp("prop")
    if not (root / "programme.yml").exists():
        copy_programme(root)
    data = {k: v for k, v in BASE.items() if k not in removed}
    data.update(changes)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    rel = "coaches/helene-dubois.yml"
    report = validate(root, [rel], today=date(2026, 11, 22), overrides={rel: text.encode()})
    for problem in report.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and problem.rule
    if report.ok:
        assert not changes.keys() - set(FIELDS)
