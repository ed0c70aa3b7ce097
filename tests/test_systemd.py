"""The `systemd` source and dialect, proven against systemd itself: `Environment=` lines and
drop-in order against `systemd --test` (which dumps the parsed unit), environment files
against systemd's own reader (through `systemd-environment-d-generator`, which prints what it
read). Then a unit tree read locally, with its failures.

systemd here is Debian 12's (252). One difference from upstream is kept out of the
generated inputs: since 254 a comment line ending in `\\` no longer swallows the next line;
drift follows upstream.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from drift import dialects
from drift.collectors.base import CollectContext, CollectorError
from drift.collectors.systemd import SystemdCollector
from drift.settings import SourceConfig

SYSTEMD = Path("/lib/systemd/systemd")
GENERATOR = Path("/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator")
needs_systemd = pytest.mark.skipif(
    not (SYSTEMD.exists() and GENERATOR.exists() and shutil.which("setpriv")),
    reason="systemd is not installed (.ci/run installs it)",
)
UNIT = "drift-oracle.service"


# --- environment files: drift's `systemd` dialect against systemd's reader --------------------

PLAIN = st.text(st.sampled_from("abcXYZ019 _-./:@,+=é"), max_size=8)
QUOTED = st.text(st.sampled_from("ab 19=#;'\"\\é\t"), max_size=8)


@st.composite
def env_lines(draw: Any) -> str:
    """One line of an environment file: an assignment in some mix of quoting, a comment, a
    blank, a line with no `=`, or a bad name; with continuations."""
    kind = draw(st.sampled_from(["assign", "assign", "assign", "comment", "blank", "noequals", "badname"]))
    indent: str = draw(st.sampled_from(["", " ", "\t"]))
    if kind == "comment":
        return indent + str(draw(st.sampled_from("#;"))) + str(draw(PLAIN))
    if kind == "blank":
        return indent
    if kind == "noequals":
        return indent + "DRIFTK_" + str(draw(st.sampled_from("ABC")))
    key: str = "DRIFTK_" + str(draw(st.sampled_from("ABCDE")))
    if kind == "badname":
        key = draw(st.sampled_from(["DRIFTK-BAD", "9DRIFTK", "DRIFTK BAD"]))
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        style = draw(st.sampled_from(["plain", "single", "double", "escape", "continue"]))
        if style == "plain":
            parts.append(draw(PLAIN))
        elif style == "single":
            parts.append("'" + draw(QUOTED).replace("'", "") + "'")
        elif style == "double":
            parts.append('"' + draw(QUOTED).replace('"', '\\"') + '"')
        elif style == "escape":
            parts.append("\\" + draw(st.sampled_from("abn\\'\" ")))
        else:
            parts.append("\\\n")
    spacing: str = draw(st.sampled_from(["=", " = ", "= ", " ="]))
    # 'v' first: systemd's reader hands over no value at all for `KEY=` (EnvironmentFile=
    # makes it empty, the generator ignores the line), so every value starts with a quoted
    # character; after a closing quote the reader is where it is after `=`, so the rest of
    # the line is read exactly as it would be without it.
    return indent + key + spacing + "'v'" + "".join(parts) + str(draw(st.sampled_from(["", " ", "  "])))


def read_by_systemd(text: str, folder: Path) -> dict[str, str]:
    """What systemd's environment-file reader makes of `text` (our keys only)."""
    target = folder / "environment.d"
    target.mkdir(parents=True, exist_ok=True)
    (target / "10-drift.conf").write_text(text, encoding="utf-8")
    done = subprocess.run([str(GENERATOR)], env={"XDG_CONFIG_HOME": str(folder)}, capture_output=True, check=True)
    found = {}
    for line in done.stdout.decode("utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.startswith("DRIFTK_"):
            found[key] = _unquote(value)
    return found


def _unquote(value: str) -> str:
    """The generator prints a value in double quotes with C escapes when it needs them."""
    if not (value.startswith('"') and value.endswith('"') and len(value) >= 2):
        return value
    escapes = {"\\": "\\", '"': '"', "$": "$", "`": "`", "t": "\t", "n": "\n", "r": "\r", "a": "\a", "b": "\b",
               "f": "\f", "v": "\v"}  # fmt: skip
    out, index, inner = [], 0, value[1:-1]
    while index < len(inner):
        if inner[index] == "\\" and index + 1 < len(inner):
            out.append(escapes.get(inner[index + 1], "\\" + inner[index + 1]))
            index += 2
        else:
            out.append(inner[index])
            index += 1
    return "".join(out)


def read_by_drift(text: str) -> dict[str, str]:
    return {k: a.value for k, a in dialects.read(text, "systemd", False, "f").values.items()}


@needs_systemd
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(env_lines(), max_size=6))
def test_environment_files_as_systemd_reads_them(tmp_path: Path, lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    assume(not re.search(r"^[ \t]*[#;][^\n]*\\\n", text, re.M))  # systemd 252 vs upstream, see above
    assert read_by_drift(text) == read_by_systemd(text, tmp_path)


@needs_systemd
@pytest.mark.parametrize(
    "text",
    [
        "DRIFTK_A=one two   \n",
        "DRIFTK_A = 'single # not a comment' \"and double\"\n",
        'DRIFTK_A="a\\"b\\\\c\\`e\\zf"\n',  # `$` is left out: the generator expands it
        "DRIFTK_A=first\\\nsecond\n",
        "  ; comment\n# another\nDRIFTK_B=x\n",
        "DRIFTK_A=unterminated 'quote\nDRIFTK_B=swallowed\n",
        "DRIFTK_A=x\nDRIFTK_A=y\nNO_EQUALS\n",
        "DRIFTK_A\\x=1\n",
    ],
)
def test_awkward_environment_files(tmp_path: Path, text: str) -> None:
    assert read_by_drift(text) == read_by_systemd(text, tmp_path)


# --- unit files: Environment=, drop-ins, UnsetEnvironment against `systemd --test` --------------

WORD_PLAIN = st.text(st.sampled_from("abcXYZ019_-./:@,+="), min_size=1, max_size=6)


@st.composite
def environment_words(draw: Any) -> str:
    """One word of an `Environment=` line: NAME=VALUE with quotes, escapes and specifiers."""
    key = "DRIFTK_" + draw(st.sampled_from("ABCD"))
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        style = draw(st.sampled_from(["plain", "single", "double", "escape", "specifier"]))
        if style == "plain":
            parts.append(draw(WORD_PLAIN))
        elif style == "single":
            parts.append("'" + draw(st.text(st.sampled_from('ab 1="'), max_size=5)) + "'")
        elif style == "double":
            parts.append('"' + draw(st.text(st.sampled_from("ab 1='"), max_size=5)) + '"')
        elif style == "escape":
            parts.append(draw(st.sampled_from(["\\x41", "\\\\", '\\"', "\\s", "\\101", "\\t"])))
        else:
            parts.append(draw(st.sampled_from(["%%", "%n", "%N", "%p"])))
    word = key + "=" + "".join(parts)
    return str(draw(st.sampled_from([word, word, word, "'" + word + "'", '"' + word.replace('"', '\\"') + '"'])))


@pytest.fixture
def readable() -> Iterator[Path]:
    """A folder the unprivileged user `systemd --test` runs as can read (pytest's own
    temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="drift-systemd-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def systemd_dump(units: Path) -> tuple[list[str], list[str]]:
    """(Environment entries, UnsetEnvironment entries) of the oracle unit, as systemd parsed them."""
    subprocess.run(["chmod", "-R", "a+rX", str(units)], check=True)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]  # systemd --test refuses root
    command = [*nobody, "env", "HOME=/tmp", f"SYSTEMD_UNIT_PATH={units}:", str(SYSTEMD), "--test", "--system",
               f"--unit={UNIT}", "--no-pager"]  # fmt: skip
    dump = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8", "replace")
    block = dump.split(f"-> Unit {UNIT}:", 1)[1].split("-> Unit ", 1)[0]
    environment = [line.split(": ", 1)[1] for line in block.splitlines() if line.strip().startswith("Environment: ")]
    unset = [line.split(": ", 1)[1] for line in block.splitlines() if line.strip().startswith("UnsetEnvironment: ")]
    return environment, unset


def read_unit(root: Path, **options: Any) -> dict[str, str | None]:
    source = SourceConfig("systemd", {"unit": UNIT, "root": str(root), **options})
    data = SystemdCollector(source, CollectContext(root.parent, "vm")).collect()
    return {e.key: e.value for e in data.entries}


def expected_from(environment: list[str], unset: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for assignment in environment:
        key, _, value = assignment.partition("=")
        found[key] = value
    for name in unset:
        key, sep, value = name.partition("=")
        if not sep or found.get(key) == value:
            found.pop(key, None)
    return {k: v for k, v in found.items() if k.startswith("DRIFTK_")}


@needs_systemd
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(environment_words(), max_size=3), min_size=1, max_size=4), st.data())
def test_environment_lines_as_systemd_parses_them(readable: Path, lines: list[list[str]], data: Any) -> None:
    units = readable / "units"
    shutil.rmtree(units, ignore_errors=True)
    (units / f"{UNIT}.d").mkdir(parents=True)
    body = ["[Service]", "ExecStart=/bin/true"] + [f"Environment={' '.join(words)}" for words in lines]
    if data.draw(st.booleans()):
        body.append("Environment=")  # clears the list
        body.append("Environment=DRIFTK_E=after")
    (units / UNIT).write_text("\n".join(body) + "\n")
    (units / f"{UNIT}.d" / "20-late.conf").write_text("[Service]\nEnvironment=DRIFTK_A=from-drop-in\n")
    (units / f"{UNIT}.d" / "10-early.conf").write_text(
        "[Service]\nEnvironment=DRIFTK_B=early\nUnsetEnvironment=DRIFTK_C\n"
    )
    environment, unset = systemd_dump(units)
    # both sides over the test's own keys: a quoted word can hold a second assignment
    # (`'DRIFTK_A=' a=''` sets `a` too, in systemd and in drift alike)
    read = {k: v for k, v in read_unit(units).items() if k.startswith("DRIFTK_")}
    assert read == expected_from(environment, unset)


# --- a unit tree, locally ----------------------------------------------------------------------


def test_a_unit_with_drop_ins_and_environment_files(tmp_path: Path) -> None:
    units = tmp_path / "units"
    (units / f"{UNIT}.d").mkdir(parents=True)
    env = tmp_path / "srv" / "mre.env"
    env.parent.mkdir()
    env.write_text("# MRE\nAPP_URL=https://app.acme.io\nSESSION_SECRET='CANARY-systemd-1'\nPORT=3000\n")
    (units / UNIT).write_text(
        "[Unit]\nDescription=MRE\n\n[Service]\nEnvironment=NODE_ENV=production PORT=8080 \\\n  LOG_LEVEL=info\n"
        f"EnvironmentFile={env}\nEnvironmentFile=-{tmp_path}/srv/optional.env\nExecStart=/usr/bin/node server.js\n"
    )
    (units / f"{UNIT}.d" / "override.conf").write_text(
        "[Service]\nEnvironment=LOG_LEVEL=debug\nUnsetEnvironment=NODE_ENV\n"
    )
    source = SourceConfig("systemd", {"unit": UNIT, "root": str(units)})
    data = SystemdCollector(source, CollectContext(tmp_path, "vm")).collect()
    entries = {e.key: e for e in data.entries}
    assert {k: e.value for k, e in entries.items()} == {
        "PORT": "3000",  # EnvironmentFile= overrides Environment=
        "LOG_LEVEL": "debug",  # the drop-in comes after the unit
        "APP_URL": "https://app.acme.io",
        "SESSION_SECRET": "CANARY-systemd-1",
    }
    assert entries["LOG_LEVEL"].location == f"units/{UNIT}.d/override.conf:2"
    assert entries["APP_URL"].location == "srv/mre.env:2"


@pytest.mark.parametrize(
    ("unit", "cause"),
    [
        (None, "no unit file found"),
        ("[Service]\nEnvironmentFile=/nonexistent/mre.env\n", "EnvironmentFile /nonexistent/mre.env"),
    ],
)
def test_what_stops_a_unit(tmp_path: Path, unit: str | None, cause: str) -> None:
    units = tmp_path / "units"
    units.mkdir()
    if unit is not None:
        (units / UNIT).write_text(unit)
    with pytest.raises(CollectorError, match=cause):
        read_unit(units)


def test_specifiers_only_the_manager_knows_leave_the_value_unreadable(tmp_path: Path) -> None:
    units = tmp_path / "units"
    units.mkdir()
    (units / UNIT).write_text("[Service]\nEnvironment=HOSTNAME=%H UNIT=%n HOME_BIN=%h/bin\n")
    assert read_unit(units) == {"HOSTNAME": None, "UNIT": UNIT, "HOME_BIN": None}
    assert read_unit(units, user=True)["HOME_BIN"] == "~/bin"


@needs_systemd
def test_an_escaped_backslash_at_the_end_of_a_line_does_not_continue_it(readable: Path) -> None:
    """Found by the property above: `\\\\` at the end of a line is an escaped backslash."""
    units = readable / "units"
    units.mkdir()
    (units / UNIT).write_text("[Service]\nExecStart=/bin/true\nEnvironment=DRIFTK_A=\\\\\nEnvironment=DRIFTK_D=\n")
    environment, unset = systemd_dump(units)
    assert read_unit(units) == expected_from(environment, unset) == {"DRIFTK_A": "\\", "DRIFTK_D": ""}
