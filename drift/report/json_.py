"""JSON renderer: the document, serialised with stable key order.

Top-level fields are indented; each finding, matrix row and the like is one compact line,
written by the standard library's C encoder (the pure-Python encoder that indentation needs
took 0.48 s of a 20 x 5,000-key report; this takes about 0.12 s, benchmarks/README.md), and a
report still reads and diffs one record per line. The text comes in pieces of about 256K
characters (`pieces`), written to stdout or a file as they are made: a 20 x 5,000-key report
is 8 million characters, and holding it whole, with the records it was joined from and its
UTF-8 bytes, took 36 MB more memory and 0.04-0.10 s more time (new memory costs a page fault
per 4 KB: benchmarks/README.md).

A matrix row is mostly its cells: 20 of them a row, 100,000 in that report, which the encoder
wrote one by one. But a row's cells are a few objects (the document shares equal cells), so a
record that ends in an object of objects is written from each distinct member's text, encoded
once, into a template of its member names: the matrix in 0.07 s instead of 0.11 s
(benchmarks/README.md). tests/report/test_json_text.py holds the text to the standard
library's on generated documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json import encoder as _stdlib
from typing import Any

from drift.report.document import Document

#: About how many characters a piece holds: large enough that writing it is one system call
#: for many records, small enough that the memory of one piece is reused for the next.
PIECE = 1 << 18


def render(document: Document) -> str:
    """The document as JSON text, ending with a newline."""
    return "".join(pieces(document))


def pieces(document: Document) -> Iterator[str]:
    """The document's JSON text in pieces of about `PIECE` characters, each joined once from
    its records (joining field by field copied a large report five times)."""
    parts = ["{\n"]
    size = 0
    for index, (key, value) in enumerate(document.items()):
        parts.append(f",\n  {json.dumps(key)}: " if index else f"  {json.dumps(key)}: ")
        for part in _value(value):
            parts.append(part)
            size += len(part)
            if size >= PIECE:
                yield "".join(parts)
                parts, size = [], 0
    parts.append("\n}\n")
    yield "".join(parts)


def _value(value: Any) -> Iterator[str]:
    if isinstance(value, list) and value:
        yield "[\n    "
        for index, record in enumerate(_records(value)):
            if index:
                yield ",\n    "
            yield record
        yield "\n  ]"
    elif isinstance(value, dict) and value:
        yield "{\n"
        for index, (name, item) in enumerate(value.items()):
            lead = ",\n    " if index else "    "
            yield f"{lead}{json.dumps(name, ensure_ascii=False)}: {_compact(item)}"
        yield "\n  }"
    else:
        yield _compact(value)


def _records(records: list[Any]) -> Iterator[str]:
    """Each record's compact text. One whose last field is an object (a matrix row's cells)
    gets that field from its distinct members' texts, by identity (the members live in the
    document while it is written), put into the template of its member names."""
    names: tuple[Any, ...] = ()  # the last member names seen, and their template
    layout: str | None = None
    for record in records:
        last = next(reversed(record)) if type(record) is dict and record else None
        members: Any = record[last] if last is not None else None
        if type(members) is not dict or not members:
            yield _compact(record)
            continue
        if (current := tuple(members)) != names:  # rows name the same environments, in order
            names, layout = current, _layout(current)
        if layout is None:
            yield _compact(record)
            continue
        values = members.values()
        ids = list(map(id, values))
        texts = {ident: _compact(member) for ident, member in dict(zip(ids, values, strict=True)).items()}
        head = _compact({**record, last: {}})  # ends in `{}}`: the members go between the braces
        yield f"{head[:-3]}{{{layout.format(*map(texts.__getitem__, ids))}}}}}"


def _layout(names: tuple[Any, ...]) -> str | None:
    """`"name": {}` for each member, as the encoder writes them, ready for `str.format`; None
    where a name is not text (the encoder converts those its own way)."""
    if not all(type(name) is str for name in names):
        return None
    quoted = (json.dumps(name, ensure_ascii=False).replace("{", "{{").replace("}", "}}") for name in names)
    return ", ".join(f"{name}: {{}}" for name in quoted)


def _encoder() -> Callable[[Any], str]:
    """One compact encoder for every record. `JSONEncoder.encode` sets up a new C encoder on
    each call (2 us, and a large report encodes 18,000 records and cells), so the C encoder is
    made once, with the arguments `encode` gives it; where the interpreter has none (or
    another signature), `encode` itself. Neither checks for cycles: a document is a tree
    (built by drift, or read from JSON)."""
    public = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), check_circular=False).encode
    make: Any = getattr(_stdlib, "c_make_encoder", None)
    try:
        c_encode = make(None, None, _stdlib.encode_basestring, None, ": ", ", ", False, False, True)
        if "".join(c_encode([{"a": None}, 1.5, "\u00e9"], 0)) != public([{"a": None}, 1.5, "\u00e9"]):
            return public
    except TypeError:  # no C encoder, or one that takes other arguments
        return public
    return lambda value: "".join(c_encode(value, 0))


_compact = _encoder()
