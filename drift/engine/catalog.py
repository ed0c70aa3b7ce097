"""Every rule drift knows: slug, default severity, explanation and fix hint.

One registry, failing loudly on a duplicate slug, so `drift explain`, the reports and SARIF's
rule list can never disagree with what the engine raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from drift.model import Finding, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a rule is for; the engine raises findings under `slug`."""

    slug: str
    severity: Severity
    title: str
    explanation: str
    fix: str

    def finding(
        self,
        env: str | None,
        key: str | None,
        message: str,
        *,
        severity: Severity | None = None,
        expected: str | None = None,
        actual: str | None = None,
        location: str | None = None,
        discriminator: str = "",
        basis: str = "declared",
    ) -> Finding:
        """A finding of this rule (at its default severity unless the rule's configuration
        sets one, as `[[assert]]` does): the one way rules build findings."""
        return Finding(
            self.slug,
            severity if severity is not None else self.severity,
            env,
            key,
            message,
            expected=expected,
            actual=actual,
            location=location,
            discriminator=discriminator,
            basis=basis,
        )


RULES: dict[str, RuleInfo] = {}


def register(slug: str, severity: Severity, title: str, explanation: str, fix: str) -> RuleInfo:
    """Add a rule; a second rule with the same slug is a programming error."""
    if slug in RULES:
        raise RuntimeError(f"rule {slug!r} is registered twice")
    info = RuleInfo(slug, severity, title, " ".join(explanation.split()), " ".join(fix.split()))
    RULES[slug] = info
    return info


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

MISSING = register(
    "missing",
    E,
    "Required key is missing",
    """A key the schema requires is not set in this environment. A key with a non-empty value
    in .env.example is required everywhere; one with an empty example value is optional unless
    it is a secret or marked @required / required = true / nonempty; `required_if` makes a key
    required when its condition holds. The application will start without it, or fail at the
    first request that needs it.""",
    "Set the key in this environment's source, or mark it @optional (required = false) in the "
    "schema if the application really does without it.",
)
EMPTY = register(
    "empty",
    E,
    "Key must not be empty",
    """The key is present but its value is empty, and the schema says it must have a value
    (`nonempty`, or a `required_if` condition that holds). Most applications treat an empty
    value like a missing one.""",
    "Give the key a value in this environment, or drop `nonempty` from the schema.",
)
UNDECLARED = register(
    "undeclared",
    W,
    "Key is not in the schema",
    """The environment sets a key that .env.example (and drift.toml) do not declare: a typo of
    a declared key, a leftover of a removed feature, or a new setting nobody documented. drift
    suggests the declared key it most resembles.""",
    "Rename it to the declared key, remove it, or declare it in .env.example with a comment.",
)
INVALID = register(
    "invalid",
    E,
    "Value does not match the schema",
    """The value does not have the key's type (int, bool, url, ...), is not one of its allowed
    values, does not match its pattern, is out of its range or length, or differs from the
    value this environment must have (`equals`). Empty values are not checked against types
    and constraints, only against `equals`.""",
    "Correct the value in this environment's source; the finding's `expected` says what fits.",
)
DEPRECATED = register(
    "deprecated",
    W,
    "Deprecated key is still set",
    """The schema marks this key deprecated, usually because a newer key replaced it. Leaving
    it set hides which of the two the application really reads.""",
    "Move the value to the replacement the message names, then remove the deprecated key.",
)
PLACEHOLDER = register(
    "placeholder",
    E,
    "Placeholder value in a deployed environment",
    """A deployed environment holds a value that was never meant to be used: change-me, TODO,
    xxx, <...>, your-...-here, a URL whose password is such a word, or a secret still equal
    to its .env.example value.""",
    "Replace it with the real value (for a secret, generate a new one; never reuse the example).",
)
SECRET_PUBLIC = register(
    "secret-public",
    E,
    "Secret under a browser-exposed prefix",
    """Bundlers inline every variable under NEXT_PUBLIC_, VITE_, REACT_APP_, EXPO_PUBLIC_,
    PUBLIC_, NUXT_PUBLIC_ or GATSBY_ into the JavaScript sent to browsers, so a secret there is
    published to every visitor.""",
    "Rename the key without the public prefix and read it on the server only; rotate the "
    "secret if it was ever deployed.",
)
SECRET_IN_EXAMPLE = register(
    "secret-in-example",
    E,
    "Real-looking credential in .env.example",
    """.env.example is committed and shared; a value there in a known credential format (AWS
    key id, Stripe live key, GitHub token, private key, JWT) or a long high-entropy token is
    probably a real secret that was copied in.""",
    "Replace the value with a placeholder such as <your-key-here> and rotate the credential.",
)
PARITY = register(
    "parity",
    E,
    "Environments disagree on a parity key",
    """The schema says this key must be the same in every environment (`parity = "same"`,
    @same) and it is not, or that no two environments may share a value (`parity =
    "differ"`, @differ) and some do. Only the selected environments are compared.""",
    "Make the values agree (or differ), or relax the key's parity in the schema.",
)
SECRET_REUSE = register(
    "secret-reuse",
    E,
    "Secret shared between environments",
    """A deployed environment uses the same secret value as another environment, so a leak of
    the weaker environment (staging, a laptop) opens the stronger one. Compared by keyed
    fingerprint; the value is never read out.""",
    "Generate a distinct secret for each deployed environment.",
)
MALFORMED = register(
    "malformed",
    E,
    "Line cannot be parsed",
    """A line of a dotenv file cannot be parsed, so a key on it may be lost; the environment
    is marked partial.""",
    "Fix the line: KEY=value, with quotes around values that contain spaces or #.",
)
DUPLICATE = register(
    "duplicate",
    W,
    "Key assigned twice",
    """The same key is assigned twice in one file; the last assignment wins, which is rarely
    what the person editing the first one expects.""",
    "Remove one of the assignments.",
)
SOURCE_UNAVAILABLE = register(
    "source-unavailable",
    E,
    "Source could not be read",
    """A configured source could not be read (missing file, permission denied, AWS error). The
    environment is partial or failed; no `missing` finding is raised for keys the source
    could have provided, and the exit code is 3 unless other drift makes it 1. It can never be
    suppressed or baselined.""",
    "Fix access to the source (path, permissions, credentials, region) and run again.",
)
SOURCE_CONFLICT = register(
    "source-conflict",
    W,
    "Sources disagree on a key",
    """Two sources of one environment set the same key to different values; the later source
    in the list wins, which may not be the one people edit.""",
    "Keep the key in one source only, or make the values agree.",
)
SECRET_PLAINTEXT = register(
    "secret-plaintext",
    E,
    "Secret stored in plaintext",
    """A secret is stored where the store offers an encrypted kind but it is not used: an SSM
    String instead of a SecureString, a container's ECS `environment` instead of `secrets`,
    or a Lambda environment variable. Anyone who can describe the resource can read it.""",
    "Move the value to a SecureString parameter or Secrets Manager and reference it "
    "(ECS `secrets` / valueFrom, or read it at runtime from Lambda).",
)
CROSS_ENV_REFERENCE = register(
    "cross-env-reference",
    E,
    "Reference into another environment's store",
    """A reference (an ECS `secrets` valueFrom) points into a parameter path or secret prefix
    that the configuration lists as a source of another environment, e.g. a production task
    definition reading /mre/staging/DATABASE_URL.""",
    "Point the reference at this environment's own path or prefix.",
)
DANGLING_REFERENCE = register(
    "dangling-reference",
    E,
    "Reference to something that does not exist",
    """A reference (an ECS `secrets` valueFrom) names an SSM parameter, a secret or a JSON key
    in a secret that does not exist: the task will fail to start.""",
    "Create the parameter or secret, or fix the reference.",
)
STALE = register(
    "stale",
    W,
    "Secret older than its maximum age",
    """The key's `max_age` (@max-age) says how long a value may go unchanged; the store says it
    was last changed or rotated longer ago than that.""",
    "Rotate the secret (and consider Secrets Manager rotation).",
)
CHANGED = register(
    "changed",
    I,
    "Value changed since the last scan",
    """A value (for a secret, its fingerprint) differs from the one the previous saved scan
    recorded. The finding says who changed it and when, where the store knows (SSM's
    LastModifiedUser, fetched only for parameters whose version changed).""",
    "Nothing to fix if the change was intended; otherwise restore the previous value.",
)
ADDED = register(
    "added",
    I,
    "Key added since the last scan",
    "The environment has a key the previous saved scan did not see there.",
    "Nothing to fix if intended; declare the key in the schema if it is new.",
)
REMOVED = register(
    "removed",
    I,
    "Key removed since the last scan",
    """A key the previous saved scan saw in this environment is gone. Not raised for keys a
    failed source could have provided.""",
    "Nothing to fix if intended; otherwise restore the key.",
)
SUPPRESSION_EXPIRED = register(
    "suppression-expired",
    W,
    "Suppression has expired",
    """An [[ignore]] entry (in drift.toml or the baseline) is past its `expires` date, so it no
    longer suppresses anything: the findings it silenced are reported again.""",
    "Fix the findings, or extend the entry's `expires` with a reason that still holds.",
)
SUPPRESSION_UNUSED = register(
    "suppression-unused",
    W,
    "Suppression matches nothing",
    """An [[ignore]] entry matches no finding of this scan: the drift it silenced is gone, or its
    rule, env or key pattern is wrong.""",
    "Remove the entry, or correct its patterns.",
)
UNUSED_GLOB = register(
    "unused-glob",
    W,
    "Schema glob matches no key",
    """A `[keys."PATTERN"]` table in drift.toml matches no declared key, so its fields apply to
    nothing: usually a typo in the pattern or a key that was renamed.""",
    "Fix the pattern or remove the table.",
)


DEFAULT_APPLIED = register(
    "default-applied",
    I,
    "Absent key: the application applies its default",
    """A key the schema gives a `default` (@default) is not set in this environment, so the
    application falls back to that default, as its own configuration check would warn. The
    value is named only when drift knows it is no secret.""",
    "Nothing to fix if the default is what this environment should run with; otherwise set the key.",
)
ASSERTION = register(
    "assertion",
    E,
    "A cross-key assertion does not hold",
    """An `[[assert]]` in drift.toml, a CEL expression over the environment's typed keys (such
    as `url_origin(APP_URL) in csv(ALLOWED_ORIGINS)`), is false in this environment, or could
    not be evaluated (a key it uses is absent: guard it with `has(KEY)` in `when`). The
    message is the assertion's own; the severity is the assertion's `severity`.""",
    "Make the keys agree as the assertion says, or correct the assertion in drift.toml.",
)
RULE_ERROR = register(
    "rule-error",
    E,
    "A check failed inside drift",
    """One of drift's checks raised an error it did not anticipate (a bug in drift or in a rule
    plugin). The rest of the scan went on; the findings that check would have made are
    missing, so the result is not a clean bill of health. The message names the check, never
    a value.""",
    "Report it with the check's name; run with --debug for the frames.",
)


def explain(slug: str) -> RuleInfo:
    """The rule for a slug; KeyError when there is none."""
    return RULES[slug]
