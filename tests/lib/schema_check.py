# SPDX-License-Identifier: MIT
"""Checks igdpt's JSON outputs against their schemas in docs/schema/
(KIND.schema.json; the dialect: docs/json.md), with python3-jsonschema.

    from schema_check import check
    check("vm", text)       # raises SchemaError saying where and why

    python3 tests/lib/schema_check.py KIND FILE...   (exit 0 valid, 1 not)

Schemas refer to each other by relative references (probe.schema.json#...)
against their "$id" (https://igdpt.invalid/schema/KIND.schema.json, never
fetched: every schema is loaded from docs/schema/), e.g. the vm
document's "probe" member is the probe schema's verdict object.
"""
import glob
import json
import os
import sys

import jsonschema

_ROOT = os.environ.get("IGDPT_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
_DIR = os.path.join(_ROOT, "docs", "schema")


class SchemaError(Exception):
    pass


def _load_all():
    schemas = {}
    for path in sorted(glob.glob(os.path.join(_DIR, "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        kind = os.path.basename(path)[: -len(".schema.json")]
        schemas[kind] = schema
    return schemas


_SCHEMAS = _load_all()


def _validator(kind):
    if kind not in _SCHEMAS:
        raise SchemaError(f"no schema for {kind!r} in {_DIR}")
    schema = _SCHEMAS[kind]
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in _SCHEMAS.values())
        return cls(schema, registry=registry)
    except ImportError:  # Debian 12's 4.10
        store = {s["$id"]: s for s in _SCHEMAS.values()}
        return cls(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store))


def check(kind, json_text):
    """Parses json_text and validates it against docs/schema/KIND.schema.json;
    returns the parsed document, raises SchemaError with every violation."""
    try:
        doc = json.loads(json_text)
    except ValueError as e:
        raise SchemaError(f"{kind}: not JSON: {e}") from None
    errors = sorted(_validator(kind).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        raise SchemaError("; ".join(
            f"{kind}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors))
    return doc


def main(argv):
    if len(argv) < 3:
        print("usage: schema_check.py KIND FILE...", file=sys.stderr)
        return 2
    status = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            check(argv[1], text)
        except SchemaError as e:
            print(f"{path}: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
