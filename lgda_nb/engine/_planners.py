"""Planner wiring: which semantic model, which planner, what LLM planners are given.

The offline planner reads questions against the model and an index of the data's
values; an LLM planner chain gets the system text (allowed tables, the model, the
as-of date, the row cap), the worked examples, masked sample rows when
``llm.send_data = sample_rows``, and the engine's retry, breakers and response cache.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from lgda_nb._config import UnifiedConfig
    from lgda_nb.engine._engine import Engine
    from lgda_nb.llm import ExampleStore
    from lgda_nb.planner import OfflinePlanner, Plan, Planner, SemanticModel

__all__ = [
    "add_example",
    "choose_model",
    "example_store",
    "llm_planner",
    "model_tables",
    "offline_planner",
    "sample_rows",
    "system_text",
    "teach",
]

logger = structlog.get_logger("lgda_nb.engine")


def choose_model(engine: Engine) -> SemanticModel:
    """The configured model file, the built-in thelook model when the data has its
    tables, or one inferred from the schema of the allowed tables."""
    from lgda_nb.planner import BUILTIN_MODEL, infer_model, load_model

    path = engine.config.planner.model_file
    if path is not None:
        return _model_file(path.expanduser())
    tables = model_tables(engine)
    return load_model(BUILTIN_MODEL) if tables is None else infer_model(tables)


def _model_file(path: Path) -> SemanticModel:
    """A model file, read again once it was edited (``load_model`` remembers by path)."""
    from lgda_nb.planner import load_model

    try:
        stat = path.stat()
    except OSError:
        return load_model(path)  # its own error: the file does not exist
    return _edited_model(path, (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _edited_model(path: Path, signature: tuple[int, int]) -> SemanticModel:
    from lgda_nb.planner import load_model

    return load_model.__wrapped__(path)


def model_tables(engine: Engine) -> dict[str, dict[str, str]] | None:
    """The tables a generated model covers: the allowed ones, or only the connected ones
    when the rest is the thelook sample (whose model is built in). None when the
    built-in model answers."""
    from lgda_nb.planner import BUILTIN_MODEL, load_model

    builtin = load_model(BUILTIN_MODEL)
    tables = {name.lower(): columns for name, columns in engine.known_tables().items()}
    allowed = {name.lower() for name in engine.allowed_tables}
    connected = {name.lower() for name in (s["table"] for s in engine.connected())}
    usable = {name: cols for name, cols in tables.items() if name in allowed}
    if builtin.tables() <= set(usable):
        if not connected:
            return None
        return {name: cols for name, cols in usable.items() if name in connected}
    return usable


def offline_planner(engine: Engine) -> OfflinePlanner:
    """The offline planner, with an index of the data's low-cardinality values."""
    from lgda_nb.engine._values import same_rows, value_index
    from lgda_nb.planner import OfflinePlanner

    index = value_index(engine)
    return OfflinePlanner(
        engine.model,
        index,
        min_confidence=engine.config.planner.min_confidence,
        same_rows=same_rows(engine, index),
    )


def llm_planner(engine: Engine, chain: list[str]) -> Planner:
    """The chain of LLM providers named in ``chain``, falling back in that order."""
    from lgda_nb.llm import LLMPlanner

    sample = (lambda: sample_rows(engine)) if engine.config.llm.send_data == "sample_rows" else None
    return LLMPlanner(
        chain,
        engine.config.llm,
        system=lambda: system_text(engine),
        tables=lambda: list(engine.known_tables()),
        examples=engine.examples,
        offline=lambda: engine.offline_planner,
        retry=engine.retry_strategy("llm"),
        breaker=engine._llm_breaker,
        cache=engine.llm_cache,
        sample_rows=sample,
    )


def system_text(engine: Engine) -> str:
    """The system prompt: the allowed tables and their columns, the model, the as-of
    date and the row cap; read when a prompt is written, so it follows the data."""
    from lgda_nb.llm._prompt import system_prompt

    allowed = {name.lower() for name in engine.allowed_tables}
    tables = {
        name: columns for name, columns in engine.known_tables().items() if name.lower() in allowed
    }
    return system_prompt(
        tables,
        engine.model,
        as_of=engine.config.planner.as_of,
        max_rows=engine.config.security.max_rows,
    )


def sample_rows(engine: Engine) -> dict[str, str]:
    """A few rows of each allowed table as CSV, personal data masked (``sample_rows``)."""
    from lgda_nb.engine._execute import protect

    rows: dict[str, str] = {}
    for name in sorted(engine.allowed_tables):
        try:
            df = engine.backend.execute(_sample_sql(name, engine.backend.dialect))
        except Exception as exc:  # a sample is a hint; the prompt works without it
            logger.warning("sample_rows_failed", table=name, error=str(exc))
            continue
        masked, _ = protect(engine, df, (name,), read_masked=False)
        rows[name] = masked.to_csv(index=False)
    return rows


def _sample_sql(table: str, dialect: str) -> str:
    """Three rows of one table, for ``llm.send_data = sample_rows``."""
    from sqlglot import exp

    return exp.select("*").from_(exp.table_(table, quoted=True)).limit(3).sql(dialect=dialect)


def example_store(config: UnifiedConfig) -> ExampleStore:
    """Worked examples for LLM prompts: the built-in ones and the user's file."""
    from lgda_nb.llm import ExampleStore, examples_path

    return ExampleStore(examples_path(config.llm.examples_file))


def add_example(engine: Engine, question: str, sql: str) -> None:
    """Store ``sql`` (checked as ``run_sql`` would, kept in canonical form) as the answer
    to ``question``; a refused statement raises and nothing is stored."""
    from lgda_nb.errors import UsageError

    if not question.strip():
        raise UsageError("An example needs a question.", hint="add_example(question, sql)")
    engine.examples.add(question, engine.check_sql(sql))


#: The longest phrase ``teach`` takes: a name for something, not a sentence.
MAX_PHRASE_CHARS = 80


def teach(engine: Engine, phrase: str, meaning: str) -> Plan:
    """Learn ``phrase`` as ``meaning`` once the meaning reads on its own; the plan of
    the meaning, or ``PlanningError``/``UsageError`` with nothing learned."""
    import re
    from dataclasses import replace

    from lgda_nb.engine._values import value_index
    from lgda_nb.errors import PlanningError, UsageError
    from lgda_nb.planner import OfflinePlanner
    from lgda_nb.planner._text import normalize

    example = 'engine.teach("big spenders", "customers who spent over $1000")'
    said = normalize(phrase) if isinstance(phrase, str) else ""
    means = normalize(meaning) if isinstance(meaning, str) else ""
    if not said or not means:
        raise UsageError("Teaching needs a phrase and what it means.", hint=example)
    if len(phrase) > MAX_PHRASE_CHARS:
        raise UsageError(
            f"The phrase is {len(phrase)} characters long; a taught phrase is at most "
            f"{MAX_PHRASE_CHARS}.",
            hint="Teach a short name for something, e.g. " + example,
        )
    if re.search(rf"\b{re.escape(said)}\b", means):
        raise UsageError(
            f"The meaning of '{phrase}' uses '{phrase}' itself.",
            hint="Say what it means in other words, e.g. " + example,
        )
    with engine._lock:
        model = engine._load_model()
        taught = replace(model, phrases={**model.phrases, said: means})
        reader = OfflinePlanner(
            taught, value_index(engine), min_confidence=engine.config.planner.min_confidence
        )
        try:
            plan = reader.plan(meaning)
        except PlanningError as exc:
            raise PlanningError(
                f"I could not learn '{phrase}': what it means does not read on its own. "
                f"{exc.message}",
                hint=exc.hint or "Write the meaning as a question the toolkit answers.",
            ) from None
        engine._taught[said] = means
        engine._model = taught
        engine._offline_planner = reader
        engine._planner = None
        engine.plan_cache.clear()
    logger.info("taught", phrase=said, means=means)
    return engine.interpreted(plan)
