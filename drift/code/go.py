"""Reads in Go: `os.Getenv("X")` (an unset key reads as "": no fallback) and
`os.LookupEnv("X")` (the caller handles absence: a fallback), under whatever name the file
imports `os` as. A name that is not a string literal is `dynamic`."""

from __future__ import annotations

from functools import cache
from typing import Any

from drift.code import Read, Walk
from drift.code.python import _text


@cache
def _parser() -> Any:
    import tree_sitter_go
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_go.language()))


def reads(text: str, path: str) -> list[Read]:
    tree = _parser().parse(text.encode("utf-8", "surrogatepass"))
    names = _os_names(tree.root_node)
    found: list[Read] = []
    for node in Walk(tree.root_node, path):
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "selector_expression":
                owner, field = function.child_by_field_name("operand"), _text(function.child_by_field_name("field"))
                if _text(owner) in names and field in ("Getenv", "LookupEnv"):
                    arguments = node.child_by_field_name("arguments")
                    values = arguments.named_children if arguments is not None else []
                    key = _literal(values[0]) if values else None
                    kind = "dynamic" if key is None else "direct" if field == "Getenv" else "default"
                    found.append(Read(key, path, node.start_point[0] + 1, kind))
    return sorted(found, key=lambda r: (r.line, r.key or ""))


def _os_names(root: Any) -> set[str]:
    """What the file calls the os package (`os`, or its alias)."""
    names = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "import_spec" and _text(node.child_by_field_name("path")).strip('"`') == "os":
            alias = node.child_by_field_name("name")
            names.add(_text(alias) if alias is not None else "os")
            continue
        if node.type in ("source_file", "import_declaration", "import_spec_list"):
            stack.extend(node.named_children)
    return names


def _literal(node: Any) -> str | None:
    if node is None or node.type not in ("interpreted_string_literal", "raw_string_literal"):
        return None
    text = _text(node)
    return text[1:-1] if "\\" not in text else None
