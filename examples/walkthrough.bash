# Shared set-up of the walk-throughs in examples/*.sh (sourced, not run): a temporary database
# removed on exit (or CASEFLOW_EXAMPLE_DB, kept: the tests count what a walk wrote), the shipped
# procedures, and step(), which prints a command and runs it.
# Sets: here (the repository), caseflow (the binary: the script's first argument, default
# `caseflow` on PATH), tmp (the temporary folder); exports CASEFLOW_DB and CASEFLOW_PROCEDURES.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
caseflow="${1:-caseflow}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export CASEFLOW_DB="${CASEFLOW_EXAMPLE_DB:-$tmp/demo.db}" CASEFLOW_PROCEDURES="$here/processes"

# step USER TIME ARGS...: runs `caseflow --as USER --now TIME ARGS...`, printing it first.
step() { echo "\$ caseflow --as $1 --now $2 ${*:3}"; "$caseflow" --as "$1" --now "$2" "${@:3}"; }
