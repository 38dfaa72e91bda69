"""The visible evaluation set: well-formed, and every gold SQL answers on the sample."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lgda_nb import Engine, Result
from lgda_nb.eval import TIERS, EvalCase, load_cases, run_eval

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "dev.jsonl"
CASES = load_cases(QUESTIONS)


def test_the_set_is_large_with_unique_ids_and_valid_tiers() -> None:
    """At least 120 cases, unique ids, every tier represented, ids prefixed by tier."""
    assert len(CASES) >= 120
    assert len({case.id for case in CASES}) == len(CASES)
    tiers = Counter(case.tier for case in CASES)
    assert set(tiers) == set(TIERS)
    assert all(tiers[tier] >= 20 for tier in TIERS)
    assert all(case.id[0] == case.tier[0] for case in CASES)


def test_questions_are_distinct() -> None:
    """No question is asked twice (case and spacing aside)."""
    normalised = [" ".join(case.question.lower().split()) for case in CASES]
    assert len(set(normalised)) == len(normalised)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_gold_sql_returns_rows(engine: Engine, case: EvalCase) -> None:
    """The gold SQL runs on the small sample and returns rows, no column all NULL.

    An all-NULL column means a filter value that matches nothing (SUM over no rows).
    """
    df = engine.run_sql(case.gold_sql).df
    assert len(df) > 0
    empty = [str(name) for name in df.columns if df[name].isna().all()]
    assert empty == []


class _Oracle:
    """Answers each question with its own gold result, columns renamed and reshuffled."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.gold = {case.question: case.gold_sql for case in CASES}

    def run_sql(self, sql: str) -> Result:
        return self.engine.run_sql(sql)

    def ask(self, question: str) -> Any:
        result = self.engine.run_sql(self.gold[question])
        df = result.df.iloc[:, ::-1].copy()
        df.columns = [f"col{i}" for i in range(df.shape[1])]
        df["extra"] = "x"
        result.df = df
        return result


def test_a_perfect_planner_scores_full_marks(engine: Engine) -> None:
    """Real result dtypes (tz-aware timestamps, DATEs, NULLs) match themselves."""
    report = run_eval(_Oracle(engine), CASES)
    assert report.failures == []
    assert report.accuracy == 1.0
    assert report.by_tier == {
        tier: (count, count) for tier, count in Counter(c.tier for c in CASES).items()
    }
