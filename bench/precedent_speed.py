#!/usr/bin/env python3
"""Speed and memory of precedents (never run by CI): makes up a precedent set
and queries from the HS 2022 subheading texts in ../shared/hs-data (random
words of a subheading and its heading, the subheading's code; no eval rows),
in a temporary folder, then times with the release binary:
  1. `hs precedents add` of ROWS rows (default 100,000) into an empty store;
  2. `hs classify --no-cache` of QUERIES queries (default 10,000) with the store,
     and the same with `--no-precedents`, RUNS times each (default 3).
Prints wall time, rows/s and peak memory (from /usr/bin/time when present,
else the children's ru_maxrss).

Usage: bench/precedent_speed.py [--hs target/release/hs] [--rows N]
       [--queries N] [--runs N] [--seed 7]
"""
import argparse, csv, os, random, resource, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def texts():
    path = os.path.join(SHARED, "hs-data", "hs2022", "harmonized-system.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    head = {r["hscode"]: r["description"] for r in rows if r["level"] == "4"}
    return [(r["hscode"], (r["description"] + " " + head.get(r["hscode"][:4], "")).split())
            for r in rows if r["level"] == "6"]


def made_up(rng, subs, n):
    out = []
    for _ in range(n):
        code, words = rng.choice(subs)
        k = min(len(words), rng.randint(3, 8))
        out.append((" ".join(rng.sample(words, k)).strip(",;:"), code))
    return out


def run(cmd, env, out):
    """Runs cmd with its output written to the file `out` (as a user would,
    and as bench/bulk.sh does: not through a pipe into this script)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.time()
    with open(out, "w", encoding="utf-8") as f:
        p = subprocess.run(cmd, env=env, stdout=f, stderr=subprocess.PIPE, text=True)
    secs = time.time() - t
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return secs, max(peak, before) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hs", default=os.path.join(ROOT, "target", "release", "hs"))
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    subs = [s for s in texts() if len(s[1]) >= 3]
    with tempfile.TemporaryDirectory() as tmp:
        prec, queries = os.path.join(tmp, "prec.csv"), os.path.join(tmp, "queries.csv")
        with open(prec, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["description", "code"])
            w.writerows(made_up(rng, subs, a.rows))
        with open(queries, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["description"])
            w.writerows([d] for d, _ in made_up(rng, subs, a.queries))
        env = dict(os.environ, HS_PRECEDENTS_DIR=os.path.join(tmp, "store"))
        out = os.path.join(tmp, "out")
        secs, peak = run([a.hs, "-q", "precedents", "add", prec], env, out)
        print(f"import {a.rows} rows: {secs:.2f} s ({a.rows / secs:,.0f} rows/s), peak so far {peak:.0f} MB")
        for label, extra in (("with the store", []), ("without precedents", ["--no-precedents"])):
            for i in range(a.runs):
                cmd = [a.hs, "-q", *extra, "classify", "--input", queries, "--no-cache", "--format", "jsonl"]
                secs, peak = run(cmd, env, out)
                print(f"classify {a.queries} rows {label}, run {i + 1}: {secs:.2f} s ({a.queries / secs:,.0f} rows/s), peak so far {peak:.0f} MB")
        print(f"cores: {os.cpu_count()}; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
