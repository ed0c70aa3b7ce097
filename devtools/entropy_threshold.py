"""Measure where a random-looking token ends and an ordinary value begins.

Scores drift's high-entropy test against generated secrets (the shapes real tools produce:
hex, URL-safe and standard base64, alphanumeric passwords, AWS-style secret keys, Django-style
keys) and against tests/fixtures/entropy/non_secrets.txt (values real .env files hold). Prints
recall per secret family and the false positives, for the thresholds in use and for a range
of alternatives, as the Markdown table kept in docs/entropy-threshold.md.

    .venv/bin/python devtools/entropy_threshold.py
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable
from pathlib import Path

from drift.secrets import values

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "entropy"
SAMPLES = 2000
#: Fixed, so the figures in docs/entropy-threshold.md reproduce exactly.
SEED = 20261129


def corpus(name: str) -> list[str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def secret_families(rng: random.Random) -> dict[str, Callable[[], str]]:
    def token(alphabet: str, length: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(length))

    def raw(size: int) -> bytes:
        return bytes(rng.getrandbits(8) for _ in range(size))

    alnum = string.ascii_letters + string.digits
    return {
        "hex, 32 chars (token_hex(16))": lambda: raw(16).hex(),
        "hex, 64 chars (openssl rand -hex 32)": lambda: raw(32).hex(),
        "url-safe base64, 32 bytes": lambda: base64.urlsafe_b64encode(raw(32)).decode().rstrip("="),
        "base64, 48 bytes (openssl rand -base64 48)": lambda: base64.b64encode(raw(48)).decode(),
        "alphanumeric, 24 chars": lambda: token(alnum, 24),
        "alphanumeric, 32 chars": lambda: token(alnum, 32),
        "AWS-style secret key, 40 chars": lambda: token(alnum + "+/", 40),
        "lower-case alphanumeric, 32 chars": lambda: token(string.ascii_lowercase + string.digits, 32),
        "Django-style key, 50 chars with punctuation": lambda: token(alnum + "!@#$%^&*(-_=+)", 50),
    }


def classify_with(entropy: float, mixed: float) -> Callable[[str], bool]:
    def decide(value: str) -> bool:
        saved = values.ENTROPY_BITS, values.MIXED_CASE_ENTROPY_BITS
        values.ENTROPY_BITS, values.MIXED_CASE_ENTROPY_BITS = entropy, mixed
        try:
            return values.is_high_entropy_token(value)
        finally:
            values.ENTROPY_BITS, values.MIXED_CASE_ENTROPY_BITS = saved

    return decide


def measure(decide: Callable[[str], bool]) -> tuple[dict[str, float], list[str], list[str]]:
    rng = random.Random(SEED)
    recall = {}
    for family, make in secret_families(rng).items():
        recall[family] = sum(decide(make()) for _ in range(SAMPLES)) / SAMPLES
    false_positives = [v for v in corpus("non_secrets.txt") if decide(v)]
    ambiguous = [v for v in corpus("ambiguous.txt") if decide(v)]
    return recall, false_positives, ambiguous


def main() -> None:
    current = (values.ENTROPY_BITS, values.MIXED_CASE_ENTROPY_BITS)
    candidates = [current, (3.5, 3.0), (4.0, 3.5), (4.25, 3.75), (4.5, 4.0)]
    non_secrets = len(corpus("non_secrets.txt"))
    for entropy, mixed in candidates:
        recall, false_positives, ambiguous = measure(classify_with(entropy, mixed))
        marker = " (in use)" if (entropy, mixed) == current else ""
        print(f"\n### entropy >= {entropy} bits, or mixed case and >= {mixed}{marker}\n")
        print("| secret family | recall |\n| --- | ---: |")
        for family, rate in recall.items():
            print(f"| {family} | {rate:.1%} |")
        print(f"\nfalse positives: {len(false_positives)} of {non_secrets} non-secret values {false_positives}")
        print(f"ambiguous values flagged: {len(ambiguous)} of {len(corpus('ambiguous.txt'))}")


if __name__ == "__main__":
    main()
