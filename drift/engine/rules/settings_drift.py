"""`settings-drift`: deployment settings (ECS task definitions, Lambda functions, Kubernetes
workloads) that differ between environments that must agree, compared with DeepDiff and
reported path by path."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity
from drift.secrets import SHORT_FINGERPRINT, Fingerprinter, masked
from drift.secrets.scrub import scrub

#: Mappings of named things (`containerDefinitions[web]`), shown with brackets.
_NAMED = ("containerDefinitions", "containers")
_VERSION = re.compile(r"\d+")


class SettingsDrift(Rule):
    slug = "settings-drift"
    severity = Severity.WARNING
    title = "Deployment settings differ between environments"
    explanation = """The deployed environments run with different settings where `[settings]`
    says they must agree (every deployed environment by default): an ECS task definition's cpu,
    memory, image, health check, log configuration, ulimits or port mappings; a Lambda
    function's runtime, memory, timeout, architectures, layers or reserved concurrency; a
    Kubernetes workload's replicas, resources, image or probes. Each difference is reported by
    its path, with both values; for an image it says which environment runs the newer tag."""
    fix = """Make the settings agree, or list the path in `[settings] allow` (globs such as
    "*.image" or "replicas") if the environments are meant to differ there."""
    scope = "across"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        state = context.state
        chosen = set(state.settings_environments)
        snapshots = [s for s in context.snapshots if (s.env in chosen if chosen else s.deployed)]
        kinds = sorted({k for s in snapshots for k in s.facts if k.startswith("settings:")})
        if not kinds:
            return
        from deepdiff import DeepDiff  # loaded only for projects whose sources read settings

        for kind in kinds:
            having = [(s.env, sealed(s.facts[kind], state.fingerprint).tree) for s in snapshots if kind in s.facts]
            for index, (env, settings) in enumerate(having):
                for other, other_settings in having[index + 1 :]:
                    difference = DeepDiff(settings, other_settings, ignore_order=True, view="tree")
                    for change in difference.values():
                        for item in change:
                            path = _path(item.path(output_format="list"))
                            if any(fnmatch.fnmatchcase(path, pattern) for pattern in state.settings_allow):
                                continue
                            yield self._finding(kind.partition(":")[2], path, env, other, item.t1, item.t2)

    def _finding(self, kind: str, path: str, env: str, other: str, left: Any, right: Any) -> Finding:
        shown = f"{path}: {env} {_shown(left)}, {other} {_shown(right)}"
        newer = _newer_image(env, left, other, right) if path.endswith(".image") else None
        return self.finding(
            None,
            f"{kind}:{path}",
            f"{kind} {shown}" + (f" ({newer} runs the newer tag)" if newer else ""),
            expected=f"the same value in {env} and {other}",
            discriminator=f"{env}+{other}",
        )


class Sealed(NamedTuple):
    """Deployment settings with every text as output may show it (`seal`): what a shard
    of a scan saves and `drift merge` compares, to the findings the settings would make."""

    tree: Any


def sealed(settings: Any, fingerprint: Fingerprinter) -> Sealed:
    """The settings sealed (as they are, when a shard sealed them already)."""
    return settings if isinstance(settings, Sealed) else Sealed(_seal(settings, [], fingerprint))


def _seal(value: Any, parts: list[Any], fingerprint: Fingerprinter) -> Any:
    """Texts where settings carry secrets become their mask and fingerprint prefix; other
    texts are scrubbed, with a fingerprint prefix where scrubbing changed them, so that two
    texts are equal sealed exactly when they were equal."""
    if isinstance(value, dict):
        return {k: _seal(v, [*parts, k], fingerprint) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_seal(v, [*parts, i], fingerprint) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value
    if _SECRET_CARRIERS.search(_path(parts)):
        return masked(fingerprint(value))
    text = scrub(value)
    return text if text == value else f"{text} ({fingerprint(value)[:SHORT_FINGERPRINT]})"


def _path(parts: list[Any]) -> str:
    """`['containerDefinitions', 'web', 'memory']` -> `containerDefinitions[web].memory`."""
    out = ""
    previous = None
    for part in parts:
        if isinstance(part, int) or previous in _NAMED:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
        previous = part
    return out


#: Setting paths whose text is a place a secret goes (probe headers, exec commands, arguments,
#: environment-like lists): shown only as a mask and fingerprint prefix.
_SECRET_CARRIERS = re.compile(r"(?i)header|command|args|exec|env|secret|token|password|value")


def _shown(value: Any) -> str:
    """A sealed setting's value: numbers and flags as they are, text as sealed (scrubbed,
    masked whole where settings carry secrets), structures only by size."""
    if value is None or type(value).__name__ == "NotPresent":
        return "(not set)"
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, dict | list):
        return f"({len(value)} {'entries' if isinstance(value, dict) else 'items'})"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _newer_image(env: str, left: Any, other: str, right: Any) -> str | None:
    """Which environment runs the newer tag of the same image (numbers compared as numbers)."""
    if not (isinstance(left, str) and isinstance(right, str)):
        return None
    repository, _, tag = left.rpartition(":")
    other_repository, _, other_tag = right.rpartition(":")
    if repository != other_repository or not tag or not other_tag:
        return None
    ours = [int(n) for n in _VERSION.findall(tag)]
    theirs = [int(n) for n in _VERSION.findall(other_tag)]
    if not ours or not theirs or ours == theirs:
        return None
    return env if ours > theirs else other


RULE = SettingsDrift
