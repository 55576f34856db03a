#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with Debian's clang) and runs each for SECONDS
# (default 60), one after another, seeded from processes/*.yaml and fuzz/corpus/<target>/.
# New inputs are kept in build-fuzz/corpus/<target>/ (so later runs continue from them);
# a finding stops the script and leaves build-fuzz/crash-* (or leak-*, timeout-*): fix it,
# then keep it in tests/fuzz_regressions/ with a case in tests/engine/loader/fuzz_regressions_test.cpp.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   targets: procedure_loader expression duration value
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(procedure_loader expression duration value)

# clang and libFuzzer's runtime (libclang-rt-14-dev) besides the build dependencies.
scripts/install-deps.sh
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=build-fuzz
cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j 2 --target "${targets[@]/#/fuzz_}"

for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  if [ "$target" = procedure_loader ]; then
    cp processes/*.yaml "$corpus/"
    seeds=()
  else
    seeds=("fuzz/corpus/$target")
  fi
  log="$build/fuzz_$target.log"
  echo "== fuzz_$target for ${seconds}s (log: $log)"
  if ! "$build/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz_$target: finding (see $log and $build/crash-*)" >&2
    exit 1
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^Done' "$log" || true
  echo "corpus: $(ls "$corpus" | wc -l) inputs"
done
