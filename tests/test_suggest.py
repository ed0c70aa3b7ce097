"""Near-miss names (`platform.suggest.NearMisses`): indexed a name length at a time, it must
answer every question as one index of every name, first declared first, answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drift.platform.suggest import NearMisses, _deletions, within_one_edit


def _whole_index(names: list[str], name: str) -> str | None:
    """The answer of an index of every name's variants, built before any question."""
    index: dict[str, str] = {}
    for declared in names:
        for variant in _deletions(declared.casefold()):
            index.setdefault(variant, declared)
    folded = name.casefold()
    for variant in _deletions(folded):
        match = index.get(variant)
        if match is not None and match != name and within_one_edit(folded, match.casefold()):
            return match
    return None


#: Short names over few letters (so that near misses are common), with case and a letter
#: whose case folding is longer than itself.
_NAME = st.text(alphabet="abAB_ßs", min_size=0, max_size=5)


@settings(max_examples=500, deadline=None)
@given(st.lists(_NAME, max_size=12), st.lists(_NAME, min_size=1, max_size=6))
def test_near_misses_answer_as_one_index_of_every_name(names: list[str], questions: list[str]) -> None:
    near = NearMisses(names)
    for question in questions:  # one object, several questions: its index grows as asked
        assert near.closest(question) == _whole_index(names, question), question


def test_a_near_miss_is_found_across_lengths() -> None:
    near = NearMisses(["DATABASE_URL", "NEXTAUTH_SECRET", "API_KEY"])
    assert near.closest("NEXTAUTH_SECERT") == "NEXTAUTH_SECRET"  # a swap, same length
    assert near.closest("DATABASE_UR") == "DATABASE_URL"  # one shorter
    assert near.closest("API_KEYS") == "API_KEY"  # one longer
    assert near.closest("API_KEY") is None  # the name itself is no near miss
    assert near.closest("SOMETHING_ELSE") is None
