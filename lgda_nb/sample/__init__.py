"""Offline stand-in for ``bigquery-public-data.thelook_ecommerce``.

Only data and ``build_sample`` live here; numpy, pyarrow and duckdb load when a
sample is actually built, so importing this package is cheap.
"""

from lgda_nb.sample._generate import (
    DEFAULT_SCALE,
    DEFAULT_SEED,
    GENERATOR_VERSION,
    build_sample,
    expected_row_counts,
)
from lgda_nb.sample._schema import DUCKDB_TYPES, SCHEMA, TABLES, TIME_RANGE_END

__all__ = [
    "DEFAULT_SCALE",
    "DEFAULT_SEED",
    "DUCKDB_TYPES",
    "GENERATOR_VERSION",
    "SCHEMA",
    "TABLES",
    "TIME_RANGE_END",
    "build_sample",
    "expected_row_counts",
]
