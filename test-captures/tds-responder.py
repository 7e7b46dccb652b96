#!/usr/bin/env python3
"""tds-responder.py - a minimal TDS 7.4 responder for record-apps.sh.

Debian has no Microsoft SQL Server, so this small stand-in answers a real
TDS client (FreeTDS tsql) with the messages MS-TDS specifies for the server
side: a PRELOGIN response (encryption not supported), a LOGIN7 answer
(ENVCHANGE database, LOGINACK, ENVCHANGE packet size, DONE) and, for every
SQL batch, a one-column one-row result (COLMETADATA, ROW, DONE).  The client
side of the capture is FreeTDS itself; the server side is these bytes,
built from the MS-TDS specification (sections 2.2.6.5, 2.2.7).  It serves
one connection at a time and exits after SECONDS.

usage: tds-responder.py HOST PORT SECONDS
"""
import socket
import struct
import sys


def ucs2(s):
    return s.encode("utf-16-le")


def b_varchar(s):
    return bytes([len(s)]) + ucs2(s)


def packet(body, ptype=0x04):
    return struct.pack(">BBHHBB", ptype, 0x01, 8 + len(body), 0, 1, 0) + body


def prelogin_response():
    opts = [(0x00, bytes([15, 0, 0x07, 0xD0, 0, 0])),   # VERSION 15.0.2000
            (0x01, bytes([0x02])),                      # ENCRYPTION: not supported
            (0x02, bytes([0x00])),                      # INSTOPT
            (0x03, b""),                                # THREADID (empty in responses)
            (0x04, bytes([0x00]))]                      # MARS off
    off = 5 * len(opts) + 1
    head, data = b"", b""
    for tok, val in opts:
        head += struct.pack(">BHH", tok, off + len(data), len(val))
        data += val
    return packet(head + b"\xff" + data)


def envchange(kind, new, old):
    body = bytes([kind]) + b_varchar(new) + b_varchar(old)
    return b"\xe3" + struct.pack("<H", len(body)) + body


def done(status, curcmd, rows):
    return b"\xfd" + struct.pack("<HHQ", status, curcmd, rows)


def login_response():
    prog = "Microsoft SQL Server"
    ack = bytes([1]) + struct.pack(">I", 0x74000004) + b_varchar(prog) + bytes([15, 0, 0x07, 0xD0])
    return packet(envchange(1, "master", "master") +
                  b"\xad" + struct.pack("<H", len(ack)) + ack +
                  envchange(4, "4096", "4096") + done(0, 0, 0))


def batch_response():
    colmeta = b"\x81" + struct.pack("<H", 1) + struct.pack("<IH", 0, 0x0008) + b"\x38" + b_varchar("one")
    row = b"\xd1" + struct.pack("<i", 1)
    return packet(colmeta + row + done(0x0010, 0xC1, 1))


def recv_exact(c, n):
    buf = b""
    while len(buf) < n:
        chunk = c.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve(c):
    while True:
        hdr = recv_exact(c, 8)
        if hdr is None:
            return
        ptype, _status, length = struct.unpack(">BBH", hdr[:4])
        if length < 8 or recv_exact(c, length - 8) is None:
            return
        if ptype == 0x12:
            c.sendall(prelogin_response())
        elif ptype == 0x10:
            c.sendall(login_response())
        elif ptype == 0x01:
            c.sendall(batch_response())
        elif ptype == 0x06:
            c.sendall(packet(done(0x0020, 0, 0)))


def main():
    host, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(4)
    s.settimeout(secs)
    try:
        while True:
            c, _ = s.accept()
            c.settimeout(secs)
            try:
                serve(c)
            except OSError:
                pass
            c.close()
    except OSError:
        pass


if __name__ == "__main__":
    main()
