#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Decode benchmark: igdpt (validate + decode) against intel_vbt_decode.

Runs both as whole processes on every corpus file (vbt/ and opregion/) in one
run: the best wall time of REPEAT runs per file (the best, because the
machine may be shared) and the ratio, then instructions per file under
valgrind --tool=callgrind. igdpt validate takes all files in one process, as
it is meant to be used; its cost is shared equally among the files and added
to each file's igdpt decode. Writes bench/results/decode.txt and
decode.json. Usage: bench/decode.py [BUILD_DIR] (default: build).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPEAT = 10
TARGET_RATIO = 5.0
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall(cmds):
    """Best seconds of running all cmds in sequence, out of REPEAT runs."""
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        for cmd in cmds:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return min(samples)


def instructions(cmds):
    total = 0
    for cmd in cmds:
        res = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null'] + cmd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             universal_newlines=True, errors='replace')
        m = re.search(r'Collected : (\d+)', res.stderr)
        if not m:
            raise RuntimeError('no callgrind total for %s' % cmd)
        total += int(m.group(1))
    return total


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    igdpt = os.path.join(build if os.path.isabs(build) else os.path.join(ROOT, build), 'tools', 'igdpt')
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
    validate = [[igdpt, 'validate'] + [os.path.join(corpus, f) for f in files]]
    validate_s = wall(validate) / len(files)
    validate_instr = instructions(validate) // len(files)
    rows = []
    for rel in files:
        path = os.path.join(corpus, rel)
        ours = [[igdpt, 'decode', path]]
        peer = [['intel_vbt_decode', '--file', path]]
        row = {'file': rel, 'igdpt_s': validate_s + wall(ours), 'peer_s': wall(peer),
               'igdpt_instructions': validate_instr + instructions(ours),
               'peer_instructions': instructions(peer)}
        row['wall_ratio'] = row['peer_s'] / row['igdpt_s']
        row['instruction_ratio'] = row['peer_instructions'] / row['igdpt_instructions']
        rows.append(row)
        print('%-52s %7.2f ms %7.2f ms %5.2fx %10d %10d %5.2fx' % (
            rel, row['igdpt_s'] * 1e3, row['peer_s'] * 1e3, row['wall_ratio'],
            row['igdpt_instructions'], row['peer_instructions'], row['instruction_ratio']))

    total = {
        'igdpt_s': sum(r['igdpt_s'] for r in rows),
        'peer_s': sum(r['peer_s'] for r in rows),
        'igdpt_instructions': sum(r['igdpt_instructions'] for r in rows),
        'peer_instructions': sum(r['peer_instructions'] for r in rows),
    }
    total['wall_ratio'] = total['peer_s'] / total['igdpt_s']
    total['instruction_ratio'] = total['peer_instructions'] / total['igdpt_instructions']
    total['min_instruction_ratio'] = min(r['instruction_ratio'] for r in rows)
    total['target_ratio'] = TARGET_RATIO
    total['target_met'] = total['wall_ratio'] >= TARGET_RATIO and total['instruction_ratio'] >= TARGET_RATIO

    out_dir = os.path.join(ROOT, 'bench', 'results')
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'decode.json'), 'w') as f:
        json.dump({'repeat': REPEAT, 'igdpt': 'igdpt validate ALL (shared) + igdpt decode F',
                   'peer': 'intel_vbt_decode --file F', 'files': rows, 'total': total}, f, indent=2)
    with open(os.path.join(out_dir, 'decode.txt'), 'w') as f:
        f.write('# igdpt (validate of all files in one process, shared per file, + decode F, text)\n')
        f.write('# vs intel_vbt_decode --file F; whole processes\n')
        f.write('# wall: best of %d runs; instructions: valgrind --tool=callgrind\n' % REPEAT)
        f.write('%-52s %10s %10s %7s %12s %12s %7s\n' % ('file', 'igdpt_ms', 'peer_ms', 'ratio',
                                                        'igdpt_instr', 'peer_instr', 'ratio'))
        for r in rows:
            f.write('%-52s %10.3f %10.3f %7.2f %12d %12d %7.2f\n' % (
                r['file'], r['igdpt_s'] * 1e3, r['peer_s'] * 1e3, r['wall_ratio'],
                r['igdpt_instructions'], r['peer_instructions'], r['instruction_ratio']))
        f.write('%-52s %10.3f %10.3f %7.2f %12d %12d %7.2f\n' % (
            'TOTAL (%d files)' % len(rows), total['igdpt_s'] * 1e3, total['peer_s'] * 1e3,
            total['wall_ratio'], total['igdpt_instructions'], total['peer_instructions'],
            total['instruction_ratio']))
        f.write('target igdpt >= %.0fx faster: %s (worst file: %.2fx instructions)\n' % (
            TARGET_RATIO, 'met' if total['target_met'] else 'NOT met', total['min_instruction_ratio']))
    print('wall %.2fx, instructions %.2fx -> %s' % (total['wall_ratio'], total['instruction_ratio'],
                                                   os.path.join(out_dir, 'decode.txt')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
