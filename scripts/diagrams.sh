#!/usr/bin/env bash
# Draws every procedure in processes/ with `caseflow graph` and Graphviz into docs/<id>.svg.
# Usage: scripts/diagrams.sh [CASEFLOW_BINARY]   (default: build/cli/caseflow, as scripts/demo.sh builds it,
#        else build-test/cli/caseflow, else caseflow on PATH). tests/e2e/procedure_schema_test.cpp fails on a stale diagram.
# Needs Graphviz (`dot`, Debian package graphviz; scripts/install-deps.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
caseflow=${1:-build/cli/caseflow}
[ -x "$caseflow" ] || caseflow=build-test/cli/caseflow
[ -x "$caseflow" ] || caseflow=$(command -v caseflow) || { echo "no caseflow binary: build it first" >&2; exit 1; }
command -v dot >/dev/null || { echo "Graphviz 'dot' is missing: run scripts/install-deps.sh" >&2; exit 1; }

mkdir -p docs
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
for file in processes/*.yaml; do
  [ "$(basename "$file")" = org.yaml ] && continue
  id=$(sed -n 's/^procedure:[[:space:]]*\([a-z0-9_]*\).*/\1/p' "$file" | head -1)
  [ -n "$id" ] || { echo "$file: no 'procedure:' line" >&2; exit 1; }
  "$caseflow" --procedures processes --db "$db/graph.db" graph "$id" --format dot | dot -Tsvg -o "docs/$id.svg"
  echo "docs/$id.svg"
done
