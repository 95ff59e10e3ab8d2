#!/usr/bin/env python3
"""fuzz/pick_corpus.py - choose a small set of fuzzer-found inputs to commit.

Usage: python3 fuzz/pick_corpus.py TARGET [-n COUNT] [--apply]

A full libFuzzer minimization (`cargo fuzz cmin`) keeps every input that adds
a feature, hundreds of files per target. This keeps a *handful*: it runs the
target's fuzz binary in merge mode over fuzz/corpus/TARGET (the seeds) and
fuzz/scratch/TARGET (what `fuzz/run.sh` found), reads the coverage of every
input from the merge control file, and greedily picks the COUNT (default 20)
scratch inputs that add the most coverage edges (then features) beyond the
committed corpus, smaller first on ties. With --apply it copies them into
fuzz/corpus/TARGET/ named by their SHA-1, as libFuzzer names inputs. Build the targets first
(`RUSTC_BOOTSTRAP=1 cargo fuzz build`).
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "fuzz/target/x86_64-unknown-linux-gnu/release")
MAX_LEN = {"shiviz_import": 16384}


def coverage(target, dirs):
    """{path: (edges, features)} for every file of `dirs`.

    With -set_cover_merge=1 the control file's `FT` lines list every feature of
    each input, not only new ones. Features below 8 * (number of inline 8-bit
    counters) are an edge's hit-count buckets (edge * 8 + bucket); the rest
    (stack depth, ...) count as features only."""
    with tempfile.TemporaryDirectory() as tmp:
        control = os.path.join(tmp, "control")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        run = subprocess.run(
            [
                os.path.join(BINARY, target),
                "-set_cover_merge=1",
                f"-merge_control_file={control}",
                f"-max_len={MAX_LEN.get(target, 4096)}",
                out,
                *dirs,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        with open(control, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    counters = re.search(r"\((\d+) inline 8-bit counters\)", run.stderr)
    edge_limit = 8 * int(counters.group(1)) if counters else 0
    count = int(lines[0])
    files = lines[2 : 2 + count]
    cov = {path: (set(), set()) for path in files}
    for line in lines[2 + count :]:
        words = line.split()
        if words and words[0] == "FT":
            features = {int(w) for w in words[2:]}
            edges = {f // 8 for f in features if f < edge_limit}
            cov[files[int(words[1])]] = (edges, features)
    return cov


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target")
    parser.add_argument("-n", "--count", type=int, default=20)
    parser.add_argument("--apply", action="store_true")
    args = parser.parse_args()
    committed_dir = os.path.join(ROOT, "fuzz/corpus", args.target)
    scratch_dir = os.path.join(ROOT, "fuzz/scratch", args.target)
    cov = coverage(args.target, [committed_dir, scratch_dir])
    all_edges = set().union(*(e for e, _ in cov.values())) if cov else set()
    committed = {p for p in cov if p.startswith(committed_dir + os.sep)}
    edges, features = set(), set()
    for path in committed:
        edges |= cov[path][0]
        features |= cov[path][1]
    before = len(edges)
    candidates = {p: c for p, c in cov.items() if p not in committed}
    picked = []
    while candidates and len(picked) < args.count:
        # Most new edges first, then most new features, then the smaller file.
        best = max(
            candidates,
            key=lambda p: (
                len(candidates[p][0] - edges),
                len(candidates[p][1] - features),
                -os.path.getsize(p),
            ),
        )
        gain = (len(candidates[best][0] - edges), len(candidates[best][1] - features))
        if gain == (0, 0):
            break
        picked.append((best, gain))
        new_edges, new_features = candidates.pop(best)
        edges |= new_edges
        features |= new_features
    print(
        f"{args.target}: the committed corpus covers {before} of the {len(all_edges)} edges "
        f"seen; with the {len(picked)} picked: {len(edges)}"
    )
    for path, gain in picked:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            name = hashlib.sha1(f.read()).hexdigest()
        print(f"  +{gain[0]:4d} edges +{gain[1]:5d} features  {size:6d} bytes  {name}")
        if args.apply:
            shutil.copyfile(path, os.path.join(committed_dir, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
