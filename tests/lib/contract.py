# SPDX-License-Identifier: MIT
"""The process contract's names for the Python tests, read from the C headers
that define them (include/igdpt/abi/events.h, probe_report.h), so a name is
spelled in one place only.

    from contract import EV, PROBE
    EV["ASLS_WRITE"]   -> "asls_write"      (IGDPT_EV_ASLS_WRITE)
    PROBE["LINE_PREFIX"] -> "IGDPT-PROBE "  (IGDPT_PROBE_LINE_PREFIX)
"""
import os
import re

_ROOT = os.environ.get("IGDPT_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
_DEFINE = re.compile(r'^#define\s+(IGDPT_[A-Z0-9_]+)\s+(.*?)\s*(?:/\*.*)?$')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _read(header):
    """Maps each macro whose value is string literals and earlier macros
    (C concatenation) to its string."""
    names = {}
    with open(os.path.join(_ROOT, "include", "igdpt", "abi", header), encoding="utf-8") as f:
        for line in f:
            m = _DEFINE.match(line.strip())
            if not m:
                continue
            value, ok = "", True
            for token in re.findall(r'"(?:[^"\\]|\\.)*"|[A-Z_][A-Z0-9_]*', m.group(2)):
                if token.startswith('"'):
                    value += bytes(token[1:-1], "utf-8").decode("unicode_escape")
                elif token in names:
                    value += names[token]
                else:
                    ok = False
            if ok and m.group(2).strip():
                names[m.group(1)] = value
    return names


def _strip(names, prefix):
    return {k[len(prefix):]: v for k, v in names.items() if k.startswith(prefix)}


EV = _strip(_read("events.h"), "IGDPT_EV_")
PROBE = _strip(_read("probe_report.h"), "IGDPT_PROBE_")
