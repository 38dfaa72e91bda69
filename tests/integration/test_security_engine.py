"""The policy in the running engine: attacks never execute, PII is masked, all is audited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lgda_nb import Engine
from lgda_nb._config import set_config
from lgda_nb.errors import LGDAError, SecurityError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "security"


def _statements(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    chunks = re.split(r"^-- ----\s*$", text, flags=re.MULTILINE)
    return [c.strip() for c in chunks if "-- id:" in c]


def test_no_attack_reaches_the_backend(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attack in the corpus fails through Engine.run_sql, and the backend runs none."""
    executed: list[str] = []
    backend = engine.backend
    real_execute = backend.execute
    monkeypatch.setattr(
        backend, "execute", lambda sql, call=None: executed.append(sql) or real_execute(sql, call)
    )
    for sql in _statements("deny.sql"):
        with pytest.raises(LGDAError):
            engine.run_sql(sql)
    assert executed == []


def test_benign_corpus_runs(engine: Engine) -> None:
    """Nearly all analyst queries pass the policy and run on the sample."""
    failures = []
    statements = _statements("allow.sql")
    for sql in statements:
        try:
            engine.run_sql(sql)
        except LGDAError as exc:
            failures.append(f"{sql[:60]!r}: {exc.message}")
    refused = [f for f in failures if "Refused by" in f]
    assert len(refused) <= len(statements) // 100, refused
    assert len(failures) <= 3, failures


def test_personal_data_is_masked_by_default(engine: Engine) -> None:
    """thelook's emails and names come back masked where they are read, as pseudonyms that
    keep the column, the shape and which values are equal."""
    result = engine.run_sql("SELECT id, email, first_name, country FROM users ORDER BY id LIMIT 20")
    assert list(result.df.columns) == ["id", "email", "first_name", "country"]
    assert len(result.df) == 20
    assert all(re.fullmatch(r"masked:[0-9a-f]{12}", value) for value in result.df["email"])
    assert all(re.fullmatch(r"masked:[0-9a-f]{12}", value) for value in result.df["first_name"])
    assert {f.column for f in result.pii} >= {"email", "first_name"}
    assert "masked:" not in "".join(result.df["country"])


def test_pii_policy_allow_and_deny() -> None:
    """allow returns the raw value; deny refuses the query before it runs."""
    set_config(**{"security.pii_policy": '{"users.email": "allow"}'})
    with Engine() as engine:
        raw = engine.run_sql("SELECT email FROM users ORDER BY id LIMIT 3")
        assert all("***" not in e for e in raw.df["email"])
    set_config(**{"security.pii_policy": '{"users.email": "deny"}'})
    with Engine() as engine, pytest.raises(SecurityError) as info:
        engine.run_sql("SELECT email FROM users LIMIT 3")
    assert info.value.rule == "privacy"
    assert info.value.stage == "validate_sql"


def test_every_call_is_audited(engine: Engine, tmp_path: Path) -> None:
    """ok, refused and failed calls each append an end record with outcome and rule
    (after their start record)."""
    engine.run_sql("SELECT COUNT(*) AS n FROM orders")
    with pytest.raises(SecurityError):
        engine.run_sql("DROP TABLE orders")
    engine.ask("orders by status")
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    records = [r for r in map(json.loads, lines) if r["event"] == "end"]
    assert [r["outcome"] for r in records] == ["ok", "security", "ok"]
    ok, refused, asked = records
    assert ok["rows"] == 1
    assert ok["tables"] == ["orders"]
    assert ok["sql_hash"]
    assert ok["bytes"] > 0
    assert refused["rule"] == "read-only"
    assert refused["rows"] is None
    assert asked["kind"] == "ask"
    assert asked["question"] == "orders by status"
    assert all(r["user"] and r["duration_ms"] >= 0 for r in records)


def test_audit_magic_shows_latest_records(tmp_path: Path) -> None:
    """%lgda_audit lists the latest records."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output

    ip = get_ipython() or start_ipython()
    ip.run_line_magic("load_ext", "lgda_nb")
    ip.run_cell("%%lgda --sql\nSELECT COUNT(*) AS n FROM orders")
    with capture_output() as captured:
        ip.run_line_magic("lgda_audit", "5")
    text = captured.outputs[0].data["text/plain"]
    assert "SELECT COUNT(*) AS n FROM orders" in text
    outcome = ip.run_cell("%lgda_audit many")
    assert not outcome.success


def test_secrets_never_reach_logs_audit_or_outputs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A planted API key appears in no log line, audit record, error or config display."""
    secret = "sk-planted-secret-7f3a9c"
    monkeypatch.setenv("LGDA_LLM__API_KEY", secret)
    from lgda_nb._config import describe_config, reset

    reset()
    with Engine() as engine:
        engine.run_sql("SELECT COUNT(*) AS n FROM users")
        engine.ask("revenue by month in 2025")
        for bad in ("DROP TABLE users", "SELECT statuss FROM orders", "revenue from Atlantis"):
            with pytest.raises(LGDAError) as info:
                (engine.ask if " from " in bad and "SELECT" not in bad else engine.run_sql)(bad)
            assert secret not in str(info.value.to_dict())
    # The key also goes to a model and through a failing call, and is in no plan or error.
    from lgda_nb.testing import LLMTestServer, Reply

    sql = "SELECT COUNT(*) AS n FROM orders"
    with LLMTestServer("openai", [Reply.error(401), Reply.json({"sql": sql})]) as server:
        monkeypatch.setenv("LGDA_LLM__PROVIDER", "openai")
        monkeypatch.setenv("LGDA_LLM__BASE_URL", server.base_url)
        reset()
        question = "how many orders sit in the ledger"  # beyond the reader: goes to the model
        with Engine() as engine:
            with pytest.raises(LGDAError) as refused:  # the 401, then the reader's refusal
                engine.ask(question)
            answered = engine.ask(question)
        assert answered.provider == "openai/gpt-4.1-mini"
        assert secret not in str(refused.value.to_dict())
        assert secret not in str(answered.plan.to_dict())
        assert all(secret not in str(r.headers) for r in server.requests)  # recorded redacted
    shown = str(describe_config()) + capsys.readouterr().out
    for path in (tmp_path / "lgda.jsonl", tmp_path / "audit.jsonl"):
        assert path.exists()
        assert secret not in path.read_text()
    assert secret not in shown
