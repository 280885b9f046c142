#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""igdpt decode and validate on every corpus file, checked against intel_vbt_decode.

For each file in $IGDPT_CORPUS/{vbt,opregion}: `igdpt decode --json` parses
and has vbt.bdb_version and vbt.blocks; the block ids equal those in
intel_vbt_decode's "BDB blocks present" line, up to the differences named in
the tables below (each checked to be exactly that); BDB version, child device
count and the panel resolution of the LFP data for the panel type agree with
the peer; `igdpt validate` rejects exactly the corrupt files, with their reason.
Exit 77 (skip) when intel_vbt_decode or the corpus is missing.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

# file -> the last block that its one-byte-short bdb_size hides from the
# peer (PEER.tsv raw_blocks_not_decoded) and that igdpt reads (the
# bdb-size-short quirk, README.md's warning table).
HIDDEN_LAST_BLOCK = {
    'opregion/chikmyvoltage-msi-kvm-igpu-opregion.bin': 51,
    'opregion/masnax-osx-kvm-opregion.bin': 51,
    'vbt/cb-asrock-imb-1222.vbt': 51,
    'vbt/cb-framework-marigold.vbt': 58,
    'vbt/cb-framework-sakura.vbt': 58,
    'vbt/cb-framework-sunflower.vbt': 58,
    'vbt/cb-google-brya-xol.vbt': 58,
    'vbt/cb-google-sarien.vbt': 51,
    'vbt/cb-lattepanda-mu.vbt': 58,
    'vbt/cb-lenovo-m900_tiny-cce6dfbf.vbt': 51,
    'vbt/cb-msi-ms7d25.vbt': 58,
    'vbt/cb-msi-ms7d98.vbt': 58,
    'vbt/cb-purism-librem_jsl.vbt': 58,
    'vbt/cb-qotom-q535g6.vbt': 51,
    'vbt/cb-system76-adl-oryp9.vbt': 58,
    'vbt/cb-system76-rpl-addw3.vbt': 58,
    'vbt/cb-system76-tgl-h-oryp8.vbt': 58,
    'vbt/cb-system76-tgl-u-galp5.vbt': 58,
    'vbt/cb-topton-adl.vbt': 58,
    'vbt/fsp-AlderLake-AlderLakeN-VbtAdlN.vbt': 58,
    'vbt/fsp-AlderLake-AlderLakeN-VbtAdlP.vbt': 58,
    'vbt/fsp-AlderLake-AlderLakeP-VBT-VbtAdlP.vbt': 58,
    'vbt/fsp-AlderLake-AlderLakePS-Vbt.vbt': 58,
    'vbt/fsp-AlderLake-AlderLakePS-VbtAdlN.vbt': 58,
    'vbt/fsp-AmberLake-Vbt.vbt': 51,
    'vbt/fsp-ApolloLake-vbt.vbt': 55,
    'vbt/fsp-ArrowLake-ArrowLakeS-Vbt.vbt': 58,
    'vbt/fsp-ArrowLake-ArrowLakeUH-VBT_MTL.vbt': 58,
    'vbt/fsp-ArrowLake-ArrowLakeUH-Vbt_ARLSHX.vbt': 58,
    'vbt/fsp-CometLake-CometLakeS-Vbt.vbt': 51,
    'vbt/fsp-CometLake-CometLakeV-Vbt.vbt': 51,
    'vbt/fsp-ElkhartLake-Vbt.vbt': 58,
    'vbt/fsp-IceLake-Vbt.vbt': 57,
    'vbt/fsp-Kabylake-Vbt.vbt': 51,
    'vbt/fsp-MeteorLake-MeteorLake-Vbt.vbt': 58,
    'vbt/fsp-TigerLake-Client-Vbt.vbt': 58,
    'vbt/gh-TianBei-N1-PRO-vbt.vbt': 58,
    'vbt/sbl-Alderlake-VbtAdlNCrb-20bc4cf1.vbt': 58,
    'vbt/sbl-Alderlake-VbtAdlNCrb-4e88176a.vbt': 58,
    'vbt/sbl-Alderlake-VbtAdlNCrb.vbt': 58,
    'vbt/sbl-Alderlake-VbtAdlNCrbEdp.vbt': 58,
    'vbt/sbl-Alderlake-VbtAdlP.vbt': 58,
    'vbt/sbl-Alderlake-VbtAdlPUpx.vbt': 58,
    'vbt/sbl-Arrowlake-VbtArlhCrb.vbt': 58,
    'vbt/sbl-Arrowlake-VbtMtlS.vbt': 58,
    'vbt/sbl-Coffeelake-Vbt.vbt': 56,
    'vbt/sbl-Meteorlake-VbtMtlpMcl.vbt': 58,
    'vbt/sbl-Meteorlake-VbtMtlpsCrb.vbt': 58,
    'vbt/sbl-Raptorlake-Vbt_rplp_crb.vbt': 58,
    'vbt/sbl-Raptorlake-Vbt_rplp_rki.vbt': 58,
}

# Files without block 41 for which the peer synthesizes one from block 42
# and lists it as present ("Generating LVDS data table pointers").
PEER_SYNTHESIZES_41 = {
    'vbt/cb-framework-marigold.vbt',
    'vbt/cb-framework-sakura.vbt',
    'vbt/cb-framework-sunflower.vbt',
    'vbt/cb-google-brya-xol.vbt',
    'vbt/cb-google-dedede-bugzzy.vbt',
    'vbt/cb-lattepanda-mu.vbt',
    'vbt/cb-msi-ms7d25.vbt',
    'vbt/cb-msi-ms7d98.vbt',
    'vbt/cb-purism-librem_jsl.vbt',
    'vbt/cb-system76-adl-oryp9.vbt',
    'vbt/cb-system76-rpl-addw3.vbt',
    'vbt/cb-system76-tgl-h-oryp8.vbt',
    'vbt/cb-system76-tgl-u-galp5.vbt',
    'vbt/cb-topton-adl.vbt',
    'vbt/fsp-AlderLake-AlderLakeN-VbtAdlN.vbt',
    'vbt/fsp-AlderLake-AlderLakeN-VbtAdlP.vbt',
    'vbt/fsp-AlderLake-AlderLakeP-VBT-VbtAdlP.vbt',
    'vbt/fsp-AlderLake-AlderLakePS-Vbt.vbt',
    'vbt/fsp-AlderLake-AlderLakePS-VbtAdlN.vbt',
    'vbt/fsp-AlderLake-TwinLake-Vbt_AuoMipi.vbt',
    'vbt/fsp-ArrowLake-ArrowLakeS-Vbt.vbt',
    'vbt/fsp-ArrowLake-ArrowLakeUH-VBT_MTL.vbt',
    'vbt/fsp-ArrowLake-ArrowLakeUH-Vbt_ARLSHX.vbt',
    'vbt/fsp-ElkhartLake-Vbt.vbt',
    'vbt/fsp-MeteorLake-MeteorLake-Vbt.vbt',
    'vbt/fsp-TigerLake-Client-Vbt.vbt',
    'vbt/gh-TianBei-N1-PRO-vbt.vbt',
    'vbt/sbl-Alderlake-VbtAdlNCrb-20bc4cf1.vbt',
    'vbt/sbl-Alderlake-VbtAdlNCrb-4e88176a.vbt',
    'vbt/sbl-Alderlake-VbtAdlNCrb.vbt',
    'vbt/sbl-Alderlake-VbtAdlNCrbEdp.vbt',
    'vbt/sbl-Alderlake-VbtAdlP.vbt',
    'vbt/sbl-Alderlake-VbtAdlPUpx.vbt',
    'vbt/sbl-Arrowlake-VbtArlhCrb.vbt',
    'vbt/sbl-Arrowlake-VbtMtlS.vbt',
    'vbt/sbl-Meteorlake-VbtMtlpMcl.vbt',
    'vbt/sbl-Meteorlake-VbtMtlpsCrb.vbt',
    'vbt/sbl-Raptorlake-Vbt_rplp_crb.vbt',
    'vbt/sbl-Raptorlake-Vbt_rplp_rki.vbt',
}

# The peer reads a bogus block past the end of a MIPI sequence v3 block (its
# walker advances by the u32 length, 5 bytes short) and lists its id.
PEER_BOGUS_BLOCK = {
    'vbt/fsp-AlderLake-TwinLake-Vbt_AuoMipi.vbt': 19,
}

# The peer drops block 41 it judges malformed; igdpt lists every block.
PEER_REJECTS_BLOCK = {
    'vbt/cb-google-hatch-kindred-kled.vbt': 41,
}

# The corrupt files of the corpus, with igdpt's reason.
CORRUPT = {
    'vbt/cb-starlabs-lite-glk.vbt': 'block runs past the end of the BDB',
    'vbt/cb-starlabs-lite-glk-5da05b6e.vbt': 'block runs past the end of the BDB',
    'vbt/cb-starlabs-lite-glk-a6accb58.vbt': 'block runs past the end of the BDB',
    'vbt/cb-purism-librem_skl.vbt': 'block runs past the end of the BDB',
    'vbt/cb-google-hatch-kindred-kled.vbt': 'block runs past the end of the BDB',
}

BLOCK_HEADER_SIZE = 3
MIPI_SEQUENCE = 53
MIPI_SEQ_V3_SUBHEADER = 5


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, errors='replace')


def peer_facts(path):
    """What intel_vbt_decode says about a file."""
    out = run(['intel_vbt_decode', '--file', path]).stdout
    facts = {'blocks': [], 'bdb_version': None, 'child_count': None, 'panel': None}
    m = re.search(r'BDB blocks present:\n((?:\t.*\n)+)', out)
    if m:
        facts['blocks'] = sorted(int(x) for x in m.group(1).split())
    m = re.search(r'BDB version:\s+(\d+)', out)
    if m:
        facts['bdb_version'] = int(m.group(1))
    m = re.search(r'Child device count: (\d+)', out)
    if m:
        facts['child_count'] = int(m.group(1))
    section = re.search(r'^BDB block 42 .*?(?=^BDB block |\Z)', out, re.S | re.M)
    if section:
        m = re.search(r'Panel (\d+) \*\n\t\t(\d+)x(\d+) clock (\d+)', section.group(0))
        if m:
            facts['panel'] = tuple(int(x) for x in m.groups())
    return facts


def expected_ids(rel, peer_ids):
    ids = set(peer_ids)
    for table in (PEER_BOGUS_BLOCK, PEER_REJECTS_BLOCK):
        if rel in table:
            assert table[rel] in ids or rel in PEER_REJECTS_BLOCK, (rel, table[rel])
    ids.discard(PEER_BOGUS_BLOCK.get(rel))
    if rel in PEER_SYNTHESIZES_41:
        ids.discard(41)
    if rel in HIDDEN_LAST_BLOCK:
        ids.add(HIDDEN_LAST_BLOCK[rel])
    if rel in PEER_REJECTS_BLOCK:
        ids.add(PEER_REJECTS_BLOCK[rel])
    return sorted(ids)


def block_end(b):
    size = b['size']
    return b['offset'] + BLOCK_HEADER_SIZE + size


def check_file(igdpt, corpus, rel, errors):
    def fail(msg):
        errors.append('%s: %s' % (rel, msg))

    path = os.path.join(corpus, rel)
    res = run([igdpt, 'decode', '--json', path])
    want_exit = 1 if rel in CORRUPT else 0
    if res.returncode != want_exit:
        fail('decode exit %d, expected %d: %s' % (res.returncode, want_exit, res.stderr.strip()))
    try:
        tree = json.loads(res.stdout)['files'][0]
    except (ValueError, KeyError, IndexError) as e:
        return fail('decode --json output is not a decode document: %s' % e)
    vbt = tree.get('vbt')
    if not vbt or 'bdb_version' not in vbt or 'blocks' not in vbt:
        return fail('no vbt.bdb_version / vbt.blocks')
    blocks = vbt['blocks']
    # The peer lists ids, not blocks: old VBIOS VBTs repeat block 254.
    ids = sorted(set(b['id'] for b in blocks))
    peer = peer_facts(path)

    # The table must describe a real difference, exactly.
    hidden = HIDDEN_LAST_BLOCK.get(rel)
    if hidden is not None:
        if hidden in peer['blocks'] or hidden not in ids:
            fail('table says the peer misses block %d, but peer %s igdpt %s' % (hidden, peer['blocks'], ids))
        if blocks and blocks[-1]['id'] != hidden:
            fail('hidden block %d is not the last block igdpt reads' % hidden)
    if rel in PEER_SYNTHESIZES_41 and (41 in ids or 41 not in peer['blocks']):
        fail('table says the peer synthesizes block 41, but igdpt lists %s' % ids)
    want = expected_ids(rel, peer['blocks'])
    if ids != want:
        fail('block ids %s, expected %s (peer %s)' % (ids, want, peer['blocks']))

    if rel in CORRUPT:
        if tree['valid'] or tree['reason'] != CORRUPT[rel]:
            fail('reason %r, expected %r' % (tree['reason'], CORRUPT[rel]))
        # The error is at the first block igdpt could not list.
        if blocks and tree['offset'] != block_end(blocks[-1]):
            fail('error offset %s is not the end of the last listed block %d'
                 % (tree['offset'], block_end(blocks[-1])))
    elif not tree['valid']:
        fail('invalid: %s' % tree['reason'])

    if vbt['bdb_version'] != peer['bdb_version']:
        fail('bdb_version %s, peer %s' % (vbt['bdb_version'], peer['bdb_version']))
    gendef = [b for b in blocks if b['id'] == 2]
    if peer['child_count'] is not None:
        got = gendef[0]['fields'].get('child_device_count') if gendef else None
        if got != peer['child_count']:
            fail('child device count %s, peer %s' % (got, peer['child_count']))
    if peer['panel'] is not None:
        index, width, height, clock_hz = peer['panel']
        lfp = [b for b in blocks if b['id'] == 42]
        panels = lfp[0]['fields'].get('panels', []) if lfp else []
        panel = next((p for p in panels if p['panel'] == index), {})
        # The peer prints the fp timing's resolution and the DTD's clock.
        got = (panel.get('fp_timing', {}).get('x_res'), panel.get('fp_timing', {}).get('y_res'),
               panel.get('dtd', {}).get('pixel_clock_khz', 0) * 1000)
        if vbt.get('panel_type') != index:
            fail('panel_type %s, peer %d' % (vbt.get('panel_type'), index))
        if got != (width, height, clock_hz):
            fail('panel %d: %sx%s %s Hz, peer %dx%d %d Hz' % ((index,) + got + (width, height, clock_hz)))
    return peer


def check_validate(igdpt, corpus, files, errors):
    res = run([igdpt, 'validate', '--json'] + [os.path.join(corpus, f) for f in files])
    results = json.loads(res.stdout)['files']
    if res.returncode != 1:
        errors.append('validate exit %d, expected 1 (corrupt files present)' % res.returncode)
    for rel, r in zip(files, results):
        if rel in CORRUPT:
            if r['valid'] or r['reason'] != CORRUPT[rel]:
                errors.append('%s: validate says %s/%r, expected rejection: %r'
                              % (rel, r['valid'], r['reason'], CORRUPT[rel]))
        elif not r['valid']:
            errors.append('%s: validate rejects: %s at %s' % (rel, r['reason'], r['offset']))


def main():
    corpus = os.environ.get('IGDPT_CORPUS')
    build = os.environ.get('IGDPT_BUILD_ROOT')
    if not corpus or not os.path.isdir(corpus) or not shutil.which('intel_vbt_decode'):
        print('SKIP: needs $IGDPT_CORPUS and intel_vbt_decode')
        return 77
    igdpt = os.path.join(build, 'tools', 'igdpt')
    files = sorted(os.path.join(d, f) for d in ('vbt', 'opregion')
                   for f in os.listdir(os.path.join(corpus, d)))
    # The tables must match what PEER.tsv recorded about the peer.
    with open(os.path.join(corpus, 'PEER.tsv')) as f:
        peer_tsv = {r['file']: r for r in csv.DictReader(f, delimiter='\t')}
    errors = []
    for rel, block in HIDDEN_LAST_BLOCK.items():
        if peer_tsv[rel]['raw_blocks_not_decoded'].split() != [str(block)]:
            errors.append('%s: HIDDEN_LAST_BLOCK %d disagrees with PEER.tsv' % (rel, block))
    for rel in files:
        check_file(igdpt, corpus, rel, errors)
    check_validate(igdpt, corpus, files, errors)
    for e in errors:
        print('FAIL ' + e)
    print('%d files, %d failures' % (len(files), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
