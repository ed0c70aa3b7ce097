"""Reads in JavaScript and TypeScript: `process.env.X`, `process.env["X"]`, `process.env?.X`,
`const { X, Y: y, Z = 1 } = process.env`, `import.meta.env.X`, and the keys of `env: {...}`
in a Next.js `next.config.*`; a read followed by `||` or
`??` has a fallback (`default`); `process.env[name]` is `dynamic`. A `process` the code
declares itself (a parameter, a variable) is not Node's, so nothing read through it counts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from drift.code import Read, Walk

_SCOPES = ("function_declaration", "function_expression", "arrow_function", "method_definition",
           "generator_function_declaration", "program", "statement_block")  # fmt: skip


@cache
def _parser(kind: str) -> Any:
    from tree_sitter import Language, Parser

    if kind == "tsx":
        import tree_sitter_typescript

        return Parser(Language(tree_sitter_typescript.language_tsx()))
    if kind == "ts":
        import tree_sitter_typescript

        return Parser(Language(tree_sitter_typescript.language_typescript()))
    import tree_sitter_javascript

    return Parser(Language(tree_sitter_javascript.language()))


def reads(text: str, path: str) -> list[Read]:
    kind = "tsx" if path.endswith(".tsx") else "ts" if path.endswith((".ts", ".mts", ".cts")) else "js"
    source = text.encode("utf-8", "surrogatepass")
    tree = _parser(kind).parse(source)
    found: list[Read] = []
    next_config = path.rsplit("/", 1)[-1].startswith("next.config.")
    declares: dict[tuple[int, int, str], bool] = {}  # each scope looked at once: linear in the file
    walk = Walk(tree.root_node, path)
    for node in walk:
        if node.type in ("member_expression", "subscript_expression") and _is_env(node.child_by_field_name("object")):
            read = _member_read(node, path)
            if read is not None and not _shadowed(node, declares):
                found.append(read)
            walk.skip()
            continue
        if next_config and node.type == "pair" and _text(node.child_by_field_name("key")) == "env":
            found.extend(_next_env(node.child_by_field_name("value"), path))
        if node.type == "variable_declarator" and _is_env(node.child_by_field_name("value")):
            pattern = node.child_by_field_name("name")
            if pattern is not None and pattern.type == "object_pattern" and not _shadowed(node, declares):
                found.extend(_destructured(pattern, path))
    return sorted(found, key=lambda r: (r.line, r.key or ""))


def _next_env(value: Any, path: str) -> list[Read]:
    """Next.js inlines the keys of `env: {...}` in next.config.* into the client bundle: each
    is a setting the application uses, with the value the config gives it."""
    if value is None or value.type != "object":
        return []
    found = []
    for pair in value.named_children:
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        if key is not None and key.type in ("property_identifier", "string"):
            found.append(Read(_text(key).strip("'\""), path, pair.start_point[0] + 1, "default"))
    return found


def _text(node: Any) -> str:
    return bytes(node.text).decode("utf-8", "surrogatepass") if node is not None else ""


def _is_env(node: Any) -> bool:
    """`process.env` or `import.meta.env`."""
    if node is None or node.type != "member_expression":
        return False
    owner, name = node.child_by_field_name("object"), node.child_by_field_name("property")
    if _text(name) != "env" or owner is None:
        return False
    if owner.type == "identifier" and _text(owner) == "process":
        return True
    return owner.type in ("meta_property", "member_expression") and _text(owner) == "import.meta"


def _member_read(node: Any, path: str) -> Read | None:
    line = node.start_point[0] + 1
    if node.type == "member_expression":
        key = _text(node.child_by_field_name("property"))
    else:
        index = node.child_by_field_name("index")
        if index is None:
            return None
        if index.type != "string" or any(c.type == "template_substitution" for c in index.children):
            return Read(None, path, line, "dynamic")
        key = _text(index)[1:-1]
    return Read(key, path, line, "default" if _has_fallback(node) else "direct")


def _has_fallback(node: Any) -> bool:
    """Whether the read is the left side of `||` / `??` (or of a default assignment)."""
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "non_null_expression"):
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return _text(operator) in ("||", "??") and bool(parent.child_by_field_name("left") == node)
    return bool(parent.type == "assignment_pattern")


def _destructured(pattern: Any, path: str) -> list[Read]:
    found = []
    for child in pattern.named_children:
        line = child.start_point[0] + 1
        if child.type == "shorthand_property_identifier_pattern":
            found.append(Read(_text(child), path, line, "direct"))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and key.type in ("property_identifier", "string"):
                name = _text(key).strip("'\"")
                found.append(
                    Read(
                        name,
                        path,
                        line,
                        "default" if value is not None and value.type == "assignment_pattern" else "direct",
                    )
                )
            else:
                found.append(Read(None, path, line, "dynamic"))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            found.append(Read(_text(left), path, line, "default"))
        elif child.type == "rest_pattern":
            found.append(Read(None, path, line, "dynamic"))
    return found


def _shadowed(node: Any, declares: dict[tuple[int, int, str], bool]) -> bool:
    """Whether an enclosing scope declares its own `process` (a parameter or a variable);
    `declares` remembers each scope's answer for the file (a file of 6,000 reads looked at the
    whole program 6,000 times)."""
    scope = node.parent
    while scope is not None:
        if scope.type in _SCOPES:
            identity = (scope.start_byte, scope.end_byte, scope.type)
            known = declares.get(identity)
            if known is None:
                known = declares[identity] = _declares_process(scope)
            if known:
                return True
        scope = scope.parent
    return False


def _declares_process(scope: Any) -> bool:
    parameters = scope.child_by_field_name("parameters") or scope.child_by_field_name("parameter")
    if parameters is not None and any(_text(n) == "process" for n in _identifiers(parameters)):
        return True
    body = scope.child_by_field_name("body") if scope.type not in ("program", "statement_block") else scope
    for statement in body.named_children if body is not None else []:
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                name = declarator.child_by_field_name("name")
                if name is not None and _text(name) == "process":
                    return True
    return False


def _identifiers(node: Any) -> list[Any]:
    if node.type == "identifier":
        return [node]
    found = []
    for child in node.named_children:
        if child.type in ("identifier", "required_parameter", "optional_parameter", "assignment_pattern"):
            found.extend(_identifiers(child) if child.type != "identifier" else [child])
    return found
