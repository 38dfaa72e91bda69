"""Copy the generated sample into a BigQuery dataset (real or emulated).

Teams get a sandbox with the public dataset's schema, and tests seed an emulator
with exactly the rows the embedded backend answers from. Rows are streamed in
chunks with ``insertAll`` (which emulators support); GEOGRAPHY columns travel as
WKT text in STRING columns, as the embedded copy stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lgda_nb.sample._schema import SCHEMA

CHUNK_ROWS = 5000
#: BigQuery's names for the DuckDB types a sample's schema may use.
_BIGQUERY_TYPES = {
    "BIGINT": "INTEGER",
    "VARCHAR": "STRING",
    "DOUBLE": "FLOAT",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
    "GEOGRAPHY": "STRING",
}


def load_to_bigquery(
    sample: Path,
    dataset: str,
    client: Any,
    *,
    limits: Mapping[str, int] | None = None,
    timeout: float = 120.0,
    schema: Mapping[str, tuple[tuple[str, str], ...]] = SCHEMA,
) -> dict[str, int]:
    """Create ``dataset`` (``project.dataset``) with the sample's tables and stream it in.

    ``schema`` gives each table's columns with their BigQuery types (thelook's by
    default; ``SAAS_SCHEMA`` copies the SaaS sample). ``limits`` caps rows per table
    (the first rows by id). Returns rows loaded per table.
    """
    import duckdb
    import pandas as pd
    from google.cloud import bigquery

    client.create_dataset(bigquery.Dataset(dataset), exists_ok=True, timeout=timeout)
    loaded: dict[str, int] = {}
    with duckdb.connect(str(sample), read_only=True) as source:
        for table, columns in schema.items():
            limit = (limits or {}).get(table)
            sql = f"SELECT * FROM {table} ORDER BY 1" + (f" LIMIT {int(limit)}" if limit else "")
            frame = source.execute(sql).df()
            fields = [
                bigquery.SchemaField(name, _BIGQUERY_TYPES.get(kind, kind))
                for name, kind in columns
            ]
            client.create_table(
                bigquery.Table(f"{dataset}.{table}", schema=fields), exists_ok=True, timeout=timeout
            )
            records = frame.astype(object).where(frame.notna(), None).to_dict("records")
            for record in records:
                for key, value in record.items():
                    if isinstance(value, pd.Timestamp):
                        record[key] = value.isoformat()
            for start in range(0, len(records), CHUNK_ROWS):
                errors = client.insert_rows_json(
                    f"{dataset}.{table}", records[start : start + CHUNK_ROWS], timeout=timeout
                )
                if errors:
                    raise RuntimeError(f"BigQuery refused rows of {table}: {errors[:3]}")
            loaded[table] = len(records)
    return loaded
