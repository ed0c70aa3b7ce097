"""The JSON report's layout (top-level fields indented, each record one compact line), now
joined once from its pieces: on generated documents it must be the text the field-by-field
renderer wrote, and read back as the same document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drift.report import json_
from drift.report.document import Document


def _field_by_field(document: dict[str, Any]) -> str:
    """The renderer as it was."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    def value_text(value: Any) -> str:
        if isinstance(value, list) and value:
            return "[\n    " + ",\n    ".join(compact(item) for item in value) + "\n  ]"
        if isinstance(value, dict) and value:
            items = (f"    {json.dumps(k, ensure_ascii=False)}: {compact(v)}" for k, v in value.items())
            return "{\n" + ",\n".join(items) + "\n  }"
        return compact(value)

    fields = [f"  {json.dumps(key)}: {value_text(value)}" for key, value in document.items()]
    return "{\n" + ",\n".join(fields) + "\n}\n"


_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _VALUES, max_size=6))
def test_the_json_report_is_the_text_the_field_by_field_renderer_wrote(document: dict[str, Any]) -> None:
    typed: Document = document  # type: ignore[assignment]
    text = json_.render(typed)
    assert text == _field_by_field(document)
    assert json.loads(text) == document


_NAMES = st.text(max_size=4) | st.text('{}"\\\né a', max_size=4) | st.integers(-3, 3) | st.booleans() | st.none()


@st.composite
def _tables(draw: st.DrawFn) -> dict[str, Any]:
    """Documents whose records end in an object of shared objects, as the matrix's rows end in
    their cells (equal cells are one object): names with braces, quotes and control
    characters, names that are not text, members of every kind, and records of other shapes
    among them."""
    pool = draw(st.lists(_VALUES, min_size=1, max_size=4))
    rows: list[Any] = []
    for _ in range(draw(st.integers(1, 6))):
        head = draw(st.dictionaries(st.text(max_size=4), _SCALARS, max_size=3))
        names = draw(st.lists(_NAMES, max_size=5, unique=True))
        members = {name: pool[draw(st.integers(0, len(pool) - 1))] for name in names}
        row: Any = {**head, draw(st.text(max_size=5)): members}
        rows.append(draw(st.sampled_from([row, members, pool[0]])))
    return {"matrix": rows}


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_records_that_end_in_shared_objects_are_the_text_the_encoder_writes(document: dict[str, Any]) -> None:
    typed: Document = document  # type: ignore[assignment]
    text = json_.render(typed)
    assert text == _field_by_field(document)
    assert json.loads(text) == json.loads(_field_by_field(document))


def test_without_the_c_encoder_records_are_written_by_json_encode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoder made once falls back to `JSONEncoder.encode` (its pure-Python encoder) where
    the interpreter has no C encoder: the same text."""
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    compact = json_._encoder()
    record = {"key": "K", "cells": {"a{b}": {"display": "é\n", "group": 1.5}}, "n": None}
    assert compact(record) == json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    assert compact is not json_._compact


def test_a_large_report_comes_in_pieces_of_about_the_piece_size() -> None:
    """A report of 1.3 MB: written in pieces each a little over `PIECE` characters (one
    record more at most), the last what is left, together the text the field-by-field
    renderer wrote."""
    cell = {"state": "present", "display": "x" * 20, "group": 0}
    rows = [{"key": f"K{i}", "cells": {f"env{e:02d}": cell for e in range(20)}} for i in range(1_000)]
    document: dict[str, Any] = {"schema_version": 1, "matrix": rows, "summary": {"error": 1}}
    pieces = list(json_.pieces(document))  # type: ignore[arg-type]
    longest = max(len(json_._compact(row)) for row in rows)
    assert len(pieces) >= 5
    assert all(json_.PIECE <= len(piece) <= json_.PIECE + longest + 8 for piece in pieces[:-1])
    assert "".join(pieces) == _field_by_field(document)
