"""Reads in Python: `os.environ["X"]`, `os.environ.get("X"[, default])`, `os.getenv("X"[,
default])` (also through `from os import environ, getenv` and `import os as o`), and the
fields of a pydantic-settings `BaseSettings` class (upper-cased, after its `env_prefix`; a
field with a value has a default). A name that is not a string literal is `dynamic`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from drift.code import Read, Walk


@cache
def _parser() -> Any:
    import tree_sitter_python
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_python.language()))


def _text(node: Any) -> str:
    return bytes(node.text).decode("utf-8", "surrogatepass") if node is not None else ""


class _Names:
    """What the module calls `os`, `os.environ` and `os.getenv`."""

    def __init__(self) -> None:
        self.os = {"os"}
        self.environ: set[str] = set()
        self.getenv: set[str] = set()

    def learn(self, node: Any) -> None:
        if node.type == "import_statement":
            for child in node.named_children:
                if child.type == "aliased_import" and _text(child.child_by_field_name("name")) == "os":
                    self.os.add(_text(child.child_by_field_name("alias")))
        elif node.type == "import_from_statement" and _text(node.child_by_field_name("module_name")) == "os":
            for child in node.named_children[1:]:
                name, alias = (child.child_by_field_name("name"), child.child_by_field_name("alias")) if (
                    child.type == "aliased_import") else (child, child)  # fmt: skip
                if _text(name) == "environ":
                    self.environ.add(_text(alias))
                elif _text(name) == "getenv":
                    self.getenv.add(_text(alias))

    def is_environ(self, node: Any) -> bool:
        if node is None:
            return False
        if node.type == "identifier":
            return _text(node) in self.environ
        if node.type == "attribute":
            return (
                _text(node.child_by_field_name("attribute")) == "environ"
                and _text(node.child_by_field_name("object")) in self.os
            )
        return False

    def is_getenv(self, node: Any) -> bool:
        if node is None:
            return False
        if node.type == "identifier":
            return _text(node) in self.getenv
        if node.type == "attribute":
            owner, name = node.child_by_field_name("object"), _text(node.child_by_field_name("attribute"))
            return (name == "getenv" and _text(owner) in self.os) or (name == "get" and self.is_environ(owner))
        return False


def reads(text: str, path: str) -> list[Read]:
    tree = _parser().parse(text.encode("utf-8", "surrogatepass"))
    names = _Names()
    for node in tree.root_node.named_children:
        names.learn(node)
    found: list[Read] = []
    walk = Walk(tree.root_node, path)
    for node in walk:
        line = node.start_point[0] + 1
        if node.type == "subscript" and names.is_environ(node.child_by_field_name("value")):
            key = _literal(node.child_by_field_name("subscript"))
            found.append(Read(key, path, line, "direct" if key is not None else "dynamic"))
        elif node.type == "call" and names.is_getenv(node.child_by_field_name("function")):
            arguments = node.child_by_field_name("arguments")
            values = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
            key = _literal(values[0]) if values else None
            # getenv / environ.get return None when unset: a read with a fallback drift cannot
            # rule out, so it never counts as `used-missing`
            found.append(Read(key, path, line, "dynamic" if key is None else "default"))
        elif node.type == "class_definition" and _is_settings(node):
            found.extend(_settings_fields(node, path))
            walk.skip()
    return sorted(found, key=lambda r: (r.line, r.key or ""))


def _literal(node: Any) -> str | None:
    if node is None or node.type != "string":
        return None
    if any(child.type == "interpolation" for child in node.children):
        return None
    content = [c for c in node.children if c.type == "string_content"]
    return "".join(_text(c) for c in content)


def _is_settings(node: Any) -> bool:
    bases = node.child_by_field_name("superclasses")
    return bases is not None and any(_text(b).split(".")[-1] == "BaseSettings" for b in bases.named_children)


def _settings_fields(node: Any, path: str) -> list[Read]:
    body = node.child_by_field_name("body")
    prefix = ""
    fields: list[tuple[str, int, bool]] = []
    for statement in body.named_children if body is not None else []:
        target = (
            statement.named_children[0]
            if statement.type == "expression_statement" and statement.named_children
            else None
        )
        if target is not None and target.type == "assignment":
            left = target.child_by_field_name("left")
            name = _text(left)
            if name == "model_config":
                prefix = _env_prefix(target.child_by_field_name("right")) or prefix
            elif left is not None and left.type == "identifier" and target.child_by_field_name("type") is not None:
                has_default = target.child_by_field_name("right") is not None
                fields.append((name, statement.start_point[0] + 1, has_default))
        elif statement.type == "class_definition" and _text(statement.child_by_field_name("name")) == "Config":
            for inner in statement.child_by_field_name("body").named_children:
                assignment = inner.named_children[0] if inner.named_children else None
                if (
                    assignment is not None
                    and assignment.type == "assignment"
                    and _text(assignment.child_by_field_name("left")) == "env_prefix"
                ):
                    prefix = _literal(assignment.child_by_field_name("right")) or prefix
    return [
        Read((prefix + name).upper(), path, line, "default" if default else "direct") for name, line, default in fields
    ]


def _env_prefix(node: Any) -> str | None:
    """`SettingsConfigDict(env_prefix="APP_")` or `{"env_prefix": "APP_"}`."""
    if node is None:
        return None
    if node.type == "call":
        arguments = node.child_by_field_name("arguments")
        for argument in arguments.named_children if arguments is not None else []:
            if argument.type == "keyword_argument" and _text(argument.child_by_field_name("name")) == "env_prefix":
                return _literal(argument.child_by_field_name("value"))
    if node.type == "dictionary":
        for pair in node.named_children:
            if pair.type == "pair" and _literal(pair.child_by_field_name("key")) == "env_prefix":
                return _literal(pair.child_by_field_name("value"))
    return None
