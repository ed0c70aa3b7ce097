"""The built wheel works on its own: installed into a fresh virtual environment, it renders
every format, including HTML and a `drift scan`, from the installed package (package data
that only the source tree has would fail here, as it did for report.css and report.js)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding only the wheel; the dependencies come from the
    test environment's site-packages through a .pth file (no download, and the .pth files
    there, such as the editable install's, are not processed)."""
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
    wheel = next(work.glob("drift_env-*.whl"))
    target = work / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target / "bin"


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
