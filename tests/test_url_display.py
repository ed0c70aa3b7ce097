"""URLs shown part by part (issue #19): every part that may carry a secret is masked, under
any key name, in every output. The classes below are the ones real projects put in URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift.schema import KeySpec
from drift.schema.showable import shown, shown_whole
from drift.secrets import MASK, redact_url, redact_urls

# Each case: (url, what must never be shown, what must still be shown).
CASES = [
    (
        "https://hooks.slack.com/services/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",
        "Qm9ZpX2kLw8RtY4vNs6Jh3Cd",
        "hooks.slack.com/services/",
    ),
    (
        "https://hooks.slack.com/services/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",
        "B4E5F6G7H",
        "https://",
    ),
    (
        "https://discord.com/api/webhooks/112233445566778899/aB3-xY_9zQ7wV1uT5sR2pO8nM4lK6jH0gF",
        "aB3-xY_9zQ7wV1uT5sR2pO8nM4lK6jH0gF",
        "discord.com/api/webhooks/",
    ),
    (
        "https://contoso.webhook.office.com/webhookb2/9f8e7d6c-1111-2222-3333-444455556666@aaaa-bbbb/IncomingWebhook/0123abcd4567ef89/5d6c7b8a-9999",
        "0123abcd4567ef89",
        "contoso.webhook.office.com/webhookb2/",
    ),
    (
        "https://api.telegram.org/bot123456789:AAHf7rT9xQz2LmN8pKvW3sJd6Yb1Cu4Ek0o/sendMessage",
        "AAHf7rT9xQz2LmN8pKvW3sJd6Yb1Cu4Ek0o",
        "api.telegram.org/",
    ),
    (
        "https://chat.internal/hooks/xk93mf84nd72/abcdefghijklmnop",
        "xk93mf84nd72",
        "chat.internal/hooks/",
    ),
    (
        "https://tK7wQ9zL2xV5nB8m@cache.internal:6380/0",
        "tK7wQ9zL2xV5nB8m",
        "cache.internal:6380/0",
    ),
    (
        "redis://plainuser@cache.internal:6380/0",
        "plainuser",
        "cache.internal:6380/0",
    ),
    (
        "postgresql://app:Pr0d-Pa55@db.internal:5432/app?sslmode=require&sslpassword=kP9vQ2",
        "kP9vQ2",
        "sslmode=require",
    ),
    (
        "postgresql://app:Pr0d-Pa55@db.internal:5432/app?sslmode=require&sslpassword=kP9vQ2",
        "Pr0d-Pa55",
        "db.internal:5432/app",
    ),
    (
        "https://bucket.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4&X-Amz-Signature=4f3a9b2c1d0e",
        "4f3a9b2c1d0e",
        "report.csv",
    ),
    (
        "https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sig=Zm9vYmFyYmF6cXV4%3D",
        "Zm9vYmFyYmF6cXV4",
        "acct.blob.core.windows.net/c/f",
    ),
    (
        "https://github.com/org/repo?ref=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "github.com/org/repo",
    ),
    (
        "https://api.example.net/v1/ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789/x",
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "api.example.net/v1/",
    ),
    (
        "https://app.internal/callback#access_token=zz9Yy8Xx7Ww6",
        "zz9Yy8Xx7Ww6",
        "app.internal/callback#",
    ),
    (
        "https://app.internal/?Zq8Wm3Kp7Vn2Lr5Tx9",
        "Zq8Wm3Kp7Vn2Lr5Tx9",
        "app.internal/",
    ),
    (
        "https://q7Zk2mP9xW4vR8tL3nB6yC1d.ngrok.internal/api",
        "q7Zk2mP9xW4vR8tL3nB6yC1d",
        ".ngrok.internal/api",
    ),
]


@pytest.mark.parametrize(("url", "secret", "kept"), CASES)
def test_each_part_that_may_carry_a_secret_is_masked(url: str, secret: str, kept: str) -> None:
    text = redact_url(url)
    assert secret not in text
    assert kept in text
    assert MASK in text


def test_harmless_parts_are_shown_whole() -> None:
    url = "postgresql://db.internal:5432/app?schema=public&sslmode=require&connect_timeout=10"
    assert redact_url(url) == url
    assert redact_url("https://app.example.com/api/v1/items") == "https://app.example.com/api/v1/items"
    assert redact_url("http://[::1]:8080/health") == "http://[::1]:8080/health"
    assert redact_url("https://unpkg.com/@scope/pkg") == "https://unpkg.com/@scope/pkg"


def test_a_password_holding_a_slash_after_digits_is_masked() -> None:
    text = redact_url("postgres://app:1234/ss@db.internal/app")
    assert "1234" not in text and "ss@" not in text


def test_an_unknown_query_parameter_is_masked_a_known_one_is_not() -> None:
    text = redact_url("https://svc.internal/x?region=eu-west-1&client=abc&timeout=5")
    assert "region=eu-west-1" in text and "timeout=5" in text and "client=abc" not in text


def test_urls_inside_text_are_redacted_each() -> None:
    text = redact_urls("cannot reach https://hooks.slack.com/services/T1/B2/Xy9Zw8Vu7Ts6 or redis://:pw@c:6379")
    assert "Xy9Zw8Vu7Ts6" not in text and ":pw@" not in text and text.startswith("cannot reach https://hooks")


def test_a_url_shown_under_a_declared_type_still_masks_its_parts() -> None:
    spec = KeySpec("ALERTS_ENDPOINT", type="url")
    value = "https://discord.com/api/webhooks/1234567890/aB3xY9zQ7wV1uT5sR2pO8nM4lK6jH0gF"
    text = shown(spec, value)
    assert text is not None and "aB3xY9zQ7wV1uT5sR2pO8nM4lK6jH0gF" not in text
    assert not shown_whole(spec, value)
    assert shown_whole(spec, "https://app.internal/health")


def test_a_declared_secret_url_is_not_shown_at_all() -> None:
    assert shown(KeySpec("X", type="url", secret=True), "https://app.internal/") is None


_PART = st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=30)


@given(user=_PART.filter(lambda s: len(s) >= 3 and not set(s) & set("@?#")), host=_PART, path=_PART)
def test_user_info_never_survives(user: str, host: str, path: str) -> None:
    """A user info holding anything, `/` included, is masked whole."""
    url = f"https://{user}@{host.replace('@', '')}/{path.replace('@', '')}"
    text = redact_url(url)
    assert text.startswith(f"https://{MASK}@") or ("/" in user and redact_url(url).find(user) < 0)


@given(value=_PART)
def test_redaction_never_raises_and_is_idempotent(value: str) -> None:
    once = redact_urls(f"x://{value}")
    assert redact_urls(once) == once
