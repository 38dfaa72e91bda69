#!/usr/bin/env bash
# Start or stop a local BigQuery emulator (bqemulator: REST on 127.0.0.1:9050) for the
# integration tests and notebook 02, in its own virtualenv so its pinned DuckDB never
# meets ours. LGDA_BQEMULATOR_PORT picks another port; each port has its own pid and log,
# so stopping one emulator never stops another.
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
    source="$("$venv/bin/python" -c 'import duckdb_extension_spatial, pathlib; print(next(pathlib.Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension")))')"
    target="$ext_dir/spatial.duckdb_extension"
    # A running emulator has the library mapped: rewriting it in place (cp) crashed that
    # emulator with a segfault whenever a second one started. Replace it only when it
    # differs, as a new file (mv), so a mapped copy stays intact.
    if ! cmp -s "$source" "$target"; then
      cp "$source" "$target.$$" && mv -f "$target.$$" "$target"
    fi
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
      --log-level warning >"$state/log-$port" 2>&1 &
    echo $! >"$state/pid-$port"
    for _ in $(seq 1 120); do
      if healthy; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.5
    done
    echo "the BigQuery emulator did not start; its log:" >&2
    cat "$state/log-$port" >&2
    exit 1
    ;;
  stop)
    if [ -f "$state/pid-$port" ]; then
      pid="$(cat "$state/pid-$port")"
      kill "$pid" 2>/dev/null || true
      # Gone before we return, so the port is free for the next start.
      for _ in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
      done
      rm -f "$state/pid-$port" "$state/log-$port"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
