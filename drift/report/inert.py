"""Making keys and values inert for each output channel, in one place.

Keys and values come from files and stores an attacker may control (a pull request edits
`.env.example`; a compromised staging account sets a parameter). Each channel has syntax
that turns text into action: a GitHub workflow command at a line start (`::error`,
`::add-mask::`), ANSI escapes in a terminal, images, links and @mentions in Markdown,
`<!channel>` in Slack, characters XML 1.0 forbids. Every renderer passes every string it did
not write itself through the function for its channel; `tests/report/test_hostile.py` runs
one table of hostile keys and values through every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from drift.platform.runtime import LazyPattern

T = TypeVar("T")

#: C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Characters XML 1.0 does not allow at all (spelled out: the negated class of what it allows
#: takes milliseconds to compile, on every start-up).
_NOT_XML = LazyPattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Markdown that links, embeds, formats or mentions.
_MARKDOWN = re.compile(r"[\\`*{}\[\]()#+!|~<>&@:]")
_MARKDOWN_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;", ":": "&#58;", "|": "\\|"}


def _escape_control(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def terminal(text: str) -> str:
    """One visible line: control characters (newlines, ESC, ...) shown as escapes, so no
    value can start a line with `::` (a GitHub workflow command) or move the cursor."""
    if text.isascii() and text.isprintable():  # nothing to escape (most names; tested in C)
        return text
    return _CONTROL.sub(_escape_control, text)


def lines(text: str) -> str:
    """A message of several lines drift composed around names from files (the `drift:
    error:` handler's): each line made `terminal`, and a line that still begins, after
    blanks, with `::` (a name that held a newline) has that colon escaped, so no line can
    be taken for a workflow command."""
    out = []
    for line in text.split("\n"):
        line = terminal(line)
        blank = len(line) - len(line.lstrip())
        if line.startswith("::", blank):
            line = f"{line[:blank]}\\u003a{line[blank + 1 :]}"
        out.append(line)
    return "\n".join(out)


def markdown(text: str) -> str:
    """Text inside a Markdown table cell or list item: no link, image, emphasis, HTML,
    autolink or @mention survives, and a newline becomes `<br>`."""
    escaped = _MARKDOWN.sub(lambda m: _MARKDOWN_ENTITIES.get(m.group(), "\\" + m.group()), text)
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return _CONTROL.sub(_escape_control, escaped)


def slack(text: str) -> str:
    """Text for Slack's mrkdwn and plain text: `<!channel>`, `<@U123>` and links need `<`."""
    return terminal(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml(text: str) -> str:
    """Text XML 1.0 can hold, on one visible line: a value's newline or escape sequence cannot
    start a line of the report (`::error` in a CI log), and forbidden characters become
    visible escapes."""
    if text.isascii() and text.isprintable():  # nothing to escape (most names; tested in C)
        return text
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", terminal(text))


def deep(data: T, channel: Callable[[str], str]) -> T:
    """A copy of a JSON-like document with every string (keys of mappings too) passed
    through `channel`."""
    return _deep(data, channel)  # type: ignore[no-any-return]


def _deep(data: Any, channel: Callable[[str], str]) -> Any:
    if isinstance(data, str):
        return channel(data)
    if isinstance(data, dict):
        return {(channel(k) if isinstance(k, str) else k): _deep(v, channel) for k, v in data.items()}
    if isinstance(data, list):
        return [_deep(item, channel) for item in data]
    return data
