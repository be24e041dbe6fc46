#!/usr/bin/env bash
# Load benchmark of `rerankkit serve` on loopback: CONNECTIONS (64) concurrent wrk clients, each POSTing /rerank with
# a query and 10 documents drawn at random from a pool (see serve-load.lua), for DURATION seconds with cross-request
# batching on and then off (--no-batching). UNIFORM_LENGTHS=1 draws document lengths uniformly (see the .lua).
# Prints requests/s, pairs/s, p50/p99 latency, errors, the score-cache hit rate and the mean model batch.
# Every step is time-bounded and the script stops the servers it starts.
# Needs wrk (apt-get install -y wrk). Usage: bench/serve-load.sh [MODEL_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=${1:-../shared/fixtures/minilm-l6-shaped-reranker}
DURATION=${DURATION:-120}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18480}
URL="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
[ -d "$MODEL" ] || { echo "model folder not found: $MODEL" >&2; exit 2; }

timeout 600 dotnet build src/RerankKit.Cli -c Release -v q -nologo >/dev/null
EXE=src/RerankKit.Cli/bin/Release/net10.0/rerankkit
WORK=$(mktemp -d)
SERVER_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

metric() { awk -v name="$1" '$1 == name { print $2 }' "$WORK/metrics"; }

run_mode() {
  local mode=$1; shift
  "$EXE" serve --model "$MODEL" --port "$PORT" "$@" 2>"$WORK/server-$mode.log" &
  SERVER_PID=$!
  for _ in $(seq 120); do curl -fs "$URL/health" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "$URL/health" >/dev/null || { echo "server ($mode) did not start:" >&2; cat "$WORK/server-$mode.log" >&2; exit 1; }
  # Warm-up: JIT and ONNX Runtime allocations, outside the measurement.
  timeout 60 wrk -t1 -c4 -d5s --timeout 30s -s bench/serve-load.lua "$URL/rerank" >/dev/null
  curl -fs "$URL/metrics" >"$WORK/metrics-before"
  timeout $((DURATION + 400)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 300s --latency -s bench/serve-load.lua "$URL/rerank" >"$WORK/wrk-$mode.txt"
  curl -fs "$URL/metrics" >"$WORK/metrics"
  stop_server

  local result; result=$(grep '^RESULT' "$WORK/wrk-$mode.txt")
  local requests duration errors p50 p99
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$result")
  duration=$(sed -E 's/.*duration_s=([0-9.]+).*/\1/' <<<"$result")
  errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$result")
  p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$result")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$result")
  local hits misses batches batch_pairs
  hits=$(metric rerankkit_cache_hits_total); misses=$(metric rerankkit_cache_misses_total)
  batches=$(metric rerankkit_batch_pairs_count); batch_pairs=$(metric rerankkit_batch_pairs_sum)
  awk -v m="$mode" -v r="$requests" -v d="$duration" -v e="$errors" -v p50="$p50" -v p99="$p99" \
      -v h="$hits" -v mi="$misses" -v b="$batches" -v bp="$batch_pairs" 'BEGIN {
    printf "%-13s %8.2f %9.1f %9.0f %9.0f %7d %10.1f%% %10.1f\n", m, r / d, 10 * r / d, p50, p99, e, 100 * h / (h + mi), bp / b
  }' | tee -a "$WORK/table"
  echo "$requests $duration" >"$WORK/rps-$mode"
}

echo "rerankkit serve load: $CONNECTIONS clients x 10 documents, ${DURATION}s per mode, model $MODEL, $(nproc) CPUs"
printf "%-13s %8s %9s %9s %9s %7s %11s %10s\n" mode "req/s" "pairs/s" "p50 ms" "p99 ms" errors "cache hits" "batch pairs"
# Both modes take the same flags: passes of 16 pairs (--batch-size), so a request of 10 documents is one pass
# either way, and merged batches of at most 8,192 tokens (about 100 pairs here) so that on two CPU cores the first
# answers of a run come after seconds rather than after one batch of TEI's default 16,384 tokens.
FLAGS=(--batch-size 16 --max-batch-tokens 8192)
run_mode batching-on "${FLAGS[@]}"
run_mode batching-off "${FLAGS[@]}" --no-batching
awk 'NR == FNR { on = $1 / $2; next } { off = $1 / $2 } END { printf "batching on / off throughput: %.2fx\n", on / off }' \
  "$WORK/rps-batching-on" "$WORK/rps-batching-off"
