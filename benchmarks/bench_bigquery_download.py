"""A large result through the BigQuery Storage Read API and through REST paging.

Runs against the local emulator (``scripts/bigquery-emulator.sh start``; REST on
127.0.0.1:9050, gRPC on :9060): creates a table of ``--rows`` rows once, then
downloads it as Arrow both ways and prints the medians side by side.

The emulator serves the Storage API for tables but not for anonymous query
result tables, so this reads the table itself; on BigQuery the backend uses the
same Storage path for large query results.

    python benchmarks/bench_bigquery_download.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

ENDPOINT = "http://127.0.0.1:9050"
GRPC = "127.0.0.1:9060"
TABLE = "lgda-test.bench.big"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import grpc
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery, bigquery_storage
    from google.cloud.bigquery_storage_v1.services.big_query_read.transports import (
        BigQueryReadGrpcTransport,
    )

    client = bigquery.Client(
        project="lgda-test",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=ENDPOINT),
    )
    storage = bigquery_storage.BigQueryReadClient(
        transport=BigQueryReadGrpcTransport(channel=grpc.insecure_channel(GRPC))
    )
    client.create_dataset("lgda-test.bench", exists_ok=True)
    client.query(
        f"CREATE OR REPLACE TABLE `{TABLE}` AS SELECT x, CAST(x AS STRING) AS s, x * 1.5 AS f "
        f"FROM UNNEST(GENERATE_ARRAY(1, {args.rows})) AS x"
    ).result()
    table = client.get_table(TABLE)

    def timed(**kwargs: object) -> float:
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            arrow = client.list_rows(table).to_arrow(**kwargs)  # type: ignore[arg-type]
            samples.append(time.perf_counter() - start)
            assert arrow.num_rows == args.rows
        return statistics.median(samples)

    rest = timed(create_bqstorage_client=False)
    read_api = timed(bqstorage_client=storage)
    print(f"{args.rows:,} rows x 3 columns as Arrow, median of {args.repeat}")
    print(f"  REST paging (tabledata.list)   {rest:7.2f} s")
    print(f"  Storage Read API (gRPC)        {read_api:7.2f} s")
    print(f"  ratio                          {rest / read_api:7.1f}x")


if __name__ == "__main__":
    main()
