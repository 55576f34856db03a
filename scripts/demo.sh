#!/usr/bin/env bash
# Builds caseflow and walks one complaint from intake to closure on a fresh temporary
# database, in virtual time, then prints its history and verifies the log.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >&2

build=build
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target caseflow >/dev/null
exec examples/complaint.sh "$build/cli/caseflow"
