"""The JSON report's layout (top-level fields indented, each record one compact line), now
joined once from its pieces: on generated documents it must be the text the field-by-field
renderer wrote, and read back as the same document."""

from __future__ import annotations

import json
from typing import Any

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
