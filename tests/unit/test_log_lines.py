"""One log line per call: ``done`` with every stage's duration, ``failed`` where one fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lgda_nb.errors import UnknownTableError


def _lines(tmp_path: Path) -> list[dict[str, object]]:
    text = (tmp_path / "lgda.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_a_call_writes_one_line_with_every_stage(engine: object, tmp_path: Path) -> None:
    result = engine.run_sql("SELECT 1 AS one", use_cache=False)  # type: ignore[attr-defined]
    lines = [line for line in _lines(tmp_path) if line.get("correlation_id")]
    assert [line["event"] for line in lines] == ["done"]
    stages = lines[0]["stages"]
    assert isinstance(stages, dict)
    assert set(stages) == set(result.timings)
    assert {"validate_sql", "execute_sql"} <= set(stages)
    assert all(isinstance(ms, float) and ms >= 0 for ms in stages.values())
    assert lines[0]["correlation_id"] == result.correlation_id


def test_a_failed_call_logs_the_stage_that_failed(engine: object, tmp_path: Path) -> None:
    with pytest.raises(UnknownTableError) as info:
        engine.run_sql("SELECT * FROM nope", use_cache=False)  # type: ignore[attr-defined]
    lines = [line for line in _lines(tmp_path) if line.get("correlation_id")]
    assert [line["event"] for line in lines] == ["failed"]
    assert lines[0]["stage"] == info.value.stage
    assert lines[0]["correlation_id"] == info.value.correlation_id
    assert info.value.stage in lines[0]["stages"]  # type: ignore[operator]
