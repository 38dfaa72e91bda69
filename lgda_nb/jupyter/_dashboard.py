"""``lgda_nb.dashboard(questions)``: a few questions as a live grid of tiles.

Each question is a tile: a KPI number for a single value, a chart when the
answer has one, a small table otherwise, with the question as title and the SQL
in the tooltip. Tiles render independently, so one failing question shows its
error card and the others still answer. Refresh re-asks (cached answers make it
cheap); a dashboard saves to and loads from a small JSON file.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lgda_nb.engine import Engine, Result


class Dashboard:
    """Tiles for ``questions``; ``dashboard.widget`` is what a notebook displays."""

    def __init__(
        self,
        questions: Sequence[str],
        *,
        columns: int = 2,
        refresh: float | None = None,
        title: str = "",
        engine: Engine | None = None,
    ) -> None:
        import ipywidgets as w

        from lgda_nb.errors import UsageError

        if not questions:
            raise UsageError(
                "A dashboard needs at least one question.",
                hint="lgda_nb.dashboard(['revenue by month', 'orders by status'])",
            )
        if columns < 1:
            raise UsageError(f"columns must be at least 1, not {columns}.")
        if refresh is not None and refresh < 1:
            raise UsageError(
                f"refresh is in seconds and must be at least 1, not {refresh}.",
                hint="Leave it out to refresh only with the button.",
            )
        self.questions = list(questions)
        self.columns = columns
        self.refresh_seconds = refresh
        self.title = title
        self._engine = engine
        self.results: dict[str, Result | Exception] = {}
        self.tiles = [w.Output(layout=w.Layout(border="1px solid #e5e7eb", padding="6px"))
                      for _ in self.questions]  # fmt: skip
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        grid = w.GridBox(
            self.tiles,
            layout=w.Layout(
                grid_template_columns=f"repeat({columns}, minmax(0, 1fr))", grid_gap="8px"
            ),
        )
        from lgda_nb.jupyter._display import no_math

        header = w.HTML(
            no_math(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>" if title else "")
        )
        self.widget = w.VBox([w.HBox([header, self.refresh_button]), grid])
        self.widget.add_class("lgda-dashboard")  # stable names for styling and browser tests
        self.refresh_button.add_class("lgda-refresh")
        for tile in self.tiles:
            tile.add_class("lgda-tile")
        self._stop = threading.Event()
        self.refresh()
        if refresh is not None:
            threading.Thread(target=self._every, args=(refresh,), daemon=True).start()

    @property
    def engine(self) -> Engine:
        if self._engine is not None:
            return self._engine
        from lgda_nb.jupyter._magics import kernel_engine

        return kernel_engine()

    def refresh(self) -> None:
        """Re-ask every question; each tile shows its answer or its own error."""
        from lgda_nb.jupyter._display import Bundle

        for question, tile in zip(self.questions, self.tiles, strict=True):
            try:
                result: Result | Exception = self.engine.ask(question)
            except Exception as exc:  # one failing tile never breaks the others
                result = exc
            self.results[question] = result
            tile.outputs = ()  # model state, not a clear_output message: safe from any thread
            for bundle in _Tile(question, result, columns=self.columns).bundles():
                tile.append_display_data(Bundle(bundle))

    def _every(self, seconds: float) -> None:
        while not self._stop.wait(seconds):
            self.refresh()

    def stop(self) -> None:
        """Stop the automatic refresh."""
        self._stop.set()

    def save(self, path: str | Path) -> Path:
        """Write the dashboard's definition (not its data) as JSON."""
        target = Path(path)
        spec = {
            "title": self.title,
            "questions": self.questions,
            "columns": self.columns,
            "refresh": self.refresh_seconds,
        }
        target.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        return target

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        lines = [self.title or "Dashboard"]
        lines += [
            f"- {_tile_text(q, self.results[q])}" for q in self.questions if q in self.results
        ]
        bundle["text/plain"] = "\n".join(lines)  # each tile's answer, not the widget tree
        return bundle


class _Tile:
    """One tile's rendering: KPI, chart or table by the answer's shape; or an error card."""

    def __init__(self, question: str, result: Result | Exception, *, columns: int = 2) -> None:
        self.question = question
        self.result = result
        self.columns = columns

    def bundles(self) -> list[dict[str, Any]]:
        """The tile's outputs: one HTML block, or for a chart a title block and the chart.

        A chart is its own output because a front-end shows one MIME type per
        output, and ranks HTML above Vega-Lite. The SQL tooltip sits on the title:
        ipywidgets 8's front-end fails to draw an ``Output`` that has a tooltip.
        Every HTML block goes through ``no_math``, so "$" is never typeset.
        """
        from lgda_nb.jupyter._display import no_math

        return [
            {**b, "text/html": no_math(b["text/html"])} if "text/html" in b else b
            for b in self._bundles()
        ]

    def _bundles(self) -> list[dict[str, Any]]:
        from lgda_nb.errors import LGDAError
        from lgda_nb.jupyter._display import chart_bundle, column_units, error_html, table_html

        title = f"<div style='font-weight:600;margin-bottom:4px'>{html.escape(self.question)}</div>"
        text = _tile_text(self.question, self.result)
        result = self.result
        if not isinstance(result, Exception) and result.interpretation:
            from lgda_nb.jupyter._display import interpretation_html

            title += interpretation_html(result.interpretation)
        if isinstance(result, Exception):
            card = error_html(result) if isinstance(result, LGDAError) else html.escape(str(result))
            return [{"text/html": title + card, "text/plain": text}]
        tooltip = html.escape(result.sql, quote=True)
        facts = result.facts
        if facts is not None and getattr(facts, "kind", None) == "single" and facts.measures:
            from lgda_nb.insight import kpi_html

            body = "".join(kpi_html(m.value, m.label, m.unit) for m in facts.measures)
        elif result.chart:
            head = {"text/html": f"<div title='{tooltip}'>{title}</div>", "text/plain": text}
            return [head, chart_bundle(_fit(result.chart, self.columns))]
        else:
            body = table_html(result.df.head(10), column_units(result), index=False)
        return [{"text/html": f"<div title='{tooltip}'>{title}{body}</div>", "text/plain": text}]


#: Chart width per tile so that ``columns`` tiles fit a notebook's usual ~900 px.
_CHART_WIDTH = {1: 640, 2: 320}
_TILE_HEIGHT = 240


def _fit(spec: dict[str, Any], columns: int) -> dict[str, Any]:
    """The chart resized for a tile (the answer's own spec is left as it was)."""
    width = _CHART_WIDTH.get(columns, 200)
    height = min(int(spec.get("height", _TILE_HEIGHT)), _TILE_HEIGHT)
    return {**spec, "width": width, "height": height}


def _tile_text(question: str, result: Result | Exception) -> str:
    if isinstance(result, Exception):
        return f"{question}: {result}"
    understood = f" (understood: {result.interpretation})" if result.interpretation else ""
    return f"{question}{understood}: {result.summary}"


def dashboard(
    questions: Sequence[str],
    columns: int = 2,
    refresh: float | None = None,
    *,
    title: str = "",
    engine: Engine | None = None,
) -> Dashboard:
    """A live dashboard of ``questions`` (``refresh`` seconds between automatic updates)."""
    return Dashboard(questions, columns=columns, refresh=refresh, title=title, engine=engine)


def load_dashboard(path: str | Path, *, engine: Engine | None = None) -> Dashboard:
    """A dashboard from a file written by ``Dashboard.save``."""
    from lgda_nb.errors import UsageError

    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"Cannot read a dashboard from {str(path)!r}: {exc}",
            hint="Pass a JSON file written by dashboard.save(path).",
        ) from None
    return Dashboard(
        spec.get("questions", []),
        columns=int(spec.get("columns", 2)),
        refresh=spec.get("refresh"),
        title=str(spec.get("title", "")),
        engine=engine,
    )
