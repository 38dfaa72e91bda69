"""A BigQuery dataset that is not thelook, through the official client and the emulator.

`LGDA_BIGQUERY__DATASET=proj.ds` with a model `lgda model init` wrote from that dataset
must work as it does on thelook: the generated model is the one the same rows give on
DuckDB, and questions answer the same on both backends.

`make test` starts the emulator and sets LGDA_TEST_BIGQUERY_ENDPOINT; without it these
tests are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.errors import SecurityError
from lgda_nb.planner import load_model
from lgda_nb.planner._model_file import check_model, init_model
from lgda_nb.sample import SAAS_TABLES, build_saas_sample
from lgda_nb.sample._bigquery import load_to_bigquery
from lgda_nb.sample._saas import SAAS_SCHEMA

ENDPOINT = os.environ.get("LGDA_TEST_BIGQUERY_ENDPOINT")
pytestmark = pytest.mark.skipif(
    not ENDPOINT, reason="needs the BigQuery emulator (make test starts it)"
)
PROJECT = "lgda-test"
ALLOWED = ",".join(SAAS_TABLES)


def _client() -> Any:
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    return bigquery.Client(
        project=PROJECT,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=ENDPOINT),
    )


@pytest.fixture(scope="module")
def saas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The small SaaS sample in an emulator dataset and in the DuckDB file it came from."""
    import urllib.request

    try:
        urllib.request.urlopen(f"{ENDPOINT}/healthz", timeout=5)
    except OSError as exc:
        pytest.fail(f"the BigQuery emulator at {ENDPOINT} does not answer: {exc}")
    sample = build_saas_sample(tmp_path_factory.mktemp("bq_saas") / "saas.duckdb", scale=0.02)
    dataset = f"{PROJECT}.saas_{uuid.uuid4().hex[:8]}"
    loaded = load_to_bigquery(sample, dataset, _client(), schema=SAAS_SCHEMA)
    assert set(loaded) == set(SAAS_TABLES)
    yield dataset, sample
    _client().delete_dataset(dataset, delete_contents=True, not_found_ok=True)


def _bigquery(dataset: str, **extra: Any) -> Engine:
    return Engine(
        load_config(
            backend="bigquery",
            **{
                "bigquery.api_endpoint": ENDPOINT,
                "bigquery.project": PROJECT,
                "bigquery.dataset": dataset,
                "security.allowed_tables": ALLOWED,
                **extra,
            },
        )
    )


def _duckdb(sample: Path, **extra: Any) -> Engine:
    return Engine(
        load_config(**{"duckdb.database": str(sample), "security.allowed_tables": ALLOWED, **extra})
    )


@pytest.fixture(scope="module")
def model_file(saas: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model `lgda model init` writes from the BigQuery dataset."""
    dataset, _ = saas
    with _bigquery(dataset) as engine:
        text, _found = init_model(engine, name="saas")
    path = tmp_path_factory.mktemp("bq_model") / "saas.toml"
    path.write_text(text)
    return path


def _body(text: str) -> str:
    """A model file without its header comments (they name the source it was read from)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


def test_init_on_bigquery_writes_the_model_duckdb_gives(
    saas: tuple[str, Path], model_file: Path
) -> None:
    """Profiling the same rows on BigQuery finds the same entities, joins, measures and
    values as on DuckDB, and the file checks clean against the BigQuery dataset."""
    dataset, sample = saas
    with _duckdb(sample) as local:
        text, _found = init_model(local, name="saas")
    assert _body(model_file.read_text()) == _body(text)
    model = load_model(model_file)
    assert {"subscriptions_status", "invoices_status", "country"} <= set(model.dimensions)
    with _bigquery(dataset) as engine:
        assert check_model(model_file, engine) == []


@pytest.mark.parametrize(
    "question",
    [
        "subscriptions by subscription status",
        "accounts by country",
        "invoices by month in 2025",
        "total amount of invoices by invoice status",
        "top 3 industries by number of accounts",
        "average seats by plan tier",
    ],
)
def test_questions_on_a_bigquery_dataset_match_duckdb(
    saas: tuple[str, Path], model_file: Path, question: str
) -> None:
    """With `LGDA_BIGQUERY__DATASET` and the generated model, a question gives on
    BigQuery the SQL and the rows it gives on the same data in DuckDB."""
    dataset, sample = saas
    with (
        _bigquery(dataset, **{"planner.model_file": str(model_file)}) as remote_engine,
        _duckdb(sample, **{"planner.model_file": str(model_file)}) as local_engine,
    ):
        remote = remote_engine.ask(question)
        expected = local_engine.ask(question)
    assert remote.backend == "bigquery"
    assert remote.sql == expected.sql
    assert len(expected.df) > 0
    pd.testing.assert_frame_equal(
        remote.df.reset_index(drop=True),
        expected.df.reset_index(drop=True),
        check_dtype=False,
    )


def test_tables_outside_the_allowed_list_stay_refused(
    saas: tuple[str, Path], model_file: Path
) -> None:
    """Pointing at another dataset widens nothing: a table the policy does not list is
    refused before the query reaches BigQuery."""
    dataset, _ = saas
    with (
        _bigquery(dataset, **{"security.allowed_tables": "plans,accounts"}) as engine,
        pytest.raises(SecurityError),
    ):
        engine.run_sql("SELECT COUNT(*) FROM invoices")


def test_declared_personal_columns_are_masked_on_bigquery(
    saas: tuple[str, Path], model_file: Path
) -> None:
    """The generated model's personal-data guesses (a billing email) are masked on
    BigQuery under the default policy, as on DuckDB."""
    import duckdb

    dataset, sample = saas
    with _bigquery(dataset, **{"planner.model_file": str(model_file)}) as engine:
        frame = engine.run_sql("SELECT id, billing_email FROM accounts ORDER BY id LIMIT 5").df
    with duckdb.connect(str(sample), read_only=True) as con:
        raw = con.execute("SELECT id, billing_email FROM accounts ORDER BY id LIMIT 5").df()
    assert list(frame["id"]) == list(raw["id"])
    assert not set(frame["billing_email"]) & set(raw["billing_email"])
    assert frame["billing_email"].str.contains("@").all()
