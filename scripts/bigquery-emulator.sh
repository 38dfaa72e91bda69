#!/usr/bin/env bash
# Start or stop a local BigQuery emulator (bqemulator: REST on 127.0.0.1:9050) for the
# integration tests, in its own virtualenv so its pinned DuckDB never meets ours.
#   scripts/bigquery-emulator.sh start   # prints the endpoint once it answers
#   scripts/bigquery-emulator.sh stop
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.venv-bqemulator"
state="$here/.bqemulator"
port="${LGDA_BQEMULATOR_PORT:-9050}"
duckdb_version="1.5.5"

case "${1:-}" in
  start)
    if [ ! -x "$venv/bin/bqemulator" ]; then
      python3 -m venv "$venv"
      "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "bqemulator==1.4.0" "duckdb==$duckdb_version" \
        "duckdb-extension-spatial==$duckdb_version" numpy pandas 2>&1 \
        | grep -v "^WARNING: Location" >&2 || true
    fi
    # The emulator loads DuckDB's spatial extension; it comes from PyPI, not a download.
    ext_dir="$HOME/.duckdb/extensions/v$duckdb_version/linux_amd64"
    mkdir -p "$ext_dir"
    cp "$("$venv/bin/python" -c 'import duckdb_extension_spatial, pathlib; print(next(pathlib.Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension")))')" "$ext_dir/"
    mkdir -p "$state"
    healthy() {
      "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null
    }
    if healthy; then
      echo "http://127.0.0.1:$port"
      exit 0
    fi
    "$venv/bin/bqemulator" start --rest-host 127.0.0.1 --rest-port "$port" \
      --grpc-host 127.0.0.1 --grpc-port $((port + 10)) --project lgda-test \
      --log-level warning >"$state/log" 2>&1 &
    echo $! >"$state/pid"
    for _ in $(seq 1 120); do
      if healthy; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.5
    done
    echo "the BigQuery emulator did not start; its log:" >&2
    cat "$state/log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$state/pid" ]; then
      kill "$(cat "$state/pid")" 2>/dev/null || true
      rm -f "$state/pid"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
