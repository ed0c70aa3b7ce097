"""The built wheel works on its own: installed into a fresh virtual environment, it renders
every format, including HTML and a `drift scan`, from the installed package (package data
that only the source tree has would fail here, as it did for report.css and report.js)."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from the files git knows."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # the files git knows, as a clean clone has them (no egg-info)
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(work.glob("drift_env-*.whl"))


def _venv(wheel: Path, target: Path, packages: Path) -> Path:
    """A fresh virtual environment holding the wheel, its dependencies taken from the folder
    `packages` through a .pth file (no download, and the .pth files there, such as the
    editable install's, are not processed)."""
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(f"{packages}\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target / "bin"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel with every dependency of the test environment."""
    return _venv(wheel, tmp_path_factory.mktemp("full") / "venv", Path(sysconfig.get_paths()["purelib"]))


#: The core's packages as imported (pyproject.toml's `dependencies` and theirs).
CORE = (
    "click",
    "dotenv",
    "jinja2",
    "markupsafe",
    "regex",
    "deepdiff",
    "orderly_set",
    "cachebox",
    "prometheus_client",
    "rich",
    "markdown_it",
    "mdurl",
    "pygments",
)


@pytest.fixture(scope="module")
def slim(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel with the core's dependencies only: no boto3, PyYAML, tree-sitter, psycopg
    or CEL, as `pip install drift-env` installs it."""
    work = tmp_path_factory.mktemp("slim")
    packages = work / "core"
    packages.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for name in CORE:
        (packages / name).symlink_to(site / name)
    return _venv(wheel, work / "venv", packages)


def drift(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "DRIFT_FINGERPRINT_KEY": "wheel-test-key", "HOME": str(cwd)}
    return subprocess.run(
        [str(bin_dir / "drift"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_installed_wheel_renders_every_format(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "mre"
    shutil.copytree(ROOT / "examples" / "mre", project, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    where = drift(installed, project, "--version")
    assert where.returncode == 0, where.stderr
    location = subprocess.run(
        [str(installed / "python"), "-c", "import drift; print(drift.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert str(ROOT) not in location, "the test must run the installed package, not the checkout"
    schemas = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "from importlib.resources import files; print([p.name for p in (files('drift') / 'schemas').iterdir()])",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert "drift-report.schema.json" in schemas and "drift.toml.schema.json" in schemas  # the JSON Schemas ship
    for fmt in ("terminal", "json", "html", "markdown", "sarif", "junit"):
        done = drift(installed, project, "check", "--format", fmt)
        assert done.returncode == 1, (fmt, done.stderr)
        assert "Traceback" not in done.stderr and done.stdout
    html = drift(installed, project, "check", "--format", "html").stdout
    assert "<style>" in html and "--error" in html and "<script>" in html
    scan = drift(installed, project, "scan")
    assert scan.returncode == 1, scan.stderr
    assert (project / "reports" / "drift-report.html").stat().st_size > 10_000
    report = drift(installed, project, "report", "--format", "markdown")
    assert report.returncode == 0 and report.stdout.startswith("## drift: mre")


LOCAL = '[environments.p]\nsources = [{ type = "dotenv", path = ".env" }]\n'


@pytest.mark.parametrize(
    ("config", "extra"),
    [
        ('[environments.p]\nsources = [{ type = "ssm", path = "/app/" }]\n', "aws"),
        ('[environments.p]\nsources = [{ type = "compose", service = "web" }]\n', "yaml"),
        ('[environments.p]\nsources = [{ type = "migrations", tool = "prisma" }]\n', "postgres"),
        (f"[code]\n{LOCAL}", "code"),
        (f'[[assert]]\nname = "a"\ncheck = "true"\n{LOCAL}', "cel"),
        (f'[drift]\nhistory = "s3://bucket/drift"\n{LOCAL}', "aws"),
        (f'{LOCAL}[notify]\nurls = ["json://127.0.0.1:9/hook"]\n', "notify"),
    ],
)
def test_the_core_install_names_the_extra_a_configuration_needs(
    slim: Path, tmp_path: Path, config: str, extra: str
) -> None:
    (tmp_path / ".env.example").write_text("A=1\n")
    (tmp_path / ".env").write_text("A=1\n")
    (tmp_path / "drift.toml").write_text(config)
    done = drift(slim, tmp_path, "check")
    assert done.returncode == 2, done.stderr
    assert f"pip install 'drift-env[{extra}]'" in done.stderr and "Traceback" not in done.stderr


def test_the_core_install_checks_files_and_writes_every_format(slim: Path, tmp_path: Path) -> None:
    for module in ("boto3", "yaml", "tree_sitter", "psycopg", "cel_expr_python"):
        absent = subprocess.run([str(slim / "python"), "-c", f"import {module}"], capture_output=True, check=False)
        assert absent.returncode != 0, f"{module} is in the slim environment"
    (tmp_path / ".env.example").write_text("A=1\n# @type int\nB=2\n")
    (tmp_path / ".env").write_text("A=1\nB=two\n")
    for fmt in ("terminal", "json", "html", "markdown", "sarif", "junit"):
        done = drift(slim, tmp_path, "check", "--format", fmt)
        assert done.returncode == 1 and "invalid" in done.stdout, (fmt, done.stderr)
    assert drift(slim, tmp_path, "explain", "--sources").returncode == 0
    assert drift(slim, tmp_path, "--help").returncode == 0


OLD_PYTHONS = sorted(Path("/root/.pyenv/versions").glob("3.10*/bin/python"))


@pytest.mark.skipif(not OLD_PYTHONS, reason="no Python below 3.11 on this machine")
def test_an_older_python_is_refused_by_pip_with_the_reason(wheel: Path, tmp_path: Path) -> None:
    """On Python 3.10, pip names the Python the package needs (not a dependency's failure), from
    an index that serves the wheel as PyPI does (its Requires-Python beside the link, PEP 503)."""
    target = tmp_path / "venv"
    subprocess.run([str(OLD_PYTHONS[-1]), "-m", "venv", str(target)], check=True, capture_output=True, timeout=120)
    metadata = zipfile.ZipFile(wheel).read("drift_env-0.1.0.dist-info/METADATA").decode()
    requires = next(line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Python: "))
    page = tmp_path / "simple" / "drift-env" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<a href="{wheel.as_uri()}" data-requires-python="{html.escape(requires)}">{wheel.name}</a>\n')
    index = (tmp_path / "simple").as_uri()
    done = subprocess.run(
        [str(target / "bin" / "python"), "-m", "pip", "install", "--index-url", index, "drift-env"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "require a different python version: 0.1.0 Requires-Python >=3.11" in said, said
