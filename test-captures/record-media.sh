#!/bin/bash
# record-media.sh - record a real WebRTC media flow with one end on UDP 3414:
# STUN (ICE connectivity checks and consent), DTLS (DTLS-SRTP handshake),
# SRTP and SRTCP multiplexed on one 5-tuple (RFC 7983, RFC 5761 rtcp-mux,
# bundle), as browsers and WebRTC gateways send them.
#
# REQUIRES (Debian 12): iproute2 tcpdump python3 python3-gi python3-gst-1.0
#   gir1.2-gst-plugins-bad-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
#   gstreamer1.0-plugins-bad gstreamer1.0-nice stun-server stun-client
#
# Usage (as root):  test-captures/record-media.sh
#
# Two GStreamer webrtcbin peers (webrtc-loop.py, signalling in-process) run
# inside a network namespace this script creates (wipmedia<PID>) and deletes
# on exit.  libnice ignores loopback addresses, so the namespace gets a veth
# pair with 10.99.0.1 and 10.99.0.2 (both local: the traffic still flows over
# the namespace's loopback, where tcpdump records it).  The answerer's ICE
# agent may only use UDP port 3414.  Truth in manifest-media.tsv.
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_MEDIA_OUT:-$HERE}
TAG=record-media CAP_PREFIX=media- CAP_FILTER="udp port 3414"
. "$HERE/lib-netns.sh"
netns_init wipmedia$$
nsx 5 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx 5 ip link add v0 type veth peer name v1 || exit 1
nsx 5 ip addr add 10.99.0.1/24 dev v0
nsx 5 ip addr add 10.99.0.2/24 dev v1
nsx 5 ip link set v0 up
nsx 5 ip link set v1 up
cap_start webrtc
nsx 15 /usr/bin/python3 "$HERE/webrtc-loop.py" 3 || echo "webrtc-loop.py failed" >&2
cap_stop

# classic STUN (RFC 3489, no magic cookie): the Vovida stund server on
# 127.0.0.1:3414 (secondary address 127.0.0.2, secondary port 3415) and its
# stun client running the RFC 3489 NAT-type tests (stun-server, stun-client)
cap_start stun-classic
bgrun 10 /dev/null stund -h 127.0.0.1 -a 127.0.0.2 -p 3414 -o 3415
srv=$BGPID
sleep 0.5
nsx 8 stun 127.0.0.1:3414 >/dev/null 2>&1
stop "$srv"
cap_stop
