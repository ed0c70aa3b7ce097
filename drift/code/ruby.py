"""Reads in Ruby: `ENV["X"]`, `ENV.fetch("X")` (an error when unset: no fallback) and
`ENV.fetch("X", default)` / `ENV.fetch("X") { ... }` (a fallback). A name that is not a
string literal is `dynamic`."""

from __future__ import annotations

from functools import cache
from typing import Any

from drift.code import Read, Walk
from drift.code.python import _text


@cache
def _parser() -> Any:
    import tree_sitter_ruby
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_ruby.language()))


def reads(text: str, path: str) -> list[Read]:
    tree = _parser().parse(text.encode("utf-8", "surrogatepass"))
    found: list[Read] = []
    for node in Walk(tree.root_node, path):
        line = node.start_point[0] + 1
        if node.type == "element_reference" and _is_env(node.child_by_field_name("object")):
            arguments = [c for c in node.named_children[1:] if c.type != "comment"]
            key = _literal(arguments[0]) if len(arguments) == 1 else None
            found.append(Read(key, path, line, "direct" if key is not None else "dynamic"))
        elif node.type == "call" and _is_env(node.child_by_field_name("receiver")):
            method = _text(node.child_by_field_name("method"))
            arguments = node.child_by_field_name("arguments")
            values = arguments.named_children if arguments is not None else []
            if method in ("fetch", "[]", "key?", "dig") and values:
                key = _literal(values[0])
                fallback = len(values) > 1 or node.child_by_field_name("block") is not None or method != "fetch"
                found.append(Read(key, path, line, "dynamic" if key is None else "default" if fallback else "direct"))
    return sorted(found, key=lambda r: (r.line, r.key or ""))


def _is_env(node: Any) -> bool:
    return node is not None and node.type in ("constant", "scope_resolution") and _text(node).lstrip(":") == "ENV"


def _literal(node: Any) -> str | None:
    if node is None or node.type != "string" or any(c.type == "interpolation" for c in node.children):
        return None
    return "".join(_text(c) for c in node.children if c.type == "string_content")
