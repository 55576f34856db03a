#!/usr/bin/env bash
# Installs the Debian packages caseflow needs to build, test and benchmark.
# Idempotent and quiet when everything is present. Needs root (or sudo) only to install.
set -euo pipefail

packages=(
  cmake g++ make ninja-build pkg-config ccache
  libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev libcli11-dev doctest-dev
  nlohmann-json3-dev libssl-dev libicu-dev libcctz-dev tzdata libbenchmark-dev libcurl4-openssl-dev
  sqlite3 graphviz
  python3-jsonschema python3-yaml  # validating procedure files against processes/schema (tests)
  chromium  # headless rendering of the HTML reports in tests (tests/e2e/reports_cli_test.cpp)
  python3-pil  # reading the colours of that screenshot (tests/e2e/report_screenshot.py)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
