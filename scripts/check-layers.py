#!/usr/bin/env python3
"""Fails when an engine folder includes a header of a folder it may not depend on.

Each folder of engine/src/ is a module; each public header in engine/include/caseflow/ belongs
to the folder that implements it (OWNER below). An include of a header from another folder is
a dependency edge, and every edge must be listed in ALLOWED. ALLOWED itself must have no
cycle, so dependencies go one way. Outside the engine, cli/, actions/ and bench/ may use only
public headers; tests/engine/<folder>/ may also use the internal headers of <folder>.

Usage: scripts/check-layers.py [--edges] [SOURCE_DIR]
  exit 0 = clean, 1 = a finding (printed on stderr); --edges also prints the edges in use.
The build runs it (target check_layers, a dependency of caseflow::engine), so a wrong include
fails the build.
"""
import os
import re
import sys

# folder -> the public headers it implements
OWNER = {
    "base": ["value.h", "diagnostic.h", "hash.h", "text_output.h", "text_file.h", "case_id.h", "identifier.h"],
    "calendar": ["calendar.h", "duration.h"],
    "expression": ["expression.h"],
    "procedure": ["procedure.h", "org.h"],
    "core": ["core.h", "event.h"],
    "outbox": ["outbox.h"],
    "handlers": ["action_handler.h"],
    "loader": ["loader.h", "calendar_references.h"],
    "similar": ["similar.h"],
    "timers": ["timers.h"],
    "store": ["store.h", "deployment_record.h"],
    "chain": ["chain.h"],
    "store/sqlite": ["sqlite_store.h"],
    "runtime": ["runtime.h", "importer.h", "attachments.h", "outbox_dispatch.h"],
    "erasure": ["erasure.h"],
    "audit": ["replay.h", "conformance.h", "approvals.h", "export.h", "audit.h", "verify.h"],
    "reports": ["reports.h"],
    "deployment": ["deployment.h"],
    "schedules": ["schedules.h"],
}

# folder -> the folders it may include (besides itself). The pure part (base to core) does
# no I/O beyond reading definition files; stores depend on the core, never the reverse.
MODEL = ["base", "calendar", "expression", "procedure"]
ALLOWED = {
    "base": [],
    "calendar": ["base"],
    "expression": ["base", "calendar"],  # durations in guards count business time
    "procedure": ["base", "calendar", "expression"],
    "core": MODEL,
    "outbox": MODEL + ["core"],
    "handlers": MODEL + ["core", "outbox"],
    "loader": MODEL + ["core", "handlers"],
    "similar": MODEL + ["core"],
    "timers": MODEL + ["core", "similar"],
    "store": MODEL + ["core", "outbox"],
    "chain": MODEL + ["core", "store"],
    "store/sqlite": MODEL + ["core", "outbox", "similar", "store", "chain"],
    "runtime": MODEL + ["core", "outbox", "handlers", "loader", "similar", "timers", "store", "chain"],
    "erasure": MODEL + ["core", "store", "runtime"],
    "audit": MODEL + ["core", "outbox", "handlers", "loader", "similar", "timers", "store", "chain", "runtime",
                      "erasure"],
    "reports": MODEL + ["core", "timers", "store", "runtime", "audit"],
    "deployment": MODEL + ["core", "handlers", "loader", "store", "chain"],
    "schedules": MODEL + ["core", "store", "runtime", "reports"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    src = os.path.join(root, "engine", "src")
    pub = os.path.join(root, "engine", "include", "caseflow")
    owner_of = {h: f for f, hs in OWNER.items() for h in hs}
    folders = set(OWNER)
    findings = []
    edges = {}

    def owner_of_include(inc):
        if inc.startswith("caseflow/"):
            return owner_of.get(inc[len("caseflow/"):])
        for f in sorted(folders, key=len, reverse=True):
            if inc.startswith(f + "/") and "/" not in inc[len(f) + 1:]:
                return f
        return None

    def check_file(path, here, internal_ok=None):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            target = owner_of_include(inc)
            if target is None:
                continue  # a header of the including folder's own tree (cli/, tests/) or unknown
            if here is None:  # outside the engine: public headers only
                if not inc.startswith("caseflow/") and target != internal_ok:
                    findings.append(f"{rel}: includes {inc}, an internal header of engine/src/{target}/")
                continue
            if target == here:
                continue
            edges.setdefault((here, target), rel)
            if target not in ALLOWED.get(here, []):
                findings.append(f"{rel}: includes {inc} ({target}/), but {here}/ may not depend on {target}/")

    for dirpath, _, files in os.walk(src):
        here = os.path.relpath(dirpath, src)
        for name in files:
            if name.endswith((".cpp", ".h")):
                if here not in folders:
                    findings.append(f"{os.path.relpath(os.path.join(dirpath, name), root)}: engine/src/{here}/ is not a known folder")
                    continue
                check_file(os.path.join(dirpath, name), here)
    for name in sorted(os.listdir(pub)):
        if name not in owner_of:
            findings.append(f"engine/include/caseflow/{name}: no folder owns this header (add it to OWNER)")
            continue
        check_file(os.path.join(pub, name), owner_of[name])
    for outside in ("cli", "actions", "bench", "tests"):
        for dirpath, _, files in os.walk(os.path.join(root, outside)):
            rel_dir = os.path.relpath(dirpath, os.path.join(root, "tests", "engine"))
            mirrored = rel_dir if outside == "tests" and not rel_dir.startswith("..") else None
            for name in files:
                if name.endswith((".cpp", ".h")):
                    check_file(os.path.join(dirpath, name), None, mirrored)

    # ALLOWED must have no cycle.
    state = {}

    def visit(f, path):
        state[f] = "open"
        for g in ALLOWED.get(f, []):
            if state.get(g) == "open":
                findings.append("ALLOWED has a cycle: " + " -> ".join(path + [f, g]))
            elif g not in state:
                visit(g, path + [f])
        state[f] = "done"

    for f in ALLOWED:
        if f not in state:
            visit(f, [])

    if "--edges" in sys.argv:
        for (a, b), where in sorted(edges.items()):
            print(f"{a} -> {b}    (first in {where})")
    for line in findings:
        print(line, file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
