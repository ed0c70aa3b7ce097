"""drift.toml's JSON Schema: generated from the reader's own declarations (the file in the
package is that output), every configuration in the repository validates against it with
an independent validator, and what drift refuses (an unknown field or source option) the
schema refuses too."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from drift.config.jsonschema import json_schema

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "drift" / "schemas" / "drift.toml.schema.json"
CONFIGS = sorted([*ROOT.glob("examples/**/drift*.toml"), *ROOT.glob("tests/fixtures/**/drift.toml")])


def test_the_published_schema_is_generated_from_the_reader() -> None:
    assert json.loads(PUBLISHED.read_text()) == json_schema()
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("config", CONFIGS, ids=[str(p.relative_to(ROOT)) for p in CONFIGS])
def test_every_configuration_here_validates(config: Path) -> None:
    jsonschema.validate(tomllib.loads(config.read_text()), json_schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    "bad",
    [
        {"drift": {"fail_onn": "error"}},
        {"environments": {"p": {"sources": [{"type": "dotenv", "paht": ".env"}]}}},
        {"environments": {"p": {"sources": [{"type": "ssm"}]}}},  # path is required
        {"environments": {"p": {"sources": [{"type": "dotenv", "path": 3}]}}},
        {"keys": {"A": {"secrett": True}}},
        {"notfy": {}},
    ],
)
def test_what_drift_refuses_the_schema_refuses(bad: dict[str, object]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json_schema(), cls=jsonschema.Draft202012Validator)
