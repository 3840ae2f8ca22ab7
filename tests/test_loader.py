"""Unit tests of the strict loader, plus property tests: no input ever escapes as a crash."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdir.loader import MAX_BYTES, MAX_DEPTH, Loaded, load_bytes, load_text


def rules(result: Loaded) -> list[str]:
    return [p.rule for p in result.problems]


def test_plain_mapping_with_positions() -> None:
    result = load_text("a.yml", "name: Zoé\nlist:\n  - fr\n  - en\nnested:\n  key: 3\n")
    assert result.problems == []
    assert result.data == {"name": "Zoé", "list": ["fr", "en"], "nested": {"key": 3}}
    assert result.values[("list", 1)] == (4, 5)
    assert result.keys[("nested", "key")] == (6, 3)
    assert result.values[("nested", "key")] == (6, 8)


def test_crlf_is_accepted_and_positions_hold() -> None:
    result = load_bytes("a.yml", b"name: x\r\nlanguages:\r\n  - fr\r\n")
    assert result.problems == []
    assert result.data == {"name": "x", "languages": ["fr"]}
    assert result.values[("languages", 0)] == (3, 5)


def test_dates_stay_strings() -> None:
    result = load_text("a.yml", "a: 2024-03-01\nb: 2024-02-30\nc: 2024-03-01T10:00:00Z\n")
    assert result.data == {"a": "2024-03-01", "b": "2024-02-30", "c": "2024-03-01T10:00:00Z"}


def test_quoted_no_is_text_and_plain_no_is_refused() -> None:
    assert load_text("a.yml", 'languages: ["no"]\n').data == {"languages": ["no"]}
    result = load_text("a.yml", "languages: [fr, no]\n")
    assert result.data is None
    (problem,) = result.problems
    assert (problem.line, problem.col, problem.rule) == (1, 17, "yaml.ambiguous")
    assert 'Write "no" in quotes' in problem.hint


def test_booleans_null_and_integers() -> None:
    result = load_text("a.yml", "a: true\nb: false\nc: null\nd: ~\ne: 42\nf: -7\ng: 0\n")
    assert result.data == {"a": True, "b": False, "c": None, "d": None, "e": 42, "f": -7, "g": 0}


def test_ambiguous_scalars() -> None:
    for value in [
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "N",
        "0123",
        "1_000",
        "1:30",
        "1.10",
        "0x1F",
        "0o17",
        ".inf",
        "1e3",
        "3.",
        "-.5",
    ]:
        result = load_text("a.yml", f"v: {value}\n")
        assert rules(result) == ["yaml.ambiguous"], value


def test_duplicate_keys_report_both_lines() -> None:
    result = load_text("a.yml", "github: a\nname: b\n'github': c\n")
    (problem,) = result.problems
    assert (problem.line, problem.col) == (3, 1)
    assert "first defined at line 1, column 1" in problem.message


def test_anchor_alias_merge_tag_directive_multidoc() -> None:
    assert "yaml.anchor" in rules(load_text("a.yml", "a: &x 1\n"))
    assert "yaml.alias" in rules(load_text("a.yml", "a: &x 1\nb: *x\n"))
    assert "yaml.merge-key" in rules(load_text("a.yml", "a: &x {k: 1}\nb:\n  <<: *x\n"))
    assert rules(load_text("a.yml", "a: !!str 1\n")) == ["yaml.tag"]
    assert rules(load_text("a.yml", "a: !custom 1\n")) == ["yaml.tag"]
    assert rules(load_text("a.yml", "%YAML 1.1\n---\na: 1\n")) == ["yaml.directive"]
    assert rules(load_text("a.yml", "a: 1\n---\nb: 2\n")) == ["yaml.multi-document"]


def test_alias_bomb_is_refused_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    result = load_text("a.yml", "\n".join(lines) + "\n")
    assert result.data is None
    assert set(rules(result)) <= {"yaml.anchor", "yaml.alias", "yaml.too-many-problems"}


def test_empty_list_and_scalar_documents() -> None:
    assert rules(load_text("a.yml", "")) == ["yaml.empty"]
    assert rules(load_text("a.yml", "# only a comment\n")) == ["yaml.empty"]
    assert rules(load_text("a.yml", "- a\n- b\n")) == ["yaml.not-mapping"]
    assert rules(load_text("a.yml", "just text\n")) == ["yaml.not-mapping"]


def test_non_string_and_complex_keys() -> None:
    assert rules(load_text("a.yml", "1: a\n")) == ["yaml.key-type"]
    assert rules(load_text("a.yml", "true: a\n")) == ["yaml.key-type"]
    assert rules(load_text("a.yml", "? [a, b]\n: c\n")) == ["yaml.key-type"]
    assert load_text("a.yml", "'1': a\n").data == {"1": "a"}


def test_encoding_rules() -> None:
    assert rules(load_bytes("a.yml", b"\xef\xbb\xbfa: 1\n")) == ["file.bom"]
    assert rules(load_bytes("a.yml", "a: é\n".encode("utf-16"))) == ["file.encoding"]
    latin = load_bytes("a.yml", "name: Hélène\n".encode("latin-1"))
    (problem,) = latin.problems
    assert (problem.rule, problem.line, problem.col) == ("file.encoding", 1, 8)


def test_control_and_invisible_characters() -> None:
    result = load_text("a.yml", "name: a\u202eb\n")
    assert [(p.rule, p.line, p.col) for p in result.problems] == [("file.control-char", 1, 8)]
    assert rules(load_text("a.yml", 'name: "a\\x1bb"\n')) == ["yaml.control-char"]
    assert rules(load_text("a.yml", 'name: "a\\u200bb"\n')) == ["yaml.control-char"]
    assert rules(load_bytes("a.yml", b"name: a\x07b\n")) == ["file.control-char"]


def test_hidden_line_breaks_are_refused_with_their_position() -> None:
    text = 'status: accepting\u2028booking_url: "https://evil.example"\n'
    result = load_text("a.yml", text)
    assert [(p.rule, p.line, p.col) for p in result.problems] == [("file.control-char", 1, 18)]
    assert "U+2028" in result.problems[0].message
    for char in ("\u2029", "\x85"):
        found = load_text("a.yml", f"a: 1\nname: x{char}y\n")
        assert [(p.rule, p.line, p.col) for p in found.problems] == [("file.control-char", 2, 8)]
    assert rules(load_text("a.yml", 'name: "a\\u2028b"\n')) == ["yaml.control-char"]
    assert rules(load_text("a.yml", 'name: "a\\Lb"\n')) == ["yaml.control-char"]


def test_joiners_are_accepted_where_writing_needs_them() -> None:
    for value in ("👩\u200d💻", "🏳\ufe0f\u200d🌈", "می\u200cخواهم", "क्\u200dष"):
        assert load_text("a.yml", f"name: {value}\n").data == {"name": value}
        assert load_text("a.yml", f'name: "{value}"\n').data == {"name": value}
    for value in ("a\u200db", "a\u200cb", "👩\u200d", "\u200d💻", "ل\u200dक"):
        assert rules(load_text("a.yml", f"name: x{value}\n")) == ["file.control-char"]
    assert rules(load_text("a.yml", 'name: "a\\u200db"\n')) == ["yaml.control-char"]


def test_loader_and_issue_bodies_share_one_policy() -> None:
    from coachdir import loader
    from coachdir import text as charpolicy
    from coachdir.github import issueform

    assert loader.first_forbidden is charpolicy.first_forbidden
    assert issueform.first_forbidden is charpolicy.first_forbidden
    assert rules(load_text("a.yml", "name: a\u00adb\n")) == ["file.control-char"]


def test_size_and_depth_caps() -> None:
    big = b"bio: " + b"x" * MAX_BYTES + b"\n"
    assert rules(load_bytes("a.yml", big)) == ["file.too-large"]
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert rules(load_text("a.yml", deep)) == ["yaml.depth"]
    very_deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    assert rules(load_text("a.yml", very_deep)) == ["yaml.depth"]


def test_tab_indentation_says_use_spaces() -> None:
    result = load_text("a.yml", "a:\n\tb: 1\n")
    (problem,) = result.problems
    assert problem.rule == "yaml.syntax"
    assert "spaces, not tabs" in problem.hint
    assert (problem.line, problem.col) == (2, 1)


def test_block_scalar_position_is_first_content_line() -> None:
    result = load_text("a.yml", "bio:\n  fr: |\n    Bonjour\n    encore\n")
    assert result.values[("bio", "fr")] == (3, 5)
    assert result.data == {"bio": {"fr": "Bonjour\nencore\n"}}


# --- properties: whatever the input, a clean problem list and never an exception ---------

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(raw: bytes) -> None:
    result = load_bytes("r.yml", raw)
    assert (result.data is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and problem.hint


_scalars = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from(["no", "yes", "on", "0123", "1_0", "2024-02-30", "&a", "*a", "!!str", "<<"]),
)
_documents = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=10), children, max_size=5),
    ),
    max_leaves=30,
)


@_SETTINGS
@given(_documents, st.sampled_from([None, "'", '"', "|"]))
def test_random_yaml_never_crashes(doc: object, style: str | None) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, default_style=style)
    result = load_text("r.yml", text)
    assert (result.data is None) == bool(result.problems)
    if result.data is not None:
        assert isinstance(result.data, dict)


@_SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`\n\t ,?<0no~")), max_size=200))
def test_random_yaml_like_text_never_crashes(text: str) -> None:
    result = load_text("r.yml", text)
    assert (result.data is None) == bool(result.problems)


# --- the bio pre-filter never lets markup through that the full check would refuse -------

_bio_text = st.lists(
    st.sampled_from([*"ab <>[]()!#=-*_`&:/\n\t", "http", "javascript:", "\n---\n"]),
    max_size=40,
).map("".join)


@_SETTINGS
@given(_bio_text)
def test_bio_prefilter_is_exact(text: str) -> None:
    from coachdir.rules import bio

    full = list(bio._check_tokens(text))
    if not bio._MAY_HOLD_MARKUP.search(text):
        assert full == []


# --- what libyaml accepts but the YAML spec, editors and ruamel.yaml read otherwise --------


def where(result: Loaded) -> list[tuple[str, int, int]]:
    return [(p.rule, p.line, p.col) for p in result.problems]


def test_comment_glued_to_a_quoted_value_or_a_block_header() -> None:
    assert where(load_text("a.yml", 'key: "value"# comment\n')) == [("yaml.syntax", 1, 13)]
    assert where(load_text("a.yml", "key: 'value'#c\n")) == [("yaml.syntax", 1, 13)]
    assert where(load_text("a.yml", "key: [a, b]#c\n")) == [("yaml.syntax", 1, 12)]
    result = load_text("a.yml", "block: ># comment\n  scalar\n")
    assert where(result) == [("yaml.syntax", 1, 9)]
    assert "space before '#'" in result.problems[0].hint
    assert load_text("a.yml", 'key: "value" # comment\nb: |- # c\n  x\n').data == {
        "key": "value",
        "b": "x",
    }
    assert load_text("a.yml", "key: a#b\n").data == {"key": "a#b"}


def test_continuation_lines_must_be_indented() -> None:
    assert where(load_text("a.yml", 'quoted: "a\nb\nc"\n')) == [("yaml.syntax", 2, 1)]
    assert where(load_text("a.yml", "flow: [a,\nb,\nc]\n")) == [("yaml.syntax", 2, 1)]
    nested = load_text("a.yml", 'bio:\n  fr: "a\n  b"\n')
    assert where(nested) == [("yaml.syntax", 3, 1)]
    assert "line 2" in nested.problems[0].message
    ok = 'quoted: "a\n  b\n\n  c"\nflow: [a,\n  # note\n  b]\nbio:\n  fr: "x\n   y"\n'
    assert load_text("a.yml", ok).data == {
        "quoted": "a b\nc",
        "flow": ["a", "b"],
        "bio": {"fr": "x y"},
    }


def test_tabs_only_inside_text_or_comments() -> None:
    assert where(load_text("a.yml", "capacity:\t2\n")) == [("yaml.syntax", 1, 10)]
    assert where(load_text("a.yml", 'foo: "bar\n\tbaz"\n')) == [("yaml.syntax", 2, 1)]
    assert where(load_text("a.yml", 'foo: "bar\n  \tbaz"\n')) == [("yaml.syntax", 2, 3)]
    for text in ("a: 1\t# c\n", "a: x\tb\n", "a: xb\t\n", 'a: "x"\t\n', '"a"\t: b\n'):
        assert rules(load_text("a.yml", text)) == ["yaml.syntax"], text
    plain = load_text("a.yml", "a: x\tb\n").problems[0]
    assert "quotes" in plain.hint
    ok = 'a: "x\ty" #\tnote\nb: |\n  x\ty\n# \tc\n'
    assert load_text("a.yml", ok).data == {"a": "x\ty", "b": "x\ty\n"}


def test_a_tab_on_the_line_of_a_block_indicator_is_refused() -> None:
    # libyaml accepts these; the round-trip editor (ruamel.yaml) refuses them.
    for text, col in (("x: |\t\n  a\n", 5), ("x: | \t# c\n  a\n", 6), ("x: >-\t\n  a\n", 6)):
        assert where(load_text("a.yml", text)) == [("yaml.syntax", 1, col)], text
    assert load_text("a.yml", "x: | # c\t\n  a\t\n").data == {"x": "a\t\n"}


def test_a_comment_between_a_field_and_its_value_on_the_next_line_is_refused() -> None:
    # ruamel.yaml (the round-trip editor) raises NotImplementedError on the first one.
    assert where(load_text("a.yml", "a: # c\n  a\n\nb: 1\n")) == [("yaml.syntax", 2, 3)]
    assert where(load_text("a.yml", "a: # c\n  'x'\n")) == [("yaml.syntax", 2, 3)]
    assert where(load_text("a.yml", "a: # c\n |\n\n")) == [("yaml.syntax", 2, 2)]
    ok = "a: # c\n  - x\n\nb: 1 # d\nbio: | # e\n  x\n'#k': '#v'\n"
    assert load_text("a.yml", ok).data == {"a": ["x"], "b": 1, "bio": "x\n", "#k": "#v"}


def test_a_line_of_only_spaces_before_block_text_is_refused() -> None:
    # Even fewer spaces than the text's indentation: ruamel.yaml refuses it.
    assert where(load_text("a.yml", "a: |\n \n  a\n")) == [("yaml.syntax", 2, 1)]
    assert load_text("a.yml", "a: |\n\n  a\n  \n").data == {"a": "\na\n"}


def test_lines_of_only_spaces_around_block_text() -> None:
    folded = "empty block scalar: >\n \n  \n   \n # comment\n"
    assert rules(load_text("a.yml", folded)) == ["yaml.syntax"]
    assert where(load_text("a.yml", "foo: |\n  x\n   \n")) == [("yaml.syntax", 3, 1)]
    assert where(load_text("a.yml", "foo: |\n  x\n   ")) == [("yaml.syntax", 3, 1)]
    assert where(load_text("a.yml", "foo: >\n   \n  x\n"))[0] == ("yaml.syntax", 2, 1)
    assert where(load_text("a.yml", "- |\n  y\n    \n")) == [("yaml.syntax", 3, 1)]
    assert where(load_text("a.yml", "a:\n- |\n  y\n    \n")) == [("yaml.syntax", 4, 1)]
    ok = "foo: |\n  x\n   \n  y\n  \nbar: >\n\n  z\n"
    assert load_text("a.yml", ok).data == {"foo": "x\n \ny\n", "bar": "\nz\n"}


def test_question_mark_glued_to_a_key_in_braces() -> None:
    result = load_text("a.yml", "a: { ?foo: bar, bar: 42 }\n")
    assert where(result) == [("yaml.syntax", 1, 7)]
    assert load_text("a.yml", "a: { ? foo: bar }\n?foo: 1\n").data == {
        "a": {"foo": "bar"},
        "?foo": 1,
    }


# --- what the loader accepts, the round-trip editor (ruamel.yaml, used by intake) reads the
# --- same way: the validator and the editor never disagree about a file


def _plain(value: object) -> object:
    import datetime

    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]  # the loader keeps dates as their ISO text
    if isinstance(value, str):
        return str(value)
    return value


_yaml_pieces = st.sampled_from(
    [*"ab:-[]{}#|>'\"\n\t ,?0~", "  ", "\n  ", "\n- ", ": ", "# c", "x: ", "\u200d", "👩"]
)


_value_pieces = st.sampled_from(
    [*"ab'\"[]{},#|>?-:\n\t ", "  ", "\n ", "\n  ", "\n   ", "x y", "# c", "\u200d", "👩"]
)
_fields = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "?c", '"d"', "e f"]),
        st.sampled_from([" ", "  ", "\t", "\n  ", "\n- ", "\n  - "]),
        st.lists(_value_pieces, max_size=12).map("".join),
    ),
    min_size=1,
    max_size=4,
).map(lambda items: "".join(f"{k}:{sep}{v}\n" for k, sep, v in items))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_yaml_pieces, max_size=40).map("".join), _fields))
def test_accepted_text_reads_the_same_in_the_round_trip_editor(text: str) -> None:
    from ruamel.yaml import YAML

    result = load_text("r.yml", text)
    if result.data is None:
        return
    assert _plain(YAML(typ="rt").load(text)) == result.data
