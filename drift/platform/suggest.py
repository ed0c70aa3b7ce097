""" "Did you mean ...?" for names: config fields, environments, rules and keys.

Key suggestions must stay cheap with thousands of keys, so they use a symmetric-deletion
index (one deleted character on each side covers one substitution, insertion, deletion or
swap of neighbours) built once, instead of comparing every pair of names.
"""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    import difflib  # loads with the first suggestion (start-up time)

    options = list(choices)
    folded = name.casefold()
    close = [c for c in options if c.casefold() == folded]
    close = close or [c for c in options if folded and c.casefold().startswith(folded)]
    close = close or difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class NearMisses:
    """Finds a declared key one edit away from an undeclared one, ignoring case.

    The index is built a name length at a time, for the lengths a question can reach (one
    edit changes a length by at most one): a scan asks about its few undeclared keys, and
    indexing all 5,000 declared names of a large schema (70,000 variants) cost more than
    the rest of the rule. Where names share a variant, the first declared keeps it, as if
    every name were indexed in order."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_length: dict[int, list[tuple[int, str, str]]] = {}
        for position, name in enumerate(names):
            folded = name.casefold()
            self._by_length.setdefault(len(folded), []).append((position, name, folded))
        self._index: dict[str, tuple[int, str]] = {}

    def closest(self, name: str) -> str | None:
        """A declared name at most one edit away (ignoring case), or None. The index finds
        candidates cheaply; each is confirmed, since deleting one character on both sides
        also pairs names two edits apart (SECURE / SECRET)."""
        folded = name.casefold()
        for length in (len(folded) - 1, len(folded), len(folded) + 1):
            self._index_length(length)
        for variant in _deletions(folded):
            found = self._index.get(variant)
            if found is not None and found[1] != name and within_one_edit(folded, found[1].casefold()):
                return found[1]
        return None

    def _index_length(self, length: int) -> None:
        """Index the variants of the names of one length (once), first declared first."""
        index = self._index
        for position, name, folded in self._by_length.pop(length, ()):
            for variant in _deletions(folded):
                known = index.get(variant)
                if known is None or known[0] > position:
                    index[variant] = (position, name)


def _deletions(word: str) -> list[str]:
    """The word and each way of deleting one of its characters."""
    return [word, *[word[:index] + word[index + 1 :] for index in range(len(word))]]


def within_one_edit(left: str, right: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours turns one into the other."""
    if left == right:
        return True
    if abs(len(left) - len(right)) > 1:
        return False
    if len(left) == len(right):
        differ = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        first, second = [*differ, 0, 0][:2]
        return (
            len(differ) == 2 and second == first + 1 and left[first] == right[second] and left[second] == right[first]
        )
    shorter, longer = sorted((left, right), key=len)
    index = next((i for i, (a, b) in enumerate(zip(shorter, longer, strict=False)) if a != b), len(shorter))
    return shorter[index:] == longer[index + 1 :]
