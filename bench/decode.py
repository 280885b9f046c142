#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Decode benchmark: igdpt decode's own work against intel_vbt_decode's.

For every corpus file (vbt/ and opregion/), in one run, counted with
valgrind --tool=callgrind (instructions: deterministic, unlike wall time on a
shared machine):

- igdpt: the instructions inside main() of `igdpt decode FILE` (text), with
  --toggle-collect=main, so the dynamic loader and libc start-up are left out;
- intel_vbt_decode: `intel_vbt_decode --file FILE` minus `intel_vbt_decode
  --help` (the peer's start-up, about 12 M instructions, is all in both);
- ratio = igdpt / peer; the target is at most TARGET (igdpt does at most
  half the peer's work per file).

Also igdpt decode of all files in one invocation (inside main(), per file),
and the best wall time of REPEAT runs of each whole process, for the record.
Writes bench/results/decode.txt and decode.json.
Usage: bench/decode.py [BUILD_DIR] (default: build).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPEAT = 5
TARGET = 0.5
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def instructions(cmd, main_only=False):
    args = ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null']
    if main_only:
        args.append('--toggle-collect=main')
    res = subprocess.run(args + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         universal_newlines=True, errors='replace')
    m = re.search(r'Collected : (\d+)', res.stderr)
    if not m:
        raise RuntimeError('no callgrind total for %s' % cmd)
    return int(m.group(1))


def wall(cmd):
    """Best seconds of REPEAT runs of cmd."""
    best = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    build = build if os.path.isabs(build) else os.path.join(ROOT, build)
    igdpt = os.path.join(build, 'tools', 'igdpt')
    corpus = os.environ.get('IGDPT_CORPUS', os.path.join(ROOT, '..', 'shared', 'corpus'))
    for tool in ('intel_vbt_decode', 'valgrind'):
        if not shutil.which(tool):
            print('bench/decode.py: %s not found (scripts/install-deps)' % tool, file=sys.stderr)
            return 2
    if not os.access(igdpt, os.X_OK):
        print('bench/decode.py: %s not built' % igdpt, file=sys.stderr)
        return 2
    files = sorted(os.path.join(d, f) for d in ('vbt', 'opregion')
                   for f in os.listdir(os.path.join(corpus, d)))
    paths = [os.path.join(corpus, f) for f in files]
    peer_startup = instructions(['intel_vbt_decode', '--help'])
    rows = []
    for rel, path in zip(files, paths):
        ours = instructions([igdpt, 'decode', path], main_only=True)
        peer = instructions(['intel_vbt_decode', '--file', path]) - peer_startup
        row = {'file': rel, 'igdpt_instructions': ours, 'peer_instructions': peer,
               'ratio': ours / peer if peer > 0 else None,
               'igdpt_s': wall([igdpt, 'decode', path]),
               'peer_s': wall(['intel_vbt_decode', '--file', path])}
        rows.append(row)
        print('%-52s %9d %9d %6.3f' % (rel, ours, peer, row['ratio'] or 0))
    batch = instructions([igdpt, 'decode'] + paths, main_only=True)
    ratios = [r['ratio'] for r in rows if r['ratio'] is not None]
    total = {
        'files': len(rows),
        'igdpt_instructions': sum(r['igdpt_instructions'] for r in rows),
        'peer_instructions': sum(r['peer_instructions'] for r in rows),
        'peer_startup_instructions': peer_startup,
        'igdpt_batch_instructions_per_file': batch // len(rows),
        'worst_ratio': max(ratios),
        'median_ratio': sorted(ratios)[len(ratios) // 2],
        'target': TARGET,
    }
    total['ratio'] = total['igdpt_instructions'] / total['peer_instructions']
    total['target_met'] = total['worst_ratio'] <= TARGET

    out_dir = os.path.join(ROOT, 'bench', 'results')
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'decode.json'), 'w') as f:
        json.dump({'igdpt': 'igdpt decode FILE: instructions inside main()',
                   'peer': 'intel_vbt_decode --file FILE minus intel_vbt_decode --help',
                   'files': rows, 'total': total}, f, indent=2)
    with open(os.path.join(out_dir, 'decode.txt'), 'w') as f:
        f.write('# instructions (valgrind --tool=callgrind) per file, text output\n')
        f.write('# igdpt: `igdpt decode FILE` inside main() (--toggle-collect=main)\n')
        f.write('# peer:  `intel_vbt_decode --file FILE` minus `intel_vbt_decode --help` '
                '(%d)\n' % peer_startup)
        f.write('# wall: whole processes, best of %d runs (start-up included)\n' % REPEAT)
        f.write('%-52s %11s %11s %7s %9s %9s\n' % ('file', 'igdpt', 'peer', 'ratio',
                                                  'igdpt_ms', 'peer_ms'))
        for r in rows:
            f.write('%-52s %11d %11d %7.3f %9.3f %9.3f\n' % (
                r['file'], r['igdpt_instructions'], r['peer_instructions'], r['ratio'] or 0,
                r['igdpt_s'] * 1e3, r['peer_s'] * 1e3))
        f.write('%-52s %11d %11d %7.3f\n' % ('TOTAL (%d files)' % len(rows),
                                            total['igdpt_instructions'],
                                            total['peer_instructions'], total['ratio']))
        f.write('worst file %.3f, median %.3f; target every file <= %.1f: %s\n' % (
            total['worst_ratio'], total['median_ratio'], TARGET,
            'met' if total['target_met'] else 'NOT met'))
        f.write('igdpt decode of all %d files in one run: %d instructions per file inside '
                'main()\n' % (len(rows), total['igdpt_batch_instructions_per_file']))
    print('total %.3f, worst %.3f, median %.3f (target <= %.1f: %s); one run for all: %d per file'
          % (total['ratio'], total['worst_ratio'], total['median_ratio'], TARGET,
             'met' if total['target_met'] else 'NOT met',
             total['igdpt_batch_instructions_per_file']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
