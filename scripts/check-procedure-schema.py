#!/usr/bin/python3
"""Validates procedure files against processes/schema/procedure.schema.json.

Usage: scripts/check-procedure-schema.py [--schema SCHEMA] PATH...
A PATH that is a folder stands for its *.yaml files except org.yaml (the procedures; calendars
live in a subfolder and have no schema here). Prints `file: at path: message` for every problem
and exits 1 if there is any. Needs the Debian packages python3-jsonschema and python3-yaml.
"""
import argparse
import pathlib
import sys

import jsonschema
import yaml


class PlainLoader(yaml.SafeLoader):
    """YAML as caseflow reads it: dates and times stay text (caseflow parses them itself)."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def procedure_files(paths):
    for path in map(pathlib.Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.glob("*.yaml") if p.name != "org.yaml")
        else:
            yield path


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=here / "processes" / "schema" / "procedure.schema.json")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    schema = yaml.load(pathlib.Path(args.schema).read_text(encoding="utf-8"), Loader=PlainLoader)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    problems = 0
    files = list(procedure_files(args.paths))
    for file in files:
        document = yaml.load(file.read_text(encoding="utf-8"), Loader=PlainLoader)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
            where = "/".join(map(str, error.absolute_path)) or "(top)"
            print(f"{file}: at {where}: {error.message}")
            problems += 1
    if not files:
        print("no procedure files given", file=sys.stderr)
        return 2
    print(f"{len(files)} procedure file(s) checked, {problems} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
