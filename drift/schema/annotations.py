"""The `.env.example` parser: declarations, their descriptions and `@tags`.

Every assignment declares a key; the contiguous comment block right above it is its
description and may carry tags (`# @secret @type url(postgres,postgresql)`). A commented-out
assignment (`# LOG_DIR=_logs`, `#SMTP_DOMAIN= # defaults to LOCAL_DOMAIN`) declares a known
optional key. Section banners (`# ---- Database ----`, `# - E-MAIL SETTINGS ****`) end a
block instead of describing the key below them. Tags are separated by whitespace and take at
most one argument, the next whitespace-free token, except `@deprecated`, whose argument is
the rest of the line. Unknown tags (`@see`, `@see:`) are documentation.

The example's own words count: `optional` / `required` in a key's comment block, or in the
heading of its section (a banner, or a comment block standing alone above blank lines), and
sections about tests, end-to-end runs or local development only, set the key's requirement
where no tag or drift.toml field does.

A line the dialect's loader rejects is reported with its line number and the rest of the
file still declares its keys: one bad line must not make the whole schema unusable.
"""

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed
from drift.platform.runtime import CaselessPattern, LazyPattern
from drift.schema import keyspec

_COMMENTED_ASSIGNMENT = LazyPattern(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)=(?:\S.*|\s+#.*|\s*)")
_TAG = re.compile(r"@([a-z][a-z0-9-]*):?")
_DECORATION = re.compile(r"[-=*#~_+]{3,}")
_UNDERLINE = re.compile(r"\s*[-=*#~_+]{3,}\s*")
_SHOUTED = re.compile(r"[A-Z]{3,}")
_TOKEN = re.compile(r"\S+")
_TYPE_WITH_ARGS = re.compile(r"([a-z]+)\((.*)\)")

ErrorSink = Callable[[str], None]

#: Tags without an argument, and the field value each sets.
_FLAGS: dict[str, tuple[str, object]] = {
    "secret": ("secret", True),
    "not-secret": ("secret", False),
    "required": ("required", True),
    "optional": ("required", False),
    "nonempty": ("nonempty", True),
    "same": ("parity", "same"),
    "differ": ("parity", "differ"),
    "generate": ("generate", True),
}
#: Tags that take one argument, and the field each sets.
_WITH_ARGUMENT = {
    "type": "type",
    "min": "min",
    "max": "max",
    "min-length": "min_length",
    "max-length": "max_length",
    "pattern": "pattern",
    "default": "default",
    "required-if": "required_if",
    "max-age": "max_age",
}


class Declaration(NamedTuple):
    """One key as `.env.example` declares it."""

    name: str
    example: str | None
    origin: str
    line: int
    description: str
    fields: dict[str, Any]
    notes: tuple[str, ...] = ()


class ParsedExample(NamedTuple):
    """What the example file declares, plus what is wrong with it."""

    declarations: dict[str, Declaration]
    #: `(line, message)` pairs for bad annotations: they make the schema unusable.
    errors: list[tuple[int, str]]
    #: `(key, first line, repeated line)` for keys assigned twice.
    duplicates: list[tuple[str, int, int]]
    #: `(line, reason)` for lines the dialect's loader rejects or skips.
    malformed: list[tuple[int, str]]


def parse_example(lines: list[Line]) -> ParsedExample:
    """Declarations from a parsed `.env.example`, in file order."""
    declarations: dict[str, Declaration] = {}
    errors: list[tuple[int, str]] = []
    duplicates: list[tuple[str, int, int]] = []
    malformed: list[tuple[int, str]] = []
    block: list[Comment] = []
    #: What the current section's heading says of its keys' requirement (`_requirement_words`).
    section: bool | None = None
    #: What the comment block of the paragraph's first key says (`# Optional: Stripe` above
    #: three Stripe keys speaks for all three).
    paragraph: bool | None = None
    #: After an underline (`# ------`), the next comment line starts a new block; an
    #: underline right above a key keeps the block it closes as the description.
    underlined = False
    for line in lines:
        if isinstance(line, Blank):
            if block:  # a comment block standing alone is a heading for what follows
                section = _section_words(" ".join(c.text for c in block))
            block, underlined, paragraph = [], False, None
        elif isinstance(line, Malformed):
            malformed.append((line.line, line.reason))
            block, underlined = [], False
        elif isinstance(line, Comment):
            match = _COMMENTED_ASSIGNMENT.fullmatch(line.text)
            if match is None:
                if _UNDERLINE.fullmatch(line.text):
                    underlined = True
                elif _is_banner(line.text):
                    section = _section_words(line.text)
                    block, underlined = [], False
                else:
                    block, underlined = ([line] if underlined else [*block, line]), False
                continue
            name = match.group(1)
            if name not in declarations:
                inherited = paragraph if paragraph is not None else section
                declarations[name] = _declare(name, None, "commented", line.line, block, errors, inherited)
            paragraph = _requirement_words(" ".join(c.text for c in block)) if block else paragraph
            block, underlined = [], False
        elif isinstance(line, Assignment) and not line.unset:
            if line.key in declarations and declarations[line.key].origin == "example":
                duplicates.append((line.key, declarations[line.key].line, line.line))
            else:
                inherited = paragraph if paragraph is not None else section
                origin = "commented" if line.null else "example"  # `KEY=null`: declared, optional
                declarations[line.key] = _declare(line.key, line.value, origin, line.line, block, errors, inherited)
            paragraph = _requirement_words(" ".join(c.text for c in block)) if block else paragraph
            block, underlined = [], False
    return ParsedExample(declarations, errors, duplicates, malformed)


def _is_banner(text: str) -> bool:
    """A section banner: a run of decoration, or a heading with no lower-case letter (and no
    tag, which always belongs to the key below)."""
    if "@" in text:
        return False
    if _DECORATION.search(text):
        return True
    return _SHOUTED.search(text) is not None and not any(c.islower() for c in text)


def _declare(
    name: str,
    example: str | None,
    origin: str,
    line: int,
    block: list[Comment],
    errors: list[tuple[int, str]],
    inherited: bool | None = None,
) -> Declaration:
    fields: dict[str, Any] = {}
    notes: list[str] = []
    description: list[str] = []
    for comment in block:

        def report(message: str, at: int = comment.line) -> None:
            errors.append((at, message))

        prose = parse_tags(comment.text, fields, notes, report)
        if prose:
            description.append(prose)
    said = _requirement_words(" ".join(description))
    if said is None:
        said = inherited
    if "required" not in fields and said is not None:
        fields["required"] = said
    return Declaration(name, example, origin, line, " ".join(description), fields, tuple(notes))


_OPTIONAL_WORDS = CaselessPattern(r"\boptional(?:ly)?\b|\bnot\s+required\b")
#: Section headings for keys no deployment needs.
_UNDEPLOYED_SECTION = LazyPattern(
    r"\b(?:e2e|end[-\s]to[-\s]end|tests?|testing|cypress|playwright)\b"
    r"|\b(?:development|dev|local)(?:\s+development)?\s+only\b|\bonly\s+(?:in|for)\s+(?:development|dev|local)\b",
    re.IGNORECASE,
)
_REQUIRED_WORDS = CaselessPattern(r"\brequired\b(?!\s+(?:if|when|for|only|by)\b)|\bmandatory\b")


def _section_words(text: str) -> bool | None:
    """What a section heading says of its keys: as `_requirement_words`, and optional for a
    section about tests, end-to-end runs or local development only."""
    return False if _UNDEPLOYED_SECTION.search(text) else _requirement_words(text)


def _requirement_words(text: str) -> bool | None:
    """What the example's own words say of a key's requirement: `False` for `optional`
    (`# OPTIONAL:`, `(optional)`, `[optional]`, `not required`); `True` for `required` / `mandatory` (not
    `required if ...`, a condition drift cannot read from prose); None when they say neither.
    Optional wins when both appear: a guess that a key is required is the costlier error."""
    if _OPTIONAL_WORDS.found(text):
        return False
    if _REQUIRED_WORDS.found(text):
        return True
    return None


def parse_tags(text: str, fields: dict[str, Any], notes: list[str], error: ErrorSink) -> str:
    """Read the tags of one comment line into `fields`; returns the line's prose.

    Unknown tags go to `notes` with their argument-free text; errors go to `error(message)`.
    """
    if "@" not in text:  # no tag: all prose (most comment lines), its words one space apart
        return " ".join(text.split())
    prose: list[str] = []
    tokens = list(_TOKEN.finditer(text))
    index = 0
    while index < len(tokens):
        token = tokens[index].group()
        index += 1
        tag = _TAG.fullmatch(token)
        if tag is None:
            prose.append(token)
            continue
        name = tag.group(1)
        if name == "deprecated":
            rest = text[tokens[index - 1].end() :].strip()
            _set(fields, "deprecated", rest or "deprecated", error)
            index = len(tokens)
        elif name in _FLAGS:
            field_name, value = _FLAGS[name]
            _set(fields, field_name, value, error)
        elif name in _WITH_ARGUMENT:
            if index >= len(tokens):
                error(f"@{name} needs an argument")
                continue
            argument = tokens[index].group()
            index += 1
            if name == "type":
                _set_type(fields, argument, error)
            else:
                _set(fields, _WITH_ARGUMENT[name], argument, error)
        else:
            notes.append(token)
    return " ".join(prose)


def _set_type(fields: dict[str, Any], argument: str, error: ErrorSink) -> None:
    """`@type url(postgres,postgresql)` / `@type enum(a,b)`: the type and its values."""
    match = _TYPE_WITH_ARGS.fullmatch(argument)
    if match is None:
        _set(fields, "type", argument, error)
        return
    type_name, inner = match.groups()
    _set(fields, "type", type_name, error)
    target = {"url": "schemes", "enum": "values", "csv": "values"}.get(type_name)
    if target is None:
        error(f"@type {type_name} takes no arguments in parentheses")
        return
    _set(fields, target, inner, error)


def _set(fields: dict[str, Any], name: str, value: object, error: ErrorSink) -> None:
    try:
        fields[name] = keyspec.convert(keyspec.FIELDS, name, value)
    except ValueError as exc:
        error(f"bad annotation ({exc})")
