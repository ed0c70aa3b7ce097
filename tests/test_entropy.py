"""The high-entropy threshold keeps the recall and false-positive rate measured in
docs/entropy-threshold.md (devtools/entropy_threshold.py), so a change to it is a decision."""

from __future__ import annotations

from devtools.entropy_threshold import corpus, measure
from drift.secrets import is_high_entropy_token


def test_generated_secrets_are_recognised_and_ordinary_values_are_not() -> None:
    recall, false_positives, _ = measure(is_high_entropy_token)
    assert false_positives == []
    assert all(rate >= 0.95 for rate in recall.values()), recall


def test_the_corpus_is_the_one_measured() -> None:
    assert len(corpus("non_secrets.txt")) == 118
