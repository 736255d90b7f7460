#!/usr/bin/env python3
"""Writes seed inputs for the ftp and tls fuzz targets from the repo's Ethernet/IPv4/IPv6 pcaps.

Usage: make-seeds.py CAPTURES_DIR OUT_DIR   (writes OUT_DIR/ftp/*.bin and OUT_DIR/tls/*.bin)

Each TCP connection becomes a stream script (see StreamScript.cs): its payloads in capture order,
0xFE 'c' / 0xFE 's' before each change of speaker. ftp seeds are control connections (port 21/990
or a server greeting with 220); tls seeds are what follows the 234 reply to AUTH (first byte 1,
control role) and data connections that start with a TLS record (first byte 0, data role).
"""
import os, struct, sys

def connections(path):
    data = open(path, 'rb').read()
    if len(data) < 24: return []
    magic = struct.unpack('<I', data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d): return []
    if struct.unpack('<I', data[20:24])[0] != 1: return []  # Ethernet only
    conns, order, pos = {}, [], 24
    while pos + 16 <= len(data):
        caplen = struct.unpack('<I', data[pos + 8:pos + 12])[0]
        frame = data[pos + 16:pos + 16 + caplen]
        pos += 16 + caplen
        if len(frame) < 14: continue
        etype, ip = struct.unpack('>H', frame[12:14])[0], frame[14:]
        if etype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
            ihl = (ip[0] & 15) * 4
            total = struct.unpack('>H', ip[2:4])[0]
            src, dst, tcp = ip[12:16], ip[16:20], ip[ihl:total]
        elif etype == 0x86dd and len(ip) >= 40 and ip[6] == 6:
            plen = struct.unpack('>H', ip[4:6])[0]
            src, dst, tcp = ip[8:24], ip[24:40], ip[40:40 + plen]
        else:
            continue
        if len(tcp) < 20: continue
        sport, dport, seq = struct.unpack('>HHI', tcp[:8])
        flags, off = tcp[13], (tcp[12] >> 4) * 4
        payload = tcp[off:]
        a, b = (src, sport), (dst, dport)
        key = (min(a, b), max(a, b))
        if key not in conns:
            if not (flags & 0x02) or (flags & 0x10): continue  # start at a bare SYN
            conns[key] = {'client': a, 'segs': [], 'next': {}}
            order.append(key)
        c = conns[key]
        d = 'c' if a == c['client'] else 's'
        if flags & 0x02: c['next'][d] = seq + 1; continue
        if not payload: continue
        exp = c['next'].get(d)
        if exp is None or seq != exp: continue  # keep in-order bytes only
        c['next'][d] = seq + len(payload)
        c['segs'].append((d, payload))
    return [conns[k] for k in order]

def script(segs, first):
    out, cur = bytearray(), first
    for d, p in segs:
        if d != cur: out += b'\xfe' + d.encode(); cur = d
        out += p
    return bytes(out)

def main():
    cap_dir, out_dir = sys.argv[1], sys.argv[2]
    for t in ('ftp', 'tls'): os.makedirs(os.path.join(out_dir, t), exist_ok=True)
    n = {'ftp': 0, 'tls': 0}
    def write(t, name, body):
        if 0 < len(body) <= 16384:
            open(os.path.join(out_dir, t, name + '.bin'), 'wb').write(body); n[t] += 1
    for f in sorted(os.listdir(cap_dir)):
        if not f.endswith('.pcap'): continue
        for i, c in enumerate(connections(os.path.join(cap_dir, f))):
            segs = c['segs']
            if not segs: continue
            base = f'{f[:-5]}-{i}'
            port = c['client'][1]
            if segs[0][0] == 's' and segs[0][1].startswith(b'220'):
                write('ftp', base, script(segs, 's'))
                # tls, control role: everything after the 234 reply
                for j, (d, p) in enumerate(segs):
                    if d == 's' and p.startswith(b'234'):
                        write('tls', base + '-auth', b'\x01' + script(segs[j + 1:], 'c'))
                        break
            elif segs[0][1][:1] == b'\x16':
                first = segs[0][0]
                # data role: the FTP client is the TLS client; swap when the TCP server sent the ClientHello
                if first == 's': segs = [('c' if d == 's' else 's', p) for d, p in segs]
                write('tls', base + '-data', b'\x00' + script(segs, 'c'))
    print(f"seeds: {n['ftp']} ftp, {n['tls']} tls")

main()
