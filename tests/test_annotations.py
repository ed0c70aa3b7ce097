"""The .env.example parser: declarations, descriptions, tags and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift import dialects
from drift.errors import SchemaError
from drift.schema import load_schema
from drift.schema.annotations import _TOKEN, parse_example, parse_tags


def declarations(text: str) -> dict[str, object]:
    parsed = parse_example(dialects.parse(text, "python"))
    assert not parsed.errors, parsed.errors
    return parsed.declarations  # type: ignore[return-value]


def test_comment_block_is_the_description_and_blank_lines_end_it() -> None:
    found = parse_example(dialects.parse("# Section\n\n# The origin\n# of the app\nAPP_URL=http://x\n", "python"))
    decl = found.declarations["APP_URL"]
    assert decl.description == "The origin of the app"
    assert decl.line == 5
    assert decl.example == "http://x"


def test_several_tags_on_one_line_and_unknown_tags_are_notes() -> None:
    decl = parse_example(
        dialects.parse("# @secret @type url(postgres,postgresql) @see https://docs\nDATABASE_URL=\n", "python")
    ).declarations["DATABASE_URL"]
    assert decl.fields == {"secret": True, "type": "url", "schemes": ("postgres", "postgresql")}
    assert decl.notes == ("@see",)
    assert "https://docs" in decl.description


def test_pattern_argument_may_contain_at_signs() -> None:
    decl = parse_example(dialects.parse("# @pattern ^[^@]+@corp\\.com$ owner address\nA=\n", "python")).declarations[
        "A"
    ]
    assert decl.fields["pattern"] == r"^[^@]+@corp\.com$"


def test_deprecated_takes_the_rest_of_the_line() -> None:
    decl = parse_example(
        dialects.parse("# @deprecated use SMTP_URL @secret instead\nSMTP_HOST=\n", "python")
    ).declarations["SMTP_HOST"]
    assert decl.fields == {"deprecated": "use SMTP_URL @secret instead"}


@pytest.mark.parametrize(
    ("tags", "fields"),
    [
        ("@not-secret", {"secret": False}),
        ("@required", {"required": True}),
        ("@optional", {"required": False}),
        ("@nonempty", {"nonempty": True}),
        ("@same", {"parity": "same"}),
        ("@differ", {"parity": "differ"}),
        ("@type int @min 1 @max 10", {"type": "int", "min": 1.0, "max": 10.0}),
        ("@min-length 32 @max-length 64", {"min_length": 32, "max_length": 64}),
        ("@default info", {"default": "info"}),
        ("@max-age 90d", {"max_age": 90 * 86400.0}),
        ("@type enum(auto,always,never)", {"type": "enum", "values": ("auto", "always", "never")}),
    ],
)
def test_tags(tags: str, fields: dict[str, object]) -> None:
    assert parse_example(dialects.parse(f"# {tags}\nA=\n", "python")).declarations["A"].fields == fields


def test_required_if_is_a_condition() -> None:
    decl = parse_example(dialects.parse("# @required-if TRACING_ENABLED=true\nA=\n", "python")).declarations["A"]
    assert str(decl.fields["required_if"]) == "TRACING_ENABLED=true"


def test_email_addresses_in_prose_are_not_tags() -> None:
    decl = parse_example(dialects.parse("# ask ops@corp.com for the value\nA=\n", "python")).declarations["A"]
    assert decl.fields == {}


def test_commented_out_assignment_declares_an_optional_key() -> None:
    found = parse_example(dialects.parse("# Where logs go\n# LOG_DIR=_logs\nNEXT=1\n", "python")).declarations
    assert found["LOG_DIR"].origin == "commented"
    assert found["LOG_DIR"].description == "Where logs go"
    assert found["NEXT"].description == ""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("A=1\n# @type integer\nB=\n", 2, "type"),
        ("# @min lots\nA=\n", 1, "min"),
        ("# @pattern [unclosed\nA=\n", 1, "regular expression"),
        ("# @type\nA=\n", 1, "needs an argument"),
    ],
)
def test_schema_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    example = tmp_path / ".env.example"
    example.write_text(text)
    with pytest.raises(SchemaError) as caught:
        load_schema(example, ".env.example", {}, [], "drift.toml")
    assert f".env.example:{line}:" in str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(("text", "line"), [("A=1\nnot an assignment\nB=2\n", 2), ("A=1\nBARE\nB=2\n", 2)])
def test_a_line_the_loader_rejects_is_malformed_and_the_rest_still_counts(tmp_path: Path, text: str, line: int) -> None:
    example = tmp_path / ".env.example"
    example.write_text(text)
    schema = load_schema(example, ".env.example", {}, [], "drift.toml")
    assert [n for n, _ in schema.malformed] == [line]
    assert set(schema.specs) == {"A", "B"}


@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300),
    st.sampled_from(dialects.DIALECTS),
)
def test_parser_never_raises_and_numbers_lines_in_order(text: str, dialect: str) -> None:
    lines = dialects.parse(text, dialect)
    numbers = [line.line for line in lines]
    assert numbers == sorted(numbers)
    assert all(n >= 1 for n in numbers)
    parse_example(lines)


@given(
    st.dictionaries(
        st.from_regex(r"[A-Z_][A-Z0-9_]{0,15}", fullmatch=True),
        st.text(
            alphabet=st.characters(blacklist_characters="\\\"'\r\n", blacklist_categories=["Cs", "Cc"]), max_size=30
        ),
        max_size=15,
    )
)
def test_assignments_round_trip_with_their_line_numbers(values: dict[str, str]) -> None:
    text = "".join(f'{key}="{value}"\n' for key, value in values.items())
    assignments = [line for line in dialects.parse(text, "python") if isinstance(line, dialects.Assignment)]
    assert {a.key: a.value for a in assignments} == values
    assert [a.line for a in assignments] == list(range(1, len(values) + 1))


@given(st.text(alphabet=st.characters(blacklist_characters="@"), max_size=40))
def test_a_comment_without_a_tag_is_its_words_one_space_apart(text: str) -> None:
    """The no-tag shortcut of `parse_tags` (`str.split`) gives the prose the token loop
    (`\\S+`) gives: the same words, whatever the whitespace (Unicode spaces included)."""
    fields: dict[str, object] = {}
    notes: list[str] = []
    assert parse_tags(text, fields, notes, lambda message: None) == " ".join(_TOKEN.findall(text))
    assert (fields, notes) == ({}, [])
