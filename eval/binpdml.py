"""Shared PDML helpers of eval/truth-binary.py and eval/score-binary.py.

Reads tshark's PDML packet by packet and maps a byte position of an item
(PDML "pos", relative to the data source the item lies in: the frame, or a
TCP reassembly) to a place in the conversation:

    (transport, stream, direction, stream offset)

For TCP the stream offset is the byte's distance from the first payload byte
of that direction (relative sequence number - 1).  For UDP it is the offset
inside the datagram, and the "stream" is the frame number, so every datagram
is its own unit.  direction is "c2s" (towards port 3414) or "s2c".

Python 3 standard library only.
"""
import re
import subprocess
import xml.etree.ElementTree as ET

PORT = 3414
SEGMENT_RE = re.compile(r"Frame: (\d+), payload: (\d+)-(\d+)")


def _int(s, default=None):
    try:
        return int(s, 0)
    except (TypeError, ValueError):
        return default


def fields_by_name(elem, names):
    """First field element (depth first) whose name is in names."""
    for f in elem.iter("field"):
        if f.get("name") in names:
            return f
    return None


class Packet:
    """One PDML packet: its top-level protos and the position mapping."""

    def __init__(self, elem, frames):
        self.elem = elem
        self.protos = elem.findall("proto")
        self.num = None
        self.transport = None
        self.stream = None
        self.conv = None            # tcp.stream / udp.stream
        self.dir = None
        self.payload_pos = None     # pos of the first payload byte in the frame
        self.seq = None             # relative seq of that byte (TCP)
        self.reasm_start = None     # stream offset of byte 0 of a reassembly ending here
        self.retrans = False
        for p in self.protos:
            name = p.get("name")
            if name == "geninfo":
                n = fields_by_name(p, {"num"})
                self.num = _int(n.get("show")) if n is not None else None
            elif name == "frame" and self.num is None:
                n = fields_by_name(p, {"frame.number"})
                self.num = _int(n.get("show")) if n is not None else None
            elif name in ("tcp", "udp") and self.transport is None:
                self._transport(p, name, frames)
        if self.transport == "tcp":
            self._reassembly(frames)

    def _transport(self, p, name, frames):
        self.transport = name
        sport = _int(fields_by_name(p, {name + ".srcport"}).get("show"))
        self.dir = "s2c" if sport == PORT else "c2s"
        st = fields_by_name(p, {name + ".stream"})
        self.conv = _int(st.get("show")) if st is not None else 0
        if name == "udp":
            self.stream = self.num
            self.payload_pos = _int(p.get("pos")) + 8
            self.seq = 0
            return
        self.stream = _int(st.get("show")) if st is not None else 0
        hl = fields_by_name(p, {"tcp.hdr_len"})
        self.payload_pos = _int(p.get("pos")) + _int(hl.get("show"), 20)
        sq = fields_by_name(p, {"tcp.seq"})
        self.seq = _int(sq.get("show"), 1) - 1
        for f in p.iter("field"):
            if f.get("name") in ("tcp.analysis.retransmission", "tcp.analysis.spurious_retransmission"):
                self.retrans = True
        tl = fields_by_name(p, {"tcp.len"})
        frames[self.num] = (self.stream, self.dir, self.seq, _int(tl.get("show"), 0) if tl is not None else 0)

    def _reassembly(self, frames):
        """Stream offset of byte 0 of a TCP reassembly that ends in this frame.

        PDML lists the reassembled segments (tcp.segments, inside the tcp
        element or in a "fake-field-wrapper" element) as "Frame: F, payload:
        A-B (N bytes)", A-B counted in the reassembled buffer.  The PDU starts
        inside F's payload and takes its last N bytes, so byte 0 is at
        seq(F) + len(F) - N.
        """
        for p in self.protos:
            segs = fields_by_name(p, {"tcp.segments"})
            if segs is None:
                continue
            for s in segs.findall("field"):
                if s.get("name") != "tcp.segment":
                    continue
                fr = _int(s.get("show"))
                m = SEGMENT_RE.search(s.get("showname", ""))
                if m and fr in frames:
                    n = int(m.group(3)) - int(m.group(2)) + 1
                    _st, _d, seq, ln = frames[fr]
                    self.reasm_start = seq + ln - n
                return

    def in_reassembly(self, pos):
        """Is an item at pos (of a top-level proto starting at pos) in the reassembled buffer?"""
        return self.transport == "tcp" and self.reasm_start is not None and pos < self.payload_pos

    def offset(self, pos, reassembled):
        """Stream offset (TCP) or datagram offset (UDP) of byte pos."""
        if reassembled:
            return self.reasm_start + pos
        return self.seq + (pos - self.payload_pos)


def pdml_packets(pcap, args, env=None, run_as=None):
    """Yield Packet objects of `tshark -r pcap args -T pdml`."""
    cmd = (run_as or []) + ["tshark", "-n", "-r", pcap] + list(args) + ["-T", "pdml"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    frames = {}
    try:
        for event, elem in ET.iterparse(proc.stdout, events=("end",)):
            if elem.tag != "packet":
                continue
            pk = Packet(elem, frames)
            yield pk
            elem.clear()
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        rc = proc.wait()
    if rc != 0:
        raise RuntimeError("tshark failed (%d): %s" % (rc, err.strip()[:500]))
