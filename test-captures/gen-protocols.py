#!/usr/bin/python3
"""gen-protocols.py - helpers for record-protocols.sh (run inside its netns).

Two kinds of sub-commands:

* real library peers, used where no Debian command-line program plays the
  role: ws-server / ws-client (python3-websockets), h2c-server (python3-h2,
  HTTP/1.1 Upgrade: h2c), smb-server (python3-impacket SimpleSMBServer).
* hand-built exchanges, for what no installed program can do: rdp, tpkt-q931,
  xmpp, mgcp, oci, json, protobuf.  Each runs a server and a client in one
  process over REAL kernel sockets on 127.0.0.1:3414, so the TCP/UDP/IP
  headers (handshake, ACKs, FIN) are the kernel's own; only the payload bytes
  are built here, following the RFC / specification named in each function.

Everything is bounded: sockets time out, every loop has a count.
Usage: gen-protocols.py SUBCOMMAND [args]
"""
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
PORT = 3414
TIMEOUT = 5.0


# ------------------------------------------------------------------ helpers
def tcp_listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, PORT))
    s.listen(1)
    s.settimeout(TIMEOUT)
    return s


def tcp_client(cport):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((HOST, cport))          # fixed client port: deterministic pcaps
    c.settimeout(TIMEOUT)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect((HOST, PORT))
    return c


def recv_until(sock, pred, limit=65536):
    """read until pred(buf) is true (or EOF / limit)."""
    buf = b""
    while not pred(buf) and len(buf) < limit:
        d = sock.recv(65536)
        if not d:
            break
        buf += d
    return buf


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        d = sock.recv(n - len(buf))
        if not d:
            raise EOFError("short read")
        buf += d
    return buf


def run_pair(server_fn, client_fn):
    """server_fn(conn) runs in a thread on the accepted socket, client_fn()
    in the main thread; both must close their sockets."""
    ls = tcp_listener()
    err = []

    def srv():
        try:
            conn, _ = ls.accept()
            conn.settimeout(TIMEOUT)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            server_fn(conn)
        except Exception as e:  # report, do not hang
            err.append(e)
        finally:
            ls.close()

    t = threading.Thread(target=srv, daemon=True)
    t.start()
    client_fn()
    t.join(TIMEOUT * 2)
    if err:
        raise err[0]


def pause():
    time.sleep(0.05)   # keep messages in separate segments, like real peers


# ------------------------------------------------------------------ websocket
def ws_server():
    import asyncio
    import websockets

    async def handler(ws, path=None):
        await ws.send("welcome to the wip websocket test server")
        n = 0
        async for msg in ws:
            n += 1
            await ws.send("echo %d: %s" % (n, msg))

    async def main():
        async with websockets.serve(handler, HOST, PORT, compression=None):
            await asyncio.sleep(12)

    asyncio.run(main())


def ws_client():
    import asyncio
    import websockets

    async def main():
        async with websockets.connect("ws://%s:%d/wip/chat" % (HOST, PORT),
                                      compression=None, open_timeout=5) as ws:
            print(await ws.recv())
            for m in ("hello from the websockets client",
                      '{"type":"ping","seq":2}',
                      "third and last text frame"):
                await ws.send(m)
                print(await ws.recv())
            # the context manager closes with code 1000 (close handshake)

    asyncio.run(asyncio.wait_for(main(), 8))


# ------------------------------------------------------------------ h2c upgrade
def h2c_server():
    """HTTP/1.1 Upgrade: h2c server (RFC 7540 section 3.2) on python3-h2."""
    import h2.config
    import h2.connection
    import h2.events

    ls = tcp_listener()
    conn, _ = ls.accept()
    conn.settimeout(TIMEOUT)
    req = recv_until(conn, lambda b: b"\r\n\r\n" in b)
    head = req.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    settings = None
    for line in head.split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "http2-settings":
            settings = v.strip()
    if settings is None:
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        conn.close()
        return
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\n"
                 b"Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
    h2c = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=False))
    h2c.initiate_upgrade_connection(settings_header=settings)
    conn.sendall(h2c.data_to_send())
    # stream 1 is the upgraded request (half-closed remote); answer it once
    # the client's connection preface (magic + SETTINGS) has arrived
    body = b"hello over h2c (upgraded from HTTP/1.1)\n"
    answered = False
    for _ in range(50):
        try:
            d = conn.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        events = h2c.receive_data(d)
        if not answered and any(isinstance(e, h2.events.RemoteSettingsChanged) for e in events):
            h2c.send_headers(1, [(":status", "200"), ("content-type", "text/plain"),
                                 ("content-length", str(len(body))),
                                 ("server", "python3-h2 wip-test")])
            h2c.send_data(1, body, end_stream=True)
            answered = True
        out = h2c.data_to_send()
        if out:
            conn.sendall(out)
        if any(isinstance(e, h2.events.ConnectionTerminated) for e in events):
            break
    conn.close()
    ls.close()


# ------------------------------------------------------------------ smb
def smb_server(share_dir):
    from impacket import smbserver
    srv = smbserver.SimpleSMBServer(listenAddress=HOST, listenPort=PORT)
    srv.setSMB2Support(True)
    srv.addShare("WIP", share_dir, "wip test share")
    srv.setSMBChallenge("")
    srv.start()


# ------------------------------------------------------------------ TPKT / RDP
def tpkt(payload):
    """RFC 1006 TPKT header: version 3, reserved 0, 16-bit total length."""
    return struct.pack("!BBH", 3, 0, 4 + len(payload)) + payload


def rdp(certfile, keyfile):
    """MS-RDPBCGR 2.2.1.1 / 2.2.1.2: X.224 Connection Request with the
    routing cookie and RDP_NEG_REQ, Connection Confirm with RDP_NEG_RSP
    selecting PROTOCOL_SSL, then (as a real RDP peer does) a TLS handshake
    on the same connection (python ssl = OpenSSL, throwaway cert)."""
    import ssl

    cookie = b"Cookie: mstshash=user\r\n"
    neg_req = struct.pack("<BBHI", 0x01, 0x00, 8, 0x00000003)  # SSL|HYBRID
    x224_cr = bytes([6 + len(cookie) + len(neg_req), 0xE0]) + \
        struct.pack("!HHB", 0, 0, 0) + cookie + neg_req       # LI, CR CDT, dst, src, class 0
    neg_rsp = struct.pack("<BBHI", 0x02, 0x1F, 8, 0x00000001)  # PROTOCOL_SSL
    x224_cc = bytes([6 + len(neg_rsp), 0xD0]) + \
        struct.pack("!HHB", 0, 0x1234, 0) + neg_rsp

    def server(conn):
        hdr = recv_exact(conn, 4)
        recv_exact(conn, struct.unpack("!H", hdr[2:])[0] - 4)
        conn.sendall(tpkt(x224_cc))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certfile, keyfile)
        t = ctx.wrap_socket(conn, server_side=True)
        try:
            t.unwrap()
        except (ssl.SSLError, OSError):
            pass
        conn.close()

    def client():
        c = tcp_client(40389)
        c.sendall(tpkt(x224_cr))
        hdr = recv_exact(c, 4)
        recv_exact(c, struct.unpack("!H", hdr[2:])[0] - 4)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        t = ctx.wrap_socket(c)
        try:
            t.unwrap()
        except (ssl.SSLError, OSError):
            pass
        c.close()

    run_pair(server, client)


def ie(ident, data):
    return bytes([ident, len(data)]) + data


def q931(msg_type, ies, callref=0x0A5B, from_dest=False):
    """ITU-T Q.931 4.x: protocol discriminator 0x08, 2-byte call reference
    (flag bit set in messages sent by the side that did not originate it)."""
    cr = callref | (0x8000 if from_dest else 0)
    return bytes([0x08, 0x02]) + struct.pack("!H", cr) + bytes([msg_type]) + b"".join(ies)


def tpkt_q931():
    """Q.931 call control carried in RFC 1006 TPKT over TCP, the framing of
    H.225.0 call signalling: SETUP, CALL PROCEEDING, ALERTING, CONNECT,
    RELEASE COMPLETE (no H.225 user-user IE: plain Q.931 only)."""
    bearer = ie(0x04, bytes([0x80, 0x90, 0xA3]))          # speech, 64k, G.711 A-law
    display = ie(0x28, b"wip caller")
    calling = ie(0x6C, bytes([0x21, 0x80]) + b"35312345678")   # national, ISDN plan
    called = ie(0x70, bytes([0xA1]) + b"35398765432")
    chan = ie(0x18, bytes([0xA9, 0x83, 0x81]))             # B-channel 1
    cause = ie(0x08, bytes([0x80, 0x90]))                  # normal call clearing (16)
    setup = q931(0x05, [bearer, chan, display, calling, called])
    proceeding = q931(0x02, [chan], from_dest=True)
    alerting = q931(0x01, [], from_dest=True)
    connect = q931(0x07, [display], from_dest=True)
    release = q931(0x5A, [cause])

    def server(conn):
        recv_exact(conn, 4 + len(setup))
        for m in (proceeding, alerting, connect):
            conn.sendall(tpkt(m))
            pause()
        recv_exact(conn, 4 + len(release))
        conn.close()

    def client():
        c = tcp_client(41720)
        c.sendall(tpkt(setup))
        for m in (proceeding, alerting, connect):
            recv_exact(c, 4 + len(m))
        pause()
        c.sendall(tpkt(release))
        pause()
        c.close()

    run_pair(server, client)


# ------------------------------------------------------------------ XMPP
def xmpp():
    """RFC 6120 client-to-server stream: stream headers, features, SASL PLAIN,
    stream restart, resource binding, a message and a presence, close."""
    import base64

    cli_stream = (b"<?xml version='1.0'?><stream:stream to='example.test' "
                  b"version='1.0' xml:lang='en' xmlns='jabber:client' "
                  b"xmlns:stream='http://etherx.jabber.org/streams'>")

    def srv_stream(sid):
        return ("<?xml version='1.0'?><stream:stream from='example.test' "
                "id='%s' version='1.0' xml:lang='en' xmlns='jabber:client' "
                "xmlns:stream='http://etherx.jabber.org/streams'>" % sid).encode()

    feat_sasl = (b"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:"
                 b"xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
                 b"</stream:features>")
    auth = (b"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
            + base64.b64encode(b"\0alice\0wonderland") + b"</auth>")
    success = b"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
    feat_bind = (b"<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                 b"</stream:features>")
    bind = (b"<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:"
            b"xmpp-bind'><resource>wip</resource></bind></iq>")
    bound = (b"<iq type='result' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:"
             b"xmpp-bind'><jid>alice@example.test/wip</jid></bind></iq>")
    presence = b"<presence/>"
    message = (b"<message to='bob@example.test' type='chat' id='m1'>"
               b"<body>hello from port 3414</body></message>")
    close = b"</stream:stream>"

    def expect(sock, tail):
        return recv_until(sock, lambda b: b.rstrip().endswith(tail))

    def server(conn):
        expect(conn, b">")                      # stream header
        conn.sendall(srv_stream("c2s-1"))
        pause()
        conn.sendall(feat_sasl)
        expect(conn, b"</auth>")
        conn.sendall(success)
        expect(conn, b"streams'>")              # restarted stream header
        conn.sendall(srv_stream("c2s-2"))
        pause()
        conn.sendall(feat_bind)
        expect(conn, b"</iq>")
        conn.sendall(bound)
        expect(conn, b"</message>")
        expect(conn, close)
        conn.sendall(close)
        conn.close()

    def client():
        c = tcp_client(45222)
        c.sendall(cli_stream)
        expect(c, b"</stream:features>")
        c.sendall(auth)
        expect(c, b"/>")
        c.sendall(cli_stream)
        expect(c, b"</stream:features>")
        c.sendall(bind)
        expect(c, b"</iq>")
        c.sendall(presence)
        pause()
        c.sendall(message)
        pause()
        c.sendall(close)
        expect(c, close)
        c.close()

    run_pair(server, client)


# ------------------------------------------------------------------ MGCP
def mgcp():
    """RFC 3435 MGCP over UDP: call agent (fixed port 2727) to the gateway on
    3414: AUEP -> 200, CRCX -> 200 with SDP, DLCX -> 250."""
    gw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gw.bind((HOST, PORT))
    gw.settimeout(TIMEOUT)
    ca = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ca.bind((HOST, 2727))
    ca.settimeout(TIMEOUT)
    sdp = ("v=0\r\no=- 25678 753849 IN IP4 127.0.0.1\r\ns=-\r\n"
           "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 3456 RTP/AVP 0\r\n")
    txns = [
        ("AUEP 1201 aaln/1@gw.example MGCP 1.0\r\nF: A\r\n",
         "200 1201 OK\r\nA: a:PCMU;PCMA, p:10-100, e:on, s:off, v:L;G, m:sendonly;"
         "recvonly;sendrecv;inactive\r\n"),
        ("CRCX 1202 aaln/1@gw.example MGCP 1.0\r\nC: A3C47F21456789F0\r\n"
         "L: p:10, a:PCMU\r\nM: recvonly\r\n",
         "200 1202 OK\r\nI: FDE234C8\r\n\r\n" + sdp),
        ("DLCX 1203 aaln/1@gw.example MGCP 1.0\r\nC: A3C47F21456789F0\r\n"
         "I: FDE234C8\r\n",
         "250 1203 OK\r\nP: PS=1245, OS=62345, PR=780, OR=45123, PL=10, JI=27, LA=48\r\n"),
    ]
    for cmd, rsp in txns:
        ca.sendto(cmd.encode(), (HOST, PORT))
        data, addr = gw.recvfrom(65535)
        assert data == cmd.encode()
        gw.sendto(rsp.encode(), addr)
        ca.recvfrom(65535)
        pause()
    ca.close()
    gw.close()


# ------------------------------------------------------------------ OCI-P
def oci():
    """BroadWorks OCI-P over TCP: XML BroadsoftDocument requests/responses
    (AuthenticationRequest, LoginRequest14sp4, LogoutRequest)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<BroadsoftDocument protocol="OCI" '
            'xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<sessionId xmlns="">wip-3414-0001</sessionId>')
    tail = '</BroadsoftDocument>\n'

    def doc(cmd):
        return (head + cmd + tail).encode()

    reqs = [
        doc('<command xsi:type="AuthenticationRequest" xmlns=""><userId>admin</userId></command>'),
        doc('<command xsi:type="LoginRequest14sp4" xmlns=""><userId>admin</userId>'
            '<signedPassword>5f4dcc3b5aa765d61d8327deb882cf99</signedPassword></command>'),
        doc('<command xsi:type="LogoutRequest" xmlns=""><userId>admin</userId></command>'),
    ]
    rsps = [
        doc('<command echo="" xsi:type="AuthenticationResponse" xmlns=""><userId>admin</userId>'
            '<nonce>1700000000000</nonce><passwordAlgorithm>MD5</passwordAlgorithm></command>'),
        doc('<command echo="" xsi:type="LoginResponse14sp4" xmlns=""><loginType>System</loginType>'
            '<locale>en_US</locale><encoding>ISO-8859-1</encoding></command>'),
        doc('<command echo="" xsi:type="c:SuccessResponse" xmlns="" '
            'xmlns:c="C"/>'),
    ]
    end = b"</BroadsoftDocument>\n"

    def server(conn):
        for r in rsps:
            recv_until(conn, lambda b: b.endswith(end))
            conn.sendall(r)
        recv_until(conn, lambda b: False, limit=1)   # wait for the client's FIN
        conn.close()

    def client():
        c = tcp_client(42208)
        for q in reqs:
            c.sendall(q)
            recv_until(c, lambda b: b.endswith(end))
            pause()
        c.close()

    run_pair(server, client)


# ------------------------------------------------------------------ JSON
def json_lines():
    """JSON-RPC 2.0 (jsonrpc.org spec), one JSON object per line over TCP."""
    import json
    calls = [
        {"jsonrpc": "2.0", "id": 1, "method": "system.hello", "params": {"client": "wip-test", "port": 3414}},
        {"jsonrpc": "2.0", "id": 2, "method": "sum", "params": [1, 2, 3.5]},
        {"jsonrpc": "2.0", "method": "notify.status", "params": {"state": "ok", "tags": ["a", "b"]}},
        {"jsonrpc": "2.0", "id": 3, "method": "no.such.method", "params": None},
    ]
    replies = {
        1: {"jsonrpc": "2.0", "id": 1, "result": {"server": "wip-json", "version": "1.0", "ok": True}},
        2: {"jsonrpc": "2.0", "id": 2, "result": 6.5},
        3: {"jsonrpc": "2.0", "id": 3, "error": {"code": -32601, "message": "Method not found"}},
    }

    def server(conn):
        f = conn.makefile("rb")
        for _ in range(len(calls)):
            line = f.readline()
            if not line:
                break
            req = json.loads(line)
            if "id" in req:
                conn.sendall(json.dumps(replies[req["id"]], separators=(",", ":")).encode() + b"\n")
        f.readline()          # EOF
        conn.close()

    def client():
        c = tcp_client(43414)
        f = c.makefile("rb")
        for req in calls:
            c.sendall(json.dumps(req).encode() + b"\n")
            if "id" in req:
                f.readline()
            else:
                pause()
        c.close()

    run_pair(server, client)


# ------------------------------------------------------------------ protobuf
def protobuf():
    """Protocol Buffers messages serialised by python3-protobuf (a message
    type built at run time from a FileDescriptorProto), framed the common
    way: varint length prefix (writeDelimitedTo / parseDelimitedFrom)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from google.protobuf.internal.encoder import _VarintBytes
    from google.protobuf.internal.decoder import _DecodeVarint32

    F = descriptor_pb2.FieldDescriptorProto
    fdp = descriptor_pb2.FileDescriptorProto(name="wip_test.proto", package="wiptest", syntax="proto3")
    m = fdp.message_type.add(name="Request")
    m.field.add(name="id", number=1, type=F.TYPE_UINT32, label=F.LABEL_OPTIONAL)
    m.field.add(name="method", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    m.field.add(name="args", number=3, type=F.TYPE_SINT64, label=F.LABEL_REPEATED)
    m.field.add(name="blob", number=4, type=F.TYPE_BYTES, label=F.LABEL_OPTIONAL)
    r = fdp.message_type.add(name="Reply")
    r.field.add(name="id", number=1, type=F.TYPE_UINT32, label=F.LABEL_OPTIONAL)
    r.field.add(name="ok", number=2, type=F.TYPE_BOOL, label=F.LABEL_OPTIONAL)
    r.field.add(name="value", number=3, type=F.TYPE_DOUBLE, label=F.LABEL_OPTIONAL)
    r.field.add(name="text", number=4, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    fac = message_factory.MessageFactory(pool)
    Req = fac.GetPrototype(pool.FindMessageTypeByName("wiptest.Request"))
    Rep = fac.GetPrototype(pool.FindMessageTypeByName("wiptest.Reply"))

    reqs = [Req(id=1, method="Sum", args=[1, -2, 300]),
            Req(id=2, method="Echo", blob=b"\x00\x01wip\xff"),
            Req(id=3, method="Status")]

    def frame(msg):
        b = msg.SerializeToString()
        return _VarintBytes(len(b)) + b

    def read_frame(sock):
        hdr = b""
        while True:
            hdr += recv_exact(sock, 1)
            if not hdr[-1] & 0x80:
                break
        n, _ = _DecodeVarint32(hdr, 0)
        return recv_exact(sock, n)

    def server(conn):
        for _ in reqs:
            q = Req()
            q.ParseFromString(read_frame(conn))
            if q.method == "Sum":
                a = Rep(id=q.id, ok=True, value=float(sum(q.args)))
            elif q.method == "Echo":
                a = Rep(id=q.id, ok=True, text=q.blob.hex())
            else:
                a = Rep(id=q.id, ok=True, text="wip protobuf server up")
            conn.sendall(frame(a))
        recv_until(conn, lambda b: False, limit=1)
        conn.close()

    def client():
        c = tcp_client(44414)
        for q in reqs:
            c.sendall(frame(q))
            read_frame(c)
            pause()
        c.close()

    run_pair(server, client)


# ------------------------------------------------------------------ main
CMDS = {
    "ws-server": ws_server, "ws-client": ws_client, "h2c-server": h2c_server,
    "smb-server": smb_server, "rdp": rdp, "tpkt-q931": tpkt_q931, "xmpp": xmpp,
    "mgcp": mgcp, "oci": oci, "json": json_lines, "protobuf": protobuf,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CMDS:
        sys.exit("usage: gen-protocols.py {%s} [args]" % "|".join(sorted(CMDS)))
    CMDS[sys.argv[1]](*sys.argv[2:])
