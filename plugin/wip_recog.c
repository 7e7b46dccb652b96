/* wip_recog.c - recognise known protocols from payload bytes (pure C + GLib).
 *
 * Precision before recall: every claim rests on structural checks (lengths
 * that add up, versions in range, parsers that consume the buffer exactly).
 * Nothing here reads past len, allocates, or keeps global state.
 */
#include "wip_recog.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

const char *wip_proto_name(wip_proto_t p)
{
    return wip_proto_info(p)->name;
}

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

/* More named levels (0-100) used by the detectors */
#define WIP_CONF_EXACT     100  /* a fixed signature seen whole (the HTTP/2 preface) */
#define WIP_CONF_WHOLE      92  /* several whole units of the protocol, all consistent */
#define WIP_CONF_GOOD       85  /* signature and structure, the last unit cut by the segment end */
#define WIP_CONF_GOOD_CUT   82  /* a known message cut before its structure could be checked */
#define WIP_CONF_FAIR       75  /* structure holds, nothing specific to the protocol beyond it */
#define WIP_CONF_LOCKS      70  /* just enough to lock a conversation (WIP_RECOG_LOCK_MIN) */
#define WIP_CONF_SHAPE      55  /* a short message whose shape fits */
#define WIP_CONF_FITS       50  /* the shape fits and nothing else: shown, handed off, never locks */
#define WIP_CONF_FAINT      35  /* a tiny message many things share (unconfirmed) */
#define WIP_CONF_TRACE      25  /* a trace of the protocol, never handed off */
#define WIP_CONF_TRACE_MIN  20  /* the least claim worth naming */
G_STATIC_ASSERT(WIP_CONF_LOCKS == WIP_RECOG_LOCK_MIN);

static inline guint16 rd16(const guint8 *p) { return (guint16)((p[0] << 8) | p[1]); }
static inline guint32 rd24(const guint8 *p) { return ((guint32)p[0] << 16) | ((guint32)p[1] << 8) | p[2]; }
static inline guint32 rd32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static int claim(wip_recog_t *o, wip_proto_t p, int conf, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static int claim(wip_recog_t *o, wip_proto_t p, int conf, const char *fmt, ...)
{
    va_list ap;
    if (conf > 100) conf = 100;
    if (conf < 0) conf = 0;
    o->proto = p;
    o->confidence = (guint8)conf;
    if (conf <= o->floor) {        /* loses to a claim already made: no text */
        o->evidence[0] = '\0';
        return conf;
    }
    va_start(ap, fmt);
    g_vsnprintf(o->evidence, sizeof o->evidence, fmt, ap);
    va_end(ap);
    return conf;
}

static inline int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* b[off..] starts with s (exact) */
static gboolean has_prefix(const guint8 *b, gsize n, gsize off, const char *s)
{
    gsize l;
    if (off >= n || b[off] != (guchar)s[0])
        return s[0] == 0 && off <= n;
    l = strlen(s);
    return n - off >= l && memcmp(b + off, s, l) == 0;
}

/* b[off..] starts with s, ASCII case-insensitive */
static gboolean has_prefix_ci(const guint8 *b, gsize n, gsize off, const char *s)
{
    gsize i, l = strlen(s);
    if (off > n || n - off < l)
        return FALSE;
    for (i = 0; i < l; i++)
        if (lc(b[off + i]) != lc((guchar)s[i]))
            return FALSE;
    return TRUE;
}

/* first index >= from where s occurs (case-insensitive if ci), or -1; search limited to [from, end) */
static gssize find_str(const guint8 *b, gsize end, gsize from, const char *s, gboolean ci)
{
    gsize l = strlen(s), i;
    if (l == 0 || end < l)
        return -1;
    if (!ci) {
        for (i = from; i + l <= end; i++) {
            const guint8 *p = memchr(b + i, (guchar)s[0], end - l + 1 - i);
            if (!p)
                return -1;
            i = (gsize)(p - b);
            if (memcmp(p, s, l) == 0)
                return (gssize)i;
        }
        return -1;
    }
    {
        guint8 f = lc((guchar)s[0]);
        for (i = from; i + l <= end; i++) {
            if (lc(b[i]) == f && has_prefix_ci(b, end, i, s))
                return (gssize)i;
        }
    }
    return -1;
}

/* copy printable ASCII from b into dst (size dsz), stopping at CR/LF or stop char; '.' for others */
static void copy_printable(char *dst, gsize dsz, const guint8 *b, gsize n, int stop)
{
    gsize i, o = 0;
    if (dsz == 0)
        return;
    for (i = 0; i < n && o + 1 < dsz; i++) {
        guint8 c = b[i];
        if (c == '\r' || c == '\n' || (stop >= 0 && c == stop))
            break;
        dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
    }
    dst[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* text statistics                                                     */

typedef struct {
    gsize printable;    /* printable ASCII, TAB/CR/LF, valid UTF-8 sequences */
    gsize nul;
    gsize newlines;
    gboolean trailing_nul;
    gboolean aborted;   /* early stop: certainly not text, counts incomplete */
} text_stats_t;

/* early: stop as soon as more than 5% of the buffer is known non-printable */
static void text_scan(const guint8 *b, gsize n, text_stats_t *s, gboolean early)
{
    gsize i = 0, bad_max = n / 20;
    memset(s, 0, sizeof *s);
    while (i < n) {
        guint8 c = b[i];
        if (c < 0x80) {
            if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' || c == '\n') {
                s->printable++;
                if (c == '\n')
                    s->newlines++;
            } else {
                if (c == 0) {
                    s->nul++;
                    if (i == n - 1)
                        s->trailing_nul = TRUE;
                }
                if (early && i + 1 - s->printable > bad_max) {
                    s->aborted = TRUE;
                    return;
                }
            }
            i++;
            continue;
        }
        /* UTF-8 multi-byte sequence */
        {
            gsize need, k;
            guint8 lo = 0x80, hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) need = 1;
            else if (c >= 0xE0 && c <= 0xEF) { need = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
            else if (c >= 0xF0 && c <= 0xF4) { need = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
            else {
                i++;
                if (early && i - s->printable > bad_max) {
                    s->aborted = TRUE;
                    return;
                }
                continue;
            }
            for (k = 1; k <= need; k++) {
                if (i + k >= n) {
                    /* truncated at the end of the buffer: give it the benefit */
                    s->printable += k;
                    i += k;
                    goto next;
                }
                {
                    guint8 cc = b[i + k];
                    guint8 l = (k == 1) ? lo : 0x80, h = (k == 1) ? hi : 0xBF;
                    if (cc < l || cc > h)
                        break;
                }
            }
            if (k > need) {
                s->printable += need + 1;
                i += need + 1;
            } else {
                i++;
                if (early && i - s->printable > bad_max) {
                    s->aborted = TRUE;
                    return;
                }
            }
        }
next:
        ;
    }
}

static int printable_pct(const text_stats_t *s, gsize n)
{
    return n ? (int)((s->printable * 100) / n) : 0;
}

static gboolean stats_is_text(const text_stats_t *s, gsize n)
{
    gsize nul = s->nul - (s->trailing_nul ? 1 : 0);
    if (n == 0 || nul > 0 || s->aborted)
        return FALSE;
    return (s->printable * 100) >= n * 95;
}

/* ------------------------------------------------------------------ */
/* TLS                                                                 */

static const char *tls_ct_name(guint8 t)
{
    switch (t) {
    case 20: return "change_cipher_spec";
    case 21: return "alert";
    case 22: return "handshake";
    default: return "application_data";
    }
}

static const char *tls_hs_name(guint8 t, gboolean dtls)
{
    switch (t) {
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 3: return dtls ? "HelloVerifyRequest" : NULL;
    case 4: return "NewSessionTicket";
    case 5: return "EndOfEarlyData";
    case 8: return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    case 22: return "CertificateStatus";
    case 24: return "KeyUpdate";
    default: return NULL;
    }
}

/* TLS levels */
#define WIP_CONF_TLS_HELLO      98  /* a whole ClientHello/ServerHello record, version in range (also the cap) */
#define WIP_CONF_TLS_HS         92  /* another whole handshake message, or ChangeCipherSpec 1 */
#define WIP_CONF_TLS_HELLO_CUT  88  /* a hello whose record continues beyond the payload */
#define WIP_CONF_TLS_DATA       85  /* whole application-data records */
#define WIP_CONF_TLS_PART       75  /* a handshake message cut, or an odd ChangeCipherSpec */

/* The hello's version in words: "SSL 3.0", "TLS 1.0" .. "TLS 1.3" */
static const char *tls_version_words(guint8 minor)
{
    static const char *const v[] = { "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3" };
    return minor < G_N_ELEMENTS(v) ? v[minor] : "unknown version";
}

static gboolean tls_hdr_ok(const guint8 *p)
{
    return p[0] >= 20 && p[0] <= 23 && p[1] == 3 && p[2] <= 4;
}

/* TLS records back to back: how many start, how many are complete, and
 * whether the last continues beyond the payload.  FALSE: not TLS. */
static gboolean tls_walk(const guint8 *b, gsize n, int *recs, int *complete, gboolean *partial)
{
    gsize off = 0;
    *recs = *complete = 0;
    *partial = FALSE;
    while (off < n) {
        const guint8 *p = b + off;
        gsize r = n - off, rl;
        if (r < 5) {
            if ((p[0] < 20 || p[0] > 23) || (r > 1 && p[1] != 3) || (r > 2 && p[2] > 4))
                return FALSE;
            *partial = TRUE;
            break;
        }
        if (!tls_hdr_ok(p))
            return FALSE;
        rl = rd16(p + 3);
        if (rl < 1 || rl > 18432)
            return FALSE;
        (*recs)++;
        if (off + 5 + rl > n) {
            *partial = TRUE;
            break;
        }
        (*complete)++;
        off += 5 + rl;
    }
    return TRUE;
}

/* What the first record says (a handshake message and its version, a
 * ChangeCipherSpec, an alert): its level, the words for it in hs */
static int tls_first_record(const guint8 *b, gsize n, int complete, char *hs, gsize hsz)
{
    gsize rl0 = rd16(b + 3);
    switch (b[0]) {
    case 22: {
        const char *hn = tls_hs_name(b[5], FALSE);
        gsize avail = MIN(rl0, n - 5);
        if (hn && avail >= 4) {
            gsize hl = rd24(b + 6);
            gboolean hello = (b[5] == 1 || b[5] == 2);
            if (hello && hl + 4 <= rl0 && avail >= 6 && b[9] == 3 && b[10] <= 4 && hl >= 38) {
                g_snprintf(hs, hsz, " (%s, %s)", hn, tls_version_words(b[10]));
                return complete ? WIP_CONF_TLS_HELLO : WIP_CONF_TLS_HELLO_CUT;
            }
            if (!hello && hl + 4 <= rl0) {
                g_snprintf(hs, hsz, " (%s)", hn);
                return complete ? WIP_CONF_TLS_HS : WIP_CONF_TLS_PART;
            }
        }
        if (!complete)
            return 0;
        g_snprintf(hs, hsz, " (encrypted message)");
        return WIP_CONF_STRUCT;
    }
    case 20:
        if (!complete)
            return 0;
        return (rl0 == 1 && b[5] == 1) ? WIP_CONF_TLS_HS : WIP_CONF_TLS_PART;
    case 21:
        if (!complete)
            return 0;
        return (rl0 == 2 && (b[5] == 1 || b[5] == 2)) ? WIP_CONF_STRONG : WIP_CONF_STRUCT;
    default:
        return complete ? WIP_CONF_TLS_DATA : 0;
    }
}

static int det_tls(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    int recs, complete, conf;
    gboolean partial;
    const char *what;
    char hs[48] = "", nrec[16] = "";

    if (n < 6 || !tls_hdr_ok(b) || !tls_walk(b, n, &recs, &complete, &partial) || (partial && !tcp))
        return 0;
    conf = tls_first_record(b, n, complete, hs, sizeof hs);
    if (!conf) {
        /* first record only partly here, nothing else to check: weak */
        if (!tcp || b[0] == 22)
            return 0;
        conf = WIP_RECOG_WEAK_MAX;
    }
    if (complete >= 2)
        conf += 5;
    if (partial && complete)
        conf -= 5;
    what = partial ? (complete ? "consistent, last record continues" : "continues beyond segment")
                   : "consistent";
    if (recs > 1)
        g_snprintf(nrec, sizeof nrec, ", %d records", recs);
    return claim(o, WIP_P_TLS, MIN(conf, WIP_CONF_TLS_HELLO), "TLS %s record%s, record %s, %u bytes, %s%s",
                 tls_ct_name(b[0]), hs, tls_version_words(b[2]), (unsigned)rd16(b + 3), what, nrec);
}

/* ------------------------------------------------------------------ */
/* DTLS                                                                */

static gboolean dtls_hdr_ok(const guint8 *p)
{
    return p[0] >= 20 && p[0] <= 23 && p[1] == 0xfe && (p[2] == 0xff || p[2] == 0xfd || p[2] == 0xfc);
}

static int det_dtls(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0, rl0;
    int recs = 0, conf;
    char hsbuf[48] = "";

    if (tcp || n < 14 || !dtls_hdr_ok(b))
        return 0;
    while (off < n) {
        const guint8 *p = b + off;
        gsize rl;
        if (n - off < 13 || !dtls_hdr_ok(p))
            return 0;
        rl = rd16(p + 11);
        if (rl < 1 || rl > 18432 || off + 13 + rl > n)
            return 0;
        off += 13 + rl;
        recs++;
    }
    rl0 = rd16(b + 11);
    conf = WIP_CONF_GOOD;
    if (b[0] == 22 && rd16(b + 3) == 0) {
        const char *hn = tls_hs_name(b[13], TRUE);
        if (!hn || rl0 < 12)
            return 0;   /* epoch 0 handshake must be plaintext */
        {
            guint32 hl = rd24(b + 14), foff = rd24(b + 19), flen = rd24(b + 22);
            if (foff + flen > hl || flen + 12 > rl0)
                return 0;
            if (b[13] == 1 && foff == 0 && (rl0 < 14 || b[25] != 0xfe))
                return 0;   /* the first fragment of a ClientHello starts with its version */
            conf = WIP_CONF_CERTAIN;
            g_snprintf(hsbuf, sizeof hsbuf, " (%s, handshake message %u)", hn, rd16(b + 17));
        }
    } else if (b[0] == 22) {
        g_snprintf(hsbuf, sizeof hsbuf, " (encrypted, epoch %u)", rd16(b + 3));
    }
    if (recs >= 2)
        conf = MIN(conf + 3, 98);
    return claim(o, WIP_P_DTLS, conf, "DTLS %s record%s, version 0x%04x, length %u, consistent, %d record%s",
                 tls_ct_name(b[0]), hsbuf, rd16(b + 1), (unsigned)rl0, recs, recs == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ */
/* request-line helpers                                                */

/* b starts with one of the methods followed by SP: return method length */
static gsize match_method(const guint8 *b, gsize n, const char *const *list)
{
    int i;
    if (n < 4 || b[0] < 'A' || b[0] > 'Z')
        return 0;
    for (i = 0; list[i]; i++) {
        gsize l;
        if ((guchar)list[i][0] != b[0])
            continue;
        l = strlen(list[i]);
        if (n > l && b[l] == ' ' && memcmp(b, list[i], l) == 0)
            return l;
    }
    return 0;
}

/* token of visible chars (0x21-0x7e) from off: return its end */
static gsize token_end(const guint8 *b, gsize n, gsize off)
{
    while (off < n && b[off] > 0x20 && b[off] < 0x7f)
        off++;
    return off;
}

/* after a version token at off: end of buffer, CR or LF */
static gboolean line_ends(const guint8 *b, gsize n, gsize off)
{
    return off == n || b[off] == '\r' || b[off] == '\n';
}

static gboolean three_digits(const guint8 *b, gsize n, gsize off, char lo, char hi)
{
    return off <= n && n - off >= 3 && b[off] >= lo && b[off] <= hi && g_ascii_isdigit(b[off + 1]) &&
           g_ascii_isdigit(b[off + 2]) && (off + 3 == n || b[off + 3] == ' ' || b[off + 3] == '\r' || b[off + 3] == '\n');
}

/* ------------------------------------------------------------------ */
/* HTTP/1.x, HTTP/2                                                    */

static const char *const http_methods[] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", NULL
};

/* 1 request, 2 response, 0 none */
static int http_first_line(const guint8 *b, gsize n, gsize *mlen, gsize *tend)
{
    gsize m, t;
    if (n >= 12 && (has_prefix(b, n, 0, "HTTP/1.0 ") || has_prefix(b, n, 0, "HTTP/1.1 ")) &&
        three_digits(b, n, 9, '1', '5'))
        return 2;
    m = match_method(b, n, http_methods);
    if (!m)
        return 0;
    t = token_end(b, n, m + 1);
    if (t == m + 1 || t >= n || b[t] != ' ')
        return 0;
    if (!has_prefix(b, n, t + 1, "HTTP/1.") || n < t + 9 || (b[t + 8] != '0' && b[t + 8] != '1') ||
        !line_ends(b, n, t + 9))
        return 0;
    if (mlen) *mlen = m;
    if (tend) *tend = t;
    return 1;
}

static int det_http(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize m = 0, t = 0;
    char tgt[48];
    int k = http_first_line(b, n, &m, &t);
    (void)tcp;
    if (k == 2)
        return claim(o, WIP_P_HTTP, WIP_CONF_CERTAIN, "HTTP/1.%c response status line: status %.3s", b[7], (const char *)b + 9);
    if (k == 1) {
        copy_printable(tgt, sizeof tgt, b + m + 1, t - m - 1, ' ');
        return claim(o, WIP_P_HTTP, WIP_CONF_CERTAIN, "HTTP/1.%c request line: %.*s %s", b[t + 8], (int)m, (const char *)b, tgt);
    }
    return 0;
}

static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

static gboolean h2_frames(const guint8 *b, gsize n, wip_recog_t *o);

static int det_http2(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    if (n >= 24 && memcmp(b, h2_preface, 24) == 0)
        return claim(o, WIP_P_HTTP2, WIP_CONF_EXACT, "HTTP/2 connection preface (24 bytes)%s",
                     n > 24 ? " followed by frames" : "");
    if (tcp && n >= 16 && n < 24 && memcmp(b, h2_preface, n) == 0)
        return claim(o, WIP_P_HTTP2, WIP_CONF_STRUCT, "HTTP/2 connection preface, first %u bytes", (unsigned)n);
    /* A server speaks first: its SETTINGS frame (type 4, flags 0, stream 0,
     * length a multiple of 6), possibly followed by more frames, filling
     * the segment exactly.  About 2^-70 for random bytes. */
    if (tcp && n >= 9 && b[3] == 4 && b[4] == 0 && rd32(b + 5) == 0 && rd24(b) % 6 == 0 && rd24(b) <= 96) {
        wip_recog_t t;
        t.floor = 100;      /* only its confidence is read: no evidence text */
        if (h2_frames(b, n, &t) && t.confidence == 92)      /* 92: every frame complete */
            return claim(o, WIP_P_HTTP2, WIP_CONF_STRUCT, "HTTP/2 SETTINGS frame first (%u bytes of settings), frames fill the segment",
                         (unsigned)rd24(b));
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* SSH                                                                 */

static int det_ssh(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize i;
    char ban[64];
    (void)tcp;
    if (n < 9 || !has_prefix(b, n, 0, "SSH-"))
        return 0;
    if (has_prefix(b, n, 4, "2.0-"))
        i = 8;
    else if (has_prefix(b, n, 4, "1.") && g_ascii_isdigit(b[6])) {
        i = 7;
        while (i < n && g_ascii_isdigit(b[i]))
            i++;
        if (i >= n || b[i] != '-')
            return 0;
        i++;
    } else
        return 0;
    {
        gsize s = i;
        while (i < n && i < 255 && b[i] >= 0x20 && b[i] < 0x7f)
            i++;
        if (i == s || b[s] == ' ')
            return 0;   /* software version must be present */
    }
    copy_printable(ban, sizeof ban, b, i, -1);
    if (i < n && (b[i] == '\r' || b[i] == '\n'))
        return claim(o, WIP_P_SSH, WIP_CONF_CERTAIN, "SSH identification banner: %s", ban);
    if (i == n && tcp)
        return claim(o, WIP_P_SSH, WIP_CONF_GOOD, "SSH identification banner (line continues): %s", ban);
    return 0;
}

/* ------------------------------------------------------------------ */
/* SIP                                                                 */

static const char *const sip_methods[] = {
    "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE",
    "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE", NULL
};

static int det_sip(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize m, t;
    (void)tcp;
    if (n >= 12 && has_prefix(b, n, 0, "SIP/2.0 ") && three_digits(b, n, 8, '1', '6'))
        return claim(o, WIP_P_SIP, WIP_CONF_CERTAIN, "SIP status line: SIP/2.0 %.3s", (const char *)b + 8);
    m = match_method(b, n, sip_methods);
    if (!m)
        return 0;
    if (!has_prefix_ci(b, n, m + 1, "sip:") && !has_prefix_ci(b, n, m + 1, "sips:") &&
        !has_prefix_ci(b, n, m + 1, "tel:"))
        return 0;
    t = token_end(b, n, m + 1);
    if (t >= n || b[t] != ' ' || !has_prefix(b, n, t + 1, "SIP/2.0") || !line_ends(b, n, t + 8))
        return 0;
    {
        char uri[48];
        copy_printable(uri, sizeof uri, b + m + 1, t - m - 1, ' ');
        return claim(o, WIP_P_SIP, WIP_CONF_CERTAIN, "SIP request line: %.*s %s SIP/2.0", (int)m, (const char *)b, uri);
    }
}

/* ------------------------------------------------------------------ */
/* MGCP                                                                */

static const char *const mgcp_verbs[] = {
    "AUEP", "AUCX", "CRCX", "DLCX", "EPCF", "MDCX", "NTFY", "RQNT", "RSIP", NULL
};

/* An MGCP response (RFC 3435 3.3): code, transaction id, commentary, then
 * parameter lines ("I: 1F3B", "P: PS=..."; one capital letter and ": ")
 * or an SDP body after an empty line.  Without those the line is any
 * numbered reply: only weak. */
static int mgcp_response(const guint8 *b, gsize n, wip_recog_t *o)
{
    gsize i = 4, s;
    int params = 0;
    gboolean sdp = FALSE;
    if (n < 8 || !three_digits(b, n, 0, '0', '9') || b[3] != ' ')
        return 0;
    s = i;
    while (i < n && g_ascii_isdigit(b[i]))
        i++;
    if (i == s || i - s > 9 || (i < n && b[i] != ' ' && b[i] != '\r' && b[i] != '\n'))
        return 0;
    while (i < n && b[i] != '\n')
        i++;
    while (++i < n) {
        if (i + 2 < n && g_ascii_isupper(b[i]) && b[i + 1] == ':' && b[i + 2] == ' ')
            params++;
        else if (has_prefix(b, n, i, "\r\nv=0") || has_prefix(b, n, i, "\nv=0") || has_prefix(b, n, i, "v=0\r\n"))
            sdp = TRUE;
        while (i < n && b[i] != '\n')
            i++;
    }
    if (!params && !sdp)
        return claim(o, WIP_P_MGCP, WIP_RECOG_WEAK_MAX - 10, "MGCP-like response \"%.3s\" with transaction id (unconfirmed)", (const char *)b);
    return claim(o, WIP_P_MGCP, WIP_CONF_LIKELY, "MGCP response %.3s, transaction id, %d parameter line%s%s",
                 (const char *)b, params, params == 1 ? "" : "s", sdp ? ", SDP body" : "");
}

static int det_mgcp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize m, i, s, e;
    char ep[40];
    (void)tcp;
    m = match_method(b, n, mgcp_verbs);
    if (!m)
        return mgcp_response(b, n, o);
    i = m + 1;
    s = i;
    while (i < n && g_ascii_isdigit(b[i]))
        i++;
    if (i == s || i - s > 9 || i >= n || b[i] != ' ')
        return 0;
    s = ++i;
    e = token_end(b, n, s);
    if (e == s || e >= n || b[e] != ' ')
        return 0;
    {
        gboolean at = FALSE;
        for (i = s; i < e; i++)
            if (b[i] == '@')
                at = TRUE;
        if (!at)
            return 0;
    }
    if (!has_prefix(b, n, e + 1, "MGCP 1.0"))
        return 0;
    if (!line_ends(b, n, e + 9) && b[e + 9] != ' ')
        return 0;
    copy_printable(ep, sizeof ep, b + s, e - s, ' ');
    return claim(o, WIP_P_MGCP, WIP_CONF_CERTAIN, "MGCP command line: %.*s, endpoint %s, MGCP 1.0", (int)m, (const char *)b, ep);
}

/* ------------------------------------------------------------------ */
/* mail and file transfer, chat: SMTP, FTP, POP3, IMAP, IRC             */
/* Each claims only lines that the protocol alone uses: a keyword with its
 * own syntax (EHLO domain, PORT h,h,h,h,p,p, a tagged IMAP command, an IRC
 * registration), or a server line naming the protocol.  Lines several
 * protocols share ("USER x", "QUIT", "220 ready", "+OK") are left to the
 * conversation (a server greeting before the client spoke) or to text. */

/* the lines of b: calls fn for each CRLF/LF-terminated line (without the
 * terminator); FALSE if the payload does not end with a line end or a line
 * has control bytes, or fn says no */
typedef gboolean (*line_fn)(const guint8 *l, gsize n, void *ud);
static gboolean each_line(const guint8 *b, gsize n, line_fn fn, void *ud, int *lines)
{
    gsize i = 0;
    *lines = 0;
    if (n < 3 || b[n - 1] != '\n')
        return FALSE;
    while (i < n) {
        gsize s = i, e;
        while (i < n && b[i] != '\n') {
            if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r') || b[i] == 0x7f)
                return FALSE;
            i++;
        }
        e = i;
        if (e > s && b[e - 1] == '\r')
            e--;
        if (!fn(b + s, e - s, ud))
            return FALSE;
        (*lines)++;
        i++;
        if (*lines > 200)
            return FALSE;
    }
    return TRUE;
}

/* l starts with keyword k (case-insensitive) followed by end or SP */
static gboolean kw(const guint8 *l, gsize n, const char *k)
{
    gsize kl = strlen(k);
    return has_prefix_ci(l, n, 0, k) && (n == kl || l[kl] == ' ');
}

/* a domain or address literal: visible chars, at least one, no spaces */
static gboolean token_only(const guint8 *l, gsize s, gsize n)
{
    gsize i;
    if (s >= n)
        return FALSE;
    for (i = s; i < n; i++)
        if (l[i] <= 0x20 || l[i] >= 0x7f)
            return FALSE;
    return TRUE;
}

static gboolean has_word_ci(const guint8 *l, gsize n, const char *w)
{
    return find_str(l, n, 0, w, TRUE) >= 0;
}

typedef struct { int best; char what[64]; int codes; } ml_st_t;

/* a reply line "NNN " or "NNN-" (RFC 5321 4.2, RFC 959 4.2), first digit lo..hi */
static gboolean reply_code(const guint8 *l, gsize n, char lo, char hi)
{
    return n >= 4 && l[0] >= lo && l[0] <= hi && g_ascii_isdigit(l[1]) && g_ascii_isdigit(l[2]) &&
           (l[3] == ' ' || l[3] == '-');
}

static void ml_claim(ml_st_t *st, int conf, const char *what, const guint8 *l, gsize n)
{
    if (conf > st->best) {
        char line[40];
        st->best = conf;
        copy_printable(line, sizeof line, l, n, -1);
        g_snprintf(st->what, sizeof st->what, "%s \"%s\"", what, line);
    }
}

/* A line protocol's detector: every line passes `fn`, the best line's
 * level is the claim, named "PROTO <what the line was>, N lines". */
static int ml_detect(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o, line_fn fn, wip_proto_t p)
{
    ml_st_t st = { 0, "", 0 };
    int lines;
    char up[16];
    gsize i;
    if (!tcp || !each_line(b, n, fn, &st, &lines) || st.best == 0)
        return 0;
    g_strlcpy(up, wip_proto_name(p), sizeof up);
    for (i = 0; up[i]; i++)
        up[i] = g_ascii_toupper(up[i]);
    return claim(o, p, st.best, "%s %s, %d line%s", up, st.what, lines, lines == 1 ? "" : "s");
}

/* SMTP (RFC 5321) */
static gboolean smtp_line(const guint8 *l, gsize n, void *ud)
{
    ml_st_t *st = (ml_st_t *)ud;
    if ((kw(l, n, "EHLO") || kw(l, n, "HELO") || kw(l, n, "LHLO")) && token_only(l, 5, n))
        ml_claim(st, WIP_CONF_STRONG, "client greeting", l, n);
    else if (has_prefix_ci(l, n, 0, "MAIL FROM:<") || has_prefix_ci(l, n, 0, "RCPT TO:<"))
        ml_claim(st, WIP_CONF_STRONG, "envelope command", l, n);
    else if (reply_code(l, n, '2', '5')) {
        static const char *const ext[] = { "PIPELINING", "8BITMIME", "STARTTLS", "ENHANCEDSTATUSCODES", "SMTPUTF8",
                                           "CHUNKING", "DSN", "SIZE", "AUTH", NULL };
        int k;
        st->codes++;
        if (has_prefix(l, n, 0, "220") && (has_word_ci(l, n, "ESMTP") || has_word_ci(l, n, " SMTP")))
            ml_claim(st, WIP_CONF_STRUCT + 5, "server greeting", l, n);
        for (k = 0; has_prefix(l, n, 0, "250") && ext[k]; k++)
            if (has_prefix_ci(l, n, 4, ext[k]) && (n == 4 + strlen(ext[k]) || l[4 + strlen(ext[k])] == ' ' ||
                                                   l[4 + strlen(ext[k])] == '='))
                ml_claim(st, WIP_CONF_STRONG, "EHLO reply extension", l, n);
    } else
        return FALSE;
    return TRUE;
}

static int det_smtp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    return ml_detect(b, n, tcp, o, smtp_line, WIP_P_SMTP);
}

/* FTP (RFC 959, 2428): control connection */
static gboolean ftp_hostport(const guint8 *l, gsize s, gsize n, char close)
{
    int nums = 0;
    gsize i = s;
    while (i < n) {
        int v = 0, d = 0;
        while (i < n && g_ascii_isdigit(l[i]) && d < 4) {
            v = v * 10 + (l[i] - '0');
            i++;
            d++;
        }
        if (d == 0 || v > 255)
            return FALSE;
        nums++;
        if (nums == 6)
            return close ? (i < n && l[i] == close) : i == n;
        if (i >= n || l[i] != ',')
            return FALSE;
        i++;
    }
    return FALSE;
}

static gboolean ftp_line(const guint8 *l, gsize n, void *ud)
{
    ml_st_t *st = (ml_st_t *)ud;
    gssize p;
    if (kw(l, n, "PORT") && ftp_hostport(l, 5, n, 0))
        ml_claim(st, WIP_CONF_STRONG, "PORT command", l, n);
    else if (kw(l, n, "EPRT") && n > 8 && l[5] == '|' && (l[6] == '1' || l[6] == '2') && l[7] == '|' && l[n - 1] == '|')
        ml_claim(st, WIP_CONF_STRONG, "EPRT command", l, n);
    else if (n == 4 && (kw(l, n, "SYST") || kw(l, n, "PASV") || kw(l, n, "EPSV") || kw(l, n, "FEAT")))
        ml_claim(st, WIP_CONF_LIKELY - 15, "command", l, n);
    else if (n == 6 && (has_prefix_ci(l, n, 0, "TYPE I") || has_prefix_ci(l, n, 0, "TYPE A")))
        ml_claim(st, WIP_CONF_LIKELY, "TYPE command", l, n);
    else if (reply_code(l, n, '1', '5')) {
        st->codes++;
        if (has_prefix(l, n, 0, "227 ") && (p = find_str(l, n, 4, "(", FALSE)) > 0 && ftp_hostport(l, (gsize)p + 1, n, ')'))
            ml_claim(st, WIP_CONF_STRONG + 5, "passive-mode reply", l, n);
        else if (has_prefix(l, n, 0, "229 ") && find_str(l, n, 4, "(|||", FALSE) > 0)
            ml_claim(st, WIP_CONF_STRONG, "extended passive-mode reply", l, n);
        else if (has_prefix(l, n, 0, "220") && has_word_ci(l, n, "FTP"))
            ml_claim(st, WIP_CONF_STRUCT + 5, "server greeting", l, n);
        else if (has_prefix(l, n, 0, "215 ") && has_word_ci(l, n, " Type: "))
            ml_claim(st, WIP_CONF_STRUCT, "system reply", l, n);
        else if (has_prefix(l, n, 0, "211-") && (has_word_ci(l, n, "Features") || has_word_ci(l, n, "Extensions")))
            ml_claim(st, WIP_CONF_STRUCT + 5, "feature list", l, n);
    } else if (n > 1 && l[0] == ' ' && st->codes) {
        /* continuation line of a multi-line reply */
    } else
        return FALSE;
    return TRUE;
}

static int det_ftp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    return ml_detect(b, n, tcp, o, ftp_line, WIP_P_FTP);
}

/* POP3 (RFC 1939, 2449) */
typedef struct { ml_st_t m; int capa; gboolean ok_first, dot_end, first; } pop_st_t;

static gboolean pop3_line(const guint8 *l, gsize n, void *ud)
{
    pop_st_t *st = (pop_st_t *)ud;
    static const char *const capas[] = { "TOP", "USER", "UIDL", "SASL", "PIPELINING", "RESP-CODES", "STLS",
                                         "AUTH-RESP-CODE", "EXPIRE", "LOGIN-DELAY", "IMPLEMENTATION", "UTF8", NULL };
    int k;
    gboolean first = st->first;
    st->first = FALSE;
    st->dot_end = n == 1 && l[0] == '.';
    if (first) {
        if (has_prefix(l, n, 0, "+OK") && (n == 3 || l[3] == ' ')) {
            gssize lt = find_str(l, n, 3, " <", FALSE);
            st->ok_first = TRUE;
            /* RFC 1939 APOP: the greeting's timestamp is a msg-id <process-ID.clock@hostname> */
            if (lt > 0 && l[n - 1] == '>' && find_str(l, n, (gsize)lt, "@", FALSE) > 0 &&
                find_str(l, n, (gsize)lt, ".", FALSE) > 0)
                ml_claim(&st->m, WIP_CONF_STRUCT + 5, "greeting with APOP timestamp", l, n);
            return TRUE;
        }
        if (kw(l, n, "APOP") && n >= 5 + 2 + 32) {
            gsize i;
            for (i = n - 32; i < n; i++)
                if (!g_ascii_isxdigit(l[i]) || g_ascii_isupper(l[i]))
                    return FALSE;
            if (l[n - 33] != ' ')
                return FALSE;
            ml_claim(&st->m, WIP_CONF_STRONG, "APOP command", l, n);
            return TRUE;
        }
        if (n == 4 && (kw(l, n, "CAPA") || kw(l, n, "STLS") || kw(l, n, "UIDL") || kw(l, n, "STAT"))) {
            ml_claim(&st->m, WIP_CONF_LIKELY - 15, "command", l, n);
            return TRUE;
        }
        return FALSE;
    }
    if (!st->ok_first)
        return FALSE;
    for (k = 0; capas[k]; k++)
        if (kw(l, n, capas[k]))
            st->capa++;
    return TRUE;
}

static int det_pop3(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    pop_st_t st;
    int lines;
    memset(&st, 0, sizeof st);
    st.first = TRUE;
    if (!tcp || !each_line(b, n, pop3_line, &st, &lines))
        return 0;
    if (st.ok_first && lines >= 3 && st.dot_end && st.capa >= 2)
        return claim(o, WIP_P_POP3, WIP_CONF_STRONG, "POP3 CAPA reply: +OK, %d capabilities, ends with \".\"", st.capa);
    if (st.ok_first && lines >= 2 && st.dot_end && st.m.best == 0)
        return claim(o, WIP_P_POP3, WIP_RECOG_WEAK_MAX - 5, "POP3-like multi-line +OK reply ending with \".\" (unconfirmed)");
    if (st.m.best == 0 || lines != 1)
        return 0;
    return claim(o, WIP_P_POP3, st.m.best, "POP3 %s", st.m.what);
}

/* IMAP (RFC 9051, 3501) */
static const char *const imap_cmds[] = {
    "CAPABILITY", "LOGIN", "AUTHENTICATE", "SELECT", "EXAMINE", "LIST", "LSUB", "STATUS", "FETCH", "UID",
    "STORE", "LOGOUT", "NOOP", "STARTTLS", "IDLE", "ENABLE", "NAMESPACE", "ID", "APPEND", "CREATE",
    "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "CLOSE", "EXPUNGE", "SEARCH", "COPY", "MOVE", "CHECK", NULL
};

/* A command tag: clients number them (RFC 9051 2.2.1: "A0001", "a1", "7"),
 * so a digit is required ("OK STATUS" is not a tagged command). */
static gsize imap_tag(const guint8 *l, gsize n)
{
    gsize i = 0;
    gboolean digit = FALSE;
    while (i < n && i < 20 && (g_ascii_isalnum(l[i]) || l[i] == '.' || l[i] == '_' || l[i] == '-')) {
        if (g_ascii_isdigit(l[i]))
            digit = TRUE;
        i++;
    }
    return (i > 0 && digit && i < n && l[i] == ' ') ? i : 0;
}

/* commands that take no argument; every other one needs at least one */
static gboolean imap_no_args(const char *c)
{
    static const char *const none[] = { "CAPABILITY", "LOGOUT", "NOOP", "STARTTLS", "IDLE", "NAMESPACE",
                                        "CLOSE", "EXPUNGE", "CHECK", NULL };
    int k;
    for (k = 0; none[k]; k++)
        if (strcmp(c, none[k]) == 0)
            return TRUE;
    return FALSE;
}

static gboolean imap_line(const guint8 *l, gsize n, void *ud)
{
    ml_st_t *st = (ml_st_t *)ud;
    gsize t;
    int k;
    if (has_prefix(l, n, 0, "* ")) {
        if (has_prefix_ci(l, n, 2, "CAPABILITY ") && has_word_ci(l, n, "IMAP4"))
            ml_claim(st, WIP_CONF_CERTAIN, "untagged CAPABILITY", l, n);
        else if ((has_prefix(l, n, 2, "OK ") || has_prefix(l, n, 2, "PREAUTH ") || has_prefix(l, n, 2, "BYE ")) &&
                 has_word_ci(l, n, "IMAP4"))
            ml_claim(st, WIP_CONF_STRONG, "server greeting naming IMAP4", l, n);
        else if (has_prefix(l, n, 2, "OK [") || has_prefix(l, n, 2, "FLAGS (") || has_prefix(l, n, 2, "LIST ("))
            ml_claim(st, WIP_CONF_STRUCT - 5, "untagged response", l, n);
        else
            st->codes++;
        return TRUE;
    }
    if (n >= 1 && l[0] == '+')
        return TRUE;     /* continuation request */
    t = imap_tag(l, n);
    if (!t)
        return FALSE;
    if (has_prefix(l, n, t + 1, "OK ") || has_prefix(l, n, t + 1, "NO ") || has_prefix(l, n, t + 1, "BAD ")) {
        if (find_str(l, n, t, " completed", TRUE) > 0 || has_prefix(l, n, t + 4, "[") || has_prefix(l, n, t + 5, "["))
            ml_claim(st, WIP_CONF_LIKELY, "tagged status", l, n);
        else
            st->codes++;
        return TRUE;
    }
    /* a 3-digit "tag" is an FTP/SMTP reply code ("230 Login successful") */
    if (t == 3 && g_ascii_isdigit(l[0]) && g_ascii_isdigit(l[1]) && g_ascii_isdigit(l[2]))
        return FALSE;
    for (k = 0; imap_cmds[k]; k++) {
        gsize cl = strlen(imap_cmds[k]);
        /* commands as clients send them: upper case */
        if (has_prefix(l, n, t + 1, imap_cmds[k]) &&
            (imap_no_args(imap_cmds[k]) ? t + 1 + cl == n : (t + 1 + cl < n - 1 && l[t + 1 + cl] == ' '))) {
            ml_claim(st, WIP_RECOG_LOCK_MIN + 5, "tagged command", l, n);
            return TRUE;
        }
    }
    return FALSE;
}

static int det_imap(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    return ml_detect(b, n, tcp, o, imap_line, WIP_P_IMAP);
}

/* IRC (RFC 2812) */
typedef struct { ml_st_t m; int nick, user, numeric, msgs; } irc_st_t;

/* USER's parameters (RFC 1459 / 2812): exactly three words, then
 * " :" and the real name */
static gboolean irc_user_params(const guint8 *l, gsize n, gsize i)
{
    gssize t = find_str(l, n, i, " :", FALSE);
    int words = 1;
    gsize j;
    if (t <= (gssize)i || (gsize)t + 2 >= n || l[t - 1] == ' ')
        return FALSE;
    for (j = i; j < (gsize)t; j++) {
        if (l[j] != ' ')
            continue;
        if (j == i || l[j - 1] == ' ')
            return FALSE;
        words++;
    }
    return words == 3;
}

static gboolean irc_line(const guint8 *l, gsize n, void *ud)
{
    irc_st_t *st = (irc_st_t *)ud;
    gsize i = 0, c;
    if (n == 0)
        return FALSE;
    if (l[0] == ':') {                  /* prefix */
        i = token_end(l, n, 1);
        if (i == 1 || i >= n || l[i] != ' ')
            return FALSE;
        i++;
    }
    c = i;
    if (n - c >= 4 && g_ascii_isdigit(l[c]) && g_ascii_isdigit(l[c + 1]) && g_ascii_isdigit(l[c + 2]) && l[c + 3] == ' ') {
        if (l[0] != ':')
            return FALSE;               /* numerics come from a server, with its prefix */
        st->numeric++;
    } else {
        while (i < n && g_ascii_isupper(l[i]))
            i++;
        if (i - c < 3 || (i < n && l[i] != ' '))
            return FALSE;
        if (kw(l + c, n - c, "NICK") && token_only(l, c + 5, n))
            st->nick++;
        else if (kw(l + c, n - c, "USER") && irc_user_params(l, n, c + 5))
            st->user++;
    }
    st->msgs++;
    return TRUE;
}

static int det_irc(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    irc_st_t st = { { 0, "", 0 }, 0, 0, 0, 0 };
    int lines;
    if (!tcp || !each_line(b, n, irc_line, &st, &lines))
        return 0;
    if (st.nick && st.user)
        return claim(o, WIP_P_IRC, WIP_CONF_STRONG, "IRC client registration (NICK and USER), %d message%s", lines,
                     lines == 1 ? "" : "s");
    if (lines == 1 && st.user)
        return claim(o, WIP_P_IRC, WIP_CONF_STRUCT, "IRC client registration USER with its three words and real name");
    if (st.numeric >= 2 && st.numeric * 2 >= lines)
        return claim(o, WIP_P_IRC, WIP_CONF_STRUCT + 5, "IRC server messages: %d numeric replies with prefix in %d lines",
                     st.numeric, lines);
    return 0;
}

/* ------------------------------------------------------------------ */
/* databases, messaging, peer-to-peer, industrial, VPN, QUIC            */

static inline guint32 rd32le(const guint8 *p)
{
    return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

/* PostgreSQL frontend/backend protocol 3.0: StartupMessage, SSLRequest,
 * GSSENCRequest, CancelRequest (no type byte: length, code). */
static int det_pgsql(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    guint32 len, code;
    if (!tcp || n < 8)
        return 0;
    len = rd32(b);
    code = rd32(b + 4);
    if (len != n)
        return 0;
    if (len == 8 && (code == 80877103u || code == 80877104u))
        return claim(o, WIP_P_PGSQL, WIP_CONF_STRONG, "PostgreSQL %s (length 8, code %u)",
                     code == 80877103u ? "SSLRequest" : "GSSENCRequest", code);
    if (len == 16 && code == 80877102u)
        return claim(o, WIP_P_PGSQL, WIP_CONF_STRONG, "PostgreSQL CancelRequest (length 16, code 80877102)");
    if (code == 0x00030000u && len >= 14 && len <= 10000 && b[n - 1] == 0 && b[n - 2] == 0) {
        /* NUL-terminated name/value pairs, "user" among the names */
        gsize i = 8;
        int strs = 0;
        gboolean user = FALSE;
        while (i < n - 1) {
            gsize s0 = i;
            while (i < n && b[i]) {
                if (b[i] < 0x20 && b[i] != '\t')
                    return 0;
                i++;
            }
            if (i >= n || i == s0)
                return 0;
            if (strs % 2 == 0 && i - s0 == 4 && memcmp(b + s0, "user", 4) == 0)
                user = TRUE;
            strs++;
            i++;
        }
        if (strs % 2 || !user)
            return 0;
        return claim(o, WIP_P_PGSQL, WIP_CONF_CERTAIN, "PostgreSQL StartupMessage protocol 3.0, %d parameters (user given), length %u consistent",
                     strs / 2, (unsigned)len);
    }
    return 0;
}

/* MySQL/MariaDB: the server's Handshake v10 (packet length, sequence 0,
 * protocol 10, NUL-terminated version, thread id, 8 auth bytes, filler 0). */
static int det_mysql(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize pl, i;
    char ver[24];
    if (!tcp || n < 4 + 1 + 2 + 4 + 9 + 2)
        return 0;
    pl = (gsize)b[0] | ((gsize)b[1] << 8) | ((gsize)b[2] << 16);
    if (pl + 4 != n || b[3] != 0 || b[4] != 10)
        return 0;
    for (i = 5; i < n && b[i]; i++)
        if (b[i] < 0x20 || b[i] >= 0x7f)
            return 0;
    if (i == 5 || i >= n || !g_ascii_isdigit(b[5]) || i + 1 + 4 + 8 + 1 > n || b[i + 1 + 4 + 8] != 0)
        return 0;
    copy_printable(ver, sizeof ver, b + 5, i - 5, -1);
    return claim(o, WIP_P_MYSQL, WIP_CONF_CERTAIN, "MySQL handshake v10 from the server, version \"%s\", length %u consistent",
                 ver, (unsigned)pl);
}

/* MongoDB wire protocol: little-endian header (messageLength = payload,
 * opCode OP_MSG 2013 / OP_QUERY 2004 / OP_REPLY 1 / OP_COMPRESSED 2012), and
 * for OP_MSG a body section whose BSON document length fits. */
static int det_mongo(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    guint32 ml = n >= 21 ? rd32le(b) : 0, op;
    if (!tcp || n < 21 || ml != n)
        return 0;
    op = rd32le(b + 12);
    if (op == 2013) {
        guint32 flags = rd32le(b + 16), dl;
        if (flags & ~0x00010003u || n < 21 + 5 || b[20] != 0)
            return 0;
        dl = rd32le(b + 21);
        if (dl < 5 || 21 + (gsize)dl > n - ((flags & 1) ? 4 : 0) || b[21 + dl - 1] != 0)
            return 0;
        return claim(o, WIP_P_MONGO, WIP_CONF_CERTAIN, "MongoDB OP_MSG, length %u consistent, body document of %u bytes",
                     ml, dl);
    }
    if (op == 2004 || op == 1 || op == 2012) {
        if (n < 36)
            return 0;
        return claim(o, WIP_P_MONGO, WIP_CONF_STRUCT, "MongoDB %s, length %u consistent",
                     op == 2004 ? "OP_QUERY" : op == 1 ? "OP_REPLY" : "OP_COMPRESSED", ml);
    }
    return 0;
}

/* AMQP 0-9-1 / 1.0 protocol header (8 bytes), or an AMQP 0-9-1 frame
 * (type, channel, size, payload, frame-end 0xCE) filling the payload. */
static int det_amqp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    if (!tcp)
        return 0;
    if (n == 8 && memcmp(b, "AMQP", 4) == 0 && b[4] <= 3)
        return claim(o, WIP_P_AMQP, WIP_CONF_CERTAIN, "AMQP protocol header, id %u version %u.%u.%u", b[4], b[5], b[6], b[7]);
    if (n >= 8 && (b[0] == 1 || b[0] == 2 || b[0] == 3 || b[0] == 8)) {
        gsize off = 0;
        int frames = 0;
        while (off + 8 <= n) {
            guint32 sz = rd32(b + off + 3);
            if ((b[off] != 1 && b[off] != 2 && b[off] != 3 && b[off] != 8) || off + 8 + (gsize)sz > n ||
                b[off + 7 + sz] != 0xCE)
                return 0;
            if (b[off] == 1 && (sz < 4 || rd16(b + off + 7) < 10 || rd16(b + off + 7) > 90))
                return 0;          /* method frame: a class id of AMQP 0-9-1 */
            off += 8 + sz;
            frames++;
        }
        if (off != n || b[0] != 1)
            return 0;
        return claim(o, WIP_P_AMQP, frames > 1 ? WIP_CONF_STRONG : WIP_CONF_STRUCT,
                     "AMQP 0-9-1: %d frame%s, method class %u, each closed by the 0xCE end marker", frames,
                     frames == 1 ? "" : "s", rd16(b + 7));
    }
    return 0;
}

/* BitTorrent peer wire handshake (BEP 3) */
static int det_bittorrent(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    if (!tcp || n < 20 || b[0] != 19 || memcmp(b + 1, "BitTorrent protocol", 19) != 0)
        return 0;
    return claim(o, WIP_P_BITTORRENT, n >= 68 ? WIP_CONF_CERTAIN : WIP_CONF_STRONG,
                 "BitTorrent handshake \"\\x13BitTorrent protocol\"%s", n >= 68 ? " with info hash and peer id" : "");
}

/* RTSP (RFC 2326 / 7826) request or status line */
static const char *const rtsp_methods[] = {
    "OPTIONS", "DESCRIBE", "ANNOUNCE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER",
    "SET_PARAMETER", "REDIRECT", "RECORD", NULL
};

static int det_rtsp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize m, t;
    (void)tcp;
    if (n >= 12 && (has_prefix(b, n, 0, "RTSP/1.0 ") || has_prefix(b, n, 0, "RTSP/2.0 ")) && three_digits(b, n, 9, '1', '5'))
        return claim(o, WIP_P_RTSP, WIP_CONF_CERTAIN, "RTSP status line: %.12s", (const char *)b);
    m = match_method(b, n, rtsp_methods);
    if (!m)
        return 0;
    t = token_end(b, n, m + 1);
    if (t >= n || b[t] != ' ' || (!has_prefix(b, n, t + 1, "RTSP/1.0") && !has_prefix(b, n, t + 1, "RTSP/2.0")) ||
        !line_ends(b, n, t + 9))
        return 0;
    return claim(o, WIP_P_RTSP, WIP_CONF_CERTAIN, "RTSP request line: %.*s ... RTSP/%c.0", (int)m, (const char *)b, b[t + 6]);
}

/* Modbus/TCP (MBAP header: transaction, protocol 0, length = rest, unit)
 * with a function code whose request/response length fits exactly. */
static int det_modbus(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    guint fc, len;
    gsize pdu;
    gboolean ok = FALSE;
    if (!tcp || n < 8 || rd16(b + 2) != 0)
        return 0;
    len = rd16(b + 4);
    if (len + 6 != n || len < 2 || len > 254)
        return 0;
    fc = b[7];
    pdu = n - 7;      /* function code + data */
    switch (fc & 0x7f) {
    case 1: case 2: case 3: case 4:
        /* request: address, quantity (5 bytes); response: byte count + data */
        ok = (pdu == 5 && rd16(b + 10) >= 1 && rd16(b + 10) <= 2000) || (pdu >= 3 && b[8] == pdu - 2);
        break;
    case 5: ok = pdu == 5 && (rd16(b + 10) == 0xFF00 || rd16(b + 10) == 0x0000); break;
    case 6: ok = pdu == 5; break;
    case 15: case 16: ok = pdu == 5 || (pdu >= 7 && b[12] == pdu - 6); break;
    default: ok = FALSE;
    }
    if (fc & 0x80)
        ok = pdu == 2 && b[8] >= 1 && b[8] <= 11;     /* exception response */
    if (!ok)
        return 0;
    return claim(o, WIP_P_MODBUS, WIP_CONF_STRUCT, "Modbus/TCP MBAP: transaction %u, protocol 0, length %u consistent, unit %u, function %u%s",
                 rd16(b), len, b[6], fc & 0x7f, (fc & 0x80) ? " (exception)" : "");
}

/* DNP3 link layer (IEEE 1815): 0x05 0x64, length, control, addresses and
 * a CRC-16/DNP over the header that must match. */
static guint16 crc_dnp(const guint8 *p, gsize n)
{
    guint16 crc = 0;
    gsize i;
    int k;
    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++)
            crc = (crc & 1) ? (guint16)((crc >> 1) ^ 0xA6BC) : (guint16)(crc >> 1);
    }
    return (guint16)~crc;
}

static int det_dnp3(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    (void)tcp;
    if (n < 10 || b[0] != 0x05 || b[1] != 0x64 || b[2] < 5)
        return 0;
    if ((guint16)(b[8] | (b[9] << 8)) != crc_dnp(b, 8))
        return 0;
    return claim(o, WIP_P_DNP3, WIP_CONF_CERTAIN, "DNP3 link header 0x0564, length %u, destination %u, source %u, header CRC matches",
                 b[2], b[4] | (b[5] << 8), b[6] | (b[7] << 8));
}

/* IEC 60870-5-104 APCI: start 0x68, length = rest, control field of an
 * I, S or U format; every APDU of the segment must fit. */
static int det_iec104(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0;
    int apdus = 0, u = 0;
    if (!tcp || n < 6 || b[0] != 0x68)
        return 0;
    while (off < n) {
        gsize l;
        if (n - off < 6 || b[off] != 0x68)
            return 0;
        l = b[off + 1];
        if (l < 4 || l > 253 || off + 2 + l > n)
            return 0;
        if ((b[off + 2] & 3) == 3) {          /* U format: exactly one function bit, length 4 */
            guint8 f = b[off + 2] & 0xFC;
            if (l != 4 || (f != 0x04 && f != 0x08 && f != 0x10 && f != 0x20 && f != 0x40 && f != 0x80) ||
                b[off + 3] || b[off + 4] || b[off + 5])
                return 0;
            u++;
        } else if ((b[off + 2] & 3) == 1) {   /* S format */
            if (l != 4 || b[off + 2] != 1 || b[off + 3] || (b[off + 4] & 1))
                return 0;
        } else {                                /* I format: an ASDU follows */
            if (l < 4 + 6 || (b[off + 4] & 1))
                return 0;
        }
        off += 2 + l;
        apdus++;
    }
    return claim(o, WIP_P_IEC104, u ? WIP_CONF_STRUCT : WIP_CONF_LIKELY,
                 "IEC 60870-5-104 APCI: %d APDU%s, start 0x68, lengths consistent%s", apdus, apdus == 1 ? "" : "s",
                 u ? ", U-format function" : "");
}

/* QUIC (RFC 9000 17.2, RFC 9369): a long header packet with a known
 * version and connection id lengths that fit, or a Version Negotiation. */
static int det_quic(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    guint32 ver;
    gsize dl, sl;
    if (tcp || n < 7 || (b[0] & 0x80) == 0)
        return 0;
    ver = rd32(b + 1);
    dl = b[5];
    if (dl > 20 || 6 + dl >= n)
        return 0;
    sl = b[6 + dl];
    if (sl > 20 || 7 + dl + sl > n)
        return 0;
    if (ver == 0) {
        gsize rest = n - 7 - dl - sl;
        if (rest == 0 || rest % 4)
            return 0;
        return claim(o, WIP_P_QUIC, WIP_CONF_STRUCT, "QUIC Version Negotiation, %u versions", (unsigned)(rest / 4));
    }
    if (ver != 0x00000001u && ver != 0x6b3343cfu && (ver & 0xffffff00u) != 0xff000000u)
        return 0;
    if ((b[0] & 0x40) == 0)
        return 0;                       /* fixed bit */
    if (n < 1200 && ((b[0] >> 4) & 3) == (ver == 0x6b3343cfu ? 1 : 0))
        return 0;                       /* a client Initial is padded to 1200 bytes */
    return claim(o, WIP_P_QUIC, WIP_CONF_STRONG, "QUIC long header, version 0x%08x, DCID %u bytes, SCID %u bytes",
                 ver, (unsigned)dl, (unsigned)sl);
}

/* WireGuard: message type 1-3 with 3 reserved zero bytes and its exact
 * size (handshake initiation 148, response 92, cookie reply 64). */
static int det_wireguard(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    static const gsize sizes[4] = { 0, 148, 92, 64 };
    if (tcp || n < 32 || b[0] < 1 || b[0] > 4 || b[1] || b[2] || b[3])
        return 0;
    if (b[0] <= 3) {
        if (n != sizes[b[0]])
            return 0;
        return claim(o, WIP_P_WIREGUARD, WIP_CONF_STRONG, "WireGuard %s, %u bytes (the exact size of that message)",
                     b[0] == 1 ? "handshake initiation" : b[0] == 2 ? "handshake response" : "cookie reply", (unsigned)n);
    }
    /* transport data: counter + AEAD payload padded to 16 + 16-byte tag */
    if ((n - 16) % 16 != 0)
        return 0;
    return claim(o, WIP_P_WIREGUARD, WIP_RECOG_WEAK_MAX - 10, "WireGuard-like transport data, %u bytes (unconfirmed)", (unsigned)n);
}

/* ------------------------------------------------------------------ */
/* TDS (Microsoft SQL Server, MS-TDS 2.2.3): an 8-byte packet header    */
/* (type, status, length that covers the header, SPID, packet id,      */
/* window 0) whose length fills the payload, and a body that proves the */
/* type: a PRELOGIN option list, a LOGIN7 record, a SQL batch or RPC    */
/* with its ALL_HEADERS, or a response whose tokens add up.             */

#define TDS_HDR 8
#define TDS_LOGIN7_FIXED 94     /* LOGIN7 fixed part up to the offsets (TDS 7.1+) */

static gboolean tds_hdr_ok(const guint8 *b, gsize n)
{
    static const guint8 types[] = { 0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x0E, 0x0F, 0x10, 0x11, 0x12 };
    gsize len;
    if (n < TDS_HDR + 1 || !memchr(types, b[0], sizeof types) || (b[1] & ~0x1Fu) || b[7] != 0)
        return FALSE;
    len = rd16(b + 2);
    return len == n && len > TDS_HDR;
}

/* PRELOGIN options: (token, offset, length) entries ending in 0xFF,
 * VERSION (token 0, 6 bytes) first, tokens rising, data inside the body */
static int tds_prelogin(const guint8 *p, gsize r)
{
    gsize i = 0, head;
    int opts = 0, last = -1;
    while (i < r && p[i] != 0xFF) {
        if (i + 5 > r || p[i] > 0x08 || (int)p[i] <= last)
            return 0;
        last = p[i];
        opts++;
        i += 5;
    }
    if (i >= r || opts == 0 || p[0] != 0 || rd16(p + 3) != 6)
        return 0;
    head = i + 1;
    for (i = 0; i < (gsize)opts * 5; i += 5)
        if (rd16(p + i + 1) < head || (gsize)rd16(p + i + 1) + rd16(p + i + 3) > r)
            return 0;
    return opts;
}

/* LOGIN7: its own little-endian length = the body, TDS version 7.x, and
 * every (offset, length) pair of the variable part inside the record */
static gboolean tds_login7(const guint8 *p, gsize r, guint *ver)
{
    gsize i;
    if (r < TDS_LOGIN7_FIXED || rd32le(p) != r || p[7] < 0x70 || p[7] > 0x74)
        return FALSE;
    for (i = 36; i + 4 <= 36 + 9 * 4; i += 4) {
        gsize off = p[i] | (p[i + 1] << 8), cch = p[i + 2] | (p[i + 3] << 8);
        if (cch && (off < TDS_LOGIN7_FIXED - 8 || off + 2 * cch > r))
            return FALSE;
    }
    *ver = p[7];
    return TRUE;
}

/* SQL batch / RPC (TDS 7.2+): ALL_HEADERS (total length, then headers of
 * length and type 1-3) inside the body */
static gboolean tds_all_headers(const guint8 *p, gsize r)
{
    guint32 total, hl;
    guint16 ht;
    if (r < 4 + 6)
        return FALSE;
    total = rd32le(p);
    hl = rd32le(p + 4);
    ht = (guint16)(p[8] | (p[9] << 8));
    return total >= 4 + 6 && total <= r && hl >= 6 && hl <= total - 4 && ht >= 1 && ht <= 3;
}

/* response tokens of known length (ENVCHANGE, ERROR, INFO, LOGINACK with
 * a 2-byte length; DONE, DONEPROC, DONEINPROC 12 bytes; RETURNSTATUS 4):
 * how many follow each other from the start; *end set when they fill it */
static int tds_tokens(const guint8 *p, gsize r, gboolean *end)
{
    gsize i = 0;
    int toks = 0;
    *end = FALSE;
    while (i < r) {
        guint8 t = p[i];
        gsize l;
        if (t == 0xE3 || t == 0xAA || t == 0xAB || t == 0xAD) {
            if (i + 3 > r)
                return 0;
            l = 3 + (gsize)(p[i + 1] | (p[i + 2] << 8));
            if (l < 3 + 3)
                return 0;
        } else if (t == 0xFD || t == 0xFE || t == 0xFF) {
            l = 1 + 12;
            if (i + 3 <= r && (p[i + 1] & 0x80) == 0 && (p[i + 2] & ~0x01u))
                return 0;               /* DONE status: bits 0-8 only */
        } else if (t == 0x79) {
            l = 1 + 4;
        } else {
            break;
        }
        if (i + l > r)
            return 0;
        i += l;
        toks++;
    }
    *end = (i == r);
    return toks;
}

static int det_tds(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    const guint8 *p = b + TDS_HDR;
    gsize r = n - TDS_HDR;
    guint ver;
    int k;
    gboolean end;
    if (!tcp || !tds_hdr_ok(b, n))
        return 0;
    if ((b[0] == 0x12 || b[0] == 0x04) && (k = tds_prelogin(p, r)) > 0)
        return claim(o, WIP_P_TDS, WIP_CONF_CERTAIN, "TDS (MS SQL) pre-login %s: %d options that fit, length %u consistent",
                     b[0] == 0x12 ? "request" : "response", k, (unsigned)n);
    if (b[0] == 0x12 && r >= 6 && tls_hdr_ok(p) && p[5] >= 1 && p[5] <= 2)
        return claim(o, WIP_P_TDS, WIP_CONF_STRONG, "TDS (MS SQL) pre-login packet carrying a TLS handshake, length %u consistent",
                     (unsigned)n);
    if (b[0] == 0x10 && tds_login7(p, r, &ver))
        return claim(o, WIP_P_TDS, WIP_CONF_CERTAIN, "TDS (MS SQL) login, version 7.%u, length %u consistent, all strings inside",
                     ver - 0x70, (unsigned)r);
    if ((b[0] == 0x01 || b[0] == 0x03) && tds_all_headers(p, r))
        return claim(o, WIP_P_TDS, WIP_CONF_STRUCT, "TDS (MS SQL) %s with its headers block, length %u consistent",
                     b[0] == 0x01 ? "SQL batch" : "remote procedure call", (unsigned)n);
    if (b[0] == 0x04 && (k = tds_tokens(p, r, &end)) >= 2 && end)
        return claim(o, WIP_P_TDS, WIP_CONF_STRUCT, "TDS (MS SQL) response: %d tokens whose lengths add up to %u bytes",
                     k, (unsigned)n);
    return 0;
}

/* ------------------------------------------------------------------ */
/* OpenVPN (TLS mode, no tls-auth): opcode and key id in one byte, an   */
/* 8-byte session id, the array of acknowledged packet ids (with the    */
/* peer's session id when not empty) and, but for an ACK, the packet's  */
/* own id.  Over TCP each packet has a 2-byte length in front.          */

#define OVPN_MAX_ACKS   8       /* RELIABLE_ACK_SIZE in OpenVPN */
#define OVPN_MAX_PID    0x00FFFFFFu   /* control packet ids count up from 0 */

enum { OVPN_RESET_CLIENT = 1, OVPN_RESET_SERVER, OVPN_ACK, OVPN_CONTROL_TLS };

static const char *const ovpn_kind_name[] = {
    "", "client hard reset", "server hard reset", "acknowledgement", "control packet with a TLS record"
};

/* one control-channel packet filling r bytes: its kind, or 0 */
static int ovpn_ctl(const guint8 *p, gsize r)
{
    guint op, key, k, i;
    gsize off;
    if (r < 14)
        return 0;
    op = p[0] >> 3;
    key = p[0] & 7;
    k = p[9];
    off = 10 + 4 * (gsize)k + (k ? 8 : 0);
    if (k > OVPN_MAX_ACKS || off > r)
        return 0;
    for (i = 0; i < k; i++)
        if (rd32(p + 10 + 4 * i) > OVPN_MAX_PID)
            return 0;
    if (op == 5)
        return (k >= 1 && off == r) ? OVPN_ACK : 0;
    if (off + 4 > r || rd32(p + off) > OVPN_MAX_PID)
        return 0;
    off += 4;
    if ((op == 7 || op == 10) && key == 0 && k == 0 && rd32(p + off - 4) == 0 && off == r)
        return OVPN_RESET_CLIENT;
    if (op == 8 && key == 0 && k >= 1 && rd32(p + off - 4) == 0 && off == r)
        return OVPN_RESET_SERVER;
    if (op == 4 && r >= off + 6 && tls_hdr_ok(p + off))
        return OVPN_CONTROL_TLS;
    return 0;
}

static int det_openvpn(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0;
    int kind = 0, pkts = 0;
    if (!tcp) {
        kind = ovpn_ctl(b, n);
        pkts = kind ? 1 : 0;
    } else {
        while (off + 2 <= n) {
            gsize l = rd16(b + off);
            int k;
            if (off + 2 + l > n || !(k = ovpn_ctl(b + off + 2, l)))
                return 0;
            if (!kind)
                kind = k;
            pkts++;
            off += 2 + l;
        }
        if (off != n)
            return 0;
    }
    if (!kind)
        return 0;
    return claim(o, WIP_P_OPENVPN, kind == OVPN_ACK ? WIP_CONF_STRUCT : WIP_CONF_STRONG,
                 "OpenVPN %s%s: opcode, session id and ack list fill the %s",
                 ovpn_kind_name[kind], pkts > 1 ? " and more packets" : "", tcp ? "TCP records" : "datagram");
}

/* LDAP (RFC 4511): LDAPMessage SEQUENCE { messageID INTEGER, protocolOp
 * [APPLICATION n] } with definite BER lengths that fill the payload. */
static gboolean ber_len(const guint8 *b, gsize n, gsize *off, gsize *len)
{
    guint8 c;
    if (*off >= n)
        return FALSE;
    c = b[(*off)++];
    if (c < 0x80) {
        *len = c;
        return TRUE;
    }
    c &= 0x7f;
    if (c == 0 || c > 4 || *off + c > n)
        return FALSE;
    *len = 0;
    while (c--)
        *len = (*len << 8) | b[(*off)++];
    return TRUE;
}

static int det_ldap(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 1, sl, il, ol;
    guint8 op;
    static const char *const ops[] = { "bindRequest", "bindResponse", "unbindRequest", "searchRequest",
        "searchResEntry", "searchResDone", "modifyRequest", "modifyResponse", "addRequest", "addResponse",
        "delRequest", "delResponse", "modDNRequest", "modDNResponse", "compareRequest", "compareResponse",
        "abandonRequest", NULL, NULL, "searchResRef", NULL, NULL, NULL, "extendedReq", "extendedResp",
        "intermediateResponse" };
    (void)tcp;
    if (n < 7 || b[0] != 0x30 || !ber_len(b, n, &off, &sl) || off + sl != n)
        return 0;
    if (b[off] != 0x02 || (il = b[off + 1]) < 1 || il > 4 || off + 2 + il >= n)
        return 0;
    off += 2 + il;
    op = b[off];
    if ((op & 0xE0) != 0x60 && (op & 0xE0) != 0x40)
        return 0;      /* [APPLICATION n], constructed (or primitive for unbind/del/abandon) */
    if ((op & 0x1f) > 25 || !ops[op & 0x1f])
        return 0;
    off++;
    if (!ber_len(b, n, &off, &ol) || off + ol > n)
        return 0;
    /* controls [0] may follow the operation */
    if (off + ol != n && b[off + ol] != 0xA0)
        return 0;
    if ((op & 0x1f) == 0 && (ol < 5 || b[off] != 0x02 || b[off + 1] != 1 || b[off + 2] != 3))
        return 0;      /* bindRequest: version 3 */
    return claim(o, WIP_P_LDAP, (op & 0x1f) == 0 ? WIP_CONF_STRONG : WIP_CONF_STRUCT,
                 "LDAP %s (a %u-byte%s message id); its ASN.1 lengths add up to the %u bytes", ops[op & 0x1f], (unsigned)il,
                 il == 1 ? "" : "s", (unsigned)n);
}

/* Kerberos 5 (RFC 4120): [APPLICATION n] { SEQUENCE { ... pvno 5,
 * msg-type n ... } } with definite BER lengths filling the message; over
 * TCP behind a 4-byte length (RFC 4120 7.2.2). */
/* Over TCP, a message behind a big-endian length prefix of WIDTH (2 or 4)
 * bytes that counts exactly the rest of the payload (RFC 4571 framing,
 * Kerberos' record mark): step past it.  FALSE if n < min or the
 * prefix does not fit. */
static gboolean strip_length_prefix(const guint8 **b, gsize *n, gsize width, gsize min)
{
    if (*n < min || (width == 4 ? rd32(*b) : rd16(*b)) != *n - width)
        return FALSE;
    *b += width;
    *n -= width;
    return TRUE;
}

static int det_kerberos(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    static const struct { guint8 app; const char *name; gboolean kdc_req; } msgs[] = {
        { 10, "AS-REQ", TRUE }, { 11, "AS-REP", FALSE }, { 12, "TGS-REQ", TRUE }, { 13, "TGS-REP", FALSE },
        { 14, "AP-REQ", FALSE }, { 15, "AP-REP", FALSE }, { 30, "KRB-ERROR", FALSE }, { 0, NULL, FALSE }
    };
    gsize off = 0, l, sl;
    guint8 app;
    int k;
    if (tcp && !strip_length_prefix(&b, &n, 4, 8))
        return 0;
    if (n < 16 || (b[0] & 0xE0) != 0x60)
        return 0;
    app = b[0] & 0x1F;
    for (k = 0; msgs[k].name && msgs[k].app != app; k++)
        ;
    if (!msgs[k].name)
        return 0;
    off = 1;
    if (!ber_len(b, n, &off, &l) || off + l != n || b[off] != 0x30)
        return 0;
    off++;
    if (!ber_len(b, n, &off, &sl) || off + sl != n)
        return 0;
    /* KDC-REQ: [1] pvno [2] msg-type; AP-REQ/REP, KDC-REP, KRB-ERROR: [0] pvno [1] msg-type */
    {
        guint8 t0 = msgs[k].kdc_req ? 0xA1 : 0xA0;
        if (n - off < 10 || b[off] != t0 || b[off + 1] != 3 || b[off + 2] != 2 || b[off + 3] != 1 || b[off + 4] != 5 ||
            b[off + 5] != t0 + 1 || b[off + 6] != 3 || b[off + 7] != 2 || b[off + 8] != 1 || b[off + 9] != app)
            return 0;
    }
    return claim(o, WIP_P_KERBEROS, WIP_CONF_CERTAIN, "Kerberos 5 %s (version 5, message type %u); its ASN.1 lengths add up to the %u bytes%s",
                 msgs[k].name, app, (unsigned)n, tcp ? " after the 4-byte length prefix" : "");
}

/* ------------------------------------------------------------------ */
/* WebSocket joined mid-stream (no Upgrade seen)                       */
/* Frames (RFC 6455 5.2) that fill the segment exactly, all masked (client)
 * or all unmasked (server).  A masked text frame whose payload unmasks to
 * printable UTF-8 is strong evidence (the 32-bit key must be right); unmasked
 * frames prove only their 2-byte headers, so they need several text frames. */
static int det_websocket(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0, textbytes = 0;
    int frames = 0, text = 0, masked = -1;
    if (!tcp || n < 6)
        return 0;
    while (off < n) {
        const guint8 *p = b + off;
        gsize r = n - off, hl = 2, i;
        guint64 pl;
        guint8 op = p[0] & 0x0F, m;
        if (r < 2 || (p[0] & 0x70) || !(op <= 2 || (op >= 8 && op <= 10)))
            return 0;
        m = (p[1] & 0x80) ? 1 : 0;
        if (masked >= 0 && m != masked)
            return 0;
        masked = m;
        pl = p[1] & 0x7F;
        if (op >= 8 && (!(p[0] & 0x80) || pl > 125))
            return 0;
        if (pl == 126) {
            if (r < 4 || (pl = rd16(p + 2)) < 126)
                return 0;
            hl = 4;
        } else if (pl == 127) {
            return 0;          /* 64-bit lengths do not fit a segment */
        }
        if (m)
            hl += 4;
        if ((guint64)hl + pl > r)
            return 0;
        if (op == 1 && pl >= 2) {
            guint8 buf[256];
            gsize k = (gsize)MIN(pl, sizeof buf);
            for (i = 0; i < k; i++)
                buf[i] = m ? (guint8)(p[hl + i] ^ p[hl - 4 + (i & 3)]) : p[hl + i];
            if (wip_payload_is_text(buf, k)) {
                text++;
                textbytes += k;
            }
            else
                return 0;
        } else if (op == 8 && pl >= 2) {
            guint code = m ? (guint)(((p[hl] ^ p[hl - 4]) << 8) | (p[hl + 1] ^ p[hl - 3])) : rd16(p + hl);
            if (code < 1000 || code > 4999)
                return 0;
            text++;
        }
        off += hl + (gsize)pl;
        frames++;
    }
    if (text == 0 || text < frames || textbytes < 8)
        return 0;          /* a few text bytes are too easily text by chance */
    if (masked)
        return claim(o, WIP_P_WEBSOCKET, WIP_CONF_LIKELY + 15, "WebSocket masked frame%s (client): %d, each unmasks to text or a close code, lengths fill the segment",
                     frames == 1 ? "" : "s", frames);
    return claim(o, WIP_P_WEBSOCKET, frames >= 2 ? WIP_CONF_LIKELY : WIP_RECOG_WEAK_MAX - 5,
                 "WebSocket unmasked text frame%s (server): %d, lengths fill the segment%s", frames == 1 ? "" : "s", frames,
                 frames >= 2 ? "" : " (unconfirmed)");
}

/* ------------------------------------------------------------------ */
/* XML based: XMPP, BroadWorks OCI                                     */

static gsize skip_ws(const guint8 *b, gsize n, gsize i)
{
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    return i;
}

/* skip BOM, whitespace and an optional <?xml ... ?> prolog; return position */
static gsize skip_xml_prolog(const guint8 *b, gsize n)
{
    gsize i = 0;
    if (has_prefix(b, n, 0, "\xEF\xBB\xBF"))
        i = 3;
    i = skip_ws(b, n, i);
    if (has_prefix(b, n, i, "<?xml")) {
        gssize e = find_str(b, MIN(n, i + 512), i, "?>", FALSE);
        if (e < 0)
            return n;
        i = skip_ws(b, n, (gsize)e + 2);
    }
    return i;
}

/* end of the start tag beginning at i (index of '>' or the search limit) */
static gsize tag_end(const guint8 *b, gsize n, gsize i, gsize maxlen)
{
    gsize lim = MIN(n, i + maxlen);
    while (i < lim && b[i] != '>')
        i++;
    return i;
}

static int det_xmpp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize i, e;
    gssize j;
    static const char *const ns[] = { "jabber:client", "jabber:server", "jabber:component", NULL };
    int k;
    (void)tcp;
    if (n < 20)
        return 0;
    i = skip_xml_prolog(b, n);
    if (!has_prefix(b, n, i, "<stream:stream") || i + 14 >= n ||
        !(b[i + 14] == ' ' || b[i + 14] == '\t' || b[i + 14] == '\r' || b[i + 14] == '\n' || b[i + 14] == '>'))
        return 0;
    e = tag_end(b, n, i, 2048);
    for (k = 0; ns[k]; k++) {
        j = find_str(b, e, i, ns[k], FALSE);
        if (j > 0 && (b[j - 1] == '\'' || b[j - 1] == '"'))
            return claim(o, WIP_P_XMPP, WIP_CONF_CERTAIN, "XMPP stream header <stream:stream> with namespace %s%s", ns[k],
                         find_str(b, e, i, "etherx.jabber.org/streams", FALSE) >= 0 ? " and streams namespace" : "");
    }
    return 0;
}

static int det_oci(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize i, e;
    static const char *const pr[] = { "protocol=\"OCI\"", "protocol='OCI'", "protocol=\"CAP\"", "protocol='CAP'", NULL };
    int k;
    (void)tcp;
    if (n < 30)
        return 0;
    i = skip_xml_prolog(b, n);
    if (!has_prefix(b, n, i, "<BroadsoftDocument") || i + 18 >= n ||
        !(b[i + 18] == ' ' || b[i + 18] == '\t' || b[i + 18] == '\r' || b[i + 18] == '\n'))
        return 0;
    e = tag_end(b, n, i, 1024);
    for (k = 0; pr[k]; k++)
        if (find_str(b, e, i, pr[k], FALSE) >= 0)
            return claim(o, WIP_P_OCI, WIP_CONF_CERTAIN, "BroadWorks %s document <BroadsoftDocument protocol=%s>%s",
                         k < 2 ? "OCI" : "CAP", k < 2 ? "OCI" : "CAP",
                         find_str(b, n, e, "</BroadsoftDocument>", FALSE) >= 0 ? ", closed" : "");
    return 0;
}

/* ------------------------------------------------------------------ */
/* JSON: bounded-depth validating parser                               */

typedef struct {
    const guint8 *b;
    gsize n, i;
    guint members;
    int maxdepth;
} jp_t;

#define JSON_MAX_DEPTH 64

static void j_ws(jp_t *p)
{
    p->i = skip_ws(p->b, p->n, p->i);
}

static gboolean j_str(jp_t *p)
{
    if (p->i >= p->n || p->b[p->i] != '"')
        return FALSE;
    p->i++;
    while (p->i < p->n) {
        guint8 c = p->b[p->i++];
        if (c == '"')
            return TRUE;
        if (c < 0x20)
            return FALSE;
        if (c == '\\') {
            if (p->i >= p->n)
                return FALSE;
            c = p->b[p->i++];
            if (c == 'u') {
                int k;
                for (k = 0; k < 4; k++, p->i++)
                    if (p->i >= p->n || !g_ascii_isxdigit(p->b[p->i]))
                        return FALSE;
            } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
                return FALSE;
            }
        }
    }
    return FALSE;
}

static gboolean j_digits(jp_t *p)
{
    gsize s = p->i;
    while (p->i < p->n && g_ascii_isdigit(p->b[p->i]))
        p->i++;
    return p->i > s;
}

static gboolean j_num(jp_t *p)
{
    if (p->i < p->n && p->b[p->i] == '-')
        p->i++;
    if (p->i >= p->n)
        return FALSE;
    if (p->b[p->i] == '0')
        p->i++;
    else if (!j_digits(p))
        return FALSE;
    if (p->i < p->n && p->b[p->i] == '.') {
        p->i++;
        if (!j_digits(p))
            return FALSE;
    }
    if (p->i < p->n && (p->b[p->i] == 'e' || p->b[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->b[p->i] == '+' || p->b[p->i] == '-'))
            p->i++;
        if (!j_digits(p))
            return FALSE;
    }
    return TRUE;
}

static gboolean j_lit(jp_t *p, const char *s)
{
    if (!has_prefix(p->b, p->n, p->i, s))
        return FALSE;
    p->i += strlen(s);
    return TRUE;
}

static gboolean j_val(jp_t *p, int depth)
{
    guint8 c;
    if (p->i >= p->n)
        return FALSE;
    c = p->b[p->i];
    if (c == '{' || c == '[') {
        guint8 close = (c == '{') ? '}' : ']';
        if (depth >= JSON_MAX_DEPTH)
            return FALSE;
        if (depth + 1 > p->maxdepth)
            p->maxdepth = depth + 1;
        p->i++;
        j_ws(p);
        if (p->i < p->n && p->b[p->i] == close) {
            p->i++;
            return TRUE;
        }
        for (;;) {
            if (c == '{') {
                if (!j_str(p))
                    return FALSE;
                j_ws(p);
                if (p->i >= p->n || p->b[p->i] != ':')
                    return FALSE;
                p->i++;
                j_ws(p);
            }
            if (!j_val(p, depth + 1))
                return FALSE;
            p->members++;
            j_ws(p);
            if (p->i >= p->n)
                return FALSE;
            if (p->b[p->i] == ',') {
                p->i++;
                j_ws(p);
                continue;
            }
            if (p->b[p->i] == close) {
                p->i++;
                return TRUE;
            }
            return FALSE;
        }
    }
    if (c == '"')
        return j_str(p);
    if (c == '-' || g_ascii_isdigit(c))
        return j_num(p);
    if (c == 't')
        return j_lit(p, "true");
    if (c == 'f')
        return j_lit(p, "false");
    if (c == 'n')
        return j_lit(p, "null");
    return FALSE;
}

static int det_json(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    jp_t p;
    int docs = 0;
    guint8 first;
    (void)tcp;
    memset(&p, 0, sizeof p);
    p.b = b;
    p.n = n;
    if (has_prefix(b, n, 0, "\xEF\xBB\xBF"))
        p.i = 3;
    j_ws(&p);
    if (p.i >= n || (b[p.i] != '{' && b[p.i] != '['))
        return 0;
    first = b[p.i];
    while (p.i < n) {
        if (b[p.i] != '{' && b[p.i] != '[')
            return 0;
        if (!j_val(&p, 0))
            return 0;
        docs++;
        j_ws(&p);
    }
    return claim(o, WIP_P_JSON, p.members ? WIP_CONF_STRONG : WIP_CONF_FITS,
                 "JSON %s parses fully: %u members, depth %d, %u bytes%s",
                 first == '{' ? "object" : "array", p.members, p.maxdepth, (unsigned)n,
                 docs > 1 ? ", several documents" : "");
}

/* ------------------------------------------------------------------ */
/* Redis RESP                                                          */

typedef struct {
    int bulks;
    int arrays;
    char cmd[16];
} resp_st_t;

/* parse CRLF-terminated line starting at off; *eol = index of CR. 1 ok, 0 bad, -1 incomplete */
static int resp_line(const guint8 *b, gsize n, gsize off, gsize *eol, gsize maxlen)
{
    gsize i;
    for (i = off; i < n && i - off <= maxlen; i++) {
        if (b[i] == '\r') {
            if (i + 1 >= n)
                return -1;
            if (b[i + 1] != '\n')
                return 0;
            *eol = i;
            return 1;
        }
        if (b[i] == '\n' || b[i] < 0x20 || b[i] == 0x7f)
            return 0;
    }
    return (i >= n) ? -1 : 0;
}

static int resp_int(const guint8 *b, gsize s, gsize e, gint64 *v)
{
    gboolean neg = FALSE;
    gint64 x = 0;
    if (s < e && b[s] == '-') {
        neg = TRUE;
        s++;
    }
    if (s == e || e - s > 18)
        return 0;
    for (; s < e; s++) {
        if (!g_ascii_isdigit(b[s]))
            return 0;
        x = x * 10 + (b[s] - '0');
    }
    *v = neg ? -x : x;
    return 1;
}

#define RESP_MAX_BULK   (512 * 1024 * 1024)   /* Redis proto-max-bulk-len */
#define RESP_MAX_AGGR   (1024 * 1024)         /* elements of one array/map/set/push */
#define RESP_MAX_DEPTH  8

/* A simple RESP value (+ - : , # _ ( ): one line whose content fits its
 * type.  1 valid, 0 not RESP, -1 needs more bytes. */
static int resp_simple(const guint8 *b, gsize n, gsize *off)
{
    gsize s = *off, eol = 0, i;
    gint64 v = 0;
    guint8 t = b[s];
    int r = resp_line(b, n, s + 1, &eol, 4096);
    if (r <= 0)
        return r;
    if (t == ':' || t == '(') {
        if (!resp_int(b, s + 1, eol, &v))
            return 0;
    } else if (t == '-' || t == '+') {
        if (eol == s + 1 && t == '-')
            return 0;
    } else if (t == '_') {
        if (eol != s + 1)
            return 0;
    } else if (t == '#') {
        if (eol != s + 2 || (b[s + 1] != 't' && b[s + 1] != 'f'))
            return 0;
    } else {
        if (eol == s + 1)
            return 0;
        for (i = s + 1; i < eol; i++)
            if (!strchr("0123456789.-+eEinfa", b[i]))
                return 0;
    }
    *off = eol + 2;
    return 1;
}

/* A bulk value ($ = !): length line, that many bytes, CRLF; the first
 * bulk of a top-level array is the command name. */
static int resp_bulk(const guint8 *b, gsize n, gsize *off, int depth, resp_st_t *st)
{
    gsize s = *off, eol = 0, d, e;
    gint64 v = 0;
    int r = resp_line(b, n, s + 1, &eol, 20);
    if (r <= 0)
        return r;
    if (!resp_int(b, s + 1, eol, &v) || v < -1 || v > RESP_MAX_BULK)
        return 0;
    if (v == -1) {
        *off = eol + 2;
        return 1;
    }
    if ((guint64)(n - (eol + 2)) < (guint64)v + 2)
        return -1;
    d = eol + 2;
    e = d + (gsize)v;
    if (b[e] != '\r' || b[e + 1] != '\n')
        return 0;
    if (st->bulks == 0 && st->arrays == 1 && depth == 1) {
        gsize k, l = MIN((gsize)v, sizeof st->cmd - 1);
        for (k = 0; k < l; k++)
            st->cmd[k] = (b[d + k] >= 0x20 && b[d + k] < 0x7f) ? (char)b[d + k] : '.';
        st->cmd[k] = 0;
    }
    st->bulks++;
    *off = e + 2;
    return 1;
}

static int resp_val(const guint8 *b, gsize n, gsize *off, int depth, resp_st_t *st)
{
    gsize s = *off, eol = 0;
    gint64 v = 0, k;
    int r;
    guint8 t;
    if (s >= n)
        return -1;
    t = b[s];
    switch (t) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
        return resp_simple(b, n, off);
    case '$': case '=': case '!':
        return resp_bulk(b, n, off, depth, st);
    case '*': case '~': case '>': case '%':
        if (depth >= RESP_MAX_DEPTH)
            return 0;
        r = resp_line(b, n, s + 1, &eol, 20);
        if (r <= 0)
            return r;
        if (!resp_int(b, s + 1, eol, &v) || v < -1 || v > RESP_MAX_AGGR)
            return 0;
        st->arrays++;
        *off = eol + 2;
        if (t == '%')
            v *= 2;
        for (k = 0; k < v; k++) {
            r = resp_val(b, n, off, depth + 1, st);
            if (r <= 0)
                return r;
        }
        return 1;
    default:
        return 0;
    }
}

/* Redis inline commands (telnet-style, one per line): a command name only
 * Redis has, with an argument count it accepts.  Shared words (GET, SET,
 * PING, INFO, QUIT) are not taken: "GET /" is HTTP/0.9 too. */
static int resp_inline(const guint8 *b, gsize n, wip_recog_t *o)
{
    static const struct { const char *name; int min, max; } cmds[] = {
        { "HGETALL", 1, 1 }, { "HSET", 3, 99 }, { "HGET", 2, 2 }, { "HDEL", 2, 99 }, { "LPUSH", 2, 99 },
        { "RPUSH", 2, 99 }, { "LRANGE", 3, 3 }, { "LLEN", 1, 1 }, { "SADD", 2, 99 }, { "SMEMBERS", 1, 1 },
        { "ZADD", 3, 99 }, { "ZRANGE", 3, 6 }, { "INCRBY", 2, 2 }, { "EXPIRE", 2, 3 }, { "FLUSHALL", 0, 1 },
        { "FLUSHDB", 0, 1 }, { "DBSIZE", 0, 0 }, { "SETEX", 3, 3 }, { "SETNX", 2, 2 }, { "MSET", 2, 99 },
        { "MGET", 1, 99 }, { "RPOPLPUSH", 2, 2 }, { "BGSAVE", 0, 1 }, { "BGREWRITEAOF", 0, 0 },
        { "REPLICAOF", 2, 2 }, { "SLAVEOF", 2, 2 }, { "PSUBSCRIBE", 1, 99 }, { "RANDOMKEY", 0, 0 }, { NULL, 0, 0 }
    };
    gsize e = 0, i;
    int k, args = 0;
    char name[16];
    while (e < n && b[e] != '\r' && b[e] != '\n')
        e++;
    if (e + 2 != n || b[e] != '\r' || b[e + 1] != '\n')
        return 0;          /* one command line, CRLF */
    for (i = 0; i < e && i < sizeof name - 1 && b[i] != ' '; i++)
        name[i] = (char)g_ascii_toupper(b[i]);
    name[i] = 0;
    for (; i < e; i++) {
        if (b[i] < 0x20 || b[i] >= 0x7f)
            return 0;
        if (b[i] == ' ' && i + 1 < e && b[i + 1] != ' ')
            args++;
    }
    for (k = 0; cmds[k].name; k++)
        if (strcmp(name, cmds[k].name) == 0 && args >= cmds[k].min && args <= cmds[k].max)
            return claim(o, WIP_P_RESP, WIP_CONF_TEXTLINE + 5, "Redis inline command %s with %d argument%s",
                         cmds[k].name, args, args == 1 ? "" : "s");
    return 0;
}

static int det_resp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0;
    int vals = 0, r = 1, conf;
    resp_st_t st;
    guint8 t = n ? b[0] : 0;
    if (tcp && n >= 6 && g_ascii_isalpha(t))
        return resp_inline(b, n, o);
    if (n < 3 || t == 0 || !strchr("+-:$*%~>_#,(=!", t))
        return 0;
    memset(&st, 0, sizeof st);
    while (off < n) {
        r = resp_val(b, n, &off, 0, &st);
        if (r <= 0)
            break;
        vals++;
    }
    if (r == 0)
        return 0;
    if (r < 0) {
        /* incomplete last value: only a TCP segment, only when something was complete */
        if (!tcp || (t != '*' && t != '$') || st.bulks < 1)
            return 0;
        return claim(o, WIP_P_RESP, WIP_CONF_SHAPE, "Redis RESP %s with %d bulk strings, continues beyond segment",
                     t == '*' ? "array" : "bulk string", st.bulks);
    }
    switch (t) {
    case '*': case '>': conf = st.bulks ? WIP_CONF_WHOLE : WIP_CONF_LOCKS; break;
    case '%': case '~': conf = WIP_CONF_GOOD; break;
    case '$': case '=': conf = WIP_CONF_STRUCT; break;
    case '+':
        /* "+OK POP3 server ready" is a POP3 greeting as well as a RESP
         * simple string: a line with spaces proves nothing more than text.
         * Redis's own status replies are single words (+OK, +PONG, +QUEUED). */
        if (memchr(b, ' ', n))
            conf = WIP_RECOG_WEAK_MAX - 5;
        else
            conf = (n == 7 && memcmp(b, "+PONG\r\n", 7) == 0) ? WIP_CONF_LOCKS : WIP_CONF_SHAPE;
        break;
    case '-': conf = WIP_RECOG_WEAK_MAX - 5; break;   /* "-ERR ..." is POP3's too */
    case ':': conf = WIP_CONF_FITS; break;
    default: conf = WIP_RECOG_WEAK_MAX; break;
    }
    if (vals > 1 && conf < 90)
        conf += 5;
    if (st.cmd[0])
        return claim(o, WIP_P_RESP, conf, "Redis RESP array of bulk strings (command %s), %d value%s consistent",
                     st.cmd, vals, vals == 1 ? "" : "s");
    {
        char first[32];
        copy_printable(first, sizeof first, b, n, -1);
        return claim(o, WIP_P_RESP, conf, "Redis RESP value '%s', %d value%s consistent", first, vals,
                     vals == 1 ? "" : "s");
    }
}

/* ------------------------------------------------------------------ */
/* SMB over NetBIOS session service                                   */

static int smb_hdr(const guint8 *p, gsize r, gsize *nlen)
{
    /* 0: not smb; else kind 0xff, 0xfe, 0xfd, 0xfc */
    if (r < 8 || p[0] != 0 || p[5] != 'S' || p[6] != 'M' || p[7] != 'B')
        return 0;
    if (p[4] != 0xff && p[4] != 0xfe && p[4] != 0xfd && p[4] != 0xfc)
        return 0;
    *nlen = rd24(p + 1);
    if ((p[4] == 0xff && *nlen < 32) || (p[4] == 0xfe && *nlen < 64) || (p[4] == 0xfd && *nlen < 52) ||
        (p[4] == 0xfc && *nlen < 16))
        return 0;
    if (p[4] == 0xfe && r >= 10 && (p[8] != 64 || p[9] != 0))
        return 0;
    return p[4];
}

/* SMB2 command names (MS-SMB2 2.2.1) */
static const char *smb2_command_name(guint c)
{
    static const char *const names[] = {
        "NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT", "TREE_DISCONNECT", "CREATE", "CLOSE",
        "FLUSH", "READ", "WRITE", "LOCK", "IOCTL", "CANCEL", "ECHO", "QUERY_DIRECTORY", "CHANGE_NOTIFY",
        "QUERY_INFO", "SET_INFO", "OPLOCK_BREAK"
    };
    return c < G_N_ELEMENTS(names) ? names[c] : "unknown command";
}

static int det_smb(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0, nlen0 = 0, nl;
    int kind;
    gboolean partial = FALSE;
    kind = smb_hdr(b, n, &nlen0);
    if (!kind)
        return 0;
    while (off < n) {
        if (!smb_hdr(b + off, n - off, &nl)) {
            if (n - off < 8 && b[off] == 0) {   /* tail: next header starts here */
                partial = TRUE;
                break;
            }
            return 0;
        }
        if (off + 4 + nl > n) {
            partial = TRUE;
            break;
        }
        off += 4 + nl;
    }
    if (partial && !tcp)
        return 0;
    {
        char cmd[24] = "";
        if (kind == 0xfe && n >= 18)
            g_snprintf(cmd, sizeof cmd, ", %s", smb2_command_name((guint)(b[16] | (b[17] << 8))));
        else if (kind == 0xff && n >= 9)
            g_snprintf(cmd, sizeof cmd, ", command 0x%02x", b[8]);
        return claim(o, WIP_P_SMB, partial ? WIP_CONF_GOOD : WIP_CONF_CERTAIN,
                     "NetBIOS session header (length %u, %s), %s header%s",
                     (unsigned)nlen0, partial ? "continues beyond segment" : "matches the payload",
                     kind == 0xff ? "SMB1 \\xffSMB" : kind == 0xfe ? "SMB2 \\xfeSMB" :
                     kind == 0xfd ? "SMB3 transform \\xfdSMB" : "SMB3 compression \\xfcSMB", cmd);
    }
}

/* ------------------------------------------------------------------ */
/* TPKT: COTP (ISO 8073), RDP, Q.931 (H.225)                           */

/* TPKT/COTP levels */
#define WIP_CONF_TPKT_FULL      88  /* a whole PDU whose inner structure holds */
#define WIP_CONF_TPKT_DT        85  /* a whole COTP data TPDU */
#define WIP_CONF_TPKT_CR_LOOSE  75  /* CR/CC whose length leaves room, or a whole error TPDU */
#define WIP_CONF_TPKT_CR_CUT    72  /* CR/CC cut by the segment end */
#define WIP_CONF_RDP_NEG        92  /* RDP negotiation request/response; also the cap for several PDUs */

static gboolean q931_msgtype_ok(guint8 t)
{
    switch (t) {
    case 0x01: case 0x02: case 0x03: case 0x05: case 0x07: case 0x0D: case 0x0F:
    case 0x20: case 0x45: case 0x46: case 0x4D: case 0x4E: case 0x5A: case 0x60:
    case 0x62: case 0x6E: case 0x75: case 0x7B: case 0x7D:
        return TRUE;
    default:
        return FALSE;
    }
}

/* TPKT PDUs (version 3, length >= 7) back to back: how many start in
 * the payload, and whether the last one continues beyond it.  FALSE: not
 * TPKT. */
static gboolean tpkt_walk(const guint8 *b, gsize n, int *pdus, gboolean *partial)
{
    gsize off = 0;
    *pdus = 0;
    *partial = FALSE;
    while (off < n) {
        gsize r = n - off, l;
        if (r < 4) {
            if (b[off] != 3 || (r > 1 && b[off + 1] != 0))
                return FALSE;
            *partial = TRUE;
            break;
        }
        if (b[off] != 3 || b[off + 1] != 0)
            return FALSE;
        l = rd16(b + off + 2);
        if (l < 7)
            return FALSE;
        (*pdus)++;
        if (off + l > n) {
            *partial = TRUE;
            break;
        }
        off += l;
    }
    return TRUE;
}

/* Q.931 (H.225.0 call signalling directly on TPKT): call reference, a
 * known message type, information elements that walk to the PDU's end */
static int tpkt_q931(const guint8 *b, gsize tl, gsize avail, gboolean full, wip_recog_t *o)
{
    gsize crl = b[5], i;
    guint8 mt;
    if (crl > 3 || 6 + crl >= avail)
        return 0;
    mt = b[6 + crl];
    if (!q931_msgtype_ok(mt))
        return 0;
    if (!full)
        return claim(o, WIP_P_TPKT, WIP_CONF_LIKELY, "TPKT length %u, continues beyond segment, Q.931 message type 0x%02x",
                     (unsigned)tl, mt);
    for (i = 7 + crl; i < tl;) {
        guint8 ie = b[i];
        if (ie & 0x80) {
            i++;
        } else if (ie == 0x7e) {
            if (i + 3 > tl)
                return 0;
            i += 3 + rd16(b + i + 1);
        } else {
            if (i + 2 > tl)
                return 0;
            i += 2 + b[i + 1];
        }
    }
    if (i != tl)
        return 0;
    return claim(o, WIP_P_TPKT, WIP_CONF_TPKT_FULL, "TPKT header (length %u matches) with Q.931 message type 0x%02x, %u-byte call reference; its information elements fill the message",
                 (unsigned)tl, mt, (unsigned)crl);
}

/* RDP inside a COTP connection request / confirm: the mstshash cookie, or
 * an RDP negotiation request/response/failure ending the variable part.
 * 0: not RDP. */
static int cotp_rdp(const guint8 *b, gsize tl, gsize li, gsize avail, gboolean full, guint8 code, wip_recog_t *o)
{
    gsize ve = MIN(5 + li, avail);  /* end of the variable part */
    const guint8 *q;
    if (code == 0xE0 && (has_prefix(b, ve, 11, "Cookie: mstshash=") || has_prefix(b, ve, 11, "Cookie: msts=")))
        return claim(o, WIP_P_RDP, WIP_CONF_CERTAIN, "TPKT length %u, COTP connection request with RDP cookie \"%.17s\"",
                     (unsigned)tl, (const char *)b + 11);
    if (!full || li + 5 != tl || ve < 19)
        return 0;
    q = b + ve - 8;
    if (code == 0xE0 && q[0] == 0x01 && q[2] == 0x08 && q[3] == 0 && q[5] == 0 && q[6] == 0 && q[7] == 0 && q[4] <= 0x1f)
        return claim(o, WIP_P_RDP, WIP_CONF_RDP_NEG, "TPKT length %u, COTP connection request with RDP negotiation request (protocols 0x%02x)",
                     (unsigned)tl, q[4]);
    if (code == 0xD0 && (q[0] == 0x02 || q[0] == 0x03) && q[2] == 0x08 && q[3] == 0 && ve == 19)
        return claim(o, WIP_P_RDP, WIP_CONF_RDP_NEG, "TPKT length %u, COTP connection confirm with RDP negotiation %s",
                     (unsigned)tl, q[0] == 2 ? "response" : "failure");
    return 0;
}

/* The COTP TPDU of the first PDU: its name and level (0: not COTP, or
 * RDP, claimed by cotp_rdp; *rdp set then). */
static int cotp_tpdu(const guint8 *b, gsize tl, gsize avail, gboolean full, const char **name, int *rdp, wip_recog_t *o)
{
    gsize li = b[4];
    guint8 code = b[5] & 0xF0;
    gboolean exact = full && li + 5 == tl;
    *rdp = 0;
    if (li < 2 || 5 + li > tl)
        return 0;
    switch (code) {
    case 0xE0: case 0xD0:
        if (li < 6 || avail < 11 || (code == 0xE0 && rd16(b + 6) != 0) || (b[10] >> 4) > 4)
            return 0;   /* CR: destination reference 0; class 0-4 */
        *name = code == 0xE0 ? "connection request (CR)" : "connection confirm (CC)";
        if ((*rdp = cotp_rdp(b, tl, li, avail, full, code, o)) != 0)
            return 0;
        return (li + 5 == tl) ? (full ? WIP_CONF_TPKT_FULL : WIP_CONF_TPKT_CR_CUT) : (full ? WIP_CONF_TPKT_CR_LOOSE : 0);
    case 0xF0:
        if (li != 2 || (b[6] & 0x7F) != 0)
            return 0;
        *name = "data (DT)";
        return full ? WIP_CONF_TPKT_DT : WIP_CONF_LIKELY;
    case 0x80: case 0xC0:
        if (li < 6)
            return 0;
        *name = code == 0x80 ? "disconnect request (DR)" : "disconnect confirm (DC)";
        return exact ? WIP_CONF_STRUCT : 0;
    case 0x70:
        if (li < 4)
            return 0;
        *name = "error (ER)";
        return exact ? WIP_CONF_TPKT_CR_LOOSE : 0;
    case 0x10: case 0x20: case 0x50: case 0x60:
        *name = "expedited/ack";
        return exact ? WIP_RECOG_LOCK_MIN : 0;
    default:
        return 0;
    }
}

static int det_tpkt(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize tl;
    int pdus, conf, rdp;
    gboolean partial, full;
    const char *name = NULL;
    if (n < 7 || b[0] != 3 || b[1] != 0)
        return 0;
    tl = rd16(b + 2);
    if (tl < 7 || !tpkt_walk(b, n, &pdus, &partial) || (partial && !tcp))
        return 0;
    full = (tl <= n);
    if (b[4] == 0x08)
        return tpkt_q931(b, tl, MIN(tl, n), full, o);
    conf = cotp_tpdu(b, tl, MIN(tl, n), full, &name, &rdp, o);
    if (rdp)
        return rdp;
    if (!conf)
        return 0;
    if (pdus > 1)
        conf = MIN(conf + 5, WIP_CONF_RDP_NEG);
    return claim(o, WIP_P_TPKT, conf, "TPKT version 3 length %u%s, COTP %s, %d PDU%s",
                 (unsigned)tl, full ? " (consistent)" : " (continues beyond segment)", name,
                 pdus, pdus == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ */
/* DNS                                                                 */

/* parse a domain name at *off inside msg [0,n); compression pointers must point backwards.
 * 1 ok, 0 bad, -1 incomplete. Writes up to dsz-1 chars of the dotted name into dst (if any). */
static int dns_name(const guint8 *m, gsize n, gsize *off, gboolean allow_ptr, char *dst, gsize dsz)
{
    gsize i = *off, total = 0, o = 0, end = 0, lowest = *off;
    int jumps = 0;
    gboolean jumped = FALSE;
    if (dst && dsz)
        dst[0] = 0;
    for (;;) {
        guint8 l;
        if (i >= n)
            return -1;
        l = m[i];
        if (l == 0) {
            if (!jumped)
                end = i + 1;
            break;
        }
        if ((l & 0xC0) == 0xC0) {
            gsize tgt;
            if (!allow_ptr)
                return 0;
            if (i + 1 >= n)
                return -1;
            tgt = ((gsize)(l & 0x3F) << 8) | m[i + 1];
            if (tgt < 12 || tgt >= lowest || ++jumps > 16)
                return 0;
            if (!jumped)
                end = i + 2;
            jumped = TRUE;
            lowest = tgt;
            i = tgt;
            continue;
        }
        if (l & 0xC0)
            return 0;
        if (i + 1 + l > n)
            return -1;
        {
            gsize k;
            for (k = 1; k <= l; k++) {
                guint8 c = m[i + k];
                if (c <= 0x20 || c >= 0x7f)
                    return 0;
                if (dst && o + 1 < dsz)
                    dst[o++] = (char)c;
            }
            if (dst && o + 1 < dsz)
                dst[o++] = '.';
        }
        total += l + 1;
        if (total > 255)
            return 0;
        i += 1 + l;
    }
    if (dst && dsz) {
        if (o > 0 && dst[o - 1] == '.' && o + 1 < dsz)
            o--;
        if (o == 0 && dsz > 1)
            dst[o++] = '.';
        dst[o] = 0;
    }
    *off = end;
    return 1;
}

static gboolean dns_class_ok(guint16 c)
{
    c &= 0x7fff;   /* mDNS unicast-response / cache-flush bit */
    return c == 1 || c == 3 || c == 4 || c == 254 || c == 255;
}

static const char *dns_type_name(guint16 t)
{
    switch (t) {
    case 1: return "A"; case 2: return "NS"; case 5: return "CNAME"; case 6: return "SOA";
    case 12: return "PTR"; case 15: return "MX"; case 16: return "TXT"; case 28: return "AAAA";
    case 33: return "SRV"; case 35: return "NAPTR"; case 41: return "OPT"; case 43: return "DS";
    case 48: return "DNSKEY"; case 64: return "SVCB"; case 65: return "HTTPS"; case 252: return "AXFR";
    case 255: return "ANY";
    default: return NULL;
    }
}

/* Validate one DNS message m[0,n). partial: bytes beyond n may be missing.
 * Returns confidence (0 = not DNS) and fills evidence details. */
static int dns_msg(const guint8 *m, gsize n, gboolean partial, char *qn, gsize qnsz, guint16 *qtype,
                   gboolean *is_resp, guint *nrr)
{
    guint16 fl, qd, an, ns, ar;
    guint opcode, rcode;
    gsize off = 12;
    guint k, total;
    if (n < 17)
        return 0;
    fl = rd16(m + 2);
    qd = rd16(m + 4); an = rd16(m + 6); ns = rd16(m + 8); ar = rd16(m + 10);
    opcode = (fl >> 11) & 0xF;
    rcode = fl & 0xF;
    *is_resp = (fl & 0x8000) != 0;
    if (opcode != 0 && opcode != 2 && opcode != 4 && opcode != 5)
        return 0;
    if (fl & 0x0040)
        return 0;   /* Z bit */
    if (qd < 1 || qd > 4 || (opcode == 0 && qd != 1))
        return 0;
    if (an > 512 || ns > 512 || ar > 512)
        return 0;
    if (!*is_resp) {
        if (rcode != 0 || (fl & 0x0200) || (fl & 0x0080))
            return 0;   /* queries: no rcode, not truncated, no RA */
        if ((fl & 0x0400) && opcode != 4)
            return 0;   /* AA only in NOTIFY requests */
        if (opcode == 0 && (an != 0 || ns != 0 || ar > 4))
            return 0;
    } else if (rcode > 10) {
        return 0;
    }
    for (k = 0; k < qd; k++) {
        int r = dns_name(m, n, &off, k > 0, k == 0 ? qn : NULL, qnsz);
        guint16 t, c;
        if (r == 0)
            return 0;
        if (r < 0 || off + 4 > n) {
            /* segment ends inside the question: the header alone must be tight
             * (a query has qdcount 1 and no answer/authority records) */
            if (!partial || k > 0)
                return 0;
            return (!*is_resp && qd == 1 && an == 0 && ns == 0) ? WIP_CONF_LOCKS : WIP_CONF_LIKELY;
        }
        t = rd16(m + off);
        c = rd16(m + off + 2);
        if (t == 0 || !dns_class_ok(c))
            return 0;
        if (k == 0)
            *qtype = t;
        off += 4;
    }
    total = (guint)an + ns + ar;
    *nrr = total;
    for (k = 0; k < total; k++) {
        int r = dns_name(m, n, &off, TRUE, NULL, 0);
        guint16 t, c, rdl;
        if (r == 0)
            return 0;
        if (r < 0 || off + 10 > n)
            return partial ? 75 : 0;
        t = rd16(m + off);
        c = rd16(m + off + 2);
        rdl = rd16(m + off + 8);
        if (t == 0 || (t != 41 && !dns_class_ok(c)))
            return 0;
        off += 10;
        if (off + rdl > n)
            return partial ? 75 : 0;
        off += rdl;
    }
    /* everything parsed: must end exactly (a partial segment would have run out above) */
    if (partial || off != n)
        return 0;
    return WIP_CONF_STRONG;
}

static int det_dns(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    char qn[56];
    guint16 qt = 0;
    gboolean resp = FALSE;
    guint nrr = 0;
    int conf;
    gsize plen = 0;
    const char *tn;
    char tbuf[12];

    if (!tcp) {
        conf = dns_msg(b, n, FALSE, qn, sizeof qn, &qt, &resp, &nrr);
    } else {
        if (n < 19)
            return 0;
        plen = rd16(b);
        if (plen < 17)
            return 0;
        if (plen == n - 2) {
            conf = dns_msg(b + 2, n - 2, FALSE, qn, sizeof qn, &qt, &resp, &nrr);
        } else if (plen > n - 2) {
            conf = dns_msg(b + 2, n - 2, TRUE, qn, sizeof qn, &qt, &resp, &nrr);
        } else {
            /* several messages in one segment: each must parse */
            gsize off = 2 + plen;
            conf = dns_msg(b + 2, plen, FALSE, qn, sizeof qn, &qt, &resp, &nrr);
            while (conf && off < n) {
                char q2[2];
                guint16 t2;
                gboolean r2;
                guint n2;
                gsize pl;
                if (n - off < 2)
                    return 0;
                pl = rd16(b + off);
                if (pl < 17)
                    return 0;
                if (off + 2 + pl <= n) {
                    if (!dns_msg(b + off + 2, pl, FALSE, q2, sizeof q2, &t2, &r2, &n2))
                        return 0;
                } else if (!dns_msg(b + off + 2, n - off - 2, TRUE, q2, sizeof q2, &t2, &r2, &n2)) {
                    return 0;
                }
                off += 2 + pl;
            }
        }
    }
    if (!conf)
        return 0;
    tn = dns_type_name(qt);
    if (!tn) {
        g_snprintf(tbuf, sizeof tbuf, "type %u", qt);
        tn = tbuf;
    }
    if (tcp)
        return claim(o, WIP_P_DNS, conf, "DNS over TCP %s: %s %s, %u records, length prefix %u %s",
                     resp ? "response" : "query", qn, tn, nrr, (unsigned)plen,
                     plen == n - 2 ? "(consistent)" : plen > n - 2 ? "(continues)" : "(several messages)");
    return claim(o, WIP_P_DNS, conf, "DNS %s: %s %s, %u records, length %u (consistent)",
                 resp ? "response" : "query", qn, tn, nrr, (unsigned)n);
}

/* ------------------------------------------------------------------ */
/* STUN / TURN                                                         */

static const char *stun_method_name(guint m)
{
    switch (m) {
    case 1: return "Binding"; case 2: return "SharedSecret"; case 3: return "Allocate";
    case 4: return "Refresh"; case 6: return "Send"; case 7: return "Data";
    case 8: return "CreatePermission"; case 9: return "ChannelBind"; case 10: return "Connect";
    case 11: return "ConnectionBind"; case 12: return "ConnectionAttempt";
    default: return NULL;
    }
}

static const char *const stun_class_name[4] = { "request", "indication", "success response", "error response" };

/* one STUN message at p with r bytes: 1 complete ok (*mlen set), -1 partial ok, 0 bad */
static int stun_msg(const guint8 *p, gsize r, gsize *mlen, guint *method, guint *cls)
{
    guint t, ml;
    gsize i;
    if (r < 20 || (p[0] & 0xC0) != 0 || rd32(p + 4) != 0x2112A442)
        return 0;
    ml = rd16(p + 2);
    if (ml % 4)
        return 0;
    t = rd16(p);
    *method = (t & 0xF) | ((t >> 1) & 0x70) | ((t >> 2) & 0xF80);
    *cls = ((t >> 4) & 1) | ((t >> 7) & 2);
    if ((*method == 6 || *method == 7) && *cls != 1)
        return 0;
    if (*method == 0)
        return 0;
    *mlen = 20 + ml;
    if (20 + (gsize)ml > r)
        return -1;
    /* attribute walk */
    for (i = 20; i < 20 + (gsize)ml;) {
        gsize al;
        if (i + 4 > 20 + (gsize)ml)
            return 0;
        al = rd16(p + i + 2);
        i += 4 + ((al + 3) & ~(gsize)3);
    }
    return i == 20 + (gsize)ml ? 1 : 0;
}

static int det_stun(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize ml = 0, off;
    guint method = 0, cls = 0, m2, c2;
    int r, msgs = 1, conf;
    const char *mn;
    r = stun_msg(b, n, &ml, &method, &cls);
    if (r == 0)
        return 0;
    if (r < 0 && !tcp)
        return 0;
    if (r > 0 && ml != n) {
        if (!tcp)
            return 0;
        off = ml;
        while (off < n) {
            gsize l2;
            int r2 = stun_msg(b + off, n - off, &l2, &m2, &c2);
            if (r2 == 0) {
                /* ChannelData framing may follow on TCP */
                if (n - off >= 4 && b[off] >= 0x40 && b[off] <= 0x4F) {
                    l2 = 4 + ((rd16(b + off + 2) + 3) & ~3u);
                } else
                    return 0;
            }
            msgs++;
            if (r2 < 0)
                break;
            off += l2;
        }
    }
    mn = stun_method_name(method);
    conf = (r > 0) ? (mn ? WIP_CONF_CERTAIN : WIP_CONF_STRUCT) : (mn ? WIP_CONF_GOOD_CUT : 0);
    if (!conf)
        return 0;
    {
        wip_proto_t p = (method >= 3 && method <= 12) ? WIP_P_TURN : WIP_P_STUN;
        char mbuf[16];
        if (!mn) {
            g_snprintf(mbuf, sizeof mbuf, "method 0x%03x", method);
            mn = mbuf;
        }
        return claim(o, p, conf, "%s %s %s with the magic cookie, 20-byte header + %u bytes%s%s",
                     p == WIP_P_TURN ? "TURN" : "STUN", mn, stun_class_name[cls], rd16(b + 2),
                     r > 0 ? " (fills the payload)" : " (continues beyond segment)",
                     msgs > 1 ? ", several messages" : "");
    }
}

/* Classic STUN (RFC 3489): no magic cookie, so the message type, a length
 * that fills the datagram exactly and an attribute walk over RFC 3489's
 * attribute types (address attributes with family 1/2 and their exact
 * lengths) must all hold.  A Binding Request without attributes proves only
 * its 4 header bytes: weak. */
static int det_stun_classic(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    guint t, ml;
    gsize i;
    int attrs = 0, addr = 0;
    const char *tn;
    if (n < 20 || rd32(b + 4) == 0x2112A442)
        return 0;
    t = rd16(b);
    switch (t) {
    case 0x0001: tn = "Binding Request"; break;
    case 0x0101: tn = "Binding Response"; break;
    case 0x0111: tn = "Binding Error Response"; break;
    case 0x0002: tn = "Shared Secret Request"; break;
    case 0x0102: tn = "Shared Secret Response"; break;
    case 0x0112: tn = "Shared Secret Error Response"; break;
    default: return 0;
    }
    ml = rd16(b + 2);
    if (ml % 4 || 20 + (gsize)ml != n || (tcp && ml == 0))
        return 0;
    for (i = 20; i < n;) {
        guint at, al;
        if (i + 4 > n)
            return 0;
        at = rd16(b + i);
        al = rd16(b + i + 2);
        if (i + 4 + al > n)
            return 0;
        switch (at) {
        case 0x0001: case 0x0002: case 0x0004: case 0x0005: case 0x000b:   /* address attributes */
        case 0x0020: case 0x8020:                                            /* XOR-MAPPED-ADDRESS (as RFC 5389 numbers it, and as pre-RFC 5389 servers did) */
            if (!(al == 8 && b[i + 4] == 0 && b[i + 5] == 1) && !(al == 20 && b[i + 4] == 0 && b[i + 5] == 2))
                return 0;
            addr++;
            break;
        case 0x0003: if (al != 4 || (b[i + 4] | b[i + 5] | b[i + 6]) || (b[i + 7] & ~0x06)) return 0; break;  /* CHANGE-REQUEST */
        case 0x0006: case 0x0007: if (al == 0 || al % 4) return 0; break;   /* USERNAME, PASSWORD */
        case 0x0008: if (al != 20) return 0; break;                         /* MESSAGE-INTEGRITY */
        case 0x0009: if (al < 4 || b[i + 6] < 1 || b[i + 6] > 6 || b[i + 7] > 99) return 0; break;   /* ERROR-CODE */
        case 0x000a: if (al == 0 || al % 2) return 0; break;                /* UNKNOWN-ATTRIBUTES */
        case 0x8022: case 0x8023: if (al == 0) return 0; break;             /* SERVER, ALTERNATE-SERVER (vendor) */
        default: return 0;
        }
        attrs++;
        i += 4 + ((al + 3) & ~3u);
    }
    if (i != n)
        return 0;
    if ((t & 0x0110) == 0x0100 && t != 0x0102 && addr == 0)
        return 0;          /* a Binding Response carries MAPPED-ADDRESS */
    return claim(o, WIP_P_STUN, attrs == 0 ? WIP_CONF_FAINT : addr >= 2 ? WIP_CONF_STRONG : WIP_CONF_STRUCT,
                 "old-style STUN (RFC 3489, no magic cookie) %s: 20-byte header + %u bytes, %d attribute%s fill it%s",
                 tn, ml, attrs, attrs == 1 ? "" : "s", attrs == 0 ? " (unconfirmed)" : "");
}

/* TURN ChannelData (RFC 8656 section 12): weak alone (16 bits checked) */
static gboolean turn_channel_ok(const guint8 *b, gsize n, gboolean tcp, guint *chan, guint *dl)
{
    gsize l, padded;
    if (n < 5 || b[0] < 0x40 || b[0] > 0x4F)
        return FALSE;
    l = rd16(b + 2);
    if (l == 0)
        return FALSE;
    padded = (l + 3) & ~(gsize)3;
    /* one message per payload; UDP may omit the padding, TCP must not (RFC 8656 12.5) */
    if (!(n == 4 + padded || (!tcp && n == 4 + l)))
        return FALSE;
    *chan = rd16(b);
    *dl = (guint)l;
    return TRUE;
}

static int det_turn_channel(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    guint ch, dl;
    if (!turn_channel_ok(b, n, tcp, &ch, &dl))
        return 0;
    return claim(o, WIP_P_TURN, WIP_CONF_HINT, "TURN ChannelData? channel 0x%04x, length %u (consistent, unconfirmed)", ch, dl);
}

/* ------------------------------------------------------------------ */
/* RTP / RTCP                                                          */

typedef struct {
    guint8 pt, cc, x, p, marker;
    guint16 seq;
    guint32 ssrc, ts;
    gsize hlen, plen;
    guint16 ext_profile;
} rtp_info_t;

static gboolean rtp_pt_ok(guint pt)
{
    return pt <= 34 || (pt >= 96 && pt <= 127);
}

static gboolean rtp_hdr(const guint8 *b, gsize n, rtp_info_t *ri)
{
    gsize h;
    if (n < 12 || (b[0] & 0xC0) != 0x80)
        return FALSE;
    ri->p = (b[0] >> 5) & 1;
    ri->x = (b[0] >> 4) & 1;
    ri->cc = b[0] & 0xF;
    ri->marker = b[1] >> 7;
    ri->pt = b[1] & 0x7F;
    if (!rtp_pt_ok(ri->pt))
        return FALSE;
    ri->seq = rd16(b + 2);
    ri->ts = rd32(b + 4);
    ri->ssrc = rd32(b + 8);
    h = 12 + 4 * (gsize)ri->cc;
    if (h > n)
        return FALSE;
    ri->ext_profile = 0;
    if (ri->x) {
        gsize el;
        if (h + 4 > n)
            return FALSE;
        ri->ext_profile = rd16(b + h);
        el = 4 + 4 * (gsize)rd16(b + h + 2);
        if (h + el > n)
            return FALSE;
        h += el;
    }
    ri->hlen = h;
    ri->plen = n - h;
    if (ri->p) {
        guint8 pad = b[n - 1];
        if (pad == 0 || pad > ri->plen)
            return FALSE;
        ri->plen -= pad;
    }
    return TRUE;
}

static gboolean rtp_size_fits_codec(guint pt, const guint8 *pay, gsize pl)
{
    /* whole frames of the static codec, at most ~80 ms per packet */
    switch (pt) {
    case 0: case 8: case 9: return pl > 0 && pl <= 640 && pl % 80 == 0;    /* G.711, G.722: 80 bytes per 10 ms */
    case 18: return pl > 0 && pl <= 82 && (pl % 10 == 0 || pl % 10 == 2);   /* G.729: 10 bytes per 10 ms, 2-byte SID */
    case 3: return pl > 0 && pl <= 132 && pl % 33 == 0;                      /* GSM: 33 bytes per 20 ms */
    case 4: return pl > 0 && pl <= 72 && (pl % 24 == 0 || pl % 20 == 0 || pl == 4);  /* G.723.1 */
    case 13: return pl >= 1 && pl <= 11 && pay[0] <= 127;                     /* comfort noise: level 0-127 + coefficients */
    case 33: return pl > 0 && pl <= 7 * 188 && pl % 188 == 0;                /* MPEG-2 TS */
    default: return FALSE;
    }
}

static int det_rtp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    rtp_info_t ri;
    int conf = WIP_CONF_TRACE_MIN;
    if (tcp) {
        /* RFC 4571 framing */
        if (n < 14 || rd16(b) != n - 2)
            return 0;
        b += 2;
        n -= 2;
    }
    if (!rtp_hdr(b, n, &ri) || ri.plen == 0)
        return 0;
    /* Version 2 and a payload type are only ~3 bits of evidence, so a single
     * packet is claimed (weakly) only with something more: a payload size
     * that fits its static codec, a standard header-extension profile, or
     * RFC 4571 framing.  The conversation layer confirms RTP over 3 packets. */
    {
        gboolean codec = rtp_size_fits_codec(ri.pt, b + ri.hlen, ri.plen);
        gboolean ext = ri.x && (ri.ext_profile == 0xBEDE || (ri.ext_profile & 0xFFF0) == 0x1000);
        if ((ri.x && !ext) || ri.cc != 0)
            return 0;
        if (!codec && !ext && !tcp)
            return 0;
        conf += 10;
        if (codec)
            conf += 10;
        if (ext)
            conf += 10;
        if (tcp)
            conf += 5;
    }
    conf = MIN(conf, WIP_RECOG_WEAK_MAX);
    return claim(o, WIP_P_RTP, conf, "RTP-like v2 PT %u seq %u SSRC 0x%08x, payload %u%s; 1 packet, unconfirmed",
                 ri.pt, ri.seq, ri.ssrc, (unsigned)ri.plen,
                 tcp ? " (RFC 4571 framed)" : rtp_size_fits_codec(ri.pt, b + ri.hlen, ri.plen) ? " fits codec" : " with ext");
}

static int det_rtcp(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0;
    int pkts = 0, conf;
    guint8 pt0;
    if (tcp && !strip_length_prefix(&b, &n, 2, 10))
        return 0;
    if (n < 8)
        return 0;
    pt0 = b[1];
    while (off < n) {
        const guint8 *p = b + off;
        guint pt, rc;
        gsize pl;
        if (n - off < 4 || (p[0] & 0xC0) != 0x80)
            return 0;
        pt = p[1];
        rc = p[0] & 0x1F;
        if (pt < 192 || pt > 213)
            return 0;
        pl = ((gsize)rd16(p + 2) + 1) * 4;
        if (off + pl > n)
            return 0;
        if ((p[0] & 0x20) && off + pl != n)
            return 0;   /* padding only in the last packet */
        switch (pt) {
        case 200: if (pl < 28 + 24 * (gsize)rc) return 0; break;
        case 201: if (pl < 8 + 24 * (gsize)rc) return 0; break;
        case 202: if (pl < 4 + 8 * (gsize)rc) return 0; break;
        case 203: if (pl < 4 + 4 * (gsize)rc) return 0; break;
        case 204: if (pl < 12) return 0; break;
        default: if (pl < 8) return 0; break;
        }
        off += pl;
        pkts++;
    }
    conf = (pt0 == 200 || pt0 == 201) ? WIP_CONF_STRONG : WIP_CONF_FAIR;
    if (pkts > 1)
        conf = MIN(conf + 5, 95);
    return claim(o, WIP_P_RTCP, conf, "RTCP%s: first packet type %u (%s), %d packet%s whose lengths fill the datagram",
                 tcp ? " (RFC 4571 framed)" : "", pt0,
                 pt0 == 200 ? "SR" : pt0 == 201 ? "RR" : pt0 == 202 ? "SDES" : pt0 == 203 ? "BYE" : "other",
                 pkts, pkts == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ */
/* MQTT                                                                */

static const char *const mqtt_names[16] = {
    "reserved", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
    "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"
};

/* MQTT varint at p (r bytes): 1 ok, 0 bad, -1 incomplete */
static int mqtt_varint(const guint8 *p, gsize r, guint32 *v, gsize *used)
{
    guint32 x = 0;
    gsize i;
    for (i = 0; i < 4; i++) {
        if (i >= r)
            return -1;
        x |= (guint32)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80)) {
            if (i > 0 && p[i] == 0)
                return 0;   /* not minimal */
            *v = x;
            *used = i + 1;
            return 1;
        }
    }
    return 0;
}

static gboolean mqtt_topic_ok(const guint8 *p, gsize l, gboolean filter)
{
    gsize i;
    if (l == 0)
        return FALSE;
    for (i = 0; i < l; i++) {
        if (p[i] < 0x20 || p[i] >= 0x7f)
            return FALSE;
        if (!filter && (p[i] == '+' || p[i] == '#'))
            return FALSE;
    }
    return TRUE;
}

/* validate the body of one packet; v: variable header+payload (rl bytes, maybe only avail here).
 * Returns confidence for the packet or 0. */
/* MQTT levels: how much one packet of each kind proves */
#define WIP_CONF_MQTT_CONNECT_CUT  88  /* CONNECT with protocol name and level, cut by the segment end */
#define WIP_CONF_MQTT_CONNACK      70  /* CONNACK: 2 bytes in range, or v5 properties that fit */
#define WIP_CONF_MQTT_SUBACK       55  /* SUBACK return codes all valid */
#define WIP_CONF_MQTT_ACK          50  /* PUBACK/PUBREC/PUBREL/PUBCOMP/UNSUBACK with a packet id */
#define WIP_CONF_MQTT_SMALL        45  /* a short ack or DISCONNECT with v5 reason and properties */
#define WIP_CONF_MQTT_EMPTY        35  /* PINGREQ/PINGRESP/DISCONNECT without body: 2 bytes only */

/* MQTT v5 properties at v[off]: a varint length and that many bytes,
 * ending exactly at rl (exact) or within it */
static gboolean mqtt_props_fit(const guint8 *v, gsize off, gsize rl, gboolean exact)
{
    guint32 pl;
    gsize u;
    if (off > rl || mqtt_varint(v + off, rl - off, &pl, &u) != 1)
        return FALSE;
    return exact ? off + u + pl == rl : off + u + pl <= rl;
}

static int mqtt_connect(guint flags, const guint8 *v, gboolean full, gsize avail, char *det, gsize dsz)
{
    gsize pn;
    guint lvl;
    if (flags || avail < 10)
        return 0;
    pn = rd16(v);
    if (pn == 4 && memcmp(v + 2, "MQTT", 4) == 0) {
        lvl = v[6];
        if ((lvl != 4 && lvl != 5 && lvl != 3) || (v[7] & 1))
            return 0;
    } else if (pn == 6 && avail >= 12 && memcmp(v + 2, "MQIsdp", 6) == 0) {
        lvl = v[8];
        if (lvl != 3 || (v[9] & 1))
            return 0;
    } else {
        return 0;
    }
    g_snprintf(det, dsz, " (protocol %s, level %u)", pn == 4 ? "MQTT" : "MQIsdp", lvl);
    return full ? WIP_CONF_CERTAIN : WIP_CONF_MQTT_CONNECT_CUT;
}

static int mqtt_connack(guint flags, const guint8 *v, gsize rl, gboolean full)
{
    if (flags || !full || rl < 2 || v[0] > 1)
        return 0;
    if (rl == 2)
        return v[1] <= 5 ? WIP_CONF_MQTT_CONNACK : 0;
    if (!(v[1] == 0 || v[1] >= 0x80) || !mqtt_props_fit(v, 2, rl, TRUE))
        return 0;
    return WIP_CONF_MQTT_CONNACK;
}

static int mqtt_publish(guint flags, const guint8 *v, gsize rl, gsize avail, gboolean full, char *det, gsize dsz)
{
    guint qos = (flags >> 1) & 3;
    gsize tl, need;
    char t[24];
    if (qos == 3 || (qos == 0 && (flags & 8)) || avail < 2)
        return 0;
    tl = rd16(v);
    need = 2 + tl + (qos ? 2 : 0);
    if (need > rl || need > avail || !mqtt_topic_ok(v + 2, tl, FALSE) || (qos && rd16(v + 2 + tl) == 0))
        return 0;
    copy_printable(t, sizeof t, v + 2, tl, -1);
    g_snprintf(det, dsz, " (topic \"%s\", QoS %u)", t, qos);
    if (tl < 3)
        return full ? WIP_RECOG_WEAK_MAX : 0;
    return full ? WIP_CONF_STRUCT : WIP_RECOG_WEAK_MAX;
}

/* PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK */
static int mqtt_ack(guint type, guint flags, const guint8 *v, gsize rl, gboolean full)
{
    if (flags != (type == 6 ? 2u : 0u) || !full || rl < 2 || rd16(v) == 0)
        return 0;
    if (rl == 2)
        return WIP_CONF_MQTT_ACK;
    if (type == 11)
        return mqtt_props_fit(v, 2, rl, FALSE) ? WIP_CONF_MQTT_ACK : 0;
    if (rl == 3)
        return (v[2] == 0 || v[2] >= 0x80) ? WIP_CONF_MQTT_SMALL : 0;
    return mqtt_props_fit(v, 3, rl, TRUE) ? WIP_CONF_MQTT_ACK : 0;
}

/* SUBSCRIBE / UNSUBSCRIBE topic filters from v[i] (v5: after the
 * properties): how many, 0 if they do not fill the packet */
static int mqtt_filters(guint type, const guint8 *v, gsize i, gsize rl, gboolean v5)
{
    int filters = 0;
    while (i < rl) {
        gsize fl;
        if (i + 2 > rl)
            return 0;
        fl = rd16(v + i);
        if (i + 2 + fl + (type == 8 ? 1 : 0) > rl || !mqtt_topic_ok(v + i + 2, fl, TRUE))
            return 0;
        i += 2 + fl;
        if (type == 8) {
            guint8 opt = v[i++];
            if (!v5 ? (opt > 2) : ((opt & 0xC0) || (opt & 3) == 3 || ((opt >> 4) & 3) == 3))
                return 0;
        }
        filters++;
    }
    return i == rl ? filters : 0;
}

static int mqtt_subscribe(guint type, guint flags, const guint8 *v, gsize rl, gboolean full, char *det, gsize dsz)
{
    int filters;
    guint32 pl;
    gsize u;
    if (flags != 2 || !full || rl < 5 || rd16(v) == 0)
        return 0;
    filters = mqtt_filters(type, v, 2, rl, FALSE);       /* v3 layout */
    if (!filters) {                                       /* v5: properties first */
        if (mqtt_varint(v + 2, rl - 2, &pl, &u) != 1 || 2 + u + pl > rl)
            return 0;
        filters = mqtt_filters(type, v, 2 + u + pl, rl, TRUE);
    }
    if (!filters)
        return 0;
    g_snprintf(det, dsz, " (%d topic filter%s)", filters, filters == 1 ? "" : "s");
    return WIP_CONF_STRUCT;
}

static int mqtt_suback(guint flags, const guint8 *v, gsize rl, gboolean full)
{
    gsize i;
    guint32 pl;
    gsize u;
    if (flags || !full || rl < 3 || rd16(v) == 0)
        return 0;
    for (i = 2; i < rl; i++)
        if (!(v[i] <= 2 || v[i] == 0x80))
            break;
    if (i == rl)
        return WIP_CONF_MQTT_SUBACK;
    if (mqtt_varint(v + 2, rl - 2, &pl, &u) != 1 || 2 + u + pl >= rl)
        return 0;
    for (i = 2 + u + pl; i < rl; i++)
        if (!(v[i] <= 2 || v[i] >= 0x80))
            return 0;
    return WIP_CONF_MQTT_ACK;
}

static int mqtt_disconnect(guint flags, const guint8 *v, gsize rl, gboolean full)
{
    if (flags || !full)
        return 0;
    if (rl == 0)
        return WIP_CONF_MQTT_EMPTY;
    if (!(v[0] == 0 || v[0] == 4 || v[0] >= 0x80))
        return 0;
    if (rl == 1)
        return WIP_CONF_MQTT_EMPTY;
    return mqtt_props_fit(v, 1, rl, TRUE) ? WIP_CONF_MQTT_SMALL : 0;
}

static int mqtt_body(guint type, guint flags, const guint8 *v, gsize rl, gsize avail, char *det, gsize dsz)
{
    gboolean full = (avail >= rl);
    det[0] = 0;
    switch (type) {
    case 1: return mqtt_connect(flags, v, full, avail, det, dsz);
    case 2: return mqtt_connack(flags, v, rl, full);
    case 3: return mqtt_publish(flags, v, rl, avail, full, det, dsz);
    case 4: case 5: case 6: case 7: case 11: return mqtt_ack(type, flags, v, rl, full);
    case 8: case 10: return mqtt_subscribe(type, flags, v, rl, full, det, dsz);
    case 9: return mqtt_suback(flags, v, rl, full);
    case 12: case 13: return (flags || rl != 0) ? 0 : WIP_CONF_MQTT_EMPTY;
    case 14: return mqtt_disconnect(flags, v, rl, full);
    default: return 0;
    }
}

static int det_mqtt(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    gsize off = 0, rl0 = 0;
    int pkts = 0, best = 0, first_conf = 0;
    gboolean partial = FALSE;
    char det[64] = "", d2[64];
    guint type0;
    if (n < 2)
        return 0;
    type0 = b[0] >> 4;
    if (type0 < 1 || type0 > 14)
        return 0;
    while (off < n) {
        guint32 rl;
        gsize u, avail;
        guint type = b[off] >> 4, flags = b[off] & 0xF;
        int r, c;
        if (type < 1 || type > 14)
            return 0;
        r = mqtt_varint(b + off + 1, n - off - 1, &rl, &u);
        if (r == 0)
            return 0;
        /* the first packet must be complete: its remaining length fills the payload
         * (or is followed by more packets); only a later packet may be cut */
        if (r < 0) {
            if (pkts == 0)
                return 0;
            partial = TRUE;
            break;
        }
        avail = n - off - 1 - u;
        c = mqtt_body(type, flags, b + off + 1 + u, rl, avail, pkts == 0 ? det : d2, sizeof det);
        if (!c)
            return 0;
        if (pkts == 0) {
            if (avail < rl)
                return 0;
            first_conf = c;
            rl0 = rl;
        }
        if (c > best)
            best = c;
        pkts++;
        if (avail < rl) {
            partial = TRUE;
            break;
        }
        off += 1 + u + rl;
    }
    if (partial && !tcp)
        return 0;
    (void)first_conf;
    if (pkts > 1)
        best = MIN(best + 5, WIP_CONF_CERTAIN);
    if (partial && best > WIP_CONF_LIKELY && !(type0 == 1))
        best = (pkts > 1) ? WIP_CONF_LIKELY : WIP_RECOG_WEAK_MAX;
    return claim(o, WIP_P_MQTT, best, "MQTT %s%s, remaining length %u%s%s",
                 mqtt_names[type0], det, (unsigned)rl0,
                 partial ? " (continues beyond segment)" : " (fills payload)",
                 pkts > 1 ? ", several packets" : "");
}

/* ------------------------------------------------------------------ */
/* protobuf: tag / wire-type walk                                      */

static int pb_varint(const guint8 *b, gsize n, gsize *off, guint64 *v)
{
    guint64 x = 0;
    gsize i;
    for (i = 0; i < 10; i++) {
        guint8 c;
        if (*off + i >= n)
            return 0;
        c = b[*off + i];
        x |= (guint64)(c & 0x7F) << (7 * i);
        if (!(c & 0x80)) {
            if (i > 0 && c == 0)
                return 0;   /* not minimal */
            *off += i + 1;
            *v = x;
            return 1;
        }
    }
    return 0;
}

static gboolean pb_is_text(const guint8 *b, gsize n)
{
    text_stats_t ts;
    text_scan(b, n, &ts, TRUE);
    return !ts.aborted && ts.nul == 0 && ts.printable == n;
}

/* walk a message; returns number of fields or -1.  Length-delimited fields of
 * 4 bytes or more must hold text or a nested message (*verified counts them);
 * arbitrary binary "bytes" fields are not accepted (precision). */
static int pb_walk(const guint8 *b, gsize n, int *submsgs, int *verified, int depth)
{
    gsize off = 0;
    int fields = 0;
    guint64 lastf = 0;
    while (off < n) {
        guint64 tag, f, v;
        guint wt;
        if (!pb_varint(b, n, &off, &tag))
            return -1;
        f = tag >> 3;
        wt = (guint)(tag & 7);
        if (f == 0 || f > 536870911u || (f >= 19000 && f <= 19999) || f < lastf)
            return -1;
        lastf = f;
        switch (wt) {
        case 0:
            if (!pb_varint(b, n, &off, &v))
                return -1;
            break;
        case 1:
            if (n - off < 8)
                return -1;
            off += 8;
            break;
        case 5:
            if (n - off < 4)
                return -1;
            off += 4;
            break;
        case 2:
            if (!pb_varint(b, n, &off, &v) || v > n - off)
                return -1;
            if (v >= 2 && depth < 4 && pb_walk(b + off, (gsize)v, NULL, NULL, depth + 1) >= 1) {
                if (submsgs)
                    (*submsgs)++;
                if (verified)
                    (*verified)++;
            } else if (v >= 1 && pb_is_text(b + off, (gsize)v)) {
                if (verified)
                    (*verified)++;
            } else if (v >= 4) {
                return -1;
            }
            off += (gsize)v;
            break;
        default:
            return -1;
        }
        fields++;
    }
    return fields;
}

/* tag/wire-type walk that accepts any bytes in length-delimited fields
 * (packed numbers, "bytes" fields): only used where a length prefix that
 * equals the rest already says "one framed message"; fields ascending */
static int pb_walk_loose(const guint8 *b, gsize n)
{
    gsize off = 0;
    int fields = 0;
    guint64 lastf = 0;
    while (off < n) {
        guint64 tag, f, v;
        if (!pb_varint(b, n, &off, &tag))
            return -1;
        f = tag >> 3;
        if (f == 0 || f > 536870911u || (f >= 19000 && f <= 19999) || f < lastf)
            return -1;
        lastf = f;
        switch (tag & 7) {
        case 0: if (!pb_varint(b, n, &off, &v)) return -1; break;
        case 1: if (n - off < 8) return -1; off += 8; break;
        case 5: if (n - off < 4) return -1; off += 4; break;
        case 2: if (!pb_varint(b, n, &off, &v) || v > n - off) return -1; off += (gsize)v; break;
        default: return -1;
        }
        fields++;
    }
    return fields;
}

static int det_protobuf(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    int sub = 0, ver = 0, f, conf;
    gsize pre = 0;
    guint64 plen = 0;
    (void)tcp;
    if (n < 6)
        return 0;
    /* length-delimited framing (writeDelimitedTo, gRPC-less streams): a
     * varint that gives exactly the rest of the payload, then one message */
    if (pb_varint(b, n, &pre, &plen) && plen + pre == n && plen >= 4) {
        f = pb_walk(b + pre, n - pre, &sub, &ver, 0);
        if (f < 2 || (ver == 0 && f < 4))
            f = pb_walk_loose(b + pre, n - pre) >= 3 ? pb_walk_loose(b + pre, n - pre) : -1;
        if (f >= 2)
            return claim(o, WIP_P_PROTOBUF, WIP_RECOG_WEAK_MAX - 5,   /* not handed off: the dissector would read the prefix as a field */
                         "looks like protobuf: a length prefix of %u covers the rest, %d fields, %d nested; not confirmed",
                         (unsigned)plen, f, sub);
    }
    f = pb_walk(b, n, &sub, &ver, 0);
    if (f < 2 || (ver == 0 && f < 4))
        return 0;
    conf = WIP_CONF_TRACE;
    if (f >= 4)
        conf += 5;
    if (sub)
        conf += 5;
    if (n >= 32)
        conf += 5;
    return claim(o, WIP_P_PROTOBUF, MIN(conf, WIP_RECOG_WEAK_MAX),
                 "protobuf-like: %d fields (tag/wire-type walk covers all %u bytes), %d nested, %d text, unconfirmed",
                 f, (unsigned)n, sub, ver - sub);
}

/* ------------------------------------------------------------------ */
/* stateless entry point                                               */

typedef int (*det_fn)(const guint8 *, gsize, gboolean, wip_recog_t *);

/* STUN with the magic cookie (RFC 5389) or classic (RFC 3489): the better claim */
static int det_stun_any(const guint8 *b, gsize n, gboolean tcp, wip_recog_t *o)
{
    wip_recog_t c;
    int a, k;
    c.floor = o->floor;
    a = det_stun(b, n, tcp, o);
    k = det_stun_classic(b, n, tcp, &c);
    if (k > a) {
        *o = c;
        return k;
    }
    return a;
}

/* The table of wip_recog.h, expanded: info, detectors in row order, the
 * own detector of each protocol. */
static const wip_proto_info_t proto_info[] = {
#define WIP_X_INFO(id, name, det, own, tcp, udp, tport, uport, flags) { name, tcp, udp, tport, uport, flags },
    WIP_PROTOCOL_TABLE(WIP_X_INFO)
#undef WIP_X_INFO
};
G_STATIC_ASSERT(G_N_ELEMENTS(proto_info) == WIP_P_COUNT);

const wip_proto_info_t *wip_proto_info(wip_proto_t p)
{
    return &proto_info[(unsigned)p < WIP_P_COUNT ? p : WIP_P_UNKNOWN];
}

static const det_fn det_of[] = {
#define WIP_X_DET(id, name, det, own, tcp, udp, tport, uport, flags) det,
    WIP_PROTOCOL_TABLE(WIP_X_DET)
#undef WIP_X_DET
};
static const det_fn own_of[] = {
#define WIP_X_OWN(id, name, det, own, tcp, udp, tport, uport, flags) own,
    WIP_PROTOCOL_TABLE(WIP_X_OWN)
#undef WIP_X_OWN
};
G_STATIC_ASSERT(G_N_ELEMENTS(det_of) == WIP_P_COUNT && G_N_ELEMENTS(own_of) == WIP_P_COUNT);

/* The one test that claims a locked conversation's protocol, for the fast
 * path of wip_conv_recog_update(); NULL where the full set must run. */
static det_fn own_detector(wip_proto_t p)
{
    return (unsigned)p < WIP_P_COUNT ? own_of[p] : NULL;
}

void wip_recog_payload(const guint8 *buf, gsize len, gboolean is_tcp, wip_recog_t *out)
{
    wip_recog_t cand;
    text_stats_t ts;
    gboolean text;
    gsize i;

    if (!out)
        return;
    out->proto = WIP_P_UNKNOWN;
    out->confidence = 0;
    out->floor = 0;
    out->evidence[0] = 0;
    if (!buf || len == 0) {
        g_strlcpy(out->evidence, "empty payload", sizeof out->evidence);
        return;
    }
    for (i = 0; i < WIP_P_COUNT; i++) {
        if (!det_of[i])
            continue;
        cand.floor = out->confidence;   /* only a better claim writes its evidence */
        int c = det_of[i](buf, len, is_tcp, &cand);
        if (c > out->confidence)
            *out = cand;
    }
    out->floor = 0;
    text_scan(buf, len, &ts, TRUE);
    text = stats_is_text(&ts, len);
    if (!text && out->confidence < WIP_RECOG_WEAK_MAX) {
        cand.floor = out->confidence;
        int c = det_protobuf(buf, len, is_tcp, &cand);
        if (c > out->confidence)
            *out = cand;
    }
    if (text && len >= 2) {
        int c = ts.newlines ? WIP_CONF_TEXTLINE : WIP_RECOG_WEAK_MAX;
        if (c > out->confidence) {
            char fl[48];
            copy_printable(fl, sizeof fl, buf, len, -1);
            claim(out, WIP_P_TEXT, c, "text: %d%% printable, %u line%s, starts \"%s\"",
                  printable_pct(&ts, len), (unsigned)(ts.newlines ? ts.newlines : 1),
                  ts.newlines > 1 ? "s" : "", fl);
        }
    }
    if (out->proto == WIP_P_UNKNOWN) {
        if (ts.aborted)
            g_snprintf(out->evidence, sizeof out->evidence, "no known protocol matched (%u bytes, binary)", (unsigned)len);
        else
            g_snprintf(out->evidence, sizeof out->evidence, "no known protocol matched (%u bytes, %d%% printable)",
                       (unsigned)len, printable_pct(&ts, len));
    }
}

/* ------------------------------------------------------------------ */
/* payload description                                                 */

void wip_payload_describe(const guint8 *buf, gsize len, wip_payload_desc_t *out)
{
    guint32 hist[256];
    text_stats_t ts;
    gsize i;
    double h = 0.0;

    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!buf || len == 0)
        return;
    text_scan(buf, len, &ts, FALSE);
    out->printable_pct = (guint8)printable_pct(&ts, len);
    out->is_text = stats_is_text(&ts, len);
    memset(hist, 0, sizeof hist);
    for (i = 0; i < len; i++)
        hist[buf[i]]++;
    for (i = 0; i < 256; i++) {
        if (hist[i]) {
            double p = (double)hist[i] / (double)len;
            h -= p * log2(p);
        }
    }
    out->entropy = h < 0.0 ? 0.0 : h;
    if (out->is_text) {
        gsize o = 0;
        i = 0;
        if (has_prefix(buf, len, 0, "\xEF\xBB\xBF"))
            i = 3;
        for (; i < len && o + 1 < sizeof out->first_line; i++) {
            guint8 c = buf[i];
            if (c == '\r' || c == '\n')
                break;
            if (c >= 0x20 && c < 0x7f)
                out->first_line[o++] = (char)c;
            else if (c == '\t')
                out->first_line[o++] = ' ';
            else if (c >= 0x80)
                out->first_line[o++] = '.';
        }
        out->first_line[o] = 0;
    }
}

gboolean wip_payload_is_text(const guint8 *buf, gsize len)
{
    text_stats_t ts;
    if (!buf || len == 0)
        return FALSE;
    /* An early stop means more than 5% of the bytes are not text: not text
     * by the full scan's 95% rule either. */
    text_scan(buf, len, &ts, TRUE);
    return stats_is_text(&ts, len);
}

/* ------------------------------------------------------------------ */
/* conversation memory                                                 */

void wip_conv_recog_init(wip_conv_recog_t *c)
{
    if (c)
        memset(c, 0, sizeof *c);
}

static gboolean is_media(wip_proto_t p)
{
    return (wip_proto_info(p)->flags & WIP_PF_MEDIA) != 0;
}

static gboolean is_textual_conv(wip_proto_t p)
{
    return (wip_proto_info(p)->flags & WIP_PF_TEXTUAL) != 0;
}

/* WebSocket frames (RFC 6455 5.2). expect_mask: -1 unknown, 0 unmasked, 1 masked. */
static gboolean ws_frames(const guint8 *b, gsize n, int expect_mask, wip_recog_t *o)
{
    gsize off = 0;
    int frames = 0;
    guint8 op0 = 0, b00 = 0, m0 = 0;
    guint64 pl0 = 0;
    gboolean partial = FALSE;
    while (off < n) {
        const guint8 *p = b + off;
        gsize r = n - off, hl = 2;
        guint8 op, rsv;
        guint64 pl;
        if (r < 2) {
            partial = TRUE;
            break;
        }
        op = p[0] & 0x0F;
        rsv = p[0] & 0x70;
        if (!(op <= 2 || (op >= 8 && op <= 10)))
            return FALSE;
        if (rsv && !(rsv == 0x40 && (op == 1 || op == 2)))
            return FALSE;   /* only RSV1 (permessage-deflate) on a first data frame */
        pl = p[1] & 0x7F;
        if (op >= 8 && (!(p[0] & 0x80) || pl > 125))
            return FALSE;
        if (pl == 126) {
            if (r < 4) { partial = TRUE; frames++; break; }
            pl = rd16(p + 2);
            if (pl < 126)
                return FALSE;
            hl = 4;
        } else if (pl == 127) {
            if (r < 10) { partial = TRUE; frames++; break; }
            pl = ((guint64)rd32(p + 2) << 32) | rd32(p + 6);
            if (pl < 65536 || (pl >> 63))
                return FALSE;
            hl = 10;
        }
        if (p[1] & 0x80)
            hl += 4;
        if (expect_mask >= 0 && ((p[1] & 0x80) ? 1 : 0) != expect_mask)
            return FALSE;
        if (frames == 0) {
            op0 = op;
            b00 = p[0];
            m0 = p[1] & 0x80;
            pl0 = pl;
        }
        frames++;
        if ((guint64)off + hl + pl > n) {
            partial = TRUE;
            break;
        }
        off += hl + (gsize)pl;
    }
    if (frames == 0)
        return FALSE;
    {
        static const char *const opn[11] = { "continuation", "text", "binary", "?", "?", "?", "?", "?", "close", "ping", "pong" };
        claim(o, WIP_P_WEBSOCKET, partial ? WIP_CONF_GOOD : WIP_CONF_WHOLE, "WebSocket frame: %s%s, %s, payload %" G_GUINT64_FORMAT "%s, %d frame%s",
              opn[op0], (b00 & 0x80) ? " FIN" : "", m0 ? "masked" : "unmasked", pl0,
              partial ? " (continues beyond segment)" : " (consistent)", frames, frames == 1 ? "" : "s");
    }
    return TRUE;
}

/* HTTP/2 frames (RFC 9113 4.1) */
static gboolean h2_frames(const guint8 *b, gsize n, wip_recog_t *o)
{
    gsize off = 0;
    int frames = 0;
    guint8 t0 = 0;
    gboolean partial = FALSE;
    static const char *const tn[10] = { "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE",
                                        "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION" };
    if (n >= 24 && memcmp(b, h2_preface, 24) == 0)
        off = 24;
    while (off < n) {
        const guint8 *p = b + off;
        gsize fl;
        guint8 t;
        guint32 sid;
        if (n - off < 9) {
            partial = TRUE;
            break;
        }
        fl = rd24(p);
        t = p[3];
        sid = rd32(p + 5);
        if (sid & 0x80000000u)
            return FALSE;
        switch (t) {
        case 0: case 1: case 5: case 9: if (sid == 0) return FALSE; break;
        case 2: if (fl != 5 || sid == 0) return FALSE; break;
        case 3: if (fl != 4 || sid == 0) return FALSE; break;
        case 4: if (sid != 0 || fl % 6 || ((p[4] & 1) && fl)) return FALSE; break;
        case 6: if (sid != 0 || fl != 8) return FALSE; break;
        case 7: if (sid != 0 || fl < 8) return FALSE; break;
        case 8: if (fl != 4) return FALSE; break;
        default: return FALSE;
        }
        if (frames == 0)
            t0 = t;
        frames++;
        if (off + 9 + fl > n) {
            partial = TRUE;
            break;
        }
        off += 9 + fl;
    }
    if (frames == 0)
        return FALSE;
    claim(o, WIP_P_HTTP2, partial ? WIP_CONF_GOOD : WIP_CONF_WHOLE, "HTTP/2 frame%s: %s first, %d frame%s%s", frames == 1 ? "" : "s",
          tn[t0], frames, frames == 1 ? "" : "s", partial ? " (last continues beyond segment)" : " (consistent)");
    return TRUE;
}

/* value of the Upgrade header in an HTTP message head: 1 websocket, 2 h2c, 0 none */
static int http_upgrade_kind(const guint8 *b, gsize n)
{
    gssize hend = find_str(b, MIN(n, 16384), 0, "\r\n\r\n", FALSE);
    gsize end = hend >= 0 ? (gsize)hend + 2 : MIN(n, 16384);
    gssize u = find_str(b, end, 0, "\nupgrade:", TRUE);
    gsize i;
    if (u < 0)
        return 0;
    i = (gsize)u + 9;
    while (i < end && (b[i] == ' ' || b[i] == '\t'))
        i++;
    if (has_prefix_ci(b, end, i, "websocket"))
        return 1;
    if (has_prefix_ci(b, end, i, "h2c"))
        return 2;
    return 0;
}

/* track HTTP Upgrade; returns TRUE if this payload completed the switch */
static gboolean http_upgrade_track(wip_conv_recog_t *c, const guint8 *b, gsize n, int d)
{
    int k = http_first_line(b, n, NULL, NULL);
    /* the Upgrade header matters in a request, and in a 101 response */
    int kind = (k == 1 || (k == 2 && has_prefix(b, n, 9, "101"))) ? http_upgrade_kind(b, n) : 0;
    if (k == 1) {
        if (kind) {
            c->upgrade = (guint8)kind;
            c->up_state = 1;
            c->up_client_dir = (guint8)d;
        }
        return FALSE;
    }
    if (k == 2) {
        gboolean sw = has_prefix(b, n, 9, "101");
        if (sw && (c->up_state == 1 || kind)) {
            if (!c->upgrade)
                c->upgrade = (guint8)kind;
            if (!c->upgrade)
                return FALSE;
            if (!c->up_client_dir && d)
                c->up_client_dir = (guint8)(3 - d);
            c->up_state = 2;
            c->proto = c->upgrade == 1 ? WIP_P_WEBSOCKET : WIP_P_HTTP2;
            c->confidence = WIP_CONF_STRONG;
            c->locked = 1;
            c->misses = 0;
            return TRUE;
        }
        if (!sw && c->up_state == 1) {
            c->up_state = 0;
            c->upgrade = 0;
        }
    }
    return FALSE;
}

/* per-direction RTP tracking: returns hits (packets in a row with same SSRC, advancing seq) */
static int rtp_track(wip_conv_recog_t *c, const guint8 *b, gsize n, gboolean tcp, int d, rtp_info_t *ri)
{
    guint32 *ssrc;
    guint16 *seq;
    guint8 *hits;
    if (tcp) {
        if (n < 14 || rd16(b) != n - 2)
            return 0;
        b += 2;
        n -= 2;
    }
    if (!rtp_hdr(b, n, ri))
        return 0;
    if (d == 2) {
        ssrc = &c->rtp_ssrc2; seq = &c->rtp_seq2; hits = &c->rtp_hits2;
    } else {
        ssrc = &c->rtp_ssrc; seq = &c->rtp_seq; hits = &c->rtp_hits;
    }
    c->rtp_pt = ri->pt;
    if (*hits == 0 || *ssrc != ri->ssrc) {
        *ssrc = ri->ssrc;
        *seq = ri->seq;
        *hits = 1;
    } else {
        guint16 delta = (guint16)(ri->seq - *seq);
        if (delta >= 1 && delta <= 100) {
            *seq = ri->seq;
            if (*hits < 255)
                (*hits)++;
        } else if (delta != 0) {
            *seq = ri->seq;
            *hits = 1;
        }
    }
    return *hits;
}

static gboolean own_family(wip_proto_t locked, wip_proto_t p);

/* SRTCP (RFC 3711 section 3.4): the first RTCP header is in clear (an SR
 * or RR, version 2, its length inside the packet), the rest of the
 * compound is encrypted, then the E flag + 31-bit index and an
 * authentication tag of 10 (HMAC-SHA1-80) or 4 bytes (HMAC-SHA1-32).  Only
 * asked inside a media conversation. */
static gboolean srtcp_ok(const guint8 *b, gsize n, wip_recog_t *o)
{
    static const gsize tags[] = { 10, 4 };
    gsize i, pl;
    if (n < 8 + 4 + 4 || (b[0] & 0xC0) != 0x80 || (b[1] != 200 && b[1] != 201))
        return FALSE;
    pl = ((gsize)rd16(b + 2) + 1) * 4;
    if (pl < 8 || (b[1] == 200 && pl < 28))
        return FALSE;
    for (i = 0; i < G_N_ELEMENTS(tags); i++) {
        gsize ix = n - tags[i] - 4;
        if (n < pl + 4 + tags[i] || (ix - pl) % 4 != 0)
            continue;
        guint32 idx = rd32(b + ix) & 0x7fffffffu;
        if (idx == 0 || idx > 0x00ffffffu)
            continue;
        claim(o, WIP_P_RTCP, WIP_CONF_FAIR, "encrypted RTCP (SRTCP, RFC 3711): %s header in clear, length %u, %s index %u, %u-byte auth tag",
              b[1] == 200 ? "SR" : "RR", (unsigned)pl, (b[ix] & 0x80) ? "encrypted," : "unencrypted,", idx,
              (unsigned)tags[i]);
        return TRUE;
    }
    return FALSE;
}

/* Multiplexed media (RFC 7983 section 7, RFC 5764): one UDP 5-tuple
 * carrying STUN/TURN, DTLS, TURN ChannelData and RTP/RTCP, as WebRTC and
 * ICE-using VoIP do.  In a conversation already locked to a media protocol
 * the first byte says which one each packet is (0-3 STUN, 20-63 DTLS, 64-79
 * TURN channel, 128-191 RTP/RTCP; RTCP when the second byte is 192-223,
 * RFC 5761), and that protocol's own test must then hold: no packet
 * inherits another protocol's name.  FALSE: no decision (the general path
 * runs). */
static gboolean media_demux(wip_conv_recog_t *c, const guint8 *b, gsize n, int d, wip_recog_t *out)
{
    wip_recog_t r;
    guint8 b0 = b[0];
    r.floor = 0;
    if (b0 <= 3) {
        if (det_stun(b, n, FALSE, &r) <= 0 && det_stun_classic(b, n, FALSE, &r) <= 0)
            return FALSE;
    } else if (b0 >= 20 && b0 <= 63) {
        if (det_dtls(b, n, FALSE, &r) <= 0)
            return FALSE;
    } else if (b0 >= 64 && b0 <= 79) {
        if (det_turn_channel(b, n, FALSE, &r) <= 0)
            return FALSE;
        claim(&r, WIP_P_TURN, WIP_CONF_GOOD, "TURN ChannelData (first byte 0x%02x: a channel number, RFC 7983), channel 0x%04x, length %u matches",
              b0, rd16(b), rd16(b + 2));
    } else if (b0 >= 128 && b0 <= 191) {
        if (n >= 2 && b[1] >= 192 && b[1] <= 223) {
            if (det_rtcp(b, n, FALSE, &r) <= 0 && !srtcp_ok(b, n, &r))
                return FALSE;
        } else {
            rtp_info_t ri;
            int hits = rtp_track(c, b, n, FALSE, d, &ri);
            if (hits == 0)
                return FALSE;
            claim(&r, WIP_P_RTP, (hits >= 3 || c->proto == WIP_P_RTP) ? WIP_CONF_STRONG : WIP_CONF_FAIR,
                  "RTP (first byte 0x%02x: RTP or RTCP by RFC 7983; payload type %u is not RTCP), stream 0x%08x seq %u, %d in a row",
                  b0, ri.pt, ri.ssrc, ri.seq, hits);
        }
    } else {
        return FALSE;
    }
    if (own_family(c->proto, r.proto) && r.confidence < c->confidence)
        r.confidence = c->confidence;      /* the conversation's own protocol: as confirmed as it */
    *out = r;
    c->misses = 0;
    return TRUE;
}

/* Conversation levels and counts */
#define WIP_CONF_UPGRADED            70  /* a payload after a completed HTTP Upgrade, not a frame of the new protocol */
#define WIP_CONF_TURN_IN_CONV        85  /* TURN ChannelData inside a STUN/TURN/RTP conversation */
#define WIP_CONF_RTP_CONFIRMED       90  /* RTP: same SSRC, sequence advancing over WIP_RTP_CONFIRM_PACKETS */
#define WIP_RTP_CONFIRM_PACKETS       3
#define WIP_CONTRADICTIONS_TO_SWITCH  3  /* clear claims of another protocol in a row that relabel a locked conversation */

/* Does a claim of p continue a conversation locked to `locked`? */
static gboolean own_family(wip_proto_t locked, wip_proto_t p)
{
    return p == locked || (locked == WIP_P_RDP && p == WIP_P_TPKT) || (locked == WIP_P_TPKT && p == WIP_P_RDP) ||
           ((locked == WIP_P_STUN || locked == WIP_P_TURN) && (p == WIP_P_STUN || p == WIP_P_TURN));
}

/* The payload continues the locked conversation: its own claim, under the
 * conversation's protocol name, at least the conversation's confidence. */
static void continue_locked(wip_conv_recog_t *c, wip_recog_t *out, const wip_recog_t *r)
{
    *out = *r;
    if (r->proto == WIP_P_TPKT && c->proto == WIP_P_RDP)
        out->proto = WIP_P_RDP;
    if (out->confidence < c->confidence)
        out->confidence = c->confidence;
    c->misses = 0;
}

static void inherit(const wip_conv_recog_t *c, wip_recog_t *out, const wip_recog_t *r)
{
    int conf = c->confidence > 10 ? c->confidence - 10 : c->confidence;
    out->proto = c->proto;
    out->confidence = (guint8)conf;
    if (r->proto > WIP_P_TEXT)
        g_snprintf(out->evidence, sizeof out->evidence, "more of the %s connection recognised earlier (these bytes alone look like %s, %u)",
                   wip_proto_name(c->proto), wip_proto_name(r->proto), r->confidence);
    else
        g_snprintf(out->evidence, sizeof out->evidence, "more of the %s connection recognised earlier", wip_proto_name(c->proto));
}

/* After a completed HTTP Upgrade the stream belongs to the new protocol
 * (WebSocket or HTTP/2): its frames, else a continuation.  TRUE: done. */
static gboolean update_after_upgrade(wip_conv_recog_t *c, const guint8 *buf, gsize len, int d, wip_recog_t *out)
{
    gboolean ok;
    if (!(c->up_state == 2 && c->locked && (c->proto == WIP_P_WEBSOCKET || c->proto == WIP_P_HTTP2)))
        return FALSE;
    if (c->proto == WIP_P_WEBSOCKET) {
        int em = (d && c->up_client_dir) ? (d == c->up_client_dir) : -1;
        ok = ws_frames(buf, len, em, out);
    } else {
        ok = h2_frames(buf, len, out);
    }
    if (ok) {
        c->misses = 0;
        return TRUE;
    }
    out->proto = c->proto;
    out->confidence = WIP_CONF_UPGRADED;
    g_snprintf(out->evidence, sizeof out->evidence, "more of the %s connection recognised earlier (after HTTP Upgrade)",
               wip_proto_name(c->proto));
    return TRUE;
}

/* A locked conversation: its own protocol's test first.  When that holds
 * strongly, the payload continues the conversation and the other tests are
 * skipped (they could only make it a contradiction, which a strong match
 * of the locked protocol is not).  Media protocols (RTP tracking, RFC 7983
 * multiplexing) and textual bodies take the full path.  TRUE: done. */
static gboolean update_locked_fast(wip_conv_recog_t *c, const guint8 *buf, gsize len, gboolean is_tcp, int d,
                                   wip_recog_t *out)
{
    wip_recog_t r;
    det_fn own;
    if (!c->locked || !(own = own_detector(c->proto)))
        return FALSE;
    r.floor = 0;
    if (own(buf, len, is_tcp, &r) < WIP_RECOG_LOCK_MIN || !own_family(c->proto, r.proto))
        return FALSE;
    if (r.proto == WIP_P_HTTP && http_upgrade_track(c, buf, len, d)) {
        *out = r;
        return TRUE;
    }
    continue_locked(c, out, &r);
    return TRUE;
}

/* A server greeting: the service's first payload, before the client said
 * anything.  "+OK ..." there is POP3 (RFC 1939 section 4): RESP servers
 * never speak first. */
static void pop3_greeting(const wip_conv_recog_t *c, const guint8 *buf, gsize len, gboolean is_tcp, int d,
                          wip_recog_t *r)
{
    char fl[48];
    if (!(is_tcp && d == 2 && c->msgs[1] == 0 && c->msgs[2] == 1 && r->confidence < WIP_RECOG_LOCK_MIN &&
          len >= 5 && len <= 512 && has_prefix(buf, len, 0, "+OK") && (buf[3] == ' ' || buf[3] == '\r') &&
          buf[len - 1] == '\n' && memchr(buf, '\n', len) == buf + len - 1 && wip_payload_is_text(buf, len)))
        return;
    copy_printable(fl, sizeof fl, buf, len, -1);
    claim(r, WIP_P_POP3, WIP_CONF_STRUCT, "POP3 server greeting \"%s\": the service spoke first (RESP servers never do)", fl);
}

/* A locked conversation whose own test did not hold strongly: the payload
 * continues it, is another media protocol of the 5-tuple, a body of a text
 * protocol, or a contradiction (three in a row change the protocol). */
static void update_locked(wip_conv_recog_t *c, const wip_recog_t *r, gboolean is_tcp, wip_recog_t *out)
{
    gboolean real = r->proto > WIP_P_TEXT;
    if (own_family(c->proto, r->proto)) {
        continue_locked(c, out, r);
        return;
    }
    /* TURN ChannelData inside a STUN/TURN conversation is TURN */
    if ((c->proto == WIP_P_STUN || c->proto == WIP_P_TURN || c->proto == WIP_P_RTP) && r->proto == WIP_P_TURN) {
        *out = *r;
        out->confidence = WIP_CONF_TURN_IN_CONV;
        g_snprintf(out->evidence, sizeof out->evidence, "TURN ChannelData in %s conversation, length consistent",
                   wip_proto_name(c->proto));
        c->misses = 0;
        return;
    }
    /* UDP media multiplexing (RFC 7983): RTP/RTCP/STUN/DTLS share a 5-tuple */
    if (is_media(c->proto) && is_media(r->proto) && r->confidence >= WIP_CONF_LIKELY) {
        *out = *r;
        c->misses = 0;
        return;
    }
    /* text or JSON bodies inside a text protocol's conversation */
    if (is_textual_conv(c->proto) && (r->proto == WIP_P_JSON || r->proto == WIP_P_TEXT)) {
        inherit(c, out, r);
        return;
    }
    if (real && r->confidence >= WIP_CONF_STRUCT) {
        if (c->miss_proto == r->proto) {
            c->misses++;
        } else {
            c->miss_proto = (guint8)r->proto;
            c->misses = 1;
        }
        if (c->misses >= WIP_CONTRADICTIONS_TO_SWITCH) {
            /* several clear contradictions in a row: the protocol changed */
            c->proto = r->proto;
            c->confidence = r->confidence;
            c->misses = 0;
            *out = *r;
            return;
        }
        if (!is_tcp) {
            *out = *r;   /* a datagram stands on its own */
            return;
        }
    }
    inherit(c, out, r);
}

/* Not locked yet: a strong claim locks; a real one replaces a weaker
 * guess (or the same guess twice over); nothing contradicts a weak guess. */
static void update_unlocked(wip_conv_recog_t *c, wip_recog_t *r, int hits, const rtp_info_t *ri, wip_recog_t *out)
{
    gboolean real = r->proto > WIP_P_TEXT;
    if (real && r->confidence >= WIP_RECOG_LOCK_MIN) {
        c->proto = r->proto;
        c->confidence = r->confidence;
        c->locked = 1;
        c->misses = 0;
        *out = *r;
        return;
    }
    if ((r->proto == WIP_P_RTP || !real) && hits == 2) {
        r->proto = WIP_P_RTP;
        real = TRUE;
        r->confidence = WIP_RECOG_WEAK_MAX;
        g_snprintf(r->evidence, sizeof r->evidence, "RTP-like: 2 packets with SSRC 0x%08x, sequence advancing (unconfirmed)",
                   ri->ssrc);
    }
    if (real) {
        if (c->proto == r->proto) {
            c->misses = 0;
            if (r->confidence > c->confidence)
                c->confidence = r->confidence;
        } else if (c->proto <= WIP_P_TEXT || r->confidence >= c->confidence || ++c->misses >= 2) {
            c->proto = r->proto;
            c->confidence = r->confidence;
            c->misses = 0;
        }
        *out = *r;
        return;
    }
    /* payload matched nothing (or is text): a weak guess is contradicted */
    if (c->proto > WIP_P_TEXT) {
        if (++c->misses >= 2) {
            c->proto = r->proto;
            c->confidence = r->confidence;
            c->misses = 0;
        }
    } else {
        c->proto = r->proto;
        c->confidence = r->confidence;
    }
    *out = *r;
}

void wip_conv_recog_update(wip_conv_recog_t *c, const guint8 *buf, gsize len,
                           gboolean is_tcp, int dir, wip_recog_t *out)
{
    wip_recog_t r;
    rtp_info_t ri;
    int d = (dir == 1 || dir == 2) ? dir : 0;
    int hits = 0;

    if (!out)
        return;
    out->floor = 0;
    r.floor = 0;
    if (!c) {
        wip_recog_payload(buf, len, is_tcp, out);
        return;
    }
    if (c->msgs[d] < G_MAXUINT32)
        c->msgs[d]++;
    if (!buf || len == 0) {
        wip_recog_payload(buf, len, is_tcp, out);
        return;
    }
    if (update_after_upgrade(c, buf, len, d, out))
        return;
    if (!is_tcp && c->locked && is_media(c->proto)) {
        if (media_demux(c, buf, len, d, out))
            return;
        /* no media protocol's test holds: what the bytes alone say, never
         * another packet's protocol */
        wip_recog_payload(buf, len, is_tcp, out);
        return;
    }
    if (update_locked_fast(c, buf, len, is_tcp, d, out))
        return;

    wip_recog_payload(buf, len, is_tcp, &r);
    if (r.proto == WIP_P_HTTP && http_upgrade_track(c, buf, len, d)) {
        *out = r;
        return;     /* the 101 response itself is HTTP */
    }
    pop3_greeting(c, buf, len, is_tcp, d, &r);

    /* RTP: confirm over >= 3 packets with the same SSRC and advancing sequence numbers */
    if (!(r.proto > WIP_P_TEXT && r.confidence >= WIP_RECOG_LOCK_MIN) && (!c->locked || is_media(c->proto)))
        hits = rtp_track(c, buf, len, is_tcp, d, &ri);
    if (hits >= WIP_RTP_CONFIRM_PACKETS) {
        c->proto = WIP_P_RTP;
        c->confidence = WIP_CONF_RTP_CONFIRMED;
        c->locked = 1;
        c->misses = 0;
        claim(out, WIP_P_RTP, WIP_CONF_RTP_CONFIRMED, "RTP confirmed: %d packets with SSRC 0x%08x, sequence advancing (seq %u), PT %u",
              hits, ri.ssrc, ri.seq, ri.pt);
        return;
    }
    if (c->locked)
        update_locked(c, &r, is_tcp, out);
    else
        update_unlocked(c, &r, hits, &ri, out);
}
