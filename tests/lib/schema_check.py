# SPDX-License-Identifier: MIT
"""Checks an igdpt --json output against its schema in docs/schema/.

    import schema_check
    errors = schema_check.check("decode", stdout_text)   # [] when it conforms

check() parses the text, requires the document's "kind" to be the one
asked for, and validates it against docs/schema/KIND.schema.json, whose
references to document.schema.json (the dialect's shared definitions)
resolve from the same folder by their $id, offline. Needs python3-jsonschema
(scripts/install-deps); available() says whether it is there, so a test
can exit 77 with the reason. Works with jsonschema 4.10 (Debian 12) and
later (the referencing registry).
"""
import json
import os
import warnings

SOURCE_ROOT = os.environ.get(
    "IGDPT_SOURCE_ROOT", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMA_DIR = os.path.join(SOURCE_ROOT, "docs", "schema")

try:
    import jsonschema
except ImportError:  # reported by available()
    jsonschema = None


def available():
    """None when schemas can be checked, else why not."""
    if jsonschema is None:
        return "python3-jsonschema is not installed (scripts/install-deps)"
    return None


def kinds():
    """The outputs that have a schema: file names without .schema.json."""
    return sorted(f[:-len(".schema.json")] for f in os.listdir(SCHEMA_DIR)
                  if f.endswith(".schema.json") and f != "document.schema.json")


def _schemas():
    """Every schema of the folder, by its $id. The ids live under the
    reserved .invalid domain: nothing is ever fetched."""
    out = {}
    for name in os.listdir(SCHEMA_DIR):
        if name.endswith(".schema.json"):
            with open(os.path.join(SCHEMA_DIR, name)) as f:
                schema = json.load(f)
            out[schema["$id"]] = schema
    return out


def _validator(kind):
    schemas = _schemas()
    schema = next(s for i, s in schemas.items() if i.endswith("/%s.schema.json" % kind))
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        # jsonschema before 4.18: the resolver with a preloaded store.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            resolver = jsonschema.RefResolver(schema["$id"], schema, store=schemas)
        return cls(schema, resolver=resolver)
    registry = Registry().with_resources(
        (i, Resource.from_contents(s, default_specification=DRAFT202012))
        for i, s in schemas.items())
    return cls(schema, registry=registry)


def check(kind, text):
    """The ways text is not a conforming `kind` document; [] if it is one."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        return ["%s: not JSON: %s" % (kind, e)]
    if not isinstance(doc, dict) or doc.get("kind") != kind:
        return ["%s: the document's kind is %r" % (kind, doc.get("kind") if isinstance(doc, dict)
                                                   else type(doc).__name__)]
    errors = []
    for e in sorted(_validator(kind).iter_errors(doc), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        errors.append("%s: %s: %s" % (kind, where, e.message))
    return errors
