"""``difflib.get_close_matches`` over a fixed vocabulary, with the words that cannot
match skipped by their letters first.

``get_close_matches`` keeps a word when three ratios, each at most the one before,
reach the cutoff: one from the two lengths, one from the letters the words share (as
multisets), and the real one. Its second test walks every word letter by letter, which
is most of the time a typo fix takes. Here each vocabulary word's set of letters is a
bit mask, computed once: the letters two words share, counted with the repeats one of
them has, bound the second ratio from above, so a word below the cutoff on that bound
fails the test anyway and is skipped. The words left go to ``get_close_matches``
itself, so the answer is the same, word for word and in the same order.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CloseWords:
    """The words of ``vocabulary`` close to a given word, as ``get_close_matches`` finds
    them in it."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words = list(vocabulary)
        self._bits = {ch: 1 << i for i, ch in enumerate(sorted({c for w in words for c in w}))}
        #: (word, its length, its letters as a mask, its letters beyond the first of each)
        self._words = [(w, len(w), self._mask(w), len(w) - len(set(w))) for w in words]

    def _mask(self, word: str) -> int:
        mask = 0
        for ch in word:
            mask |= self._bits.get(ch, 0)
        return mask

    def matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches(word, vocabulary, n, cutoff)``."""
        size, mask = len(word), self._mask(word)
        kept = []
        for candidate, length, letters, repeats in self._words:
            total = size + length
            # The ratios as difflib computes them (2.0 * matches / total), on bounds of
            # the matches: the shorter length, and the shared letters with repeats.
            if total and (
                2.0 * min(size, length) / total < cutoff
                or 2.0 * ((mask & letters).bit_count() + repeats) / total < cutoff
            ):
                continue
            kept.append(candidate)
        return difflib.get_close_matches(word, kept, n=n, cutoff=cutoff)
