"""The one scrubber for text drift did not write (stderr, remote and database errors, copied
comments): every way such text carries a secret, masked; the rest kept readable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift.secrets import MASK
from drift.secrets.scrub import scrub

CANARY = "Qz7CANARYv9"

LINES = [
    f"error: DB_PASSWORD={CANARY} rejected",
    f"export API_TOKEN={CANARY}",
    f"client_secret: {CANARY}",
    f'{{"refresh_token": "{CANARY}"}}',
    f"curl --password {CANARY} https://x.internal",
    f"mysql --password={CANARY}",
    f"Authorization: Bearer {CANARY}",
    f"authorization: Basic {CANARY}",
    f"Cookie: session={CANARY}; theme=dark",
    f"fatal: could not read from https://user:{CANARY}@git.internal/repo.git",
    f"posting to https://hooks.slack.com/services/T1/B2/{CANARY} failed",
    "token ghp_CANARYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa rejected",
    "key Zx8Qp2Lm9Vt4Rw7Ks1Nb6Hd3FgCANARY refused",
]


@pytest.mark.parametrize("line", LINES)
def test_every_carrier_of_a_secret_is_masked(line: str) -> None:
    text = scrub(line)
    assert "CANARY" not in text
    assert MASK in text


def test_plain_words_are_kept() -> None:
    line = "error: connection refused (host db.internal port 5432) after 3 attempts; PORT=5432"
    assert scrub(line) == line


@given(st.text(max_size=200))
def test_the_scrubber_never_raises_and_is_stable(text: str) -> None:
    once = scrub(text)
    assert scrub(once) == once
