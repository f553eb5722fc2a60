#!/usr/bin/env bash
# Load benchmark of `hs serve` (never run by CI): builds hs, starts
# `hs serve` on a loopback port, warms it, and sends searches with
# keep-alive from a real load generator on the same machine. Prints
# requests/s, latency percentiles, errors, and the server's memory (RSS)
# before and after.
#
# The load generator: `oha` when installed (or installable with
# `cargo install oha --locked`), else Debian's `wrk` (apt-get). Choose with
# HS_BENCH_TOOL=oha|wrk. Other knobs: N (requests, oha; default 100000),
# DURATION (wrk; default 30s), C (connections; default 32), PORT (18080),
# QUERY (default "men's cotton t-shirt").
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
C=${C:-32}
DURATION=${DURATION:-30s}
PORT=${PORT:-18080}
QUERY=${QUERY:-men%27s%20cotton%20t-shirt}
URL="http://127.0.0.1:${PORT}/v1/search?q=${QUERY}&top=10"

cargo build --release --quiet
HS=target/release/hs

tool=${HS_BENCH_TOOL:-}
if [ -z "$tool" ]; then
  if command -v oha >/dev/null; then
    tool=oha
  elif cargo install oha --locked; then
    tool=oha
  else
    tool=wrk
  fi
fi
if [ "$tool" = wrk ] && ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
if [ "$tool" = oha ] && ! command -v oha >/dev/null; then
  cargo install oha --locked
fi

log=$(mktemp)
"$HS" serve --addr "127.0.0.1:${PORT}" 2>"$log" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "server RSS before warm-up: $(rss)"
for _ in $(seq 1 200); do curl -fsS "$URL" >/dev/null; done
echo "server RSS after warm-up:  $(rss)"

# Two runs back to back: memory after the second should be that after the first.
for run in 1 2; do
  echo "== run $run ($tool, $C connections, keep-alive)"
  case "$tool" in
    oha) oha -n "$N" -c "$C" --no-tui "$URL" ;;
    wrk) wrk -t 2 -c "$C" -d "$DURATION" --latency "$URL" ;;
    *) echo "unknown HS_BENCH_TOOL=$tool" >&2; exit 2 ;;
  esac
  echo "server RSS after run $run: $(rss)"
done
echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
