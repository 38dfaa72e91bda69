"""The typo finder over a fixed vocabulary answers as ``difflib.get_close_matches``."""

from __future__ import annotations

import difflib
import random

import pytest

from lgda_nb.planner._close import CloseWords

VOCABULARY = sorted(
    "revenue orders order customers customer brand brands category categories department "
    "country countries shipped delivered returned cancelled processing complete traffic "
    "source sources search organic facebook email display jeans sweaters accessories "
    "outerwear coats dresses intimates swim socks hosiery leggings shorts pants suits "
    "sleep lounge active underwear tops tees blazers jackets plus maternity skirts "
    "margin profit retail price cost inventory items sold signups sessions events "
    "browser chrome safari firefox distribution centers memphis chicago houston "
    "mobile savannah charleston york angeles port authority philadelphia".split()
)


def _typos(word: str, rnd: random.Random) -> list[str]:
    letters = "abcdeilnorstuy'1"
    found = []
    for i in range(len(word)):
        found.append(word[:i] + word[i + 1 :])
        found.append(word[:i] + rnd.choice(letters) + word[i + 1 :])
        found.append(word[:i] + rnd.choice(letters) + word[i:])
        if i + 1 < len(word):
            found.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return found


@pytest.mark.parametrize(("n", "cutoff"), [(3, 0.75), (2, 0.8), (5, 0.6), (1, 0.95)])
def test_same_words_as_difflib(n: int, cutoff: float) -> None:
    """Typos of every word, and words of random letters: the same matches, in order."""
    rnd = random.Random(n)
    close = CloseWords(VOCABULARY)
    words = [t for w in VOCABULARY for t in _typos(w, rnd)]
    words += ["".join(rnd.choice("abcdefghilmnorstuy") for _ in range(rnd.randint(1, 12)))
              for _ in range(500)]  # fmt: skip
    words += ["", "é", "ordersordersorders"]
    for word in words:
        assert close.matches(word, n, cutoff) == difflib.get_close_matches(
            word, VOCABULARY, n=n, cutoff=cutoff
        ), word


def test_a_typo_finds_its_word_and_a_stranger_none() -> None:
    """A swap of two letters finds the word; a word sharing no letter finds nothing."""
    close = CloseWords(["zzzzzz", "orders"])
    assert close.matches("ordres", 3, 0.75) == ["orders"]
    assert close.matches("qqqqqq", 3, 0.75) == []
