/* fuzz_probe.c - libFuzzer harnesses for plugin/wip_probe.c.
 *
 * Built twice by build.sh:
 *   fuzz_probe       (default)  wip_probe_classify over a sequence of packets
 *                   built from the input, with a small fixed-size tracker
 *                   (eviction of sources and flows), plus wip_svc_probes_match
 *                   on every payload.
 *   fuzz_probe_load (-DWIP_FUZZ_PROBE_LOAD)  the input is a nmap-service-probes
 *                   file: written to a temp file in /dev/shm, loaded with
 *                   wip_svc_probes_load(), then matched against and used by
 *                   the classifier.
 *
 * fuzz_probe input layout:
 *   byte 0    config: bit0 tracker NULL, bit1 svc NULL (process-wide
 *             built-ins) else a set made once by wip_svc_probes_new(),
 *             bit2 corrupt the tracker magic (must be ignored)
 *   byte 1,2  max_sources, max_flows (small: 0..31, clamped by the tracker)
 *   records   ctrl, ctrl2, src sel, dst sel, cport(2), flags(2), window(2),
 *             ttl, ip_id(2), [seq(4) ack(4) unless ctrl bit4],
 *             [opts_len, opts], [plen, payload]
 *     ctrl : bit0 UDP, bit1 from port (dir 2), bit2 DF, bit3 urgent ptr,
 *            bit4 reuse seq/ack of the previous packet (+ bit3 -> seq+1),
 *            bit5 options, bit6 payload, bit7 truncated payload
 *            (payload_len > payload_caplen)
 *     ctrl2: bits0-1 IP version (0: 4, 1: 6, 2: none, 3: 4),
 *            bit2 server port from the record instead of 3414,
 *            bit3 payload pointer NULL with payload_len > 0 (what
 *            wip_pkt_parse produces when the frame ends at the header),
 *            bits4-5 odd dir (0 / 3, never a probe), bits6-7 ts step
 *   src/dst sel: address = 10.<sel>>6>.<sel>.1 (IPv4) or fd00::<sel> (IPv6);
 *            256 sources for a 16-slot table -> eviction.
 * Payload and options are copied into exact-size heap buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include "wip_probe.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_probe: invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

#define MAX_PKTS 256

static void check_verdict(const wip_probe_verdict_t *v)
{
    CHECK(v->k.tool < WIP_TOOL_COUNT);
    CHECK(v->k.technique < WIP_TECH_COUNT);
    CHECK(v->k.confidence <= 100);
    CHECK(v->k.n_evidence <= WIP_PROBE_MAX_EVIDENCE);
    CHECK(memchr(v->k.name, 0, sizeof v->k.name) != NULL);
    for (guint i = 0; i < v->k.n_evidence; i++) {
        char ev[96];
        CHECK(wip_probe_ev_text(&v->k, i, ev, sizeof ev) > 0);
    }
    if (v->k.attributed)
        CHECK(v->is_probe && v->k.tool != WIP_TOOL_NONE && v->k.tool != WIP_TOOL_UNKNOWN);
    if (!v->is_probe)
        CHECK(!v->k.attributed);
    CHECK(wip_tool_name((wip_tool_t)v->k.tool) != NULL);
    CHECK(wip_technique_name((wip_technique_t)v->k.technique) != NULL);
}

static void check_match(const wip_svc_probes_t *s, guint8 tr, const guint8 *b, size_t n)
{
    const char *nm = wip_svc_probes_match(s, tr, b, n);
    if (nm)
        CHECK(strlen(nm) < 32);
}

typedef struct {
    const guint8 *d;
    size_t n, pos;
} rd_t;

static int take(rd_t *r, void *dst, size_t k)
{
    if (r->n - r->pos < k)
        return 0;
    memcpy(dst, r->d + r->pos, k);
    r->pos += k;
    return 1;
}
static guint16 be16(const guint8 *b) { return (guint16)((b[0] << 8) | b[1]); }
static guint32 be32(const guint8 *b)
{
    return ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
}

static void make_addr(guint8 a[16], guint8 sel, int v6)
{
    memset(a, 0, 16);
    if (v6) {
        a[0] = 0xfd;
        a[15] = sel;
        a[14] = 1;
    } else {
        a[0] = 10;
        a[1] = (guint8)(sel >> 6);
        a[2] = sel;
        a[3] = 1;
    }
}

/* Run the packet sequence of r through the classifier.  svc may be NULL. */
static void run_packets(rd_t *r, guint8 cfg, guint ms, guint mf, const wip_svc_probes_t *svc)
{
    wip_probe_tracker_t *t = NULL;
    void *mem = NULL;
    gsize tsz = wip_probe_tracker_size(ms, mf);
    guint cap_s = ms < 16 ? 16 : ms, cap_f = mf < 16 ? 16 : mf;
    if (!(cfg & 1)) {
        mem = malloc(tsz);                 /* exact size: ASan checks the tables */
        t = wip_probe_tracker_init(mem, ms, mf);
        CHECK(t != NULL);
        if (cfg & 4)
            memset(mem, 0x33, 4);          /* bad magic: classify must ignore t */
    }

    guint32 pseq = 0, pack = 0;
    double ts = 1700000000.0;
    for (int k = 0; k < MAX_PKTS; k++) {
        guint8 h[13];
        if (!take(r, h, sizeof h))
            break;
        guint8 ctrl = h[0], ctrl2 = h[1];
        wip_pkt_t p;
        memset(&p, 0, sizeof p);
        p.frame = (guint32)k + 1;
        ts += (double)((ctrl2 >> 6) & 3) * 0.37;
        p.ts = ts;
        p.transport = (ctrl & 1) ? WIP_TRANSPORT_UDP : WIP_TRANSPORT_TCP;
        p.dir = (ctrl & 2) ? WIP_DIR_FROM_PORT : WIP_DIR_TO_PORT;
        switch ((ctrl2 >> 4) & 3) {
        case 2: p.dir = 0; break;
        case 3: p.dir = 3; break;
        default: break;
        }
        int ipv = ctrl2 & 3;
        p.ip_version = ipv == 1 ? 6 : ipv == 2 ? 0 : 4;
        int v6 = p.ip_version == 6;
        p.df = (ctrl & 4) != 0;
        guint8 ca[16], sa[16];
        make_addr(ca, h[2], v6);
        make_addr(sa, h[3], v6);
        guint16 cport = be16(h + 4);
        guint16 sport = (ctrl2 & 4) ? (guint16)(cport ^ 0x5a5a) : 3414;
        if (p.dir == WIP_DIR_FROM_PORT) {
            memcpy(p.src, sa, 16); memcpy(p.dst, ca, 16);
            p.sport = sport; p.dport = cport;
        } else {
            memcpy(p.src, ca, 16); memcpy(p.dst, sa, 16);
            p.sport = cport; p.dport = sport;
        }
        p.flags = be16(h + 6) & 0x0fff;
        p.window = be16(h + 8);
        p.ttl = h[10];
        p.ip_id = be16(h + 11);
        if (ctrl & 8)
            p.urgptr = p.window ^ 0x1234;
        if (ctrl & 16) {
            p.seq = (ctrl & 8) ? pseq + 1 : pseq;
            p.ack = pack;
        } else {
            guint8 sa8[8];
            if (!take(r, sa8, 8))
                break;
            p.seq = be32(sa8);
            p.ack = be32(sa8 + 4);
        }
        pseq = p.seq; pack = p.ack;
        p.th_len = 20;
        if (ctrl & 32) {
            guint8 ol;
            if (!take(r, &ol, 1))
                break;
            ol %= 41;
            if (r->n - r->pos < ol)
                ol = (guint8)(r->n - r->pos);
            memcpy(p.opts, r->d + r->pos, ol);
            r->pos += ol;
            p.opts_len = ol;
            p.th_len = (guint8)(20 + ((ol + 3) & ~3u));
        }
        guint8 *pay = NULL;
        if (ctrl & 64) {
            guint8 pl;
            if (!take(r, &pl, 1))
                break;
            size_t n = pl;
            if (r->n - r->pos < n)
                n = r->n - r->pos;
            pay = malloc(n ? n : 1);
            memcpy(pay, r->d + r->pos, n);
            r->pos += n;
            p.payload = pay;
            p.payload_caplen = (guint32)n;
            p.payload_len = (guint32)n + ((ctrl & 128) ? 1u + pl : 0u);
            if (ctrl2 & 8) {
                p.payload = NULL;
                p.payload_caplen = 0;
                if (!p.payload_len)
                    p.payload_len = 1;
            }
            if (p.payload && p.payload_caplen)
                check_match(svc ? svc : NULL, p.transport, p.payload, p.payload_caplen);
        }
        p.ip_len = (guint16)((v6 ? 40 : 20) + (p.transport == WIP_TRANSPORT_TCP ? p.th_len : 8) +
                             p.payload_len);

        wip_probe_verdict_t v;
        memset(&v, 0x77, sizeof v);
        wip_probe_classify(t, svc, &p, &v);
        check_verdict(&v);
        if (p.dir != WIP_DIR_TO_PORT)
            CHECK(!v.is_probe);
        if (t && !(cfg & 4) && p.dir == WIP_DIR_TO_PORT && v.is_probe && p.ip_version) {
            /* a flagged packet's source is tracked, with the counts reported */
            guint32 np = 0, nt = 0;
            CHECK(wip_probe_source_counts(t, p.src, v6 ? 16 : 4, &np, &nt));
            CHECK(np == v.src_probes && nt == v.src_targets);
            CHECK(np >= 1);
        }
        if (t && !(cfg & 4)) {
            guint ns = 0, nf = 0;
            guint64 es = 0, ef = 0;
            wip_probe_tracker_stats(t, &ns, &nf, &es, &ef);
            CHECK(ns <= cap_s && nf <= cap_f);
        }
        free(pay);
    }
    if (t) {
        guint32 np, nt;
        guint8 a[16];
        make_addr(a, 0, 0);
        (void)wip_probe_source_counts(t, a, 4, &np, &nt);
        (void)wip_probe_source_counts(t, a, 16, NULL, NULL);
        CHECK(!wip_probe_source_counts(t, a, 5, &np, &nt));
        wip_probe_tracker_stats(t, NULL, NULL, NULL, NULL);
    }
    free(mem);
}

#ifndef WIP_FUZZ_PROBE_LOAD

static wip_svc_probes_t *g_svc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    g_svc = wip_svc_probes_new();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    rd_t r = { data, size, 3 };
    const wip_svc_probes_t *svc = (data[0] & 2) ? NULL : g_svc;
    run_packets(&r, data[0], data[1] % 32, data[2] % 32, svc);
    return 0;
}

#else /* WIP_FUZZ_PROBE_LOAD */

/* The parser takes a path: one temp file in /dev/shm per process, rewritten
 * for every input, removed at exit. */
static char g_path[64];
static int g_fd = -1;

static void cleanup(void)
{
    if (g_fd >= 0)
        close(g_fd);
    if (g_path[0])
        unlink(g_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    snprintf(g_path, sizeof g_path, "/dev/shm/wip-fuzz-probes-XXXXXX");
    g_fd = mkstemp(g_path);
    if (g_fd < 0) {
        snprintf(g_path, sizeof g_path, "/tmp/wip-fuzz-probes-XXXXXX");
        g_fd = mkstemp(g_path);
    }
    if (g_fd < 0) {
        perror("fuzz_probe_load: mkstemp");
        abort();
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(g_fd, 0) != 0 || pwrite(g_fd, data, size, 0) != (ssize_t)size)
        abort();

    wip_svc_probes_t *s = wip_svc_probes_new();
    guint n0 = wip_svc_probes_count(s);
    char err[128];
    wip_svc_load_t rc = wip_svc_probes_load_ex(s, g_path, WIP_SVC_PROBES_MAX_BYTES, err, sizeof err);
    /* a regular file below the limit: read, and either parsed or reported
     * unparsable (no Probe line gave bytes) */
    CHECK(rc == WIP_SVC_LOAD_OK || rc == WIP_SVC_LOAD_UNPARSABLE);
    CHECK(rc == WIP_SVC_LOAD_OK || err[0] != '\0');
    CHECK(wip_svc_probes_load(s, g_path) == (rc == WIP_SVC_LOAD_OK));
    guint n1 = wip_svc_probes_count(s);
    CHECK(n1 >= n0);
    /* too large for the limit: refused unread */
    if (size > 1)
        CHECK(wip_svc_probes_load_ex(s, g_path, size - 1, NULL, 0) == WIP_SVC_LOAD_TOO_LARGE);
    CHECK(wip_svc_probes_count(s) == n1);
    CHECK(!wip_svc_probes_load(s, "/nonexistent/wip-fuzz/nmap-service-probes"));
    CHECK(!wip_svc_probes_load(NULL, g_path));
    CHECK(wip_svc_probes_count(s) == n1);

    /* match every line, and every q|...| body, raw, against the loaded set */
    size_t pos = 0;
    while (pos < size) {
        const guint8 *eol = memchr(data + pos, '\n', size - pos);
        size_t ln = eol ? (size_t)(eol - (data + pos)) : size - pos;
        guint8 *b = malloc(ln ? ln : 1);
        memcpy(b, data + pos, ln);
        check_match(s, WIP_TRANSPORT_TCP, b, ln);
        check_match(s, WIP_TRANSPORT_UDP, b, ln);
        const guint8 *q = ln > 2 ? memchr(b, 'q', ln) : NULL;
        if (q && (size_t)(q - b) + 2 < ln) {
            const guint8 *b0 = q + 2;
            const guint8 *b1 = memchr(b0, q[1], ln - (size_t)(b0 - b));
            size_t bl = b1 ? (size_t)(b1 - b0) : 0;
            if (bl) {
                guint8 *body = malloc(bl);
                memcpy(body, b0, bl);
                check_match(s, WIP_TRANSPORT_TCP, body, bl);
                free(body);
            }
        }
        free(b);
        pos += ln + 1;
    }

    /* and drive the classifier with this set: the input as packets too */
    if (size >= 3) {
        rd_t r = { data, size, 3 };
        run_packets(&r, data[0] & ~2, data[1] % 32, data[2] % 32, s);
    }
    wip_svc_probes_free(s);
    wip_svc_probes_free(NULL);
    return 0;
}

#endif
