"""``Rewrites``: a rule is skipped only when its pattern cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lgda_nb.planner._read_split import _PLAIN
from lgda_nb.planner._text import Rewrites, normalize, required

EVAL = Path(__file__).parents[1] / "eval"


@pytest.mark.parametrize(
    ("pattern", "pieces"),
    [
        (r"\baren't\b", ("aren't",)),
        (r"\b(?:among|of the)\s+x", ("among", "of the")),  # one of the branches
        (r"(?:over|in)\s+lifetime", ("lifetime",)),  # the longer requirement wins
        (r"(?:ab)+cdef", ("cdef",)),
        (r"(?:abcdef)+x", ("abcdef",)),  # repeated at least once
        (r"(?:abcdef)?x", ()),  # optional: not required
        (r"\b(?:among|of)\s+x", ()),  # "of" is too short to be worth a check
        (r"[a-z]+\s+\d+", ()),  # no literal part at all
    ],
)
def test_required_strings(pattern: str, pieces: tuple[str, ...]) -> None:
    assert required(re.compile(pattern)) == pieces


def test_a_case_insensitive_pattern_is_always_tried() -> None:
    assert required(re.compile("lifetime", re.IGNORECASE)) == ()


def test_a_rule_sees_the_text_the_rules_before_it_wrote() -> None:
    rewrites = Rewrites([(re.compile(r"\bisn't\b"), "is not"), (re.compile(r"\bis not\b"), "IS")])
    assert rewrites("it isn't") == "it IS"


def _every_rule(text: str) -> str:
    for pattern, plain, _needed in _PLAIN.rules:
        text = pattern.sub(plain, text)
    return text


def test_skipping_rules_never_changes_a_question() -> None:
    questions = [
        json.loads(line)["question"]
        for path in sorted(EVAL.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 1000
    changed = 0
    for question in questions:
        text = normalize(question)
        assert _PLAIN(text) == _every_rule(text), question
        changed += _every_rule(text) != text
    assert changed > 50  # the rules do apply to many of them
