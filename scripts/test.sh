#!/usr/bin/env bash
# Builds caseflow and runs the whole test suite (unit and end-to-end tests, under
# AddressSanitizer and UndefinedBehaviorSanitizer), then a smoke run of the benchmarks.
# Prints how long each phase took (install, configure, build, tests; CTest adds each entry's),
# so that a change that slows CI shows at once. Budgets: README "Tests and CI".
# Usage: scripts/test.sh            (build dir: build-test)
set -euo pipefail
cd "$(dirname "$0")/.."

phase_start=$SECONDS
phases=()
phase_done() {  # NAME: records the time since the previous phase ended
  local took=$((SECONDS - phase_start))
  phases+=("$(printf '%-10s %4d s' "$1" "$took")")
  echo "== phase $1: ${took} s" >&2
  phase_start=$SECONDS
}
print_phases() {
  echo "== phase times (total ${SECONDS} s):" >&2
  printf '   %s\n' "${phases[@]}" >&2
}
trap print_phases EXIT

scripts/install-deps.sh
phase_done install

build=build-test
jobs=$(nproc 2>/dev/null || echo 2)
# Ninja for a new build folder: it compiles a target's sources while the libraries it links are
# still building, which Make's per-target order does not.
generator=()
[ -f "$build/CMakeCache.txt" ] || generator=(-G Ninja)
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DCASEFLOW_SANITIZE=ON >/dev/null
phase_done configure

cmake --build "$build" -j "$jobs"
phase_done build

# Each CTest entry has its own time limit (tests/CMakeLists.txt); --timeout is the fallback
# for an entry without one.
ctest --test-dir "$build" --output-on-failure --parallel "$jobs" --timeout 300
phase_done tests
