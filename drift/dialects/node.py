"""The `node` dialect: the parse rules of the `dotenv` npm package (what Next.js and most Node
applications load), reproduced character for character.

dotenv's parser is one JavaScript regular expression run over the whole text; this module is
that expression translated to Python's engine with JavaScript's character classes spelled
out (JavaScript's `\\s` includes U+FEFF and U+2028, its `\\w` is ASCII, its `^` and `$` in
multiline mode also stop at U+2028 / U+2029). The differential tests in
tests/dialects/test_oracles.py hold it to the real package.

dotenv never rejects a line: a line its expression does not match is silently skipped. drift
reports such a line as `malformed`, since a key on it never reaches the application.
"""

from __future__ import annotations

import re

from drift.dialects.lines import Assignment, Line, LineIndex, fill

#: JavaScript's WhiteSpace and LineTerminator characters (what `\s` and `trim()` mean there).
JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WS = "[" + re.escape(JS_SPACE) + "]"
_LT = "[\n\r\u2028\u2029]"
_START = rf"(?:\A|(?<={_LT}))"
_END = rf"(?:\Z|(?={_LT}))"

_LINE = re.compile(
    rf"{_START}{_WS}*(?:export{_WS}+)?([A-Za-z0-9_.-]+)(?:{_WS}*={_WS}*?|:{_WS}+?)"
    rf"({_WS}*'(?:\\'|[^'])*'|{_WS}*\"(?:\\\"|[^\"])*\"|{_WS}*`(?:\\`|[^`])*`|[^#\r\n]+)?"
    rf"{_WS}*(?:#[^\n\r\u2028\u2029]*)?{_END}"
)
_SURROUNDING_QUOTES = re.compile(rf"{_START}(['\"`])([\s\S]*)\1{_END}")
_NEWLINES = re.compile(r"\r\n?")

SKIPPED = "the node dotenv loader skips this line (not KEY=value), so a key on it is lost"


def js_trim(text: str) -> str:
    """JavaScript's String.prototype.trim."""
    return text.strip(JS_SPACE)


def parse(text: str) -> list[Line]:
    """Every line of `text` as the `dotenv` package reads it."""
    text = _NEWLINES.sub("\n", text)
    found: list[Line] = []
    covered: set[int] = set()
    line_of = LineIndex(text)
    for match in _LINE.finditer(text):
        key = match.group(1)
        value = js_trim(match.group(2) or "")
        quote = value[:1]
        value = _SURROUNDING_QUOTES.sub(r"\2", value)
        if quote == '"':
            value = value.replace("\\n", "\n").replace("\\r", "\r")
        first = line_of(match.start(1))
        last = line_of(match.end(2) if match.group(2) is not None else match.end(1))
        covered.update(range(first, last + 1))
        if key != "__proto__":  # assigning a string to an object's __proto__ does nothing
            found.append(Assignment(key, value, first))
    return fill(text, found, covered, SKIPPED)
