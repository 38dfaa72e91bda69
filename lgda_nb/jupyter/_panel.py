"""``lgda_nb.panel()``: a point-and-click way into the same engine (ipywidgets).

A question box (Enter or Run runs it; leaving the box does not), Run and Cancel,
a question/SQL switch, a status line with the stage and elapsed time, the
interpretation and insight, result tabs (Answer, Chart, SQL, Details), the
kernel's history and a few settings. Work runs on a background thread so the
notebook stays responsive; Cancel interrupts the running query. Errors show as
the same compact card as in the magic.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lgda_nb.backends import BACKENDS

if TYPE_CHECKING:
    from lgda_nb.engine import Engine, Result

TABS = ("Answer", "Chart", "SQL", "Details")
#: Rows shown per page of the Answer tab.
PAGE_ROWS = 50
#: The hint after Cancel: the magic's says to run the cell again.
CANCELLED_HINT = "Press Run or Enter to run it again."


class Panel:
    """The widget panel; ``panel.widget`` is what a notebook displays."""

    def __init__(self, engine: Engine | None = None) -> None:
        import ipywidgets as w

        from lgda_nb.jupyter._magics import kernel_engine

        self._engine = engine
        self._kernel_engine = kernel_engine
        self._switched: tuple[Engine, Engine] | None = None  # (base engine, other backend)
        self._running: Engine | None = None
        #: The running call's id, so Cancel stops this panel's call and nothing else.
        self._call_id: str | None = None
        self._engine_lock = threading.Lock()
        self._ui = threading.RLock()  # one thread at a time sends widget updates
        self.result: Result | None = None
        self.error: Exception | None = None
        self.history: list[tuple[str, str, Result]] = []
        self._callbacks: list[Callable[[Result], None]] = []
        self._thread: threading.Thread | None = None
        self._stage = "working"
        self._page = 0
        self._shown: Result | None = None

        self.mode = w.ToggleButtons(options=["question", "SQL"], value="question")
        # The value follows every keystroke, so it is current when Enter's "submit"
        # message arrives (the browser sends that before its change event).
        self.text = w.Text(
            placeholder="Ask a question, e.g. top 5 categories by revenue last quarter",
            continuous_update=True,
            layout=w.Layout(width="100%"),
        )
        self.run_button = w.Button(description="Run", button_style="primary", icon="play")
        self.cancel_button = w.Button(description="Cancel", icon="stop", disabled=True)
        self.status = w.HTML(value="")
        #: What the last answer computed, in one sentence, and its insight, above the tabs.
        self.interpretation = w.HTML(value="")
        self.insight = w.HTML(value="")
        self.outputs = {name: w.Output() for name in TABS}
        self.previous_page = w.Button(description="Previous", icon="chevron-left")
        self.next_page = w.Button(description="Next", icon="chevron-right")
        self.pager = w.HBox([self.previous_page, self.next_page])
        self.pager.layout.display = "none"  # shown only when an answer has several pages
        self.edit_button = w.Button(
            description="Edit", icon="pencil", disabled=True, tooltip="Edit this SQL and run it"
        )
        pages = {
            "Answer": w.VBox([self.outputs["Answer"], self.pager]),
            "SQL": w.VBox([self.outputs["SQL"], self.edit_button]),
        }
        self.tabs = w.Tab(children=[pages.get(name, self.outputs[name]) for name in TABS])
        self.tabs.titles = TABS
        self.history_picker = w.Dropdown(options=[], description="History", value=None)
        self.backend = w.Dropdown(
            options=sorted(BACKENDS), value=self._base_backend(), description="Backend"
        )
        self.limit = w.BoundedIntText(value=1000, min=1, max=1_000_000, description="Row limit")
        self.use_cache = w.Checkbox(value=True, description="Use cache")

        self.text.on_msg(self._on_text_message)  # Enter, changed or not; never leaving the box
        self.run_button.on_click(lambda _: self.run())
        self.cancel_button.on_click(lambda _: self.cancel())
        self.history_picker.observe(self._on_history, names="value")
        self.previous_page.on_click(lambda _: self.show_page(self._page - 1))
        self.next_page.on_click(lambda _: self.show_page(self._page + 1))
        self.edit_button.on_click(lambda _: self.edit_sql())
        self.widget = w.VBox(
            [
                w.HBox([self.mode, self.run_button, self.cancel_button]),
                self.text,
                self.status,
                self.interpretation,
                self.insight,
                self.tabs,
                w.HBox([self.history_picker, self.backend, self.limit, self.use_cache]),
            ]
        )
        # Stable CSS classes: for styling and for the browser tests to find things by.
        named = {
            "panel": self.widget,
            "mode": self.mode,
            "question": self.text,
            "run": self.run_button,
            "cancel": self.cancel_button,
            "status": self.status,
            "interpretation": self.interpretation,
            "insight": self.insight,
            "tabs": self.tabs,
            "history": self.history_picker,
            "backend": self.backend,
            "limit": self.limit,
            "cache": self.use_cache,
            "previous-page": self.previous_page,
            "next-page": self.next_page,
            "edit-sql": self.edit_button,
        }
        named |= {f"tab-{name.lower()}": output for name, output in self.outputs.items()}
        for name, widget in named.items():
            widget.add_class(f"lgda-{name}")

    # -- public -------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The engine for the chosen backend.

        That is the one given, or the kernel's (shared with ``%%lgda``), when its
        backend is the one chosen; otherwise an engine built from the same config
        with only ``backend`` changed, kept until the base engine changes.
        """
        base = self._engine if self._engine is not None else self._kernel_engine()
        chosen = self.backend.value
        if base.config.backend == chosen:
            return base
        with self._engine_lock:
            if self._switched is None or self._switched[0] is not base:
                from lgda_nb.engine import Engine

                if self._switched is not None:
                    self._switched[1].close()
                config = base.config.model_copy(update={"backend": chosen})
                self._switched = (base, Engine(config))
            return self._switched[1]

    def on_result(self, callback: Callable[[Result], None]) -> None:
        """Call ``callback(result)`` after every successful run."""
        self._callbacks.append(callback)

    def run(self, text: str | None = None, *, wait: bool = False) -> None:
        """Run the box's text (or ``text``) in the background; ``wait`` blocks (tests)."""
        if text is not None:
            self._fill(text)
        query = self.text.value.strip()
        if self._thread is not None and self._thread.is_alive():
            if wait:
                self._thread.join()
            return
        self._thread = threading.Thread(
            target=self._work, args=(query, self.mode.value), daemon=True
        )
        with self._ui:
            self.run_button.disabled, self.cancel_button.disabled = True, False
        self._thread.start()
        if wait:
            self._thread.join()

    def edit_sql(self) -> None:
        """Put the shown answer's SQL in the box in SQL mode, to change and run it.

        The edited SQL goes through the same checks as any other (``run_sql``).
        """
        shown = self._shown
        if shown is None or not shown.sql:
            return
        self._fill(shown.sql, mode="SQL")  # to change first; Run or Enter runs it

    def _fill(self, text: str, *, mode: str | None = None) -> None:
        """Set the box (and the mode); only Enter and Run start a run."""
        with self._ui:
            if mode is not None:
                self.mode.value = mode
            self.text.value = text

    def show_page(self, page: int) -> None:
        """Show page ``page`` (from 0) of the answer's rows in the Answer tab."""
        shown = self._shown
        if shown is None:
            return
        from lgda_nb.jupyter._display import Bundle, column_units, table_html, table_text

        pages = max(1, -(-shown.row_count // PAGE_ROWS))
        self._page = min(max(page, 0), pages - 1)
        start = self._page * PAGE_ROWS
        rows, units = shown.df.iloc[start : start + PAGE_ROWS], column_units(shown)
        table = {"text/plain": table_text(rows, units), "text/html": table_html(rows, units)}
        with self._ui:
            answer = self.outputs["Answer"]
            answer.outputs = ()
            answer.append_display_data(Bundle(table))
            answer.append_display_data(Bundle(_rows_line(shown, start, PAGE_ROWS)))
            self.pager.layout.display = "flex" if pages > 1 else "none"
            self.previous_page.disabled = self._page == 0
            self.next_page.disabled = self._page >= pages - 1

    def cancel(self) -> None:
        """Interrupt this panel's running call (not other work on the same engine); the
        panel shows the cancellation."""
        running, call_id = self._running, self._call_id
        if running is not None and call_id is not None:
            running.cancel(call_id)

    def close(self) -> None:
        """Close the widgets and any engine the panel built for another backend."""
        with self._engine_lock:
            if self._switched is not None:
                self._switched[1].close()
                self._switched = None
        self.widget.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = self._describe()  # not the widget tree's repr
        return bundle

    def _describe(self) -> str:
        cache = "on" if self.use_cache.value else "off"
        return (
            f"lgda_nb panel: {self.backend.value}, row limit {self.limit.value}, cache {cache}, "
            f"{len(self.history)} answered (display it in JupyterLab, Notebook, VS Code or Voila)"
        )

    # -- work ---------------------------------------------------------------------
    def _base_backend(self) -> str:
        if self._engine is not None:
            return self._engine.config.backend
        from lgda_nb._config import get_config

        return get_config().backend

    def _on_text_message(self, _: Any, content: dict[str, Any], buffers: Any) -> None:
        if content.get("event") == "submit":  # Enter in the box
            self.run()

    def _on_history(self, change: dict[str, Any]) -> None:
        index = change.get("new")
        if isinstance(index, int) and 0 <= index < len(self.history):
            mode, text, result = self.history[index]
            self._fill(text, mode=mode)  # restored, not run; Run re-runs it
            with self._ui:
                self._show(result)

    def _work(self, query: str, mode: str) -> None:
        started = time.monotonic()
        self._stage = "working"
        self._set_status(self._stage, started)
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.5):
                self._set_status(self._stage, started)

        def on_stage(label: str) -> None:
            self._stage = label
            self._set_status(label, started)

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        outcome, result = "failed", None
        try:
            engine = self._running = self.engine
            from lgda_nb._observability import new_correlation_id

            self._call_id = call_id = new_correlation_id()
            limit, use_cache = self.limit.value, self.use_cache.value
            run = engine.run_sql if mode == "SQL" else engine.ask
            result = run(
                query, limit=limit, use_cache=use_cache, on_stage=on_stage, call_id=call_id
            )
        except Exception as exc:  # shown as the error card, never a traceback
            self.error = exc
            with self._ui:
                self._show_error(exc)
        else:
            outcome, self.error, self.result = "done", None, result
            self.history.append((mode, query, result))
            with self._ui:
                self.history_picker.options = [
                    (f"{i + 1}. {mode}: {text[:60]}", i)
                    for i, (mode, text, _) in enumerate(self.history)
                ]
                self._show(result)
        finally:
            self._running = self._call_id = None
            stop.set()
            ticker.join()  # so "running" never lands after the final state
            self._set_status(outcome, started)
            with self._ui:
                self.run_button.disabled, self.cancel_button.disabled = False, True
        if result is not None:
            for callback in self._callbacks:
                callback(result)

    def _set_status(self, state: str, started: float) -> None:
        from lgda_nb.jupyter._display import no_math

        with self._ui:
            self.status.value = no_math(_status(state, time.monotonic() - started))

    def _show(self, result: Result) -> None:
        from lgda_nb.jupyter._display import (
            Bundle,
            ResultMeta,
            chart_bundle,
            insight_html,
            interpretation_html,
        )

        outputs = self.outputs
        for output in outputs.values():
            output.outputs = ()  # model state, not a clear_output message
        self._shown = result
        self.interpretation.value = interpretation_html(result.interpretation)
        self.insight.value = insight_html(result.summary)
        self.show_page(0)
        self.edit_button.disabled = not result.sql
        if result.chart:
            outputs["Chart"].append_display_data(Bundle(chart_bundle(result.chart)))
        else:
            outputs["Chart"].append_display_data(Bundle({"text/plain": "No chart for this shape."}))
        outputs["SQL"].append_display_data(
            Bundle({"text/plain": result.sql, "text/html": f"<pre>{_escape(result.sql)}</pre>"})
        )
        outputs["Details"].append_display_data(ResultMeta(result))
        self.tabs.selected_index = 0

    def _show_error(self, error: Exception) -> None:
        from lgda_nb.errors import LGDAError, QueryCancelledError
        from lgda_nb.jupyter._display import Bundle, error_html

        for output in self.outputs.values():
            output.outputs = ()  # model state, not a clear_output message
        self._shown = None
        self.interpretation.value = self.insight.value = ""
        if isinstance(error, QueryCancelledError):
            error.hint = CANCELLED_HINT  # there is no cell to run again here
        self.pager.layout.display = "none"
        self.edit_button.disabled = True
        if isinstance(error, LGDAError):
            bundle = {"text/html": error_html(error), "text/plain": error.as_text()}
        else:
            bundle = {"text/plain": f"{type(error).__name__}: {error}"}
        self.outputs["Answer"].append_display_data(Bundle(bundle))
        self.tabs.selected_index = 0


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _rows_line(result: Result, start: int = 0, size: int = PAGE_ROWS) -> dict[str, str]:
    text = f"{result.row_count:,} row{'' if result.row_count == 1 else 's'}"
    if result.row_count > size:
        end = min(start + size, result.row_count)
        text = f"rows {start + 1:,}-{end:,} of {result.row_count:,}"
    if result.truncated:
        text += f", cut at the row limit of {result.row_limit:,}"
    if result.cached:
        text += " · from the cache"
    return {
        "text/plain": text,
        "text/html": f"<div class='lgda-rows' style='font-size:12px;opacity:.8'>{text}</div>",
    }


def _status(state: str, elapsed: float) -> str:
    return f"<span style='font-size:12px;opacity:.8'>{state} · {elapsed:.1f} s</span>"


def panel(engine: Engine | None = None) -> Panel:
    """A widget panel over ``engine`` (default: the kernel's engine shared with ``%%lgda``)."""
    return Panel(engine)
