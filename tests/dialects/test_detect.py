"""Which loader reads a project's env files (issue #19): what loads the file, nearest first,
walking up to the project's root; a backend's own file ahead of a package.json that only
builds the front end; a Compose file that reads env files ahead of both."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift import dialects

FRONT_END = '{"devDependencies": {"vite": "^5"}}'


@pytest.mark.parametrize(
    ("files", "dialect"),
    [
        ({"composer.json": "{}", "package.json": FRONT_END}, "php"),
        ({"Gemfile": "gem 'rails'", "package.json": FRONT_END}, "ruby"),
        ({"go.mod": "module x", "package.json": FRONT_END}, "go"),
        ({"compose.yaml": "services:\n  api:\n    env_file: .env\n", "requirements.txt": "django"}, "compose"),
        ({"docker-compose.yml": "services:\n  db:\n    image: ${IMAGE}\n", "package.json": "{}"}, "compose"),
        ({"requirements.txt": "django", "package.json": FRONT_END}, "python"),
        ({"pyproject.toml": "", "package.json": '{"dependencies": {"next": "14"}}'}, "node"),
        ({"package.json": FRONT_END}, "node"),
        ({"compose.yaml": "services:\n  web:\n    image: nginx\n"}, "compose"),
        ({}, "python"),
    ],
)
def test_the_loader_is_detected_from_what_loads_the_file(tmp_path: Path, files: dict[str, str], dialect: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert dialects.detect(tmp_path, tmp_path).name == dialect


def test_nearest_first_up_to_the_project_root(tmp_path: Path) -> None:
    (tmp_path / "composer.json").write_text("{}")
    app = tmp_path / "services" / "api"
    app.mkdir(parents=True)
    assert str(dialects.detect(app, tmp_path)) == "php (detected from composer.json in " + tmp_path.name + ")"
    (app / "go.mod").write_text("module api")
    assert dialects.detect(app, tmp_path).name == "go"  # the nearer file wins
    outside = tmp_path / "services"
    (tmp_path.parent / "Gemfile").write_text("")  # above the project: never looked at
    try:
        assert dialects.detect(outside, outside).name == "python"
    finally:
        (tmp_path.parent / "Gemfile").unlink()
