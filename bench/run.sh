#!/usr/bin/env bash
# Builds the benchmark harness (Release, in build-bench/) and runs it; prints one Markdown table.
# Usage: bench/run.sh [--quick | --smoke] [--only SCENARIO] [--keep] [--work DIR]
# The full run takes a few minutes on 2 cores and needs about 2 GB of free space in $TMPDIR.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${CASEFLOW_BENCH_BUILD:-$here/build-bench}"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target caseflow_bench caseflow -j2 >/dev/null
exec "$build/bench/caseflow_bench" --caseflow "$build/cli/caseflow" --source "$here" "$@"
