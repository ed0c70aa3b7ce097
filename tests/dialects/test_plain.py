"""The plain-line fast path (`drift.dialects.plain`) reads exactly what each dialect's full
parser reads: the same lines, numbers, comments, blanks and problems, on files that mix plain
lines with everything the loaders treat specially. test_oracles.py holds the result to the
real loaders; this file holds the fast path to the parsers it stands in for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO
from unittest import mock

import dotenv.parser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift import dialects
from drift.dialects import plain
from drift.dialects.lines import Line
from tests.dialects.test_oracles import AWKWARD

_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
_PLAIN_VALUE = st.from_regex(r"[A-Za-z0-9_./:@+,%=-]{0,8}", fullmatch=True)
_PLAIN = st.one_of(
    st.tuples(_NAME, st.just("="), _PLAIN_VALUE).map("".join),
    st.from_regex(r"#[ a-z@'\"$=]{0,10}", fullmatch=True),
    st.just(""),
)
_OTHER = st.one_of(
    st.sampled_from(AWKWARD),
    st.sampled_from(
        [
            "B=$A",
            "C=${A:-fallback}",
            'Q="open',
            'close"',
            "A='x",
            "y'",
            "# comment \\",
            "; systemd comment",
            "WIN=1\r",
            "SEP=a\u2028B=2",
            "\ufeffMID=1",
            "   ",
            "A=b c",
            "TILDE=~/x",
            "CONT=a\\",
            '""',  # after an empty value: node reads it as that value (the space spans lines)
            "  'q'",
        ]
    ),
    st.text(alphabet="aZ0=#'\"\\$ \t\r{}:-", max_size=8),
)
_FILE = st.tuples(st.lists(st.one_of(_PLAIN, _PLAIN, _OTHER), max_size=12), st.sampled_from(["", "\n"])).map(
    lambda parts: "\n".join(parts[0]) + parts[1]
)


def _full(text: str, dialect: str) -> list[Line]:
    """What the dialect reads with the fast path turned off: its full parser alone."""
    with (
        mock.patch.object(plain, "read", lambda text, pos, number, out: (pos, number)),
        mock.patch.object(plain, "starts", lambda text, pos: False),
    ):
        return dialects.parse(text, dialect)


@pytest.mark.parametrize("dialect", dialects.DIALECTS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_FILE)
def test_fast_path_reads_what_the_full_parser_reads(dialect: str, text: str) -> None:
    assert dialects.parse(text, dialect) == _full(text, dialect)


@pytest.mark.parametrize("dialect", dialects.DIALECTS)
@pytest.mark.parametrize("text", [line + "\n" for line in AWKWARD] + ["A=1\n" + line + "\nB=2\n" for line in AWKWARD])
def test_awkward_lines_between_plain_ones(dialect: str, text: str) -> None:
    assert dialects.parse(text, dialect) == _full(text, dialect)


def _plain_file(keys: int) -> str:
    return "".join(f"# Setting {i}\nKEY_{i}=value-{i}:x/y@z\n\n" for i in range(keys))


@pytest.mark.parametrize("dialect", [d for d in dialects.DIALECTS if d not in ("python", "php")])
def test_a_plain_file_never_reaches_the_full_parser(dialect: str) -> None:
    module = __import__(f"drift.dialects.{dialect}", fromlist=["parse"])
    seen: list[str] = []
    real = module.parse

    def spy(text: str, *args: object) -> list[Line]:
        seen.append(text)
        return real(text, *args)  # type: ignore[no-any-return]

    with mock.patch.object(module, "parse", spy):
        lines = dialects.parse(_plain_file(50), dialect)
    assert seen == [""]  # only the empty rest, for what the loader makes of the end
    assert sum(1 for line in lines if isinstance(line, dialects.Assignment)) == 50


def test_python_reads_plain_lines_without_python_dotenv() -> None:
    def refuse(*_: object) -> Iterator[object]:
        raise AssertionError("python-dotenv's parser ran on a plain line")

    with mock.patch("dotenv.parser.parse_stream", refuse):
        lines = dialects.parse(_plain_file(50), "python")
    assert [line.line for line in lines if isinstance(line, dialects.Assignment)] == [3 * i + 2 for i in range(50)]


def test_python_comes_back_to_the_fast_path_after_a_statement() -> None:
    text = 'A=1\nQUOTED="two\nlines"\n' + _plain_file(200)
    calls: list[int] = []
    real = dotenv.parser.parse_stream

    def counted(stream: IO[str]) -> Iterator[dotenv.parser.Binding]:
        calls.append(1)
        return real(stream)

    with mock.patch("dotenv.parser.parse_stream", counted):
        lines = dialects.parse(text, "python")
    assert calls == [1]
    assert lines == _full(text, "python")
    assert dialects.Assignment("QUOTED", "two\nlines", 2) in lines
    assert dialects.Assignment("KEY_199", "value-199:x/y@z", 4 + 3 * 199 + 1) in lines


@pytest.mark.parametrize("text", ['A=\n""', "A=\n\n  'q'\nB=1\n", "A=\n`x`\n"])
def test_an_empty_value_before_a_quoted_line_leaves_the_fast_path(text: str) -> None:
    for dialect in dialects.DIALECTS:
        assert dialects.parse(text, dialect) == _full(text, dialect), dialect
