"""Errors shown cleanly: a bug is a clear ``InternalError``, never a raw traceback, in
``explain`` as in ``ask`` and on the command line for every command; a driver's terminal
codes do not reach the detail."""

from __future__ import annotations

import pytest

from lgda_nb import Engine
from lgda_nb.cli import EXIT_INTERNAL_ERROR, main
from lgda_nb.errors import InternalError
from lgda_nb.planner import OfflinePlanner


def _broken_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    """A planner with a bug in it (the test cannot ship a real one)."""

    def plan(self: OfflinePlanner, question: str) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(OfflinePlanner, "plan", plan)


def test_explain_turns_a_bug_into_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_planner(monkeypatch)
    with Engine() as engine, pytest.raises(InternalError) as caught:
        engine.explain("revenue by category")
    assert caught.value.stage == "plan"
    assert "ZeroDivisionError" in (caught.value.detail or "")


def test_the_command_line_shows_a_bug_as_one_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_planner(monkeypatch)
    assert main(["ask", "--explain", "revenue by category"]) == EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "An unexpected error stopped the plan stage" in err
    assert "--debug" in err  # the hint says how to see more
    assert "Traceback" not in err


def test_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_planner(monkeypatch)
    assert main(["--debug", "ask", "--explain", "revenue by category"]) == EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "ZeroDivisionError: division by zero" in err


def test_a_measure_above_the_overall_average_with_its_column_asked_again() -> None:
    """ "... above the overall 2025 AOV? Show their AOV." once raised an IndexError: the
    comparison with the average had no value of its own yet when the columns to show
    beside it were picked."""
    with Engine() as engine:
        asked, sql = engine.explain(
            "Which countries had a 2025 AOV above the overall 2025 AOV? Show their AOV."
        )
        _, plain = engine.explain("Which countries had a 2025 AOV above the overall 2025 AOV?")
    assert sql == plain
    assert asked.conditions[0].against == "average"


def test_a_syntax_error_s_detail_has_no_terminal_codes() -> None:
    """sqlglot underlines the token it stopped at with ANSI codes, which a card would show
    as noise."""
    from lgda_nb.errors import SQLSyntaxError

    with Engine() as engine, pytest.raises(SQLSyntaxError) as caught:
        engine.check_sql("SELEC 1")
    detail = caught.value.detail or ""
    assert "SELEC 1" in detail
    assert "\x1b" not in detail
