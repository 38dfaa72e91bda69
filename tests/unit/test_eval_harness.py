"""The evaluation harness: value-based answer matching, scoring, case loading."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lgda_nb.errors import SQLSyntaxError, UsageError
from lgda_nb.eval import EvalCase, EvalReport, compare_answer, load_cases, run_eval
from lgda_nb.eval._harness import _percentile

# ------------------------------------------------------------------ compare_answer


def test_renamed_reordered_and_extra_columns_match() -> None:
    """Gold columns are found by value: names, order and extra columns do not matter."""
    gold = pd.DataFrame({"category": ["Jeans", "Swim"], "revenue": [10.5, 20.25]})
    answer = pd.DataFrame(
        {"orders": [3, 4], "sales": [10.5, 20.25], "product_category": ["Jeans", "Swim"]}
    )
    assert compare_answer(answer, gold) is None


def test_floats_are_compared_at_two_decimals() -> None:
    """An unrounded answer equals the gold's ROUND(x, 2), half-cents rounding up."""
    gold = pd.DataFrame({"aov": [79.35, 0.13, 2.0]})
    answer = pd.DataFrame({"x": [79.3512345, 0.125, 1.9999999]})
    assert compare_answer(answer, gold) is None


def test_a_cent_of_rounding_noise_is_tolerated_but_not_more() -> None:
    """Rounding the same sum in another order may move a cent; a real gap fails."""
    gold = pd.DataFrame({"revenue": [100.01]})
    assert compare_answer(pd.DataFrame({"r": [100.00499999]}), gold) is None
    reason = compare_answer(pd.DataFrame({"r": [100.03]}), gold)
    assert reason is not None
    assert "revenue" in reason


def test_ints_and_floats_are_equal_when_numerically_equal() -> None:
    """A count computed as a float still matches an integer count."""
    gold = pd.DataFrame({"year": [2024, 2025], "orders": [10, 12]})
    answer = pd.DataFrame({"year": [2024.0, 2025.0], "orders": np.array([10, 12], dtype="int32")})
    assert compare_answer(answer, gold) is None


@pytest.mark.parametrize(
    ("sql", "ordered"),
    [
        ("SELECT a FROM t ORDER BY a", True),
        ("WITH x AS (SELECT a FROM t ORDER BY a) SELECT a FROM x ORDER BY a DESC", True),
        ("SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY a", True),
        ("SELECT a, SUM(b) OVER (ORDER BY a) FROM (SELECT a, b FROM t ORDER BY a) AS s", False),
        ("WITH x AS (SELECT a FROM t ORDER BY a) SELECT a FROM x", False),
    ],
)
def test_a_gold_without_an_outer_order_by_has_no_row_order(sql: str, ordered: bool) -> None:
    """A gold whose outermost query has no ORDER BY comes back in any order, run to run;
    its ``order_matters`` can only compare the rows (blind_patterns3 v106 flipped so)."""
    from lgda_nb.eval._harness import gold_is_ordered

    assert gold_is_ordered(sql) is ordered


def test_order_is_ignored_unless_it_matters() -> None:
    """The same rows in another order pass a multiset check and fail an ordered one."""
    gold = pd.DataFrame({"brand": ["A", "B", "C"], "revenue": [3.0, 2.0, 1.0]})
    answer = gold.iloc[::-1].reset_index(drop=True)
    assert compare_answer(answer, gold, order_matters=False) is None
    assert compare_answer(answer, gold, order_matters=True) == (
        "the rows are right but in the wrong order"
    )
    assert compare_answer(gold.copy(), gold, order_matters=True) is None


def test_rows_are_a_multiset_so_duplicates_count() -> None:
    """Repeated rows must repeat the same number of times."""
    gold = pd.DataFrame({"status": ["a", "a", "b"], "n": [1, 1, 2]})
    shuffled = pd.DataFrame({"status": ["b", "a", "a"], "n": [2, 1, 1]})
    wrong = pd.DataFrame({"status": ["a", "b", "b"], "n": [1, 2, 2]})
    assert compare_answer(shuffled, gold) is None
    assert compare_answer(wrong, gold) is not None


def test_a_date_equals_a_midnight_timestamp_in_any_zone() -> None:
    """DATE, naive midnight and UTC midnight are one value; other zones convert to UTC."""
    gold = pd.DataFrame({"month": [date(2025, 1, 1), date(2025, 2, 1)], "n": [1, 2]})
    utc = pd.DataFrame({"m": pd.to_datetime(["2025-01-01", "2025-02-01"], utc=True), "n": [1, 2]})
    naive = pd.DataFrame({"m": pd.to_datetime(["2025-01-01", "2025-02-01"]), "n": [1, 2]})
    shifted = timezone(timedelta(hours=2))
    zoned = pd.DataFrame(
        {
            "m": [datetime(2025, 1, 1, 2, tzinfo=shifted), datetime(2025, 2, 1, 2, tzinfo=shifted)],
            "n": [1, 2],
        }
    )
    for answer in (utc, naive, zoned):
        assert compare_answer(answer, gold) is None


def test_timestamps_keep_their_time_of_day() -> None:
    """A timestamp that is not midnight is not its date."""
    gold = pd.DataFrame({"at": [datetime(2025, 1, 1, 12, tzinfo=UTC)]})
    assert compare_answer(pd.DataFrame({"at": [datetime(2025, 1, 1, 12)]}), gold) is None
    assert compare_answer(pd.DataFrame({"at": [date(2025, 1, 1)]}), gold) is not None


def test_nulls_of_every_kind_are_equal() -> None:
    """None, NaN, NaT and pd.NA all stand for SQL NULL."""
    gold = pd.DataFrame({"year": [2019, 2020], "growth": [None, 12.5]})
    answer = pd.DataFrame({"year": [2019, 2020], "growth": pd.array([pd.NA, 12.5], "Float64")})
    assert compare_answer(answer, gold) is None
    dates = pd.DataFrame({"d": [pd.NaT, pd.Timestamp("2025-01-01")]})
    assert compare_answer(dates, pd.DataFrame({"d": [None, date(2025, 1, 1)]})) is None


def test_the_assignment_search_tries_other_column_pairings() -> None:
    """Two answer columns fit a gold column; only the second pairing lines the rows up."""
    gold = pd.DataFrame({"x": [1, 2], "y": [2, 1]})
    answer = pd.DataFrame({"a": [2, 1], "b": [1, 2]})
    assert compare_answer(answer, gold, order_matters=True) is None


def test_an_answer_column_is_used_once() -> None:
    """Two equal gold columns need two answer columns, not one used twice."""
    gold = pd.DataFrame({"revenue": [5.0], "revenue_again": [5.0]})
    assert compare_answer(pd.DataFrame({"r": [5.0], "other": [7]}), gold) is not None
    assert compare_answer(pd.DataFrame({"r": [5.0], "s": [5]}), gold) is None


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (pd.DataFrame({"c": ["a", "b", "c"], "v": [1, 2, 3]}), "expected 2 rows, got 3"),
        (pd.DataFrame({"c": ["a", "b"]}), "expected at least 2 columns, got 1"),
        (pd.DataFrame({"c": ["a", "b"], "v": [1, 3]}), "no answer column has the values of"),
        (pd.DataFrame({"c": ["a", "b"], "v": [2, 1]}), "rows do not line up"),
        (pd.DataFrame({"c": ["A", "B"], "v": [1, 2]}), "gold column 'c'"),
    ],
    ids=["too-many-rows", "missing-column", "wrong-value", "misaligned-rows", "case-differs"],
)
def test_mismatches_fail_with_a_reason(answer: pd.DataFrame, expected: str) -> None:
    """Wrong row counts, missing columns, wrong values and misaligned rows all fail."""
    gold = pd.DataFrame({"c": ["a", "b"], "v": [1, 2]})
    reason = compare_answer(answer, gold)
    assert reason is not None
    assert expected in reason


# ------------------------------------------------------------------------ run_eval


@dataclass
class _Answer:
    df: pd.DataFrame
    sql: str


class _FakeEngine:
    """Answers from a dict of question -> DataFrame; gold SQL names a stored frame."""

    def __init__(self, answers: dict[str, Any], gold: dict[str, pd.DataFrame]) -> None:
        self.answers = answers
        self.gold = gold

    def ask(self, question: str) -> _Answer:
        answer = self.answers[question]
        if isinstance(answer, Exception):
            raise answer
        return _Answer(answer, f"-- answer to {question}")

    def run_sql(self, sql: str) -> _Answer:
        if sql not in self.gold:
            raise SQLSyntaxError("Unexpected token.")
        return _Answer(self.gold[sql], sql)


def _case(case_id: str, tier: str = "basic", *, order: bool = False) -> EvalCase:
    return EvalCase(case_id, tier, f"question {case_id}", f"gold {case_id}", order)


def _fake_run() -> EvalReport:
    frame = pd.DataFrame({"n": [1, 2]})
    gold = {f"gold {i}": frame for i in ("b1", "b2", "i1", "h1", "h2")}
    answers: dict[str, Any] = {
        "question b1": frame[::-1],
        "question b2": SQLSyntaxError("The planner could not read that."),
        "question i1": frame[::-1],
        "question h1": ValueError("planner bug"),
        "question h2": frame,
        "question h3": frame,
    }
    cases = [
        _case("b1"),
        _case("b2"),
        _case("i1", "intermediate", order=True),
        _case("h1", "hard"),
        _case("h2", "hard"),
        _case("h3", "hard"),
    ]
    return run_eval(_FakeEngine(answers, gold), cases)


def test_run_eval_scores_each_case_and_tier() -> None:
    """Right answers count; planner errors, bugs and broken gold SQL are failures."""
    report = _fake_run()
    assert (report.total, report.correct) == (6, 2)
    assert report.accuracy == pytest.approx(2 / 6)
    assert report.by_tier == {"basic": (1, 2), "intermediate": (0, 1), "hard": (1, 3)}
    reasons = {f.id: f.reason for f in report.failures}
    assert reasons["b2"] == "SQLSyntaxError: The planner could not read that."
    assert reasons["i1"] == "the rows are right but in the wrong order"
    assert reasons["h1"] == "unexpected ValueError: planner bug"
    assert reasons["h3"].startswith("the gold SQL failed: SQLSyntaxError")
    by_id = {f.id: f for f in report.failures}
    assert by_id["i1"].answer_sql == "-- answer to question i1"
    assert by_id["b2"].answer_sql is None
    assert by_id["h3"].gold_sql == "gold h3"
    assert 0 <= report.latency_p50_ms <= report.latency_p95_ms


def test_report_renders_as_json_and_text() -> None:
    """to_dict survives json.dumps; to_text names the score, tiers and failures."""
    report = _fake_run()
    data = json.loads(json.dumps(report.to_dict()))
    assert data["by_tier"]["hard"] == {"correct": 1, "wrong": 0, "refused": 2, "total": 3}
    assert data["accuracy"] == pytest.approx(0.3333)
    assert (data["answered"], data["wrong"], data["refused"]) == (3, 1, 3)
    assert data["precision"] == pytest.approx(0.6667)
    assert {f["id"] for f in data["failures"]} == {"b2", "i1", "h1", "h3"}
    text = report.to_text(max_failures=2)
    assert text.startswith("Accuracy: 2/6 (33.3%)  Precision: 2/3 (66.7%)")
    assert "WRONG i1" in text.splitlines()[7]  # wrong answers are listed first
    assert "intermediate" in text
    assert "p95" in text
    assert "... and 2 more" in text


def test_cases_with_a_pattern_are_also_scored_per_kind_of_question() -> None:
    frame = pd.DataFrame({"n": [1, 2]})
    cases = [
        EvalCase("l1", "basic", "question l1", "gold l1", pattern="lists"),
        EvalCase("l2", "basic", "question l2", "gold l2", pattern="lists"),
        EvalCase("d1", "hard", "question d1", "gold d1", pattern="durations"),
    ]
    answers: dict[str, Any] = {
        "question l1": frame,
        "question l2": frame.assign(n=[1, 3]),
        "question d1": SQLSyntaxError("not read"),
    }
    gold = {f"gold {c.id}": frame for c in cases}
    report = run_eval(_FakeEngine(answers, gold), cases)
    assert report.by_pattern == {"lists": (1, 2), "durations": (0, 1)}
    assert report.pattern_counts("lists") == {"correct": 1, "wrong": 1, "refused": 0, "total": 2}
    assert json.loads(json.dumps(report.to_dict()))["by_pattern"]["durations"]["refused"] == 1
    text = report.to_text()
    assert "By kind of question:" in text
    assert any(line.strip().startswith("lists") and "precision  50.0%" in line
               for line in text.splitlines())  # fmt: skip


def test_failures_say_whether_the_answer_was_wrong_or_refused() -> None:
    """A refusal (LGDAError) is not a wrong answer; precision counts only answers."""
    report = _fake_run()
    kinds = {f.id: f.kind for f in report.failures}
    assert kinds == {"b2": "refused", "i1": "wrong", "h1": "error", "h3": "error"}
    assert report.tier_counts("basic") == {"correct": 1, "wrong": 0, "refused": 1, "total": 2}


def test_an_engine_without_ask_fails_every_case() -> None:
    """Before Engine.ask exists, each case fails with a clear reason instead of crashing."""

    class SQLOnly:
        def run_sql(self, sql: str) -> _Answer:
            return _Answer(pd.DataFrame({"n": [1]}), sql)

    report = run_eval(SQLOnly(), [_case("b1"), _case("b2")])
    assert report.correct == 0
    assert all("no ask() method" in f.reason for f in report.failures)
    assert report.latency_p50_ms == 0.0


def test_on_case_reports_progress() -> None:
    """The callback sees every case with its failure or None."""
    seen: list[tuple[str, bool]] = []
    frame = pd.DataFrame({"n": [1]})
    engine = _FakeEngine({"question b1": frame}, {"gold b1": frame})
    run_eval(engine, [_case("b1")], on_case=lambda case, f: seen.append((case.id, f is None)))
    assert seen == [("b1", True)]


def test_empty_run_has_zero_accuracy() -> None:
    """No cases: nothing divides by zero."""
    report = run_eval(_FakeEngine({}, {}), [])
    assert (report.total, report.accuracy, report.by_tier) == (0, 0.0, {})


def test_percentiles_interpolate() -> None:
    """p50 and p95 interpolate between the nearest measurements."""
    values = [float(v) for v in range(1, 101)]
    assert _percentile(values, 50) == pytest.approx(50.5)
    assert _percentile(values, 95) == pytest.approx(95.05)
    assert _percentile([7.0], 95) == 7.0


# ---------------------------------------------------------------------- load_cases


def _write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "cases.jsonl"
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


_GOOD = {"id": "b1", "tier": "basic", "question": "how many orders", "gold_sql": "SELECT 1"}


def test_load_cases_reads_json_lines(tmp_path: Path) -> None:
    """Each line becomes an EvalCase; blank lines are skipped; order_matters defaults off."""
    second = {**_GOOD, "id": "h1", "tier": "hard", "order_matters": True}
    cases = load_cases(_write(tmp_path, _GOOD, "", second))
    assert cases == [
        EvalCase("b1", "basic", "how many orders", "SELECT 1", False),
        EvalCase("h1", "hard", "how many orders", "SELECT 1", True),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2"),
        ({**_GOOD, "id": "b1"}, "duplicate id 'b1'"),
        ({**_GOOD, "id": "x", "tier": "expert"}, "tier 'expert'"),
        ({"id": "x", "tier": "basic", "question": "q"}, "'gold_sql' must be"),
        ({**_GOOD, "id": "x", "order_matters": "yes"}, "'order_matters' must be"),
        ([1, 2], "JSON object"),
    ],
    ids=["bad-json", "duplicate-id", "bad-tier", "missing-key", "bad-flag", "not-object"],
)
def test_load_cases_rejects_bad_lines(tmp_path: Path, line: object, message: str) -> None:
    """A malformed case is a UsageError that names its line and the problem."""
    with pytest.raises(UsageError, match="line 2") as info:
        load_cases(_write(tmp_path, _GOOD, line))
    assert message in info.value.message


def test_load_cases_on_a_missing_file(tmp_path: Path) -> None:
    """A missing file is a UsageError, not an OSError traceback."""
    with pytest.raises(UsageError, match="Cannot read"):
        load_cases(tmp_path / "absent.jsonl")


def test_importing_the_eval_package_stays_light() -> None:
    """lgda_nb.eval loads pandas only when answers are compared."""
    code = "import sys, lgda_nb.eval; print('pandas' in sys.modules, 'duckdb' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.split() == ["False", "False"]


LONG = pd.DataFrame(
    {
        "month": [date(2025, 1, 1), date(2025, 1, 1), date(2025, 2, 1), date(2025, 2, 1)],
        "order_type": ["first", "repeat", "first", "repeat"],
        "orders": [141, 211, 138, 190],
    }
)


def test_a_long_answer_matches_its_wide_gold() -> None:
    """ "First vs repeat orders per month" answered one row per month and type holds the
    same numbers as a gold with one column per type: right, in order too."""
    wide = pd.DataFrame(
        {"month": [date(2025, 1, 1), date(2025, 2, 1)], "first": [141, 138], "rep": [211, 190]}
    )
    assert compare_answer(LONG, wide) is None
    assert compare_answer(LONG, wide, order_matters=True) is None
    assert compare_answer(LONG, wide.iloc[::-1], order_matters=True) is not None


def test_a_long_answer_with_one_number_off_is_wrong() -> None:
    """Spreading the answer never hides a wrong cell or a missing one."""
    wide = pd.DataFrame(
        {"month": [date(2025, 1, 1), date(2025, 2, 1)], "first": [141, 138], "rep": [211, 191]}
    )
    assert compare_answer(LONG, wide) == "expected 2 rows, got 4"
    right = wide.assign(rep=[211, 190])
    assert compare_answer(LONG, right) is None
    assert compare_answer(LONG.iloc[:3], right) is not None  # February lacks its repeat orders


def test_a_long_answer_without_keys_matches_a_one_row_gold() -> None:
    """ "How many were first orders and how many repeat": two rows of one label, or one
    row with a column each; one number alone still needs one row."""
    long = pd.DataFrame({"order_type": ["first", "repeat"], "orders": [141, 211]})
    assert compare_answer(long, pd.DataFrame({"first": [141], "repeat": [211]})) is None
    assert compare_answer(long, pd.DataFrame({"first": [141], "repeat": [212]})) is not None
    assert compare_answer(long, pd.DataFrame({"first": [141]})) == "expected 1 row, got 2"
