/* test_probe.c - unit tests for the scanner probe core (wip_probe.c).
 *
 * Table-driven: every case is a short packet sequence (values from
 * docs/scanner-fingerprints.md and from probes captured
 * in a private network namespace); the verdict of the LAST packet is
 * checked.  Exit status is nonzero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "wip_pkt.h"
#include "wip_probe.h"

#define PORT 3414

/* ------------------------------------------------------------------ */
/* packet specs                                                         */

typedef struct {
    guint8 tr;              /* 6 / 17 */
    guint8 dir;             /* 1 to port, 2 from port */
    guint8 v6;
    guint8 ttl;
    guint8 df;
    guint16 ipid;
    guint32 src, dst;       /* IPv4 host order, as seen on the wire */
    guint16 sport, dport;
    guint32 seq, ack;
    guint16 flags, win, urg;
    const char *opts;       /* option bytes */
    guint8 optlen;
    const char *pl;         /* payload bytes */
    guint32 pllen;
    double ts;
} spec_t;

/* common shapes */
#define C_IP   0x0a000001u   /* scanner / client 10.0.0.1 */
#define C_IP2  0x0a000002u
#define S_IP   0xc0a80101u   /* wip server 192.168.1.1 */
#define S_IP2  0xc0a80102u

#define LINUX_OPTS "\x02\x04\x05\xb4\x04\x02\x08\x0a\x12\x34\x56\x78\x00\x00\x00\x00\x01\x03\x03\x07", 20
#define MSS1460 "\x02\x04\x05\xb4", 4
#define OS_SEQ1 "\x03\x03\x0a\x01\x02\x04\x05\xb4\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x04\x02", 20
#define OS_ECN  "\x03\x03\x0a\x01\x02\x04\x05\xb4\x04\x02\x01\x01", 12
#define OS_T    "\x03\x03\x0a\x01\x02\x04\x01\x09\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x04\x02", 20
#define TS_OPTS "\x01\x01\x08\x0a\x00\x01\x02\x03\x00\x04\x05\x06", 12

#define S 0x002
#define SA 0x012
#define A 0x010
#define PA 0x018
#define R 0x004
#define RA 0x014
#define F 0x001
#define FA 0x011

static guint16 masscan_id(guint32 dst, guint16 dport, guint32 seq)
{
    return (guint16)((dst ^ dport ^ seq) & 0xffff);
}

static void build(const spec_t *sp, wip_pkt_t *p, guint32 frame)
{
    memset(p, 0, sizeof *p);
    p->frame = frame;
    p->ts = sp->ts;
    p->transport = sp->tr ? sp->tr : WIP_TRANSPORT_TCP;
    p->dir = sp->dir ? sp->dir : WIP_DIR_TO_PORT;
    p->ip_version = sp->v6 ? 6 : 4;
    p->ttl = sp->ttl;
    p->df = sp->df;
    p->ip_id = sp->ipid;
    if (sp->v6) {
        p->src[0] = 0x20; p->src[1] = 0x01; p->src[15] = (guint8)sp->src;
        p->dst[0] = 0x20; p->dst[1] = 0x01; p->dst[15] = (guint8)sp->dst;
    } else {
        for (int i = 0; i < 4; i++) {
            p->src[i] = (guint8)(sp->src >> (24 - 8 * i));
            p->dst[i] = (guint8)(sp->dst >> (24 - 8 * i));
        }
    }
    p->sport = sp->sport;
    p->dport = sp->dport;
    p->seq = sp->seq;
    p->ack = sp->ack;
    p->flags = sp->flags;
    p->window = sp->win;
    p->urgptr = sp->urg;
    p->opts_len = sp->optlen;
    if (sp->optlen)
        memcpy(p->opts, sp->opts, sp->optlen);
    p->th_len = (guint8)(20 + sp->optlen);
    p->payload_len = sp->pllen;
    p->payload_caplen = sp->pllen;
    p->payload = sp->pllen ? (const guint8 *)sp->pl : NULL;
    p->ip_len = (guint16)((p->transport == WIP_TRANSPORT_TCP ? 40 + sp->optlen : 28) + sp->pllen);
}

/* ------------------------------------------------------------------ */
/* cases                                                                */

#define MAXP 12

typedef struct {
    const char *name;
    spec_t pk[MAXP];
    int flag;               /* expected is_probe of the last packet */
    wip_tool_t tool;
    wip_technique_t tech;
    int min_conf;
    int attributed;         /* -1 = don't care */
    const char *evidence;   /* must be one of the evidence strings, or NULL */
    const char *pname;      /* expected service probe name, or NULL */
} tcase_t;

/* packet builders (to port unless said) */
#define TCP4(...) { .tr = 6, .dir = 1, .dport = PORT, __VA_ARGS__ }
#define FROM(...) { .tr = 6, .dir = 2, .sport = PORT, __VA_ARGS__ }
#define UDP4(...) { .tr = 17, .dir = 1, .dport = PORT, __VA_ARGS__ }

/* An ordinary Linux client connection (handshake) on sport 40000 */
#define LINUX_SYN(t) TCP4(.ttl = 64, .df = 1, .ipid = 4242, .src = C_IP, .dst = S_IP, .sport = 40000, \
                          .seq = 1000, .flags = S, .win = 64240, .opts = LINUX_OPTS, .ts = (t))
#define SRV_SYNACK(t) FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40000, .seq = 5000, \
                           .ack = 1001, .flags = SA, .win = 65160, .opts = MSS1460, .ts = (t))
#define CLI_ACK(t) TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, \
                        .ack = 5001, .flags = A, .win = 502, .opts = TS_OPTS, .ts = (t))
#define CLI_DATA(t, data) TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, \
                               .ack = 5001, .flags = PA, .win = 502, .opts = TS_OPTS, .pl = data, \
                               .pllen = sizeof(data) - 1, .ts = (t))

#define NMAP_SYN(dst_, sport_, ttl_, t) TCP4(.ttl = ttl_, .ipid = 46436, .src = C_IP, .dst = dst_, \
        .sport = sport_, .seq = 1162421015, .flags = S, .win = 1024, .opts = MSS1460, .ts = t)

static const char u1[301] =
    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

static const char tls_req[] =
    "\x16\x03\x00\x00\x69\x01\x00\x00\x65\x03\x03U\x1c\xa7\xe4random1random2random3random4\x00\x00\x0c\x00/";
static const char dns_query[] =
    "\x5a\x17\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00\x01\x00\x01";
static const char sip_legit[] =
    "OPTIONS sip:alice@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776\r\n\r\n";
static const char sip_nmap[] =
    "OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/UDP nm;branch=foo;rport\r\nFrom: <sip:nm@nm>;tag=root\r\n\r\n";
/* nmap 7.93 NSE http library request (recorded: scan-nmap-http-title) */
static const char nse_req[] =
    "GET / HTTP/1.1\r\nConnection: close\r\nUser-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine; "
    "https://nmap.org/book/nse.html)\r\nHost: 192.168.1.1:3414\r\n\r\n";
/* SIPVicious 0.3.3 svmap OPTIONS (recorded: scan-sipvicious-svmap) */
static const char svmap_opts[] =
    "OPTIONS sip:100@10.34.14.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1563498001;rport\r\n"
    "Max-Forwards: 70\r\nTo: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
    "From: \"sipvicious\"<sip:100@1.1.1.1>;tag=3061323230653032306435360132353632353939393734\r\n"
    "User-Agent: friendly-scanner\r\nCall-ID: 517028086156975095328971\r\nContact: sip:100@127.0.0.1:5060\r\n"
    "CSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n";
/* an ordinary SIP OPTIONS keep-alive of a phone */
static const char sip_ka[] =
    "OPTIONS sip:192.168.1.1:3414 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\nTo: <sip:192.168.1.1>\r\nFrom: <sip:alice@10.0.0.1>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\nCSeq: 63104 OPTIONS\r\nUser-Agent: Linphone/5.2.0\r\nContent-Length: 0\r\n\r\n";
static const char masscan_hello[] =
    "GET / HTTP/1.0\r\nUser-Agent: masscan/1.3 (https://github.com/robertdavidgraham/masscan)\r\nAccept: */*\r\n\r\n";
static const char rtp[] =
    "\x80\x00\x12\x34\x00\x00\x10\x00\xde\xad\xbe\xef\xd5\xd5\xd5\xd5\xd5\xd5\xd5\xd5\xd5\xd5\xd5\xd5";

static const tcase_t cases[] = {
    /* ---------------- nmap raw TCP ---------------- */
    { "nmap -sS", { NMAP_SYN(S_IP, 35602, 55, 1.0) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 60, 1, "window 1024", NULL },
    { "nmap -sS only MSS", { NMAP_SYN(S_IP, 35602, 55, 1.0) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 60, 1, "only one TCP option (MSS); real systems send several", NULL },
    { "nmap -sS DF clear", { NMAP_SYN(S_IP, 35602, 49, 1.0) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 60, 1, "Don't-Fragment bit not set", NULL },
    { "nmap -sS TTL range", { NMAP_SYN(S_IP, 35602, 49, 1.0) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 60, 1, "TTL between 37 and 59 (nmap picks one at random)", NULL },
    { "nmap -sS two targets, same seq",
      { NMAP_SYN(S_IP2, 35602, 55, 1.0), NMAP_SYN(S_IP, 35602, 49, 1.0) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 75, 1, "same sequence number as previous probe from this source", NULL },
    { "nmap -sS, earlier SYN answered by RST",
      { NMAP_SYN(S_IP2, 35602, 55, 1.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP2, .dst = C_IP, .dport = 35602, .ack = 1162421016, .flags = RA),
        NMAP_SYN(S_IP, 35602, 49, 1.1) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 75, 1, "SYN answered by RST with no data", NULL },
    { "nmap -sS old window 3072",
      { TCP4(.ttl = 44, .src = C_IP, .dst = S_IP, .sport = 50000, .seq = 77, .flags = S, .win = 3072, .opts = MSS1460) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 50, -1, "window 3072 (nmap before 5.59)", NULL },
    { "nmap -sN",
      { TCP4(.ttl = 53, .ipid = 52054, .src = C_IP, .dst = S_IP, .sport = 42526, .seq = 4121114219u, .flags = 0, .win = 1024) },
      1, WIP_TOOL_NMAP, WIP_TECH_NULL, 60, 1, "no TCP flags set", NULL },
    { "nmap -sF",
      { TCP4(.ttl = 39, .ipid = 53521, .src = C_IP, .dst = S_IP, .sport = 53810, .seq = 4121114219u, .flags = F, .win = 1024) },
      1, WIP_TOOL_NMAP, WIP_TECH_FIN, 60, 1, "FIN without ACK", NULL },
    { "nmap -sX",
      { TCP4(.ttl = 39, .ipid = 19827, .src = C_IP, .dst = S_IP, .sport = 33936, .seq = 1534499986, .flags = 0x029, .win = 1024) },
      1, WIP_TOOL_NMAP, WIP_TECH_XMAS, 60, 1, "FIN+PSH+URG (Xmas) flags", NULL },
    { "nmap -sA",
      { TCP4(.ttl = 58, .ipid = 17146, .src = C_IP, .dst = S_IP, .sport = 38984, .seq = 0, .ack = 3569192989u, .flags = A, .win = 1024) },
      1, WIP_TOOL_NMAP, WIP_TECH_ACK, 60, 1, "ACK scan and window scan (-sA/-sW) look the same on the wire", NULL },
    { "nmap -sW",
      { TCP4(.ttl = 42, .ipid = 26773, .src = C_IP, .dst = S_IP, .sport = 42597, .seq = 0, .ack = 4004335590u, .flags = A, .win = 1024) },
      1, WIP_TOOL_NMAP, WIP_TECH_ACK, 60, 1, "sequence number 0 with nonzero ack", NULL },
    { "nmap -sM",
      { TCP4(.ttl = 51, .ipid = 41406, .src = C_IP, .dst = S_IP, .sport = 38938, .seq = 0, .ack = 1189649134, .flags = FA, .win = 1024) },
      1, WIP_TOOL_NMAP, WIP_TECH_MAIMON, 60, 1, "window 1024", NULL },
    { "nmap -sS over IPv6 (no DF): note",
      { TCP4(.v6 = 1, .ttl = 50, .src = 1, .dst = 2, .sport = 35602, .seq = 99, .flags = S, .win = 1024, .opts = MSS1460) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 50, -1, "only one TCP option (MSS); real systems send several", NULL },
    /* ---------------- nmap -sU ---------------- */
    { "nmap -sU, one datagram: flagged, tool unknown (TTL 37-59 and DF clear are weak)",
      { UDP4(.ttl = 56, .ipid = 51149, .src = C_IP, .dst = S_IP, .sport = 34112) },
      1, WIP_TOOL_UNKNOWN, WIP_TECH_UDP, 30, 0, "empty UDP datagram", NULL },
    { "nmap -sU two targets, TTL varies",
      { UDP4(.ttl = 56, .ipid = 51149, .src = C_IP, .dst = S_IP2, .sport = 34112),
        UDP4(.ttl = 42, .ipid = 62137, .src = C_IP, .dst = S_IP, .sport = 34112) },
      1, WIP_TOOL_NMAP, WIP_TECH_UDP, 75, 1, "TTL differs from previous probe (random per packet)", NULL },
    { "empty UDP alone: unknown note",
      { UDP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 5555) },
      1, WIP_TOOL_UNKNOWN, WIP_TECH_UDP, 30, 0, "empty UDP datagram", NULL },
    /* ---------------- nmap -O ---------------- */
    { "nmap -O SEQ1",
      { TCP4(.ttl = 49, .ipid = 53492, .src = C_IP, .dst = S_IP, .sport = 50513, .seq = 1094267580, .flags = S, .win = 1, .opts = OS_SEQ1) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "TCP timestamp 0xFFFFFFFF, echo 0 (nmap OS-detection probes)", NULL },
    { "nmap -O SEQ1 options",
      { TCP4(.ttl = 49, .ipid = 53492, .src = C_IP, .dst = S_IP, .sport = 50513, .seq = 1094267580, .flags = S, .win = 1, .opts = OS_SEQ1) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "window and option layout of nmap OS-detection probe SEQ1", NULL },
    { "nmap -O ECN",
      { TCP4(.ttl = 47, .ipid = 50856, .src = C_IP, .dst = S_IP, .sport = 50525, .seq = 1094267580, .flags = 0x8c2, .win = 3, .urg = 63477, .opts = OS_ECN) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "urgent pointer set (63477) but no URG flag", NULL },
    { "nmap -O T2",
      { TCP4(.ttl = 55, .df = 1, .ipid = 14975, .src = C_IP, .dst = S_IP, .sport = 50527, .flags = 0, .win = 128, .opts = OS_T) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "window and option layout of nmap OS-detection probe T2", NULL },
    { "nmap -O T3",
      { TCP4(.ttl = 54, .ipid = 34412, .src = C_IP, .dst = S_IP, .sport = 50528, .seq = 1094267580, .flags = 0x02b, .win = 256, .opts = OS_T) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "window and option layout of nmap OS-detection probe T3", NULL },
    { "nmap -O T4",
      { TCP4(.ttl = 41, .df = 1, .ipid = 63894, .src = C_IP, .dst = S_IP, .sport = 50529, .ack = 861832365, .flags = A, .win = 1024, .opts = OS_T) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "window and option layout of nmap OS-detection probe T4", NULL },
    { "nmap -O T5",
      { TCP4(.ttl = 41, .ipid = 1, .src = C_IP, .dst = S_IP, .sport = 50530, .seq = 5, .flags = S, .win = 31337, .opts = OS_T) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "window and option layout of nmap OS-detection probe T5", NULL },
    { "nmap -O T7",
      { TCP4(.ttl = 41, .ipid = 2, .src = C_IP, .dst = S_IP, .sport = 50532, .seq = 5, .flags = 0x029, .win = 65535, .opts = OS_T) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "window and option layout of nmap OS-detection probe T7", NULL },
    { "nmap -O U1",
      { UDP4(.ttl = 50, .ipid = 0x1042, .src = C_IP, .dst = S_IP, .sport = 40001, .pl = u1, .pllen = 300) },
      1, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT, 60, 1, "IP ID 0x1042", "U1" },
    /* ---------------- nmap -sT / -sV ---------------- */
    { "connect + RST without data, one connection: not flagged (health checks do this)",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5001, .flags = RA, .win = 502, .opts = TS_OPTS, .ts = 1.0003) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "nmap -sT after nmap raw probes: nmap",
      { NMAP_SYN(S_IP2, 35602, 55, 0.5), LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5001, .flags = RA, .win = 502, .opts = TS_OPTS, .ts = 1.0003) },
      1, WIP_TOOL_NMAP, WIP_TECH_CONNECT, 60, 1, "source earlier identified as nmap", NULL },
    { "GET / HTTP/1.0 alone (what clients send): not flagged",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "GET / HTTP/1.0\r\n\r\n") },
      0, 0, 0, 0, -1, NULL, NULL },
    { "GenericLines after a 6 s silent handshake, no history: not flagged",
      { LINUX_SYN(10.156866), SRV_SYNACK(10.156880), CLI_ACK(10.156892), CLI_DATA(16.159692, "\r\n\r\n") },
      0, 0, 0, 0, -1, NULL, NULL },
    { "GenericLines alone: not flagged",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "\r\n\r\n") },
      0, 0, 0, 0, -1, NULL, NULL },
    { "GenericLines then GetRequest from one source: one step in nmap's order, what two client requests can show: not flagged",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "\r\n\r\n"),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3000, .flags = S, .win = 64240, .opts = LINUX_OPTS, .ts = 7.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40002, .seq = 9000, .ack = 3001, .flags = SA, .win = 65160, .opts = MSS1460, .ts = 7.0001),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3001, .ack = 9001, .flags = A, .win = 502, .opts = TS_OPTS, .ts = 7.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3001, .ack = 9001, .flags = PA, .win = 502, .opts = TS_OPTS, .pl = "GET / HTTP/1.0\r\n\r\n", .pllen = 18, .ts = 7.001) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "nmap -sV: GenericLines, GetRequest, HTTPOptions from one source (nmap's probe order, two steps)",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "\r\n\r\n"),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3000, .flags = S, .win = 64240, .opts = LINUX_OPTS, .ts = 7.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40002, .seq = 9000, .ack = 3001, .flags = SA, .win = 65160, .opts = MSS1460, .ts = 7.0001),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3001, .ack = 9001, .flags = A, .win = 502, .opts = TS_OPTS, .ts = 7.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3001, .ack = 9001, .flags = PA, .win = 502, .opts = TS_OPTS, .pl = "GET / HTTP/1.0\r\n\r\n", .pllen = 18, .ts = 7.001),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40003, .seq = 4000, .flags = S, .win = 64240, .opts = LINUX_OPTS, .ts = 13.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40003, .seq = 9500, .ack = 4001, .flags = SA, .win = 65160, .opts = MSS1460, .ts = 13.0001),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40003, .seq = 4001, .ack = 9501, .flags = A, .win = 502, .opts = TS_OPTS, .ts = 13.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40003, .seq = 4001, .ack = 9501, .flags = PA, .win = 502, .opts = TS_OPTS, .pl = "OPTIONS / HTTP/1.0\r\n\r\n", .pllen = 22, .ts = 13.001) },
      1, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE, 70, 1, "comes after earlier nmap service probes, in nmap's order", "HTTPOptions" },
    { "GetRequest after an nmap SYN from the same source",
      { NMAP_SYN(S_IP2, 35602, 55, 0.5), LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "GET / HTTP/1.0\r\n\r\n") },
      1, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE, 70, 1, "source earlier identified as nmap", "GetRequest" },
    { "the same GET / HTTP/1.0 twice from one client: not flagged (no probe order)",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "GET / HTTP/1.0\r\n\r\n"),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3000, .flags = S, .win = 64240, .opts = LINUX_OPTS, .ts = 2.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40002, .seq = 9000, .ack = 3001, .flags = SA, .win = 65160, .opts = MSS1460, .ts = 2.0001),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3001, .ack = 9001, .flags = A, .win = 502, .opts = TS_OPTS, .ts = 2.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40002, .seq = 3001, .ack = 9001, .flags = PA, .win = 502, .opts = TS_OPTS, .pl = "GET / HTTP/1.0\r\n\r\n", .pllen = 18, .ts = 2.001) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "Nmap Scripting Engine User-Agent on a later request of a session",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.001, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1030, .ack = 5100, .flags = PA, .win = 502, .opts = TS_OPTS,
             .pl = nse_req, .pllen = sizeof nse_req - 1, .ts = 1.2) },
      1, WIP_TOOL_NMAP, WIP_TECH_SCRIPT, 90, 1, "User-Agent of the Nmap Scripting Engine", NULL },
    { "SIPVicious svmap OPTIONS (friendly-scanner)",
      { UDP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 5060, .pl = svmap_opts, .pllen = sizeof svmap_opts - 1) },
      1, WIP_TOOL_SIPVICIOUS, WIP_TECH_SIP_SCAN, 90, 1, "SIP User-Agent friendly-scanner (SIPVicious)", NULL },
    { "ordinary SIP OPTIONS keep-alive: not flagged",
      { UDP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 5060, .pl = sip_ka, .pllen = sizeof sip_ka - 1) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "hping3 --udp -d 8 ('X' padding), sport +1",
      { UDP4(.ttl = 64, .ipid = 35522, .src = C_IP, .dst = S_IP, .sport = 1977, .pl = "XXXXXXXX", .pllen = 8),
        UDP4(.ttl = 64, .ipid = 38705, .src = C_IP, .dst = S_IP, .sport = 1978, .pl = "XXXXXXXX", .pllen = 8, .ts = 1) },
      1, WIP_TOOL_HPING3, WIP_TECH_UDP, 60, 1, "payload of 8 'X' bytes (hping3 -d padding)", NULL },
    { "one datagram of 'X' bytes: not flagged",
      { UDP4(.ttl = 64, .ipid = 35522, .src = C_IP, .dst = S_IP, .sport = 1977, .pl = "XXXXXXXX", .pllen = 8) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "masscan -pU (empty, TTL 255)",
      { UDP4(.ttl = 255, .ipid = 0xc580, .src = C_IP, .dst = S_IP, .sport = 40598) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_UDP, 60, 1, "TTL 255", NULL },
    { "zmap -M udp with a user payload (IP ID 54321, TTL 255)",
      { UDP4(.ttl = 255, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 50343, .pl = "wip-probe-payload", .pllen = 17) },
      1, WIP_TOOL_ZMAP, WIP_TECH_UDP, 60, 1, "IP ID 54321", NULL },
    { "UDP data with IP ID 54321 but TTL 64: not flagged",
      { UDP4(.ttl = 64, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 50343, .pl = "hello", .pllen = 5) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "nmap -sV TLSSessionReq (contains rule)",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5001, .flags = PA, .win = 502, .pl = tls_req, .pllen = sizeof tls_req - 1, .ts = 1.01) },
      1, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE, 80, 1, NULL, "TLSSessionReq" },
    { "nmap -sV SIPOptions over UDP (prefix rule)",
      { UDP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40001, .pl = sip_nmap, .pllen = sizeof sip_nmap - 1) },
      1, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE, 70, 1, NULL, "SIPOptions" },
    { "nmap -sV NULL probe (held 6 s, client FIN) after nmap SYN",
      { NMAP_SYN(S_IP, 35999, 55, 0.5), LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5001, .flags = FA, .win = 502, .opts = TS_OPTS, .ts = 7.0) },
      1, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE, 60, 1, "connection held 6 s with no data, then closed by the client", "NULL" },
    /* ---------------- masscan ---------------- */
    { "masscan SYN",
      { TCP4(.ttl = 255, .ipid = 0, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 428828980, .flags = S, .win = 1024) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_SYN, 60, 1, "IP ID computed from target address, port and sequence number (masscan)", NULL },
    { "masscan SYN newer (win 1025 + MSS)",
      { TCP4(.ttl = 250, .ipid = 0, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 9999, .flags = S, .win = 1025, .opts = MSS1460) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_SYN, 60, 1, "window 1025", NULL },
    { "masscan SYN behind NAT (IP ID rewritten): note",
      { TCP4(.ttl = 240, .ipid = 1, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 9999, .flags = S, .win = 1024) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_SYN, 45, 0, "TTL 240 (initial 255)", NULL },
    { "masscan banner mode: its own handshake ACK",
      { TCP4(.ttl = 255, .ipid = 0, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 428828980, .flags = S, .win = 1024),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 47004, .seq = 777, .ack = 428828981, .flags = SA, .win = 65160, .opts = MSS1460),
        TCP4(.ttl = 255, .ipid = 0, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 428828981, .ack = 778, .flags = A, .win = 1200) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_BANNER_GRAB, 60, 1, "window 1200 (masscan's own TCP stack)", NULL },
    { "nmap -sV NULL probe against a banner (source known as nmap)",
      { NMAP_SYN(S_IP, 35602, 55, 1.0), NMAP_SYN(S_IP2, 35602, 50, 1.0),
        LINUX_SYN(2.0), SRV_SYNACK(2.0), CLI_ACK(2.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40000, .seq = 5001, .ack = 1001, .flags = PA, .win = 65160, .pl = "SSH-2.0-x\r\n", .pllen = 11, .ts = 2.1),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5012, .flags = FA, .win = 64240, .ts = 2.2) },
      1, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE, 45, -1, "server banner read, client closed without sending data", "NULL" },
    { "client reads a banner and closes, source not a scanner",
      { LINUX_SYN(2.0), SRV_SYNACK(2.0), CLI_ACK(2.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40000, .seq = 5001, .ack = 1001, .flags = PA, .win = 65160, .pl = "SSH-2.0-x\r\n", .pllen = 11, .ts = 2.1),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5012, .flags = FA, .win = 64240, .ts = 2.2) },
      0, 0, 0, 0, 0, NULL, NULL },
    { "masscan RST window 1200",
      { TCP4(.ttl = 255, .ipid = 0, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 428828980, .flags = S, .win = 1024),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 47004, .seq = 777, .ack = 428828981, .flags = SA, .win = 65160, .opts = MSS1460),
        TCP4(.ttl = 255, .ipid = 0, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 428828981, .flags = R, .win = 1200) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_SYN, 60, 1, "RST window 1200 (masscan's own reset)", NULL },
    { "masscan --banners http hello",
      { TCP4(.ttl = 255, .src = C_IP, .dst = S_IP, .sport = 47004, .seq = 100, .ack = 200, .flags = PA, .win = 1024,
             .pl = masscan_hello, .pllen = sizeof masscan_hello - 1) },
      1, WIP_TOOL_MASSCAN, WIP_TECH_BANNER_GRAB, 80, 1, "User-Agent masscan (--banners hello)", NULL },
    /* ---------------- zmap ---------------- */
    { "zmap SYN",
      { TCP4(.ttl = 255, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 43208, .seq = 3775958865u, .flags = S, .win = 65535) },
      1, WIP_TOOL_ZMAP, WIP_TECH_SYN, 60, 1, "IP ID 54321", NULL },
    { "zmap 3.x SYN with MSS",
      { TCP4(.ttl = 250, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 43208, .seq = 3775958865u, .flags = S, .win = 65535, .opts = MSS1460) },
      1, WIP_TOOL_ZMAP, WIP_TECH_SYN, 60, 1, "window 65535", NULL },
    { "zmap UDP default payload",
      { UDP4(.ttl = 255, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 54746, .pl = "GET / HTTP/1.1\r\nHost: www\r\n\r\n", .pllen = 29) },
      1, WIP_TOOL_ZMAP, WIP_TECH_UDP, 60, 1, "IP ID 54321", NULL },
    /* ---------------- hping3 ---------------- */
    { "hping3 -S",
      { TCP4(.ttl = 64, .ipid = 51336, .src = C_IP, .dst = S_IP, .sport = 2014, .seq = 1449625740, .ack = 0x6b815f14, .flags = S, .win = 512) },
      1, WIP_TOOL_HPING3, WIP_TECH_SYN, 60, 1, "nonzero ack number without ACK flag", NULL },
    { "hping3 -S, sport +1",
      { TCP4(.ttl = 64, .ipid = 51336, .src = C_IP, .dst = S_IP, .sport = 2014, .seq = 1449625740, .ack = 0x6b815f14, .flags = S, .win = 512),
        TCP4(.ttl = 64, .ipid = 34316, .src = C_IP, .dst = S_IP, .sport = 2015, .seq = 2108007544, .ack = 0x11223344, .flags = S, .win = 512, .ts = 1) },
      1, WIP_TOOL_HPING3, WIP_TECH_SYN, 80, 1, "source port +1 from previous probe", NULL },
    { "hping3 -F",
      { TCP4(.ttl = 64, .ipid = 23205, .src = C_IP, .dst = S_IP, .sport = 1616, .seq = 1764224708, .ack = 0x01020304, .flags = F, .win = 512) },
      1, WIP_TOOL_HPING3, WIP_TECH_FIN, 60, 1, "window 512", NULL },
    { "hping3 (no flags)",
      { TCP4(.ttl = 64, .ipid = 15376, .src = C_IP, .dst = S_IP, .sport = 2403, .seq = 0x63d82161, .ack = 0x16e04a43, .flags = 0, .win = 512) },
      1, WIP_TOOL_HPING3, WIP_TECH_NULL, 60, 1, "no TCP flags set", NULL },
    { "hping3 -X (ECE only) -> null",
      { TCP4(.ttl = 64, .ipid = 17514, .src = C_IP, .dst = S_IP, .sport = 1079, .seq = 5, .ack = 0x0a0b0c0d, .flags = 0x040, .win = 512) },
      1, WIP_TOOL_HPING3, WIP_TECH_NULL, 60, 1, "only ECE flag set (hping3 -X)", NULL },
    { "hping3 -Y (CWR only) -> null",
      { TCP4(.ttl = 64, .ipid = 59177, .src = C_IP, .dst = S_IP, .sport = 1624, .seq = 5, .ack = 0x0a0b0c0d, .flags = 0x080, .win = 512) },
      1, WIP_TOOL_HPING3, WIP_TECH_NULL, 60, 1, "only CWR flag set (hping3 -Y)", NULL },
    { "hping3 -F -P -U (xmas)",
      { TCP4(.ttl = 64, .ipid = 1, .src = C_IP, .dst = S_IP, .sport = 1700, .seq = 5, .ack = 0x0a0b0c0d, .flags = 0x029, .win = 512) },
      1, WIP_TOOL_HPING3, WIP_TECH_XMAS, 60, 1, "window 512", NULL },
    { "hping3 --udp, sport +1",
      { UDP4(.ttl = 64, .ipid = 35522, .src = C_IP, .dst = S_IP, .sport = 1173),
        UDP4(.ttl = 64, .ipid = 38705, .src = C_IP, .dst = S_IP, .sport = 1174, .ts = 1) },
      1, WIP_TOOL_HPING3, WIP_TECH_UDP, 60, 1, "source port +1 from previous probe", NULL },
    /* ---------------- others ---------------- */
    { "unicornscan SYN (Cisco-like alone: note)",
      { TCP4(.ttl = 255, .ipid = 7, .src = C_IP, .dst = S_IP, .sport = 33333, .seq = 42, .flags = S, .win = 4128, .opts = MSS1460) },
      1, WIP_TOOL_UNICORNSCAN, WIP_TECH_SYN, 50, 0, "window 4128", NULL },
    { "unicornscan SYN to a second target",
      { TCP4(.ttl = 255, .ipid = 7, .src = C_IP, .dst = S_IP2, .sport = 33333, .seq = 41, .flags = S, .win = 4128, .opts = MSS1460),
        TCP4(.ttl = 255, .ipid = 8, .src = C_IP, .dst = S_IP, .sport = 33333, .seq = 42, .flags = S, .win = 4128, .opts = MSS1460) },
      1, WIP_TOOL_UNICORNSCAN, WIP_TECH_SYN, 60, 1, "probes to 2 targets from this source", NULL },
    { "zgrab http User-Agent",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        CLI_DATA(1.01, "GET / HTTP/1.1\r\nHost: 192.168.1.1:3414\r\nUser-Agent: Mozilla/5.0 zgrab/0.x\r\nAccept: */*\r\n\r\n") },
      1, WIP_TOOL_ZGRAB, WIP_TECH_BANNER_GRAB, 80, 1, "User-Agent zgrab", NULL },
    { "zgrab2 banner \\n probe",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.01, "\n") },
      1, WIP_TOOL_ZGRAB, WIP_TECH_BANNER_GRAB, 45, 0, "payload is a single newline (zgrab2 banner probe)", NULL },
    { "censys",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        CLI_DATA(1.01, "GET / HTTP/1.1\r\nHost: 192.168.1.1:3414\r\nUser-Agent: Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)\r\n\r\n") },
      1, WIP_TOOL_CENSYS, WIP_TECH_BANNER_GRAB, 90, 1, "User-Agent CensysInspect", NULL },
    { "lzr (seq < 65536, data on handshake ACK)",
      { TCP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 41000, .seq = 1234, .flags = S, .win = 65535, .opts = MSS1460),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 41000, .seq = 9, .ack = 1235, .flags = SA, .win = 65160, .opts = MSS1460),
        TCP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 41000, .seq = 1235, .ack = 10, .flags = PA, .win = 65535, .pl = "GET / HTTP/1.1\r\nHost: x\r\n\r\n", .pllen = 27) },
      1, WIP_TOOL_LZR, WIP_TECH_BANNER_GRAB, 60, 1, "SYN sequence number below 65536", NULL },
    { "SYN without options, DF clear, one packet: not flagged (one feature)",
      { TCP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 77777, .flags = S, .win = 8192) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "SYN without options and an ack value without ACK flag: hping3-like note",
      { TCP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 77777, .ack = 99, .flags = S, .win = 8192) },
      1, WIP_TOOL_HPING3, WIP_TECH_SYN, 30, 0, "nonzero ack number without ACK flag", NULL },
    { "SYN flood packet with IP ID 54321 by chance (window 8192): not zmap, not flagged",
      { TCP4(.ttl = 64, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 77777, .flags = S, .win = 8192) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "ACK window 512 without options, no session seen: not flagged",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 123456, .ack = 654321, .flags = A, .win = 512) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "ordinary FIN/ACK, window 1024, no options, no session seen: not maimon",
      { TCP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 123456, .ack = 654321, .flags = FA, .win = 1024) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "data on the handshake ACK, ordinary ISN: not flagged",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 3000000000u, .flags = S, .win = 64240, .opts = LINUX_OPTS, .ts = 1.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40000, .seq = 5000, .ack = 3000000001u, .flags = SA, .win = 65160, .opts = MSS1460, .ts = 1.0001),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 3000000001u, .ack = 5001, .flags = PA, .win = 502, .pl = "hello\n", .pllen = 6, .ts = 1.0002) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "unknown SYN+FIN",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 77777, .flags = 0x003, .win = 8192, .opts = LINUX_OPTS) },
      1, WIP_TOOL_UNKNOWN, WIP_TECH_SYN, 30, 0, "SYN and FIN together", NULL },

    /* ================= never flag ================= */
    { "Linux SYN", { LINUX_SYN(1.0) }, 0, 0, 0, 0, -1, NULL, NULL },
    { "Linux SYN win 65495 (lo)",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 47036, .seq = 2946575088u, .flags = S, .win = 65495, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "Linux SYN retransmission", { LINUX_SYN(1.0), LINUX_SYN(2.0), LINUX_SYN(4.0) }, 0, 0, 0, 0, -1, NULL, NULL },
    { "ECN SYN",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1000, .flags = 0x0c2, .win = 64240, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "SYN/ACK from the port", { LINUX_SYN(1.0), SRV_SYNACK(1.0001) }, 0, 0, 0, 0, -1, NULL, NULL },
    { "RST from the port after nmap SYN",
      { NMAP_SYN(S_IP, 35602, 55, 1.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 35602, .ack = 1162421016, .flags = RA) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "masscan-looking RST from the port",
      { FROM(.ttl = 255, .src = S_IP, .dst = C_IP, .dport = 47004, .seq = 5, .flags = R, .win = 1200) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "scanner kernel RST after SYN/ACK (half-open)",
      { NMAP_SYN(S_IP, 35602, 55, 1.0),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 35602, .seq = 5, .ack = 1162421016, .flags = SA, .win = 65495, .opts = MSS1460),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 35602, .seq = 1162421016, .flags = R) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "SYN/ACK arriving at the port (backscatter)",
      { TCP4(.ttl = 50, .src = C_IP, .dst = S_IP, .sport = 80, .seq = 1, .ack = 2, .flags = SA, .win = 1024) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "session data",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.01, "hello wip protocol"),
        CLI_DATA(1.02, "GET / HTTP/1.0\r\n\r\n") },
      0, 0, 0, 0, -1, NULL, NULL },
    { "server data",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        FROM(.ttl = 64, .df = 1, .src = S_IP, .dst = C_IP, .dport = 40000, .seq = 5001, .ack = 1001, .flags = PA, .win = 509, .pl = "\r\n\r\n", .pllen = 4) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "ordinary HTTP/1.1 request",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        CLI_DATA(1.01, "GET / HTTP/1.1\r\nHost: wip\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n") },
      0, 0, 0, 0, -1, NULL, NULL },
    { "mid-capture data (unknown flow)",
      { CLI_DATA(1.0, "some application bytes") }, 0, 0, 0, 0, -1, NULL, NULL },
    { "mid-capture FIN+ACK / ACK (unknown flow)",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 99999, .ack = 5001, .flags = A, .win = 1024, .opts = TS_OPTS),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 99999, .ack = 5001, .flags = FA, .win = 502, .opts = TS_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "normal close after data",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002), CLI_DATA(1.01, "hello"),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1006, .ack = 5001, .flags = FA, .win = 502, .opts = TS_OPTS, .ts = 2.0) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "single quick connect + FIN without data (health check)",
      { LINUX_SYN(1.0), SRV_SYNACK(1.0001), CLI_ACK(1.0002),
        TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1001, .ack = 5001, .flags = FA, .win = 502, .opts = TS_OPTS, .ts = 1.01) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "DNS query over UDP",
      { UDP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 53000, .pl = dns_query, .pllen = sizeof dns_query - 1) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "SIP OPTIONS (ordinary)",
      { UDP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 5060, .pl = sip_legit, .pllen = sizeof sip_legit - 1) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "RTP",
      { UDP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 16384, .pl = rtp, .pllen = sizeof rtp - 1),
        UDP4(.ttl = 64, .src = C_IP, .dst = S_IP, .sport = 16384, .pl = rtp, .pllen = sizeof rtp - 1) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "lone IP ID 54321 with Linux options",
      { TCP4(.ttl = 64, .df = 1, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1000, .flags = S, .win = 65535, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "lone IP ID 54321, Linux options, DF clear, TTL 255",
      { TCP4(.ttl = 255, .ipid = 54321, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1000, .flags = S, .win = 64240, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "masscan IP ID rule alone (Linux SYN)",
      { TCP4(.ttl = 64, .df = 1, .ipid = 0 /* set below */, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 0x12345678, .flags = S, .win = 64240, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "TTL 255 alone (Solaris-like SYN)",
      { TCP4(.ttl = 255, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1000, .flags = S, .win = 64240, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "window 1024 alone (options, DF)",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1000, .flags = S, .win = 1024, .opts = LINUX_OPTS) },
      0, 0, 0, 0, -1, NULL, NULL },
    { "window 1024 + MSS only but DF set and TTL 64 (embedded stack)",
      { TCP4(.ttl = 64, .df = 1, .src = C_IP, .dst = S_IP, .sport = 40000, .seq = 1000, .flags = S, .win = 1024, .opts = MSS1460) },
      1, WIP_TOOL_NMAP, WIP_TECH_SYN, 45, 0, "window 1024", NULL },
};

/* ------------------------------------------------------------------ */

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

static int has_evidence(const wip_probe_verdict_t *v, const char *e)
{
    char ev[96];
    for (guint i = 0; i < v->k.n_evidence; i++)
        if (wip_probe_ev_text(&v->k, i, ev, sizeof ev) && strcmp(ev, e) == 0)
            return 1;
    return 0;
}

static void dump(const wip_probe_verdict_t *v)
{
    printf("      -> probe=%d attributed=%d tool=%s tech=%s conf=%u name='%s' probes=%u targets=%u\n",
           v->is_probe, v->k.attributed, wip_tool_name(v->k.tool), wip_technique_name(v->k.technique),
           v->k.confidence, v->k.name, v->src_probes, v->src_targets);
    char ev[96];
    for (guint i = 0; i < v->k.n_evidence; i++) {
        wip_probe_ev_text(&v->k, i, ev, sizeof ev);
        printf("         * %s\n", ev);
    }
}

static wip_probe_tracker_t *new_tracker(guint ns, guint nf, void **mem)
{
    gsize sz = wip_probe_tracker_size(ns, nf);
    *mem = g_malloc(sz);
    return wip_probe_tracker_init(*mem, ns, nf);
}

static void run_cases(const wip_svc_probes_t *svc, int verbose)
{
    for (gsize ci = 0; ci < G_N_ELEMENTS(cases); ci++) {
        const tcase_t *tc = &cases[ci];
        void *mem;
        wip_probe_tracker_t *t = new_tracker(256, 256, &mem);
        wip_probe_verdict_t v;
        int n = 0;
        while (n < MAXP && tc->pk[n].tr)
            n++;
        for (int i = 0; i < n; i++) {
            wip_pkt_t p;
            build(&tc->pk[i], &p, (guint32)i + 1);
            if (strcmp(tc->name, "masscan IP ID rule alone (Linux SYN)") == 0)
                p.ip_id = masscan_id(S_IP, PORT, p.seq);
            if (strcmp(tc->name, "masscan SYN") == 0 || strcmp(tc->name, "masscan RST window 1200") == 0 ||
                strcmp(tc->name, "masscan banner mode: its own handshake ACK") == 0 ||
                strcmp(tc->name, "masscan SYN newer (win 1025 + MSS)") == 0)
                if (p.dir == 1)
                    p.ip_id = masscan_id(S_IP, PORT, p.seq);
            wip_probe_classify(t, svc, &p, &v);
            /* intermediate from-port packets are never probes */
            if (p.dir == WIP_DIR_FROM_PORT)
                CHECK(!v.is_probe, "%s: packet %d from the port flagged", tc->name, i + 1);
        }
        int ok0 = failures;
        if (!tc->flag) {
            CHECK(!v.is_probe, "%s: flagged but must not be (%s/%s conf %u)", tc->name,
                  wip_tool_name(v.k.tool), wip_technique_name(v.k.technique), v.k.confidence);
        } else {
            CHECK(v.is_probe, "%s: not flagged", tc->name);
            CHECK(v.k.tool == tc->tool, "%s: tool %s, want %s", tc->name, wip_tool_name(v.k.tool), wip_tool_name(tc->tool));
            CHECK(v.k.technique == tc->tech, "%s: technique %s, want %s", tc->name,
                  wip_technique_name(v.k.technique), wip_technique_name(tc->tech));
            CHECK(v.k.confidence >= tc->min_conf, "%s: confidence %u < %d", tc->name, v.k.confidence, tc->min_conf);
            if (tc->attributed >= 0)
                CHECK(!!v.k.attributed == tc->attributed, "%s: attributed %d, want %d", tc->name, v.k.attributed, tc->attributed);
            if (tc->evidence)
                CHECK(has_evidence(&v, tc->evidence), "%s: evidence \"%s\" missing", tc->name, tc->evidence);
            if (tc->pname)
                CHECK(strcmp(v.k.name, tc->pname) == 0, "%s: probe name '%s', want '%s'", tc->name, v.k.name, tc->pname);
            CHECK(v.src_probes >= 1, "%s: src_probes %u", tc->name, v.src_probes);
            CHECK(v.k.n_evidence >= 1 && v.k.n_evidence <= WIP_PROBE_MAX_EVIDENCE, "%s: n_evidence %u", tc->name, v.k.n_evidence);
        }
        if (verbose || failures != ok0) {
            printf("  case %-60s %s\n", tc->name, failures != ok0 ? "FAILED" : "ok");
            dump(&v);
        }
        g_free(mem);
    }
}

/* ------------------------------------------------------------------ */
/* tracker tests                                                        */

static void nmap_syn_from(guint32 src, guint32 dst, guint32 frame, wip_pkt_t *p)
{
    spec_t sp = NMAP_SYN(dst, 35602, 50, frame * 1e-6);
    sp.src = src;
    build(&sp, p, frame);
}

static void test_tracker_flood(void)
{
    const guint NS = 4096, NF = 4096;
    gsize sz = wip_probe_tracker_size(NS, NF);
    guint8 *mem = g_malloc(sz + 64);
    memset(mem + sz, 0xA5, 64);             /* canary after the block */
    wip_probe_tracker_t *t = wip_probe_tracker_init(mem, NS, NF);
    wip_probe_verdict_t v;
    wip_pkt_t p;
    guint32 persist = 0x0b000001;           /* one scanner active throughout */
    guint32 persist_probes = 0;
    guint flagged = 0;

    for (guint32 i = 0; i < 1000000; i++) {
        nmap_syn_from(0x20000000u + i, S_IP, i + 1, &p);
        wip_probe_classify(t, NULL, &p, &v);
        flagged += v.is_probe;
        if (v.src_probes != 1 || v.src_targets != 1) {
            CHECK(0, "flood: new source %u has probes %u targets %u", i, v.src_probes, v.src_targets);
            break;
        }
        if (i % 100 == 0) {               /* the persistent scanner, 10,000 targets */
            nmap_syn_from(persist, 0xc0a80000u + (i / 100), i + 1, &p);
            wip_probe_classify(t, NULL, &p, &v);
            persist_probes++;
        }
    }
    CHECK(flagged == 1000000, "flood: %u of 1000000 nmap SYNs flagged", flagged);
    guint8 canary_ok = 1;
    for (int i = 0; i < 64; i++)
        canary_ok &= mem[sz + i] == 0xA5;
    CHECK(canary_ok, "flood: wrote past the tracker block");
    guint used_s, used_f;
    guint64 ev_s, ev_f;
    wip_probe_tracker_stats(t, &used_s, &used_f, &ev_s, &ev_f);
    CHECK(used_s <= NS && used_f <= NF, "flood: used %u/%u slots", used_s, used_f);
    CHECK(ev_s > 900000, "flood: only %" G_GUINT64_FORMAT " source evictions", ev_s);
    CHECK(wip_probe_tracker_size(NS, NF) == sz, "flood: size changed");

    /* recent sources: still tracked with exact counters */
    guint recent_ok = 0;
    for (guint32 i = 1000000 - 200; i < 1000000; i++) {
        guint8 a[4] = { (guint8)((0x20000000u + i) >> 24), (guint8)((0x20000000u + i) >> 16),
                        (guint8)((0x20000000u + i) >> 8), (guint8)(0x20000000u + i) };
        guint32 pr, tg;
        if (wip_probe_source_counts(t, a, 4, &pr, &tg) && pr == 1 && tg == 1)
            recent_ok++;
    }
    CHECK(recent_ok >= 195, "flood: only %u of the last 200 sources still tracked", recent_ok);
    /* the persistent scanner survived the flood (LRU) with its counts */
    guint8 pa[4] = { 0x0b, 0, 0, 1 };
    guint32 pr = 0, tg = 0;
    gboolean found = wip_probe_source_counts(t, pa, 4, &pr, &tg);
    CHECK(found, "flood: persistent scanner evicted");
    CHECK(pr == persist_probes, "flood: persistent probes %u want %u", pr, persist_probes);
    CHECK(tg > 7000 && tg < 13000, "flood: persistent targets estimate %u (true 10000)", tg);
    printf("  tracker flood: %u bytes for %u sources + %u flows, used %u/%u, %" G_GUINT64_FORMAT
           " source evictions, persistent scanner probes=%u targets~%u (true 10000)\n",
           (guint)sz, NS, NF, used_s, used_f, ev_s, pr, tg);
    g_free(mem);
}

static void test_targets_counting(void)
{
    void *mem;
    wip_probe_tracker_t *t = new_tracker(64, 64, &mem);
    wip_probe_verdict_t v;
    wip_pkt_t p;
    guint32 prev = 0;
    gboolean mono = TRUE;
    for (guint32 i = 0; i < 3; i++) {
        nmap_syn_from(C_IP, S_IP + i, i + 1, &p);
        wip_probe_classify(t, NULL, &p, &v);
    }
    CHECK(v.src_targets == 3 && v.src_probes == 3, "targets: 3 targets -> %u/%u", v.src_targets, v.src_probes);
    /* repeat the same 3 targets: still exact */
    for (guint32 i = 0; i < 3; i++) {
        nmap_syn_from(C_IP, S_IP + i, i + 10, &p);
        p.sport = 40000 + (guint16)i;
        wip_probe_classify(t, NULL, &p, &v);
    }
    CHECK(v.src_targets == 3 && v.src_probes == 6, "targets: repeats -> %u/%u", v.src_targets, v.src_probes);
    for (guint32 i = 0; i < 1000; i++) {
        nmap_syn_from(C_IP, 0xac100000u + i * 7919, i + 100, &p);
        wip_probe_classify(t, NULL, &p, &v);
        if (v.src_targets < prev)
            mono = FALSE;
        prev = v.src_targets;
    }
    CHECK(mono, "targets: estimate decreased");
    CHECK(v.src_targets >= 700 && v.src_targets <= 1400, "targets: 1003 targets estimated as %u", v.src_targets);
    printf("  distinct targets: 1003 true, %u estimated; probes %u\n", v.src_targets, v.src_probes);
    g_free(mem);
}

/* robustness: random garbage through the classifier (no crash, no overread
 * with ASan), truncated payloads, bad options */
static void test_garbage(const wip_svc_probes_t *svc)
{
    void *mem;
    wip_probe_tracker_t *t = new_tracker(32, 32, &mem);
    void *mem2 = NULL;
    wip_probe_tracker_t *t2 = new_tracker(32, 32, &mem2);   /* the same packets, no text */
    GRand *r = g_rand_new_with_seed(42);
    wip_probe_verdict_t v, v2;
    guint lazy_checked = 0;
    guint8 pl[64];
    for (int i = 0; i < 200000; i++) {
        wip_pkt_t p;
        memset(&p, 0, sizeof p);
        p.transport = g_rand_boolean(r) ? 6 : 17;
        p.dir = (guint8)g_rand_int_range(r, 0, 4);
        p.ip_version = (guint8)(g_rand_boolean(r) ? 4 : 6);
        p.ttl = (guint8)g_rand_int(r);
        p.df = g_rand_boolean(r);
        p.ip_id = (guint16)g_rand_int(r);
        p.src[0] = (guint8)g_rand_int_range(r, 0, 4);
        p.dst[0] = (guint8)g_rand_int_range(r, 0, 4);
        p.sport = (guint16)g_rand_int_range(r, 1000, 1010);
        p.dport = PORT;
        p.seq = g_rand_int_range(r, 0, 3);
        p.ack = g_rand_int(r);
        p.flags = (guint16)g_rand_int_range(r, 0, 0x1000);
        p.window = (guint16)g_rand_int(r);
        p.urgptr = (guint16)g_rand_int(r);
        p.opts_len = (guint8)g_rand_int_range(r, 0, 256);   /* even bogus > 40 */
        for (int k = 0; k < 40; k++)
            p.opts[k] = (guint8)g_rand_int_range(r, 0, 12);
        guint32 cl = (guint32)g_rand_int_range(r, 0, sizeof pl + 1);
        for (guint32 k = 0; k < cl; k++)
            pl[k] = (guint8)g_rand_int_range(r, 0, 256);
        if (g_rand_boolean(r) && cl > 0)
            pl[0] = 'G';
        p.payload_caplen = cl;
        p.payload_len = cl + (guint32)g_rand_int_range(r, 0, 3);
        p.payload = cl ? pl : NULL;
        if (g_rand_int_range(r, 0, 10) == 0) {   /* declared but not captured */
            p.payload = NULL;
            p.payload_caplen = 0;
        }
        p.ts = i * 0.001;
        wip_probe_classify(t, svc, &p, &v);
        if (v.is_probe)
            CHECK(v.k.confidence <= 100 && v.k.n_evidence <= WIP_PROBE_MAX_EVIDENCE, "garbage verdict");
        /* the same packet judged on a second tracker: the same verdict,
         * byte for byte (what the glue shares between frames), every
         * evidence id rendered to words */
        wip_probe_classify(t2, svc, &p, &v2);
        CHECK(v2.is_probe == v.is_probe && v2.sig == v.sig && wip_probe_kind_equal(&v.k, &v2.k),
              "verdict differs on a second tracker (packet %d)", i);
        if (v.is_probe) {
            for (guint k = 0; k < v.k.n_evidence; k++) {
                char ev[96];
                CHECK(wip_probe_ev_text(&v.k, k, ev, sizeof ev) > 0 && !strchr(ev, '%'),
                      "evidence %u of packet %d renders as '%s'", k, i, ev);
            }
            if (v.k.n_evidence > 0) {
                wip_probe_kind_t other = v.k;
                other.ev[0].num++;
                CHECK(!wip_probe_kind_equal(&v.k, &other), "changed evidence number compared equal");
            }
            lazy_checked++;
        }
        if (p.dir == WIP_DIR_FROM_PORT && v.is_probe)
            CHECK(0, "garbage: from-port packet flagged");
    }
    /* NULL tracker and NULL svc work */
    wip_pkt_t p;
    spec_t sp = NMAP_SYN(S_IP, 35602, 55, 1.0);
    build(&sp, &p, 1);
    wip_probe_classify(NULL, NULL, &p, &v);
    CHECK(v.is_probe && v.k.tool == WIP_TOOL_NMAP, "NULL tracker: nmap SYN not flagged");
    /* a built-in probe with an nmap mark stands alone (no tracker, no history) */
    spec_t sv = CLI_DATA(1.0, "GET /nice%20ports%2C/Tri%6Eity.txt%2ebak HTTP/1.0\r\n\r\n");
    build(&sv, &p, 2);
    wip_probe_classify(NULL, NULL, &p, &v);
    CHECK(v.is_probe && strcmp(v.k.name, "FourOhFourRequest") == 0, "NULL svc: built-in FourOhFourRequest not used (%s)", v.k.name);
    /* a client-like built-in needs history, which a NULL tracker does not have */
    spec_t sg = CLI_DATA(1.0, "GET / HTTP/1.0\r\n\r\n");
    build(&sg, &p, 3);
    wip_probe_classify(NULL, NULL, &p, &v);
    CHECK(!v.is_probe, "NULL tracker: GetRequest alone flagged");
    CHECK(lazy_checked > 1000, "only %u flagged garbage packets compared on two trackers", lazy_checked);
    g_rand_free(r);
    g_free(mem);
    g_free(mem2);
}

static void test_svc(void)
{
    wip_svc_probes_t *s = wip_svc_probes_new();
    CHECK(wip_svc_probes_count(s) <= 12, "built-ins: %u entries", wip_svc_probes_count(s));
    const char *m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, (const guint8 *)"GET / HTTP/1.0\r\n\r\n", 18);
    CHECK(m && strcmp(m, "GetRequest") == 0, "built-in GetRequest: %s", m ? m : "(null)");
    m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, (const guint8 *)"GET / HTTP/1.0\r\n\r\nX", 19);
    CHECK(m == NULL, "GetRequest + 1 byte matched %s", m);
    m = wip_svc_probes_match(s, WIP_TRANSPORT_UDP, (const guint8 *)"GET / HTTP/1.0\r\n\r\n", 18);
    CHECK(m == NULL, "TCP probe matched over UDP: %s", m);
    static const guint8 rdp[] = "\x03\x00\x00\x2a\x25\xe0\x00\x00\x00\x00\x00" "Cookie: mstshash=nmap\r\n\x01\x00\x08\x00\x03\x00\x00\x00";
    m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, rdp, sizeof rdp - 1);
    CHECK(m && strcmp(m, "TerminalServerCookie") == 0, "TerminalServerCookie: %s", m ? m : "(null)");
    m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, (const guint8 *)"", 0);
    CHECK(m == NULL, "empty payload matched");

    const char *path = "/usr/share/nmap/nmap-service-probes";
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        printf("  SKIP: %s absent (file-loaded service probes not tested)\n", path);
    } else {
        guint before = wip_svc_probes_count(s);
        CHECK(wip_svc_probes_load(s, path), "load %s failed", path);
        guint after = wip_svc_probes_count(s);
        CHECK(after > before + 100, "loaded only %u probes", after - before);
        m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, (const guint8 *)"GET / HTTP/1.0\r\n\r\n", 18);
        CHECK(m && strcmp(m, "GetRequest") == 0, "file GetRequest: %s", m ? m : "(null)");
        static const guint8 jrmi[] = { 0x4a, 0x52, 0x4d, 0x49, 0x00, 0x02, 0x4b };
        m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, jrmi, sizeof jrmi);
        CHECK(m && strcmp(m, "JavaRMI") == 0, "file JavaRMI: %s", m ? m : "(null)");
        static const guint8 jdwp[] = "JDWP-Handshake";
        m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, jdwp, sizeof jdwp - 1);
        printf("  service probes: %u built-in + %u from %s; JDWP-Handshake -> %s\n",
               before, after - before, path, m ? m : "(no probe)");
        m = wip_svc_probes_match(s, WIP_TRANSPORT_TCP, (const guint8 *)"\x01" "default\n", 9);
        CHECK(m && strcmp(m, "LPDString") == 0, "file LPDString: %s", m ? m : "(null)");
        CHECK(!wip_svc_probes_load(s, "/nonexistent/nmap-service-probes"), "missing file loaded");
    }
    wip_svc_probes_free(s);
}

static gboolean same_evidence(const wip_probe_verdict_t *a, const wip_probe_verdict_t *b)
{
    return wip_probe_kind_equal(&a->k, &b->k);
}

static const char *ev0(const wip_probe_verdict_t *v, char *buf, gsize n)
{
    wip_probe_ev_text(&v->k, 0, buf, n);
    return buf;
}

/* The verdict's sig: the same packet judged afresh gives the same sig, so
 * does the same fingerprint from another source; no probe, sig 0. */
static void test_sig(void)
{
    gsize sz = wip_probe_tracker_size(64, 64);
    guint8 *m1 = g_malloc(sz), *m2 = g_malloc(sz);
    wip_probe_verdict_t a, b;
    char e1[96], e2[96];
    wip_pkt_t p;
    nmap_syn_from(0x0b000001, S_IP, 1, &p);
    wip_probe_classify(wip_probe_tracker_init(m1, 64, 64), NULL, &p, &a);
    nmap_syn_from(0x0b000001, S_IP, 1, &p);
    wip_probe_classify(wip_probe_tracker_init(m2, 64, 64), NULL, &p, &b);
    CHECK(a.is_probe && b.is_probe && a.sig != 0 && a.sig == b.sig,
          "sig: same packet, sigs %x / %x", a.sig, b.sig);
    CHECK(same_evidence(&a, &b), "sig: same packet, other evidence");
    /* a packet from the wip port is never a probe: sig 0 */
    p.dir = WIP_DIR_FROM_PORT;
    wip_probe_classify(wip_probe_tracker_init(m1, 64, 64), NULL, &p, &b);
    CHECK(!b.is_probe && b.sig == 0, "sig: no probe but sig %x", b.sig);
    /* another source with the same fingerprint: the same verdict, the
     * same sig (what the glue's cache relies on) */
    wip_probe_tracker_t *t = wip_probe_tracker_init(m1, 64, 64);
    nmap_syn_from(0x0b000001, S_IP, 1, &p);
    wip_probe_classify(t, NULL, &p, &a);
    nmap_syn_from(0x0b000002, S_IP, 2, &p);
    wip_probe_classify(t, NULL, &p, &b);
    CHECK(a.is_probe && b.is_probe && same_evidence(&a, &b), "sig: same fingerprint, other evidence");
    CHECK(a.sig == b.sig, "sig: same fingerprint from two sources, other sig");
    /* another window is another evidence text: another sig */
    {
        spec_t sp = NMAP_SYN(S_IP, 35602, 50, 3e-6);
        sp.win = 2048;
        sp.src = 0x0b000003;
        build(&sp, &p, 3);
        wip_probe_classify(t, NULL, &p, &b);
        CHECK(b.is_probe && !same_evidence(&a, &b) && a.sig != b.sig,
              "sig: other evidence (window 2048 vs 1024) but the same sig (probe %d, same evidence %d: %s / %s)",
              b.is_probe, same_evidence(&a, &b), ev0(&a, e1, sizeof e1), ev0(&b, e2, sizeof e2));
    }
    g_free(m1);
    g_free(m2);
}

int main(int argc, char **argv)
{
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    wip_svc_probes_t *svc = wip_svc_probes_new();
    if (g_file_test("/usr/share/nmap/nmap-service-probes", G_FILE_TEST_EXISTS))
        wip_svc_probes_load(svc, "/usr/share/nmap/nmap-service-probes");

    printf("test_probe: %u classification cases\n", (guint)G_N_ELEMENTS(cases));
    run_cases(svc, verbose);
    /* built-ins only must give the same answers for the built-in probes */
    wip_svc_probes_t *bi = wip_svc_probes_new();
    run_cases(bi, 0);
    wip_svc_probes_free(bi);
    test_svc();
    test_targets_counting();
    test_tracker_flood();
    test_sig();
    test_garbage(svc);
    wip_svc_probes_free(svc);

    printf("test_probe: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
