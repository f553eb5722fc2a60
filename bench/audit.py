#!/usr/bin/env python3
"""Measures `hs audit` on labelled sets: with a fixed seed, replaces the code
of 10% of rows by a different HS 2022 subheading of the same chapter and of
another 10% by one of another chapter, runs `hs audit --all` on the altered
file (written to a temporary folder, never into the repository) and reports
how well the risk ranks the altered rows first: ROC AUC and the precision
among the 20% riskiest rows.

Usage: bench/audit.py [--hs target/release/hs] [--seed 2022] [SET ...]
SET names a file of ../shared/eval/ (default: bacuda_declarations
uk_parcel_references). The eval rows are read from ../shared/eval only.
"""
import argparse, csv, json, os, random, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def subheadings():
    path = os.path.join(SHARED, "hs-data", "hs2022", "harmonized-system.csv")
    with open(path, newline="", encoding="utf-8") as f:
        return sorted({r["hscode"] for r in csv.DictReader(f) if len(r["hscode"]) == 6 and r["level"] == "6"})


def auc(scores, labels):
    pairs = sorted(zip(scores, labels))
    # Mann-Whitney U with average ranks for ties.
    ranks, i = [0.0] * len(pairs), 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(1 for _, l in pairs if l)
    neg = len(pairs) - pos
    rsum = sum(r for r, (_, l) in zip(ranks, pairs) if l)
    return (rsum - pos * (pos + 1) / 2) / (pos * neg) if pos and neg else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hs", default=os.path.join(ROOT, "target", "release", "hs"))
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument("sets", nargs="*", default=["bacuda_declarations", "uk_parcel_references"])
    a = ap.parse_args()
    subs = subheadings()
    by_chapter = {}
    for s in subs:
        by_chapter.setdefault(s[:2], []).append(s)
    print("| set | rows | altered (same chapter / other chapter) | ROC AUC | precision in top 20% | seconds |")
    print("|---|---|---|---|---|---|")
    for name in a.sets:
        rng = random.Random(a.seed)
        with open(os.path.join(SHARED, "eval", name + ".csv"), newline="", encoding="utf-8") as f:
            rows = [(r["description"], "".join(c for c in r["gold"].split(";")[0] if c.isdigit())[:6]) for r in csv.DictReader(f)]
        rows = [r for r in rows if len(r[1]) == 6 and r[1] in set(subs)]
        order = list(range(len(rows)))
        rng.shuffle(order)
        n = len(rows) // 10
        altered = {}
        for i in order[:n]:
            pool = [s for s in by_chapter.get(rows[i][1][:2], []) if s != rows[i][1]]
            if pool:
                altered[i] = rng.choice(pool)
        for i in order[n:2 * n]:
            pool = [s for s in subs if s[:2] != rows[i][1][:2]]
            altered[i] = rng.choice(pool)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, name + "_altered.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["description", "code"])
                for i, (d, c) in enumerate(rows):
                    w.writerow([d, altered.get(i, c)])
            t = time.time()
            out = subprocess.run([a.hs, "-q", "--no-precedents", "audit", path, "--all"], capture_output=True, text=True)
            secs = time.time() - t
        if out.returncode not in (0, 1):
            sys.exit(f"hs audit failed ({out.returncode}): {out.stderr}")
        risk = {}
        for line in out.stdout.splitlines():
            r = json.loads(line)
            if r.get("kind") == "row" and r.get("risk") is not None:
                risk[r["row"] - 2] = r["risk"]
        idx = sorted(risk)
        scores = [risk[i] for i in idx]
        labels = [i in altered for i in idx]
        top = sorted(idx, key=lambda i: -risk[i])[: max(1, len(idx) // 5)]
        prec = sum(1 for i in top if i in altered) / len(top)
        same = sum(1 for i in altered if altered[i][:2] == rows[i][1][:2])
        print(f"| {name} | {len(rows)} | {same} / {len(altered) - same} | {auc(scores, labels):.3f} | {100 * prec:.1f}% | {secs:.1f} |")


if __name__ == "__main__":
    main()
