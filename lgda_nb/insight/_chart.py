"""A Vega-Lite v5 spec, as a plain dict, chosen from the result's shape.

No Altair: JupyterLab and VS Code render ``application/vnd.vegalite.v5+json``
natively, and a dict is easy to test, cache and serialise. Data is inlined as
JSON-safe records so the spec survives ``json.dumps`` and a saved notebook.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from lgda_nb.insight._facts import (
    Columns,
    Shape,
    in_sentence,
    is_missing,
    is_temporal,
    normalised,
    numbers,
    period_label,
    period_sort_key,
    value_label,
)

if TYPE_CHECKING:
    import pandas as pd

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MIME_TYPE = "application/vnd.vegalite.v5+json"
WIDTH = 480
HEIGHT = 280
#: Rows inlined into one spec; more makes notebooks heavy without adding legibility.
MAX_ROWS = 5000
#: Bars (or bar groups) drawn; the rest are dropped, smallest first.
MAX_BARS = 40
#: Lines drawn in one series chart; the rest are dropped, smallest total first.
MAX_LINES = 10
#: More colours than this in a grouped bar become a heatmap.
MAX_GROUP_COLORS = 6
#: More categories than this, or longer labels, turn bars horizontal.
MAX_VERTICAL_BARS = 8
LONG_LABEL = 12
BAR_STEP = 20

_TIME_UNITS = {
    "year": "year",
    "quarter": "yearquarter",
    "month": "yearmonth",
    "week": "yearmonthdate",
    "day": "yearmonthdate",
}
#: The field that tells complete periods from partial ones in a line chart's data.
COVERAGE = "period_coverage"
_FORMATS = {"money": "$,.2f", "count": ",.0f", "percent": ".2~f", "number": ",.2~f"}


def chart_spec(
    df: pd.DataFrame,
    shape: Shape,
    *,
    partial: Sequence[str] = (),
    table: Columns | None = None,
) -> dict[str, Any] | None:
    """A line, bar, grouped bar or heatmap spec; ``None`` when a KPI or the table says more.

    ``partial`` names periods the data covers only in part (``Facts.partial_periods``);
    a line chart says so under its title, so a half period is not read as a drop.

    ``None`` for: no rows, no measure present, or a single row (the caller shows
    a KPI card); measures with neither time nor a dimension (no axis to draw
    against); and more dimensions than the chart can show (three without time,
    two with it), which would overplot groups.

    ``table`` is ``Columns(normalised(df))`` when the caller has it already.
    """
    if table is None:
        table = Columns(normalised(df))
    columns = table.names
    time_col = shape.time if shape.time in columns else None
    measures = [m for m in shape.measures if m in columns and m != time_col]
    dims = [d for d in shape.dimensions if d in columns and d != time_col and d not in measures]
    # A dimension the chart cannot show would overplot its groups and mislead.
    if len(table) <= 1 or not measures or len(dims) > (1 if time_col else 2):
        return None
    measure = measures[0]
    if time_col is not None:
        return _line(table, shape, time_col, measure, dims[0] if dims else None, partial=partial)
    if len(dims) == 1:
        return _bar(table, shape, dims[0], measure)
    if len(dims) == 2:
        return _two_dimensions(table, shape, dims[0], dims[1], measure)
    return None


# --- JSON-safe data ------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """One cell as JSON: NaN/NaT -> None, numpy -> Python, dates -> ISO strings."""
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None
    if is_missing(value):
        return None
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _time_value(value: Any) -> Any:
    """Naive local ISO date-times: date-only strings parse as UTC and shift a day west of it."""
    import pandas as pd

    if isinstance(value, (date, pd.Timestamp)) and value is not pd.NaT:
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S")
    return json_value(value)


def _records(table: Columns, temporal: str | None = None) -> list[dict[str, Any]]:
    columns = table.names
    data = {
        name: [
            (_time_value if name == temporal else json_value)(v)
            for v in table.values(name)[:MAX_ROWS]
        ]
        for name in columns
    }
    return [{name: data[name][i] for name in columns} for i in range(min(len(table), MAX_ROWS))]


# --- encodings -----------------------------------------------------------------------


def _field(name: str) -> str:
    """Escape characters Vega-Lite reads as nested access in a field name."""
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _title(shape: Shape, column: str) -> str:
    label = shape.label_of(column)
    return (
        f"{label} (%)" if column in shape.measures and shape.unit_of(column) == "percent" else label
    )


def _quantitative(shape: Shape, column: str, **extra: Any) -> dict[str, Any]:
    return {
        "field": _field(column),
        "type": "quantitative",
        "title": _title(shape, column),
        **extra,
    }


#: How an axis shows a measure's ticks: $60,000 for money, 1,234 for counts.
_AXIS_FORMATS = {"money": "$,.0f", "count": ",.0f"}


def _value_axis(shape: Shape, column: str) -> dict[str, Any]:
    """The measure's position encoding, with ticks formatted by its unit."""
    encoding = _quantitative(shape, column)
    axis_format = _AXIS_FORMATS.get(shape.unit_of(column))
    if axis_format:
        encoding["axis"] = {"format": axis_format}
    return encoding


def _nominal(shape: Shape, column: str, **extra: Any) -> dict[str, Any]:
    return {"field": _field(column), "type": "nominal", "title": _title(shape, column), **extra}


def _tooltips(
    table: Columns, shape: Shape, temporal: dict[str, Any] | None
) -> list[dict[str, Any]]:
    import pandas as pd

    tips: list[dict[str, Any]] = []
    for column in table.names:
        if temporal is not None and temporal["field"] == _field(column):
            tips.append({k: v for k, v in temporal.items() if k != "sort"})
        elif column in shape.measures or (
            column not in shape.dimensions
            and column != shape.time
            and pd.api.types.is_numeric_dtype(table.series(column).dtype)
            and not pd.api.types.is_bool_dtype(table.series(column).dtype)
        ):
            tips.append(
                _quantitative(shape, column, format=_FORMATS.get(shape.unit_of(column), ",.2~f"))
            )
        else:
            tips.append(_nominal(shape, column))
    return tips


def _spec(
    table: Columns,
    title: str,
    mark: dict[str, Any],
    encoding: dict[str, Any],
    *,
    height: int = HEIGHT,
    temporal: str | None = None,
    subtitle: str | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": subtitle} if subtitle else title,
        "width": WIDTH,
        "height": height,
        "data": {"values": _records(table, temporal)},
        "mark": mark,
        "encoding": encoding,
    }
    if len(table) > MAX_ROWS:
        spec["description"] = f"First {MAX_ROWS} of {len(table)} rows."
    return spec


def _labels(table: Columns, column: str) -> list[str]:
    return [value_label(v) for v in table.values(column)]


def _keep_largest(table: Columns, by: str, measure: str, limit: int) -> tuple[Columns, int]:
    """Rows of the ``limit`` groups with the largest totals (ties by label); and the group count."""
    labels = _labels(table, by)
    values = numbers(table.series(measure))
    totals: dict[str, float] = {}
    for label, v in zip(labels, values, strict=True):
        totals[label] = totals.get(label, 0.0) + (0.0 if math.isnan(v) else v)
    if len(totals) <= limit:
        return table, len(totals)
    kept = set(sorted(totals, key=lambda k: (-totals[k], k))[:limit])
    mask = [label in kept for label in labels]
    return Columns(table.df.loc[mask]), len(totals)


# --- chart kinds ---------------------------------------------------------------------


def _line(
    table: Columns,
    shape: Shape,
    time_col: str,
    measure: str,
    dim: str | None,
    *,
    partial: Sequence[str] = (),
) -> dict[str, Any]:
    import pandas as pd

    periods = [pd.Timestamp(v) if isinstance(v, date) else v for v in table.values(time_col)]
    # A stable sort: rows of one period keep the query's order.
    order = sorted(range(len(table)), key=lambda i: period_sort_key(periods[i]))
    data = table if order == sorted(order) else Columns(table.df.iloc[order])
    subtitle = None
    if dim is not None:
        data, groups = _keep_largest(data, dim, measure, MAX_LINES)
        if groups > MAX_LINES:
            subtitle = (
                f"The {MAX_LINES} largest of {groups} {in_sentence(shape.label_of(dim))} values"
            )
    is_time = is_temporal(table.series(time_col))
    if is_time:
        x: dict[str, Any] = {"field": _field(time_col), "type": "temporal"}
        unit = _TIME_UNITS.get(shape.grain or "")
        if unit:
            x["timeUnit"] = unit
    else:
        x = {"field": _field(time_col), "type": "ordinal", "sort": "ascending"}
    x["title"] = shape.label_of(time_col)
    encoding: dict[str, Any] = {"x": x, "y": _value_axis(shape, measure)}
    if dim is not None:
        encoding["color"] = _nominal(shape, dim)
    encoding["tooltip"] = _tooltips(data, shape, x)
    by = shape.grain or in_sentence(shape.label_of(time_col))
    title = f"{shape.label_of(measure)} by {by}"
    if dim is not None:
        title += f" and {in_sentence(shape.label_of(dim))}"
    partial_rows = [period_label(v, shape.grain) in set(partial) for v in data.values(time_col)]
    if any(partial_rows):
        verb = "is" if len(partial) == 1 else "are"
        names = ", ".join(partial[:-1]) + " and " + partial[-1] if len(partial) > 1 else partial[0]
        note = f"{names} {verb} only partly covered by the data (dashed)"
        subtitle = f"{subtitle}; {note}" if subtitle else note
    mark = {"type": "line", "point": len(data) <= 60}
    spec = _spec(
        data, title, mark, encoding, temporal=time_col if is_time else None, subtitle=subtitle
    )
    if any(partial_rows):
        spec["data"]["values"] = _dash_partial(spec["data"]["values"], partial_rows, dim)
        encoding["strokeDash"] = {
            "field": COVERAGE,
            "type": "nominal",
            "scale": {"domain": ["complete", "partial"], "range": [[1, 0], [5, 4]]},
            "legend": None,
        }
    return spec


def _dash_partial(
    records: list[dict[str, Any]], partial_rows: Sequence[bool], dim: str | None
) -> list[dict[str, Any]]:
    """Mark each record complete or partial; a partial period is drawn as a dashed segment.

    A line joins only points of one kind, so the complete neighbour of a partial
    period is repeated as a partial point: the dashed segment then starts where the
    solid line ends. Records are in period order.
    """
    kinds = ["partial" if p else "complete" for p in partial_rows[: len(records)]]
    marked = [{**r, COVERAGE: kind} for r, kind in zip(records, kinds, strict=True)]
    bridges: list[dict[str, Any]] = []
    groups: dict[Any, list[int]] = {}
    for i, record in enumerate(records):
        groups.setdefault(record.get(_field(dim)) if dim else None, []).append(i)
    for rows in groups.values():
        for before, after in pairwise(rows):
            if kinds[before] != kinds[after]:
                solid = before if kinds[before] == "complete" else after
                bridges.append({**records[solid], COVERAGE: "partial"})
    return marked + bridges


def _is_horizontal(labels: Sequence[str]) -> bool:
    distinct = set(labels)
    return len(distinct) > MAX_VERTICAL_BARS or any(len(lab) > LONG_LABEL for lab in distinct)


def _bar(table: Columns, shape: Shape, dim: str, measure: str) -> dict[str, Any]:
    data, groups = _keep_largest(table, dim, measure, MAX_BARS)
    subtitle = (
        f"The {MAX_BARS} largest of {groups} {in_sentence(shape.label_of(dim))} values"
        if groups > MAX_BARS
        else None
    )
    category = _nominal(shape, dim)
    value = _value_axis(shape, measure)
    height = HEIGHT
    horizontal = _is_horizontal(_labels(data, dim))
    # Funnel steps keep their own order (null: as the data comes); the rest sort by value.
    category["sort"] = None if shape.stages else ("-x" if horizontal else "-y")
    if horizontal:
        encoding: dict[str, Any] = {"y": category, "x": value}
        height = max(HEIGHT, BAR_STEP * min(groups, MAX_BARS))
    else:
        encoding = {"x": category, "y": value}
    encoding["tooltip"] = _tooltips(data, shape, None)
    title = f"{shape.label_of(measure)} by {in_sentence(shape.label_of(dim))}"
    return _spec(data, title, {"type": "bar"}, encoding, height=height, subtitle=subtitle)


def _two_dimensions(
    table: Columns, shape: Shape, first: str, second: str, measure: str
) -> dict[str, Any]:
    counts = {d: len(set(_labels(table, d))) for d in (first, second)}
    # Colour by the dimension with fewer values; group along the other.
    color, along = (second, first) if counts[second] <= counts[first] else (first, second)
    title = f"{shape.label_of(measure)} by {in_sentence(shape.label_of(first))} and "
    title += in_sentence(shape.label_of(second))
    encoding: dict[str, Any]
    if counts[color] > MAX_GROUP_COLORS:
        encoding = {
            "x": _nominal(shape, first),
            "y": _nominal(shape, second),
            "color": _quantitative(shape, measure),
            "tooltip": _tooltips(table, shape, None),
        }
        return _spec(table, title, {"type": "rect"}, encoding)
    data, groups = _keep_largest(table, along, measure, MAX_BARS)
    subtitle = (
        f"The {MAX_BARS} largest of {groups} {in_sentence(shape.label_of(along))} values"
        if groups > MAX_BARS
        else None
    )
    sort = {"field": _field(measure), "op": "sum", "order": "descending"}
    category = _nominal(shape, along, sort=sort)
    value = _value_axis(shape, measure)
    height = HEIGHT
    if _is_horizontal(_labels(data, along)):
        encoding = {
            "y": category,
            "x": value,
            "yOffset": {"field": _field(color), "type": "nominal"},
        }
        height = max(HEIGHT, BAR_STEP * min(groups, MAX_BARS) * max(1, counts[color] // 2))
    else:
        encoding = {
            "x": category,
            "y": value,
            "xOffset": {"field": _field(color), "type": "nominal"},
        }
    encoding["color"] = _nominal(shape, color)
    encoding["tooltip"] = _tooltips(data, shape, None)
    return _spec(data, title, {"type": "bar"}, encoding, height=height, subtitle=subtitle)
