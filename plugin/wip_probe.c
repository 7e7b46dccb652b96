/* wip_probe.c - scanner probe detection (pure C + GLib, no Wireshark types).
 *
 * Decides, for every packet to or from the wip port (first pass, frame
 * order), whether it is a scanner probe, which tool sent it, which technique
 * it belongs to, with a confidence and plain-word evidence.
 *
 * Confidence scheme
 * -----------------
 * Every tool/technique has a "profile": a set of features with weights
 * (points).  A packet is scored against every profile that applies to its
 * kind (TCP without data, TCP first data, TCP close, UDP); the profile with
 * the most points wins.  Weights:
 *   - 16-bit coincidences (IP ID 54321, masscan's IP ID rule, window 1024,
 *     TTL 255 ...) are worth <= 35 points each, so none of them alone reaches
 *     the attribution threshold, and a profile whose packet "shape" (flags,
 *     option layout) does not match is not scored at all;
 *   - payload constants (an nmap service probe, "User-Agent: masscan",
 *     "CensysInspect", 300 bytes of 'C') are "strong" (>= 50 points);
 *   - multi-packet evidence from the per-source state adds 5-20 points
 *     (same sequence number across targets, TTL changing per packet,
 *     source port +1, SYNs answered by RST, many targets).
 * A packet is flagged (is_probe) with >= 30 points and at least two
 * features, or one "standalone" feature (a flag combination no TCP stack
 * sends on its own, an empty UDP datagram, a client RST right after a
 * handshake with no data, a payload constant).  The tool is reported when
 * its profile has >= 45 points, else "unknown"; attributed = tool known,
 * >= 60 points and (>= 2 features or one strong feature).  Confidence is
 * the score capped at 99.
 *
 * Never flagged: anything from the wip port (dir 2), SYN/ACKs arriving at
 * the port (backscatter), ordinary OS SYNs (options layout fails every
 * raw-tool shape), their retransmissions, ECN SYNs (0x0c2; only nmap's
 * 0x8c2 + urgent pointer 63477 is an OS probe), data of sessions after the
 * first client payload, UDP datagrams with ordinary payloads.
 *
 * Tracker memory
 * --------------
 * One caller-provided block: header + max_sources source slots + max_flows
 * flow slots (see sizes below).  Both tables are open addressing with a
 * bounded probe window of WIP_WIN slots starting at fastrange(hash); an
 * entry is only ever looked for inside its window.  When the key is absent
 * and the window is full, the least recently touched slot of the window is
 * replaced (approximate LRU).  Nothing is ever deleted otherwise, so there
 * are no tombstones and nothing grows.
 *   source slot: 96 bytes (address, probes, targets, 4 exact target
 *                hashes, 32 x 4-bit HyperLogLog registers, last seq / sport
 *                / TTL / target, saturating behaviour counters, tool memory)
 *   flow slot:   32 bytes (64-bit fingerprint of the 5-tuple, client ISN,
 *                handshake time, state bits)
 * Distinct targets: exact for up to 4 targets (32-bit target hashes), then
 * a HyperLogLog with 32 four-bit registers (~18 % standard error, linear
 * counting below 80), reported monotonically (never decreases).
 * Flows are identified by a 64-bit fingerprint of the 5-tuple (a false
 * match needs a 64-bit hash collision inside one 8-slot window).
 */
#include "wip_probe.h"

#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

/* ------------------------------------------------------------------ */
/* names                                                                */

static const char *const tool_names[WIP_TOOL_COUNT] = {
    "none", "nmap", "masscan", "zmap", "hping3", "unicornscan", "zgrab",
    "lzr", "censys", "sipvicious", "unknown"
};
static const char *const tech_names[WIP_TECH_COUNT] = {
    "none", "syn", "connect", "null", "fin", "xmas", "ack", "window",
    "maimon", "udp", "service-probe", "os-detect", "banner-grab", "script",
    "sip-scan"
};
G_STATIC_ASSERT(G_N_ELEMENTS(tool_names) == WIP_TOOL_COUNT);
G_STATIC_ASSERT(G_N_ELEMENTS(tech_names) == WIP_TECH_COUNT);

const char *wip_tool_name(wip_tool_t t)
{
    return ((guint)t < WIP_TOOL_COUNT) ? tool_names[t] : "unknown";
}

const char *wip_technique_name(wip_technique_t t)
{
    return ((guint)t < WIP_TECH_COUNT) ? tech_names[t] : "none";
}

/* ------------------------------------------------------------------ */
/* evidence: ids and their words                                        */

/* Every evidence text, by id: the one place a feature's words live.  In a
 * template "%u" is the feature's number, "%t" the tool whose id is the
 * number, "%o" the nmap OS probe whose index in os_probes[] is the number,
 * "%n" the verdict's service-probe name. */
#define EVIDENCE_TABLE(X) \
    X(EV_TTL255, "TTL 255") \
    X(EV_TTL_HIGH, "TTL %u (initial 255)") \
    X(EV_DF_CLEAR, "Don't-Fragment bit not set") \
    X(EV_TTL_NMAP, "TTL between 37 and 59 (nmap picks one at random)") \
    X(EV_TTL64, "TTL 64") \
    X(EV_TTL_DIFF, "TTL differs from previous probe (random per packet)") \
    X(EV_SPORT_INC, "source port +1 from previous probe") \
    X(EV_RST_ANSWER, "SYN answered by RST with no data") \
    X(EV_HALF_OPEN, "earlier SYN/ACK reset by the client (half-open)") \
    X(EV_ADDRESS_SCAN, "%u targets on this port (address scan)") \
    X(EV_TARGETS, "probes to %u targets from this source") \
    X(EV_SRC_TOOL, "source earlier identified as %t") \
    X(EV_OS_PROBE, "window and option layout of nmap OS-detection probe %o") \
    X(EV_OS_OPTS, "TCP option layout of nmap OS-detection probe %o") \
    X(EV_TS_FF, "TCP timestamp 0xFFFFFFFF, echo 0 (nmap OS-detection probes)") \
    X(EV_FLAGS_8C2, "SYN with both ECN flags and a reserved bit set (flags 0x8c2)") \
    X(EV_URG_63477, "urgent pointer set (63477) but no URG flag") \
    X(EV_MSS1460, "maximum segment size 1460") \
    X(EV_SAME_SEQ, "same sequence number as previous probe from this source") \
    X(EV_SEQ0, "sequence number 0 with nonzero ack") \
    X(EV_ACK_NO_FLAG, "nonzero ack number without ACK flag") \
    X(EV_ACK_WINDOW_SCAN, "ACK scan and window scan (-sA/-sW) look the same on the wire") \
    X(EV_MAIMON, "FIN+ACK (Maimon scan)") \
    X(EV_SAME_SPORT, "same source port as previous probe (fixed per scan)") \
    X(EV_SYN_NO_OPTS, "SYN without TCP options") \
    X(EV_NO_OPTS, "no TCP options") \
    X(EV_MSS_ONLY, "only one TCP option (MSS); real systems send several") \
    X(EV_EMPTY_UDP, "empty UDP datagram") \
    X(EV_PAD_X, "payload of %u 'X' bytes (hping3 -d padding)") \
    X(EV_IPID, "IP ID %u") \
    X(EV_SIPVICIOUS_NAME, "From/To name sipvicious") \
    X(EV_SVC_ORDER, "comes after earlier nmap service probes, in nmap's order") \
    X(EV_SVC_PROBE, "payload equals nmap service probe %n") \
    X(EV_CLIENT_LIKE, "real clients send these bytes too: a probe only because this source probed before") \
    X(EV_U1, "300-byte payload of 'C' (nmap OS probe U1)") \
    X(EV_IPID_1042, "IP ID 0x1042") \
    X(EV_ZMAP_UDP, "zmap default UDP payload \"GET / HTTP/1.1 Host: www\"") \
    X(EV_IPID_54321, "IP ID 54321") \
    X(EV_NULL_WAIT, "sent %u s after a handshake with no server greeting (nmap waits for one first)") \
    X(EV_NEWLINE, "payload is a single newline (zgrab2 banner probe)") \
    X(EV_RIGHT_AFTER, "sent right after the handshake") \
    X(EV_ACK_DATA, "data on the handshake ACK (no bare ACK first)") \
    X(EV_LOW_ISN, "SYN sequence number below 65536") \
    X(EV_TTL_64ISH, "TTL %u (initial 64)") \
    X(EV_HELD, "connection held %u s with no data, then closed by the client") \
    X(EV_CONN_RST, "handshake completed, then client RST with no data") \
    X(EV_RST_MS, "RST %u ms after the handshake") \
    X(EV_CONN_FIN, "handshake completed, then client FIN with no data") \
    X(EV_CLOSES, "%u connections from this source closed without data") \
    X(EV_CONN_TARGETS, "connections to %u targets from this source") \
    X(EV_BANNER_CLOSE, "server banner read, client closed without sending data") \
    X(EV_MASSCAN_ACK, "handshake completed after a masscan SYN (banner mode)") \
    X(EV_MASSCAN_WIN, "window 1200 (masscan's own TCP stack)") \
    X(EV_WINDOW, "window %u") \
    X(EV_WINDOW_OLD_NMAP, "window %u (nmap before 5.59)") \
    X(EV_IPID_MASSCAN, "IP ID computed from target address, port and sequence number (masscan)") \
    X(EV_MASSCAN_RST, "RST window 1200 (masscan's own reset)") \
    X(EV_ONLY_ECE, "only ECE flag set (hping3 -X)") \
    X(EV_ONLY_CWR, "only CWR flag set (hping3 -Y)") \
    X(EV_NO_FLAGS, "no TCP flags set") \
    X(EV_FIN_NO_ACK, "FIN without ACK") \
    X(EV_XMAS, "FIN+PSH+URG (Xmas) flags") \
    X(EV_SYN_FIN, "SYN and FIN together") \
    X(EV_SYN_RST, "SYN and RST together") \
    X(EV_PSH_URG_NO_ACK, "PSH/URG without ACK") \
    X(EV_UA_NSE, "User-Agent of the Nmap Scripting Engine") \
    X(EV_UA_CENSYS, "User-Agent CensysInspect") \
    X(EV_UA_MASSCAN, "User-Agent masscan (--banners hello)") \
    X(EV_UA_ZGRAB, "User-Agent zgrab") \
    X(EV_UA_SIPVICIOUS, "SIP User-Agent friendly-scanner (SIPVicious)") \

enum {
    EV_NONE = 0,
#define EV_ENUM(id, text) id,
    EVIDENCE_TABLE(EV_ENUM)
#undef EV_ENUM
    EV_COUNT
};
static const char *const ev_text[EV_COUNT] = {
    NULL,
#define EV_TEXT(id, text) text,
    EVIDENCE_TABLE(EV_TEXT)
#undef EV_TEXT
};
G_STATIC_ASSERT(EV_COUNT <= 256);

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

#define TH_CORE (WIP_TH_FIN | WIP_TH_SYN | WIP_TH_RST | WIP_TH_PSH | WIP_TH_ACK | WIP_TH_URG)

static inline guint32 rd32(const guint8 *b)
{
    return ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
}

static inline guint64 mix64(guint64 x)
{
    x ^= x >> 33;
    x *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

static inline guint64 addr_hash(const guint8 a[16])
{
    guint64 lo, hi;
    memcpy(&lo, a, 8);
    memcpy(&hi, a + 8, 8);
    return mix64(lo ^ mix64(hi ^ G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)));
}

/* Normalise an address to 16 bytes: IPv4 (or unknown) -> first 4 bytes. */
static inline void addr_norm(guint8 out[16], const guint8 *in, gboolean v6)
{
    if (v6) {
        memcpy(out, in, 16);
    } else {
        memcpy(out, in, 4);
        memset(out + 4, 0, 12);
    }
}

static inline guint32 fastrange(guint64 h, guint32 n)
{
    return (guint32)(((h >> 32) * (guint64)n) >> 32);
}

static const void *mem_find(const void *hay, gsize hlen, const char *needle, gsize nlen)
{
    const guint8 *h = hay;
    if (nlen == 0 || hlen < nlen)
        return NULL;
    for (gsize i = 0; i + nlen <= hlen; i++) {
        const guint8 *q = memchr(h + i, needle[0], hlen - nlen + 1 - i);
        if (!q)
            return NULL;
        i = (gsize)(q - h);
        if (memcmp(q, needle, nlen) == 0)
            return q;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* nmap service probes                                                  */

enum { SVC_EXACT = 0, SVC_PREFIX = 1, SVC_CONTAINS = 2 };

typedef struct {
    char     name[32];
    guint8   transport;     /* 6, 17, or 0 = both */
    guint8   mode;          /* SVC_* */
    gint16   first;         /* CONTAINS: required first payload byte, -1 any */
    guint8   client_like;   /* bytes real clients also send: a probe only with support */
    guint16  order;         /* position in nmap's probe order (file order), 0 unknown */
    guint32  len;
    guint32  next;          /* bucket chain (index + 1), 0 = end */
    guint8  *bytes;
} svc_ent_t;

struct wip_svc_probes {
    svc_ent_t *ents;
    guint      n, cap;
    guint32   *buckets;     /* index + 1 of first exact entry, 0 = empty */
    guint      nbuckets;    /* power of two */
    guint32    max_exact_len;
    guint      n_rules;     /* prefix / contains entries */
    guint32    rules[16];   /* their indexes (built-ins only) */
};

static inline guint32 svc_hash(guint8 transport, const guint8 *b, gsize len)
{
    guint64 x = ((guint64)len << 8) | transport;
    guint64 w = 0;
    gsize n = len < 8 ? len : 8;
    memcpy(&w, b, n);
    x ^= mix64(w + len);
    if (len > 8) {
        guint64 t = 0;
        memcpy(&t, b + len - 8, 8);
        x ^= mix64(t ^ G_GUINT64_CONSTANT(0x632be59bd9b4e019));
    }
    return (guint32)mix64(x);
}

static void svc_rebuild(wip_svc_probes_t *s)
{
    guint nb = 16;
    while (nb < s->n * 2)
        nb <<= 1;
    g_free(s->buckets);
    s->buckets = g_new0(guint32, nb);
    s->nbuckets = nb;
    s->max_exact_len = 0;
    s->n_rules = 0;
    for (guint i = 0; i < s->n; i++) {
        svc_ent_t *e = &s->ents[i];
        e->next = 0;
        if (e->mode != SVC_EXACT) {
            if (s->n_rules < G_N_ELEMENTS(s->rules))
                s->rules[s->n_rules++] = i;
            continue;
        }
        guint32 h = svc_hash(0, e->bytes, e->len) & (nb - 1);
        e->next = s->buckets[h];
        s->buckets[h] = i + 1;
        if (e->len > s->max_exact_len)
            s->max_exact_len = e->len;
    }
}

static gboolean svc_exists(const wip_svc_probes_t *s, guint8 transport, const guint8 *b, gsize len)
{
    for (guint i = 0; i < s->n; i++) {
        const svc_ent_t *e = &s->ents[i];
        if (e->mode == SVC_EXACT && e->len == len && e->transport == transport &&
            memcmp(e->bytes, b, len) == 0)
            return TRUE;
    }
    return FALSE;
}

/* Does a probe carry a mark of nmap itself (its name, its fixed ClientHello
 * random, its 404 path, its SIP target "sip:nm")?  Such bytes are never sent
 * by a real client; any other probe (short commands, plain requests: "stats",
 * AJP CPing, "GET / HTTP/1.0", X11 or DNS requests with zero ids) is
 * "client-like" and is a probe only with support from the source's history. */
static const char *const nmap_marks[] = { "nmap", "random1random2", "nice%20ports", "sip:nm" };

static gboolean svc_has_mark(const guint8 *b, gsize len)
{
    for (guint m = 0; m < G_N_ELEMENTS(nmap_marks); m++) {
        gsize ml = strlen(nmap_marks[m]);
        for (gsize i = 0; i + ml <= len; i++)
            if (g_ascii_strncasecmp((const char *)b + i, nmap_marks[m], ml) == 0)
                return TRUE;
    }
    return FALSE;
}

/* Long binary probes carry nmap's fixed ids, randoms and cookies (RPC xid
 * 0x72FE1D13, SSLv3 hello random, SMB ids): an exact match of one of
 * SVC_DISTINCT_LEN bytes or more is not what a client sends. */
#define SVC_DISTINCT_LEN 24

static gboolean svc_client_like(const guint8 *b, gsize len)
{
    if (svc_has_mark(b, len))
        return FALSE;
    if (len < SVC_DISTINCT_LEN)
        return TRUE;
    for (gsize i = 0; i < len; i++)
        if ((b[i] < 0x20 || b[i] > 0x7e) && b[i] != '\r' && b[i] != '\n' && b[i] != '\t')
            return FALSE;
    return TRUE;        /* long plain text without a mark: a request a client can send */
}

/* nmap's file order of the probes built in (nmap-service-probes 7.93) */
static guint16 builtin_order(const char *name)
{
    static const struct { const char *n; guint16 o; } ord[] = {
        { "GenericLines", 1 }, { "GetRequest", 2 }, { "HTTPOptions", 3 }, { "RTSPRequest", 4 },
        { "Help", 8 }, { "TerminalServerCookie", 10 }, { "TLSSessionReq", 11 },
        { "FourOhFourRequest", 16 }, { "LPDString", 17 }, { "SIPOptions", 20 },
    };
    for (guint i = 0; i < G_N_ELEMENTS(ord); i++)
        if (strcmp(ord[i].n, name) == 0)
            return ord[i].o;
    return 0;
}

static void svc_add(wip_svc_probes_t *s, const char *name, guint8 transport, guint8 mode,
                    gint16 first, const guint8 *b, gsize len)
{
    if (len == 0 || len > 65535)
        return;
    if (mode == SVC_EXACT && svc_exists(s, transport, b, len))
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->ents = g_renew(svc_ent_t, s->ents, s->cap);
    }
    svc_ent_t *e = &s->ents[s->n++];
    memset(e, 0, sizeof *e);
    g_strlcpy(e->name, name, sizeof e->name);
    e->transport = transport;
    e->mode = mode;
    e->first = first;
    e->len = (guint32)len;
    e->client_like = mode == SVC_EXACT ? (guint8)svc_client_like(b, len) : (guint8)!svc_has_mark(b, len);
    e->order = builtin_order(e->name);
    e->bytes = g_malloc(len);
    memcpy(e->bytes, b, len);
}

#define SVC_LIT(s) (const guint8 *)(s), (sizeof(s) - 1)

wip_svc_probes_t *wip_svc_probes_new(void)
{
    wip_svc_probes_t *s = g_new0(wip_svc_probes_t, 1);
    /* A small set of the most distinctive nmap -sV probes, so detection
     * works without nmap installed.  The full set comes from
     * wip_svc_probes_load() (nmap-service-probes). */
    svc_add(s, "GenericLines", WIP_TRANSPORT_TCP, SVC_EXACT, -1, SVC_LIT("\r\n\r\n"));
    svc_add(s, "GetRequest", WIP_TRANSPORT_TCP, SVC_EXACT, -1, SVC_LIT("GET / HTTP/1.0\r\n\r\n"));
    svc_add(s, "HTTPOptions", WIP_TRANSPORT_TCP, SVC_EXACT, -1, SVC_LIT("OPTIONS / HTTP/1.0\r\n\r\n"));
    svc_add(s, "RTSPRequest", WIP_TRANSPORT_TCP, SVC_EXACT, -1, SVC_LIT("OPTIONS / RTSP/1.0\r\n\r\n"));
    svc_add(s, "Help", WIP_TRANSPORT_TCP, SVC_EXACT, -1, SVC_LIT("HELP\r\n"));
    svc_add(s, "Help", WIP_TRANSPORT_UDP, SVC_EXACT, -1, SVC_LIT("HELP\r\n"));
    svc_add(s, "LPDString", WIP_TRANSPORT_TCP, SVC_EXACT, -1, SVC_LIT("\x01" "default\n"));
    /* Prefix rule: nmap's SIP OPTIONS probes (TCP/UDP, service scan and
     * NSE) differ in Via/branch/Call-ID lines but all start with this
     * request line; "sip:nm" is nmap's own target name. */
    svc_add(s, "SIPOptions", 0, SVC_PREFIX, 'O', SVC_LIT("OPTIONS sip:nm SIP/2.0\r\n"));
    svc_add(s, "FourOhFourRequest", WIP_TRANSPORT_TCP, SVC_PREFIX, 'G',
            SVC_LIT("GET /nice%20ports%2C/Tri%6Eity.txt%2ebak HTTP/1.0"));
    /* Contains rules, gated on the first byte of the record they live in:
     * TPKT (0x03) for the RDP cookie, TLS handshake (0x16) for the
     * client-hello "random" nmap fills with a fixed string. */
    svc_add(s, "TerminalServerCookie", WIP_TRANSPORT_TCP, SVC_CONTAINS, 0x03, SVC_LIT("mstshash=nmap"));
    svc_add(s, "TLSSessionReq", WIP_TRANSPORT_TCP, SVC_CONTAINS, 0x16, SVC_LIT("random1random2random3random4"));
    svc_rebuild(s);
    return s;
}

void wip_svc_probes_free(wip_svc_probes_t *s)
{
    if (!s)
        return;
    for (guint i = 0; i < s->n; i++)
        g_free(s->ents[i].bytes);
    g_free(s->ents);
    g_free(s->buckets);
    g_free(s);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* nmap's cstring_unescape(): \\ \0 \a \b \f \n \r \t \v \xHH; anything
 * else after a backslash is taken literally.  Returns -1 on a bad \x. */
static gssize probe_unescape(const char *in, gsize n, guint8 *out)
{
    gsize o = 0;
    for (gsize i = 0; i < n; i++) {
        char c = in[i];
        if (c != '\\') {
            out[o++] = (guint8)c;
            continue;
        }
        if (++i >= n)
            return -1;
        switch (in[i]) {
        case '0': out[o++] = 0; break;
        case 'a': out[o++] = 7; break;
        case 'b': out[o++] = 8; break;
        case 'f': out[o++] = 12; break;
        case 'n': out[o++] = 10; break;
        case 'r': out[o++] = 13; break;
        case 't': out[o++] = 9; break;
        case 'v': out[o++] = 11; break;
        case 'x': {
            int h1, h2;
            if (i + 2 >= n)
                return -1;
            h1 = hexval(in[i + 1]);
            h2 = hexval(in[i + 2]);
            if (h1 < 0 || h2 < 0)
                return -1;
            out[o++] = (guint8)(h1 * 16 + h2);
            i += 2;
            break;
        }
        default: out[o++] = (guint8)in[i]; break;
        }
    }
    return (gssize)o;
}

static void svc_err(char *err, gsize errlen, const char *fmt, const char *path, const char *why)
{
    if (err && errlen)
        g_snprintf(err, errlen, fmt, path, why ? why : "");
}

/* Reads the file whole: only a regular file of at most max_bytes (stat
 * first: g_file_get_contents on /dev/zero grows without end). */
static wip_svc_load_t svc_read_file(const char *path, gsize max_bytes, gchar **text, gsize *tlen,
                                    char *err, gsize errlen)
{
    GStatBuf st;
    GError *gerr = NULL;
    if (g_stat(path, &st) != 0) {
        int e = errno;
        svc_err(err, errlen, "%s: %s", path, g_strerror(e));
        return e == ENOENT || e == ENOTDIR ? WIP_SVC_LOAD_MISSING : WIP_SVC_LOAD_UNREADABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        svc_err(err, errlen, "%s: %s", path, "not a regular file, not read");
        return WIP_SVC_LOAD_NOT_REGULAR;
    }
    if ((guint64)st.st_size > (guint64)max_bytes) {
        char why[96];
        g_snprintf(why, sizeof why, "%" G_GUINT64_FORMAT " bytes, more than the limit of %" G_GSIZE_FORMAT,
                   (guint64)st.st_size, max_bytes);
        svc_err(err, errlen, "%s: %s", path, why);
        return WIP_SVC_LOAD_TOO_LARGE;
    }
    if (!g_file_get_contents(path, text, tlen, &gerr)) {
        svc_err(err, errlen, "%s: %s", path, gerr ? gerr->message : "cannot be read");
        if (gerr)
            g_error_free(gerr);
        return WIP_SVC_LOAD_UNREADABLE;
    }
    if (*tlen > max_bytes) {            /* grew between stat and read */
        g_free(*text);
        *text = NULL;
        svc_err(err, errlen, "%s: %s", path, "larger than the limit");
        return WIP_SVC_LOAD_TOO_LARGE;
    }
    return WIP_SVC_LOAD_OK;
}

/* One "Probe <TCP|UDP> <name> q<d>...<d>[ no-payload]" line (p..eol, after
 * "Probe "), the idx-th of the file: adds the probe, with nmap's order
 * (the file's) for it and for a built-in of the same name and transport.
 * TRUE when the line parses (the NULL probe q|| parses to nothing). */
static gboolean svc_parse_probe_line(wip_svc_probes_t *s, const char *q, const char *eol, guint16 idx,
                                     guint8 *buf)
{
    guint8 tr = 0;
    if (strncmp(q, "TCP ", 4) == 0)
        tr = WIP_TRANSPORT_TCP;
    else if (strncmp(q, "UDP ", 4) == 0)
        tr = WIP_TRANSPORT_UDP;
    q += 4;
    const char *nm = q;
    while (q < eol && *q != ' ')
        q++;
    gsize nmlen = (gsize)(q - nm);
    while (q < eol && *q == ' ')
        q++;
    if (!tr || nmlen == 0 || q + 2 >= eol || *q != 'q')
        return FALSE;
    char delim = q[1];
    const char *b0 = q + 2;
    const char *b1 = memchr(b0, delim, (gsize)(eol - b0));
    if (!b1)
        return FALSE;
    gssize n = probe_unescape(b0, (gsize)(b1 - b0), buf);
    if (n > 0) {
        char name[32];
        g_strlcpy(name, nm, MIN(nmlen + 1, sizeof name));
        svc_add(s, name, tr, SVC_EXACT, -1, buf, (gsize)n);
        for (guint i = 0; i < s->n; i++)
            if ((s->ents[i].transport == tr || s->ents[i].transport == 0) &&
                strcmp(s->ents[i].name, name) == 0)
                s->ents[i].order = idx;
    }
    return n >= 0;
}

wip_svc_load_t wip_svc_probes_load_ex(wip_svc_probes_t *s, const char *path, gsize max_bytes,
                                      char *err, gsize errlen)
{
    gchar *text = NULL;
    gsize tlen = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!s || !path || !*path) {
        svc_err(err, errlen, "no file given%s%s", "", NULL);
        return WIP_SVC_LOAD_MISSING;
    }
    wip_svc_load_t rc = svc_read_file(path, max_bytes, &text, &tlen, err, errlen);
    if (rc != WIP_SVC_LOAD_OK)
        return rc;
    guint8 *buf = g_malloc(tlen + 1);
    const char *p = text, *end = text + tlen;
    guint n_probe_lines = 0, n_parsed = 0;
    guint16 idx = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (gsize)(end - p));
        if (!eol)
            eol = end;
        if ((gsize)(eol - p) > 10 && strncmp(p, "Probe ", 6) == 0) {
            n_probe_lines++;
            if (idx < G_MAXUINT16)
                idx++;
            if (svc_parse_probe_line(s, p + 6, eol, idx, buf))
                n_parsed++;
        }
        p = eol + 1;
    }
    g_free(buf);
    g_free(text);
    svc_rebuild(s);
    if (n_parsed == 0) {
        char why[64];
        g_snprintf(why, sizeof why, "no parsable Probe line (%u 'Probe' lines)", n_probe_lines);
        svc_err(err, errlen, "%s: %s", path, why);
        return WIP_SVC_LOAD_UNPARSABLE;
    }
    return WIP_SVC_LOAD_OK;
}

gboolean wip_svc_probes_load(wip_svc_probes_t *s, const char *path)
{
    return wip_svc_probes_load_ex(s, path, WIP_SVC_PROBES_MAX_BYTES, NULL, 0) == WIP_SVC_LOAD_OK;
}

/* Exact match needs the whole payload (caplen == full_len). */
static const svc_ent_t *svc_match_ex(const wip_svc_probes_t *s, guint8 transport,
                                     const guint8 *buf, gsize caplen, gsize full_len)
{
    if (!s || !buf || caplen == 0)
        return NULL;
    if (caplen == full_len && caplen <= s->max_exact_len) {
        guint32 h = svc_hash(0, buf, caplen) & (s->nbuckets - 1);
        for (guint32 i = s->buckets[h]; i; i = s->ents[i - 1].next) {
            const svc_ent_t *e = &s->ents[i - 1];
            if (e->len == caplen && (e->transport == 0 || e->transport == transport) &&
                memcmp(e->bytes, buf, caplen) == 0)
                return e;
        }
    }
    for (guint r = 0; r < s->n_rules; r++) {
        const svc_ent_t *e = &s->ents[s->rules[r]];
        if (e->transport && e->transport != transport)
            continue;
        if (e->first >= 0 && buf[0] != (guint8)e->first)
            continue;
        if (e->mode == SVC_PREFIX) {
            if (caplen >= e->len && memcmp(buf, e->bytes, e->len) == 0)
                return e;
        } else if (e->mode == SVC_CONTAINS) {
            gsize lim = caplen < 1024 ? caplen : 1024;
            if (mem_find(buf, lim, (const char *)e->bytes, e->len))
                return e;
        }
    }
    return NULL;
}

const char *wip_svc_probes_match(const wip_svc_probes_t *s, guint8 transport,
                                 const guint8 *buf, gsize len)
{
    const svc_ent_t *e = svc_match_ex(s, transport, buf, len, len);
    return e ? e->name : NULL;
}

guint wip_svc_probes_count(const wip_svc_probes_t *s)
{
    return s ? s->n : 0;
}

/* ------------------------------------------------------------------ */
/* tracker                                                              */

#define WIP_WIN 8
#define WIP_MIN_SLOTS 16u
#define WIP_MAX_SLOTS (1u << 24)
#define WIP_TRACKER_MAGIC 0x57495050u   /* "WIPP" */
#define N_EXACT 4

typedef struct {
    guint64 key;            /* address hash | 1; 0 = empty slot */
    guint8  addr[16];
    guint32 tick;           /* last touched */
    guint32 probes;         /* flagged packets */
    guint32 targets;        /* reported distinct targets (monotone) */
    guint32 tgt[N_EXACT];   /* exact target hashes (nonzero) */
    guint32 last_seq;
    guint32 last_dst;       /* hash of the last target */
    guint16 last_sport;
    guint8  last_ttl;
    guint8  has_last;
    guint8  hll[16];        /* 32 x 4-bit registers */
    guint8  ttl_var;        /* saturating counters */
    guint8  same_seq;
    guint8  sport_inc;
    guint8  rst_ans;        /* SYN answered by RST with no data */
    guint8  half_open;      /* SYN/ACK answered by client RST */
    guint8  conn_close;     /* handshakes closed by the client without data */
    guint8  tool;           /* last attributed tool */
    guint8  tool_conf;
    guint16 last_svc_order; /* nmap order of the last service probe seen */
    guint8  svc_steps;      /* service probes seen in rising nmap order, in a row */
    guint8  pad[5];
} probe_src_t;

enum {
    F_SYN = 1 << 0, F_SYNACK = 1 << 1, F_EST = 1 << 2, F_CDATA = 1 << 3,
    F_SDATA = 1 << 4, F_SRST = 1 << 5, F_CRST = 1 << 6, F_CFIN = 1 << 7,
    F_SFIN = 1 << 8, F_DONE = 1 << 9, F_PROBE = 1 << 10, F_ACKDATA = 1 << 11
};

typedef struct {
    guint64 key;            /* 5-tuple fingerprint | 1; 0 = empty */
    guint32 tick;
    guint32 isn;            /* client ISN */
    double  t_est;          /* time of the client's handshake ACK */
    guint16 state;          /* F_* */
    guint8  syn_tool;       /* tool of a flagged SYN, 0 none */
    guint8  pad[5];
} probe_flow_t;

struct wip_probe_tracker {
    guint32 magic;
    guint32 n_src, n_flow;
    guint32 tick;
    guint32 src_used, flow_used;
    guint64 src_evict, flow_evict;
    guint64 pad;
};

G_STATIC_ASSERT(sizeof(probe_src_t) == 96);
G_STATIC_ASSERT(sizeof(probe_flow_t) == 32);
G_STATIC_ASSERT(sizeof(struct wip_probe_tracker) % 16 == 0);

static guint clamp_slots(guint n)
{
    if (n < WIP_MIN_SLOTS)
        return WIP_MIN_SLOTS;
    if (n > WIP_MAX_SLOTS)
        return WIP_MAX_SLOTS;
    return n;
}

gsize wip_probe_tracker_size(guint max_sources, guint max_flows)
{
    return sizeof(struct wip_probe_tracker) +
           (gsize)clamp_slots(max_sources) * sizeof(probe_src_t) +
           (gsize)clamp_slots(max_flows) * sizeof(probe_flow_t);
}

static inline probe_src_t *src_tab(const wip_probe_tracker_t *t)
{
    return (probe_src_t *)((char *)t + sizeof *t);
}

static inline probe_flow_t *flow_tab(const wip_probe_tracker_t *t)
{
    return (probe_flow_t *)((char *)t + sizeof *t + (gsize)t->n_src * sizeof(probe_src_t));
}

wip_probe_tracker_t *wip_probe_tracker_init(void *mem, guint max_sources, guint max_flows)
{
    if (!mem)
        return NULL;
    memset(mem, 0, wip_probe_tracker_size(max_sources, max_flows));
    wip_probe_tracker_t *t = mem;
    t->magic = WIP_TRACKER_MAGIC;
    t->n_src = clamp_slots(max_sources);
    t->n_flow = clamp_slots(max_flows);
    return t;
}

void wip_probe_tracker_stats(const wip_probe_tracker_t *t, guint *sources, guint *flows,
                             guint64 *src_evictions, guint64 *flow_evictions)
{
    if (sources) *sources = t ? t->src_used : 0;
    if (flows) *flows = t ? t->flow_used : 0;
    if (src_evictions) *src_evictions = t ? t->src_evict : 0;
    if (flow_evictions) *flow_evictions = t ? t->flow_evict : 0;
}

/* Both tables: open addressing over a window of WIP_WIN slots from the
 * hash's home slot, no deletions (an empty slot ends a search), the least
 * recently touched entry of the window replaced when it is full.  Entries
 * start with their guint64 key (hash | 1; 0 = empty) and hold a guint32
 * tick at tick_off; a source entry's key is confirmed by its address
 * (addr != NULL, 16 bytes at addr_off).  Inlined into each caller with
 * constant sizes and offsets. */
static inline void *slot_get(wip_probe_tracker_t *t, guint8 *tab, guint32 n, gsize esz, gsize tick_off,
                             const guint8 *addr, gsize addr_off, guint64 h, gboolean insert,
                             guint32 *used, guint64 *evicted)
{
    guint64 key = h | 1;
    guint32 i = fastrange(h, n);
    guint8 *victim = NULL;
    guint32 vage = 0;
    for (guint k = 0; k < WIP_WIN; k++) {
        guint8 *e = tab + (gsize)i * esz;
        guint64 ek;
        guint32 etick;
        memcpy(&ek, e, sizeof ek);
        if (ek == 0) {
            if (!insert)
                return NULL;
            (*used)++;
            victim = e;
            goto fill;
        }
        memcpy(&etick, e + tick_off, sizeof etick);
        if (ek == key && (!addr || memcmp(e + addr_off, addr, 16) == 0)) {
            memcpy(e + tick_off, &t->tick, sizeof t->tick);
            return e;
        }
        guint32 age = t->tick - etick;
        if (!victim || age > vage) {
            victim = e;
            vage = age;
        }
        if (++i == n)
            i = 0;
    }
    if (!insert)
        return NULL;
    (*evicted)++;
fill:
    memset(victim, 0, esz);
    memcpy(victim, &key, sizeof key);
    if (addr)
        memcpy(victim + addr_off, addr, 16);
    memcpy(victim + tick_off, &t->tick, sizeof t->tick);
    return victim;
}

static probe_src_t *src_get(wip_probe_tracker_t *t, const guint8 addr[16], guint64 h, gboolean insert)
{
    return (probe_src_t *)slot_get(t, (guint8 *)src_tab(t), t->n_src, sizeof(probe_src_t),
                                   G_STRUCT_OFFSET(probe_src_t, tick), addr,
                                   G_STRUCT_OFFSET(probe_src_t, addr), h, insert,
                                   &t->src_used, &t->src_evict);
}

static probe_flow_t *flow_get(wip_probe_tracker_t *t, guint64 h, gboolean insert)
{
    return (probe_flow_t *)slot_get(t, (guint8 *)flow_tab(t), t->n_flow, sizeof(probe_flow_t),
                                    G_STRUCT_OFFSET(probe_flow_t, tick), NULL, 0, h, insert,
                                    &t->flow_used, &t->flow_evict);
}

/* linear counting for m = 32: 32 * ln(32 / V), V = 1..32 */
static const double lc32[33] = {
    0, 110.9035, 88.7228, 75.7480, 66.5421, 59.4015, 53.5672, 48.6344,
    44.3614, 40.5924, 37.2208, 34.1709, 31.3865, 28.8252, 26.4537, 24.2459,
    22.1807, 20.2407, 18.4117, 16.6815, 15.0401, 13.4788, 11.9902, 10.5677,
    9.2058, 7.8995, 6.6445, 5.4368, 4.2730, 3.1501, 2.0652, 1.0160, 0.0000
};

static guint32 hll_estimate(const guint8 *hll)
{
    double sum = 0;
    guint zeros = 0;
    for (guint j = 0; j < 32; j++) {
        guint r = (hll[j >> 1] >> ((j & 1) * 4)) & 15;
        if (r == 0)
            zeros++;
        sum += 1.0 / (double)(1u << r);
    }
    double e = 0.697 * 32.0 * 32.0 / sum;
    if (e <= 2.5 * 32 && zeros > 0)
        e = lc32[zeros];
    return (guint32)(e + 0.5);
}

static void src_add_target(probe_src_t *s, guint32 th)
{
    th |= 1;
    /* HyperLogLog: top 5 bits pick a register, rank of the rest */
    guint j = th >> 27;
    guint32 w = th << 5;
    guint r = w ? (guint)__builtin_clz(w) + 1 : 15;
    if (r > 15)
        r = 15;
    guint cur = (s->hll[j >> 1] >> ((j & 1) * 4)) & 15;
    if (r > cur)
        s->hll[j >> 1] = (guint8)((s->hll[j >> 1] & ~(15u << ((j & 1) * 4))) | (r << ((j & 1) * 4)));
    if (s->targets <= N_EXACT) {
        for (guint k = 0; k < N_EXACT; k++) {
            if (s->tgt[k] == th)
                return;
            if (s->tgt[k] == 0) {
                s->tgt[k] = th;
                s->targets = k + 1;
                return;
            }
        }
        s->targets = N_EXACT + 1;       /* exact list overflowed */
        return;
    }
    guint32 est = hll_estimate(s->hll);
    if (est > s->targets)
        s->targets = est;
}

gboolean wip_probe_source_counts(wip_probe_tracker_t *t, const guint8 *addr, guint addr_len,
                                 guint32 *probes, guint32 *targets)
{
    guint8 a[16];
    if (!t || !addr || (addr_len != 4 && addr_len != 16))
        return FALSE;
    addr_norm(a, addr, addr_len == 16);
    probe_src_t *s = src_get(t, a, addr_hash(a), FALSE);
    if (probes) *probes = s ? s->probes : 0;
    if (targets) *targets = s ? s->targets : 0;
    return s != NULL;
}

/* ------------------------------------------------------------------ */
/* scoring                                                              */
/*
 * Every feature belongs to a class.  Features of one class are not
 * independent of each other (window 1024 and window 512 are both "the
 * window"), and some classes are things ordinary stacks show all the time
 * (DF clear, a TTL of 64 or 37-59): those are "weak" and never count as
 * independent evidence.  History features come from the source's earlier
 * packets (same sequence number, source port +1, several targets, an
 * earlier attribution, nmap's probe order).
 */
enum {
    FC_FLAGS   = 1u << 0,   /* flag combination, handshake shape */
    FC_WINDOW  = 1u << 1,   /* a window value */
    FC_OPTS    = 1u << 2,   /* TCP option layout / values */
    FC_SEQ     = 1u << 3,   /* sequence / acknowledgement fields */
    FC_IPID    = 1u << 4,   /* IP identification rule */
    FC_TTL255  = 1u << 5,   /* TTL 255: a raw tool's constant */
    FC_PAYLOAD = 1u << 6,   /* payload constant */
    FC_HISTORY = 1u << 7,   /* the source's earlier packets */
    FC_URG     = 1u << 8,   /* urgent pointer */
    FC_WEAK    = 1u << 15,  /* DF clear, TTL 64 / 37-59, MSS 1460: never enough */
};

/* Named thresholds of the one scorer */
#define WIP_SCORE_FLAG        30   /* points to flag a packet */
#define WIP_SCORE_TOOL        45   /* points to name the tool */
#define WIP_SCORE_ATTRIBUTE   60   /* points to attribute (warning instead of note) */
#define WIP_WEIGHT_STRONG     50   /* one feature this heavy is a payload constant */
#define WIP_MIN_INDEPENDENT    2   /* independent feature classes without history */

/* Named weights (points) of single features in the detectors outside the
 * signature tables */
#define W_HINT         5   /* a detail ordinary stacks share (DF clear, TTL 64, timing) */
#define W_SUPPORT     10   /* supporting history or a second detail */
#define W_REPEAT      15   /* a behaviour the source repeats */
#define W_FEATURE     20   /* one feature of a tool's packet */
#define W_CLEAR       25   /* a clear feature of a tool (its OS-probe options, a fixed IP ID) */
#define W_SHAPE       WIP_SCORE_FLAG   /* a packet or connection shape that flags on its own */
#define W_ODD         35   /* a flag combination no TCP/IP stack sends on its own */
#define W_DISTINCT    40   /* several features of one tool at once */
#define W_TOOL        WIP_SCORE_TOOL   /* a payload that names its tool */
#define W_PAYLOAD     WIP_WEIGHT_STRONG /* a payload constant */
#define W_SVC_UDP_SHORT 70 /* a UDP payload equal to a short nmap service probe */
#define W_SVC_SHORT   75   /* a TCP payload equal to a short nmap service probe */
#define W_SVC_UDP     85   /* a UDP payload equal to a long nmap service probe */
#define W_SVC         90   /* a TCP payload equal to a long or marked nmap service probe */
#define SVC_UDP_LONG  12   /* bytes from which a UDP service probe counts as long */
#define ADDRESS_SCAN_TARGETS 25  /* targets of one source on the port: an address scan */

/* Named times and constants of the connection-level detectors */
#define NMAP_NULL_WAIT_MIN 4.5   /* s: nmap -sV waits ~6 s for a banner (NULL probe) */
#define NMAP_NULL_WAIT_MAX 10.0  /* s: ... before its first probe on the same connection */
#define HELD_MAX_S      60.0     /* s: longer silent connections are not the NULL probe */
#define QUICK_RST_S     0.5      /* s: a client RST this soon after the handshake */
#define RIGHT_AFTER_S   0.2      /* s: data this soon after the handshake */
#define LZR_ISN_LIMIT   65536u   /* LZR's SYN sequence numbers stay below this */
#define NMAP_U1_LEN     300      /* nmap OS probe U1: 300 bytes of 'C' ... */
#define NMAP_U1_IPID    0x1042   /* ... with this IP ID */

#define MAXF 16

typedef struct {
    guint8 id;              /* EV_* */
    guint32 num;            /* its number, 0 if none */
    int w;
} feat_t;

typedef struct {
    wip_tool_t tool;
    wip_technique_t tech;
    int score;
    guint n;                /* features with weight > 0 */
    guint32 classes;        /* FC_* of the features with weight > 0 */
    gboolean standalone;    /* a feature no ordinary stack shows */
    gboolean strong;
    const char *name;
    guint nf;
    feat_t f[MAXF];         /* last: pick() copies only the nf used */
} cand_t;

static void cand_init(cand_t *c, wip_tool_t tool, wip_technique_t tech)
{
    c->tool = tool;
    c->tech = tech;
    c->score = 0;
    c->n = 0;
    c->nf = 0;
    c->classes = 0;
    c->standalone = FALSE;
    c->strong = FALSE;
    c->name = NULL;
}

static void featc(cand_t *c, guint32 cls, int w, guint8 id, guint num)
{
    if (c->nf < MAXF) {
        feat_t *f = &c->f[c->nf++];
        f->id = id;
        f->num = num;
        f->w = w;
    }
    c->score += w;
    if (w > 0) {
        c->n++;
        c->classes |= cls;
    }
    if (w >= WIP_WEIGHT_STRONG)
        c->strong = TRUE;
}

static guint cand_independent(const cand_t *c)
{
    guint32 m = c->classes & ~(guint32)FC_WEAK;
    guint n = 0;
    while (m) {             /* a few bits: cheaper than a libgcc popcount call */
        m &= m - 1;
        n++;
    }
    return n;
}

/* flag: enough points and either two independent classes, or history plus
 * one more class, or a feature no ordinary stack shows */
static gboolean cand_flag(const cand_t *c)
{
    if (c->score < WIP_SCORE_FLAG)
        return FALSE;
    return c->standalone || cand_independent(c) >= WIP_MIN_INDEPENDENT;
}

/* name the tool: enough points and two independent features (history is
 * one) or one strong payload constant */
static gboolean cand_tool(const cand_t *c)
{
    return c->tool != WIP_TOOL_UNKNOWN && c->score >= WIP_SCORE_TOOL &&
           (cand_independent(c) >= WIP_MIN_INDEPENDENT || c->strong);
}

static void pick(cand_t *best, const cand_t *c)
{
    if (!cand_flag(c))
        return;
    if (!cand_flag(best) || c->score > best->score)
        memcpy(best, c, G_STRUCT_OFFSET(cand_t, f) + c->nf * sizeof(feat_t));
}

/* per-packet derived facts */
typedef struct {
    const wip_pkt_t *p;
    gboolean v4, v6;
    gboolean df_clear;      /* IPv4 only */
    guint16 core;           /* flags & TH_CORE */
    gboolean no_opts, mss_only, ts_ff;
    guint16 mss;
    gboolean ttl_nmap, ttl_high, ttl_64;
    probe_src_t *src;
    /* multi-packet comparisons with the source's previous candidate */
    gboolean same_seq, sport_inc, same_sport_other_dst, ttl_diff;
    guint32 dst_hash;
    /* to remember a source only when it sends a service probe */
    wip_probe_tracker_t *t;
    const guint8 *cli;
    guint64 hc;
} ctx_t;

static void parse_opts(ctx_t *c)
{
    const wip_pkt_t *p = c->p;
    guint n = p->opts_len < sizeof p->opts ? p->opts_len : sizeof p->opts;
    c->no_opts = (n == 0);
    c->mss_only = (n == 4 && p->opts[0] == 2 && p->opts[1] == 4);
    c->mss = 0;
    c->ts_ff = FALSE;
    guint i = 0;
    guint8 k, l;
    while (wip_pkt_opt_next(p, &i, &k, &l)) {
        const guint8 *v = p->opts + i - l + 2;
        if (k == 2 && l == 4)
            c->mss = (guint16)((v[0] << 8) | v[1]);
        else if (k == 8 && l == 10 && rd32(v) == 0xFFFFFFFFu && rd32(v + 4) == 0)
            c->ts_ff = TRUE;
    }
}

static void ev_ttl_high(cand_t *c, const ctx_t *x, int w)
{
    if (x->p->ttl == 255)
        featc(c, FC_TTL255, w, EV_TTL255, 0);
    else
        featc(c, FC_WEAK, w, EV_TTL_HIGH, x->p->ttl);
}

static void ev_df(cand_t *c, const ctx_t *x, int w)
{
    if (x->df_clear)
        featc(c, FC_WEAK, w, EV_DF_CLEAR, 0);
}

enum { TTLC_ANY, TTLC_NMAP, TTLC_HIGH, TTLC_64 };                 /* TTL classes */

/* The IP-level and history features TCP and UDP signatures share: the TTL
 * class, DF clear, TTL changing and the source port stepping by one
 * between probes of one source. */
static void ev_ip_common(cand_t *c, const ctx_t *x, guint8 ttl_class, int w_ttl, int w_df,
                         int w_ttl_diff, int w_sport_inc)
{
    if (w_ttl) {
        if (ttl_class == TTLC_HIGH && x->ttl_high)
            ev_ttl_high(c, x, w_ttl);
        else if (ttl_class == TTLC_NMAP && x->ttl_nmap)
            featc(c, FC_WEAK, w_ttl, EV_TTL_NMAP, 0);
        else if (ttl_class == TTLC_64 && x->p->ttl == 64)
            featc(c, FC_WEAK, w_ttl, EV_TTL64, 0);
    }
    ev_df(c, x, w_df);
    if (w_ttl_diff && x->ttl_diff)
        featc(c, FC_HISTORY, w_ttl_diff, EV_TTL_DIFF, 0);
    if (w_sport_inc && x->sport_inc)
        featc(c, FC_HISTORY, w_sport_inc, EV_SPORT_INC, 0);
}

static gboolean masscan_ipid(const ctx_t *x)
{
    const wip_pkt_t *p = x->p;
    if (!x->v4)
        return FALSE;
    guint32 d = rd32(p->dst);
    return p->ip_id == (guint16)((d ^ p->dport ^ p->seq) & 0xFFFF);
}

static wip_technique_t tech_from_flags(guint16 core)
{
    if (core == WIP_TH_SYN) return WIP_TECH_SYN;
    if (core == 0) return WIP_TECH_NULL;
    if (core == WIP_TH_FIN) return WIP_TECH_FIN;
    if ((core & (WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG)) == (WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG) &&
        !(core & WIP_TH_SYN))
        return WIP_TECH_XMAS;
    if (core == WIP_TH_ACK) return WIP_TECH_ACK;
    if (core == (WIP_TH_FIN | WIP_TH_ACK)) return WIP_TECH_MAIMON;
    if (core & WIP_TH_SYN) return WIP_TECH_SYN;
    if (core & WIP_TH_FIN) return WIP_TECH_FIN;
    if (core & WIP_TH_ACK) return WIP_TECH_ACK;
    return WIP_TECH_NULL;
}

/* the feature of a flag combination no TCP stack sends outside a session
 * (EV_NONE if it is not one) */
static guint8 odd_flags_ev(const wip_pkt_t *p, guint16 core)
{
    guint16 f = p->flags;
    if (core == 0) {
        if ((f & (WIP_TH_ECE | WIP_TH_CWR)) == WIP_TH_ECE) return EV_ONLY_ECE;
        if ((f & (WIP_TH_ECE | WIP_TH_CWR)) == WIP_TH_CWR) return EV_ONLY_CWR;
        return EV_NO_FLAGS;
    }
    if (core == WIP_TH_FIN) return EV_FIN_NO_ACK;
    if ((core & (WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG)) == (WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG) &&
        !(core & (WIP_TH_ACK | WIP_TH_SYN)))
        return EV_XMAS;
    if ((core & (WIP_TH_SYN | WIP_TH_FIN)) == (WIP_TH_SYN | WIP_TH_FIN)) return EV_SYN_FIN;
    if ((core & (WIP_TH_SYN | WIP_TH_RST)) == (WIP_TH_SYN | WIP_TH_RST)) return EV_SYN_RST;
    if ((core & (WIP_TH_ACK | WIP_TH_URG)) == WIP_TH_URG || (core & (WIP_TH_ACK | WIP_TH_PSH)) == WIP_TH_PSH)
        if (!(core & (WIP_TH_SYN | WIP_TH_RST)))
            return EV_PSH_URG_NO_ACK;
    return EV_NONE;
}

/* behaviour evidence from the source state, added to shaped candidates */
static void add_behaviour(cand_t *c, const ctx_t *x, gboolean syn)
{
    const probe_src_t *s = x->src;
    if (!s || c->score < W_FEATURE)     /* history only supports a shaped candidate */
        return;
    if (syn && s->rst_ans)
        featc(c, FC_HISTORY, W_HINT, EV_RST_ANSWER, 0);
    if (syn && s->half_open)
        featc(c, FC_HISTORY, W_HINT, EV_HALF_OPEN, 0);
    if (s->targets >= ADDRESS_SCAN_TARGETS)
        featc(c, FC_HISTORY, W_SUPPORT, EV_ADDRESS_SCAN, s->targets);
    else if (s->targets >= 2)
        featc(c, FC_HISTORY, W_HINT, EV_TARGETS, s->targets);
    if (c->tool != WIP_TOOL_UNKNOWN && s->tool == c->tool && s->tool_conf >= WIP_SCORE_ATTRIBUTE)
        featc(c, FC_HISTORY, W_HINT, EV_SRC_TOOL, (guint)c->tool);
}

/* nmap -O TCP probes (osscan2.cc): option bytes, window, flags */
static const guint8 O_SEQ1[] = {3,3,10,1,2,4,5,0xb4,8,10,0xff,0xff,0xff,0xff,0,0,0,0,4,2};
static const guint8 O_SEQ2[] = {2,4,5,0x78,3,3,0,4,2,8,10,0xff,0xff,0xff,0xff,0,0,0,0,0};
static const guint8 O_SEQ3[] = {8,10,0xff,0xff,0xff,0xff,0,0,0,0,1,1,3,3,5,1,2,4,2,0x80};
static const guint8 O_SEQ4[] = {4,2,8,10,0xff,0xff,0xff,0xff,0,0,0,0,3,3,10,0};
static const guint8 O_SEQ5[] = {2,4,2,0x18,4,2,8,10,0xff,0xff,0xff,0xff,0,0,0,0,3,3,10,0};
static const guint8 O_SEQ6[] = {2,4,1,9,4,2,8,10,0xff,0xff,0xff,0xff,0,0,0,0};
static const guint8 O_ECN[]  = {3,3,10,1,2,4,5,0xb4,4,2,1,1};
static const guint8 O_T[]    = {3,3,10,1,2,4,1,9,8,10,0xff,0xff,0xff,0xff,0,0,0,0,4,2};

typedef struct {
    const char *label;
    guint16 flags, win;
    const guint8 *opts;
    guint8 len;
} os_probe_t;

#define OSP(l, f, w, o) { l, f, w, o, sizeof(o) }
static const os_probe_t os_probes[] = {
    OSP("SEQ1", WIP_TH_SYN, 1, O_SEQ1),
    OSP("SEQ2", WIP_TH_SYN, 63, O_SEQ2),
    OSP("SEQ3", WIP_TH_SYN, 4, O_SEQ3),
    OSP("SEQ4", WIP_TH_SYN, 4, O_SEQ4),
    OSP("SEQ5", WIP_TH_SYN, 16, O_SEQ5),
    OSP("SEQ6", WIP_TH_SYN, 512, O_SEQ6),
    OSP("ECN", 0x8c2, 3, O_ECN),
    OSP("T2", 0, 128, O_T),
    OSP("T3", WIP_TH_SYN | WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG, 256, O_T),
    OSP("T4", WIP_TH_ACK, 1024, O_T),
    OSP("T5", WIP_TH_SYN, 31337, O_T),
    OSP("T6", WIP_TH_ACK, 32768, O_T),
    OSP("T7", WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG, 65535, O_T),
};

/* FALSE (and *c untouched) when nothing of an OS probe is there: every
 * nmap OS probe has 12, 16 or 20 option bytes, flags 0x8c2 or urgent
 * pointer 63477 */
static gboolean prof_nmap_os(cand_t *c, const ctx_t *x)
{
    const wip_pkt_t *p = x->p;
    guint n = p->opts_len < sizeof p->opts ? p->opts_len : sizeof p->opts;
    const os_probe_t *full = NULL, *optonly = NULL;
    if (n != 12 && n != 16 && n != 20 && (p->flags & 0xFFF) != 0x8c2 && p->urgptr != 63477)
        return FALSE;
    cand_init(c, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT);
    for (guint i = 0; i < G_N_ELEMENTS(os_probes); i++) {
        const os_probe_t *o = &os_probes[i];
        if (o->len != n || memcmp(o->opts, p->opts, n) != 0)
            continue;
        if ((p->flags & 0xFFF) == o->flags && p->window == o->win) {
            full = o;
            break;
        }
        if (!optonly)
            optonly = o;
    }
    if (full)
        featc(c, FC_OPTS | FC_WINDOW, W_DISTINCT, EV_OS_PROBE, (guint)(full - os_probes));
    else if (optonly)
        featc(c, FC_OPTS, W_CLEAR, EV_OS_OPTS, (guint)(optonly - os_probes));
    if (x->ts_ff)
        featc(c, FC_SEQ, W_CLEAR, EV_TS_FF, 0);
    if ((p->flags & 0xFFF) == 0x8c2)
        featc(c, FC_FLAGS, W_FEATURE, EV_FLAGS_8C2, 0);
    if (p->urgptr == 63477 && !(p->flags & WIP_TH_URG))
        featc(c, FC_URG, W_CLEAR, EV_URG_63477, 0);
    if (c->score == 0)
        return FALSE;
    if (x->ttl_nmap)
        featc(c, FC_WEAK, W_HINT, EV_TTL_NMAP, 0);
    return TRUE;
}

/* ---- per-tool packet signatures: one table, one scorer ---------------
 *
 * A row applies to a packet whose flag kind is in `kinds`, whose option
 * layout is `opts` and which passes every test in `need`; then each
 * feature that holds adds its weight.  Window sets, IP ID rules, TTL
 * classes and the multi-packet features are all in the row. */
enum {   /* flag kinds */
    K_SYN = 1 << 0, K_NULL = 1 << 1, K_FIN = 1 << 2, K_XMAS = 1 << 3,
    K_ACK = 1 << 4, K_FINACK = 1 << 5, K_RST = 1 << 6, K_OTHER = 1 << 7,
};
enum { OS_ANY, OS_NONE, OS_MSS_ONLY, OS_NONE_OR_MSS };          /* option shapes */
enum { IPID_ANY, IPID_CONST, IPID_MASSCAN };                     /* IP ID rules */
enum {   /* `need` bits: tests a packet must pass for the row to apply */
    N_WIN = 1 << 0,          /* window in the set */
    N_ACK0 = 1 << 1,         /* ack field 0 */
    N_SEQ0 = 1 << 2,         /* seq 0 with a nonzero ack (raw ACK probes) */
    N_WIN_OR_ACKW = 1 << 3,  /* window in the set, or an ack value without the ACK flag */
};

typedef struct {
    wip_tool_t tool;
    wip_technique_t tech;                /* NONE: from the flags */
    guint8 kinds, opts, need;
    guint16 win[4];
    guint8 nwin;
    gint8 w_win;  guint8 t_win;          /* EV_*: its number is the window */
    gint8 w_opts; guint8 t_opts;         /* EV_NONE: from the packet's options */
    gint8 w_mss1460;                     /* MSS value 1460 (weak) */
    gint8 w_seq0;                        /* seq 0 with nonzero ack */
    gint8 w_ackw;                        /* ack value without the ACK flag */
    gint8 w_odd_fin, w_odd;              /* odd flag text: FIN only / others */
    guint8 ipid; guint16 ipid_val; gint8 w_ipid; guint8 t_ipid;
    guint8 ttl; gint8 w_ttl;
    gint8 w_df;
    gint8 w_same_seq, w_sport_inc, w_same_sport, w_ttl_diff;   /* history */
} tcp_sig_t;

static const tcp_sig_t tcp_sigs[] = {
    /* nmap -sS >= 5.59 (tcpip.cc, scan_engine_raw.cc) */
    { .tool = WIP_TOOL_NMAP, .kinds = K_SYN, .opts = OS_MSS_ONLY, .need = N_WIN | N_ACK0,
      .win = { 1024 }, .nwin = 1, .w_win = 25, .t_win = EV_WINDOW,
      .w_opts = 20, .t_opts = EV_MSS_ONLY, .w_mss1460 = 5,
      .ttl = TTLC_NMAP, .w_ttl = 5, .w_df = 10, .w_same_seq = 15, .w_ttl_diff = 10 },
    /* nmap -sS < 5.59 (ET sids 2009582/2000537/2009583/2009584) */
    { .tool = WIP_TOOL_NMAP, .kinds = K_SYN, .opts = OS_MSS_ONLY, .need = N_WIN | N_ACK0,
      .win = { 2048, 3072, 4096 }, .nwin = 3, .w_win = 15, .t_win = EV_WINDOW_OLD_NMAP,
      .w_opts = 20, .t_opts = EV_MSS_ONLY, .w_mss1460 = 5,
      .ttl = TTLC_NMAP, .w_ttl = 5, .w_df = 10, .w_same_seq = 15, .w_ttl_diff = 10 },
    /* nmap -sN / -sF / -sX */
    { .tool = WIP_TOOL_NMAP, .kinds = K_NULL | K_FIN | K_XMAS, .opts = OS_NONE, .need = N_WIN,
      .win = { 1024 }, .nwin = 1, .w_win = 25, .t_win = EV_WINDOW,
      .w_opts = 20, .t_opts = EV_NO_OPTS, .w_odd_fin = 10, .w_odd = 15,
      .ttl = TTLC_NMAP, .w_ttl = 5, .w_df = 10, .w_ttl_diff = 10 },
    /* nmap -sA / -sW / -sM: raw seq 0 with a nonzero ack (an ordinary
     * FIN/ACK or ACK never has both) */
    { .tool = WIP_TOOL_NMAP, .kinds = K_ACK | K_FINACK, .opts = OS_NONE, .need = N_WIN | N_SEQ0,
      .win = { 1024 }, .nwin = 1, .w_win = 25, .t_win = EV_WINDOW,
      .w_opts = 20, .t_opts = EV_NO_OPTS, .w_seq0 = 20,
      .ttl = TTLC_NMAP, .w_ttl = 5, .w_df = 10, .w_ttl_diff = 10 },
    /* masscan <= 1.3.2 (templ-pkt.c) */
    { .tool = WIP_TOOL_MASSCAN, .kinds = K_SYN, .opts = OS_NONE, .need = N_WIN | N_ACK0,
      .win = { 1024 }, .nwin = 1, .w_win = 20, .t_win = EV_WINDOW,
      .w_opts = 15, .t_opts = EV_NO_OPTS,
      .ipid = IPID_MASSCAN, .w_ipid = 35, .t_ipid = EV_IPID_MASSCAN,
      .ttl = TTLC_HIGH, .w_ttl = 10, .w_df = 5, .w_same_sport = 10 },
    /* masscan newer */
    { .tool = WIP_TOOL_MASSCAN, .kinds = K_SYN, .opts = OS_MSS_ONLY, .need = N_WIN | N_ACK0,
      .win = { 1025 }, .nwin = 1, .w_win = 20, .t_win = EV_WINDOW,
      .w_opts = 15, .t_opts = EV_MSS_ONLY,
      .ipid = IPID_MASSCAN, .w_ipid = 35, .t_ipid = EV_IPID_MASSCAN,
      .ttl = TTLC_HIGH, .w_ttl = 10, .w_df = 5, .w_same_sport = 10 },
    /* masscan's own RST in stateless mode */
    { .tool = WIP_TOOL_MASSCAN, .tech = WIP_TECH_SYN, .kinds = K_RST, .opts = OS_ANY, .need = N_WIN,
      .win = { 1200 }, .nwin = 1, .w_win = 30, .t_win = EV_MASSCAN_RST,
      .ipid = IPID_MASSCAN, .w_ipid = 35, .t_ipid = EV_IPID_MASSCAN,
      .ttl = TTLC_HIGH, .w_ttl = 10, .w_df = 5 },
    /* zmap <= 3.x (packet.c): window 65535 gates; IP ID 54321 alone never
     * makes zmap, and without it the row stays below the flag threshold */
    { .tool = WIP_TOOL_ZMAP, .kinds = K_SYN, .opts = OS_NONE_OR_MSS, .need = N_WIN | N_ACK0,
      .win = { 65535 }, .nwin = 1, .w_win = 10, .t_win = EV_WINDOW,
      .w_opts = 10, .t_opts = EV_NONE,
      .ipid = IPID_CONST, .ipid_val = 54321, .w_ipid = 35, .t_ipid = EV_IPID_54321,
      .ttl = TTLC_HIGH, .w_ttl = 10, .w_df = 5 },
    /* hping3 SYN / odd flags (sendtcp.c): window 512, no options, ack
     * value without the ACK flag, source port +1 per packet */
    { .tool = WIP_TOOL_HPING3, .kinds = K_SYN | K_NULL | K_FIN | K_XMAS | K_OTHER, .opts = OS_NONE,
      .need = N_WIN_OR_ACKW,
      .win = { 512 }, .nwin = 1, .w_win = 20, .t_win = EV_WINDOW,
      .w_opts = 10, .t_opts = EV_NO_OPTS, .w_ackw = 25, .w_odd_fin = 10, .w_odd = 10,
      .ttl = TTLC_64, .w_ttl = 5, .w_df = 5, .w_sport_inc = 20 },
    /* hping3 -A / -F -A / -R: ACKs and RSTs without options are ordinary,
     * so only the window and the history count */
    { .tool = WIP_TOOL_HPING3, .kinds = K_ACK | K_FINACK | K_RST, .opts = OS_NONE, .need = N_WIN,
      .win = { 512 }, .nwin = 1, .w_win = 20, .t_win = EV_WINDOW,
      .ttl = TTLC_64, .w_ttl = 5, .w_df = 5, .w_sport_inc = 20 },
    /* unicornscan (init_packet.c); Cisco IOS also sends window 4128 + MSS
     * only, so without TTL 255 it stays below the tool threshold */
    { .tool = WIP_TOOL_UNICORNSCAN, .kinds = K_SYN, .opts = OS_MSS_ONLY, .need = N_WIN | N_ACK0,
      .win = { 4128 }, .nwin = 1, .w_win = 25, .t_win = EV_WINDOW,
      .w_opts = 15, .t_opts = EV_MSS_ONLY,
      .ttl = TTLC_HIGH, .w_ttl = 10, .w_df = 5 },
};

static guint8 flag_kind(const wip_pkt_t *p, guint16 core)
{
    if (core == WIP_TH_SYN) return K_SYN;
    if (core == 0) return K_NULL;
    if (core == WIP_TH_FIN) return K_FIN;
    if (core == (WIP_TH_FIN | WIP_TH_PSH | WIP_TH_URG)) return K_XMAS;
    if (core == WIP_TH_ACK) return K_ACK;
    if (core == (WIP_TH_FIN | WIP_TH_ACK)) return K_FINACK;
    if (core == WIP_TH_RST || core == (WIP_TH_RST | WIP_TH_ACK)) return K_RST;
    (void)p;
    return K_OTHER;
}

static gboolean sig_opts_ok(guint8 shape, const ctx_t *x)
{
    switch (shape) {
    case OS_NONE: return x->no_opts;
    case OS_MSS_ONLY: return x->mss_only;
    case OS_NONE_OR_MSS: return x->no_opts || x->mss_only;
    default: return TRUE;
    }
}

/* Does row g apply to the packet (flag kind, option shape, every `need`
 * test)?  Inlined into the loop: most rows fail here, for every packet. */
static inline gboolean sig_applies(const tcp_sig_t *g, const ctx_t *x, guint8 kind)
{
    const wip_pkt_t *p = x->p;
    if (!(g->kinds & kind) || !sig_opts_ok(g->opts, x))
        return FALSE;
    gboolean win = FALSE;
    for (guint i = 0; i < g->nwin; i++)
        win |= p->window == g->win[i];
    if ((g->need & N_WIN) && !win) return FALSE;
    if ((g->need & N_ACK0) && p->ack != 0) return FALSE;
    if ((g->need & N_SEQ0) && !(p->seq == 0 && p->ack != 0)) return FALSE;
    if ((g->need & N_WIN_OR_ACKW) && !win && !(p->ack != 0 && !(p->flags & WIP_TH_ACK))) return FALSE;
    return TRUE;
}

/* the one scorer of tcp_sigs[]: FALSE (and *c untouched) when the row
 * does not apply to the packet */
static gboolean score_tcp_sig(cand_t *c, const tcp_sig_t *g, const ctx_t *x, guint8 kind)
{
    const wip_pkt_t *p = x->p;
    if (!sig_applies(g, x, kind))
        return FALSE;
    gboolean win = FALSE;
    for (guint i = 0; i < g->nwin; i++)
        win |= p->window == g->win[i];
    gboolean ackw = p->ack != 0 && !(p->flags & WIP_TH_ACK);
    gboolean seq0 = p->seq == 0 && p->ack != 0;
    cand_init(c, g->tool, g->tech != WIP_TECH_NONE ? g->tech : tech_from_flags(x->core));
    if (win && g->w_win)
        featc(c, FC_WINDOW, g->w_win, g->t_win, p->window);
    if (g->w_opts)
        featc(c, FC_OPTS, g->w_opts, g->t_opts ? g->t_opts : x->no_opts ? EV_NO_OPTS : EV_MSS_ONLY, 0);
    if (g->w_mss1460 && x->mss == 1460)
        featc(c, FC_WEAK, g->w_mss1460, EV_MSS1460, 0);
    if (g->w_same_seq && x->same_seq)
        featc(c, FC_HISTORY, g->w_same_seq, EV_SAME_SEQ, 0);
    if (g->w_seq0 && seq0)
        featc(c, FC_SEQ, g->w_seq0, EV_SEQ0, 0);
    if (g->w_ackw && ackw)
        featc(c, FC_SEQ, g->w_ackw, EV_ACK_NO_FLAG, 0);
    if (kind == K_ACK && g->tool == WIP_TOOL_NMAP)
        featc(c, 0, 0, EV_ACK_WINDOW_SCAN, 0);
    else if (kind == K_FINACK && g->tool == WIP_TOOL_NMAP)
        featc(c, 0, 0, EV_MAIMON, 0);
    if ((g->w_odd || g->w_odd_fin) && kind != K_SYN) {
        guint8 t = odd_flags_ev(p, x->core);
        if (t)
            featc(c, FC_FLAGS, x->core == WIP_TH_FIN ? g->w_odd_fin : g->w_odd, t, 0);
    }
    if (g->w_same_sport && x->same_sport_other_dst)
        featc(c, FC_HISTORY, g->w_same_sport, EV_SAME_SPORT, 0);
    if (g->w_ipid) {
        gboolean ok = g->ipid == IPID_MASSCAN ? masscan_ipid(x)
                    : g->ipid == IPID_CONST ? (x->v4 && p->ip_id == g->ipid_val) : FALSE;
        if (ok)
            featc(c, FC_IPID, g->w_ipid, g->t_ipid, 0);
    }
    ev_ip_common(c, x, g->ttl, g->w_ttl, g->w_df, g->w_ttl_diff, g->w_sport_inc);
    return TRUE;
}

/* raw packets that match no tool: unknown.  A SYN without options, an ack
 * value without the ACK flag or seq 0 alone are each one feature; only
 * flag combinations no stack sends on its own stand alone. */
static void prof_generic_tcp(cand_t *c, const ctx_t *x)
{
    const wip_pkt_t *p = x->p;
    guint16 core = x->core;
    cand_init(c, WIP_TOOL_UNKNOWN, tech_from_flags(core));
    if (core == WIP_TH_SYN) {
        gboolean oslike = !x->no_opts && !x->df_clear && p->ack == 0;
        if (x->no_opts)
            featc(c, FC_OPTS, W_FEATURE, EV_SYN_NO_OPTS, 0);
        if (p->ack != 0)
            featc(c, FC_SEQ, W_FEATURE, EV_ACK_NO_FLAG, 0);
        if (c->score > 0) {
            ev_df(c, x, W_SUPPORT);
            if (x->src && x->src->targets >= 2)
                featc(c, FC_HISTORY, W_SUPPORT, EV_TARGETS, x->src->targets);
        }
        if (oslike && x->src) {
            /* ordinary-looking SYNs: only behaviour can make them a scan */
            c->tech = WIP_TECH_CONNECT;
            if (x->src->targets >= ADDRESS_SCAN_TARGETS) {
                featc(c, FC_HISTORY, W_CLEAR, EV_ADDRESS_SCAN, x->src->targets);
                c->standalone = TRUE;
                if (x->src->rst_ans)
                    featc(c, FC_HISTORY, W_HINT, EV_RST_ANSWER, 0);
            }
        }
        return;
    }
    guint8 t = odd_flags_ev(p, core);
    if (t && !(core & WIP_TH_RST)) {
        featc(c, FC_FLAGS, core == WIP_TH_FIN ? W_SHAPE : W_ODD, t, 0);
        c->standalone = TRUE;
        ev_df(c, x, W_SUPPORT);
        if (x->no_opts)
            featc(c, FC_WEAK, W_HINT, EV_NO_OPTS, 0);
        return;
    }
    if (core & WIP_TH_ACK && !(core & (WIP_TH_SYN | WIP_TH_RST))) {
        if (p->seq == 0 && p->ack != 0)
            featc(c, FC_SEQ, W_FEATURE, EV_SEQ0, 0);
        if (c->score > 0) {
            ev_df(c, x, W_SUPPORT);
            if (x->src && x->src->targets >= 2)
                featc(c, FC_HISTORY, W_SUPPORT, EV_TARGETS, x->src->targets);
        }
    }
}

/* ------------------------------------------------------------------ */
/* verdict output                                                       */

gsize wip_probe_ev_text(const wip_probe_kind_t *k, guint i, char *buf, gsize len)
{
    if (!buf || len == 0)
        return 0;
    wip_sb_t t = { buf, 0, len };
    buf[0] = '\0';
    if (!k || i >= k->n_evidence || k->ev[i].id == EV_NONE || k->ev[i].id >= EV_COUNT)
        return 0;
    const wip_probe_ev_t *e = &k->ev[i];
    const char *q = ev_text[e->id];
    for (const char *pct; (pct = strchr(q, '%')) != NULL; q = pct + 2) {
        wip_sb_add(&t, q, (gsize)(pct - q));
        switch (pct[1]) {
        case 'u': wip_sb_uint(&t, e->num); break;
        case 't': wip_sb_str(&t, wip_tool_name((wip_tool_t)e->num)); break;
        case 'o': wip_sb_str(&t, e->num < G_N_ELEMENTS(os_probes) ? os_probes[e->num].label : "?"); break;
        case 'n': wip_sb_add(&t, k->name, strnlen(k->name, sizeof k->name)); break;
        case '\0': return t.n;
        default: wip_sb_add(&t, pct + 1, 1); break;
        }
    }
    wip_sb_str(&t, q);
    return t.n;
}

gsize wip_probe_kind_msg(const wip_probe_kind_t *k, char *buf, gsize len)
{
    if (!buf || len == 0)
        return 0;
    wip_sb_t t = { buf, 0, len };
    const char *tool = wip_tool_name((wip_tool_t)k->tool), *tech = wip_technique_name((wip_technique_t)k->technique);
    wip_sb_add(&t, k->attributed ? "likely " : "suspicious ", k->attributed ? 7 : 11);
    wip_sb_add(&t, tool, strlen(tool));
    wip_sb_add(&t, " ", 1);
    gsize tl = strlen(tech);
    wip_sb_add(&t, tech, tl);
    if (tl >= 5 && memcmp(tech + tl - 5, "probe", 5) == 0)
        wip_sb_add(&t, " (", 2);        /* "service-probe", not "service-probe probe" */
    else
        wip_sb_add(&t, " probe (", 8);
    wip_sb_uint(&t, k->confidence);
    wip_sb_add(&t, "%)", 2);
    return t.n;
}

/* over the kind's bytes in 8-byte words (a kind is zeroed before it is
 * filled, so equal verdicts are equal bytes) */
guint wip_probe_kind_hash(gconstpointer key)
{
    const guint8 *b = key;
    guint64 h = 0;
    G_STATIC_ASSERT(sizeof(wip_probe_kind_t) % 8 == 0);
    for (gsize i = 0; i < sizeof(wip_probe_kind_t); i += 8) {
        guint64 w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
    }
    return (guint)(mix64(h) >> 32);
}

gboolean wip_probe_kind_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(wip_probe_kind_t)) == 0;
}

static void emit(wip_probe_verdict_t *out, const cand_t *c)
{
    guint idx[MAXF];
    guint n = 0;
    wip_probe_kind_t *k = &out->k;
    out->is_probe = TRUE;
    k->confidence = (guint8)(c->score > 99 ? 99 : c->score);
    k->tool = (guint8)(cand_tool(c) ? c->tool : WIP_TOOL_UNKNOWN);
    k->technique = (guint8)c->tech;
    k->attributed = k->tool != WIP_TOOL_UNKNOWN && c->score >= WIP_SCORE_ATTRIBUTE;
    if (c->name)
        g_strlcpy(k->name, c->name, sizeof k->name);
    /* keep the heaviest features, in their original order among equals */
    for (guint i = 0; i < c->nf; i++) {
        guint j = n++;
        while (j > 0 && c->f[idx[j - 1]].w < c->f[i].w) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    if (n > WIP_PROBE_MAX_EVIDENCE)
        n = WIP_PROBE_MAX_EVIDENCE;
    for (guint i = 0; i < n; i++) {
        k->ev[i].id = c->f[idx[i]].id;
        k->ev[i].num = c->f[idx[i]].num;
    }
    k->n_evidence = (guint8)n;
    out->sig = wip_probe_kind_hash(k) | 1u;
}

static void verdict_clear(wip_probe_verdict_t *out)
{
    memset(out, 0, sizeof *out);
}

/* ------------------------------------------------------------------ */
/* per-kind classifiers                                                 */

/* ---- UDP signatures: one table, scored like tcp_sigs ---------------- */
enum { UP_EMPTY, UP_ANY_DATA, UP_PAD_X };   /* payload rules */
enum { UN_TTL_NMAP_OR_DIFF = 1 << 0, UN_TTL_HIGH = 1 << 1, UN_IPID = 1 << 2 };

typedef struct {
    wip_tool_t tool;
    guint8 payload; gint8 w_payload; gboolean standalone;
    guint8 need;
    guint16 ipid_val; gint8 w_ipid;
    guint8 ttl; gint8 w_ttl;
    gint8 w_df, w_ttl_diff, w_sport_inc, w_same_sport;
} udp_sig_t;

static const udp_sig_t udp_sigs[] = {
    /* any tool: an empty datagram to the port */
    { .tool = WIP_TOOL_UNKNOWN, .payload = UP_EMPTY, .w_payload = 35, .standalone = TRUE,
      .ttl = TTLC_HIGH, .w_ttl = 5, .w_df = 5 },
    /* nmap -sU: no payload for this port in nmap-payloads, TTL random 37-59 */
    { .tool = WIP_TOOL_NMAP, .payload = UP_EMPTY, .w_payload = 35, .standalone = TRUE,
      .need = UN_TTL_NMAP_OR_DIFF, .ttl = TTLC_NMAP, .w_ttl = 15, .w_df = 10, .w_ttl_diff = 15 },
    /* hping3 --udp: empty, or -d N bytes of 'X' padding; source port +1 */
    { .tool = WIP_TOOL_HPING3, .payload = UP_EMPTY, .w_payload = 35, .standalone = TRUE,
      .ttl = TTLC_64, .w_ttl = 5, .w_df = 5, .w_sport_inc = 20 },
    { .tool = WIP_TOOL_HPING3, .payload = UP_PAD_X, .w_payload = 35,
      .ttl = TTLC_64, .w_ttl = 5, .w_df = 5, .w_sport_inc = 20 },
    /* masscan -pU: empty payload to a port it has no probe for, TTL 255,
     * one source port per run */
    { .tool = WIP_TOOL_MASSCAN, .payload = UP_EMPTY, .w_payload = 35, .standalone = TRUE,
      .need = UN_TTL_HIGH, .ttl = TTLC_HIGH, .w_ttl = 20, .w_df = 5, .w_same_sport = 10 },
    /* zmap -M udp with any payload (--probe-args): IP ID 54321, TTL 255 */
    { .tool = WIP_TOOL_ZMAP, .payload = UP_ANY_DATA, .need = UN_IPID | UN_TTL_HIGH,
      .ipid_val = 54321, .w_ipid = 40, .ttl = TTLC_HIGH, .w_ttl = 15, .w_df = 5 },
};

static gboolean pad_x(const guint8 *pl, guint32 cl, guint32 len)
{
    if (len < 4 || cl != len)
        return FALSE;
    for (guint32 i = 0; i < cl; i++)
        if (pl[i] != 'X')
            return FALSE;
    return TRUE;
}

/* FALSE (and *c untouched) when the row does not apply */
static gboolean score_udp_sig(cand_t *c, const udp_sig_t *g, const ctx_t *x, const guint8 *pl, guint32 cl)
{
    const wip_pkt_t *p = x->p;
    gboolean ipid = x->v4 && g->w_ipid && p->ip_id == g->ipid_val;
    if ((g->payload == UP_EMPTY) != (p->payload_len == 0)) return FALSE;
    if ((g->need & UN_TTL_NMAP_OR_DIFF) && !x->ttl_nmap && !x->ttl_diff) return FALSE;
    if ((g->need & UN_TTL_HIGH) && !x->ttl_high) return FALSE;
    if ((g->need & UN_IPID) && !ipid) return FALSE;
    if (g->payload == UP_PAD_X && !pad_x(pl, cl, p->payload_len)) return FALSE;
    cand_init(c, g->tool, WIP_TECH_UDP);
    if (g->payload == UP_EMPTY)
        featc(c, FC_PAYLOAD, g->w_payload, EV_EMPTY_UDP, 0);
    else if (g->payload == UP_PAD_X)
        featc(c, FC_PAYLOAD, g->w_payload, EV_PAD_X, p->payload_len);
    c->standalone = g->standalone;
    if (ipid)
        featc(c, FC_IPID, g->w_ipid, EV_IPID, p->ip_id);
    ev_ip_common(c, x, g->ttl, g->w_ttl, g->w_df, g->w_ttl_diff, g->w_sport_inc);
    if (g->w_same_sport && x->same_sport_other_dst)
        featc(c, FC_HISTORY, g->w_same_sport, EV_SAME_SPORT, 0);
    return TRUE;
}

/* ---- payload constants of scanners (client side, TCP and UDP) -------
 * Scanners that announce themselves do it in the User-Agent header of an
 * HTTP or SIP request: the request must start with an upper-case token,
 * the header is looked for once in its first PAYLOAD_SCAN_LEN bytes, and
 * only its value is matched against the table. */
#define PAYLOAD_SCAN_LEN 2048

typedef struct {
    const char *text;       /* in the User-Agent value */
    wip_tool_t tool;
    wip_technique_t tech;
    guint8 transports;      /* 1 TCP, 2 UDP */
    gint8 w;
    guint8 evidence;        /* EV_* */
} payload_sig_t;

static const payload_sig_t payload_sigs[] = {
    /* nselib/http.lua USER_AGENT */
    { "Nmap Scripting Engine", WIP_TOOL_NMAP, WIP_TECH_SCRIPT, 3, 95,
      EV_UA_NSE },
    { "CensysInspect", WIP_TOOL_CENSYS, WIP_TECH_BANNER_GRAB, 1, 95, EV_UA_CENSYS },
    /* masscan --hello=http: "masscan/1.3 (https://github.com/robertdavidgraham/masscan)" */
    { "masscan/", WIP_TOOL_MASSCAN, WIP_TECH_BANNER_GRAB, 1, 90,
      EV_UA_MASSCAN },
    { "zgrab/", WIP_TOOL_ZGRAB, WIP_TECH_BANNER_GRAB, 1, 90, EV_UA_ZGRAB },
    /* SIPVicious svmap / svwar / svcrack (svhelper.py: makeRequest) */
    { "friendly-scanner", WIP_TOOL_SIPVICIOUS, WIP_TECH_SIP_SCAN, 3, 90,
      EV_UA_SIPVICIOUS },
};

static gboolean upper_token(const guint8 *pl, guint32 cl)
{
    guint32 i = 0;
    while (i < cl && i < 16 && pl[i] >= 'A' && pl[i] <= 'Z')
        i++;
    return i >= 3 && i < cl && pl[i] == ' ';
}

static gboolean classify_payload_sigs(const ctx_t *x, const guint8 *pl, guint32 cl, cand_t *best)
{
    cand_t c;
    guint8 tr = x->p->transport == WIP_TRANSPORT_TCP ? 1 : 2;
    if (!upper_token(pl, cl))
        return FALSE;
    gsize lim = cl < PAYLOAD_SCAN_LEN ? cl : PAYLOAD_SCAN_LEN;
    const guint8 *ua = mem_find(pl, lim, "User-Agent:", 11);
    if (!ua)
        return FALSE;
    const guint8 *v = ua + 11, *end = pl + lim;
    const guint8 *eol = memchr(v, '\n', (gsize)(end - v));
    gsize vlen = (gsize)((eol ? eol : end) - v);
    for (guint i = 0; i < G_N_ELEMENTS(payload_sigs); i++) {
        const payload_sig_t *g = &payload_sigs[i];
        if (!(g->transports & tr) || !mem_find(v, vlen, g->text, strlen(g->text)))
            continue;
        cand_init(&c, g->tool, g->tech);
        featc(&c, FC_PAYLOAD, g->w, g->evidence, 0);
        c.standalone = TRUE;
        if (g->tool == WIP_TOOL_SIPVICIOUS && mem_find(pl, lim, "\"sipvicious\"", 12))
            featc(&c, FC_PAYLOAD, W_HINT, EV_SIPVICIOUS_NAME, 0);
        pick(best, &c);
        return TRUE;
    }
    return FALSE;
}

/* Support for a payload that equals a client-like service probe: the
 * source was already identified as nmap, or it sent at least two earlier
 * probes rising in nmap's order (nmap sends them in file order; a client that repeats one
 * request does not step through the list). */
static void svc_support(cand_t *c, const ctx_t *x, const svc_ent_t *e)
{
    const probe_src_t *s = x->src;
    if (!s)
        return;
    if (s->tool == WIP_TOOL_NMAP && s->tool_conf >= WIP_SCORE_ATTRIBUTE)
        featc(c, FC_HISTORY, W_SUPPORT, EV_SRC_TOOL, WIP_TOOL_NMAP);
    else if (e->order && s->last_svc_order && e->order > s->last_svc_order && s->svc_steps >= 1)
        featc(c, FC_HISTORY, W_SUPPORT, EV_SVC_ORDER, 0);
}

static probe_src_t *src_get(wip_probe_tracker_t *t, const guint8 addr[16], guint64 h, gboolean insert);

/* remember the probe's place in nmap's order for its source (inserted now
 * if new: an ordinary connection's first payload does not cost a source) */
static void svc_remember(const ctx_t *x, const svc_ent_t *e)
{
    probe_src_t *s = x->src;
    if (!e->order)
        return;
    if (!s && x->t)
        s = src_get(x->t, x->cli, x->hc, TRUE);
    if (s) {
        /* one rising step happens between any two requests a client makes
         * (a newer nmap file matches more of them): count the steps */
        if (s->last_svc_order && e->order > s->last_svc_order)
            s->svc_steps = (guint8)MIN(s->svc_steps + 1, 255);
        else
            s->svc_steps = 0;
        s->last_svc_order = e->order;
    }
}

static void svc_candidate(cand_t *c, const ctx_t *x, const svc_ent_t *e, int w)
{
    cand_init(c, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE);
    c->name = e->name;
    featc(c, FC_PAYLOAD, w, EV_SVC_PROBE, 0);
    /* bytes only nmap sends stand alone; bytes clients send need support */
    c->standalone = !e->client_like;
    if (e->client_like && c->nf < MAXF)
        featc(c, 0, 0, EV_CLIENT_LIKE, 0);
    svc_support(c, x, e);
}

static void classify_udp(const ctx_t *x, const wip_svc_probes_t *svc, cand_t *best)
{
    const wip_pkt_t *p = x->p;
    cand_t c;
    const guint8 *pl = p->payload;
    guint32 cl = p->payload_caplen < p->payload_len ? p->payload_caplen : p->payload_len;
    if (!pl)
        cl = 0;
    if (p->payload_len > 0 && cl == 0)
        return;

    if (p->payload_len > 0) {
        /* nmap -O U1: 300 bytes of 'C', IP ID 0x1042 */
        if (p->payload_len == NMAP_U1_LEN && pl[0] == 'C') {
            guint32 i = 0;
            while (i < cl && pl[i] == 'C')
                i++;
            if (i == cl) {
                cand_init(&c, WIP_TOOL_NMAP, WIP_TECH_OS_DETECT);
                c.name = "U1";
                featc(&c, FC_PAYLOAD, W_PAYLOAD, EV_U1, 0);
                c.standalone = TRUE;
                if (x->v4 && p->ip_id == NMAP_U1_IPID)
                    featc(&c, FC_IPID, W_CLEAR, EV_IPID_1042, 0);
                ev_df(&c, x, W_HINT);
                if (x->ttl_nmap)
                    featc(&c, FC_WEAK, W_HINT, EV_TTL_NMAP, 0);
                pick(best, &c);
                return;
            }
        }
        /* zmap udp module default payload */
        static const char zp[] = "GET / HTTP/1.1\r\nHost: www\r\n\r\n";
        if (p->payload_len == sizeof zp - 1 && cl == sizeof zp - 1 && memcmp(pl, zp, cl) == 0) {
            cand_init(&c, WIP_TOOL_ZMAP, WIP_TECH_UDP);
            featc(&c, FC_PAYLOAD, W_PAYLOAD, EV_ZMAP_UDP, 0);
            c.standalone = TRUE;
            if (x->v4 && p->ip_id == 54321)
                featc(&c, FC_IPID, W_CLEAR, EV_IPID_54321, 0);
            if (x->ttl_high)
                ev_ttl_high(&c, x, W_SUPPORT);
            ev_df(&c, x, W_HINT);
            pick(best, &c);
            return;
        }
        if (classify_payload_sigs(x, pl, cl, best))
            return;
        const svc_ent_t *e = svc_match_ex(svc, WIP_TRANSPORT_UDP, pl, cl, p->payload_len);
        if (e) {
            svc_candidate(&c, x, e, e->len >= SVC_UDP_LONG ? W_SVC_UDP : W_SVC_UDP_SHORT);
            ev_df(&c, x, W_HINT);
            if (x->ttl_nmap)
                featc(&c, FC_WEAK, W_HINT, EV_TTL_NMAP, 0);
            pick(best, &c);
            svc_remember(x, e);
        }
    }
    for (guint i = 0; i < G_N_ELEMENTS(udp_sigs); i++) {
        if (!score_udp_sig(&c, &udp_sigs[i], x, pl, cl))
            continue;
        add_behaviour(&c, x, FALSE);
        pick(best, &c);
    }
}

static void classify_tcp_payload(const ctx_t *x, const wip_svc_probes_t *svc,
                                 const probe_flow_t *fl, guint16 prev_state, cand_t *best)
{
    const wip_pkt_t *p = x->p;
    cand_t c;
    const guint8 *pl = p->payload;
    guint32 cl = p->payload_caplen < p->payload_len ? p->payload_caplen : p->payload_len;
    if (!pl || cl == 0)
        return;
    if (fl && (prev_state & F_CDATA)) {
        /* later requests of a session: only scanner self-announcements */
        if (pl[0] >= 'A' && pl[0] <= 'Z')
            classify_payload_sigs(x, pl, cl, best);
        return;
    }

    const svc_ent_t *e = svc_match_ex(svc, WIP_TRANSPORT_TCP, pl, cl, p->payload_len);
    if (e) {
        svc_candidate(&c, x, e, (e->mode == SVC_EXACT && e->len < SVC_DISTINCT_LEN) ? W_SVC_SHORT : W_SVC);
        /* nmap reuses the NULL-probe connection: ~6 s of silence after the
         * handshake, then the first probe on the same connection */
        if (fl && (prev_state & F_EST) && !(prev_state & F_SDATA)) {
            double idle = p->ts - fl->t_est;
            if (idle >= NMAP_NULL_WAIT_MIN && idle < NMAP_NULL_WAIT_MAX)
                featc(&c, FC_WEAK, W_HINT, EV_NULL_WAIT, (guint)(idle + 0.5));
        }
        pick(best, &c);
        svc_remember(x, e);
        return;
    }
    if (pl[0] >= 'A' && pl[0] <= 'Z' && classify_payload_sigs(x, pl, cl, best))
        return;
    gboolean ack_data = fl && (prev_state & F_SYNACK) && !(prev_state & F_EST) &&
                        (p->flags & WIP_TH_ACK);
    if (p->payload_len == 1 && pl[0] == '\n') {
        /* a lone newline is also what a person pressing Enter sends */
        cand_init(&c, WIP_TOOL_ZGRAB, WIP_TECH_BANNER_GRAB);
        featc(&c, FC_PAYLOAD, W_TOOL, EV_NEWLINE, 0);
        if (fl && (prev_state & F_EST) && p->ts - fl->t_est < RIGHT_AFTER_S)
            featc(&c, FC_FLAGS, W_SUPPORT, EV_RIGHT_AFTER, 0);
        if (x->src && x->src->tool == WIP_TOOL_ZGRAB && x->src->tool_conf >= WIP_SCORE_ATTRIBUTE)
            featc(&c, FC_HISTORY, W_SUPPORT, EV_SRC_TOOL, WIP_TOOL_ZGRAB);
        pick(best, &c);
    }
    if (ack_data) {
        /* LZR: SYN seq < 65536, data on the handshake ACK (ACK+PSH); data
         * on the handshake ACK alone is what several stacks do */
        cand_init(&c, WIP_TOOL_LZR, WIP_TECH_BANNER_GRAB);
        featc(&c, FC_FLAGS, W_CLEAR, EV_ACK_DATA, 0);
        if (fl->isn < LZR_ISN_LIMIT)
            featc(&c, FC_SEQ, W_SHAPE, EV_LOW_ISN, 0);
        if (p->ttl == 64)
            featc(&c, FC_WEAK, W_HINT, EV_TTL64, 0);
        else if (p->ttl < 64 && p->ttl > 32)
            featc(&c, FC_WEAK, W_HINT, EV_TTL_64ISH, p->ttl);
        pick(best, &c);
    }
}

/* client closes a completed handshake without any data: health checks do
 * the same, so one connection is never enough */
static void classify_close(const ctx_t *x, const probe_flow_t *fl, cand_t *best)
{
    const wip_pkt_t *p = x->p;
    const probe_src_t *s = x->src;
    cand_t c;
    double el = p->ts - fl->t_est;
    gboolean rst = (p->flags & WIP_TH_RST) != 0;
    gboolean src_nmap = s && s->tool == WIP_TOOL_NMAP && s->tool_conf >= WIP_SCORE_ATTRIBUTE;
    if (el < 0)
        el = 0;
    if (el >= NMAP_NULL_WAIT_MIN && el < HELD_MAX_S) {
        /* nmap -sV NULL probe: connect, wait ~6 s for a banner, close */
        cand_init(&c, src_nmap ? WIP_TOOL_NMAP : WIP_TOOL_UNKNOWN, WIP_TECH_SERVICE_PROBE);
        c.name = "NULL";
        featc(&c, FC_FLAGS, W_SHAPE, EV_HELD, (guint)(el + 0.5));
        if (src_nmap)
            featc(&c, FC_HISTORY, W_SHAPE, EV_SRC_TOOL, WIP_TOOL_NMAP);
        pick(best, &c);
        return;
    }
    if (el >= NMAP_NULL_WAIT_MIN)
        return;
    cand_init(&c, src_nmap ? WIP_TOOL_NMAP : WIP_TOOL_UNKNOWN, WIP_TECH_CONNECT);
    if (rst) {
        featc(&c, FC_FLAGS, W_ODD, EV_CONN_RST, 0);
        if (el < QUICK_RST_S)
            featc(&c, FC_WEAK, W_HINT, EV_RST_MS, (guint)(el * 1000));
    } else {
        featc(&c, FC_FLAGS, W_FEATURE, EV_CONN_FIN, 0);
    }
    if (s && s->conn_close >= 2)   /* this one is the third */
        featc(&c, FC_HISTORY, W_REPEAT, EV_CLOSES, s->conn_close + 1u);
    if (s && s->targets >= 2)
        featc(&c, FC_HISTORY, W_HINT, EV_CONN_TARGETS, s->targets);
    if (s && s->rst_ans)
        featc(&c, FC_HISTORY, W_HINT, EV_RST_ANSWER, 0);
    if (src_nmap)
        featc(&c, FC_HISTORY, W_CLEAR, EV_SRC_TOOL, WIP_TOOL_NMAP);
    pick(best, &c);
}

/* client closes after reading the server's banner, having sent nothing:
 * nmap -sV's NULL probe against a service that speaks first.  Common for
 * ordinary clients too (an SSH client that gives up), so only for a source
 * already identified as nmap. */
static void classify_banner_close(const ctx_t *x, cand_t *best)
{
    const probe_src_t *s = x->src;
    cand_t c;
    if (!(s && s->tool == WIP_TOOL_NMAP && s->tool_conf >= WIP_SCORE_ATTRIBUTE))
        return;
    cand_init(&c, WIP_TOOL_NMAP, WIP_TECH_SERVICE_PROBE);
    c.name = "NULL";
    featc(&c, FC_FLAGS, W_SHAPE, EV_BANNER_CLOSE, 0);
    featc(&c, FC_HISTORY, W_SHAPE, EV_SRC_TOOL, WIP_TOOL_NMAP);
    pick(best, &c);
}

/* masscan --banners completes the handshake with its own TCP stack */
static void classify_masscan_ack(const ctx_t *x, cand_t *best)
{
    const wip_pkt_t *p = x->p;
    cand_t c;
    cand_init(&c, WIP_TOOL_MASSCAN, WIP_TECH_BANNER_GRAB);
    featc(&c, FC_HISTORY, W_DISTINCT, EV_MASSCAN_ACK, 0);
    if (p->window == 1200)
        featc(&c, FC_WINDOW, W_CLEAR, EV_MASSCAN_WIN, 0);
    if (p->ttl == 255)
        featc(&c, FC_TTL255, W_HINT, EV_TTL255, 0);
    pick(best, &c);
}

/* ------------------------------------------------------------------ */
/* main entry                                                           */

static inline guint64 flow_hash(guint64 hc, guint64 hs, guint16 cport, guint16 sport, guint8 tr)
{
    return mix64(hc ^ (hs * G_GUINT64_CONSTANT(0x9ddfea08eb382d69)) ^
                 (((guint64)cport << 24) | ((guint64)sport << 8) | tr));
}

/* svc == NULL: fall back to one process-wide built-in set (created once) */
static const wip_svc_probes_t *builtin_svc(void)
{
    static gsize once = 0;
    static wip_svc_probes_t *bi;
    if (g_once_init_enter(&once)) {
        bi = wip_svc_probes_new();
        g_once_init_leave(&once, 1);
    }
    return bi;
}


/* The packet's facts, its client and server addresses and their hashes. */
static void ctx_setup(ctx_t *x, wip_probe_tracker_t *t, const wip_pkt_t *p, guint8 cli[16], guint64 *hs)
{
    memset(x, 0, sizeof *x);
    x->p = p;
    x->v4 = p->ip_version == 4;
    x->v6 = p->ip_version == 6;
    x->df_clear = x->v4 && !p->df;
    x->core = p->flags & TH_CORE;
    x->ttl_nmap = p->ip_version && p->ttl >= 37 && p->ttl <= 59;
    x->ttl_high = p->ip_version && p->ttl > 192;
    guint8 srv[16];
    addr_norm(cli, p->dir == WIP_DIR_FROM_PORT ? p->dst : p->src, x->v6);
    addr_norm(srv, p->dir == WIP_DIR_FROM_PORT ? p->src : p->dst, x->v6);
    x->hc = addr_hash(cli);
    *hs = addr_hash(srv);
    x->t = t;
    x->cli = cli;
}

static guint64 ctx_flow_hash(const ctx_t *x, guint64 hs)
{
    const wip_pkt_t *p = x->p;
    guint16 cport = p->dir == WIP_DIR_FROM_PORT ? p->dport : p->sport;
    guint16 sport = p->dir == WIP_DIR_FROM_PORT ? p->sport : p->dport;
    return flow_hash(x->hc, hs, cport, sport, p->transport);
}

/* From the wip port: never a probe.  Flow state (SYN/ACK seen, "SYN
 * answered by RST with no data") and the peer's counters. */
static void track_from_port(wip_probe_tracker_t *t, const ctx_t *x, guint64 fh, wip_probe_verdict_t *out)
{
    const wip_pkt_t *p = x->p;
    probe_src_t *s = src_get(t, x->cli, x->hc, FALSE);
    if (p->transport == WIP_TRANSPORT_TCP) {
        probe_flow_t *fl = flow_get(t, fh, FALSE);
        if (fl) {
            if ((p->flags & (WIP_TH_SYN | WIP_TH_ACK)) == (WIP_TH_SYN | WIP_TH_ACK))
                fl->state |= F_SYNACK;
            if (p->flags & WIP_TH_RST) {
                if ((fl->state & F_SYN) && !(fl->state & (F_SYNACK | F_SRST)) && s && s->rst_ans < 255)
                    s->rst_ans++;
                fl->state |= F_SRST;
            }
            if (p->flags & WIP_TH_FIN)
                fl->state |= F_SFIN;
            if (p->payload_len)
                fl->state |= F_SDATA;
        }
    } else if (p->payload_len) {
        /* UDP answer with data: the flow is a session */
        probe_flow_t *fl = flow_get(t, fh, TRUE);
        if (fl)
            fl->state |= F_SDATA;
    }
    if (s) {
        out->src_probes = s->probes;
        out->src_targets = s->targets;
    }
}

/* The packet's flow to the port: its state before this packet, a SYN
 * retransmission, and whether the packet may open or probe (a candidate,
 * which updates the source's last_* fields). */
typedef struct {
    probe_flow_t *fl;
    guint16 prev_state;
    gboolean candidate, retrans;
} flow_view_t;

static void track_flow(wip_probe_tracker_t *t, const wip_pkt_t *p, guint64 fh, flow_view_t *v)
{
    v->fl = NULL;
    v->prev_state = 0;
    v->candidate = TRUE;
    v->retrans = FALSE;
    if (p->transport == WIP_TRANSPORT_TCP) {
        gboolean syn = (p->flags & (WIP_TH_SYN | WIP_TH_ACK | WIP_TH_RST)) == WIP_TH_SYN;
        probe_flow_t *fl = t ? flow_get(t, fh, syn) : NULL;
        if (fl) {
            v->prev_state = fl->state;
            if (syn) {
                if ((fl->state & F_SYN) && fl->isn == p->seq && !(fl->state & F_EST))
                    v->retrans = TRUE;
                else if (fl->state & (F_SYNACK | F_SRST | F_EST | F_DONE) || fl->isn != p->seq) {
                    fl->state = 0;      /* new connection on a reused tuple */
                    v->prev_state = 0;
                }
                fl->state |= F_SYN;
                fl->isn = p->seq;
            }
        }
        v->fl = fl;
        if (!syn && fl && (v->prev_state & (F_SYNACK | F_EST)))
            v->candidate = FALSE;       /* part of a session */
        else if (!syn && p->payload_len > 0)
            v->candidate = FALSE;       /* data: judged by the payload path */
    } else if (t) {
        /* UDP: an empty datagram inside a flow that already carried data
         * both ways (e.g. an application keep-alive) is not a probe. */
        probe_flow_t *fl = flow_get(t, fh, p->payload_len > 0);
        if (fl) {
            v->prev_state = fl->state;
            if (p->payload_len)
                fl->state |= F_CDATA;
            else if ((v->prev_state & (F_CDATA | F_SDATA)) == (F_CDATA | F_SDATA))
                v->candidate = FALSE;
        }
        v->fl = fl;
    }
}

/* The source (inserted only for a candidate) and its comparisons with the
 * source's previous candidate. */
static void src_prepare(ctx_t *x, guint64 hs, const flow_view_t *v)
{
    const wip_pkt_t *p = x->p;
    probe_src_t *s = src_get(x->t, x->cli, x->hc, v->candidate);
    x->src = s;
    x->dst_hash = (guint32)(hs >> 32) | 1;
    if (!s || !v->candidate || v->retrans)
        return;
    if (s->has_last) {
        x->same_seq = p->transport == WIP_TRANSPORT_TCP && p->seq != 0 && p->seq == s->last_seq &&
                      (x->dst_hash != s->last_dst || p->sport != s->last_sport);
        x->sport_inc = (guint16)(s->last_sport + 1) == p->sport;
        x->same_sport_other_dst = p->sport == s->last_sport && x->dst_hash != s->last_dst;
        x->ttl_diff = p->ttl != s->last_ttl && p->ip_version;
    }
    src_add_target(s, x->dst_hash);     /* counts include this packet */
}

/* A TCP packet that may open or probe: every signature of its shape. */
static void classify_tcp_open(const ctx_t *x, cand_t *best)
{
    cand_t c;
    gboolean issyn = x->core == WIP_TH_SYN;
    guint8 kind = flag_kind(x->p, x->core);
    if (prof_nmap_os(&c, x)) {
        add_behaviour(&c, x, issyn);
        pick(best, &c);
    }
    for (guint i = 0; i < G_N_ELEMENTS(tcp_sigs); i++) {
        if (!sig_applies(&tcp_sigs[i], x, kind) || !score_tcp_sig(&c, &tcp_sigs[i], x, kind))
            continue;
        add_behaviour(&c, x, issyn);
        pick(best, &c);
    }
    if (!cand_flag(best)) {
        prof_generic_tcp(&c, x);
        pick(best, &c);
    }
}

/* A TCP packet of an established or half-open flow. */
static void classify_tcp_flow(const ctx_t *x, const flow_view_t *v, cand_t *best)
{
    const wip_pkt_t *p = x->p;
    probe_flow_t *fl = v->fl;
    probe_src_t *s = x->src;
    guint16 ps = v->prev_state;
    cand_t c;
    if ((p->flags & WIP_TH_RST) && (ps & F_SYNACK) && !(ps & F_EST)) {
        /* scanner answering a SYN/ACK with RST: masscan's own RST, or the
         * scanning host's kernel after a raw SYN (half-open) */
        for (guint i = 0; i < G_N_ELEMENTS(tcp_sigs); i++) {
            if (tcp_sigs[i].tool != WIP_TOOL_MASSCAN || !score_tcp_sig(&c, &tcp_sigs[i], x, K_RST))
                continue;
            add_behaviour(&c, x, FALSE);
            pick(best, &c);
        }
        if (s && !(ps & F_CRST) && s->half_open < 255)
            s->half_open++;
    } else if ((p->flags & (WIP_TH_ACK | WIP_TH_SYN | WIP_TH_RST | WIP_TH_FIN)) == WIP_TH_ACK &&
               (ps & F_SYNACK) && !(ps & F_EST) && fl->syn_tool == WIP_TOOL_MASSCAN && p->payload_len == 0) {
        classify_masscan_ack(x, best);
    } else if ((p->flags & (WIP_TH_RST | WIP_TH_FIN)) && (ps & F_EST) &&
               !(ps & (F_CDATA | F_SDATA | F_DONE | F_SFIN | F_SRST)) && p->payload_len == 0) {
        classify_close(x, fl, best);
        fl->state |= F_DONE;
        if (s && s->conn_close < 255)
            s->conn_close++;
    } else if ((p->flags & (WIP_TH_RST | WIP_TH_FIN)) && (ps & F_EST) && (ps & F_SDATA) &&
               !(ps & (F_CDATA | F_DONE)) && p->payload_len == 0) {
        classify_banner_close(x, best);
        fl->state |= F_DONE;
    }
}

/* The client's side of the flow after this packet. */
static void flow_update_client(probe_flow_t *fl, const wip_pkt_t *p)
{
    if (!fl)
        return;
    if ((p->flags & (WIP_TH_ACK | WIP_TH_SYN | WIP_TH_RST)) == WIP_TH_ACK &&
        (fl->state & F_SYNACK) && !(fl->state & F_EST)) {
        fl->state |= F_EST;
        fl->t_est = p->ts;
        if (p->payload_len)
            fl->state |= F_ACKDATA;
    }
    if (p->payload_len)
        fl->state |= F_CDATA;
    if (p->flags & WIP_TH_RST)
        fl->state |= F_CRST;
    if (p->flags & WIP_TH_FIN)
        fl->state |= F_CFIN;
}

/* The source after the verdict: its probe count, tool memory and last_*
 * fields; the verdict's counters. */
static void src_update(ctx_t *x, const flow_view_t *v, wip_probe_verdict_t *out)
{
    const wip_pkt_t *p = x->p;
    probe_src_t *s = x->src;
    if (x->t && !s && out->is_probe) {
        s = src_get(x->t, x->cli, x->hc, TRUE);     /* flagged payload from a new source */
        if (s)
            src_add_target(s, x->dst_hash);
    }
    if (!s)
        return;
    if (out->is_probe) {
        s->probes++;
        if (out->k.attributed) {
            s->tool = out->k.tool;
            s->tool_conf = out->k.confidence;
        }
        if (v->fl && (p->flags & WIP_TH_SYN))
            v->fl->syn_tool = out->k.tool;
    }
    if (v->candidate && !v->retrans) {
        if (x->same_seq && s->same_seq < 255) s->same_seq++;
        if (x->sport_inc && s->sport_inc < 255) s->sport_inc++;
        if (x->ttl_diff && s->ttl_var < 255) s->ttl_var++;
        s->last_seq = p->seq;
        s->last_dst = x->dst_hash;
        s->last_sport = p->sport;
        s->last_ttl = p->ttl;
        s->has_last = 1;
    }
    out->src_probes = s->probes;
    out->src_targets = s->targets;
}

/* One packet, in steps: the packet's facts; from the port, flow state
 * only; to the port, flow tracking, the source, the candidates of its kind
 * (UDP; TCP opening; TCP in a flow; payload), the verdict, the source
 * update. */
void wip_probe_classify(wip_probe_tracker_t *t, const wip_svc_probes_t *svc,
                        const wip_pkt_t *p, wip_probe_verdict_t *out)
{
    verdict_clear(out);
    if (!svc)
        svc = builtin_svc();
    if (!p || (p->transport != WIP_TRANSPORT_TCP && p->transport != WIP_TRANSPORT_UDP))
        return;
    if (t && t->magic != WIP_TRACKER_MAGIC)
        t = NULL;
    if (t)
        t->tick++;
    ctx_t x;
    guint8 cli[16];
    guint64 hs;
    ctx_setup(&x, t, p, cli, &hs);
    guint64 fh = ctx_flow_hash(&x, hs);
    if (p->dir != WIP_DIR_TO_PORT) {
        if (p->dir == WIP_DIR_FROM_PORT && t)
            track_from_port(t, &x, fh, out);
        return;
    }
    flow_view_t v;
    track_flow(t, p, fh, &v);
    if (t)
        src_prepare(&x, hs, &v);
    cand_t best;
    cand_init(&best, WIP_TOOL_NONE, WIP_TECH_NONE);
    if (p->transport == WIP_TRANSPORT_UDP) {
        if (v.candidate)
            classify_udp(&x, svc, &best);
    } else {
        parse_opts(&x);
        if (v.candidate)
            classify_tcp_open(&x, &best);
        else if (v.fl)
            classify_tcp_flow(&x, &v, &best);
        if (p->payload_len > 0)
            classify_tcp_payload(&x, svc, v.fl, v.prev_state, &best);
        flow_update_client(v.fl, p);
    }
    if (cand_flag(&best))
        emit(out, &best);
    src_update(&x, &v, out);
}
