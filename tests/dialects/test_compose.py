"""The `compose` dialect against Docker Compose's documented env_file behaviour.

No real compose-go can be installed on this machine (Debian's docker-compose is the old
Python v1, and compose-go is a Go library), so these cases restate what compose-go's own
test-suite and documentation say each line means.
"""

from __future__ import annotations

import pytest

from drift import dialects
from drift.dialects import Malformed

CASES = [
    ("FOO=bar", {"FOO": "bar"}),
    ("FOO =bar", {"FOO": "bar"}),
    ("FOO= bar", {"FOO": "bar"}),
    ('FOO="bar"', {"FOO": "bar"}),
    ("FOO='bar'", {"FOO": "bar"}),
    ('FOO="escaped\\"bar"', {"FOO": 'escaped"bar'}),
    ("FOO=\"'d'\"", {"FOO": "'d'"}),
    ("OPTION_A: 1", {"OPTION_A": "1"}),
    ("OPTION_A: Foo=bar", {"OPTION_A": "Foo=bar"}),
    ("OPTION_A=1:B", {"OPTION_A": "1:B"}),
    ("export OPTION_A=2", {"OPTION_A": "2"}),
    ("export OPTION_B='\\n'", {"OPTION_B": "\\n"}),
    ("exportFOO=2", {"exportFOO": "2"}),
    ("export\tOPTION_A=2", {"OPTION_A": "2"}),
    ('FOO="bar\\nbaz"', {"FOO": "bar\nbaz"}),
    ("FOO.BAR=foobar", {"FOO.BAR": "foobar"}),
    ("FOO=foobar=", {"FOO": "foobar="}),
    ("FOO=bar ", {"FOO": "bar"}),
    ("FOO=bar # this is foo", {"FOO": "bar"}),
    ("FOO=bar#baz", {"FOO": "bar#baz"}),
    ('FOO="bar#baz" # comment', {"FOO": "bar#baz"}),
    ("FOO='bar#baz' # comment", {"FOO": "bar#baz"}),
    ("  KEY =value", {"KEY": "value"}),
    ("\tKEY=value", {"KEY": "value"}),
    ("FOO=test\nBAR=$FOO", {"FOO": "test", "BAR": "test"}),
    ("FOO=test\nBAR=${FOO}bar", {"FOO": "test", "BAR": "testbar"}),
    ("BAR=$FOO", {"BAR": ""}),
    ('FOO=test\nBAR="quote $FOO"', {"FOO": "test", "BAR": "quote test"}),
    ("BAR='quote $FOO'", {"BAR": "quote $FOO"}),
    ('FOO="foo\\$BAR"', {"FOO": "foo$BAR"}),
    ('FOO="foo\\${BAR}"', {"FOO": "foo${BAR}"}),
    ("A=${UNSET:-fallback}", {"A": "fallback"}),
    ("A=x\nB=${A:+alternative}", {"A": "x", "B": "alternative"}),
    ("A=pa$$word", {"A": "pa$word"}),
    ('A="first line\nsecond line"', {"A": "first line\nsecond line"}),
    ("\ufeffBOM=1", {"BOM": "1"}),
    ("# comment\n\n  # indented comment\nA=1", {"A": "1"}),
    ("INHERITED\nA=1", {"A": "1"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_compose_reads_as_compose_go_documents(text: str, expected: dict[str, str]) -> None:
    read = dialects.read(text + "\n", "compose", False, "f.env")
    assert {k: a.value for k, a in read.values.items()} == expected
    assert not read.malformed


REFUSED = [
    "lol$wut",
    'KEY="unterminated',
    "A=${REQUIRED:?must be set}",
    'MAIL_FROM="My Race Engineer" <no-reply@example.com>',
    "A B=1",
]


@pytest.mark.parametrize("line", REFUSED)
def test_compose_refuses_what_compose_refuses(line: str) -> None:
    lines = dialects.parse(f"FIRST=1\n{line}\nLAST=2\n", "compose")
    assert [m.line for m in lines if isinstance(m, Malformed)] == [2]
    read = dialects.read(f"FIRST=1\n{line}\nLAST=2\n", "compose", False, "f.env")
    assert {"FIRST", "LAST"} <= set(read.values)
    assert read.malformed
