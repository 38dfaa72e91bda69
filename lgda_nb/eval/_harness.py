"""Score ``Engine.ask`` against gold SQL: load cases, run both, compare by value.

An answer is right when it holds the gold rows, whatever its column names and
however many extra columns it adds: each gold column is matched to an answer
column with the same values. Numbers are compared at two decimals (with one cent
of slack for rounding at the boundary), dates and midnight timestamps are the
same value, and row order only counts when the case says so. This keeps the score
about what the planner computed, not how it named or laid out the result.

Only the standard library is imported here; pandas arrives with the DataFrames.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lgda_nb.errors import LGDAError, UsageError

if TYPE_CHECKING:
    import pandas as pd

#: Difficulty tiers, easiest first; reports list them in this order.
TIERS: tuple[str, ...] = ("basic", "intermediate", "hard")

_CENT = Decimal("0.01")
#: Column assignments tried per case before giving up (only many equal columns get near it).
_MAX_ASSIGNMENTS = 2000


class SupportsRunSQL(Protocol):
    """What the harness needs from an engine; ``ask`` is looked up at run time."""

    def run_sql(self, sql: str) -> Any:
        """Run gold SQL; the result has ``.df``."""


@dataclass(frozen=True)
class EvalCase:
    """One question with the SQL whose result is the right answer."""

    id: str
    tier: str
    question: str
    gold_sql: str
    order_matters: bool = False
    #: The kind of question ("lists", "durations", ...), reported separately when given.
    pattern: str = ""


@dataclass(frozen=True)
class EvalFailure:
    """Why one case was not answered correctly, with both SQL texts for debugging."""

    id: str
    question: str
    tier: str
    reason: str
    answer_sql: str | None
    gold_sql: str
    #: ``wrong`` (an answer that is not the gold one), ``refused`` (the engine said it
    #: could not answer) or ``error`` (an unexpected exception, or the gold SQL failed).
    kind: str = "wrong"
    #: The answer's interpretation sentence, for wrong answers.
    interpretation: str = ""
    pattern: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return asdict(self)


@dataclass
class EvalReport:
    """Accuracy and precision overall and per tier, the failures, and ``ask`` latency.

    Accuracy is right answers among all cases; precision is right answers among the
    cases answered. A refusal lowers accuracy only; a wrong answer lowers both, and
    is the worse failure: the user cannot see that a number is wrong.
    """

    total: int
    correct: int
    by_tier: dict[str, tuple[int, int]] = field(default_factory=dict)
    failures: list[EvalFailure] = field(default_factory=list)
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    #: How many answers each planner gave ("offline", "openai/gpt-4.1-mini", ...).
    answered_by: dict[str, int] = field(default_factory=dict)
    #: (right, total) per kind of question, for sets whose cases name a ``pattern``.
    by_pattern: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """Share of cases answered correctly, 0.0-1.0 (0.0 for an empty run)."""
        return self.correct / self.total if self.total else 0.0

    def _count(self, kind: str, tier: str | None = None, pattern: str | None = None) -> int:
        return sum(
            1
            for f in self.failures
            if f.kind == kind and tier in (None, f.tier) and pattern in (None, f.pattern)
        )

    @property
    def wrong(self) -> int:
        """Answers given that were not the gold answer."""
        return self._count("wrong")

    @property
    def refused(self) -> int:
        """Questions the engine declined (or failed) to answer."""
        return self._count("refused") + self._count("error")

    @property
    def answered(self) -> int:
        """Questions that got an answer, right or wrong."""
        return self.correct + self.wrong

    @property
    def precision(self) -> float:
        """Share of answers that were right, 0.0-1.0 (1.0 when nothing was answered)."""
        return self.correct / self.answered if self.answered else 1.0

    def tier_counts(self, tier: str) -> dict[str, int]:
        """``correct``, ``wrong``, ``refused`` and ``total`` of one tier."""
        correct, total = self.by_tier.get(tier, (0, 0))
        wrong = self._count("wrong", tier)
        return {"correct": correct, "wrong": wrong, "refused": total - correct - wrong,
                "total": total}  # fmt: skip

    def pattern_counts(self, pattern: str) -> dict[str, int]:
        """``correct``, ``wrong``, ``refused`` and ``total`` of one kind of question."""
        correct, total = self.by_pattern.get(pattern, (0, 0))
        wrong = self._count("wrong", pattern=pattern)
        return {"correct": correct, "wrong": wrong, "refused": total - correct - wrong,
                "total": total}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary; tiers map to ``{"correct": c, "total": t}``."""
        return {
            "total": self.total,
            "correct": self.correct,
            "answered": self.answered,
            "wrong": self.wrong,
            "refused": self.refused,
            "accuracy": round(self.accuracy, 4),
            "precision": round(self.precision, 4),
            "by_tier": {tier: self.tier_counts(tier) for tier in self.by_tier},
            "by_pattern": {name: self.pattern_counts(name) for name in self.by_pattern},
            "latency_p50_ms": round(self.latency_p50_ms, 1),
            "latency_p95_ms": round(self.latency_p95_ms, 1),
            "answered_by": dict(self.answered_by),
            "failures": [failure.to_dict() for failure in self.failures],
        }

    def to_text(self, *, max_failures: int = 20) -> str:
        """A few lines for a terminal: scores per tier, latency, wrong answers first."""
        lines = [
            f"Accuracy: {self.correct}/{self.total} ({self.accuracy:.1%})  "
            f"Precision: {self.correct}/{self.answered} ({self.precision:.1%})",
            f"Answered {self.answered}, right {self.correct}, wrong {self.wrong}, "
            f"refused {self.refused}",
        ]
        groups = [(tier, self.tier_counts(tier)) for tier in self.by_tier]
        groups += [(name, self.pattern_counts(name)) for name in self.by_pattern]
        width = max((len(name) for name, _ in groups), default=0)
        for index, (name, c) in enumerate(groups):
            if index == len(self.by_tier):
                lines.append("By kind of question:")
            answered = c["correct"] + c["wrong"]
            accuracy = c["correct"] / c["total"] if c["total"] else 0.0
            precision = c["correct"] / answered if answered else 1.0
            lines.append(
                f"  {name:<{width}}  {c['correct']:>4}/{c['total']:<4} {accuracy:6.1%}  "
                f"wrong {c['wrong']:>3}  refused {c['refused']:>3}  precision {precision:6.1%}"
            )
        lines.append(f"Latency: p50 {self.latency_p50_ms:.1f} ms, p95 {self.latency_p95_ms:.1f} ms")
        if self.answered_by:
            planners = ", ".join(f"{name} {n}" for name, n in sorted(self.answered_by.items()))
            lines.append(f"Answered by: {planners}")
        if self.failures:
            lines.append(f"Failures ({len(self.failures)}), wrong answers first:")
            ordered = sorted(self.failures, key=lambda f: f.kind != "wrong")
            for failure in ordered[:max_failures]:
                lines.append(
                    f"  {failure.kind.upper()} {failure.id} [{failure.tier}] {failure.question}"
                    f" -- {failure.reason}"
                )
                if failure.interpretation:
                    lines.append(f"      understood: {failure.interpretation}")
            hidden = len(self.failures) - max_failures
            if hidden > 0:
                lines.append(f"  ... and {hidden} more")
        return "\n".join(lines)


# ------------------------------------------------------------------------- loading


def load_cases(path: str | os.PathLike[str]) -> list[EvalCase]:
    """Read a JSON-lines file of cases; blank lines are skipped.

    Raises ``UsageError`` naming the line of the first malformed case, so a bad
    edit to the question file is caught before any question is asked.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"Cannot read the evaluation cases at {str(source)!r}.", detail=str(exc)
        ) from exc
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = _parse_case(json.loads(line))
        except (ValueError, TypeError) as exc:
            raise UsageError(f"{source.name}, line {number}: {exc}") from exc
        if case.id in seen:
            raise UsageError(f"{source.name}, line {number}: duplicate id {case.id!r}.")
        seen.add(case.id)
        cases.append(case)
    return cases


def _parse_case(raw: object) -> EvalCase:
    if not isinstance(raw, dict):
        raise ValueError("each line must be a JSON object")
    for key in ("id", "tier", "question", "gold_sql"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{key!r} must be a non-empty string")
    if raw["tier"] not in TIERS:
        raise ValueError(f"tier {raw['tier']!r} is not one of {', '.join(TIERS)}")
    order_matters = raw.get("order_matters", False)
    if not isinstance(order_matters, bool):
        raise ValueError("'order_matters' must be true or false")
    pattern = raw.get("pattern", "")
    if not isinstance(pattern, str):
        raise ValueError("'pattern' must be a string")
    return EvalCase(
        id=raw["id"],
        tier=raw["tier"],
        question=raw["question"],
        gold_sql=raw["gold_sql"],
        order_matters=order_matters,
        pattern=pattern,
    )


# ------------------------------------------------------------------------- running


def run_eval(
    engine: SupportsRunSQL,
    cases: Iterable[EvalCase],
    *,
    on_case: Callable[[EvalCase, EvalFailure | None], None] | None = None,
) -> EvalReport:
    """Ask every question, run its gold SQL and score the answers.

    A failing ``ask`` (an ``LGDAError``, any other exception, or no ``ask`` at
    all) is a failed case, not an aborted run. ``on_case`` is called after each
    case with its failure, or ``None`` when it was right (for progress output).
    """
    tally: dict[str, list[int]] = {tier: [0, 0] for tier in TIERS}
    patterns: dict[str, list[int]] = {}
    failures: list[EvalFailure] = []
    latencies: list[float] = []
    sources: dict[str, int] = {}
    total = correct = 0
    for case in cases:
        failure = _run_case(engine, case, latencies, sources)
        total += 1
        counts = tally.setdefault(case.tier, [0, 0])
        kind = patterns.setdefault(case.pattern, [0, 0]) if case.pattern else [0, 0]
        counts[1] += 1
        kind[1] += 1
        if failure is None:
            correct += 1
            counts[0] += 1
            kind[0] += 1
        else:
            failures.append(failure)
        if on_case is not None:
            on_case(case, failure)
    return EvalReport(
        total=total,
        correct=correct,
        by_tier={tier: (c, t) for tier, (c, t) in tally.items() if t},
        failures=failures,
        latency_p50_ms=_percentile(latencies, 50),
        latency_p95_ms=_percentile(latencies, 95),
        answered_by=sources,
        by_pattern={name: (c, t) for name, (c, t) in patterns.items()},
    )


def _run_case(
    engine: SupportsRunSQL, case: EvalCase, latencies: list[float], sources: dict[str, int]
) -> EvalFailure | None:
    def fail(
        reason: str, answer_sql: str | None = None, kind: str = "error", interpretation: str = ""
    ) -> EvalFailure:
        return EvalFailure(
            case.id, case.question, case.tier, reason, answer_sql, case.gold_sql, kind,
            interpretation, case.pattern,
        )  # fmt: skip

    ask = getattr(engine, "ask", None)
    if not callable(ask):
        return fail("the engine has no ask() method, so it cannot answer questions")
    start = time.perf_counter()
    try:
        answer = ask(case.question)
    except LGDAError as exc:
        return fail(f"{type(exc).__name__}: {exc.message}", kind="refused")
    except Exception as exc:
        return fail(f"unexpected {type(exc).__name__}: {exc}")
    finally:
        latencies.append((time.perf_counter() - start) * 1000)
    source = getattr(getattr(answer, "plan", None), "source", None)
    if isinstance(source, str):
        sources[source] = sources.get(source, 0) + 1
    answer_sql = getattr(answer, "sql", None)
    answer_sql = answer_sql if isinstance(answer_sql, str) else None
    try:
        gold = engine.run_sql(case.gold_sql)
    except LGDAError as exc:
        return fail(f"the gold SQL failed: {type(exc).__name__}: {exc.message}", answer_sql)
    ordered = case.order_matters and gold_is_ordered(case.gold_sql)
    reason = compare_answer(answer.df, gold.df, order_matters=ordered)
    if reason is None:
        return None
    interpretation = getattr(answer, "interpretation", "")
    return fail(
        reason, answer_sql, "wrong", interpretation if isinstance(interpretation, str) else ""
    )


def _percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile; 0.0 when there is nothing to measure."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# ------------------------------------------------------------------------ matching


class _Null:
    """NULL, NaN, NaT and NA all normalise to this one value, equal to itself."""

    def __repr__(self) -> str:
        return "NULL"


_NULL = _Null()
_Column = tuple[object, ...]


def gold_is_ordered(sql: str) -> bool:
    """Whether the gold's rows come in a defined order: its outermost query has an
    ORDER BY. Without one the database may return them in any order (and does, from run
    to run), so a case's ``order_matters`` compares only the rows."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="bigquery")
    except sqlglot.errors.ParseError:
        return True  # unreadable here: compare as the case says
    return not isinstance(tree, exp.Query) or tree.args.get("order") is not None


def compare_answer(
    answer: pd.DataFrame, gold: pd.DataFrame, *, order_matters: bool = False
) -> str | None:
    """``None`` when ``answer`` holds the gold result, else a one-line reason.

    Each gold column must map to a distinct answer column with equal values;
    extra answer columns are ignored. Rows are compared as a multiset, or as a
    sequence when ``order_matters``.
    """
    if len(answer) != len(gold):
        if len(answer) > len(gold) and any(
            _compare(wide, gold, order_matters=order_matters) is None
            for wide in _pivots(answer, len(gold), gold.shape[1])
        ):
            return None
        return f"expected {len(gold)} row{'s' * (len(gold) != 1)}, got {len(answer)}"
    return _compare(answer, gold, order_matters=order_matters)


def _compare(answer: pd.DataFrame, gold: pd.DataFrame, *, order_matters: bool) -> str | None:
    """``compare_answer`` for frames of the same number of rows."""
    if len(answer) != len(gold):
        return f"expected {len(gold)} row{'s' * (len(gold) != 1)}, got {len(answer)}"
    gold_cols = [_normalise(gold.iloc[:, j].tolist()) for j in range(gold.shape[1])]
    answer_cols = [_normalise(answer.iloc[:, k].tolist()) for k in range(answer.shape[1])]
    if len(answer_cols) < len(gold_cols):
        return f"expected at least {len(gold_cols)} columns, got {len(answer_cols)}"
    candidates = _candidates(gold_cols, answer_cols)
    for j, found in enumerate(candidates):
        if not found:
            column = gold_cols[j]
            sample = ", ".join(str(v) for v in column[:3]) + (", ..." if len(column) > 3 else "")
            name = str(gold.columns[j])
            return f"no answer column has the values of gold column {name!r} ({sample})"
    return _match_rows(gold_cols, answer_cols, candidates, order_matters=order_matters)


#: Most values a column may have to be spread into columns of their own.
_MAX_PIVOT_VALUES = 12


def _pivots(answer: pd.DataFrame, rows: int, columns: int) -> Iterable[pd.DataFrame]:
    """``answer`` in long form ("month, order type, orders": one row per month and type)
    spread wide, one column per value of a label column, when that gives ``rows`` rows.

    A question of "first vs repeat orders per month" may be answered either way; the
    two tables hold the same numbers, cell for cell. Each label column (text, few
    values) is tried with every set of the other non-decimal columns as the row keys
    that makes each (keys, label) pair unique; a gold of one row takes every row of
    the answer spread into one, when it has as many columns.
    """
    import itertools

    import pandas as pd

    names = [str(c) for c in answer.columns]
    frame = answer.set_axis(names, axis=1)
    keys = [c for c in names if not pd.api.types.is_float_dtype(frame[c])]
    for label in keys:
        values = frame[label].nunique(dropna=False)
        if pd.api.types.is_numeric_dtype(frame[label]) or not 1 < values <= _MAX_PIVOT_VALUES:
            continue
        others = [c for c in keys if c != label]
        measures = [c for c in names if c != label]
        spread_all = rows == 1 and measures and values * len(measures) <= columns
        if spread_all and not frame.duplicated([label]).any():
            # "how many were first orders and how many repeat": one row, a column each,
            # when the gold has a column for every one of them.
            labels = frame[label].tolist()
            row = {f"{m}:{v}": [frame[m].iloc[i]] for i, v in enumerate(labels) for m in measures}
            yield pd.DataFrame(row)
        for size in range(1, len(others) + 1):
            for index in itertools.combinations(others, size):
                picked = [*index, label]
                measures = [c for c in names if c not in picked]
                if not measures or frame.duplicated(picked).any():
                    continue
                if frame[list(index)].drop_duplicates().shape[0] != rows:
                    continue
                wide: pd.DataFrame = frame.set_index(picked)[measures].unstack(label)  # type: ignore[assignment]
                order = pd.MultiIndex.from_frame(frame[list(index)].drop_duplicates())
                wide = wide.reindex(order if size > 1 else order.get_level_values(0))
                wide.columns = [f"{pair[0]}:{pair[1]}" for pair in wide.columns]
                yield wide.reset_index()


def _candidates(gold_cols: list[_Column], answer_cols: list[_Column]) -> list[list[int]]:
    """For each gold column, the answer columns holding the same values in any order."""
    return [
        [k for k, other in enumerate(answer_cols) if _same_multiset([column], [other])]
        for column in gold_cols
    ]


def _match_rows(
    gold_cols: list[_Column],
    answer_cols: list[_Column],
    candidates: list[list[int]],
    *,
    order_matters: bool,
) -> str | None:
    """Try column assignments until one lines the rows up; else say what went wrong."""
    in_any_order = False
    for assignment in _assignments(candidates):
        picked = [answer_cols[k] for k in assignment]
        if order_matters and _same_sequence(gold_cols, picked):
            return None
        if _same_multiset(gold_cols, picked):
            if not order_matters:
                return None
            in_any_order = True
    if in_any_order:
        return "the rows are right but in the wrong order"
    return "every gold column has a matching answer column, but the rows do not line up"


def _assignments(candidates: list[list[int]]) -> Iterable[list[int]]:
    """Injective choices of one answer column per gold column, most constrained first."""
    order = sorted(range(len(candidates)), key=lambda j: len(candidates[j]))
    chosen: dict[int, int] = {}
    budget = [_MAX_ASSIGNMENTS]

    def search(depth: int) -> Iterable[list[int]]:
        if budget[0] <= 0:
            return
        if depth == len(order):
            budget[0] -= 1
            yield [chosen[j] for j in range(len(candidates))]
            return
        j = order[depth]
        used = set(chosen.values())
        for k in candidates[j]:
            if k not in used:
                chosen[j] = k
                yield from search(depth + 1)
                del chosen[j]

    return search(0)


def _rows(columns: Sequence[_Column]) -> list[tuple[object, ...]]:
    return list(zip(*columns, strict=True)) if columns else []


def _same_sequence(gold: Sequence[_Column], answer: Sequence[_Column]) -> bool:
    return all(_same_row(g, a) for g, a in zip(_rows(gold), _rows(answer), strict=True))


def _same_multiset(gold: Sequence[_Column], answer: Sequence[_Column]) -> bool:
    gold_rows, answer_rows = _rows(gold), _rows(answer)
    if Counter(gold_rows) == Counter(answer_rows):
        return True
    # Not equal exactly: allow a cent of rounding noise by pairing rows in sorted order.
    gold_rows.sort(key=_row_key)
    answer_rows.sort(key=_row_key)
    return all(_same_row(g, a) for g, a in zip(gold_rows, answer_rows, strict=True))


def _same_row(gold: tuple[object, ...], answer: tuple[object, ...]) -> bool:
    return all(_same_value(g, a) for g, a in zip(gold, answer, strict=True))


def _same_value(gold: object, answer: object) -> bool:
    if isinstance(gold, Decimal) and isinstance(answer, Decimal):
        return abs(gold - answer) <= _CENT
    return gold == answer


_RANKS: tuple[type, ...] = (Decimal, datetime, date, str)


def _row_key(row: tuple[object, ...]) -> tuple[tuple[int, Any], ...]:
    """A total order over mixed values: NULL first, then by type, then by value."""
    key: list[tuple[int, Any]] = []
    for value in row:
        if value is _NULL:
            key.append((0, 0))
            continue
        for rank, kind in enumerate(_RANKS, start=1):
            if isinstance(value, kind):
                key.append((rank, value))
                break
        else:
            key.append((len(_RANKS) + 1, repr(value)))
    return tuple(key)


def _normalise(values: Iterable[object]) -> _Column:
    """One comparable form per value: numbers as 2-decimal ``Decimal``, instants in UTC."""
    import numpy as np
    import pandas as pd

    out: list[object] = []
    for value in values:
        if value is None or value is pd.NaT or value is pd.NA:
            out.append(_NULL)
        elif isinstance(value, np.datetime64 | datetime):
            stamp = pd.Timestamp(value)
            out.append(_NULL if pd.isna(stamp) else _instant(stamp.to_pydatetime(warn=False)))
        elif isinstance(value, float | np.floating):
            out.append(_float(float(value)))
        elif isinstance(value, bool | np.bool_ | int | np.integer):
            out.append(_cents(Decimal(int(value))))
        elif isinstance(value, Decimal):
            out.append(_NULL if value.is_nan() else _cents(value))
        elif isinstance(value, date | str | bytes):
            out.append(value)
        else:
            out.append(_hashable(value))
    return tuple(out)


def _float(value: float) -> object:
    if math.isnan(value):
        return _NULL
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    # repr is the shortest decimal that round-trips, so 0.125 rounds up as SQL ROUND does.
    return _cents(Decimal(repr(value)))


def _cents(number: Decimal) -> Decimal:
    """Round half away from zero to two decimals, like SQL ``ROUND(x, 2)``."""
    try:
        return number.quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: leave it exact
        return number


def _instant(value: datetime) -> object:
    """UTC wall time without a zone; a midnight instant is just its date."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.date()
    return value


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
