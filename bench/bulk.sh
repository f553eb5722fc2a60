#!/usr/bin/env bash
# Bulk throughput: `hs classify` against the SQLite FTS5 peer
# (../shared/eval/baseline_fts5.py) on the same rows, default 20,000.
#
# The rows are built at run time by cycling the descriptions of
# ../shared/eval/*.csv into a temporary CSV (they are never stored in the
# repository). Both tools are timed end to end (start-up included: loading
# data and opening the index for hs, building the FTS5 table for the peer),
# and again on one row to show their start-up alone. hs is timed as it
# runs by default (a description seen earlier in the run reuses its result)
# and with --no-cache (every row searched); the rows repeat, since the
# shared sets hold about 4,500 distinct descriptions.
#
# usage: bench/bulk.sh [ROWS]      (env: SHARED=../shared, HS=path/to/hs)
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-20000}
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
HS_CSV=$SHARED/hs-data/hs2022/harmonized-system.csv
PEER=$EVAL/baseline_fts5.py
for f in "$HS_CSV" "$PEER"; do
  [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

distinct=$(python3 - "$ROWS" "$tmp/rows.csv" "$tmp/one.csv" "$EVAL"/*.csv <<'PY'
import csv, itertools, sys
n, out, one, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
descs = []
for f in files:
    with open(f, newline="", encoding="utf-8") as fh:
        descs += [r["description"] for r in csv.DictReader(fh)]
if not descs:
    sys.exit("bench: no descriptions found in " + " ".join(files))
print(len(set(itertools.islice(itertools.cycle(descs), n))))
for path, k in ((out, n), (one, 1)):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["description"])
        for d in itertools.islice(itertools.cycle(descs), k):
            w.writerow([d])
PY
)

if [ -z "${HS:-}" ]; then
  cargo build --release --quiet
  HS=target/release/hs
fi
# The index is built before timing (a first use would build it).
"$HS" index status >/dev/null 2>&1 || "$HS" index build -q >/dev/null
"$HS" classify --input "$tmp/one.csv" -q >/dev/null || true

now() { date +%s%N; }
# secs CMD...: runs CMD with stdout to $tmp/out, prints seconds; exit 0 or 1 is fine.
secs() {
  local t0 t1 rc=0
  t0=$(now)
  "$@" >"$tmp/out" || rc=$?
  t1=$(now)
  if [ "$rc" -gt 1 ]; then echo "bench: '$*' failed with $rc" >&2; exit 2; fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}
lines() { wc -l <"$tmp/out" | tr -d ' '; }

hs_one=$(secs "$HS" classify --input "$tmp/one.csv" -q)
peer_one=$(secs python3 "$PEER" "$HS_CSV" "$tmp/one.csv")
hs_all=$(secs "$HS" classify --input "$tmp/rows.csv" -q)
hs_lines=$(lines)
hs_nc=$(secs "$HS" classify --input "$tmp/rows.csv" -q --no-cache)
[ "$(lines)" = "$ROWS" ] || { echo "bench: hs --no-cache wrote $(lines) lines" >&2; exit 2; }
peer_all=$(secs python3 "$PEER" "$HS_CSV" "$tmp/rows.csv")
peer_lines=$(lines)
[ "$hs_lines" = "$ROWS" ] || { echo "bench: hs wrote $hs_lines lines for $ROWS rows" >&2; exit 2; }
[ "$peer_lines" = "$ROWS" ] || { echo "bench: peer wrote $peer_lines lines for $ROWS rows" >&2; exit 2; }

awk -v n="$ROWS" -v d="$distinct" -v ha="$hs_all" -v hn="$hs_nc" -v h1="$hs_one" \
    -v pa="$peer_all" -v p1="$peer_one" \
    -v cores="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  hr = n / ha; nr = n / hn; pr = n / pa
  printf "rows: %d (%d distinct descriptions of shared/eval, cycled), %d cores, load average %s\n", n, d, cores, load
  printf "hs classify:            %7.2f s  %7.0f rows/s\n", ha, hr
  printf "hs classify --no-cache: %7.2f s  %7.0f rows/s\n", hn, nr
  printf "fts5 peer:              %7.2f s  %7.0f rows/s\n", pa, pr
  printf "start-up (one row): hs %.2f s, peer %.2f s\n", h1, p1
  printf "ratio hs/peer: %.2fx (%.2fx with --no-cache)\n", hr / pr, nr / pr
}'
