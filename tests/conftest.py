"""Shared fixtures: an isolated config per test and one small sample per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import lgda_nb._config as config_module

#: The SDKs' own settings; tests never reach a real provider by accident. The smoke
#: test in tests/integration/test_llm_smoke.py reads the keys before they are cleared.
PROVIDER_VARIABLES = frozenset(
    "OPENAI_API_KEY OPENAI_BASE_URL GOOGLE_API_KEY GEMINI_API_KEY GOOGLE_GEMINI_BASE_URL "
    "ANTHROPIC_API_KEY ANTHROPIC_BASE_URL".split()
)
REAL_PROVIDER_KEYS = {name: os.environ[name] for name in PROVIDER_VARIABLES if name in os.environ}

#: Small enough to build in well under a second, large enough for every domain value.
TEST_SCALE = 0.02


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide directory holding the test sample, built once on first use."""
    return tmp_path_factory.mktemp("sample")


@pytest.fixture(autouse=True)
def isolated_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample_dir: Path
) -> Iterator[None]:
    """No LGDA_ variable, .env or lgda.toml from the developer's machine leaks into a test."""
    for name in list(os.environ):
        if name.startswith("LGDA_") or name in PROVIDER_VARIABLES:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LGDA_DUCKDB__SAMPLE_DIR", str(sample_dir))
    monkeypatch.setenv("LGDA_DUCKDB__SAMPLE_SCALE", str(TEST_SCALE))
    monkeypatch.setenv("LGDA_OBSERVABILITY__LOG_FILE", str(tmp_path / "lgda.jsonl"))
    monkeypatch.setenv("LGDA_SECURITY__AUDIT_FILE", str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("LGDA_LLM__EXAMPLES_FILE", str(tmp_path / "examples.jsonl"))
    config_module.reset()
    yield
    from lgda_nb.jupyter import _magics

    _magics.close_kernel_engine()
    config_module.reset()


@pytest.fixture
def kernel_interrupts() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as a Jupyter kernel has it, even when the test run
    was started with SIGINT ignored (a background job of a shell without job control),
    where a Stop button's SIGINT, or ``_thread.interrupt_main``, would do nothing."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def engine() -> Iterator[object]:
    """An engine over the session's sample."""
    from lgda_nb import Engine

    with Engine() as eng:
        yield eng


@pytest.fixture
def sample_path(engine: object) -> Path:
    """The sample database file (built if needed)."""
    backend = engine.backend  # type: ignore[attr-defined]
    backend.tables()
    path: Path = backend.path
    return path
