"""Insight sentences and KPI cards, worded only from ``Facts``.

Every number is formatted by ``format_value`` from a field of ``Facts``, and
``facts_numbers`` lists every string the text may use, so a test can prove the
text invents nothing. Wording is neutral: rose, fell, highest, lowest.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from lgda_nb.insight._facts import Facts, Item, MeasureFacts, Shape, in_sentence

#: How a number looks in running text; ``facts_numbers`` reads labels with the same rule.
NUMBER_PATTERN = re.compile(r"(?<![\w.])-?\$?\d+(?:,\d{3})*(?:\.\d+)?%?")

MONEY_SYMBOL = "$"
MAX_SENTENCES = 4

_GRAIN_PLURAL = {
    "day": "days",
    "week": "weeks",
    "month": "months",
    "quarter": "quarters",
    "year": "years",
}
_TREND_WORDS = {"up": "upward", "down": "downward", "flat": "flat"}


def format_value(value: float | None, unit: str) -> str:
    """Money as ``$1,234.50``, counts as ``1,234``, percents as ``12.3%``, else up to 2 decimals."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    number = float(value)
    if unit == "money":
        text = f"{abs(number):,.2f}"
        sign = "-" if number < 0 and text.strip("0.,") else ""
        return f"{sign}{MONEY_SYMBOL}{text}"
    if unit == "count":
        return f"{round(number):,}"
    if unit == "percent":
        decimals = 1 if abs(number) >= 1 or number == 0 else 2
        text = f"{number:,.{decimals}f}"
        return ("0" if text.strip("-0.,") == "" else text) + "%"
    if number.is_integer():
        return f"{int(number):,}"
    text = f"{number:,.2f}"
    return "0" if text.strip("-0.,") == "" else text


def format_percent(value: float) -> str:
    """A share or a relative change, always as a percent."""
    return format_value(value, "percent")


def _count(value: int) -> str:
    return f"{value:,}"


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --- the numbers ---------------------------------------------------------------------


def _measure_numbers(m: MeasureFacts) -> Iterator[str]:
    if m.points is not None:
        yield _count(m.points)
    for value in (m.value, m.total, m.mean, m.change):
        if value is not None:
            yield format_value(value, m.unit)
            yield format_value(abs(value), m.unit)
    if m.steepest_step is not None:
        yield format_percent(m.steepest_step.value)
    for share in (m.top_share, m.top_group_share, m.change_pct, m.retained_pct):
        if share is not None:
            yield format_percent(share)
            yield format_percent(abs(share))
    items: list[Item | None] = [*m.top, *m.bottom, *m.top_groups, *m.outliers]
    items += [m.first, m.previous, m.last]
    for item in items:
        if item is not None:
            yield format_value(item.value, m.unit)
            yield from NUMBER_PATTERN.findall(item.label)
            if item.of is not None:  # a rate's counts: "4 of 14 orders"
                yield from (format_value(n, "count") for n in item.of)


def facts_numbers(facts: Facts) -> set[str]:
    """Every formatted number ``insight_text`` may print for these facts."""
    numbers = {
        _count(n)
        for n in (facts.row_count, facts.column_count, facts.periods, facts.groups)
        if n is not None
    }
    for m in facts.measures:
        numbers.update(_measure_numbers(m))
    if facts.row_label:
        numbers.update(NUMBER_PATTERN.findall(facts.row_label))
    for label in facts.partial_periods:
        numbers.update(NUMBER_PATTERN.findall(label))
    return numbers


# --- the sentences -------------------------------------------------------------------


def insight_text(facts: Facts, shape: Shape) -> str:
    """Two to four neutral sentences (one for empty and single-value results)."""
    if facts.kind == "empty":
        return "The query returned no rows."
    if facts.kind == "single":
        sentences = _single(facts)
    elif facts.kind == "series":
        sentences = _series(facts, shape)
    elif facts.kind in ("category", "matrix"):
        sentences = _ranked(facts, shape)
    elif facts.kind == "stages":
        sentences = _stages(facts)
    else:
        sentences = _table(facts)
    return " ".join(sentences[:MAX_SENTENCES])


def _rows(n: int) -> str:
    return f"{_count(n)} row{'' if n == 1 else 's'}"


def _table(facts: Facts) -> list[str]:
    columns = facts.column_count
    sentences = [
        f"The query returned {_rows(facts.row_count)} and "
        f"{_count(columns)} column{'' if columns == 1 else 's'}."
    ]
    if not facts.measures:
        sentences.append("It has no numeric column to summarise.")
    for m in facts.measures:
        label = in_sentence(m.label)
        if m.total is not None:
            sentences.append(f"The {label} total is {format_value(m.total, m.unit)}.")
        elif m.mean is not None:
            sentences.append(f"The mean {label} over the rows is {format_value(m.mean, m.unit)}.")
        else:
            sentences.append(f"{_sentence_start(label)} has no values.")
    return sentences


def _single(facts: Facts) -> list[str]:
    known = [m for m in facts.measures if m.value is not None]
    if len(facts.measures) == 1:
        m = facts.measures[0]
        if m.value is None:
            return [f"{_sentence_start(m.label)} is empty (NULL)."]
        if facts.row_label:
            return [
                f"For {facts.row_label}, {in_sentence(m.label)} is {format_value(m.value, m.unit)}."
            ]
        return [f"{_sentence_start(m.label)} is {format_value(m.value, m.unit)}."]
    if facts.row_label and known:
        parts = [f"{in_sentence(m.label)} {format_value(m.value, m.unit)}" for m in known]
        return [f"For {facts.row_label}: {_join(parts)}."]
    parts = [f"{in_sentence(m.label)} {format_value(m.value, m.unit)}" for m in known]
    missing = [in_sentence(m.label) for m in facts.measures if m.value is None]
    sentences = []
    if parts:
        sentences.append(f"The query returned one row: {_join(parts)}.")
    if missing:
        sentences.append(f"No value for {_join(missing)}.")
    return sentences


def _item(item: Item, unit: str, of: str = "") -> str:
    """ "Colombia (28.6%)"; with the counts a rate is of, named ``of``: "Colombia (28.6%, 4
    of 14 orders)"."""
    if item.of is not None and of:
        part, whole = (format_value(n, "count") for n in item.of)
        return f"{item.label} ({format_value(item.value, unit)}, {part} of {whole} {of})"
    return f"{item.label} ({format_value(item.value, unit)})"


def _outlier_sentence(m: MeasureFacts, of: str = "") -> str | None:
    """Items far from the baseline; a rate's with the counts it is of (``of`` names them),
    so "unusually high" of 4 orders in 14 is read as such."""
    if not m.outliers:
        return None
    sides = {o.side for o in m.outliers}
    word = "far" if len(sides) > 1 else ("high" if "above" in sides else "low")
    baseline = "the fitted trend" if m.outliers[0].basis == "trend" else "the median"
    items = _join([_item(o, m.unit, of) for o in m.outliers])
    return f"Unusually {word} against {baseline}: {items}."


def _ranked(facts: Facts, shape: Shape) -> list[str]:
    primary = facts.primary
    assert primary is not None
    what = (
        f"{in_sentence(shape.label_of(facts.dimensions[0]))} values"
        if facts.kind == "category"
        else "combinations"
    )
    groups = facts.groups or facts.row_count
    if not facts.complete:
        what += " shown"
    if not primary.top:
        return [
            f"The query returned {_rows(facts.row_count)} for {_count(groups)} {what}.",
            f"{_sentence_start(in_sentence(primary.label))} "
            + (
                "repeats labels and cannot be summed, so it is not ranked."
                if primary.count
                else "has no values."
            ),
        ]
    top, bottom = primary.top[0], primary.bottom[0]
    label = in_sentence(primary.label)
    parts = shape.parts.get(primary.column, ())
    of = in_sentence(shape.label_of(parts[1])) if parts else ""
    sentences = [
        f"Of the {_count(groups)} {what}, {label} is highest for "
        f"{_item(top, primary.unit, of)} and lowest for {_item(bottom, primary.unit, of)}."
    ]
    if primary.total is not None and primary.top_share is not None:
        sentences.append(
            f"Of the {format_value(primary.total, primary.unit)} total, "
            f"{format_percent(primary.top_share)} comes from {top.label}."
        )
    elif primary.total is not None and not facts.complete:
        sentences.append(
            f"The {_count(groups)} shown add up to {format_value(primary.total, primary.unit)}, "
            "which is not the overall total."
        )
    elif primary.total is not None:
        sentences.append(f"The {label} total is {format_value(primary.total, primary.unit)}.")
    outliers = _outlier_sentence(primary, of)
    if outliers:
        sentences.append(outliers)
    for other in facts.measures[1:]:
        if not other.top or other.column in parts:  # a rate's counts are said with it
            continue
        if other.bottom and other.top[0].value == other.bottom[0].value:
            # One value for every row (the average the rows were compared with).
            sentences.append(
                f"{_sentence_start(in_sentence(other.label))} is "
                f"{format_value(other.top[0].value, other.unit)} for every row."
            )
            continue
        sentences.append(
            f"{_sentence_start(in_sentence(other.label))} is highest for "
            f"{_item(other.top[0], other.unit)}."
        )
    return sentences


def _stages(facts: Facts) -> list[str]:
    """A funnel in its own order: how many start, how many reach the end, where most leave."""
    primary = facts.primary
    assert primary is not None
    if primary.first is None or primary.last is None:
        return [
            f"The query returned {_rows(facts.row_count)}; {in_sentence(primary.label)} "
            "has no values."
        ]
    first, last = primary.first, primary.last
    label = in_sentence(primary.label)
    sentences = [
        f"{_sentence_start(label)} start at {first.label} "
        f"({format_value(first.value, primary.unit)}) and "
        f"{format_value(last.value, primary.unit)} reach {last.label}"
        + (
            f" ({format_percent(primary.retained_pct)} of the first step)."
            if primary.retained_pct is not None
            else "."
        )
    ]
    if primary.steepest_step is not None:
        sentences.append(
            f"The steepest step is {primary.steepest_step.label}, which keeps "
            f"{format_percent(primary.steepest_step.value)} of the step before."
        )
    return sentences


def _change_sentence(m: MeasureFacts, subject: str) -> str | None:
    if m.last is None or m.previous is None or m.change is None:
        return None
    prev, last = m.previous, m.last
    span = f"from {prev.label} to {last.label}"
    if m.change == 0:
        return f"{subject} was unchanged {span} at {format_value(last.value, m.unit)}."
    verb = "rose" if m.change > 0 else "fell"
    values = f"{format_value(prev.value, m.unit)} to {format_value(last.value, m.unit)}"
    if m.unit == "percent" or m.change_pct is None:
        return f"{subject} {verb} {span} ({values})."
    return f"{subject} {verb} {format_percent(abs(m.change_pct))} {span} ({values})."


def _no_change(facts: Facts, m: MeasureFacts) -> list[str]:
    """Series without two comparable periods: say what there is, and why no change."""
    periods = facts.periods or 0
    sentences = [
        f"The query returned {_rows(facts.row_count)} over {_count(periods)} "
        f"period{'' if periods == 1 else 's'}."
    ]
    if m.last is not None:
        sentences.append(
            f"{_sentence_start(in_sentence(m.label))} has a value only for {_item(m.last, m.unit)}."
        )
    elif m.count:
        sentences.append(
            f"{_sentence_start(in_sentence(m.label))} cannot be summed across the rows of one "
            "period, so no change is reported."
        )
    else:
        sentences.append(f"{_sentence_start(in_sentence(m.label))} has no values.")
    return sentences


def _series(facts: Facts, shape: Shape) -> list[str]:
    primary = facts.primary
    assert primary is not None
    label = primary.label
    if facts.dimensions and primary.additive:
        dimension = in_sentence(shape.label_of(facts.dimensions[0]))
        values = "all" if facts.complete else "the"
        shown = "" if facts.complete else " shown"
        subject = f"Summed over {values} {dimension} values{shown}, {in_sentence(label)}"
    else:
        subject = _sentence_start(label)
    change = _change_sentence(primary, subject)
    if change is None:
        return _no_change(facts, primary)
    sentences = [change]
    if facts.partial_periods:
        verb = "is" if len(facts.partial_periods) == 1 else "are"
        sentences.append(
            f"{_sentence_start(_join(list(facts.partial_periods)))} {verb} only partly "
            "covered by the data, so left out of these comparisons."
        )
    if primary.trend is not None and primary.first is not None and primary.last is not None:
        unit = _GRAIN_PLURAL.get(facts.grain or "", "periods")
        sentences.append(
            f"Over the {_count(primary.points or 0)} {unit} from {primary.first.label} to "
            f"{primary.last.label}, the least-squares trend is {_TREND_WORDS[primary.trend]}."
        )
    if primary.top_groups:
        leader = primary.top_groups[0]
        share = (
            f", {format_percent(primary.top_group_share)} of the total"
            if primary.top_group_share is not None
            else ""
        )
        sentences.append(
            f"{_sentence_start(in_sentence(label))} is highest for {leader.label} "
            f"({format_value(leader.value, primary.unit)}{share})."
        )
    elif primary.total is not None:
        sentences.append(
            f"The {in_sentence(label)} total over "
            f"{'the complete' if facts.partial_periods else 'these'} periods is "
            f"{format_value(primary.total, primary.unit)}."
        )
    outliers = _outlier_sentence(primary)
    if outliers:
        sentences.append(outliers)
    elif primary.top and len(sentences) < MAX_SENTENCES:
        sentences.append(f"The highest period was {_item(primary.top[0], primary.unit)}.")
    return sentences


# --- KPI card ------------------------------------------------------------------------


def kpi_html(value: Any, label: str, unit: str = "number") -> str:
    """A small card for a single-value answer; label and value are HTML-escaped."""
    if isinstance(value, (numbers.Real, Decimal)) and not isinstance(value, bool):
        shown = format_value(float(value), unit)
    elif value is None:
        shown = "n/a"
    else:
        shown = str(value)
    return (
        "<div class='lgda-kpi' style='display:inline-block;border:1px solid #d1d5db;"
        "border-radius:6px;padding:8px 14px;margin:4px 0;"
        "font-family:var(--jp-ui-font-family,sans-serif)'>"
        f"<div style='font-size:12px;opacity:.75'>{html.escape(str(label))}</div>"
        f"<div style='font-size:24px;font-weight:600'>{html.escape(shown)}</div>"
        "</div>"
    )
