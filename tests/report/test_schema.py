"""The report's shape is declared once (`report/validate.py`) and published as a JSON Schema
generated from it (`drift/schemas/drift-report.schema.json`): the file matches the declaration,
real reports validate against it with an independent validator (jsonschema), and a damaged
report is refused by both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from drift.errors import ConfigError
from drift.report.validate import check_document, json_schema
from tests.conftest import Project, run

PUBLISHED = Path(__file__).resolve().parent.parent.parent / "drift" / "schemas" / "drift-report.schema.json"


def test_the_published_schema_is_generated_from_the_declaration() -> None:
    assert json.loads(PUBLISHED.read_text()) == json_schema()
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_real_reports_validate_against_the_published_schema(report_project: Project) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(PUBLISHED.read_text()))
    check = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    assert check["findings"] and check["matrix"]
    validator.validate(check)
    run(["scan"], expect=1)
    saved = json.loads(run(["report", "--format", "json"], expect=0).stdout)
    assert saved["scan_id"]
    validator.validate(saved)


@pytest.mark.parametrize(
    ("damage", "path"),
    [
        (lambda d: d["findings"][0].pop("rule"), "findings[0].rule"),
        (lambda d: d["findings"][0].update(severity="fatal"), "findings[0].severity"),
        (lambda d: d["summary"].update(error="3"), "summary.error"),
        (lambda d: d["environments"][0].update(deployed="yes"), "environments[0].deployed"),
        (lambda d: d["matrix"][0].update(cells=[]), "matrix[0].cells"),
        (lambda d: d.update(trend={}), "trend"),
    ],
)
def test_a_damaged_report_is_refused_by_both(report_project: Project, damage: Any, path: str) -> None:
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    damage(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json_schema(), cls=jsonschema.Draft202012Validator)
    with pytest.raises(ConfigError, match=path.replace("[", r"\[").replace("]", r"\]")):
        check_document(document, "report.json")
