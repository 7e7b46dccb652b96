#!/usr/bin/env python3
"""Two GStreamer webrtcbin peers in one process (signalling in-process, no
network signalling): a real WebRTC stack (libnice ICE, DTLS-SRTP, RTP/RTCP
mux and bundle) sending Opus audio from the offerer to the answerer for a few
seconds.  The answerer's ICE agent is limited to UDP port 3414, so STUN
connectivity checks, the DTLS handshake, SRTP and SRTCP all share one
5-tuple with 3414 on one side.  Run by record-media.sh inside its namespace.
"""
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import Gst, GstWebRTC, GstSdp, GLib  # noqa: E402

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
Gst.init(None)
pipe = Gst.parse_launch(
    "webrtcbin name=offerer bundle-policy=max-bundle "
    "webrtcbin name=answerer bundle-policy=max-bundle "
    "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 ! "
    "application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! offerer.")
off = pipe.get_by_name("offerer")
ans = pipe.get_by_name("answerer")
loop = GLib.MainLoop()


def on_pad(_el, pad):
    if pad.direction != Gst.PadDirection.SRC:
        return
    sink = Gst.ElementFactory.make("fakesink")
    sink.set_property("async", False)
    pipe.add(sink)
    sink.sync_state_with_parent()
    pad.link(sink.get_static_pad("sink"))


ans.connect("pad-added", on_pad)
off.connect("on-ice-candidate", lambda _e, m, c: ans.emit("add-ice-candidate", m, c))
ans.connect("on-ice-candidate", lambda _e, m, c: off.emit("add-ice-candidate", m, c))


def on_answer(promise, _):
    reply = promise.get_reply()
    answer = reply.get_value("answer")
    ans.emit("set-local-description", answer, Gst.Promise.new())
    off.emit("set-remote-description", answer, Gst.Promise.new())


def on_offer(promise, _):
    reply = promise.get_reply()
    offer = reply.get_value("offer")
    off.emit("set-local-description", offer, Gst.Promise.new())
    ans.emit("set-remote-description", offer, Gst.Promise.new())
    ans.emit("create-answer", None, Gst.Promise.new_with_change_func(on_answer, None))


def on_negotiation_needed(_el):
    off.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer, None))


off.connect("on-negotiation-needed", on_negotiation_needed)
pipe.set_state(Gst.State.READY)     # the ICE agents exist from READY on
ans_ice = ans.get_property("ice-agent")
ans_ice.set_property("min-rtp-port", 3414)
ans_ice.set_property("max-rtp-port", 3414)
off_ice = off.get_property("ice-agent")
off_ice.set_property("min-rtp-port", 40000)
off_ice.set_property("max-rtp-port", 40999)
pipe.set_state(Gst.State.PLAYING)
GLib.timeout_add(int(SECONDS * 1000), loop.quit)
loop.run()
pipe.set_state(Gst.State.NULL)
