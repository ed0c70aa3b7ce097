"""Differential tests: each dialect reads exactly the keys and values its real loader reads.

The oracles are the real loaders: node's `dotenv` package (and `dotenv-expand`) from npm,
python-dotenv, and bash. Files come from hypothesis (built from the characters that matter
to dotenv syntax: quotes, `#`, `=`, `:`, backslashes, `$`, braces, CR, BOM, Unicode spaces)
and from a table of awkward lines seen in real projects.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from unittest import mock

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift import dialects
from drift.dialects import Assignment, Malformed
from tests.dialects.conftest import NodeOracle, bash_values

# Lines seen in real .env files that loaders disagree about.
AWKWARD = [
    'MAIL_FROM="My Race Engineer" <no-reply@example.com>',
    "QUOTED_THEN_TEXT='single' trailing",
    "HASH_IN_VALUE=abc#def",
    "HASH_AFTER_SPACE=abc #def",
    'HASH_QUOTED="abc #def" # comment',
    "export EXPORTED=yes",
    "export  SPACED = spaced value  ",
    "CRLF=windows\r",
    "\ufeffBOM_FIRST=1",
    'MULTI="line one\nline two"',
    "MULTI_SINGLE='a\nb'",
    "EMPTY_COMMENT= # defaults to something",
    "#COMMENTED= # defaults to LOCAL_DOMAIN",
    "# - E-MAIL SETTINGS ****",
    'ESCAPES="tab\\tnew\\nline\\\\ back"',
    "SINGLE_ESCAPES='no\\nescape'",
    "URL=postgresql://user:p%40ss@db:5432/app?schema=public",
    'JSON={"a": 1, "b": [1, 2]}',
    "YAML_STYLE: value",
    "SPACES_AROUND = value",
    "DOLLAR=pa$$word",
    "BACKTICK=`cmd`",
    "BARE_KEY",
    "  INDENTED=yes",
    "DOTTED.KEY=1",
    "DASHED-KEY=1",
    "TRAILING_SPACES=value   ",
    "NBSP=\u00a0value\u00a0",
    "QUOTE_INSIDE=it's",
    'DOUBLE_INSIDE=say "hi"',
    "EQUALS_IN_VALUE=a=b=c",
]

_KEY = st.from_regex(r"[A-Z_][A-Z0-9_]{0,4}", fullmatch=True)
_PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "0",
        " ",
        "  ",
        "\t",
        "#",
        "=",
        ":",
        "'",
        '"',
        "`",
        "\\",
        "\\n",
        "$",
        "{",
        "}",
        "${A}",
        "$B",
        "-",
        ".",
        "/",
        "@",
        "\n",
        "\r\n",
        "\r",
        "\u00a0",
        "\u2028",
        "\ufeff",
        "é",
        "export ",
        "x y",
    ]
)
_VALUE = st.lists(_PIECES, max_size=8).map("".join)
_LINE = st.one_of(
    st.tuples(st.sampled_from(["", " ", "export ", "\t"]), _KEY, st.sampled_from(["=", " = ", ": ", "="]), _VALUE).map(
        "".join
    ),
    st.tuples(st.just("#"), _VALUE).map("".join),
    st.just(""),
    _VALUE,
)
_FILE = st.lists(_LINE, max_size=8).map("\n".join)


def drift_values(text: str, dialect: str, expand: bool = False) -> dict[str, str]:
    return {key: a.value for key, a in dialects.read(text, dialect, expand, "f.env").values.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_FILE)
def test_node_reads_what_dotenv_reads(node_oracle: NodeOracle, text: str) -> None:
    assert drift_values(text, "node") == node_oracle.parse(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_FILE)
def test_node_expansion_is_dotenv_expand(node_oracle: NodeOracle, text: str) -> None:
    assert drift_values(text, "node", expand=True) == node_oracle.parse(text, expand=True)


@pytest.mark.parametrize("line", AWKWARD)
def test_node_awkward_lines(node_oracle: NodeOracle, line: str) -> None:
    text = f"FIRST=1\n{line}\nLAST=2\n"
    assert drift_values(text, "node") == node_oracle.parse(text)


def python_oracle(text: str, interpolate: bool) -> dict[str, str]:
    with mock.patch.dict(os.environ, clear=True):
        loaded = dotenv_values(stream=io.StringIO(text), interpolate=interpolate)
    return {k: v for k, v in loaded.items() if v is not None}


@settings(max_examples=300, deadline=None)
@given(text=_FILE)
def test_python_reads_what_python_dotenv_reads(text: str) -> None:
    assert drift_values(text, "python") == python_oracle(text, interpolate=False)


@settings(max_examples=150, deadline=None)
@given(text=_FILE)
def test_python_expansion_is_python_dotenv_interpolation(text: str) -> None:
    assert drift_values(text, "python", expand=True) == python_oracle(text, interpolate=True)


@pytest.mark.parametrize("line", AWKWARD)
def test_python_awkward_lines(line: str) -> None:
    text = f"FIRST=1\n{line}\nLAST=2\n"
    assert drift_values(text, "python") == python_oracle(text, interpolate=False)


# Shell files: values built from pieces a shell file really holds, so most are accepted.
_SHELL_PIECE = st.sampled_from(
    [
        "a",
        "Z9",
        "-",
        ".",
        "/",
        ":",
        "@",
        "%",
        "=",
        "\\ ",
        "\\$",
        "\\\\",
        "'single quoted'",
        "'it''s'",
        '"double"',
        '"with $KA and ${KB}"',
        '"esc \\" \\$ \\\\ \\n"',
        "$KA",
        "${KB}",
        "${KA:-fallback}",
        "${KZ-none}",
        "${KA:+set}",
        "#notcomment",
        "$",
        '"multi\nline"',
        "'multi\nline'",
        "é",
        "*",
        "?",
    ]
)
_SHELL_VALUE = st.lists(_SHELL_PIECE, max_size=5).map("".join)
_SHELL_KEY = st.sampled_from(["KA", "KB", "KC", "K_1", "KZZ"])
_SHELL_LINE = st.one_of(
    st.tuples(st.sampled_from(["", "export ", "  "]), _SHELL_KEY, st.just("="), _SHELL_VALUE).map("".join),
    st.tuples(_SHELL_KEY, st.just("="), _SHELL_VALUE, st.just(" "), _SHELL_KEY, st.just("="), _SHELL_VALUE).map(
        "".join
    ),
    st.tuples(_SHELL_KEY, st.just("="), _SHELL_VALUE, st.sampled_from([" # note", "; KC=2", ""])).map("".join),
    st.just("# a comment"),
    st.just(""),
    st.just("export KA"),
)
_SHELL_FILE = st.lists(_SHELL_LINE, max_size=6).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_SHELL_FILE)
def test_shell_reads_what_bash_exports(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    lines = dialects.parse(text, "shell")
    path = tmp_path_factory.mktemp("sh") / "f.env"
    path.write_text(text, encoding="utf-8")
    exported = bash_values(path)
    if any(isinstance(line, Malformed) for line in lines):
        return  # drift refused to evaluate something; the table below pins what it refuses
    assert exported is not None, "bash failed on a file drift accepted"
    assert drift_values(text, "shell") == exported


SHELL_REFUSED = [
    "KA=$(whoami)",
    "KA=`id`",
    "KA=1 some-command",
    "KA=1 | tee x",
    "KA=1 > out",
    "KA=~/x",
    "KA=$1",
    "KA=$$",
    "KA=$'bash'",
    'KA="unterminated',
    "source other.env",
]


@pytest.mark.parametrize("line", SHELL_REFUSED)
def test_shell_refuses_what_it_cannot_evaluate(line: str) -> None:
    lines = dialects.parse(f"KB=1\n{line}\nKC=2\n", "shell")
    assert [m.line for m in lines if isinstance(m, Malformed)] == [2]
    assert {a.key for a in lines if isinstance(a, Assignment)} >= {"KB"}


def test_shell_accepts_the_common_shapes(tmp_path: Path) -> None:
    text = (
        "# settings\nexport KA='single $KB'\nKB=\"double ${KA}\"\nKC=plain\\ escaped KD=two\n"
        'KE=${MISSING:-fallback}; KF="multi\nline"\n'
    )
    path = tmp_path / "f.env"
    path.write_text(text, encoding="utf-8")
    lines = dialects.parse(text, "shell")
    assert not [m for m in lines if isinstance(m, Malformed)]
    assert drift_values(text, "shell") == bash_values(path)
    assert drift_values(text, "shell")["KB"] == "double single $KB"
