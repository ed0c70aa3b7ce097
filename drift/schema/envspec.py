"""Reading a `.env.schema` (the @env-spec format varlock uses) as drift's schema.

@env-spec is dotenv with `@decorator` comments. Its parsed lines are translated into the
lines of an annotated example, so that one parser (`annotations.py`) and one set of rules
read both; every line keeps its number:

- root decorators in the header (the comment block ended by `# ---`): `@defaultRequired`
  (`true`; `false`; `infer`, the default: a key with no value is optional) and
  `@defaultSensitive=true`. `@currentEnv`, `@import`, `@plugin`, `@generateTypes` and the
  rest are about loading, not checking: left alone (an imported file is not read);
- item decorators: `@required` / `@optional` (`@required=forEnv(...)` is optional here, with
  a note: per-environment requirements go in drift.toml), `@sensitive` / `@public` /
  `@sensitive=false`, `@type=` (port, url, email, boolean, integer, number with `min` and
  `max`, enum, string with `startsWith`, `endsWith`, `matches`, `minLength`, `maxLength`),
  `@deprecated`; `@example`, `@docs` and `@docsUrl` stay as description;
- a value is the key's default (the application gets it when nothing sets the key), so a key
  with a value is optional unless it says `@required`; a function value (`exec(...)`,
  `op(...)`, any plugin resolver) is never run: the key is declared, optional, its value
  "resolved outside drift".

`@defaultSensitive=false` is not taken as "nothing here is secret": a key drift's own rules
call secret stays secret unless the key itself says `@sensitive=false` or `@public`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed
from drift.platform.runtime import LazyPattern

#: `@name`, `@name=value`, `@name(args)`, `@name=fn(args)`, `@name="quoted"`.
_DECORATOR = LazyPattern(
    r"@([A-Za-z][A-Za-z0-9_]*)(?:=([A-Za-z_][A-Za-z0-9_]*\([^)]*\)|\"[^\"]*\"|'[^']*'|[^\s@]+)|(\([^)]*\)))?"
)
_DEPRECATED = LazyPattern(r"@deprecated(?:=(\"[^\"]*\"|'[^']*'|\S+))?(.*)$")
_FUNCTION = LazyPattern(r"\s*[A-Za-z_][A-Za-z0-9_]*\(.*\)\s*")
_ARGUMENT = LazyPattern(r"([A-Za-z]+)\s*=\s*(\"[^\"]*\"|'[^']*'|/[^/]*/|[^,]+)")
_SEPARATOR = re.compile(r"\s*---+\s*")
_SIMPLE_TYPES = {"port": "port", "url": "url", "email": "email", "boolean": "bool", "integer": "int", "number": "float"}


def is_envspec(name: str) -> bool:
    """Whether a schema file is in the @env-spec format (by its name, as varlock finds it)."""
    return name.endswith(".env.schema")


def lines(parsed: Sequence[Line]) -> list[Line]:
    """The file's lines as an annotated example's: decorators turned into drift's tags."""
    header = _header(parsed)
    defaults = {
        name: (value or "true").strip("\"'").lower()
        for line in parsed[: header + 1]
        if isinstance(line, Comment)
        for name, value in _decorators(line.text)
    }
    out: list[Line] = [Blank(line.line) for line in parsed[: header + 1]]
    above: list[tuple[str, str]] = []
    for line in parsed[header + 1 :]:
        if isinstance(line, Comment):
            text, deprecated = line.text, _DEPRECATED.search(line.text)
            if deprecated is not None:  # its reason is the rest of the line
                above.append(("deprecated", deprecated.group(1) or deprecated.group(2).strip()))
                text = text[: deprecated.start()]
            above += _decorators(text)
            out.append(Comment(" ".join(_DECORATOR.sub("", text).split()), line.line))
            continue
        if isinstance(line, Assignment):
            tags, value = _tags(dict(above), line.value, defaults)
            out.append(Comment(" ".join(tags), line.line))  # read as the last line of its block
            out.append(line._replace(value=value))
        elif isinstance(line, (Blank, Malformed)):
            out.append(line)
        above = []
    return out


def _header(parsed: Sequence[Line]) -> int:
    """The index of the `# ---` that ends the leading comment block (the root decorators'),
    or -1: a separator after the first item is an ordinary comment."""
    for index, line in enumerate(parsed):
        if not isinstance(line, (Comment, Blank)):
            return -1
        if isinstance(line, Comment) and _SEPARATOR.fullmatch(line.text):
            return index
    return -1


def _decorators(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2) or m.group(3) or "") for m in _DECORATOR.finditer(text)]


def _tags(given: dict[str, str], value: str, defaults: dict[str, str]) -> tuple[list[str], str]:
    """drift's tags for one item, and its example value."""
    tags: list[str] = []
    notes: list[str] = []
    required: bool | None = None
    if "required" in given:
        raw = given["required"] or "true"
        if raw.startswith("forEnv("):
            required = False
            notes.append(f"required for {raw[7:-1]} only (forEnv: set it per environment in drift.toml)")
        else:
            required = raw.lower() != "false"
    if "optional" in given:
        required = (given["optional"] or "true").lower() == "false"
    sensitive = given.get("sensitive")
    if "public" in given or (sensitive is not None and sensitive.lower() == "false"):
        tags.append("@not-secret")
    elif sensitive is not None or defaults.get("defaultsensitive") == "true":
        tags.append("@secret")
    if given.get("type"):
        tags += _type(given["type"])
    if "deprecated" in given:
        tags.append("@deprecated " + (given["deprecated"].strip("\"'") or "deprecated"))
    if _FUNCTION.fullmatch(value):
        notes.append(f"its value is resolved outside drift, by {value.strip().split('(', 1)[0]}()")
        value = ""
        required = False if required is None else required
    if required is None:  # a value is a default: the key need not be set anywhere
        required = defaults.get("defaultrequired") == "true" and value == ""
    deprecated = [t for t in tags if t.startswith("@deprecated")]  # takes the rest of the line
    tags = ["@required" if required else "@optional", *(t for t in tags if t not in deprecated)]
    return [*(f"({n})" for n in notes), *tags, *deprecated], value


def _type(raw: str) -> list[str]:
    """@env-spec's `@type=` with its options, as drift's tags."""
    name, _, rest = raw.partition("(")
    name = name.strip().lower()
    rest = rest.removesuffix(")")
    options = {key: value.strip().strip("\"'") for key, value in _ARGUMENT.findall(rest)}
    tags: list[str] = []
    if name == "enum":
        choices = ",".join(v.strip().strip("\"'") for v in rest.split(",") if v.strip())
        tags.append(f"@type enum({choices})")
    elif name in _SIMPLE_TYPES:
        tags.append(f"@type {_SIMPLE_TYPES[name]}")
    for option, tag in (("min", "@min"), ("max", "@max"), ("minLength", "@min-length"), ("maxLength", "@max-length")):
        if option in options:
            tags.append(f"{tag} {options[option]}")
    pattern = None
    if "startsWith" in options:
        pattern = "^" + re.escape(options["startsWith"]) + ".*"
    if "endsWith" in options:
        pattern = (pattern or ".*") + re.escape(options["endsWith"]) + "$"
    if "matches" in options:
        pattern = options["matches"].strip("/")
    if pattern is not None and " " not in pattern:
        tags.append(f"@pattern {pattern}")
    return tags
