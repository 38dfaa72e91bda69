"""Configured secrets never leave the toolkit, whoever wrote the text.

The loopback LLM server answers 401 and 500 with bodies that echo the API key, as
some real servers do; the SDKs quote the body, the providers quote the SDK. The key
must reach no error message, hint, detail, rendered card, traceback, ``plan.calls``
entry, audit record or log line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lgda_nb import Engine
from lgda_nb._config import reset
from lgda_nb.errors import LGDAError, ProviderError
from lgda_nb.testing import LLMTestServer, Reply

pytest.importorskip("openai")
pytest.importorskip("anthropic")
pytest.importorskip("google.genai")

KEY = "sk-live-Echoed-7Hq2Zp9w"
QUESTION = "which five nations have the heaviest ordering activity?"  # beyond the reader
SQL = "SELECT COUNT(*) AS n FROM orders"
LGDA = str(Path(sys.executable).with_name("lgda"))


def echo(status: int) -> Reply:
    """An error reply whose body quotes the key the request carried."""
    return Reply.error(status, message=f"Incorrect API key provided: {KEY}. Key {KEY} revoked.")


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the config at a server; fast retries, as a user would set in the environment."""

    def configure(server: LLMTestServer, **extra: str) -> None:
        settings = {
            "LGDA_LLM__PROVIDER": server.api,
            "LGDA_LLM__MODEL": "test-model",
            "LGDA_LLM__API_KEY": KEY,
            "LGDA_LLM__BASE_URL": server.base_url,
            "LGDA_RETRY__INITIAL_BACKOFF_SECONDS": "0.01",
            "LGDA_RETRY__MAX_BACKOFF_SECONDS": "0.02",
            "LGDA_RETRY__JITTER_SECONDS": "0",
            **extra,
        }
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        reset()

    return configure


def _everything_shown(error: LGDAError) -> str:
    """Every way an error reaches a person: text, card, dict, compact and debug tracebacks."""
    compact = "".join(error._render_traceback_())
    error.show_traceback = True
    debug = "".join(error._render_traceback_())  # the SDK's own exception is the cause
    error.show_traceback = False
    return "\n".join(
        [str(error), repr(error), error.as_text(), error._repr_html_(), str(error.to_dict()),
         str(error.attempts), compact, debug]
    )  # fmt: skip


def _files(tmp_path: Path) -> str:
    return "".join(
        (tmp_path / name).read_text(encoding="utf-8") for name in ("audit.jsonl", "lgda.jsonl")
    )


@pytest.mark.parametrize("api", ["openai", "anthropic", "gemini"])
@pytest.mark.parametrize("status", [401, 500])
def test_an_echoed_key_reaches_no_error_audit_or_log(
    api: str, status: int, llm_env: Any, tmp_path: Path
) -> None:
    """A 401 or 500 body echoing the key, with no fallback: the ProviderError and every
    rendering of it, the audit file and the log file are free of the key."""
    with LLMTestServer(api, default=echo(status)) as server:
        llm_env(server, LGDA_LLM__FALLBACK="")
        with Engine() as engine, pytest.raises(ProviderError) as info:
            engine.ask(QUESTION)
    shown = _everything_shown(info.value)
    assert f"HTTP {status}" in shown or str(status) in shown  # the reason survives
    assert "***" in shown
    assert KEY not in shown
    assert KEY not in _files(tmp_path)
    assert server.requests  # the key did go to the server, where it belongs


def test_an_echoed_key_reaches_no_planning_refusal(llm_env: Any, tmp_path: Path) -> None:
    """With the offline planner last, the refusal's detail lists the failed model call
    without the key."""
    with LLMTestServer("openai", default=echo(401)) as server:
        llm_env(server)
        with Engine() as engine, pytest.raises(LGDAError) as info:
            engine.ask(QUESTION)
    shown = _everything_shown(info.value)
    assert "openai/test-model: failed" in shown
    assert KEY not in shown
    assert KEY not in _files(tmp_path)


def test_an_echoed_key_reaches_no_plan_calls_entry(
    monkeypatch: pytest.MonkeyPatch, llm_env: Any, tmp_path: Path
) -> None:
    """The first provider fails with the key in its reply, the next one answers: the
    answer's plan.calls records the failure, scrubbed. (Each SDK finds its own server
    through its own base-URL variable.)"""
    answer = Reply.json({"sql": SQL, "tables": ["orders"], "rationale": "count"})
    with (
        LLMTestServer("openai", default=echo(401)) as failing,
        LLMTestServer("anthropic", default=answer) as answering,
    ):
        llm_env(failing, LGDA_LLM__FALLBACK="anthropic,offline")
        monkeypatch.delenv("LGDA_LLM__BASE_URL")
        monkeypatch.delenv("LGDA_LLM__MODEL")
        monkeypatch.setenv("OPENAI_BASE_URL", failing.base_url)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", answering.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)  # llm.api_key is the main provider's
        reset()
        with Engine() as engine:
            result = engine.ask(QUESTION)
    failed, answered = result.plan.calls
    assert (failed.outcome, answered.outcome) == ("failed", "answered")
    assert "***" in failed.reason
    assert KEY not in str(result.plan.to_dict())
    assert KEY not in str(result.plan.calls) + result._repr_html_() + repr(result)
    assert KEY not in _files(tmp_path)


def test_a_key_from_the_sdk_variable_is_scrubbed_too(
    monkeypatch: pytest.MonkeyPatch, llm_env: Any, tmp_path: Path
) -> None:
    """A key given as OPENAI_API_KEY (llm.api_key unset) is scrubbed like a configured one."""
    with LLMTestServer("openai", default=echo(401)) as server:
        llm_env(server, LGDA_LLM__FALLBACK="")
        monkeypatch.delenv("LGDA_LLM__API_KEY")
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        reset()
        with Engine() as engine, pytest.raises(ProviderError) as info:
            engine.ask(QUESTION)
    assert KEY not in _everything_shown(info.value)
    assert KEY not in _files(tmp_path)


def test_a_key_set_after_the_config_was_built_is_scrubbed(
    monkeypatch: pytest.MonkeyPatch, llm_env: Any, tmp_path: Path
) -> None:
    """OPENAI_API_KEY set in the kernel after the engine exists is scrubbed as well."""
    with LLMTestServer("openai", default=echo(500)) as server:
        llm_env(server, LGDA_LLM__FALLBACK="")
        monkeypatch.delenv("LGDA_LLM__API_KEY")
        reset()
        with Engine() as engine:
            monkeypatch.setenv("OPENAI_API_KEY", KEY)
            with pytest.raises(ProviderError) as info:
                engine.ask(QUESTION)
    assert KEY not in _everything_shown(info.value)
    assert KEY not in _files(tmp_path)


def test_the_error_card_in_a_notebook_carries_no_key(llm_env: Any, tmp_path: Path) -> None:
    """%%lgda renders the failure as a card and a compact error: neither has the key."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output

    ip = get_ipython() or start_ipython()
    ip.display_formatter.active_types = list(ip.display_formatter.format_types)
    ip.run_line_magic("load_ext", "lgda_nb")
    with LLMTestServer("openai", default=echo(500)) as server:
        llm_env(server, LGDA_LLM__FALLBACK="")
        with capture_output() as captured:
            outcome = ip.run_cell(f"%%lgda\n{QUESTION}")
    assert not outcome.success
    shown = "".join(str(o.data) for o in captured.outputs) + captured.stdout + captured.stderr
    shown += "".join(outcome.error_in_exec._render_traceback_())
    assert "ProviderError" in shown
    assert KEY not in shown
    assert KEY not in _files(tmp_path)


def test_the_cli_prints_no_key(llm_env: Any, tmp_path: Path) -> None:
    """`lgda ask` against a server echoing the key: neither its output nor its JSON has it."""
    with LLMTestServer("openai", default=echo(401)) as server:
        llm_env(server, LGDA_LLM__FALLBACK="")
        plain = subprocess.run(
            [LGDA, "ask", QUESTION], capture_output=True, text=True, check=False,
            env=os.environ.copy(), timeout=120,
        )  # fmt: skip
        debug = subprocess.run(
            [LGDA, "--debug", "ask", QUESTION], capture_output=True, text=True, check=False,
            env=os.environ.copy(), timeout=120,
        )  # fmt: skip
    assert plain.returncode != 0
    assert "ProviderError" in plain.stdout + plain.stderr
    assert KEY not in plain.stdout + plain.stderr
    assert KEY not in debug.stdout + debug.stderr
    assert KEY not in _files(tmp_path)


def test_short_values_are_not_treated_as_secrets() -> None:
    """A key shorter than six characters is not scrubbed: replacing every 'x' protects
    nothing and ruins the text."""
    from lgda_nb._secrets import remember, scrub

    remember(["x", "abc"])
    assert scrub("x marks abc") == "x marks abc"


#: How servers echo part of a key: masked in the middle, its first characters, a piece.
PARTIAL_ECHOES = {
    "masked": f"Incorrect API key provided: {KEY[:7]}***********{KEY[-4:]}.",
    "dots": f"Key {KEY[:7]}...{KEY[-4:]} is not valid.",
    "first 12": f"Key starting {KEY[:12]} was revoked.",
    "a piece": f"Unknown credential fragment '{KEY[6:17]}'.",
    "last characters": f"Key ending in …{KEY[-4:]} expired.",
}


def _pieces_of_key(text: str) -> list[str]:
    """Any 4 or more leading or trailing characters of the key next to a mask, or 8 or more
    consecutive characters of it, found in ``text``."""
    found = [KEY[i : i + 8] for i in range(len(KEY) - 7) if KEY[i : i + 8] in text]
    found += [KEY[-4:] for mask in ("*", ".", "…") if f"{mask}{KEY[-4:]}" in text]
    found += [KEY[:7] for mask in ("*", ".") if f"{KEY[:7]}{mask}" in text]
    return found


@pytest.mark.parametrize("body", PARTIAL_ECHOES.values(), ids=PARTIAL_ECHOES.keys())
def test_a_partly_echoed_key_reaches_no_error_audit_log_or_plan(
    body: str, llm_env: Any, tmp_path: Path
) -> None:
    """A server that echoes a prefix, a suffix or a truncated piece of the key: no part of
    it reaches the error, its renderings, the audit or the log file."""
    assert _pieces_of_key(body)  # the reply does carry part of the key
    with LLMTestServer("openai", default=Reply.error(401, message=body)) as server:
        llm_env(server, LGDA_LLM__FALLBACK="")
        with Engine() as engine, pytest.raises(ProviderError) as info:
            engine.ask(QUESTION)
    shown = _everything_shown(info.value)
    assert "401" in shown
    assert not _pieces_of_key(shown)
    assert not _pieces_of_key(_files(tmp_path))
