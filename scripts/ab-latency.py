#!/usr/bin/env python3
"""A/B whole-process latency of two or more builds of one command.

Not a test: a measuring tool for docs/benchmarks.md. The binaries run one
after another, in alternating order, N times each, on one state root;
each run's wall time is taken around `subprocess.run` (so it includes
Python's spawn, the same for every binary). Pass /bin/true as one of the
binaries to see what starting any process costs at that moment.

Usage: scripts/ab-latency.py ROOT N "ARGS" BINARY...
Example (old and new qm, on the latency bench's root):
  scripts/ab-latency.py target/bench-roots/guests1000 150 list \\
      /tmp/old/qm target/x86_64-unknown-linux-gnu/release/qm /bin/true
"""
import os
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    root, n, args = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
    bins = sys.argv[4:]
    env = dict(os.environ, PVESIM_ROOT=root, PVESIM_NODE="pve1")
    times = {b: [] for b in bins}
    with open(os.devnull, "w") as null:
        for i in range(n):
            for b in bins if i % 2 == 0 else reversed(bins):
                t = time.perf_counter_ns()
                subprocess.run([b] + args, env=env, stdout=null, stderr=null, check=True)
                times[b].append((time.perf_counter_ns() - t) / 1e6)
    for b, v in times.items():
        v.sort()
        print(f"{b}: median {statistics.median(v):.2f} ms  p25 {v[len(v) // 4]:.2f}  "
              f"min {v[0]:.2f}  (n={len(v)})")


if __name__ == "__main__":
    main()
