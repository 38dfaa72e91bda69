"""Offline stand-in for ``bigquery-public-data.thelook_ecommerce``, and a SaaS sample.

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
from lgda_nb.sample._saas import SAAS_TABLES, build_saas_sample, saas_sample_path
from lgda_nb.sample._schema import DUCKDB_TYPES, SCHEMA, TABLES, TIME_RANGE_END

__all__ = [
    "DEFAULT_SCALE",
    "DEFAULT_SEED",
    "DUCKDB_TYPES",
    "GENERATOR_VERSION",
    "SAAS_TABLES",
    "SCHEMA",
    "TABLES",
    "TIME_RANGE_END",
    "build_saas_sample",
    "build_sample",
    "expected_row_counts",
    "saas_sample_path",
]
