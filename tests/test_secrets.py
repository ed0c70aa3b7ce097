"""What counts as a secret, a placeholder or a committed credential (DESIGN.md Semantics)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drift.errors import ConfigError
from drift.schema import types
from drift.secrets import (
    MASK,
    Fingerprinter,
    has_credential_format,
    has_reserved_host,
    is_placeholder,
    is_secret_name,
    looks_like_real_credential,
    name_verdict,
    names,
    redact_urls,
)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("SESSION_SECRET", True),
        ("GITHUB_TOKEN", True),
        ("SMTP_PASS", True),
        ("DB_PASSWORD", True),
        ("STRIPE_API_KEY", True),
        ("AWS_ACCESS_KEY", True),
        ("JWT_SIGNING_KEY", True),
        ("SENTRY_DSN", True),
        ("PASSWORD_SALT", True),
        ("GOOGLE_CREDENTIALS", True),
        ("APP_COOKIE_SECRET", True),
        ("KEY", True),
        ("api_key", True),
        ("MY_APIKEY", True),
        ("RSA_PRIVATE_KEY", True),
        ("APPROVAL_TOKEN_TTL_HOURS", False),
        ("NEXTAUTH_URL", False),
        ("TOKEN_URL", False),
        ("STRIPE_PUBLISHABLE_KEY", False),
        ("SUPABASE_ANON_KEY", False),
        ("RSA_PUBLIC_KEY", False),
        ("RECAPTCHA_SITE_KEY", False),
        ("NEXT_PUBLIC_SENTRY_DSN", False),
        ("PWD", False),
        ("OLDPWD", False),
        ("KEYBOARD_LAYOUT", False),
        ("PASSTHROUGH", False),
        # a secret word in any segment (Rails / Phoenix, OTP, salts)
        ("SECRET_KEY_BASE", True),
        ("OTP_SECRET", True),
        ("SECRET_TOKEN_SALT", True),
        ("PASSWORD_RESET_URL", True),
        # near misses of secret words
        ("NEXTAUTH_SECERT", True),
        ("SMTP_PASWORD", True),
        ("TESTS_PASSED", False),
        # dots and dashes separate words like underscores
        ("db.password", True),
        ("api-key", True),
        ("spring.datasource.password", True),
        ("server.port", False),
        # under a browser prefix only a strong word makes a secret by name
        ("NEXT_PUBLIC_ZENDESK_KEY", False),
        ("NEXT_PUBLIC_HELPSCOUT_KEY", False),
        ("NEXT_PUBLIC_STRIPE_SECRET", True),
        ("VITE_API_PASSWORD", True),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    ("name", "verdict"),
    [
        ("SECRET_KEY_BASE", "strong"),
        ("RSA_PRIVATE_KEY", "strong"),
        ("STRIPE_API_KEY", "weak"),
        ("SENTRY_DSN", "weak"),
        ("NEXTAUTH_SECERT", "near"),
        ("NEXT_PUBLIC_ZENDESK_KEY", "weak"),
        ("NEXT_PUBLIC_GA_ID", "weak"),
        ("STRIPE_PUBLISHABLE_KEY", ""),
        ("APP_URL", ""),
    ],
)
def test_name_verdicts_are_graded(name: str, verdict: str) -> None:
    assert name_verdict(name) == verdict


def _verdict_by_lookup(name: str) -> str:
    """`name_verdict` as it was: every pair built, and every word of five letters or more
    looked up among the strong words' near misses."""
    upper = name.upper()
    if upper in names._PROCESS_NAMES:
        return ""
    words = names.segments(name)
    if not words:
        return ""
    pairs = {f"{a}_{b}" for a, b in itertools.pairwise(words)}
    if names._STRONG_WORDS.intersection(words) or names._STRONG_PAIRS.intersection(pairs):
        return names.STRONG
    last_two = "_".join(words[-2:]) if len(words) >= 2 else ""
    if names.is_public_by_design(name):
        return ""
    if words[-1] in names._SUFFIXES or last_two in names._SUFFIXES:
        return names.WEAK
    if names.is_browser_exposed(upper) and words[-1] in names._PUBLIC_PREFIX_WEAK:
        return names.WEAK
    near = (w for w in words if len(w) >= 5 and w not in names._NOT_NEAR)
    return names.NEAR if any(names._NEAR_STRONG.closest(w) is not None for w in near) else ""


_LETTERS = "SECRTPAWODsecrtpawod0159XYZẞſﬆ"


@st.composite
def _edited(draw: st.DrawFn) -> str:
    """A strong word with one or two edits: a substitution, insertion, deletion or swap."""
    word = draw(st.sampled_from(["SECRET", "PASSWORD", "PASSWD"]))
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(word) - 2))
        char = draw(st.sampled_from(_LETTERS))
        word = draw(
            st.sampled_from(
                [
                    word[:at] + char + word[at + 1 :],
                    word[:at] + char + word[at:],
                    word[:at] + word[at + 1 :],
                    word[:at] + word[at + 1] + word[at] + word[at + 2 :],
                ]
            )
        )
    return word


#: Strong words and a few others, near misses of the strong words, and words made of their
#: letters, digits and characters whose case folding changes them (`ẞ` folds to `ss`).
_NAME_WORDS = (
    st.sampled_from(["SECRET", "PASSWORD", "PASSWD", "PRIVATE", "KEY", "AUTH", "TOKEN", "CLIENT", "DSN", "AUTH_TOKEN"])
    | _edited()
    | st.text(_LETTERS, min_size=1, max_size=10)
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_NAME_WORDS, min_size=1, max_size=4), st.sampled_from(["_", ".", "-", "__"]), st.booleans())
def test_name_verdicts_skip_only_lookups_that_cannot_match(words: list[str], separator: str, public: bool) -> None:
    """Pairs looked for only when a pair's first word is there, and near misses looked up only
    for words with at most one character no strong word holds: the verdicts of every
    lookup (hypothesis)."""
    name = ("NEXT_PUBLIC_" if public else "") + separator.join(words)
    assert name_verdict(name) == _verdict_by_lookup(name)


@pytest.mark.parametrize(
    ("value", "credential"),
    [
        ("AKIAIOSFODNN7EXAMPLE", True),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", True),
        ("ghp_" + "a" * 36, True),
        ("xoxb-123456789012-abcdefghij", True),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", True),
        ("-----BEGIN PRIVATE KEY-----", True),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", True),
        ("sk_test_abc", False),
        ("hello world", False),
        ("AKIA-not-a-key", False),
    ],
)
def test_credential_formats(value: str, credential: bool) -> None:
    assert has_credential_format(value) is credential


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("change-me", True),
        ("Change_Me", True),
        ("TODO", True),
        ("xxxx", True),
        ("<secret>", True),
        ("your_api_key_here", True),
        ("smtp://u:changeme@host:25", True),
        ("replace-me", True),
        ("https://your-domain.example.com", True),
        ("sk_test_xxxxxxxxxxxx", True),
        ("fake_token_123", True),
        ("dummy", True),
        ("replace-with-32-byte-secret", True),
        ("", False),
        ("xx", False),
        ("<a><b>", False),
        ("todo-list-service", False),
        ("yours", False),
        ("postgres://u:realpw@h/d", False),
    ],
)
def test_placeholders(value: str, placeholder: bool) -> None:
    assert is_placeholder(value) is placeholder


@pytest.mark.parametrize(
    ("value", "real"),
    [
        ("AKIAIOSFODNN7EXAMPLE", True),
        ("9f2c7e1a4b8d3f6e0a5c9b2d7e4f1a8c", True),
        ("Zx8Qp2Lm9Vt4Rw7Ks1Nb6Hd3Fg5Jc0Ya", True),
        ("postgres://u:Zx8Qp2Lm9Vt4@db.internal/x", False),
        ("postgresql://pacetracer:change-me@127.0.0.1:5432/pacetracer?schema=public", False),
        ("<at-least-32-bytes-of-randomness>", False),
        ("http://10.211.55.13:3001,http://localhost:3001", False),
        ("my-race-engineer", False),
    ],
)
def test_real_looking_credentials(value: str, real: bool) -> None:
    assert looks_like_real_credential(value) is real


def test_url_passwords_are_masked_wherever_they_appear() -> None:
    shown = redact_urls("primary=postgres://u:hunter2@a/x replica=redis://:pw9@b:6379")
    assert "hunter2" not in shown and "pw9" not in shown
    assert shown.startswith("primary=postgres://••••••@a/x")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://app:pa/ss@word@db.internal:5432/app",
        "redis://:s3cr3t/with@two@cache:6379/0",
        "amqp://user:p@ss:w/rd@mq/vhost",
        "smtp://mailer:pa,ss@smtp.host:587",
    ],
)
def test_a_url_password_holding_slashes_or_at_signs_is_masked_whole(url: str) -> None:
    password = url.split("://", 1)[1].split(":", 1)[1].rsplit("@", 1)[0]
    shown = redact_urls(url)
    for piece in password.replace("/", "@").replace(",", "@").split("@"):
        if len(piece) > 2:
            assert piece not in shown
    assert MASK in shown


def test_secret_query_parameters_are_masked() -> None:
    shown = redact_urls("https://api.host/v1?region=eu&api_key=K3yV4lue&token=T0kenV4l&sig=S1gn")
    assert "K3yV4lue" not in shown and "T0kenV4l" not in shown and "S1gn" not in shown
    assert "region=eu" in shown


@pytest.mark.parametrize(
    ("value", "reserved"),
    [
        ("example.com", True),
        ("your-domain.example.com", True),
        ("https://app.example.org/path", True),
        ("no-reply@example.com", True),
        ("https://myapp.test", True),
        ("api.invalid", True),
        ("https://shop.example", True),
        ("myexample.com", False),
        ("https://examples.dev", False),
        ("contest.io", False),
    ],
)
def test_reserved_documentation_hosts(value: str, reserved: bool) -> None:
    assert has_reserved_host(value) is reserved


def test_an_empty_key_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRIFT_FINGERPRINT_KEY")
    key_file = tmp_path / "fingerprint.key"
    key_file.write_bytes(b"")
    with pytest.raises(ConfigError, match="empty or shorter"):
        Fingerprinter.for_project(key_file)


@pytest.mark.parametrize(
    ("type_name", "good", "bad"),
    [
        ("int", ["0", "-12", "+7"], ["1_000", "1 000", "1.0", "", "٣"]),
        ("float", ["1.5", "-2", "1e3", ".5"], ["nan", "inf", "1_0", "abc"]),
        ("bool", ["1", "TRUE", "yes", "Off"], ["2", "enabled"]),
        ("port", ["1", "65535"], ["0", "65536", "http"]),
        ("url", ["https://a.b/c", "postgres://u:p@h:5/d"], ["a.b", "http://", "http://h:99999"]),
        ("email", ["a@b.co"], ["a@b", "ab.co"]),
        ("json", ['{"a": 1}', "[]"], ["{a}"]),
        ("duration", ["30s", "1h30m", "90d", "250ms"], ["30", "1x", "h"]),
    ],
)
def test_types(type_name: str, good: list[str], bad: list[str]) -> None:
    for value in good:
        types.parse(type_name, value)
    for value in bad:
        with pytest.raises(types.InvalidValue):
            types.parse(type_name, value)


def test_fingerprints_are_keyed() -> None:
    assert Fingerprinter(b"a")("v") == Fingerprinter(b"a")("v")
    assert Fingerprinter(b"a")("v") != Fingerprinter(b"b")("v")


@settings(max_examples=300, deadline=None)
@given(
    key=st.one_of(st.binary(max_size=200), st.sampled_from([b"", b"k" * 63, b"k" * 64, b"k" * 65, b"\x36" * 64])),
    values=st.lists(st.text(alphabet=st.characters(codec=None), max_size=80), min_size=1, max_size=4),
)
def test_fingerprints_are_hmac_sha256(key: bytes, values: list[str]) -> None:
    """The pads worked out once give exactly `hmac`'s HMAC-SHA256: keys shorter, as long as
    and longer than the block (hashed first), values with lone surrogates; saved histories
    and shards compare fingerprints across drift versions."""
    fingerprint = Fingerprinter(key)
    for value in values:
        expected = hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
        assert fingerprint(value) == expected


def test_key_file_is_created_with_mode_0600_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRIFT_FINGERPRINT_KEY")
    key_file = tmp_path / ".drift" / "fingerprint.key"
    first = Fingerprinter.for_project(key_file)("value")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Fingerprinter.for_project(key_file)("value") == first


def test_a_read_only_project_still_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift import api

    monkeypatch.delenv("DRIFT_FINGERPRINT_KEY")
    (tmp_path / ".env.example").write_text("A=1\n")
    (tmp_path / "p.env").write_text("A=1\n")
    (tmp_path / "drift.toml").write_text('[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    (tmp_path / ".drift").write_text("a file where the state folder would go")
    project = api.load_project(None, tmp_path)
    assert api.scan(project).exit_code == 0
    with pytest.raises(ConfigError, match="the fingerprint key"):
        api.fingerprinter_for(project, persistent=True)
