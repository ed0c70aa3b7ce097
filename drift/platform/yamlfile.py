"""Reading YAML (Compose files, Kubernetes manifests) the way their Go loaders see it, with
line numbers, and safely.

PyYAML's parser (libyaml's when it is there) builds the node graph; this module turns nodes
into plain data itself, so that:

- scalars stay text: Compose and Kubernetes decode YAML 1.2, where `yes`, `on` and `0123`
  are strings, not YAML 1.1's booleans and octals; only `null`, `~` and an empty value are
  null, and `<<` merge keys work;
- every mapping remembers the line of each key (`Map.lines`), for findings that point at it;
- a node reached through many aliases is converted once (a "billion laughs" file costs its
  size, not its expansion), and nesting is bounded;
- errors name the file and line, never the text (PyYAML's messages quote it).

Compose's `!reset` and `!override` tags become `Reset` and `Override` markers for the merge
of several files; any other tag is refused.

PyYAML loads on the first file read (it comes with the `yaml` extra): importing this module,
as the Compose and Kubernetes collectors do when a configuration is validated, needs no YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
MAX_DEPTH = 200
#: Mapping pairs a file may hold once merges are expanded (a real Compose file or manifest
#: holds thousands at most).
MAX_NODES = 200_000
#: The plain-data types a node becomes.
Data = Any


class YamlError(Exception):
    """Not YAML this module reads; the message names the line, never the text."""


class Map(dict[str, Any]):
    """A mapping that remembers the (1-based) line of each key, and which file it came from
    (`where`, set by readers that merge several files)."""

    lines: dict[str, int]
    where: str

    def __init__(self) -> None:
        super().__init__()
        self.lines = {}
        self.where = ""


class Seq(list[Any]):
    """A sequence that remembers the (1-based) line of each item."""

    lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.lines = []


@dataclass(frozen=True, slots=True)
class Reset:
    """Compose's `!reset`: drop what earlier files set here."""


@dataclass(frozen=True, slots=True)
class Override:
    """Compose's `!override`: replace what earlier files set here instead of merging."""

    value: Data


@cache
def _loader() -> Any:
    """The parser with YAML 1.2's core scalars: only null and merge keys are recognised."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("Loader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag in (_NULL, _MERGE)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return loader


def load_all(text: str, where: str) -> list[Data]:
    """Every document of a YAML stream, as plain data (empty documents left out)."""
    import yaml

    try:
        nodes = list(yaml.compose_all(text, Loader=_loader()))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise YamlError(f"{where}:{line} is not valid YAML ({_reason(exc)})") from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise YamlError(f"{where}: is not valid YAML ({type(exc).__name__})") from None
    converter = _Converter(where)
    return [converter.data(node, 0) for node in nodes if node is not None]


def _reason(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem in general words (its own text may quote the file)."""
    problem = str(exc.problem or "")
    for known in ("mapping values are not allowed", "could not find expected", "found undefined alias",
                  "found duplicate anchor", "found character", "expected", "found unexpected end"):  # fmt: skip
        if problem.startswith(known):
            return known
    return "a syntax error"


class _Converter:
    def __init__(self, where: str) -> None:
        import yaml

        self.yaml = yaml
        self.where = where
        self.done: dict[int, Data] = {}
        #: Each mapping's pairs with merges expanded, once (merge keys share the alias budget).
        self.merged: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}
        self.budget = MAX_NODES

    def data(self, node: yaml.Node, depth: int) -> Data:
        known = self.done.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise self.error(node, f"nested more than {MAX_DEPTH} levels deep")
        tag = node.tag
        if tag == "!reset":
            return Reset()
        if tag == "!override":
            return Override(self.data(_untagged(node), depth + 1))
        if tag.startswith("!") and tag != "!":  # a local tag (!Ref, !Sub): not data these loaders take
            raise self.error(node, "a local tag is not supported")
        if isinstance(node, self.yaml.ScalarNode):
            return None if tag == _NULL else str(node.value)
        if isinstance(node, self.yaml.SequenceNode):
            items = Seq()
            self.done[id(node)] = items
            for child in node.value:
                items.append(self.data(child, depth + 1))
                items.lines.append(child.start_mark.line + 1)
            return items
        if isinstance(node, self.yaml.MappingNode):
            mapping = Map()
            self.done[id(node)] = mapping
            for key_node, value_node in self._pairs(node, depth):
                key = self.data(key_node, depth + 1)
                if not isinstance(key, str):
                    raise self.error(key_node, "a key is not text")
                mapping[key] = self.data(value_node, depth + 1)
                mapping.lines[key] = key_node.start_mark.line + 1
            return mapping
        raise self.error(node, "unknown node")

    def _pairs(self, node: yaml.MappingNode, depth: int) -> list[tuple[yaml.Node, yaml.Node]]:
        """The node's pairs with `<<` merges expanded, as YAML says: explicit keys over merged
        ones, an earlier merge source over a later. Computed once per mapping and deduplicated
        by key, and every pair counted against the file's node budget, so a few lines of
        nested merges (`<<: [*a, *a, *a]` over levels) cannot grow without bound."""
        known = self.merged.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise self.error(node, f"nested more than {MAX_DEPTH} levels deep")
        pairs: dict[object, tuple[yaml.Node, yaml.Node]] = {}
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, self.yaml.SequenceNode) else [value_node]
                for source in reversed(sources):
                    if not isinstance(source, self.yaml.MappingNode):
                        raise self.error(value_node, "a << merge needs a mapping")
                    for pair in self._pairs(source, depth + 1):
                        pairs[_identity(pair[0])] = pair
            else:
                own.append((key_node, value_node))
        for pair in own:
            pairs[_identity(pair[0])] = pair
        self.budget -= len(pairs)
        if self.budget < 0:
            raise self.error(node, f"more than {MAX_NODES:,} nodes once aliases and merge keys are expanded")
        found = list(pairs.values())
        self.merged[id(node)] = found
        return found

    def error(self, node: yaml.Node, why: str) -> YamlError:
        return YamlError(f"{self.where}:{node.start_mark.line + 1}: {why}")


def _identity(key: yaml.Node) -> object:
    """What makes two keys the same key: a scalar's text, any other node itself."""
    import yaml

    return ("scalar", key.value) if isinstance(key, yaml.ScalarNode) else id(key)


def _untagged(node: yaml.Node) -> yaml.Node:
    """The node under a Compose tag, read as if it had none."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return yaml.ScalarNode(_STR, node.value, node.start_mark, node.end_mark)
    if isinstance(node, yaml.SequenceNode):
        return yaml.SequenceNode(_SEQ, node.value, node.start_mark, node.end_mark)
    return yaml.MappingNode(_MAP, node.value, node.start_mark, node.end_mark)
