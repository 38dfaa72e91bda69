"""HTML and text renderings of results, errors, settings and stats.

Plain functions of plain data, so the magics, the CLI and ``Result._repr_html_``
share one look and tests can check the markup without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from lgda_nb.engine import Result
    from lgda_nb.errors import LGDAError

_CARD = (
    "border:1px solid {color};border-left:4px solid {color};border-radius:4px;"
    "padding:6px 10px;margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);"
    "font-size:13px"
)


def _meta_parts(result: Result) -> list[str]:
    rows = result.row_count
    parts = [
        f"{rows:,} row{'s' if rows != 1 else ''}",
        f"{result.elapsed:.3f} s",
        result.backend,
    ]
    if result.cached:
        parts.append("cached")
    return parts


def result_html(result: Result, *, with_table: bool) -> str:
    """Row count, elapsed time, the SQL that ran (collapsible) and optionally the table."""
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
    # pandas renders its own HTML table, honouring pd.options.display.
    table = cast(Any, result.df)._repr_html_() if with_table else ""
    return (
        f"<div class='lgda-result' data-correlation-id='{html.escape(result.correlation_id)}'>"
        f"{table or ''}"
        f"<div class='lgda-meta' style='font-size:12px;opacity:.85'><b>{meta}</b>{note}</div>"
        "<details class='lgda-sql' style='font-size:12px'><summary>SQL that ran</summary>"
        f"<pre style='white-space:pre-wrap;margin:2px 0'>{sql}</pre>{canonical}</details>"
        "</div>"
    )


def result_text(result: Result, *, with_table: bool) -> str:
    """The same information for a terminal."""
    lines = []
    if with_table:
        lines.append(result.df.to_string(max_rows=40))
    meta = " · ".join(_meta_parts(result))
    if result.truncated:
        meta += f" (showing the first {result.row_limit:,} rows: row limit)"
    lines.append(meta)
    lines.append(f"SQL that ran: {result.executed_sql}")
    return "\n".join(lines)


class ResultMeta:
    """What ``%%lgda`` shows above the returned DataFrame: size, time, SQL."""

    def __init__(self, result: Result) -> None:
        self.result = result

    def _repr_html_(self) -> str:
        return result_html(self.result, with_table=False)

    def __repr__(self) -> str:
        return result_text(self.result, with_table=False)


def error_html(error: LGDAError) -> str:
    """A compact card: title, message, hint and a collapsible detail block."""
    details = [f"code: {error.code}"]
    if error.stage:
        details.append(f"stage: {error.stage}")
    if error.correlation_id:
        details.append(f"correlation id: {error.correlation_id}")
    if error.detail:
        details.append(error.detail)
    return (
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
        return (
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
