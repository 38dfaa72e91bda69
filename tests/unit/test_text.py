"""``Rewrites``, ``Needs``: a pattern is passed over only when it cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lgda_nb.planner._read_split import _PLAIN
from lgda_nb.planner._text import Needs, Rewrites, normalize, required

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
        (r"\s*\(\s*\d+", ("(",)),  # one character few questions have is worth it
        (r"(?:\$|usd)\s*\d+", ("$", "usd")),
        (r"\s+\-\s+\d+", ()),  # a dash is common
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
    for pattern, plain in _PLAIN.rules:
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


def test_required_strings_as_short_as_asked() -> None:
    assert required(re.compile(r"\b(20\d\d)\b")) == ()
    assert required(re.compile(r"\b(20\d\d)\b"), shortest=2) == ("20",)


def test_candidates_are_every_pattern_that_may_match_in_order() -> None:
    patterns = [re.compile(p) for p in (r"\btoday\b", r"\d+", r"\b(?:last|past)\s+\d+\s+days")]
    needs = Needs(required(p) for p in patterns)
    assert needs.candidates("orders today") == [0, 1]  # "\d+" needs nothing it could name
    assert needs.candidates("orders in the past 7 days") == [1, 2]
    assert needs.candidates("orders in the past 7 days", start=2) == [2]


def _questions() -> list[str]:
    return [
        normalize(json.loads(line)["question"])
        for path in sorted(EVAL.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_time_rules_passed_over_could_not_have_matched() -> None:
    from lgda_nb.planner._offline import _time_needs, _time_rules

    rules, needs = _time_rules(), _time_needs()
    matched = 0
    for text in _questions():
        matching = [i for i, (pattern, _) in enumerate(rules) if pattern.search(text)]
        assert set(matching) <= set(needs.candidates(text)), text
        matched += bool(matching)
    assert matched > 500  # the rules do match many questions


def test_comparisons_passed_over_could_not_have_matched() -> None:
    from lgda_nb.planner import OfflinePlanner, load_model

    planner = OfflinePlanner(load_model())
    patterns = planner._comparison_patterns
    matched = 0
    for text in _questions():
        matching = [i for i, (_, pattern) in enumerate(patterns) if pattern.search(text)]
        assert set(matching) <= set(planner._comparison_needs.candidates(text)), text
        matched += bool(matching)
    assert matched > 50
