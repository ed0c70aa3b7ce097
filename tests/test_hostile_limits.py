"""The rest of the second adversarial review's cases (issue #20), each named after its case:
bounds on keys, memory and unit files; settings that carry secrets; odd migrations folders;
a closed standard output; a form feed in an example comment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drift.engine import bounded
from drift.model import MAX_KEYS
from tests.conftest import Project, run
from tests.helpers import every_output, make_project, scan

CANARY = "CANARY-limits-Xq81"


def test_150000_undeclared_keys_in_one_file_make_the_source_unreadable(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("prod.env", "".join(f"K{i}=v\n" for i in range(150_000)))  # 1.3 MB, under the byte cap
    project.write("drift.toml", '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n')
    document = json.loads(run(["check", "--format", "json"], expect=3).stdout)
    (finding,) = document["findings"]
    assert finding["rule"] == "source-unavailable"
    assert f"holds more than {MAX_KEYS:,} keys" in finding["message"]


def test_a_schema_over_the_key_limit_is_an_error_naming_the_file(project: Project) -> None:
    project.write(".env.example", "".join(f"K{i}=v\n" for i in range(MAX_KEYS + 1)))
    project.write("drift.toml", '[environments.prod]\nsources = [{ type = "dotenv", path = ".env.example" }]\n')
    assert f".env.example: declares more than {MAX_KEYS:,} keys" in run(["check"], expect=2).stderr


def test_memory_per_key_is_linear_and_small(tmp_path: Path) -> None:
    """The scan's peak memory grows by a constant per key: about 2 KB measured, so 10,000
    keys (the most one source holds) stay far under the 300 MB bound a run has."""

    def peak(count: int) -> int:
        root = tmp_path / str(count)
        make_project(root, "A=1\n", {"prod": "".join(f"UNDECLARED_{i}=value-{i}\n" for i in range(count))})
        tracemalloc.start()
        try:
            scan(root)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(100)  # modules a first scan imports are not per key
    per_key = (peak(8_000) - peak(2_000)) / 6_000
    assert 0 < per_key < 4_096, per_key


def test_a_unit_file_with_300000_environment_words(project: Project) -> None:
    words = " ".join(f"K{i % 5000}=v" for i in range(300_000))  # 2.2 MB on one line
    project.write("deploy/app.service", f"[Service]\nEnvironment={words}\nExecStart=/bin/true\n")
    project.write(".env.example", "K1=v\n")
    project.write(
        "drift.toml", '[environments.vm]\nsources = [{ type = "systemd", unit = "app.service", root = "deploy" }]\n'
    )
    document = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    assert document["environments"][0]["keys"] == 5000


PROBED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: prod}}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: registry.acme.io/web:1.4.{patch}
          env: [{{name: A, value: "1"}}]
          livenessProbe:
            httpGet:
              path: /health
              port: 8080
              httpHeaders: [{{name: Authorization, value: "Bearer {canary}-{patch}"}}]
          readinessProbe:
            exec:
              command: [/bin/check, --password, "{canary}-{patch}"]
"""


def test_settings_drift_never_prints_probe_headers_or_exec_arguments(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    for env, patch in (("staging", 1), ("production", 2)):
        project.write(f"k8s-{env}/web.yaml", PROBED.format(patch=patch, canary=CANARY))
    project.write(
        "drift.toml",
        "".join(
            f'[environments.{env}]\nsources = [{{ type = "kubernetes", manifests = ["k8s-{env}/"], '
            f'workload = "Deployment/web", namespace = "prod" }}]\n'
            for env in ("staging", "production")
        ),
    )
    document = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    paths = {f["key"] for f in document["findings"] if f["rule"] == "settings-drift"}
    assert any("httpHeaders" in path for path in paths) and any("command" in path for path in paths), paths
    assert CANARY not in every_output(run, 0)


REFUSED = "the connection was refused"  # the folder was read; then the database is asked


@pytest.mark.parametrize(
    ("odd", "cause"),
    [
        ("folder named like a migration", REFUSED),
        ("not UTF-8", REFUSED),  # a name is what counts, never the SQL
        ("a link loop", "migrations: 002_more.sql: not a regular file"),
        ("an empty file", REFUSED),
    ],
)
def test_odd_entries_in_a_migrations_folder_are_named_not_a_crash(project: Project, odd: str, cause: str) -> None:
    project.write(".env.example", "DATABASE_URL=\n")
    project.write("prod.env", "DATABASE_URL=postgresql://u@127.0.0.1:9/app\n")  # nothing listens
    project.write("migrations/001_init.sql", "CREATE TABLE t (a int);\n")
    folder = project.root / "migrations"
    if odd == "folder named like a migration":
        (folder / "002_more.sql").mkdir()
    elif odd == "not UTF-8":
        (folder / "002_more.sql").write_bytes(b"\xff\xfe\x00CREATE")
    elif odd == "a link loop":
        (folder / "002_more.sql").symlink_to("002_more.sql")
    else:
        (folder / "002_more.sql").write_bytes(b"")
    project.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "dotenv", path = "prod.env" }, { type = "migrations", '
        'tool = "sql", dir = "migrations", query = "SELECT name FROM log" }]\n',
    )
    result = run(["check", "--format", "json", "--fail-on", "none"], expect=3)
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "source-unavailable"]
    assert cause in finding["message"]


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_a_closed_standard_output_keeps_the_checks_exit_code(project: Project, fmt: str) -> None:
    """`drift check | head -1`: the reader leaves after one line; the check's own exit code
    (1, drift) stands, with no 'internal error' and no traceback. JSON is written in pieces
    as it is made (~600 KB here): the pipe closes between two of them."""
    project.write(".env.example", "".join(f"KEY_{i}=value\n" for i in range(3000)))
    project.write(".env", "")
    project.write("drift.toml", '[environments.local]\nsources = [{ type = "dotenv", path = ".env" }]\n')
    child = subprocess.Popen(
        [sys.executable, "-m", "drift", "check", "--format", fmt],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()
    child.stdout.close()  # what head does after its line
    stderr = child.stderr.read().decode()
    assert child.wait() == 1, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr


def test_a_form_feed_in_an_example_comment_does_not_stop_sync(project: Project) -> None:
    project.write(".env.example", "# the port\fit listens on\nPORT=8080\nLOG_LEVEL=info\n")
    project.write(".env", "PORT=8080\n")
    project.write("drift.toml", '[environments.local]\nsources = [{ type = "dotenv", path = ".env" }]\n')
    run(["sync", "--env", "local", "--write"], expect=0)
    assert (project.root / ".env").read_text().endswith("LOG_LEVEL=info\n")


def test_a_cel_assertion_that_builds_gigabytes_is_stopped_alone(project: Project) -> None:
    """Nested maps over a 30,000-item list (60 KB, under the value cap) would build 1.6 GB:
    that assertion is stopped at a bound, the others still run. Which bound comes first
    (256 MB or 2 s) depends on the machine's speed: CI's slower one met the 2 s first.
    Each bound alone is held by test_each_bounded_piece_has_its_own_time_and_memory_limit."""
    project.write(".env.example", "# @type csv\nX=a\n")
    project.write("prod.env", "X=" + ",".join("a" * 30_000) + "\n")
    project.write(
        "drift.toml",
        '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n'
        '[[assert]]\nname = "huge"\ncheck = "X.map(a, X.map(b, a + b)).size() > 0"\n'
        '[[assert]]\nname = "nested"\ncheck = "X.exists(a, X.exists(b, a == \'zz\'))"\n'
        '[[assert]]\nname = "small"\ncheck = "X.size() < 10"\n',
    )
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    messages = {f["expected"].split(":")[0]: f["message"] for f in document["findings"]}
    stopped = messages["assertion huge"]
    assert "could not be evaluated" in stopped, stopped
    assert "needed more than 256 MB" in stopped or "did not finish within 2 s" in stopped, stopped
    assert "ran past CEL's iteration budget" in messages["assertion nested"]
    assert "could not" not in messages["assertion small"]  # evaluated after the one stopped: false


def _spin(piece: int) -> bool:
    """Piece 1 never ends (a runaway computation), piece 2 allocates 2 GB, the others answer."""
    if piece == 1:
        while True:
            pass
    if piece == 2:
        return len(bytearray(2**31)) > 0
    return piece % 2 == 0


def test_each_bounded_piece_has_its_own_time_and_memory_limit() -> None:
    outcomes = bounded.run_each([0, 1, 2, 3, 4], _spin, seconds=0.5)
    assert outcomes[0] is True and outcomes[3] is False and outcomes[4] is True
    assert isinstance(outcomes[1], bounded.Exceeded) and "did not finish within 0.5 s" in outcomes[1]
    assert isinstance(outcomes[2], bounded.Exceeded) and "needed more than" in outcomes[2]


def test_a_form_feed_before_a_near_miss_does_not_stop_a_rename(project: Project) -> None:
    """Lines end at newlines only: the line a loader numbers is the one renamed."""
    project.write(".env.example", "DATABASE_URL=postgres://db.internal/app\n")
    project.write(".env", "# the database\fprimary\nDATABSE_URL=postgres://db.internal/app\n")
    project.write("drift.toml", '[environments.local]\nsources = [{ type = "dotenv", path = ".env" }]\n')
    run(["sync", "--env", "local", "--rename", "--write"], expect=0)
    assert (project.root / ".env").read_text() == "# the database\fprimary\nDATABASE_URL=postgres://db.internal/app\n"


@pytest.mark.parametrize("depth", [257, 900, 5_000])
def test_deep_json_is_refused_alike_on_every_python(depth: int) -> None:
    """Python 3.11's parser stopped near 1,000 levels, 3.13's does not: one bound for all."""
    from drift.platform import jsontext

    for text in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        with pytest.raises(jsontext.TooDeep):
            jsontext.loads(text)
    assert jsontext.loads("[" * 256 + "]" * 256) is not None  # the bound itself is read
    assert jsontext.loads('{"a": [1, {"b": null}], "c": "x"}') == {"a": [1, {"b": None}], "c": "x"}


@pytest.mark.parametrize(
    "text",
    [
        '{"key": "\\ud800"}',
        '{"\\udc00": 1}',
        '["ok", "a\\ud83d"]',
        '["\\\\\\ud800"]',  # an escaped backslash, then the lone half
        '["\\\\ud800\\udc00"]',  # the text `\ud800` (escaped backslash), then a lone low half
    ],
)
def test_json_with_a_lone_surrogate_is_refused_as_not_json(text: str) -> None:
    """Half of a UTF-16 pair is no character: no output could carry it, so the one reader of
    outside JSON refuses it, as malformed JSON, whether it comes as text or bytes."""
    from drift.platform import jsontext

    for form in (text, text.encode()):
        with pytest.raises(json.JSONDecodeError, match="lone surrogate"):
            jsontext.loads(form)


def test_bytes_that_encode_a_lone_surrogate_are_refused_as_not_json() -> None:
    """The parser decodes bytes with `surrogatepass`: a surrogate encoded in them (no escape
    at all) would be read into a string too. The same character whole is read."""
    from drift.platform import jsontext

    with pytest.raises(json.JSONDecodeError, match="lone surrogate"):
        jsontext.loads('{"key": "a\ud800"}'.encode("utf-8", "surrogatepass"))
    assert jsontext.loads('{"key": "\ud55c\U0001f600"}'.encode()) == {"key": "\ud55c\U0001f600"}


#: Any text, surrogates included (hypothesis leaves them out unless asked).
_ANY_TEXT = st.text(st.characters(exclude_categories=()))


def _strings(data: object) -> list[str]:
    """Every key and string value of parsed JSON."""
    if isinstance(data, dict):
        return [*data, *(s for value in data.values() for s in _strings(value))]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return [data] if isinstance(data, str) else []


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(_ANY_TEXT, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_ANY_TEXT, inner, max_size=3))
)
def test_json_is_read_as_the_standard_library_reads_it_unless_a_string_is_not_text(data: object) -> None:
    """Written by `json.dumps` (a lone half escaped as itself, a high and a low half next to
    each other as a pair): read as `json.loads` reads it, or refused exactly when a string
    it reads holds a surrogate."""
    from drift.platform import jsontext

    for text in (json.dumps(data), json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")):
        expected = json.loads(text)
        if any(0xD800 <= ord(c) <= 0xDFFF for s in _strings(expected) for c in s):
            with pytest.raises(json.JSONDecodeError):
                jsontext.loads(text)
        else:
            assert jsontext.loads(text) == expected


def test_a_report_with_a_lone_surrogate_is_refused_naming_the_file(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write(".env", "A=1\n")
    project.write("drift.toml", '[environments.local]\nsources = [{ type = "dotenv", path = ".env" }]\n')
    report = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    report["keys"] = ["A\ud800"]
    report["matrix"][0]["key"] = "A\ud800"
    project.write("report.json", json.dumps(report))
    done = run(["render", "--input", "report.json", "--format", "json"], expect=2)
    assert "report.json: not JSON" in done.stderr and "internal error" not in done.stderr
