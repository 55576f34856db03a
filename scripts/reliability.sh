#!/usr/bin/env bash
# Runs the crash and concurrency harnesses at full size (CTest runs them small):
#   crash: KILLS SIGKILLs (default 300) at random moments of a stream of caseflow commands,
#          every database state after a kill verified;
#   concurrency: WORKERS processes (default 6) racing on shared cases for SECONDS (default 60).
# Usage: scripts/reliability.sh [KILLS] [SECONDS] [SEED]     (build dir: build-reliability)
# Prints each harness's summary line; exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-300}
seconds=${2:-60}
seed=${3:-$(date +%s)}
workers=${WORKERS:-6}
scripts/install-deps.sh

build=build-reliability
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j 2 --target caseflow crash_harness concurrency_harness
"$build/tests/harness/crash_harness" --kills "$kills" --seed "$seed"
"$build/tests/harness/concurrency_harness" --workers "$workers" --seconds "$seconds" --shared 2 --seed "$seed"
