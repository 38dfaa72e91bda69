"""HTML and text renderings of results, errors, settings and stats.

Plain functions of plain data, so the magics, the CLI and ``Result._repr_html_``
share one look and tests can check the markup without a browser. Every HTML that
leaves this module (and the panel and dashboards) goes through ``no_math``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.engine import Result
    from lgda_nb.errors import LGDAError
    from lgda_nb.planner import Plan

_CARD = (
    "border:1px solid {color};border-left:4px solid {color};border-radius:4px;"
    "padding:6px 10px;margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);"
    "font-size:13px"
)


#: MathJax 3 (JupyterLab 4, Notebook 7, Voila) typesets the text between two ``$`` of
#: HTML output unless an ancestor has ``mathjax_ignore``; MathJax 2 (Notebook 6,
#: nbviewer) reads ``tex2jax_ignore``. Both read the page's text, where ``&#36;`` is a
#: ``$`` again, so the class is what stops them; the entity keeps raw ``$`` out of the
#: markup for anything that scans it as text.
_NO_MATH_OPEN = "<div class='lgda-html mathjax_ignore tex2jax_ignore'>"


def no_math(markup: str) -> str:
    """``markup`` that no typesetter reads as maths, so "$5 to $9" stays as written.

    Idempotent; ``''`` stays ``''`` (an empty widget stays empty).
    """
    if not markup:
        return markup
    markup = markup.replace("$", "&#36;")
    return markup if markup.startswith(_NO_MATH_OPEN) else f"{_NO_MATH_OPEN}{markup}</div>"


def column_units(result: Result) -> dict[str, str]:
    """The unit of each measure column (money, count, percent, number), as the insight
    and chart read them: from the answer's facts, else from the column names and types."""
    facts = result.facts
    if facts is not None:
        return {str(m.column): str(m.unit) for m in facts.measures}
    from lgda_nb.insight import infer_shape

    shape = infer_shape(_unit_sample(result.df))
    return {column: shape.unit_of(column) for column in shape.measures}


#: Rows ``column_units`` reads: names and dtypes decide a unit, not the row count.
_UNIT_SAMPLE_ROWS = 64


def _unit_sample(df: pd.DataFrame) -> pd.DataFrame:
    """The first rows of ``df`` plus each object column's first value: the shape guess
    reads dtypes and an object column's first value (a date, a Decimal), so it sees
    on these what it sees on the whole frame, at a cost that does not grow with it."""
    if len(df) <= _UNIT_SAMPLE_ROWS:
        return df
    positions = set(range(_UNIT_SAMPLE_ROWS))
    for index, dtype in enumerate(df.dtypes):
        if dtype.kind == "O":
            present = df.iloc[:, index].notna().to_numpy()
            if present.any():
                positions.add(int(present.argmax()))
    return df.iloc[sorted(positions)]


def readable(
    df: pd.DataFrame, units: dict[str, str], *, rows: Sequence[int] | None = None
) -> pd.DataFrame:
    """A copy of ``df`` with each measure as text for reading: $30,604.98, 12.3%, 1,234.

    Only for showing; the answer's own DataFrame keeps its numbers. ``rows``: only
    these positions are formatted (the ones a truncated table shows); the others
    keep their raw values.
    """
    import numbers
    from decimal import Decimal

    import pandas as pd

    from lgda_nb.insight import format_value

    def cell(value: Any, unit: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
            return "n/a" if value is None or value is pd.NA else value
        return format_value(float(value), unit)

    shown = df.copy()
    for index, column in enumerate(df.columns):
        unit = units.get(str(column))
        if unit is None:
            continue
        values = df.iloc[:, index]
        if rows is None:
            shown.isetitem(index, [cell(v, unit) for v in values])
            continue
        cells = values.to_numpy(dtype=object)
        for position in rows:
            cells[position] = cell(cells[position], unit)
        shown.isetitem(index, cells)
    return shown


def _shown_rows(length: int) -> list[int] | None:
    """The row positions pandas' HTML table shows (head and tail, with room to spare),
    or None when it shows them all."""
    import pandas as pd

    max_rows = pd.get_option("display.max_rows")
    if not max_rows or length <= max_rows:
        return None
    min_rows = pd.get_option("display.min_rows") or max_rows
    keep = min(min_rows, max_rows) + 1
    if 2 * keep >= length:
        return None
    return [*range(keep), *range(length - keep, length)]


def table_html(df: pd.DataFrame, units: dict[str, str], *, index: bool = True) -> str:
    """``df`` as pandas draws it (honouring ``pd.options.display``), numbers for reading."""
    shown = cast(Any, readable(df, units, rows=_shown_rows(len(df)) if index else None))
    markup = shown._repr_html_() if index else None
    return no_math(markup or shown.to_html(index=index, border=0))


def table_text(df: pd.DataFrame, units: dict[str, str], max_rows: int | None = None) -> str:
    """The same table for a terminal or a ``text/plain`` fallback."""
    return str(readable(df, units).to_string(max_rows=max_rows))


def show_readable(result: Result) -> pd.DataFrame:
    """``result.df``, drawn in a notebook with its numbers formatted for reading.

    Only this object's HTML changes (an attribute of the instance: copies, pickles and
    every other frame draw as usual), so ``_`` and ``--to VAR`` keep the raw values.
    The units are worked out when the table is drawn, not when the cell runs: a
    ``--to VAR`` cell that shows nothing pays nothing for them.
    """
    df = result.df

    def draw() -> str | None:
        units = column_units(result)
        return table_html(df, units) if units else cast(Any, type(df))._repr_html_(df)

    cast(Any, df)._repr_html_ = draw
    return df


def _meta_parts(result: Result) -> list[str]:
    rows = result.row_count
    parts = [
        f"{rows:,} row{'s' if rows != 1 else ''}",
        f"{result.elapsed:.3f} s",
        result.backend,
    ]
    if result.cached:
        parts.append("cached")
    if result.bytes_estimate is not None:
        parts.append(f"{result.bytes_estimate / 1024**2:,.1f} MiB processed (estimate)")
    masked = [f.column for f in result.pii if f.action == "mask"]
    if masked:
        parts.append("personal data masked: " + ", ".join(str(c) for c in masked))
    return parts


def provider_lines(plan: Plan) -> list[str]:
    """Who planned, and what each provider in the chain did (tokens, cost, skips)."""
    calls = getattr(plan, "calls", ())
    if not calls or [c.provider for c in calls] == ["offline"]:
        return []
    return [f"planner: {plan.source}", *(f"  {call.describe()}" for call in calls)]


def _plan_html(result: Result) -> str:
    if result.plan is None:
        return ""
    plan = result.plan
    lines = [f"plan: {plan.describe()}"]
    if plan.sql is None:
        lines.append(f"confidence: {plan.confidence:.2f}")
        lines.extend(plan.notes)
    lines.extend(provider_lines(plan))
    return (
        "<div style='margin-top:4px;opacity:.7'>plan</div>"
        f"<pre style='white-space:pre-wrap;margin:2px 0'>{html.escape(chr(10).join(lines))}</pre>"
    )


def _interpretation(interpretation: str) -> str:
    if not interpretation:
        return ""
    return (
        "<div class='lgda-interpretation' style='font-size:13px;margin:2px 0'>"
        f"<b>Understood:</b> {html.escape(interpretation)}</div>"
    )


def interpretation_html(interpretation: str) -> str:
    """The interpretation line shown first with every answer ('' when there is none)."""
    return no_math(_interpretation(interpretation))


def _insight(summary: str) -> str:
    if not summary:
        return ""
    return f"<p class='lgda-insight' style='margin:4px 0'>{html.escape(summary)}</p>"


def insight_html(summary: str) -> str:
    """The insight paragraph ('' when there is none)."""
    return no_math(_insight(summary))


def result_html(result: Result, *, with_table: bool) -> str:
    """Insight, row count, elapsed time, plan and SQL (collapsible), optionally the table."""
    meta = " · ".join(html.escape(part) for part in _meta_parts(result))
    note = ""
    if result.truncated:
        note = (
            f" <span style='color:#b45309'>showing the first {result.row_limit:,} rows "
            "(row limit)</span>"
        )
    sql = html.escape(result.executed_sql)
    canonical = ""
    if result.sql and result.sql != result.executed_sql:
        canonical = (
            "<div style='margin-top:4px;opacity:.7'>canonical BigQuery SQL</div>"
            f"<pre style='white-space:pre-wrap;margin:2px 0'>{html.escape(result.sql)}</pre>"
        )
    table = table_html(result.df, column_units(result)) if with_table else ""
    insight = _insight(result.summary) if result.question is not None else ""
    insight = _interpretation(result.interpretation) + _kpis(result) + insight
    follow = ""
    if result.follow_ups:
        items = "".join(f"<li>{html.escape(q)}</li>" for q in result.follow_ups)
        follow = (
            f"<div style='font-size:12px;opacity:.85'>You could also ask:<ul>{items}</ul></div>"
        )
    summary = "plan and SQL" if result.plan is not None else "SQL that ran"
    retried = "".join(
        f"<div>attempt {html.escape(str(a.get('attempt')))} failed: "
        f"{html.escape(str(a.get('error')))}</div>"
        for a in result.attempts
    )
    return no_math(
        f"<div class='lgda-result' data-correlation-id='{html.escape(result.correlation_id)}'>"
        f"{insight}{table}"
        f"<div class='lgda-meta' style='font-size:12px;opacity:.85'><b>{meta}</b>{note}</div>"
        f"<details class='lgda-sql' style='font-size:12px'><summary>{summary}</summary>"
        f"{_plan_html(result)}"
        f"<pre style='white-space:pre-wrap;margin:2px 0'>{sql}</pre>{canonical}{retried}</details>"
        f"{follow}</div>"
    )


def _kpis(result: Result) -> str:
    """One card per measure for a one-row answer (the chart for a single value)."""
    facts = result.facts
    if facts is None or getattr(facts, "kind", None) != "single":
        return ""
    from lgda_nb.insight import kpi_html

    cards = [kpi_html(m.value, m.label, m.unit) for m in facts.measures]
    return "<div class='lgda-kpis' style='display:flex;gap:8px'>" + "".join(cards) + "</div>"


def result_text(result: Result, *, with_table: bool) -> str:
    """The same information for a terminal."""
    lines = []
    if result.interpretation:
        lines.append(f"Understood: {result.interpretation}")
    if result.question is not None and result.summary:
        lines.append(result.summary)
    if with_table:
        lines.append(result.df.to_string(max_rows=40))
    meta = " · ".join(_meta_parts(result))
    if result.truncated:
        meta += f" (showing the first {result.row_limit:,} rows: row limit)"
    lines.append(meta)
    if result.plan is not None:
        lines.append(f"Plan: {result.plan.describe()}")
        lines.extend(provider_lines(result.plan))
    lines.append(f"SQL that ran: {result.executed_sql}")
    lines.extend(f"You could also ask: {q}" for q in result.follow_ups)
    return "\n".join(lines)


class ResultMeta:
    """What ``%%lgda`` shows above the returned DataFrame: size, time, SQL."""

    def __init__(self, result: Result) -> None:
        self.result = result

    def _repr_html_(self) -> str:
        return result_html(self.result, with_table=False)

    def __repr__(self) -> str:
        return result_text(self.result, with_table=False)

    def bundle(self, *, html: bool) -> dict[str, str]:
        """What IPython's formatters make of this object (its text, and its HTML when
        ``html``), made directly: asking each of a kernel's formatters in turn costs a
        cell about 0.2 ms."""
        if not html:
            return {"text/plain": repr(self)}
        return {"text/plain": repr(self), "text/html": self._repr_html_()}


class ExplainView:
    """``%%lgda --explain``: the plan (for a question) and the checked SQL, nothing run."""

    def __init__(self, plan: Plan | None, sql: str, note: str = "") -> None:
        self.plan = plan
        self.sql = sql
        self.note = note

    def _lines(self) -> list[str]:
        lines = [self.note] if self.note else []
        if self.plan is not None:
            lines.append(f"Understood: {self.plan.interpretation or self.plan.describe()}")
            if self.plan.sql is None:
                lines.append(f"Confidence: {self.plan.confidence:.2f}")
                lines.extend(self.plan.notes)
            lines.extend(provider_lines(self.plan))
        return lines

    def _repr_html_(self) -> str:
        plan = "".join(f"<div>{html.escape(line)}</div>" for line in self._lines())
        return no_math(
            f"<div class='lgda-explain' style='font-size:13px'>{plan}"
            "<div style='margin-top:4px'>SQL (checked, not run):</div>"
            f"<pre style='white-space:pre-wrap'>{html.escape(self.sql)}</pre></div>"
        )

    def __repr__(self) -> str:
        return "\n".join([*self._lines(), "SQL (checked, not run):", self.sql])


def progress_line(progress: dict[str, Any]) -> dict[str, str]:
    """A one-line MIME bundle for a running warehouse job."""
    processed = progress.get("bytes_processed")
    size = f" · {processed / 1024**2:,.1f} MiB processed" if processed else ""
    text = (
        f"BigQuery job {progress.get('job_id', '')} {progress.get('state', '').lower()} · "
        f"{progress.get('elapsed', 0.0):.1f} s{size}"
    )
    return {
        "text/plain": text,
        "text/html": no_math(
            "<div class='lgda-progress' style='font-size:12px;opacity:.8'>"
            f"{html.escape(text)}</div>"
        ),
    }


class Bundle:
    """A ready MIME bundle, for ``display`` and ``Output.append_display_data``.

    Its HTML, if any, goes through ``no_math``.
    """

    def __init__(self, bundle: dict[str, Any]) -> None:
        if "text/html" in bundle:
            bundle = {**bundle, "text/html": no_math(bundle["text/html"])}
        self.bundle = bundle

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.bundle


def chart_bundle(spec: dict[str, Any]) -> dict[str, Any]:
    """A MIME bundle JupyterLab, Notebook 7 and VS Code render natively as Vega-Lite."""
    title = spec.get("title", "chart")
    return {
        "application/vnd.vegalite.v5+json": spec,
        "text/plain": f"<Vega-Lite chart: {title}>",
    }


def error_html(error: LGDAError) -> str:
    """A compact card: title, message, hint and a collapsible detail block."""
    details = [f"code: {error.code}"]
    if error.stage:
        details.append(f"stage: {error.stage}")
    if error.correlation_id:
        details.append(f"correlation id: {error.correlation_id}")
    for attempt in error.attempts:
        details.append(f"attempt {attempt.get('attempt')}: {attempt.get('error')}")
    if error.detail:
        details.append(error.detail)
    return no_math(
        f"<div class='lgda-error' style='{_CARD.format(color='#dc2626')}'>"
        f"<b>{html.escape(type(error).__name__)}</b>: {html.escape(error.message)}"
        f"<div style='margin-top:2px'><i>Hint:</i> {html.escape(error.hint)}</div>"
        "<details><summary>details</summary>"
        f"<pre style='white-space:pre-wrap'>{html.escape(chr(10).join(details))}</pre>"
        "</details></div>"
    )


class Table:
    """A small table of rows that renders as HTML or aligned text."""

    def __init__(self, columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str = ""):
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]
        self.title = title

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td style='text-align:left'>{html.escape(str(v))}</td>" for v in row)
            + "</tr>"
            for row in self.rows
        )
        title = f"<div><b>{html.escape(self.title)}</b></div>" if self.title else ""
        return no_math(
            f"{title}<table class='lgda-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        cells = [self.columns, *[[str(v) for v in row] for row in self.rows]]
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(self.columns))]
        lines = [
            "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        if self.title:
            lines.insert(0, self.title)
        return "\n".join(lines)
