# SPDX-License-Identifier: MIT
"""Checks igdpt's JSON outputs against their schemas in docs/schema/
(KIND.schema.json; the dialect: docs/json.md), with python3-jsonschema,
offline.

    import schema_check
    schema_check.errors("decode", text)   # [] when it conforms, else why
    doc = schema_check.check("vm", text)  # the document; SchemaError if not

    python3 tests/lib/schema_check.py KIND FILE...   (exit 0 valid, 1 not)

A document must also carry its own kind ("kind": KIND) when its schema
fixes one; probe-line (a guest's verdict line, with or without the header)
fixes none. Schemas refer to each other by relative references
(document.schema.json#/$defs/..., probe.schema.json#/$defs/verdict)
against their "$id" (https://igdpt.invalid/schema/KIND.schema.json, never
fetched: every schema is loaded from docs/schema/). Works with jsonschema
4.10 (Debian 12: RefResolver with a preloaded store) and later (the
referencing registry). Needs python3-jsonschema (scripts/install-deps);
available() says whether it is there, so a test can exit 77 with the reason.
"""
import json
import os
import sys
import warnings

SOURCE_ROOT = os.environ.get("IGDPT_SOURCE_ROOT") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCHEMA_DIR = os.path.join(SOURCE_ROOT, "docs", "schema")
SUFFIX = ".schema.json"

try:
    import jsonschema
except ImportError:  # reported by available()
    jsonschema = None


class SchemaError(Exception):
    pass


def available():
    """None when schemas can be checked, else why not."""
    if jsonschema is None:
        return "python3-jsonschema is not installed (scripts/install-deps)"
    return None


def _schemas():
    """Every schema of the folder by its kind (file name without SUFFIX)."""
    out = {}
    for name in sorted(os.listdir(SCHEMA_DIR)):
        if name.endswith(SUFFIX):
            with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
                out[name[:-len(SUFFIX)]] = json.load(f)
    return out


def kinds():
    """The outputs that have a schema (document.schema.json only holds the
    shared definitions)."""
    return [k for k in _schemas() if k != "document"]


def _validator(kind, schemas):
    schema = schemas[kind]
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    try:  # jsonschema 4.18 and later
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:  # Debian 12's 4.10
        store = {s["$id"]: s for s in schemas.values()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            resolver = jsonschema.RefResolver(schema["$id"], schema, store=store)
        return cls(schema, resolver=resolver)
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT202012))
        for s in schemas.values())
    return cls(schema, registry=registry)


def _parse_and_judge(kind, text):
    """(document or None, [violations])."""
    if jsonschema is None:
        return None, ["%s: cannot check: %s" % (kind, available())]
    schemas = _schemas()
    if kind not in schemas or kind == "document":
        return None, ["%s: no schema %s%s in %s" % (kind, kind, SUFFIX, SCHEMA_DIR)]
    try:
        doc = json.loads(text)
    except ValueError as e:
        return None, ["%s: not JSON: %s" % (kind, e)]
    want = schemas[kind].get("properties", {}).get("kind", {})
    if isinstance(want, dict) and "const" in want and (
            not isinstance(doc, dict) or doc.get("kind") != want["const"]):
        return doc, ["%s: the document's kind is %r" % (
            kind, doc.get("kind") if isinstance(doc, dict) else type(doc).__name__)]
    out = []
    for e in sorted(_validator(kind, schemas).iter_errors(doc),
                    key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        out.append("%s: %s: %s" % (kind, where, e.message))
    return doc, out


def errors(kind, text):
    """The ways text is not a conforming `kind` output; [] if it is one."""
    return _parse_and_judge(kind, text)[1]


def check(kind, text):
    """Parses text and validates it against docs/schema/KIND.schema.json;
    returns the parsed document, raises SchemaError naming every violation."""
    doc, found = _parse_and_judge(kind, text)
    if found:
        raise SchemaError("; ".join(found))
    return doc


def main(argv):
    if len(argv) < 3:
        print("usage: schema_check.py KIND FILE...", file=sys.stderr)
        return 2
    status = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for e in errors(argv[1], text):
            print("%s: %s" % (path, e), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
