/* fuzz_dissector.c - libFuzzer harness for the whole plugin inside
 * libwireshark: packet-wip.c + plugin/plugin.c + plugin/wip_*.c compiled
 * with ASan/UBSan and linked against the installed -lwireshark -lwiretap
 * -lwsutil (Wireshark 4.0).  Each input becomes up to MAX_FRAMES Ethernet
 * frames (IPv4 or IPv6, TCP or UDP, port 3414 on one side) dissected by the
 * real Ethernet/IP/TCP/UDP dissectors, the wip port dissector, Wireshark's
 * hand-off targets (TLS, HTTP, SIP, ...) and the wip postdissector, with a
 * visible proto tree, columns and the wip stats tree (tap) active.
 *
 * Passes: all frames of an input are dissected in order (first pass), then
 * all again with fd->visited set (second pass, like tshark -2 or the GUI),
 * in order or in reverse (random access), so the stored per-frame verdicts
 * are read back.  The epan session (conversations, probe tracker, header
 * learners, TCP analysis) is kept across inputs and recreated every
 * WIP_FUZZ_SESSION_INPUTS inputs (default 10000) to bound memory; frame numbers
 * keep increasing within a session.  A finding that depends on earlier
 * inputs of the session may not reproduce alone: reproduce with the same
 * setting, or WIP_FUZZ_SESSION_INPUTS=1 for a fresh session per input.
 *
 * Input layout:
 *   bytes 0-5  header: [g][ts 5 bytes, big-endian seconds]
 *     g bit0   second pass in reverse frame order
 *       bit1   no second pass
 *       bit2   microsecond jitter from the frame's IP id
 *       bits3-7 time step between frames: (g >> 3) * 37 ms
 *   then records, one per frame (at most MAX_FRAMES):
 *   [c][c2] then
 *   structured (c2 bit7 = 0):
 *     [sport 2][flags 2][window 2][ttl][tos][ipid 2][seq 4][ack 4]
 *     [optlen][opts...]        if c bit6 (TCP only; optlen & 63, max 40,
 *                              padded with EOL to a multiple of 4)
 *     [plen 2][payload...]     if c bit7 (plen capped by what is left)
 *     [cut]                    if c2 bit3: captured length
 *                              14 + (len - 14) * cut / 256
 *   raw (c2 bit7 = 1): [len 2][len bytes] is the IP packet verbatim
 *     (ethertype from c bit2); c bit6: write 3414 into the port field found
 *     at the IP header length (destination if c bit1 = 0, else source).
 *   c  bit0 UDP (else TCP), bit1 from wip-port (else to it), bit2 IPv6,
 *      bits3-5 client index (address 10.S.S.1+i / fd00:0:S::1+i, S: the
 *      input's index in the session, so inputs share no conversation),
 *      bit6 options, bit7 payload
 *   c2 bits0-1 server index (10.S.S|1.1+i / fd00:1:S::1+i), bit2 802.1Q tag,
 *      bit3 truncated capture, bit4 IPv4 fragment bits (MF, or an offset
 *      when the IP id is odd), bit5 3414 on both sides, bit6 wrapped in an
 *      ICMP/ICMPv6 error from the server quoting the packet, bit7 raw.
 * Every frame is copied into its own exact-size heap buffer (the tvb's
 * backing store), so any read past it is an ASan report; wmem uses the
 * "simple" (malloc per allocation) allocator unless
 * WIRESHARK_DEBUG_WMEM_OVERRIDE says otherwise ("block" is ~2x faster but
 * hides overflows inside wmem blocks); a Wireshark "Dissector bug"
 * (DISSECTOR_ASSERT, REPORT_DISSECTOR_BUG) in protocol WIP aborts, and
 * a glib/Wireshark critical log message is fatal.
 *
 * Env:
 *   WIP_FUZZ_SESSION_INPUTS=n  inputs per epan session (default 10000)
 *   WIP_FUZZ_PREFS="wip.frame_tcp:FALSE,tcp.desegment_tcp_streams:FALSE"
 *                              preferences set at start (comma separated)
 *   WIP_FUZZ_VERBOSE=1         print each frame's columns (for reproducers)
 *   WIP_FUZZ_PCAP=file.pcap    write the (last) input's frames as a pcap
 *   WIP_FUZZ_ABORT_ANY_DISSECTOR_BUG=1  abort on a dissector bug in any
 *                              protocol, not only WIP
 *   WIP_FUZZ_DISABLE_WIP=1     wip disabled (baseline for memory growth)
 *   WIP_FUZZ_NO_STATS=1        no wip stats tree tap
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <wsutil/privileges.h>
#include <wsutil/filesystem.h>
#include <wsutil/wslog.h>
#include <wiretap/wtap.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/prefs.h>
#include <epan/column.h>
#include <epan/column-utils.h>
#include <epan/column-info.h>
#include <epan/timestamp.h>
#include <epan/tap.h>
#include <epan/stats_tree_priv.h>
#include <epan/frame_data.h>

void proto_register_wip(void);
void proto_reg_handoff_wip(void);

#define MAX_FRAMES   32
#define MAX_PAYLOAD  9000
#define WIP_PORT     3414
#define FRAME_MAX    (18 + 48 + 40 + 60 + 20 + 40 + MAX_PAYLOAD + 64)

static epan_t *g_epan;
static epan_dissect_t *g_edt;
static column_info g_cinfo;
static e_prefs *g_prefs;
static stats_tree *g_st;
static unsigned g_session_inputs = 10000;
static unsigned g_inputs_in_session;
static guint32 g_framenum;
static int g_verbose;
static int g_ftype;
static const char *g_pcap_path;

/* The current input's frames.  The provider answers time stamp queries
 * (frame reference, previous captured and displayed frame deltas) from a
 * ring of the last TS_RING frames of the session. */
static frame_data g_fd[MAX_FRAMES];
static int g_nframes;
#define TS_RING 4096
static struct { guint32 num; nstime_t ts; } g_ts_ring[TS_RING];

static const nstime_t *fz_get_frame_ts(struct packet_provider_data *prov, guint32 num)
{
    (void)prov;
    if (num && g_ts_ring[num % TS_RING].num == num)
        return &g_ts_ring[num % TS_RING].ts;
    return NULL;
}

static const struct packet_provider_funcs fz_funcs = {
    fz_get_frame_ts, NULL, NULL, NULL
};

static void session_new(void)
{
    g_epan = epan_new(NULL, &fz_funcs);
    g_edt = epan_dissect_new(g_epan, TRUE, TRUE);
    g_framenum = 0;
    g_inputs_in_session = 0;
    memset(g_ts_ring, 0, sizeof g_ts_ring);
    reset_tap_listeners();
}

static void session_free(void)
{
    epan_dissect_free(g_edt);
    g_edt = NULL;
    epan_free(g_epan);
    g_epan = NULL;
}

/* Log writer: a "Dissector bug" (DISSECTOR_ASSERT, REPORT_DISSECTOR_BUG,
 * caught and shown by Wireshark as "[Dissector bug, protocol X: ...]") in
 * wip's own code (protocol WIP) aborts; in another protocol reached through
 * wip's hand-off (a Wireshark bug, e.g. TLS in 4.0: fuzz/README.md) it is
 * reported once per message and fuzzing goes on, unless
 * WIP_FUZZ_ABORT_ANY_DISSECTOR_BUG=1. */
static int g_abort_any_bug;

static void fz_log_writer(const char *domain, enum ws_log_level level, struct timespec ts,
                          const char *file, long line, const char *func,
                          const char *fmt, va_list ap, void *user_data)
{
    (void)user_data;
    char msg[512];
    va_list ap2;
    va_copy(ap2, ap);
    vsnprintf(msg, sizeof msg, fmt, ap2);
    va_end(ap2);
    if (strstr(msg, "Dissector bug")) {
        if (g_abort_any_bug || strstr(msg, "protocol WIP")) {
            fprintf(stderr, "fuzz_dissector: %s\n", msg);
            abort();
        }
        static GHashTable *seen;
        if (!seen)
            seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        const char *in = strstr(msg, ": ");     /* drop "in packet N" */
        char *key = g_strdup_printf("%.*s%s", (int)(strstr(msg, ", in packet") ? strstr(msg, ", in packet") - msg : 0),
                                    msg, in ? in : msg);
        if (!g_hash_table_contains(seen, key)) {
            fprintf(stderr, "fuzz_dissector: not wip (Wireshark bug, continuing): %s\n", msg);
            g_hash_table_add(seen, key);
        } else {
            g_free(key);
        }
        return;
    }
    ws_log_console_writer(domain, level, ts, file, line, func, fmt, ap);
}

static void set_prefs(const char *list)
{
    if (!list || !*list)
        return;
    gchar **v = g_strsplit(list, ",", -1);
    for (int i = 0; v[i]; i++) {
        char *err = NULL;
        if (!*v[i])
            continue;
        if (prefs_set_pref(v[i], &err) != PREFS_SET_OK)
            fprintf(stderr, "fuzz_dissector: cannot set preference %s: %s\n", v[i], err ? err : "?");
        g_free(err);
    }
    g_strfreev(v);
    prefs_apply_all();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    /* libwireshark reads no personal configuration, allocates with malloc
     * (ASan sees every wmem block). */
    g_setenv("XDG_CONFIG_HOME", "/nonexistent/wip-fuzz", 0);
    g_setenv("XDG_CACHE_HOME", "/nonexistent/wip-fuzz", 0);
    g_setenv("XDG_DATA_HOME", "/nonexistent/wip-fuzz", 0);
    g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", 0);
    g_setenv("G_SLICE", "always-malloc", 0);
    const char *e = getenv("WIP_FUZZ_ABORT_ANY_DISSECTOR_BUG");
    g_abort_any_bug = e && *e && *e != '0';
    e = getenv("WIP_FUZZ_SESSION_INPUTS");
    if (e && atoi(e) > 0)
        g_session_inputs = (unsigned)atoi(e);
    g_pcap_path = getenv("WIP_FUZZ_PCAP");
    e = getenv("WIP_FUZZ_VERBOSE");
    g_verbose = e && *e && *e != '0';

    /* Logging: warnings and worse shown; critical is fatal (glib criticals
     * from proto_tree misuse and the like).  WIRESHARK_LOG_LEVEL and
     * WIRESHARK_LOG_FATAL override. */
    ws_log_init_with_writer_and_data("fuzz_dissector", fz_log_writer, NULL, NULL, NULL);
    if (!getenv("WIRESHARK_LOG_LEVEL"))
        ws_log_set_level(LOG_LEVEL_WARNING);
    if (!getenv("WIRESHARK_LOG_FATAL"))
        ws_log_set_fatal(LOG_LEVEL_CRITICAL);

    init_process_policies();
    char *err = configuration_init((*argv)[0], NULL);
    if (err) {
        fprintf(stderr, "fuzz_dissector: configuration_init: %s\n", err);
        g_free(err);
    }
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);

    /* The plugin, registered as libwireshark would after loading wip.so
     * (plugin/plugin.c's plugin_register does exactly this). */
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_wip;
    plug.register_handoff = proto_reg_handoff_wip;
    proto_register_plugin(&plug);

    wtap_init(FALSE);
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz_dissector: epan_init failed\n");
        abort();
    }
    g_prefs = epan_load_settings();
    set_prefs(getenv("WIP_FUZZ_PREFS"));
    build_column_format_array(&g_cinfo, g_prefs->num_cols, TRUE);
    g_ftype = wtap_pcap_file_type_subtype();

    if (proto_get_id_by_filter_name("wip") < 0) {
        fprintf(stderr, "fuzz_dissector: wip not registered\n");
        abort();
    }

    /* Memory attribution (RSS growth per input): WIP_FUZZ_DISABLE_WIP=1
     * dissects with the wip protocol disabled (as --disable-protocol wip),
     * WIP_FUZZ_NO_STATS=1 runs without the stats tree tap. */
    e = getenv("WIP_FUZZ_DISABLE_WIP");
    if (e && *e && *e != '0')
        proto_set_decoding(proto_get_id_by_filter_name("wip"), FALSE);
    e = getenv("WIP_FUZZ_NO_STATS");
    if (e && *e && *e != '0') {
        session_new();
        return 0;
    }

    /* The wip stats tree (-z wip,tree), so the tap path runs too. */
    stats_tree_cfg *cfg = stats_tree_get_cfg_by_abbr("wip");
    if (!cfg) {
        fprintf(stderr, "fuzz_dissector: no wip stats tree\n");
        abort();
    }
    g_st = stats_tree_new(cfg, NULL, NULL);
    GString *terr = register_tap_listener(cfg->tapname, g_st, NULL, cfg->flags,
                                          stats_tree_reset, stats_tree_packet, NULL, NULL);
    if (terr) {
        fprintf(stderr, "fuzz_dissector: tap: %s\n", terr->str);
        abort();
    }
    if (cfg->init)
        cfg->init(g_st);

    session_new();
    return 0;
}

/* ---- input reader ---- */

typedef struct {
    const uint8_t *p;
    size_t n;
} rd_t;

static int rd_ok(rd_t *r, size_t k) { return r->n >= k; }
static uint8_t rd8(rd_t *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static uint16_t rd16(rd_t *r) { uint16_t a = rd8(r); return (uint16_t)((a << 8) | rd8(r)); }
static uint32_t rd32(rd_t *r) { uint32_t a = rd16(r); return (a << 16) | rd16(r); }

/* ---- frame building ---- */

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

static uint16_t csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* Addresses carry the input's index in the session (g_salt), so inputs do
 * not share conversations (TCP, TLS, wip recognition memory): a finding
 * then reproduces from its input alone as long as it does not depend on the
 * plugin's capture-wide state (probe tracker, header learners). */
static unsigned g_salt;

static void addr_v4(uint8_t *a, int server, int idx)
{
    a[0] = 10; a[1] = (uint8_t)((g_salt >> 7) & 0x7f);
    a[2] = (uint8_t)((g_salt << 1 & 0xfe) | (server ? 1 : 0)); a[3] = (uint8_t)(1 + idx);
}

static void addr_v6(uint8_t *a, int server, int idx)
{
    memset(a, 0, 16);
    a[0] = 0xfd; a[3] = server ? 1 : 0;
    a[4] = (uint8_t)(g_salt >> 8); a[5] = (uint8_t)g_salt; a[15] = (uint8_t)(1 + idx);
}

/* Writes an IP header for proto/len at p (no options).  Returns its size. */
static size_t ip_header(uint8_t *p, int v6, const uint8_t *src, const uint8_t *dst, uint8_t proto,
                        size_t l4len, uint8_t ttl, uint8_t tos, uint16_t ipid, uint16_t frag)
{
    if (v6) {
        p[0] = (uint8_t)(0x60 | (tos >> 4));
        p[1] = (uint8_t)(tos << 4);
        p[2] = (uint8_t)(ipid >> 12 & 0x0f);   /* flow label bits */
        p[3] = (uint8_t)ipid;
        put16(p + 4, (uint16_t)l4len);
        p[6] = proto;
        p[7] = ttl;
        memcpy(p + 8, src, 16);
        memcpy(p + 24, dst, 16);
        return 40;
    }
    p[0] = 0x45;
    p[1] = tos;
    put16(p + 2, (uint16_t)(20 + l4len));
    put16(p + 4, ipid);
    put16(p + 6, frag);
    p[8] = ttl;
    p[9] = proto;
    p[10] = p[11] = 0;
    memcpy(p + 12, src, 4);
    memcpy(p + 16, dst, 4);
    put16(p + 10, csum(p, 20));
    return 20;
}

/* Builds one frame from the record at r into buf; returns its length (0:
 * input exhausted) and the captured length in *caplen. */
static size_t build_frame(rd_t *r, uint8_t *buf, size_t *caplen, uint16_t *ipid_out)
{
    if (!rd_ok(r, 2))
        return 0;
    uint8_t c = rd8(r), c2 = rd8(r);
    int udp = c & 1, from = (c >> 1) & 1, v6 = (c >> 2) & 1, cli = (c >> 3) & 7;
    int srv = c2 & 3;
    size_t o = 0;

    static const uint8_t mac_cli[6] = { 0x02, 0, 0, 0, 0, 0x01 };
    static const uint8_t mac_srv[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    memcpy(buf, from ? mac_cli : mac_srv, 6);
    memcpy(buf + 6, from ? mac_srv : mac_cli, 6);
    o = 12;
    if (c2 & 4) {
        put16(buf + o, 0x8100);
        put16(buf + o + 2, (uint16_t)(cli + 1));
        o += 4;
    }
    put16(buf + o, v6 ? 0x86dd : 0x0800);
    o += 2;
    size_t l3 = o;
    *ipid_out = 0;

    if (c2 & 0x80) {                 /* raw IP packet */
        size_t len = rd16(r);
        if (len > r->n)
            len = r->n;
        if (len > FRAME_MAX - o)
            len = FRAME_MAX - o;
        memcpy(buf + o, r->p, len);
        r->p += len;
        r->n -= len;
        o += len;
        if (c & 0x40) {
            size_t l4 = v6 ? 40 : (size_t)(buf[l3] & 15) * 4;
            size_t at = l3 + l4 + (from ? 0 : 2);
            if (at + 2 <= o)
                put16(buf + at, WIP_PORT);
        }
        *caplen = o;
        return o;
    }

    uint16_t sport = rd16(r), flags = rd16(r), win = rd16(r);
    uint8_t ttl = rd8(r), tos = rd8(r);
    uint16_t ipid = rd16(r);
    uint32_t seq = rd32(r), ack = rd32(r);
    *ipid_out = ipid;

    uint8_t opts[40];
    size_t optlen = 0;
    if (c & 0x40) {
        size_t k = rd8(r) & 63;
        if (k > 40)
            k = 40;
        if (k > r->n)
            k = r->n;
        memcpy(opts, r->p, k);
        r->p += k;
        r->n -= k;
        optlen = (k + 3) & ~(size_t)3;
        memset(opts + k, 0, optlen - k);     /* EOL padding */
        if (udp)
            optlen = 0;
    }
    const uint8_t *pay = NULL;
    size_t plen = 0;
    if (c & 0x80) {
        plen = rd16(r);
        if (plen > r->n)
            plen = r->n;
        if (plen > MAX_PAYLOAD)
            plen = MAX_PAYLOAD;
        pay = r->p;
        r->p += plen;
        r->n -= plen;
    }
    uint8_t cut = (c2 & 8) ? rd8(r) : 0;

    uint8_t a_cli[16], a_srv[16];
    if (v6) {
        addr_v6(a_cli, 0, cli);
        addr_v6(a_srv, 1, srv);
    } else {
        addr_v4(a_cli, 0, cli);
        addr_v4(a_srv, 1, srv);
    }
    uint16_t p_cli = (c2 & 0x20) ? WIP_PORT : sport, p_srv = WIP_PORT;
    const uint8_t *src = from ? a_srv : a_cli, *dst = from ? a_cli : a_srv;
    uint16_t psrc = from ? p_srv : p_cli, pdst = from ? p_cli : p_srv;

    /* The transport packet, then the IP header in front of it. */
    uint8_t *pkt = buf + o + 48 + 40 + 8;     /* room for ICMP wrapping */
    size_t l4len;
    if (udp) {
        put16(pkt, psrc);
        put16(pkt + 2, pdst);
        put16(pkt + 4, (uint16_t)(8 + plen));
        put16(pkt + 6, 0);
        if (plen)
            memcpy(pkt + 8, pay, plen);
        l4len = 8 + plen;
    } else {
        put16(pkt, psrc);
        put16(pkt + 2, pdst);
        put32(pkt + 4, seq);
        put32(pkt + 8, ack);
        pkt[12] = (uint8_t)(((20 + optlen) / 4) << 4 | ((flags >> 8) & 0x0f));
        pkt[13] = (uint8_t)flags;
        put16(pkt + 14, win);
        put16(pkt + 16, 0);
        put16(pkt + 18, (flags & 0x20) ? (uint16_t)(seq >> 16) : 0);   /* urgent pointer */
        memcpy(pkt + 20, opts, optlen);
        if (plen)
            memcpy(pkt + 20 + optlen, pay, plen);
        l4len = 20 + optlen + plen;
    }
    uint16_t frag = 0;
    if (!v6) {
        if (flags & 0x1000)          /* spare flag bit: DF, as most stacks */
            frag = 0x4000;
        if (c2 & 0x10)
            frag = (ipid & 1) ? (uint16_t)(ipid >> 4 & 0x1fff) : 0x2000;
    }
    uint8_t iph[40];
    size_t ihl = ip_header(iph, v6, src, dst, (uint8_t)(udp ? 17 : 6), l4len, ttl, tos, ipid, frag);
    size_t inner = ihl + l4len;
    uint8_t *ip = pkt - ihl;
    memcpy(ip, iph, ihl);

    if (c2 & 0x40) {                  /* ICMP error from the server quoting it */
        uint8_t *icmp = ip - 8;
        memset(icmp, 0, 8);
        icmp[0] = v6 ? 1 : 3;
        icmp[1] = v6 ? 4 : 3;
        size_t ilen = 8 + inner;
        uint8_t oh[40];
        size_t oihl = ip_header(oh, v6, a_srv, a_cli, (uint8_t)(v6 ? 58 : 1), ilen, 64, 0, 0, 0);
        if (!v6)
            put16(icmp + 2, csum(icmp, ilen));
        memcpy(icmp - oihl, oh, oihl);
        memmove(buf + o, icmp - oihl, oihl + ilen);
        o += oihl + ilen;
    } else {
        memmove(buf + o, ip, inner);
        o += inner;
    }
    *caplen = (c2 & 8) ? 14 + (o - 14) * cut / 256 : o;
    return o;
}

/* ---- dissection ---- */

static void dissect_one(frame_data *fd, const uint8_t *frame, size_t caplen, size_t len, nstime_t ts)
{
    wtap_rec rec;
    wtap_rec_init(&rec);
    rec.rec_type = REC_TYPE_PACKET;
    rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec.ts = ts;
    rec.tsprec = WTAP_TSPREC_USEC;
    rec.rec_header.packet_header.caplen = (guint32)caplen;
    rec.rec_header.packet_header.len = (guint32)len;
    rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_ETHERNET;

    /* Exact-size copy: the tvb's only backing store. */
    uint8_t *copy = malloc(caplen ? caplen : 1);
    memcpy(copy, frame, caplen);
    tvbuff_t *tvb = tvb_new_real_data(copy, (guint)caplen, (gint)len);

    int first = !fd->visited;
    prime_epan_dissect_with_postdissector_wanted_hfids(g_edt);
    epan_dissect_run_with_taps(g_edt, g_ftype, &rec, tvb, fd, &g_cinfo);
    epan_dissect_fill_in_columns(g_edt, FALSE, TRUE);
    if (g_verbose) {
        fprintf(stderr, "frame %u%s:", fd->num, first ? " (1st)" : "");
        for (int i = 0; i < g_cinfo.num_cols; i++)
            fprintf(stderr, " | %s", g_cinfo.columns[i].col_data ? g_cinfo.columns[i].col_data : "");
        fprintf(stderr, "\n");
    }
    epan_dissect_reset(g_edt);        /* frees the tvb chain */
    free(copy);
    wtap_rec_cleanup(&rec);
}

static uint8_t *g_frames[MAX_FRAMES];
static size_t g_caplen[MAX_FRAMES], g_len[MAX_FRAMES];

/* WIP_FUZZ_PCAP=file: also write the input's frames as a pcap (reproducers
 * for tshark; addresses as for the first input of a session). */

static void write_pcap(int n)
{
    FILE *f = fopen(g_pcap_path, "wb");
    if (!f)
        return;
    const uint32_t gh[6] = { 0xa1b23c4d, 0x00040002, 0, 0, 262144, 1 };   /* ns, Ethernet */
    fwrite(gh, sizeof gh, 1, f);
    for (int i = 0; i < n; i++) {
        uint32_t rh[4] = { (uint32_t)g_fd[i].abs_ts.secs, (uint32_t)g_fd[i].abs_ts.nsecs,
                           (uint32_t)g_caplen[i], (uint32_t)g_len[i] };
        fwrite(rh, sizeof rh, 1, f);
        fwrite(g_frames[i], 1, g_caplen[i], f);
    }
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)
        return 0;
    if (g_inputs_in_session >= g_session_inputs) {
        session_free();
        session_new();
    }
    g_salt = g_inputs_in_session++;

    rd_t r = { data, size };
    uint8_t g = rd8(&r);
    uint64_t ts0 = 0;
    for (int i = 0; i < 5; i++)
        ts0 = ts0 << 8 | rd8(&r);
    uint64_t step_ms = (uint64_t)(g >> 3) * 37;

    static uint8_t *scratch;
    if (!scratch)
        scratch = malloc(FRAME_MAX + 256);

    int n = 0;
    uint64_t t_ns = 0;
    while (n < MAX_FRAMES) {
        size_t caplen = 0;
        uint16_t ipid = 0;
        size_t len = build_frame(&r, scratch, &caplen, &ipid);
        if (len == 0)
            break;
        g_frames[n] = malloc(caplen ? caplen : 1);
        memcpy(g_frames[n], scratch, caplen);
        g_caplen[n] = caplen;
        g_len[n] = len;

        wtap_rec rec;
        memset(&rec, 0, sizeof rec);
        rec.rec_type = REC_TYPE_PACKET;
        rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
        uint64_t ns = t_ns + ((g & 4) ? (uint64_t)ipid * 1000 : 0);
        rec.ts.secs = (time_t)(ts0 + ns / 1000000000u);
        rec.ts.nsecs = (int)(ns % 1000000000u);
        rec.tsprec = WTAP_TSPREC_USEC;
        rec.rec_header.packet_header.caplen = (guint32)caplen;
        rec.rec_header.packet_header.len = (guint32)len;
        rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_ETHERNET;
        frame_data_init(&g_fd[n], ++g_framenum, &rec, 0, 0);
        g_ts_ring[g_framenum % TS_RING].num = g_framenum;
        g_ts_ring[g_framenum % TS_RING].ts = g_fd[n].abs_ts;
        n++;
        t_ns += step_ms * 1000000u;
    }
    g_nframes = n;
    if (g_pcap_path)
        write_pcap(n);

    /* First pass, in frame order. */
    const frame_data *ref = NULL, *prev = NULL;
    guint32 cum = 0;
    nstime_t elapsed;
    nstime_set_zero(&elapsed);
    for (int i = 0; i < n; i++) {
        frame_data_set_before_dissect(&g_fd[i], &elapsed, &ref, prev);
        dissect_one(&g_fd[i], g_frames[i], g_caplen[i], g_len[i], g_fd[i].abs_ts);
        frame_data_set_after_dissect(&g_fd[i], &cum);
        prev = &g_fd[i];
    }
    /* Second pass: what tshark -2 and the GUI do. */
    if (!(g & 2)) {
        for (int k = 0; k < n; k++) {
            int i = (g & 1) ? n - 1 - k : k;
            g_fd[i].visited = 1;
            dissect_one(&g_fd[i], g_frames[i], g_caplen[i], g_len[i], g_fd[i].abs_ts);
        }
    }
    for (int i = 0; i < n; i++) {
        frame_data_destroy(&g_fd[i]);
        free(g_frames[i]);
        g_frames[i] = NULL;
    }
    g_nframes = 0;
    return 0;
}

/* libwireshark 4.0 keeps (and leaks, ~10 MB per epan session) memory by
 * design that LeakSanitizer would report; the session state also outlives
 * each input on purpose.  Leak checking is off unless ASAN_OPTIONS says
 * otherwise (libFuzzer: also pass -detect_leaks=0, see fuzz/run.sh). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}
