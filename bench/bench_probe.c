/* bench_probe.c - ns per classified packet for the probe core.
 * Mixes: scan packets, ordinary sessions, 1M distinct sources, all mixed.
 * Prints figures only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>

#include "wip_pkt.h"
#include "wip_probe.h"

#define PORT 3414

static const guint8 MSS[4] = { 2, 4, 5, 0xb4 };
static const guint8 LINUX[20] = { 2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7 };
static const guint8 TSO[12] = { 1, 1, 8, 10, 0, 1, 2, 3, 0, 4, 5, 6 };
static const char DATA[] = "GET /api/v1/status HTTP/1.1\r\nHost: wip\r\nUser-Agent: curl/7.88.1\r\n\r\n";
static const char DNS[] = "\x5a\x17\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00\x01\x00\x01";
static const char GETREQ[] = "GET / HTTP/1.0\r\n\r\n";

static guint64 rng = 88172645463325252ull;
static guint32 rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (guint32)rng; }

static void ip4(guint8 *a, guint32 v) { a[0] = v >> 24; a[1] = v >> 16; a[2] = v >> 8; a[3] = v; }

static wip_pkt_t base(guint8 tr, guint8 dir, guint32 cli, guint32 srv, guint16 cport, double ts)
{
    wip_pkt_t p;
    memset(&p, 0, sizeof p);
    p.transport = tr;
    p.dir = dir;
    p.ip_version = 4;
    p.ts = ts;
    if (dir == WIP_DIR_TO_PORT) {
        ip4(p.src, cli); ip4(p.dst, srv); p.sport = cport; p.dport = PORT;
    } else {
        ip4(p.src, srv); ip4(p.dst, cli); p.sport = PORT; p.dport = cport;
    }
    return p;
}

static void tcp(wip_pkt_t *p, guint16 fl, guint16 win, guint32 seq, guint32 ack, const guint8 *o, guint8 ol)
{
    p->flags = fl; p->window = win; p->seq = seq; p->ack = ack;
    p->opts_len = ol; if (ol) memcpy(p->opts, o, ol);
    p->th_len = 20 + ol;
}

static void payload(wip_pkt_t *p, const char *d, guint32 n)
{
    p->payload = (const guint8 *)d; p->payload_len = n; p->payload_caplen = n;
}

/* scan packets: a few scanners over many targets, several tools */
static guint gen_scan(wip_pkt_t *v, guint n)
{
    guint k = 0;
    double ts = 0;
    while (k < n) {
        guint32 tgt = 0xc0a80000u + (rnd() & 0xffff);
        guint32 scanner = 0x0a000000u + (rnd() & 15);
        wip_pkt_t p;
        switch (rnd() % 6) {
        case 0: p = base(6, 1, scanner, tgt, 35602, ts); tcp(&p, 0x002, 1024, 1162421015, 0, MSS, 4);
                p.ttl = 37 + rnd() % 23; p.ip_id = rnd(); break;
        case 1: p = base(6, 1, scanner, tgt, 47004, ts); tcp(&p, 0x002, 1024, rnd(), 0, NULL, 0); p.ttl = 255;
                p.ip_id = (guint16)(tgt ^ PORT ^ p.seq); break;
        case 2: p = base(6, 1, scanner, tgt, 32768 + rnd() % 28000, ts); tcp(&p, 0x002, 65535, rnd(), 0, NULL, 0);
                p.ttl = 255; p.ip_id = 54321; break;
        case 3: p = base(17, 1, scanner, tgt, 34112, ts); p.ttl = 37 + rnd() % 23; p.ip_id = rnd(); break;
        case 4: p = base(6, 1, scanner, tgt, 40000 + rnd() % 100, ts); tcp(&p, 0x029, 1024, rnd(), 0, NULL, 0);
                p.ttl = 37 + rnd() % 23; break;
        default: /* the server's RST answer */
                p = base(6, 2, scanner, tgt, 35602, ts); tcp(&p, 0x014, 0, 0, 1162421016, NULL, 0); p.ttl = 64; p.df = 1; break;
        }
        v[k++] = p;
        ts += 1e-5;
    }
    return k;
}

/* ordinary traffic: full Linux sessions (handshake, data both ways, close), DNS */
static guint gen_ordinary(wip_pkt_t *v, guint n)
{
    guint k = 0;
    double ts = 0;
    while (k + 10 <= n) {
        guint32 cli = 0x64400000u + (rnd() & 0x3fff);
        guint32 srv = 0xc0a80101u + (rnd() & 3);
        guint16 cp = 32768 + rnd() % 28000;
        guint32 isn = rnd(), sisn = rnd();
        wip_pkt_t p;
        if (rnd() % 4 == 0) {
            p = base(17, 1, cli, srv, cp, ts); p.ttl = 64; p.df = 1; payload(&p, DNS, sizeof DNS - 1);
            v[k++] = p;
            p = base(17, 2, cli, srv, cp, ts); p.ttl = 64; payload(&p, DNS, sizeof DNS - 1);
            v[k++] = p;
            continue;
        }
        p = base(6, 1, cli, srv, cp, ts); tcp(&p, 0x002, 64240, isn, 0, LINUX, 20); p.ttl = 64; p.df = 1; v[k++] = p;
        p = base(6, 2, cli, srv, cp, ts); tcp(&p, 0x012, 65160, sisn, isn + 1, LINUX, 20); p.ttl = 64; p.df = 1; v[k++] = p;
        p = base(6, 1, cli, srv, cp, ts); tcp(&p, 0x010, 502, isn + 1, sisn + 1, TSO, 12); p.ttl = 64; p.df = 1; v[k++] = p;
        for (int i = 0; i < 3; i++) {
            p = base(6, 1, cli, srv, cp, ts); tcp(&p, 0x018, 502, isn + 1, sisn + 1, TSO, 12); p.ttl = 64; p.df = 1;
            payload(&p, DATA, sizeof DATA - 1); v[k++] = p;
            p = base(6, 2, cli, srv, cp, ts); tcp(&p, 0x018, 509, sisn + 1, isn + 1, TSO, 12); p.ttl = 64; p.df = 1;
            payload(&p, DATA, sizeof DATA - 1); v[k++] = p;
        }
        p = base(6, 1, cli, srv, cp, ts); tcp(&p, 0x011, 502, isn + 1, sisn + 1, TSO, 12); p.ttl = 64; p.df = 1; v[k++] = p;
        ts += 1e-4;
    }
    return k;
}

/* 1M distinct sources, one nmap SYN (or service probe) each */
static guint gen_distinct(wip_pkt_t *v, guint n)
{
    for (guint i = 0; i < n; i++) {
        wip_pkt_t p = base(6, 1, 0x20000000u + i, 0xc0a80101u, 40000 + (i & 1023), i * 1e-6);
        if (i % 8 == 0) {
            tcp(&p, 0x018, 502, rnd(), rnd(), TSO, 12); p.df = 1; p.ttl = 64;
            payload(&p, GETREQ, sizeof GETREQ - 1);
        } else {
            tcp(&p, 0x002, 1024, 1162421015, 0, MSS, 4); p.ttl = 37 + i % 23; p.ip_id = rnd();
        }
        v[i] = p;
    }
    return n;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double run(const char *label, const wip_svc_probes_t *svc, wip_pkt_t *v, guint n, int reps)
{
    gsize sz = wip_probe_tracker_size(WIP_PROBE_DEFAULT_MAX_SOURCES, WIP_PROBE_DEFAULT_MAX_FLOWS);
    void *mem = g_malloc(sz);
    double best = 1e9;
    guint flagged = 0;
    for (int r = 0; r < reps; r++) {
        wip_probe_tracker_t *t = wip_probe_tracker_init(mem, WIP_PROBE_DEFAULT_MAX_SOURCES, WIP_PROBE_DEFAULT_MAX_FLOWS);
        wip_probe_verdict_t vd;
        flagged = 0;
        double t0 = now();
        for (guint i = 0; i < n; i++) {
            wip_probe_classify(t, svc, &v[i], &vd);
            flagged += vd.is_probe;
        }
        double ns = (now() - t0) * 1e9 / n;
        if (ns < best)
            best = ns;
    }
    printf("%-34s %9u packets  %6.1f ns/packet  %5.1f%% flagged\n", label, n, best, 100.0 * flagged / n);
    g_free(mem);
    return best;
}

int main(void)
{
    const guint N = 1000000;
    wip_svc_probes_t *svc = wip_svc_probes_new();
    if (!wip_svc_probes_load(svc, "/usr/share/nmap/nmap-service-probes"))
        printf("(nmap-service-probes absent: built-in service probes only)\n");
    wip_pkt_t *scan = g_new(wip_pkt_t, N), *ord = g_new(wip_pkt_t, N), *dist = g_new(wip_pkt_t, N);
    wip_pkt_t *mix = g_new(wip_pkt_t, 3 * N);
    guint ns = gen_scan(scan, N), no = gen_ordinary(ord, N), nd = gen_distinct(dist, N);
    /* interleave: mostly ordinary, some scan, some distinct-source flood */
    guint a = 0, b = 0, c = 0, m = 0;
    while (a < ns || b < no || c < nd) {
        guint r = rnd() % 10;
        if (r < 5 && b < no) mix[m++] = ord[b++];
        else if (r < 8 && a < ns) mix[m++] = scan[a++];
        else if (c < nd) mix[m++] = dist[c++];
        else if (b < no) mix[m++] = ord[b++];
        else if (a < ns) mix[m++] = scan[a++];
    }
    for (guint i = 0; i < m; i++)
        mix[i].ts = i * 1e-6;
    printf("tracker: %u sources + %u flows = %u bytes\n", WIP_PROBE_DEFAULT_MAX_SOURCES, WIP_PROBE_DEFAULT_MAX_FLOWS,
           (guint)wip_probe_tracker_size(WIP_PROBE_DEFAULT_MAX_SOURCES, WIP_PROBE_DEFAULT_MAX_FLOWS));
    run("scan packets", svc, scan, ns, 5);
    run("ordinary sessions + DNS", svc, ord, no, 5);
    run("1M distinct sources", svc, dist, nd, 5);
    run("all mixed", svc, mix, m, 3);
    wip_svc_probes_free(svc);
    g_free(scan); g_free(ord); g_free(dist); g_free(mix);
    return 0;
}
