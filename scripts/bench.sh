#!/usr/bin/env bash
# Benchmarks PAKN's intake end to end against the default run (embedded NATS
# and FerretDB on a fresh data folder), then the raw store rates in the same
# run, then the Go benchmarks. Usage: scripts/bench.sh [seconds] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
clients="${2:-8}"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd services && go build -o "$work/pakn" ./cmd/pakn && go build -o "$work/paknbench" ./cmd/paknbench)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
PAKN_ADDR="127.0.0.1:$port" PAKN_DATA_DIR="$work/data" PAKN_APP_TOKENS=bench-token PAKN_DEMO_PASSWORD=bench \
  PAKN_LOG_LEVEL=error "$work/pakn" >"$work/pakn.out" 2>"$work/pakn.err" &
pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "PAKN did not become ready"; cat "$work/pakn.err"; exit 1; }

echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3)"
"$work/paknbench" -url "http://127.0.0.1:$port" -token bench-token -c "$clients" -d "${secs}s" -dir "$work"

kill "$pid"; wait "$pid" 2>/dev/null || true

echo
echo "Routing decisions (classify, locate, decide; no I/O):"
(cd services && go test -run '^$' -bench . -benchtime 2s ./internal/router/ | grep -E '^Benchmark')
echo
echo "Routing with its stores (decide, pick, store, count, announce), at 1,000 and 20,000 stored tickets:"
(cd services && go test -run '^$' -bench 'Routing' -benchtime 5000x -timeout 20m ./cmd/pakn/ | grep -E '^Benchmark')
