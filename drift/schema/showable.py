"""The display policy (README, "What a report shows"): whether drift positively knows a value
is no secret, and the text any output may show of it. In the schema layer so that every
output decides alike: the reports (through `engine/secrecy.display`), `schema show`, `plan`,
`apply`, `sync`, the fix commands and `init` all come here."""

from __future__ import annotations

from drift.schema import types
from drift.schema.keyspec import SETTING_TYPES, KeySpec
from drift.secrets import is_url, redact_urls

#: Types whose valid values are never secrets: they may be shown.
SHOWABLE_TYPES = SETTING_TYPES


def showable(spec: KeySpec | None, value: str) -> bool:
    """Whether drift positively knows the value is not a secret, so that it may be shown (a
    URL part by part, through `shown`)."""
    if not value:
        return True
    if spec is None:
        return False
    if spec.secret is False:
        return True
    if spec.schema_secret:
        return False
    if spec.type in SHOWABLE_TYPES:
        try:
            types.parse(spec.type, value)
        except types.InvalidValue:
            return False
        return spec.type != "enum" or (spec.values is not None and value in spec.values)
    return is_url(value)


def shown(spec: KeySpec | None, value: str) -> str | None:
    """The text of the value any output may show (a URL with the parts that may carry a
    secret masked), or None when nothing of it may be shown."""
    if not showable(spec, value):
        return None
    return redact_urls(value)  # a URL's user info is masked wherever it appears


def shown_whole(spec: KeySpec | None, value: str) -> bool:
    """Whether the whole value may be shown, and so copied by `plan --from` or written where
    another output will show it."""
    return shown(spec, value) == value
