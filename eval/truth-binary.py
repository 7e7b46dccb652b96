#!/usr/bin/env python3
"""Ground truth of the binary protocol corpus from Wireshark's own dissectors.

For each test-captures/bin-<proto>.pcap listed in PROTOCOLS below, run

    tshark -r bin-<proto>.pcap -d tcp.port==3414,<dissector> -T pdml

(udp.port for UDP protocols) and write test-captures/bin-<proto>.truth.json:
one entry per message with

  frame   the frame in which the message ends (where Wireshark shows it)
  conv    tcp.stream / udp.stream (the conversation)
  stream  tcp.stream (TCP) or the frame number (UDP: one datagram, one unit)
  dir     c2s (towards port 3414) or s2c
  offset  first byte of the message: TCP stream offset of that direction
          (relative sequence number - 1), or offset in the UDP payload
  len     message length in bytes
  fields  [start, width, kind, byte order, field name], start relative to
          the message start; one entry per leaf byte range

A message is the dissector's top-level PDU item (its <proto> element, or the
per-message field named in PROTOCOLS when one item holds several messages);
messages reassembled from several segments are placed with the reassembly
information (tcp.segments), several messages in one segment each get their
own entry.  Leaf fields are the items without children (bit fields of one
byte range count as one field: the range is the field).  Protocols the PDU
dissector hands on to (e.g. rpc -> portmap) add their leaves to the same
message.

Usage: eval/truth-binary.py [--check] [--dir DIR] [proto ...]   (tshark on PATH)
  --check    compare with the committed files instead of writing; exit 1 on a
             difference (tests/extra-binary-truth.sh)
  --dir DIR  read / write the truth files in DIR (default test-captures/)
The file records the Wireshark version (major.minor) it was made with:
other versions may name or split fields differently.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import binpdml  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CAPDIR = os.path.join(HERE, "..", "test-captures")

# proto: (transport, dissector for Decode As, PDU proto names, per-message
#         field or None, extra tshark arguments)
BER = ["-o", "ber.show_internals:TRUE"]   # BER tags and lengths as fields
PROTOCOLS = {
    "gearman":  ("tcp", "gearman", ["gearman"], None, []),
    "ldap":     ("tcp", "ldap", ["ldap"], "ldap.LDAPMessage_element", BER),
    "kerberos": ("tcp", "kerberos", ["kerberos"], None, BER),
    "rpc":      ("tcp", "rpc", ["rpc"], None, []),
    "x11":      ("tcp", "x11", ["x11"], None, []),
    "rfb":      ("tcp", "vnc", ["vnc"], None, []),
    "bgp":      ("tcp", "bgp", ["bgp"], None, []),
    "thrift":   ("tcp", "thrift", ["thrift"], None, []),
    "diameter": ("tcp", "diameter", ["diameter"], None, []),
    "amqp":     ("tcp", "amqp", ["amqp"], None, []),
    "ipmi":     ("udp", "rmcp", ["rmcp"], None, []),
    "l2tp":     ("udp", "l2tp", ["l2tp"], None, []),
    "ntp":      ("udp", "ntp", ["ntp"], None, []),
    "mysql":    ("tcp", "mysql", ["mysql"], None, []),
    "smb2":     ("tcp", "nbss", ["nbss"], None, []),
    "tftp":     ("udp", "tftp", ["tftp"], None, []),
    "radius":   ("udp", "radius", ["radius"], None, []),
    "memcached": ("tcp", "memcache", ["memcache"], None, []),
    "coap":     ("udp", "coap", ["coap"], None, []),
    "dns":      ("udp", "dns", ["dns"], None, []),
    "dnstcp":   ("tcp", "dns", ["dns"], None, []),
}

# ------------------------------------------------------------------ labels
# Semantic kind of a leaf, from the dissector's field name.  The patterns are
# matched, in this order, against the field name without its protocol prefix
# (lower case); the first match wins.  Kinds: id (transaction / request id,
# echoed in the reply), seq (sequence number), session (session /
# connection / tunnel id), timestamp (binary time, 4 or 8 bytes only: text
# dates such as ASN.1 GeneralizedTime are not a binary field), length, type
# (message type / opcode / command / code), const (magic, marker, version).
LABELS = [
    ("id",        r"xid|transaction|trans_?id|request_?id|req_?id|hop_?by_?hop|end_?to_?end|message_?id|msg_?id|handle"),
    ("seq",       r"seq(?!uence_?of)|sequence_?num"),
    ("session",   r"session|sess_?id|conn(ection)?_?id|tunnel(_?id)?$"),
    ("timestamp", r"time_?stamp|(^|[._-])time$|date$|ntp_?time"),
    ("length",    r"len(gth)?($|[._-])|length|size$|_len$|fraglen"),
    ("const",     r"magic|marker|signature|cookie|(^|[._-])vers?(ion)?$|protocol_?version|_version$"),
    ("type",      r"type$|msg_?typ|opcode|(^|[._-])op$|cmd|command|(^|[._-])code$|_code$|procedure$|(^|[._-])proc$"),
]
# Widths a kind can have: integers of 1-8 bytes (a type 1-4); a constant
# (magic, marker) of any width.  A text or longer field named like a kind
# (e.g. a textual job handle) keeps its boundaries but gets no kind.
MAX_WIDTH = {"id": 8, "seq": 8, "session": 8, "timestamp": 8, "length": 8, "type": 4, "const": 64}
# Exceptions to the patterns, by full field name (kind or None = no kind).
# Only where a name says something else than the field is, each with why.
OVERRIDES = {
    # BER internals: the tag octet of every element and the long-form
    # length prefix octet are structure, not a message-level type / length.
    "ber.id.class": None, "ber.id.pc": None, "ber.id.uni_tag": None,
    "ber.id.tag": None, "ber.length_octets": None,
    # LDAP / Kerberos: the choice of the operation is the message type
    # (its tag octet gets the label, see CONTAINER_LABEL).
    "ldap.protocolOp": "type",
    # Thrift's "sequence id" is a request id echoed in the reply.
    "thrift.seq_id": "id",
    # AMQP: the class and method ids of a method frame say which message
    # it is (Connection.Start = 10/10, Basic.Publish = 60/40, ...).
    "amqp.method.class": "type", "amqp.method.method": "type",
    # NTP: the four 64-bit timestamps (seconds since 1900 . fraction) have
    # short names no pattern can take; the association mode (client 3,
    # server 4) in the low bits of the first byte is the message kind.
    "ntp.reftime": "timestamp", "ntp.org": "timestamp", "ntp.rec": "timestamp",
    "ntp.xmt": "timestamp", "ntp.flags.mode": "type",
    # TFTP: the block number counts the DATA / ACK exchange.
    "tftp.block": "seq",
    # RADIUS: the Identifier is echoed in the reply; Session-Timeout is an
    # attribute value in seconds, not a session id.
    "radius.id": "id", "radius.Session_Timeout": None,
    # CoAP: the message id (echoed in the ACK) and the token (echoed in the
    # response) pair a request with its answer; the first byte holds the
    # version, the message type (CON/NON/ACK/RST) and the token length:
    # without the version's label the byte takes the type's; the block
    # option's SZX is a size exponent, not a byte count.
    "coap.mid": "id", "coap.token": "id", "coap.version": None, "coap.opt.block_size": None,
    # MySQL / MariaDB: the packet number is the sequence id of the exchange;
    # "session" in these names is session state tracking (flags and
    # values), not a session id; field.length is a column's display width.
    "mysql.packet_number": "seq", "mysql.stat.session_state_changed": None,
    "mysql.caps.session_track": None, "mysql.session_track.type": None,
    "mysql.session_track.schema": None, "mysql.session_track.sysvar.value": None,
    "mysql.field.length": None,
    # memcached binary protocol: the opaque is echoed in the response.
    "memcache.opaque": "id",
    # DNS: the id is echoed in the response; the EDNS client cookie is
    # random per client, and the UDP payload size is an advertised buffer
    # size, not the length of anything in the message.
    "dns.id": "id", "dns.opt.cookie.client": None, "dns.rr.udp_payload_size": None,
    # SMB2: ProtocolId (FE 'SMB') is the magic, SessionId the session; the
    # signature is a MAC (zeros when unsigned), StructureSize
    # (buffer_code) a per-command size, not a type; one-bit flags named
    # after a kind do not make their flags word that kind.
    "smb2.protocol_id": "const", "smb2.sesid": "session", "smb2.signature": None,
    "smb2.buffer_code": None, "smb2.flags.signature": None,
    "smb2.capabilities.persistent_handles": None, "smb2.ses_req_flags.session_binding": None,
    "smb2.session_flags": None, "ntlmssp.requestnonntsession": None,
    "smb.nt.create_options.sequential_only": None, "smb2.mode.file_sequential_only": None,
}
# A labelled item with children passes its kind to its first leaf when that
# leaf starts at the same byte and has no kind of its own (e.g. the tag
# octet of LDAP's protocolOp is the message type).
CONTAINER_LABEL = {"type"}
TIMESTAMP_WIDTHS = {4, 8}

_label_res = [(k, re.compile(p)) for k, p in LABELS]


def label_of(name, size):
    if name in OVERRIDES:
        kind = OVERRIDES[name]
    else:
        short = name.split(".", 1)[1].lower() if "." in name else name.lower()
        kind = None
        for k, rx in _label_res:
            if rx.search(short):
                kind = k
                break
    if kind == "timestamp" and size not in TIMESTAMP_WIDTHS:
        return None
    if kind is not None and size > MAX_WIDTH[kind]:
        return None
    return kind


BITFIELD_RE = re.compile(r"^\s*[01.]{4}( [01.]{4})* = ")


def _is_bits(f):
    return f.get("unmaskedvalue") is not None or BITFIELD_RE.match(f.get("showname", "") or "")


def _significant(f):
    out = []
    for c in f:
        if c.tag not in ("field", "proto"):
            continue
        name = c.get("name") or ""
        if c.get("hide") == "yes" or name.startswith("_ws.") or name.startswith("expert"):
            continue
        if (binpdml._int(c.get("size"), 0) or 0) <= 0 and not len(c):
            continue
        out.append(c)
    return out


def byte_order(f, size):
    """'be', 'le' or None (one byte, symmetric value, or not a number)."""
    if size < 2 or size > 8:
        return None
    val, show = f.get("value"), f.get("show")
    if not val or show is None or len(val) != 2 * size:
        return None
    try:
        raw = bytes.fromhex(val)
        shown = int(show, 0)
    except ValueError:
        return None
    be, le = int.from_bytes(raw, "big"), int.from_bytes(raw, "little")
    if be == le:
        return None
    if shown == be:
        return "be"
    if shown == le:
        return "le"
    return None


def collect(elem, lo, hi, leaves, pending=None):
    """Leaves of elem inside [lo, hi): dict (pos, size) -> [kind, order, name]."""
    for c in _significant(elem):
        name = c.get("name") or ""
        pos = binpdml._int(c.get("pos"), 0)
        size = binpdml._int(c.get("size"), 0)
        kids = _significant(c)
        inside = size > 0 and pos >= lo and pos + size <= hi
        kind = label_of(name, size) if name else None
        if kids and not all(_is_bits(k) for k in kids):
            sub_pending = pending
            if inside and kind in CONTAINER_LABEL:
                sub_pending = (pos, kind)
            collect(c, lo, hi, leaves, sub_pending)
            continue
        if not inside:
            continue
        key = (pos, size)
        if pending and pending[0] == pos and kind is None:
            kind = pending[1]
        if kind is None:
            for k in kids:    # a bit field's label (e.g. a type in the high bits)
                if kind is None and label_of(k.get("name") or "", size):
                    kind = label_of(k.get("name") or "", size)
                    name = name or k.get("name")
        order = byte_order(c, size)
        cur = leaves.get(key)
        if cur is None:
            leaves[key] = [kind, order, name]
        else:
            if cur[0] is None and kind is not None:
                cur[0] = kind
                cur[2] = name
            if cur[1] is None:
                cur[1] = order


def truth_messages(pcap, transport, dissector, pdus, msg_field, extra):
    args = ["-d", "%s.port==%d,%s" % (transport, binpdml.PORT, dissector)] + extra
    lower = {"geninfo", "frame", "eth", "sll", "ip", "ipv6", "tcp", "udp", "data", "fake-field-wrapper"}
    seen = {}      # (stream, dir, offset) -> index in out
    out = []
    for pk in binpdml.pdml_packets(pcap, args):
        if pk.transport != transport or pk.retrans:
            continue
        msgs = []      # [start pos, size, reassembled, elems]
        chain = ReassemblyChain(pk)
        for p in pk.protos:
            name = p.get("name")
            if name in lower or name.startswith("_ws"):
                continue
            pos = binpdml._int(p.get("pos"), 0)
            size = binpdml._int(p.get("size"), 0)
            if name in pdus:
                reasm = chain.reassembled(pos, size)
                if msg_field:
                    for f in p.iter("field"):
                        if f.get("name") == msg_field:
                            msgs.append([binpdml._int(f.get("pos")), binpdml._int(f.get("size")), reasm, [f]])
                else:
                    msgs.append([pos, size, reasm, [p]])
            elif msgs:
                # a protocol the PDU handed on to: part of the same message
                m = msgs[-1]
                if pk.in_reassembly(pos) == m[2] and pos >= m[0] and not msg_field:
                    m[1] = max(m[1], pos + size - m[0])
                m[3].append(p)
        for start, size, reasm, elems in msgs:
            if size <= 0:
                continue
            off = pk.offset(start, reasm)
            key = (pk.stream, pk.dir, off)
            # A dissector may show a PDU item on the first segment before it
            # asks TCP for more (RFB): the reassembled, longer one wins.
            if key in seen and out[seen[key]]["len"] >= size:
                continue
            leaves = {}
            for e in elems:
                if msg_field and e.get("name") == msg_field:
                    collect_root(e, start, start + size, leaves)
                else:
                    collect(e, start, start + size, leaves)
            fields = [[p - start, s, v[0], v[1], v[2]] for (p, s), v in sorted(leaves.items())]
            msg = {"frame": pk.num, "conv": pk.conv, "stream": pk.stream, "dir": pk.dir, "offset": off,
                   "len": size, "fields": fields}
            if key in seen:
                out[seen[key]] = msg
            else:
                seen[key] = len(out)
                out.append(msg)
    out.sort(key=lambda m: (m["stream"], m["dir"], m["offset"]))
    return out


class ReassemblyChain:
    """Which PDU items of a packet lie in the TCP reassembly ending in it.

    binpdml places an item in the reassembled buffer when it starts before
    the frame's payload (positions in that buffer count from 0).  A
    dissector that reassembles several PDUs at once (memcache: one
    reassembly of 1452 bytes holding 41 responses) puts items in that buffer
    at any position below its length; they follow each other without a gap
    from the first one, so an item that starts where the previous
    reassembled one ended, inside the reassembly, is in it too.
    """

    def __init__(self, pk):
        self.pk = pk
        self.end = None
        segs = binpdml.fields_by_name(pk.elem, {"tcp.segments"}) if pk.reasm_start is not None else None
        self.length = binpdml._int(segs.get("size"), 0) if segs is not None else 0

    def reassembled(self, pos, size):
        inside = self.pk.in_reassembly(pos) or (self.end is not None and pos == self.end and pos < self.length)
        self.end = pos + size if inside else None
        return inside


def collect_root(f, lo, hi, leaves):
    """A per-message field is itself the root: collect its children."""
    collect(f, lo, hi, leaves)


def tshark_minor():
    import subprocess
    first = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    m = re.search(r" (\d+\.\d+)\.\d+", first)
    return m.group(1) if m else "?"


def render(proto, transport, dissector, msgs):
    head = {"protocol": proto, "transport": transport, "dissector": dissector, "wireshark": tshark_minor(),
            "pcap": "bin-%s.pcap" % proto, "port": binpdml.PORT,
            "messages_total": len(msgs),
            "conversations": len({m["conv"] for m in msgs})}
    lines = ["{"]
    for k, v in head.items():
        lines.append("  %s: %s," % (json.dumps(k), json.dumps(v)))
    lines.append('  "messages": [')
    for i, m in enumerate(msgs):
        lines.append("    " + json.dumps(m, separators=(",", ":")) + ("," if i + 1 < len(msgs) else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    check = "--check" in argv
    outdir = CAPDIR
    if "--dir" in argv:
        i = argv.index("--dir")
        outdir = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    names = [a for a in argv if not a.startswith("--")] or sorted(PROTOCOLS)
    bad = 0
    for proto in names:
        if proto not in PROTOCOLS:
            print("unknown protocol %s" % proto, file=sys.stderr)
            return 2
        pcap = os.path.join(CAPDIR, "bin-%s.pcap" % proto)
        if not os.path.exists(pcap):
            continue
        transport, dissector, pdus, msg_field, extra = PROTOCOLS[proto]
        msgs = truth_messages(pcap, transport, dissector, pdus, msg_field, extra)
        text = render(proto, transport, dissector, msgs)
        path = os.path.join(outdir, "bin-%s.truth.json" % proto)
        labelled = sum(1 for m in msgs for f in m["fields"] if f[2])
        if check:
            old = open(path).read() if os.path.exists(path) else None
            if old != text:
                print("DIFFERS: %s (truth regenerated from the pcap is not the committed file)" % path)
                bad = 1
            else:
                print("ok %s: %d messages, %d labelled fields" % (proto, len(msgs), labelled))
        else:
            with open(path, "w") as fh:
                fh.write(text)
            print("wrote %s: %d messages, %d labelled fields" % (os.path.relpath(path), len(msgs), labelled))
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
