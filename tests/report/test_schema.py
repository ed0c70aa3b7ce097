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
        (lambda d: d.update(keys=[7]), "keys[0]"),
    ],
)
def test_a_damaged_report_is_refused_by_both(report_project: Project, damage: Any, path: str) -> None:
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    damage(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json_schema(), cls=jsonschema.Draft202012Validator)
    with pytest.raises(ConfigError, match=path.replace("[", r"\[").replace("]", r"\]")):
        check_document(document, "report.json")


def test_keys_must_name_the_matrix_rows(report_project: Project) -> None:
    """`keys` and the matrix are two views of the keys checked: a report where they disagree
    would render one list in JUnit and another in HTML, so it is refused (the JSON Schema
    cannot say this; the declaration's check does)."""
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    assert document["keys"] == [row["key"] for row in document["matrix"]]
    document["keys"].reverse()
    with pytest.raises(ConfigError, match="keys must name the matrix's rows"):
        check_document(document, "report.json")


def test_a_report_saved_before_keys_renders_its_junit_from_the_matrix(report_project: Project) -> None:
    """`keys` was added within schema_version 1: `drift render` fills it from the matrix's
    rows, so JUnit lists the same test cases as for a report that carries it."""
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    (report_project.root / "new.json").write_text(json.dumps(document), encoding="utf-8")
    del document["keys"]
    (report_project.root / "old.json").write_text(json.dumps(document), encoding="utf-8")
    new = run(["render", "--input", "new.json", "--format", "junit"], expect=0).stdout
    old = run(["render", "--input", "old.json", "--format", "junit"], expect=0).stdout
    assert old == new and "<testcase" in new
