"""Data that is not thelook: the SaaS sample, a model file `lgda model init` wrote for it
and one a user edited, answered through the engine and checked against hand-written SQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.cli import main
from lgda_nb.errors import PlanningError
from lgda_nb.planner import load_model
from lgda_nb.planner._model_file import check_model, init_model
from lgda_nb.sample import SAAS_TABLES, build_saas_sample

FIXTURES = Path(__file__).parents[1] / "fixtures" / "own_data"
ALLOWED = ",".join(SAAS_TABLES)


@pytest.fixture(scope="module")
def saas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SaaS sample at the default scale and seed, as `lgda sample --dataset saas`
    builds it (the committed model files were written from this one)."""
    return build_saas_sample(tmp_path_factory.mktemp("saas") / "saas.duckdb", scale=0.1, seed=42)


def _engine(database: Path, model_file: Path | None = None) -> Engine:
    settings: dict[str, object] = {
        "duckdb.database": str(database),
        "security.allowed_tables": ALLOWED,
    }
    if model_file is not None:
        settings["planner.model_file"] = str(model_file)
    return Engine(load_config(**settings))


@pytest.fixture
def generated(saas: Path, tmp_path: Path) -> Iterator[Engine]:
    """An engine answering from the committed generated model (copied: models are cached
    by path)."""
    path = tmp_path / "generated.toml"
    shutil.copy(FIXTURES / "saas.generated.toml", path)
    with _engine(saas, path) as engine:
        yield engine


@pytest.fixture
def edited(saas: Path, tmp_path: Path) -> Iterator[Engine]:
    """An engine answering from the committed, hand-edited model."""
    path = tmp_path / "edited.toml"
    shutil.copy(FIXTURES / "saas.edited.toml", path)
    with _engine(saas, path) as engine:
        yield engine


def _direct(path: Path, sql: str) -> pd.DataFrame:
    """The answer straight from DuckDB, read from a copy: the engine keeps the file open
    with settings of its own, and DuckDB refuses a second connection set up otherwise."""
    copy = path.with_name(f"direct_{path.name}")
    if not copy.exists():
        shutil.copy(path, copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        frame: pd.DataFrame = con.execute(sql).df()
    return frame


def _same(answer: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same rows in the same order, whatever the column names."""
    assert len(answer) == len(expected) > 0
    left = answer.reset_index(drop=True).copy()
    left.columns = list(expected.columns)
    for column in left.columns:
        if pd.api.types.is_datetime64_any_dtype(expected[column]):
            left[column] = pd.to_datetime(left[column])
            expected[column] = pd.to_datetime(expected[column])
    pd.testing.assert_frame_equal(left, expected, check_dtype=False, check_exact=False)


def test_sample_command_builds_the_saas_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lgda sample --dataset saas --path X` writes the five tables and says how to use them."""
    path = tmp_path / "mine.duckdb"
    assert main(["sample", "--dataset", "saas", "--path", str(path), "--scale", "0.02"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(path)
    assert f"LGDA_DUCKDB__DATABASE={path}" in err
    assert "LGDA_SECURITY__ALLOWED_TABLES" in err
    with duckdb.connect(str(path), read_only=True) as con:
        found = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert found == set(SAAS_TABLES)


def test_init_writes_the_committed_generated_file(saas: Path) -> None:
    """init on the default SaaS sample writes, byte for byte, the committed file; it loads
    into the inferred model and checks clean."""
    with _engine(saas) as engine:
        text, found = init_model(engine)
        assert text == (FIXTURES / "saas.generated.toml").read_text()
        assert load_model(FIXTURES / "saas.generated.toml") == found.model
        assert check_model(FIXTURES / "saas.generated.toml", engine) == []
        assert check_model(FIXTURES / "saas.edited.toml", engine) == []


QUESTIONS = [
    (
        "accounts by country",
        "SELECT country, COUNT(*) AS n FROM accounts GROUP BY 1 ORDER BY 2 DESC, 1",
    ),
    (
        "invoices by month in 2025",
        "SELECT CAST(date_trunc('month', issued_at) AS DATE) AS m, COUNT(*) AS n FROM invoices "
        "WHERE year(issued_at) = 2025 GROUP BY 1 ORDER BY 1",
    ),
    (
        "total amount by plan regardless of status",
        "SELECT p.name, ROUND(SUM(i.amount), 2) AS a FROM invoices i "
        "JOIN subscriptions s ON s.id = i.subscription_id JOIN plans p ON p.id = s.plan_id "
        "GROUP BY 1 ORDER BY SUM(i.amount) DESC, 1",
    ),
    (
        "total mrr by tier regardless of status",
        "SELECT p.tier, ROUND(SUM(s.mrr), 2) AS a FROM subscriptions s "
        "JOIN plans p ON p.id = s.plan_id GROUP BY 1 ORDER BY SUM(s.mrr) DESC, 1",
    ),
    (
        "usage events by event type",
        "SELECT event_type, COUNT(*) AS n FROM usage_events GROUP BY 1 ORDER BY 2 DESC, 1",
    ),
    (
        "average seats by subscription status",
        "SELECT status, ROUND(AVG(seats), 2) AS a FROM subscriptions GROUP BY 1 "
        "ORDER BY AVG(seats) DESC, 1",
    ),
]


@pytest.mark.parametrize(("question", "sql"), QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_generated_model_answers_match_sql(
    generated: Engine, saas: Path, question: str, sql: str
) -> None:
    """Questions in the generated model's own words give what hand-written SQL gives."""
    _same(generated.ask(question).df, _direct(saas, sql))


def test_an_entity_condition_counts_each_account(generated: Engine, saas: Path) -> None:
    """'accounts with more than 1 subscription' counts per account id (names repeat)."""
    answer = generated.ask("accounts with more than 1 subscription").df
    expected = _direct(
        saas, "SELECT account_id FROM subscriptions GROUP BY 1 HAVING COUNT(*) > 1 ORDER BY 1"
    )
    ids = next(c for c in answer.columns if c.endswith("_id"))
    assert sorted(answer[ids]) == list(expected["account_id"])


def test_how_many_counts_the_accounts_that_pass_a_condition(generated: Engine, saas: Path) -> None:
    """'how many accounts have more than one subscription' is one number, not a row per
    account (the word names both the count and the account breakdown)."""
    answer = generated.ask("How many accounts have more than one subscription?").df
    expected = _direct(
        saas, "SELECT account_id FROM subscriptions GROUP BY 1 HAVING COUNT(*) > 1 ORDER BY 1"
    )
    assert answer.shape == (1, 1)
    assert answer.iloc[0, 0] == len(expected)


#: A blind set on this sample (tests/eval/saas_blind.jsonl), written from the schema,
#: the value domains and the dataset's conventions only, and a dev set beside it
#: (saas_dev.jsonl) that may be tuned on. The issue asks 97% precision with the
#: generated model and 70% accuracy with the edited one; the floors are today's
#: figures, so a loss shows.
EVAL = Path(__file__).parents[1] / "eval"


SAAS_SETS = [
    ("saas_blind", 60, "generated", 0.97, 0.25),
    ("saas_blind", 60, "edited", 0.97, 0.8),
    ("saas_dev", 18, "generated", 1.0, 0.35),
    ("saas_dev", 18, "edited", 1.0, 1.0),
]


@pytest.mark.parametrize("case", SAAS_SETS, ids=[f"{c[0]}-{c[2]}" for c in SAAS_SETS])
def test_the_saas_sets(
    saas: Path, tmp_path: Path, case: tuple[str, int, str, float, float]
) -> None:
    from lgda_nb.eval import load_cases, run_eval

    cases, total, model, precision, accuracy = case
    path = tmp_path / f"{model}.toml"
    shutil.copy(FIXTURES / f"saas.{model}.toml", path)
    with _engine(saas, path) as engine:
        report = run_eval(engine, load_cases(EVAL / f"{cases}.jsonl"))
    assert report.total == total
    assert report.precision >= precision, report.to_text()
    assert report.accuracy >= accuracy, report.to_text()


@pytest.mark.parametrize("question", ["MRR by industry", "total amount by plan"])
def test_the_generated_model_asks_which_statuses_count(generated: Engine, question: str) -> None:
    """A money total over rows with a status is not guessed: the refusal says how to ask
    and how to edit the model."""
    with pytest.raises(PlanningError) as caught:
        generated.ask(question)
    assert "does not say which" in caught.value.message
    assert "ask_which" in caught.value.hint


def test_a_settled_status_is_answered_by_the_generated_model(generated: Engine, saas: Path) -> None:
    """'MRR of active subscriptions by industry' names the statuses: answered."""
    expected = _direct(
        saas,
        "SELECT a.industry, ROUND(SUM(s.mrr), 2) AS m FROM subscriptions s "
        "JOIN accounts a ON a.id = s.account_id WHERE s.status = 'active' "
        "GROUP BY 1 ORDER BY SUM(s.mrr) DESC, 1",
    )
    _same(generated.ask("MRR of active subscriptions by industry").df, expected)


def test_the_edit_changes_the_answer(generated: Engine, edited: Engine, saas: Path) -> None:
    """'revenue by plan': the generated model does not know the word; the edited one
    answers with paid invoices only, as the edit says."""
    with pytest.raises(PlanningError):
        generated.ask("revenue by plan")
    result = edited.ask("revenue by plan")
    expected = _direct(
        saas,
        "SELECT p.name, ROUND(SUM(i.amount), 2) AS a FROM invoices i "
        "JOIN subscriptions s ON s.id = i.subscription_id JOIN plans p ON p.id = s.plan_id "
        "WHERE i.status = 'paid' GROUP BY 1 ORDER BY SUM(i.amount) DESC, 1",
    )
    _same(result.df, expected)
    assert "paid invoices only" in result.interpretation


def test_edited_mrr_counts_running_subscriptions(edited: Engine, saas: Path) -> None:
    """'MRR by country' sums MRR of subscriptions not cancelled."""
    expected = _direct(
        saas,
        "SELECT a.country, ROUND(SUM(s.mrr), 2) AS m FROM subscriptions s "
        "JOIN accounts a ON a.id = s.account_id WHERE s.status <> 'cancelled' "
        "GROUP BY 1 ORDER BY SUM(s.mrr) DESC, 1",
    )
    _same(edited.ask("MRR by country").df, expected)


@pytest.mark.parametrize("model", ["inferred", "generated"])
def test_a_funnel_without_a_funnel_is_a_planning_error(
    saas: Path, tmp_path: Path, model: str
) -> None:
    """'amount funnel' on data whose model has no [funnel] is a clear PlanningError."""
    path = None
    if model == "generated":
        path = tmp_path / "funnel.toml"
        shutil.copy(FIXTURES / "saas.generated.toml", path)
    with _engine(saas, path) as engine, pytest.raises(PlanningError) as caught:
        engine.ask("amount funnel")
    assert "funnel" in caught.value.message


def test_thelook_generated_model_answers(tmp_path: Path, sample_path: Path) -> None:
    """On the thelook sample too: init, then questions through LGDA_PLANNER__MODEL_FILE."""
    with Engine() as engine:
        text, _ = init_model(engine)
    path = tmp_path / "thelook_generated.toml"
    path.write_text(text)
    with Engine(load_config(**{"planner.model_file": str(path)})) as engine:
        users = engine.ask("users by country").df
        items = engine.ask("total sale price by category regardless of status").df
    _same(
        users,
        _direct(sample_path, "SELECT country, COUNT(*) FROM users GROUP BY 1 ORDER BY 2 DESC, 1"),
    )
    _same(
        items,
        _direct(
            sample_path,
            "SELECT p.category, ROUND(SUM(oi.sale_price), 2) FROM order_items oi "
            "JOIN products p ON p.id = oi.product_id GROUP BY 1 "
            "ORDER BY SUM(oi.sale_price) DESC, 1",
        ),
    )
