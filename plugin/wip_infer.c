/* wip_infer.c - infer the header of an unknown binary protocol (pure C + GLib).
 *
 * Method (per direction, over all conversations of one port):
 *  - per leading byte offset (WIP_INFER_NOFF of them): value histogram,
 *    coverage, equality with the conversation's first message (session),
 *    change between consecutive messages of the same conversation and
 *    direction (counters, ids), equality with the conversation's previous
 *    message of the other direction when it was the last one (txid echo);
 *  - per (offset, width 1/2/4, byte order, scale 1/4): strict length
 *    relation  len == value*scale + k, votes for k in Misra-Gries slots
 *    (tolerant to split/coalesced TCP segments), with distinct lengths;
 *  - per (offset, width, byte order): the delta to the previous message of
 *    the same conversation+direction, Misra-Gries slots (counters);
 *  - per (offset, timestamp encoding): value within one day of the capture
 *    time (4-byte s, 8-byte s/ms/us/ns, both byte orders).
 * The model is built on demand from these counters: length, timestamp, seq,
 * txid, session, type, magic, then other boundaries by byte class.  All
 * state is one fixed-size struct; nothing allocates.
 */
#include "wip_infer.h"
#include <string.h>
#include <math.h>

#define NOFF   WIP_INFER_NOFF
#define NCONV  WIP_INFER_NCONV
#define NLW    7          /* w1, w2be, w2le, w4be, w4le, w3be, w3le */
#define NSCALE 2          /* 1, 4 */
#define NSLOT  3          /* Misra-Gries slots */
#define NTS    12         /* timestamp encodings */
#define NBER   8          /* offsets where a BER/ASN.1 TLV structure may start */

#define K_MIN  (-16)      /* plausible length adjustments */
#define K_MAX  4096
#define TS_WIN 86400.0    /* timestamp: within a day of the capture time */
/* capture times (s since 1970) for which timestamps are looked for */
#define TS_PLAUSIBLE(ts) ((ts) > 1e8 && (ts) < 1e11)
#define TS_MAX_U64 1.8e19 /* a window above this does not fit 64 bits */
#define SEQ_DELTA_MAX 1024 /* counter deltas voted as themselves (else "large") */
/* A counter that only grows, by varying small steps (sequence numbers
 * shared by several streams, counted per request): it grew by 1..
 * SEQ_INC_MAX (1-byte windows: SEQ_INC_MAX_1) in SEQ_INC_PCT% of >=
 * SEQ_INC_MIN_PAIRS consecutive pairs. */
#define SEQ_INC_MAX       1024
#define SEQ_INC_MAX_1     31
#define SEQ_INC_PCT       80
#define SEQ_INC_MIN_PAIRS 8
#define SEQ_GROW_PCT      50
#define SEQ_HIGH_ZERO_PCT 75  /* a counter's high byte: zero in this share */

/* Learning gate for unframed TCP segments: leading bytes constant in
 * GATE_CONST_PCT% of >= GATE_MIN_MSGS messages (one byte: GATE_STRONG_PCT%)
 * must be there, else the segment continues a message. */
#define GATE_MIN_MSGS   6
#define GATE_MAX_BYTES  4
#define GATE_CONST_PCT  80
#define GATE_STRONG_PCT 90

/* A length relation is supported with >= LEN_MIN_VOTES votes, >=
 * LEN_MIN_DISTINCT distinct message lengths and LEN_SHARE_PCT% of the
 * buffers; another direction's relation where this one's messages obey it
 * in LEN_OTHER_PCT%; a wider window with LEN_WIDEN_PCT% of the votes. */
#define LEN_MIN_VOTES    4
#define LEN_MIN_DISTINCT 3
#define LEN_SHARE_PCT    40
#define LEN_OTHER_PCT    80
#define LEN_WIDEN_PCT    80

/* Byte classes (shares of the messages with the byte): the header region
 * (REGION_PCT% have it), a constant (CONST_PCT% one value), constant within
 * a conversation (CONVC_PCT% as its first message), changing
 * (CHANGES_PCT% of consecutive pairs), rarely changing (< RARELY_PCT%). */
#define REGION_PCT  85
#define CONST_PCT   90
#define CONVC_PCT   85
#define CHANGES_PCT 25
#define RARELY_PCT  10
#define SEQ_PCT     70   /* a counter: one delta in this share of pairs */
#define ECHO_PCT    80   /* an echo / request-reply relation: this share of pairs */
#define TS_MIN_VOTES 3   /* a timestamp: values near the capture time this often, */
#define TS_PCT      80   /* in this share of the messages that have the bytes */
#define TS_MAX      4    /* timestamps in one header at most (NTP's four, RFC 5905 7.3) */
#define BER_PCT     60   /* BER: the outer TLV spans this share of the messages */

/* Confidences (percent) of fields not derived from their support: gaps
 * between fields, BER TLV items, text arguments; a learned constant below
 * CONF_CONST_TRUSTED is not used to judge a message start. */
#define LOW_MAX          16 /* an enum byte (C_LOW): at most this many values */
#define ID_WORD          4  /* an echoed id fills its aligned word */
#define ID_MAX           8  /* an id: at most 64 bits */
#define TYPE_WIDE_MAX    64 /* an opcode byte: at most this many values, */
#define TYPE_WIDE_REPEAT 3  /* each seen this often on average */
#define CONF_GAP           30
#define CONF_TEXT_ARG      40
#define CONF_BER           60
#define CONF_CONST_TRUSTED 60
#define CONF_KIND_TYPE     70
#define SESSION_MIN_W      2   /* bytes of a session id, at least */
#define SPARSE_ZERO_PCT    70  /* sparse data: bytes zero in this share, */
#define SPARSE_MIN         8   /* runs of at least this many: one span */
#define MAGIC_UNIFORM_MAX  16  /* a run of one non-zero constant: one field up to this many bytes */
#define TEXT_MIN           4   /* text: runs of this many printable characters, */
#define TEXT_MIN_U16       3   /* or of this many UTF-16LE ones, */
#define TEXT_PCT           50  /* at an offset in this share of the messages, */
#define TEXT_TAIL_PCT      25  /* at the end of the common region: this share, */
#define TEXT_MIN_MSGS      4   /* and in this many messages at least */
#define SMALL_CONST        0x10 /* a constant high byte of a number: below this */
#define WORD_BYTES         4   /* numbers do not cross a 32-bit word boundary */
#define CO_MIN             3   /* bytes changing together: in this many pairs at least, */
#define CO_PCT             90  /* both in this share of those where either changes; */
#define APART_PCT          50  /* apart: both in at most this share */

static const guint8 LW_W[NLW]  = { 1, 2, 2, 4, 4, 3, 3 };
static const guint8 LW_BE[NLW] = { 1, 1, 0, 1, 0, 1, 0 };
/* preference between windows of equal support: 3-byte ones only below the
 * usual widths (a zero byte beside a 2-byte field is more often a field of
 * its own) */
static const guint8 LW_RANK[NLW] = { 10, 20, 20, 40, 40, 15, 15 };
static const guint8 SCALES[NSCALE] = { 1, 4 };
/* timestamp encodings: width, big endian, divisor to seconds */
/* (4-byte s, 8-byte s/ms/us/ns in both orders, NTP 32.32 and NTP seconds:
 * since 1900, big-endian) */
static const guint8 TS_W[NTS]  = { 4, 4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 4 };
static const guint8 TS_BE[NTS] = { 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1 };
static const double TS_DIV[NTS] = { 1, 1, 1, 1, 1e3, 1e3, 1e6, 1e6, 1e9, 1e9, 4294967296.0, 1 };
static const double TS_EPOCH[NTS] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2208988800.0, 2208988800.0 };

typedef struct { gint32 k; guint32 cnt; guint32 l[3]; guint8 nd; } lslot_t;
typedef struct { gint32 d; guint32 cnt; } dslot_t;

typedef struct {
    guint32 n, n_rej, n_convs, min_len, max_len;
    guint32 n_len;             /* buffers that voted for length relations */
    /* framing hint, refreshed every 8 buffers: once a length relation is
     * strong, coalesced buffers are split and partial ones skipped */
    guint8  fr_ok, fr_off, fr_lw, fr_sc;
    gint32  fr_k;
    guint32 n_calls;
    guint32 cov[NOFF];
    guint32 htot[NOFF];
    guint16 hist[NOFF][256];
    guint16 mode_cnt[NOFF];
    guint8  mode[NOFF];
    guint32 win_cmp[NOFF], win_eq[NOFF];
    guint32 cons_cmp[NOFF], cons_diff[NOFF];
    guint32 cc_n[NOFF], cc_both[NOFF]; /* pairs where byte o or o+1 changed; both */
    guint32 echo_cmp[NOFF], echo_eq[NOFF];
    guint32 txt[NOFF];         /* messages where the byte is in a run of text */
    dslot_t rel[NOFF][2];      /* (byte - other direction's byte) mod 256 */
    lslot_t len[NOFF][NLW][NSCALE][NSLOT];
    dslot_t seq[NOFF][NLW][NSLOT];
    guint32 seq_pairs[NOFF][NLW];
    guint32 seq_inc[NOFF][NLW];  /* pairs where the window grew a little or stayed */
    guint32 seq_grow[NOFF][NLW]; /* pairs where it grew a little */
    guint32 ts_ok[NOFF][NTS];
    guint32 ber_ok[NBER];      /* a constructed BER TLV at this offset spans the rest */
} dstat_t;

typedef struct {
    guint32 n;
    guint8  flen, llen;
    guint8  first[NOFF];
    guint8  last[NOFF];
} cdir_t;

typedef struct {
    guint32 id, used;
    guint8  live, last_dir;
    guint8  kseen[2];          /* per direction: kinds this conversation had */
    cdir_t  d[2];
} conv_t;

/* Models per message kind (see kinds_decide): the first KSAMPLE messages
 * of a direction are sampled, then a type byte is chosen (or none), and
 * each of up to NKIND values of it gets a learner of its own. */
#define NKIND   WIP_INFER_NKIND
#define KSAMPLE 32
enum { K_SAMPLING = 0, K_DECIDED, K_NONE };
typedef struct {
    guint8  state, sel, nk;    /* sel: offset of the type byte */
    guint8  val[NKIND];
    guint32 ns;
    guint8  sb[KSAMPLE][NOFF];
    guint8  sm[KSAMPLE];
    guint32 slen[KSAMPLE], sconv[KSAMPLE];
    double  sts[KSAMPLE];
    guint32 model_at[NKIND];
    wip_hdr_model_t model[NKIND];
    wip_hdr_model_t shown;     /* the last one returned: common prefix + kind */
    dstat_t st[NKIND];
} kinds_t;

struct wip_infer {
    guint32 magic;
    guint32 tick;
    /* glue policy: sampling and the cached model, by direction */
    guint32 offered[2], learned[2], seen[2], model_at[2];
    wip_hdr_model_t model[2];
    guint32 young_at[2];       /* wip_infer_shown: messages of both directions at young[] */
    wip_hdr_model_t young[2];
    dstat_t st[2];
    conv_t  conv[NCONV];
    kinds_t kinds[2];
    wip_tlv_learn_t tlv[2];    /* TLV chains in bodies, by direction (wip_tlv.c) */
};

#define INF_MAGIC 0x57495049u

const char *wip_fkind_name(wip_fkind_t k)
{
    static const char *names[WIP_F_COUNT] = {
        "none", "magic", "length", "type", "seq", "txid", "session",
        "timestamp", "field"
    };
    return (k < WIP_F_COUNT) ? names[k] : "?";
}

gsize wip_infer_size(void) { return sizeof(struct wip_infer); }

wip_infer_t *wip_infer_init(void *mem)
{
    wip_infer_t *inf = (wip_infer_t *)mem;
    if (!inf)
        return NULL;
    memset(inf, 0, sizeof *inf);
    inf->magic = INF_MAGIC;
    inf->st[0].min_len = inf->st[1].min_len = G_MAXUINT32;
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < NKIND; k++)
            inf->kinds[d].st[k].min_len = G_MAXUINT32;
    return inf;
}

/* a >= pct% of b (and b > 0) */
static inline gboolean rate_ge(guint64 a, guint64 b, int pct)
{
    return b > 0 && a * 100 >= b * (guint64)pct;
}

/* A supported strict length relation: enough votes, several distinct
 * lengths, a share of the buffers that voted. */
static inline gboolean len_supported(const lslot_t *l, guint32 n_len)
{
    return l->cnt >= LEN_MIN_VOTES && l->nd >= LEN_MIN_DISTINCT && rate_ge(l->cnt, n_len, LEN_SHARE_PCT);
}

/* A length candidate: the slot and its window. */
typedef struct { const lslot_t *l; int off, lw, sc; } lcand_t;

/* The supported length relations of S in order of (offset, window,
 * scale, slot): the next one from *it on into *c (from lw_min on). */
static gboolean len_next(const dstat_t *S, int lw_min, guint *it, lcand_t *c)
{
    const lslot_t *all = &S->len[0][0][0][0];
    for (; *it < (guint)(NOFF * NLW * NSCALE * NSLOT); (*it)++) {
        guint i = *it;
        int lw;
        if (!len_supported(&all[i], S->n_len))
            continue;
        lw = (i / (NSLOT * NSCALE)) % NLW;
        if (lw < lw_min)
            continue;
        c->l = &all[i]; c->off = i / (NSLOT * NSCALE * NLW); c->lw = lw; c->sc = (i / NSLOT) % NSCALE;
        (*it)++;
        return TRUE;
    }
    return FALSE;
}

/* A field of kind k at [off, off + w) (order meaningless for 1 byte). */
static wip_field_t *field_set(wip_field_t *f, wip_fkind_t k, gsize off, int w, int be, guint8 conf)
{
    memset(f, 0, sizeof *f);
    f->kind = k;
    f->offset = (guint16)off;
    f->width = (guint8)w;
    f->big_endian = (guint8)(w == 1 ? 1 : be);
    f->confidence = conf;
    return f;
}

static inline int dir_idx(int dir) { return dir == 2 ? 1 : 0; }

guint32 wip_infer_n_msgs(const wip_infer_t *inf, int dir)
{
    return inf ? inf->st[dir_idx(dir)].n : 0;
}

guint32 wip_infer_n_rejected(const wip_infer_t *inf, int dir)
{
    return inf ? inf->st[dir_idx(dir)].n_rej : 0;
}

static inline guint64 rd(const guint8 *p, int w, int be)
{
    guint64 v = 0;
    int i;
    if (be)
        for (i = 0; i < w; i++) v = (v << 8) | p[i];
    else
        for (i = w - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* A 4-byte length's top bit is a flag in real protocols (ONC RPC record
 * marks: "last fragment"); no message is 2 GB long, so it never counts. */
static inline guint64 rd_len(const guint8 *p, int w, int be)
{
    guint64 v = rd(p, w, be);
    return w == 4 ? (v & 0x7fffffffu) : v;
}

int wip_ber_hdr(const guint8 *p, gsize avail, guint32 *clen, int *tag_len)
{
    gsize i = 1;
    int n, k;
    guint32 v = 0;
    if (!p || avail < 2)
        return 0;
    if ((p[0] & 0x1f) == 0x1f) {          /* high tag number form */
        while (i < avail && i < 4 && (p[i] & 0x80)) i++;
        i++;
        if (i >= avail || i > 4)
            return 0;
    }
    if (tag_len) *tag_len = (int)i;
    if (p[i] < 0x80) {
        if (clen) *clen = p[i];
        return (int)i + 1;
    }
    n = p[i] & 0x7f;
    if (n == 0 || n > 4 || i + 1 + (gsize)n > avail)
        return 0;
    for (k = 0; k < n; k++)
        v = (v << 8) | p[i + 1 + k];
    if (clen) *clen = v;
    return (int)i + 1 + n;
}

static conv_t *conv_get(wip_infer_t *inf, guint32 id)
{
    conv_t *lru = NULL;
    int i;
    inf->tick++;
    for (i = 0; i < NCONV; i++) {
        conv_t *c = &inf->conv[i];
        if (c->live && c->id == id) {
            c->used = inf->tick;
            return c;
        }
        if (!c->live) {
            if (!lru || lru->live) lru = c;
        } else if (!lru || (lru->live && c->used < lru->used))
            lru = c;
    }
    memset(lru, 0, sizeof *lru);
    lru->live = 1;
    lru->id = id;
    lru->used = inf->tick;
    return lru;
}

/* Misra-Gries: the slot of key among ns slots (each stride bytes apart,
 * key and count at ko and co): its own, else a free one (*fresh set), else
 * -1 after one vote against every slot. */
static inline int mg_slot(guint8 *base, gsize stride, gsize ko, gsize co, int ns,
                          gint32 key, gboolean *fresh)
{
    int i;
#define MG_KEY(i) (*(gint32 *)(base + (gsize)(i) * stride + ko))
#define MG_CNT(i) (*(guint32 *)(base + (gsize)(i) * stride + co))
    *fresh = FALSE;
    for (i = 0; i < ns; i++)
        if (MG_CNT(i) && MG_KEY(i) == key) return i;
    for (i = 0; i < ns; i++)
        if (!MG_CNT(i)) { MG_KEY(i) = key; *fresh = TRUE; return i; }
    for (i = 0; i < ns; i++) MG_CNT(i)--;
    return -1;
#undef MG_KEY
#undef MG_CNT
}

/* Misra-Gries vote for a length adjustment k (with the message length) */
static inline void len_vote(lslot_t *s, gint32 k, guint32 L)
{
    gboolean fresh;
    int i, e = mg_slot((guint8 *)s, sizeof *s, G_STRUCT_OFFSET(lslot_t, k),
                       G_STRUCT_OFFSET(lslot_t, cnt), NSLOT, k, &fresh);
    if (e < 0)
        return;
    if (fresh)
        s[e].nd = 0;
    s[e].cnt++;
    if (s[e].nd < 3) {
        for (i = 0; i < s[e].nd; i++)
            if (s[e].l[i] == L) return;
        s[e].l[s[e].nd++] = L;
    }
}

static inline void mg_vote(dslot_t *s, int ns, gint32 d)
{
    gboolean fresh;
    int e = mg_slot((guint8 *)s, sizeof *s, G_STRUCT_OFFSET(dslot_t, d),
                    G_STRUCT_OFFSET(dslot_t, cnt), ns, d, &fresh);
    if (e >= 0)
        s[e].cnt++;
}

static void learn_len(dstat_t *S, const guint8 *buf, gsize len)
{
    int off, lw, sc;
    guint m = len < NOFF ? (guint)len : NOFF;
    S->n_len++;
    for (off = 0; off < (int)m; off++)
        for (lw = 0; lw < NLW; lw++) {
            int w = LW_W[lw];
            guint64 v;
            if (off + w > (int)m)
                continue;
            v = rd_len(buf + off, w, LW_BE[lw]);
            for (sc = 0; sc < NSCALE; sc++) {
                gint64 k = (gint64)len - (gint64)(v * SCALES[sc]);
                if (k < K_MIN || k > K_MAX)
                    continue;   /* counted against by the rate */
                len_vote(S->len[off][lw][sc], (gint32)k, len > G_MAXUINT32 ? G_MAXUINT32 : (guint32)len);
            }
        }
}

static void refresh_frame(dstat_t *S)
{
    int off, lw, sc, s;
    const lslot_t *best = NULL;
    S->fr_ok = 0;
    for (off = 0; off < NOFF; off++)
        for (lw = 0; lw < NLW; lw++)
            for (sc = 0; sc < NSCALE; sc++)
                for (s = 0; s < NSLOT; s++) {
                    const lslot_t *l = &S->len[off][lw][sc][s];
                    if (l->cnt < 8 || l->nd < 3 || (guint64)l->cnt * 2 < S->n_len)
                        continue;
                    if (!best || l->cnt > best->cnt ||
                        (l->cnt == best->cnt && LW_RANK[lw] > LW_RANK[S->fr_lw])) {
                        best = l;
                        S->fr_ok = 1; S->fr_off = (guint8)off; S->fr_lw = (guint8)lw;
                        S->fr_sc = (guint8)sc; S->fr_k = l->k;
                    }
                }
}

static void learn_msg(wip_infer_t *inf, guint32 conv, int d,
                      const guint8 *buf, gsize len, double ts, gboolean vote_len, gboolean gate);

void wip_infer_learn_msg(wip_infer_t *inf, guint32 conv, int dir,
                         const guint8 *buf, gsize len, double ts)
{
    if (!inf || inf->magic != INF_MAGIC || !buf || len == 0)
        return;
    inf->st[dir_idx(dir)].n_calls++;
    learn_msg(inf, conv, dir_idx(dir), buf, len, ts, TRUE, FALSE);
}

void wip_infer_learn(wip_infer_t *inf, guint32 conv, int dir,
                     const guint8 *buf, gsize len, double ts)
{
    dstat_t *S;
    gsize pos = 0;
    int iter;
    if (!inf || inf->magic != INF_MAGIC || !buf || len == 0)
        return;
    S = &inf->st[dir_idx(dir)];
    if ((S->n_calls++ & 7) == 0)
        refresh_frame(S);
    if (!S->fr_ok) {
        learn_msg(inf, conv, dir_idx(dir), buf, len, ts, TRUE, TRUE);
        return;
    }
    /* framed: vote on the buffer as it is, learn the messages in it */
    learn_len(S, buf, len);
    for (iter = 0; pos < len && iter < 16; iter++) {
        int w = LW_W[S->fr_lw];
        gint64 ml;
        if (len - pos < (gsize)(S->fr_off + w)) { S->n_rej++; return; }
        ml = (gint64)rd_len(buf + pos + S->fr_off, w, LW_BE[S->fr_lw]) * SCALES[S->fr_sc] + S->fr_k;
        if (ml < S->fr_off + w || (guint64)ml > len - pos) { S->n_rej++; return; }
        learn_msg(inf, conv, dir_idx(dir), buf + pos, (gsize)ml, ts, FALSE, TRUE);
        pos += (gsize)ml;
    }
}

/* The window of each timestamp encoding around the capture time ts
 * (lo = hi = 0: the encoding cannot match). */
static void ts_windows(double ts, guint64 *lo, guint64 *hi)
{
    int t;
    for (t = 0; t < NTS; t++) {
        /* An encoding whose window does not fit 64 bits (ns after year
         * 2554) cannot match: leave its window empty. */
        double h = (ts + TS_EPOCH[t] + TS_WIN) * TS_DIV[t];
        lo[t] = hi[t] = 0;
        if (!TS_PLAUSIBLE(ts) || h >= TS_MAX_U64)
            continue;
        lo[t] = (guint64)((ts + TS_EPOCH[t] - TS_WIN) * TS_DIV[t]);
        hi[t] = (guint64)h;
    }
}

/* Gate: once the first bytes are an established constant, a buffer that
 * does not start with them is a continuation segment (TRUE: reject). */
static gboolean gate_rejects(const dstat_t *S, const guint8 *buf, gsize len)
{
    int off, ng = 0, strong = 0;
    if (S->n < GATE_MIN_MSGS)
        return FALSE;
    for (off = 0; off < GATE_MAX_BYTES; off++) {
        if (S->htot[off] < GATE_MIN_MSGS || S->mode[off] == 0 ||
            !rate_ge(S->mode_cnt[off], S->htot[off], GATE_CONST_PCT))
            break;
        ng++;
        strong += rate_ge(S->mode_cnt[off], S->htot[off], GATE_STRONG_PCT);
    }
    /* a leading non-zero constant of >= 2 bytes, or one strong byte */
    if (!(ng >= 2 || (ng == 1 && strong == 1)))
        return FALSE;
    for (off = 0; off < ng; off++)
        if (len <= (gsize)off || buf[off] != S->mode[off])
            return TRUE;
    return FALSE;
}

/* Byte value histogram of offset o (halved when a count saturates). */
static void hist_add(dstat_t *S, int o, guint8 b)
{
    if (S->hist[o][b] == G_MAXUINT16) {
        int i;
        for (i = 0; i < 256; i++) S->hist[o][i] >>= 1;
        S->htot[o] >>= 1;
        S->mode_cnt[o] >>= 1;
    }
    S->hist[o][b]++;
    S->htot[o]++;
    if (S->hist[o][b] > S->mode_cnt[o]) {
        S->mode_cnt[o] = S->hist[o][b];
        S->mode[o] = b;
    }
}

static inline gboolean printable(guint8 b)
{
    return (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\r' || b == '\n';
}

/* Bytes of text in buf[0, m): runs of TEXT_MIN printable ASCII
 * characters or more, or of TEXT_MIN_U16 UTF-16LE ones (a printable byte,
 * then zero) or more, marked in t[]. */
static void text_mask(const guint8 *buf, guint m, guint8 *t)
{
    guint o, e;
    memset(t, 0, m);
    for (o = 0; o < m; o = MAX(e, o + 1)) {
        for (e = o; e < m && printable(buf[e]); e++) ;
        if (e - o >= TEXT_MIN) {
            memset(t + o, 1, e - o);
            continue;
        }
        for (e = o; e + 1 < m && printable(buf[e]) && buf[e + 1] == 0; e += 2) ;
        if (e - o >= 2 * TEXT_MIN_U16)
            memset(t + o, 1, e - o);
    }
}

/* Per leading byte: histogram, equality with the conversation's first and
 * previous message, echo of the other direction's previous message, text. */
static void learn_bytes(dstat_t *S, const conv_t *c, int d, const guint8 *buf, guint m)
{
    const cdir_t *cd = &c->d[d], *od = &c->d[1 - d];
    gboolean echo = c->last_dir == (guint8)(2 - d) && od->n > 0;
    guint8 t[NOFF];
    int o;
    text_mask(buf, m, t);
    for (o = 0; o < (int)m; o++) {
        guint8 b = buf[o];
        S->cov[o]++;
        S->txt[o] += t[o];
        hist_add(S, o, b);
        if (cd->n > 0 && o < cd->flen) {
            S->win_cmp[o]++;
            S->win_eq[o] += (b == cd->first[o]);
        }
        if (cd->n > 0 && o < cd->llen) {
            S->cons_cmp[o]++;
            S->cons_diff[o] += (b != cd->last[o]);
            if (o + 1 < (int)m && o + 1 < cd->llen) {
                gboolean c0 = b != cd->last[o], c1 = buf[o + 1] != cd->last[o + 1];
                S->cc_n[o] += c0 || c1;
                S->cc_both[o] += c0 && c1;
            }
        }
        if (echo && o < od->llen) {
            S->echo_cmp[o]++;
            S->echo_eq[o] += (b == od->last[o]);
            mg_vote(S->rel[o], 2, (gint32)(guint8)(b - od->last[o]));
        }
    }
}

/* Counters: the delta of each 1/2/4-byte window to the conversation's
 * previous message in this direction. */
static void learn_deltas(dstat_t *S, const cdir_t *cd, const guint8 *buf, guint m)
{
    int off, lw;
    if (cd->n == 0)
        return;
    for (off = 0; off < (int)m; off++)
        for (lw = 0; lw < NLW; lw++) {
            int w = LW_W[lw];
            guint64 v, pv, mask, dd;
            gint64 sd;
            if (off + w > (int)m || off + w > cd->llen)
                continue;
            if ((w == 1 && lw != 0) || w == 3)
                continue;   /* counters: 1, 2 and 4 bytes */
            v = rd(buf + off, w, LW_BE[lw]);
            pv = rd(cd->last + off, w, LW_BE[lw]);
            mask = (w == 8) ? G_MAXUINT64 : ((G_GUINT64_CONSTANT(1) << (8 * w)) - 1);
            dd = (v - pv) & mask;
            sd = (dd >> (8 * w - 1)) ? (gint64)dd - (gint64)(mask) - 1 : (gint64)dd;
            S->seq_pairs[off][lw]++;
            if (sd >= 0 && sd <= (w == 1 ? SEQ_INC_MAX_1 : SEQ_INC_MAX)) {
                S->seq_inc[off][lw]++;
                S->seq_grow[off][lw] += sd > 0;
            }
            mg_vote(S->seq[off][lw], NSLOT,
                    (sd >= -SEQ_DELTA_MAX && sd <= SEQ_DELTA_MAX) ? (gint32)sd : 0x7fffffff);
        }
}

/* Timestamps: windows whose value is near the capture time. */
static void learn_ts(dstat_t *S, const guint8 *buf, guint m, double ts)
{
    guint64 lo[NTS], hi[NTS];
    int off, t;
    if (!TS_PLAUSIBLE(ts))
        return;
    ts_windows(ts, lo, hi);
    for (off = 0; off < (int)m; off++)
        for (t = 0; t < NTS; t++) {
            guint64 v;
            if (hi[t] == 0 || off + TS_W[t] > (int)m)
                continue;
            v = rd(buf + off, TS_W[t], TS_BE[t]);
            if (v >= lo[t] && v <= hi[t])
                S->ts_ok[off][t]++;
        }
}

/* BER: a constructed TLV at a leading offset whose length spans the rest. */
static void learn_ber(dstat_t *S, const guint8 *buf, gsize len)
{
    int off;
    for (off = 0; off < NBER && (gsize)off + 2 <= len; off++) {
        guint32 cl;
        int h;
        if (!(buf[off] & 0x20))
            continue;   /* constructed tags only (SEQUENCE, application) */
        h = wip_ber_hdr(buf + off, len - off, &cl, NULL);
        if (h > 0 && (guint64)off + (guint64)h + cl == len)
            S->ber_ok[off]++;
    }
}

static inline guint32 clamp32(gsize v) { return v > G_MAXUINT32 ? G_MAXUINT32 : (guint32)v; }

static void kinds_learn(wip_infer_t *inf, conv_t *c, int d, const guint8 *buf, gsize len, double ts);

static void learn_msg(wip_infer_t *inf, guint32 conv, int d,
                      const guint8 *buf, gsize len, double ts, gboolean vote_len, gboolean gate)
{
    dstat_t *S = &inf->st[d];
    conv_t *c;
    cdir_t *cd;
    guint m;

    if (gate && gate_rejects(S, buf, len)) {
        S->n_rej++;
        return;
    }
    c = conv_get(inf, conv);
    cd = &c->d[d];
    m = len < NOFF ? (guint)len : NOFF;
    S->n++;
    S->min_len = MIN(S->min_len, clamp32(len));
    S->max_len = MAX(S->max_len, clamp32(len));
    if (cd->n == 0)
        S->n_convs++;
    if (vote_len)
        learn_len(S, buf, len);
    learn_bytes(S, c, d, buf, m);
    learn_deltas(S, cd, buf, m);
    learn_ts(S, buf, m, ts);
    learn_ber(S, buf, len);
    if (!(vote_len && gate))   /* a known message, not a TCP segment as it came */
        kinds_learn(inf, c, d, buf, len, ts);
    wip_tlv_learn(&inf->tlv[d], buf, len);

    if (cd->n == 0) {
        memcpy(cd->first, buf, m);
        cd->flen = (guint8)m;
    }
    memcpy(cd->last, buf, m);
    cd->llen = (guint8)m;
    cd->n++;
    c->last_dir = (guint8)(d + 1);
}

/* ------------------------------------------------------------------ */
/* Message kinds: per direction, a type byte whose few values each fix  */
/* more of the layout (bytes, length) than the direction as a whole.    */

#define KIND_MAX_OFF    24  /* the type byte is among the first bytes */
#define KIND_MIN_GROUP  3   /* a value this often in the sample forms a kind */
#define KIND_COVER_PCT  75  /* the kinds cover this share of the sample */
#define KIND_HAVE_PCT   90  /* share of the sample long enough to hold the byte */
#define KIND_GROUP_PCT  90  /* a byte is constant in a kind in this share of it */
#define KIND_LEN_WEIGHT 4   /* a length fixed per kind counts as this many bytes */
#define KIND_GAIN_MIN   2   /* bytes per grouped message made constant by the grouping */
#define KIND_MIN_MSGS   8   /* a kind's own model is shown from this many messages */

/* Of the sampled messages with value gv at o (gv < 0: any value counted in
 * cnt[] at least KIND_MIN_GROUP times), how many, when byte p (p == NOFF:
 * the length) is the same in KIND_GROUP_PCT of them; else 0. */
static guint kind_const(const kinds_t *K, int o, int gv, const guint8 *cnt, int p)
{
    guint i, j, n = 0, best = 0;
    for (i = 0; i < K->ns; i++) {
        guint same = 0;
        if (K->sm[i] <= o || (gv >= 0 ? K->sb[i][o] != gv : cnt[K->sb[i][o]] < KIND_MIN_GROUP))
            continue;
        if (p < NOFF && K->sm[i] <= p)
            return 0;
        n++;
        for (j = 0; j < K->ns; j++) {
            if (K->sm[j] <= o || (gv >= 0 ? K->sb[j][o] != gv : cnt[K->sb[j][o]] < KIND_MIN_GROUP))
                continue;
            if (p < NOFF ? (K->sm[j] > p && K->sb[j][p] == K->sb[i][p]) : K->slen[j] == K->slen[i])
                same++;
        }
        best = MAX(best, same);
    }
    return (n && rate_ge(best, n, KIND_GROUP_PCT)) ? n : 0;
}

/* The layout gain of grouping the sample by the byte at o, or -1 when o is
 * no type byte (too few or too many values, none changing in a conversation). */
static int kind_gain(const kinds_t *K, int o, guint8 *cnt, guint *n_grouped)
{
    guint i, j, have = 0, grouped = 0, ng = 0, changes = 0;
    int p, gain = 0;
    memset(cnt, 0, 256);
    for (i = 0; i < K->ns; i++)
        if (K->sm[i] > o) { have++; cnt[K->sb[i][o]]++; }
    for (i = 0; i < 256; i++)
        if (cnt[i] >= KIND_MIN_GROUP) { ng++; grouped += cnt[i]; }
    if (ng < 2 || ng > NKIND || !rate_ge(have, K->ns, KIND_HAVE_PCT) || !rate_ge(grouped, have, KIND_COVER_PCT))
        return -1;
    for (i = 0; i < K->ns && !changes; i++)
        for (j = i + 1; j < K->ns; j++)
            if (K->sm[i] > o && K->sm[j] > o && K->sconv[i] == K->sconv[j] && K->sb[i][o] != K->sb[j][o])
                changes++;
    if (!changes)
        return -1;   /* constant per conversation: a session, not a kind */
    for (p = 0; p <= NOFF; p++) {
        int g = 0, w = p == NOFF ? KIND_LEN_WEIGHT : 1;
        if (p == o)
            continue;
        for (i = 0; i < 256; i++)
            if (cnt[i] >= KIND_MIN_GROUP)
                g += (int)kind_const(K, o, (int)i, cnt, p);
        gain += w * (g - (int)kind_const(K, o, -1, cnt, p));
    }
    *n_grouped = grouped;
    return gain;
}

/* Offsets the direction's model explains otherwise (length, counters, ids,
 * timestamps) are no type byte. */
static void kind_excluded(const wip_infer_t *inf, int d, guint8 *ex, wip_hdr_model_t *cm)
{
    guint i;
    int o;
    wip_infer_model(inf, d + 1, cm);
    for (i = 0; i < cm->n_fields; i++) {
        const wip_field_t *f = &cm->f[i];
        if (f->kind == WIP_F_LENGTH || f->kind == WIP_F_SEQ || f->kind == WIP_F_TXID ||
            f->kind == WIP_F_SESSION || f->kind == WIP_F_TIMESTAMP)
            for (o = f->offset; o < f->offset + f->width && o < NOFF; o++)
                ex[o] = 1;
    }
}

/* The type byte (if any) from the sample; its values by count become kinds. */
static void kinds_decide(const wip_infer_t *inf, int d, kinds_t *K)
{
    guint8 cnt[256], ex[NOFF] = { 0 };
    wip_hdr_model_t cm;
    int o, best = -1;
    guint i, ngr = 0;
    K->state = K_NONE;
    kind_excluded(inf, d, ex, &cm);
    if (cm.ber)
        return;   /* BER messages: their fields are walked per message */
    for (o = 0; o < KIND_MAX_OFF; o++) {
        int g;
        if (ex[o] || (g = kind_gain(K, o, cnt, &ngr)) < 0)
            continue;
        if (g >= KIND_GAIN_MIN * (int)ngr) { best = o; break; }   /* the first: a type leads */
    }
    if (best < 0)
        return;
    kind_gain(K, best, cnt, &ngr);
    K->state = K_DECIDED;
    K->sel = (guint8)best;
    while (K->nk < NKIND) {   /* kinds by count, most frequent first */
        int v = -1;
        for (i = 0; i < 256; i++)
            if (cnt[i] >= KIND_MIN_GROUP && (v < 0 || cnt[i] > cnt[v])) v = (int)i;
        if (v < 0) break;
        K->val[K->nk++] = (guint8)v;
        cnt[v] = 0;
    }
}

/* The kind of value v: its slot, a new one while there are free slots
 * (assign), else -1. */
static int kind_slot(kinds_t *K, guint8 v, gboolean assign)
{
    int k;
    for (k = 0; k < K->nk; k++)
        if (K->val[k] == v)
            return k;
    if (!assign || K->nk >= NKIND)
        return -1;
    K->val[K->nk] = v;
    return K->nk++;
}

/* A message of kind k in conversation c (NULL: not known). */
static dstat_t *kind_count_msg(kinds_t *K, int k, conv_t *c, int d, gsize len)
{
    dstat_t *S = &K->st[k];
    S->n++;
    S->min_len = MIN(S->min_len, clamp32(len));
    S->max_len = MAX(S->max_len, clamp32(len));
    if (c && !(c->kseen[d] & (1u << k))) {
        S->n_convs++;
        c->kseen[d] |= (guint8)(1u << k);
    }
    return S;
}

/* The sampled messages (their first NOFF bytes and length) into their
 * kinds: lengths, bytes and timestamps; no relations to the conversation's
 * earlier messages (not kept). */
static void kinds_replay(wip_infer_t *inf, int d, kinds_t *K)
{
    static const conv_t fresh;   /* no earlier message */
    guint i;
    int k, j;
    if (K->state != K_DECIDED)
        return;
    for (i = 0; i < K->ns; i++) {
        conv_t *c = NULL;
        if (K->sm[i] <= K->sel || (k = kind_slot(K, K->sb[i][K->sel], TRUE)) < 0)
            continue;
        for (j = 0; j < NCONV; j++)
            if (inf->conv[j].live && inf->conv[j].id == K->sconv[i])
                c = &inf->conv[j];
        learn_len(kind_count_msg(K, k, c, d, K->slen[i]), K->sb[i], K->slen[i]);
        learn_bytes(&K->st[k], &fresh, d, K->sb[i], K->sm[i]);
        learn_ts(&K->st[k], K->sb[i], K->sm[i], K->sts[i]);
    }
}

static void kinds_learn(wip_infer_t *inf, conv_t *c, int d, const guint8 *buf, gsize len, double ts)
{
    kinds_t *K = &inf->kinds[d];
    guint m = len < NOFF ? (guint)len : NOFF;
    dstat_t *S;
    int k;
    if (K->state == K_SAMPLING) {
        memcpy(K->sb[K->ns], buf, m);
        K->sm[K->ns] = (guint8)m;
        K->slen[K->ns] = clamp32(len);
        K->sconv[K->ns] = c->id;
        K->sts[K->ns] = ts;
        if (++K->ns == KSAMPLE) {
            kinds_decide(inf, d, K);
            kinds_replay(inf, d, K);
        }
        return;
    }
    if (K->state != K_DECIDED || len <= K->sel || (k = kind_slot(K, buf[K->sel], TRUE)) < 0)
        return;
    S = kind_count_msg(K, k, c, d, len);
    learn_len(S, buf, len);
    learn_bytes(S, c, d, buf, m);
    learn_deltas(S, &c->d[d], buf, m);
    learn_ts(S, buf, m, ts);
    learn_ber(S, buf, len);
}

/* ------------------------------------------------------------------ */
/* Model                                                               */

enum { C_NONE = 0, C_CONST, C_CONVC, C_LOW, C_VAR };

typedef struct {
    const dstat_t *S, *O;      /* this and the other direction */
    const wip_infer_t *inf;
    int d;
    guint32 n;
    int region;                /* offsets [0, region) covered by ~all messages */
    guint8 cls[NOFF];
    guint8 zero[NOFF];         /* constant zero */
    guint8 chg[NOFF];          /* changes within a conversation */
    guint16 distinct[NOFF];
    guint8 claimed[NOFF];
    int hint;                  /* byte order evidence: 1 big, 0 little, -1 none */
    int gran;                  /* widest constant chunk: the protocol's length width */
    int seq_grow_ok;           /* growth-only counters allowed (no one-step counter found) */
    wip_hdr_model_t *out;
} mctx_t;

static guint8 conf_of(guint32 support, guint32 need)
{
    double c = 100.0 * (1.0 - exp(-(double)support / (2.0 * (double)need)));
    if (c > 99) c = 99;
    if (c < 1) c = 1;
    return (guint8)c;
}

static gboolean free_span(const mctx_t *x, int off, int w)
{
    int i;
    if (off < 0 || off + w > NOFF)
        return FALSE;
    for (i = off; i < off + w; i++)
        if (x->claimed[i]) return FALSE;
    return TRUE;
}

static wip_field_t *add_field(mctx_t *x, wip_fkind_t k, int off, int w, int be, guint8 conf)
{
    wip_field_t *f;
    int i;
    if (x->out->n_fields >= WIP_INFER_MAX_FIELDS || !free_span(x, off, w))
        return NULL;
    f = field_set(&x->out->f[x->out->n_fields++], k, off, w, be, conf);
    for (i = off; i < off + w; i++)
        x->claimed[i] = (guint8)k;
    return f;
}

/* Claim a run [a, b) in chunks of 8/4/2/1 bytes (8 only if allow8). */
static void add_run(mctx_t *x, wip_fkind_t k, int a, int b, guint8 conf, gboolean allow8)
{
    while (a < b) {
        int r = b - a, w = (allow8 && r >= 8) ? 8 : r >= 4 ? 4 : r >= 2 ? 2 : 1;
        add_field(x, k, a, w, 1, conf);
        a += w;
    }
}

static gboolean has_relation(const mctx_t *x, int o);

/* Byte classes from the per-offset counters. */
static void classify(mctx_t *x)
{
    const dstat_t *S = x->S;
    int o, i;
    x->region = 0;
    for (o = 0; o < NOFF; o++) {
        if (rate_ge(S->cov[o], x->n, REGION_PCT)) x->region = o + 1;
        else break;
    }
    for (o = 0; o < NOFF; o++) {
        int nd = 0;
        for (i = 0; i < 256; i++) nd += S->hist[o][i] != 0;
        x->distinct[o] = (guint16)nd;
        x->cls[o] = C_NONE;
        x->zero[o] = 0;
        x->chg[o] = S->cons_cmp[o] >= 2 && rate_ge(S->cons_diff[o], S->cons_cmp[o], CHANGES_PCT);
        if (o >= x->region || S->cov[o] < 2)
            continue;
        if (S->cov[o] >= 4 && rate_ge(S->mode_cnt[o], S->htot[o], CONST_PCT)) {
            x->cls[o] = C_CONST;
            x->zero[o] = S->mode[o] == 0;
            continue;
        }
        /* the same all through a conversation, or from its second message
         * on (an id assigned by the first reply) */
        if ((S->win_cmp[o] >= 3 && rate_ge(S->win_eq[o], S->win_cmp[o], CONVC_PCT)) ||
            (S->cons_cmp[o] >= 4 && !rate_ge(S->cons_diff[o], S->cons_cmp[o], RARELY_PCT)))
            x->cls[o] = C_CONVC;
        else if (S->cov[o] >= 8 && nd >= 2 && nd <= LOW_MAX &&
                 ((guint32)nd * 3 <= S->cov[o] ||
                  ((guint32)nd * 2 <= S->cov[o] && has_relation(x, o))) &&
                 (S->cons_cmp[o] < 2 || rate_ge(S->cons_diff[o], S->cons_cmp[o], RARELY_PCT)))
            x->cls[o] = C_LOW;
        else
            x->cls[o] = C_VAR;
    }
}

/* Distinct first values at offset o over live conversations with >= 2
 * messages in this direction (capped at 2: "differs"). */
static int conv_values_differ(const mctx_t *x, int o, int *nconv)
{
    int i, have = 0, differ = 0, cnt = 0;
    guint8 v = 0;
    for (i = 0; i < NCONV; i++) {
        const conv_t *c = &x->inf->conv[i];
        const cdir_t *cd = &c->d[x->d];
        if (!c->live || cd->n < 2 || o >= cd->llen)
            continue;
        cnt++;
        if (!have) { v = cd->last[o]; have = 1; }
        else if (cd->last[o] != v) differ = 1;
    }
    if (nconv) *nconv = cnt;
    return differ;
}

/* Byte order evidence, unambiguous windows only: claimed timestamps, and
 * length / counter candidates whose most significant byte is not a zero
 * constant (it varies, so the window cannot be read the other way). */
static int order_evidence(const mctx_t *x)
{
    const dstat_t *S = x->S;
    int off, lw, s, be = 0, le = 0;
    guint i;
    for (i = 0; i < x->out->n_fields; i++)
        if (x->out->f[i].kind == WIP_F_TIMESTAMP) {
            if (x->out->f[i].big_endian) be += 4; else le += 4;
        }
    for (off = 0; off < NOFF; off++)
        for (lw = 1; lw < NLW; lw++) {
            int w = LW_W[lw], msb = LW_BE[lw] ? off : off + w - 1;
            if (off + w > NOFF || x->zero[msb] || x->cls[msb] == C_CONST ||
                x->cls[msb] == C_NONE || S->cons_diff[msb] == 0)
                continue;
            for (s = 0; s < NSLOT; s++) {
                const lslot_t *l = &S->len[off][lw][0][s];
                const dslot_t *q = &S->seq[off][lw][s];
                int v = 0;
                if (len_supported(l, S->n_len))
                    v = 2;
                if (q->cnt >= 4 && q->d != 0 && q->d >= -64 && q->d <= 64 &&
                    rate_ge(q->cnt, S->seq_pairs[off][lw], SEQ_PCT))
                    v = 1;
                if (LW_BE[lw]) be += v; else le += v;
            }
        }
    return (be == 0 && le == 0) ? -1 : be >= le ? 1 : 0;
}

/* The byte order of the other direction's best supported multi-byte
 * length relation (a protocol uses one order both ways), -1 if none. */
static int other_len_order(const mctx_t *x)
{
    int bo = -1;
    guint32 bc = 0;
    guint it = 0;
    lcand_t c;
    while (len_next(x->O, 1, &it, &c)) {
        if (c.l->cnt > bc) { bc = c.l->cnt; bo = LW_BE[c.lw]; }
        else if (c.l->cnt == bc && bo != LW_BE[c.lw]) bo = -2;   /* tie between orders */
    }
    return bo < 0 ? -1 : bo;
}


/* The best supported length relation of this direction on free bytes:
 * most votes, then the protocol's byte order, the usual widths, scale 1. */
static gboolean best_len_here(const mctx_t *x, lcand_t *b)
{
    int mt, bmt = 0;
    guint it = 0;
    lcand_t c;
    b->l = NULL;
    while (len_next(x->S, 0, &it, &c)) {
        gboolean better;
        if (!free_span(x, c.off, LW_W[c.lw]))
            continue;
        mt = x->hint < 0 || LW_W[c.lw] == 1 || LW_BE[c.lw] == x->hint;
        if (!b->l) better = TRUE;
        else if (c.l->cnt != b->l->cnt) better = c.l->cnt > b->l->cnt;
        else if (mt != bmt) better = mt > bmt;
        else if (LW_RANK[c.lw] != LW_RANK[b->lw]) better = LW_RANK[c.lw] > LW_RANK[b->lw];
        else better = c.sc < b->sc;
        if (better) { *b = c; bmt = mt; }
    }
    return b->l != NULL;
}

/* Too few distinct lengths here (replies of one size): the other
 * direction's length relation, when this direction's messages obey it too
 * (the same header both ways). */
static gboolean other_dir_len(const mctx_t *x, lcand_t *b)
{
    const dstat_t *S = x->S;
    int s;
    guint it = 0;
    lcand_t o = { NULL, -1, 0, 0 }, c;
    while (len_next(x->O, 0, &it, &c))
        if (!o.l || c.l->cnt > o.l->cnt || (c.l->cnt == o.l->cnt && LW_RANK[c.lw] > LW_RANK[o.lw]))
            o = c;
    if (!o.l || S->n_len < 2 || !free_span(x, o.off, LW_W[o.lw]))
        return FALSE;
    for (s = 0; s < NSLOT; s++) {
        const lslot_t *l = &S->len[o.off][o.lw][o.sc][s];
        if (l->cnt >= 2 && l->k == o.l->k && rate_ge(l->cnt, S->n_len, LEN_OTHER_PCT)) {
            *b = o;
            b->l = l;
            return TRUE;
        }
    }
    return FALSE;
}

/* May the length window of b be widened to width index lw?  3 bytes
 * little-endian: the high byte a zero constant and a changing byte right
 * after (a 3-byte length beside a counter); big-endian: the high byte a
 * zero constant, filling a 32-bit word after a 1-byte field (version +
 * 24-bit length). */
static gboolean len_widen_ok(const mctx_t *x, const lcand_t *b, int lw)
{
    int w = LW_W[lw], bo = b->off, bw = LW_W[b->lw], bbe = LW_BE[b->lw];
    if (w == 3 && !(bw == 2 && !bbe && !LW_BE[lw] && bo + 3 < x->region &&
                    x->zero[bo + 2] && x->cls[bo + 3] != C_CONST && x->cls[bo + 3] != C_NONE) &&
        !(bw == 2 && bbe && LW_BE[lw] && bo >= 2 && (bo + 2) % 4 == 0 &&
          x->zero[bo - 1] && x->cls[bo - 2] == C_CONST && !x->zero[bo - 2]))
        return FALSE;
    return !(w <= bw || (bw > 1 && LW_BE[lw] != bbe) || (x->hint >= 0 && LW_BE[lw] != x->hint));
}

/* The new high bytes of a widened window [o2, o2+w) over [bo, bo+bw):
 * all zero constants? */
static gboolean widen_zero(const mctx_t *x, int o2, int w, int bo, int bw)
{
    int i;
    for (i = o2; i < o2 + w; i++)
        if ((i < bo || i >= bo + bw) && !x->zero[i])
            return FALSE;
    return TRUE;
}

/* Misra-Gries counts are approximate: a wider window over the same low
 * byte with the same adjustment and nearly the votes is the same field
 * with its high bytes (zero for short messages).  Windows by width (a
 * 3-byte one before a 4-byte one); a 4-byte window over a 3-byte one
 * that explains fewer messages while its new high byte is not always zero
 * reaches into the next field (MySQL's 3-byte length, then a sequence id
 * that is mostly 0: the 4-byte reading fails where the id is not). */
static void widen_len(const mctx_t *x, lcand_t *b)
{
    static const guint8 BY_W[NLW] = { 0, 1, 2, 5, 6, 3, 4 };
    int i, s;
    for (i = 0; i < NLW; i++) {
        int lw = BY_W[i], w = LW_W[lw], o2;
        if (!len_widen_ok(x, b, lw))
            continue;
        o2 = LW_BE[lw] ? b->off + LW_W[b->lw] - w : b->off;
        if (o2 < 0 || o2 + w > NOFF || !free_span(x, o2, w))
            continue;
        for (s = 0; s < NSLOT; s++) {
            const lslot_t *l = &x->S->len[o2][lw][b->sc][s];
            if (l->cnt && l->k == b->l->k && l->nd >= MIN(LEN_MIN_DISTINCT, b->l->nd) &&
                rate_ge(l->cnt, b->l->cnt, LEN_WIDEN_PCT) &&
                (l->cnt >= b->l->cnt || LW_W[b->lw] != 3 || widen_zero(x, o2, w, b->off, LW_W[b->lw]))) {
                b->l = l; b->off = o2; b->lw = lw;
                break;
            }
        }
    }
}

static void find_length(mctx_t *x)
{
    lcand_t b = { NULL, 0, 0, 0 };
    wip_field_t *f;
    if (!best_len_here(x, &b) && !other_dir_len(x, &b))
        return;
    widen_len(x, &b);
    f = add_field(x, WIP_F_LENGTH, b.off, LW_W[b.lw], LW_BE[b.lw], conf_of(b.l->cnt, LEN_MIN_VOTES));
    if (f) {
        f->len_adjust = b.l->k;
        f->len_scale = SCALES[b.sc];
    }
}

static void find_timestamp(mctx_t *x)
{
    const dstat_t *S = x->S;
    int round;
    for (round = 0; round < TS_MAX; round++) {
        int off, t, bo = -1, bt = 0;
        guint32 bc = 0;
        for (off = 0; off < NOFF; off++)
            for (t = 0; t < NTS; t++) {
                guint32 c = S->ts_ok[off][t];
                if (off + TS_W[t] > NOFF || c < TS_MIN_VOTES || !rate_ge(c, S->cov[off + TS_W[t] - 1], TS_PCT) ||
                    !rate_ge(S->cov[off + TS_W[t] - 1], x->n, 50) || !free_span(x, off, TS_W[t]))
                    continue;
                if (c > bc || (c == bc && TS_W[t] > TS_W[bt])) { bc = c; bo = off; bt = t; }
            }
        if (bo < 0)
            return;
        add_field(x, WIP_F_TIMESTAMP, bo, TS_W[bt], TS_BE[bt], conf_of(bc, 3));
    }
}

/* Zero in most messages (SEQ_HIGH_ZERO_PCT): the high byte of a counter
 * that stays small, though some buffers (not framed right, another kind)
 * have other bytes there. */
static gboolean mostly_zero(const dstat_t *S, int o)
{
    return S->htot[o] >= 4 && S->mode[o] == 0 && rate_ge(S->mode_cnt[o], S->htot[o], SEQ_HIGH_ZERO_PCT);
}

/* Bytes o and o+1 change together (both in CO_PCT% of >= CO_MIN pairs
 * of consecutive messages where either changes): one number (an id
 * assigned once, a handle), not two fields. */
static gboolean together(const dstat_t *S, int o)
{
    return o >= 0 && o + 1 < NOFF && S->cc_n[o] >= CO_MIN && rate_ge(S->cc_both[o], S->cc_n[o], CO_PCT);
}

/* ... change at different times (at most APART_PCT% together): two fields. */
static gboolean apart(const dstat_t *S, int o)
{
    return o >= 0 && o + 1 < NOFF && S->cc_n[o] >= CO_MIN && !rate_ge(S->cc_both[o], S->cc_n[o], APART_PCT + 1);
}

/* Can the counter window [off, off+w) be extended over its high bytes?
 * (The wider window passed the delta test itself, so its high bytes carry
 * like a counter's.)  Not over a non-zero constant; not over bytes that
 * never change within a conversation (a session beside the counter)
 * unless a zero prefix says the counter is wide. */
static gboolean seq_ext_ok(const mctx_t *x, int off, int w, int be)
{
    int i, zero_seen = 0, high_seen = 0;
    for (i = 0; i < w - 1; i++) {
        int o = be ? off + i : off + w - 1 - i;  /* most significant first */
        if (x->claimed[o]) return FALSE;
        if (x->zero[o] || mostly_zero(x->S, o)) {
            /* a counter whose low bytes stay small has zero high bytes:
             * a non-zero byte above a zero one is another field (a TFTP
             * opcode 00 03 before the block number 00 01) */
            if (high_seen) return FALSE;
            zero_seen = 1;
            continue;
        }
        high_seen = 1;
        if (x->cls[o] == C_CONST || x->cls[o] == C_NONE) return FALSE;
        if (x->S->cons_diff[o] > 0 || zero_seen) continue;
        /* a per-conversation start value under the protocol's byte order */
        if (x->cls[o] == C_CONVC && x->hint >= 0 && (w == 1 || be == x->hint)) continue;
        return FALSE;
    }
    return TRUE;
}

static int endian_hint(const mctx_t *x);

/* Every byte of [off, off+w) equals the other direction's previous
 * message's (in either direction's statistics) for >= 80% of the pairs. */
static gboolean echoed_span(const mctx_t *x, int off, int w)
{
    int o;
    for (o = off; o < off + w; o++) {
        const dstat_t *S = x->S, *O = x->O;
        if (!((S->echo_cmp[o] >= 3 && rate_ge(S->echo_eq[o], S->echo_cmp[o], ECHO_PCT)) ||
              (O->echo_cmp[o] >= 3 && rate_ge(O->echo_eq[o], O->echo_cmp[o], ECHO_PCT))))
            return FALSE;
    }
    return TRUE;
}

static gboolean seq_step_ok(const dstat_t *S, int off, int lw, const dslot_t *q)
{
    return q->cnt >= 4 && q->d != 0 && q->d >= -64 && q->d <= 64 &&
           rate_ge(q->cnt, S->seq_pairs[off][lw], SEQ_PCT);
}

/* The counter evidence of window (off, lw): slot s < NSLOT, one step in
 * most pairs; s == NSLOT, growing by varying small steps (step 0), only
 * where no one step is found.  *q: its votes and step. */
static gboolean seq_pass(const mctx_t *x, int off, int lw, int s, dslot_t *q)
{
    const dstat_t *S = x->S;
    int w = LW_W[lw], i;
    if (S->seq_pairs[off][lw] < 4 || !free_span(x, off, w))
        return FALSE;
    if (s < NSLOT) {
        *q = S->seq[off][lw][s];
        if (!seq_step_ok(S, off, lw, q))
            return FALSE;
    } else {
        if (!x->seq_grow_ok)
            return FALSE;
        for (i = 0; i < NSLOT; i++)
            if (seq_step_ok(S, off, lw, &S->seq[off][lw][i]))
                return FALSE;
        q->d = 0;
        q->cnt = S->seq_inc[off][lw];
        if (S->seq_pairs[off][lw] < SEQ_INC_MIN_PAIRS || !rate_ge(q->cnt, S->seq_pairs[off][lw], SEQ_INC_PCT) ||
            !rate_ge(S->seq_grow[off][lw], S->seq_pairs[off][lw], SEQ_GROW_PCT))
            return FALSE;
        for (i = off; i < off + w; i++)
            if ((x->cls[i] == C_VAR || x->cls[i] == C_LOW) && !mostly_zero(S, i) && echoed_span(x, i, 1))
                return FALSE;   /* an id the reply echoes: a transaction id */
    }
    return w == 1 || seq_ext_ok(x, off, w, LW_BE[lw]);
}

static gboolean aligned(const mctx_t *x, int o, int w);

/* A 32-bit counter or id whose other half of its naturally aligned
 * 64-bit word is always zero (the high half: after it little endian,
 * before it big endian) is a 64-bit number that has not yet carried:
 * *off and *w widened to the whole word.  MS-SMB2 2.2.1 MessageId, Ceph
 * msgr2's le64 seq and tid. */
static void widen_id64(const mctx_t *x, int *off, int *w, int be)
{
    int a = be ? *off - 4 : *off, i, h = be ? a : *off + 4;
    if (*w != 4 || a < 0 || a + 8 > x->region || !aligned(x, a, 8))
        return;
    for (i = h; i < h + 4; i++)
        if (!x->zero[i] || x->claimed[i])
            return;
    *off = a;
    *w = 8;
}

static void find_seq(mctx_t *x)
{
    int iter, hint = endian_hint(x);
    for (iter = 0; iter < 4; iter++) {
        int off, lw, s, bo = -1, blw = 0, bmt = 0;
        guint32 bc = 0, cmax = 0;
        gint32 bstep = 0;
        dslot_t q;
        for (off = 0; off < NOFF; off++)
            for (lw = 0; lw < NLW; lw++)
                for (s = 0; s <= NSLOT; s++)
                    if (seq_pass(x, off, lw, s, &q) && q.cnt > cmax)
                        cmax = q.cnt;
        if (!cmax && iter == 0 && !x->seq_grow_ok) {
            /* no counter with one step: one that only grows, at most */
            x->seq_grow_ok = 1;
            iter = 3;
            for (off = 0; off < NOFF; off++)
                for (lw = 0; lw < NLW; lw++)
                    if (seq_pass(x, off, lw, NSLOT, &q) && q.cnt > cmax)
                        cmax = q.cnt;
        }
        if (!cmax)
            return;
        /* among the (nearly) best supported: the protocol's byte order,
         * then the wider window, then the votes */
        for (off = 0; off < NOFF; off++)
            for (lw = 0; lw < NLW; lw++)
                for (s = 0; s <= NSLOT; s++) {
                    int w = LW_W[lw], mt;
                    if (!seq_pass(x, off, lw, s, &q) || (guint64)q.cnt * 10 < (guint64)cmax * 9)
                        continue;
                    mt = hint < 0 || w == 1 || LW_BE[lw] == hint;
                    if (bo < 0 || mt > bmt || (mt == bmt && LW_RANK[lw] > LW_RANK[blw]) ||
                        (mt == bmt && LW_RANK[lw] == LW_RANK[blw] && q.cnt > bc)) {
                        bmt = mt;
                        bc = q.cnt; bo = off; blw = lw; bstep = q.d;
                    }
                }
        {
            int w = LW_W[blw];
            wip_field_t *f;
            widen_id64(x, &bo, &w, LW_BE[blw]);
            f = add_field(x, WIP_F_SEQ, bo, w, LW_BE[blw], conf_of(bc, 4));
            if (!f)
                return;
            f->step = bstep;
            /* a counter the other direction echoes is a request id */
            if (echoed_span(x, bo, w))
                f->kind = WIP_F_TXID;
        }
    }
}

static gboolean is_txid_byte(const mctx_t *x, int o)
{
    const dstat_t *S = x->S, *O = x->O;
    gboolean echo = (S->echo_cmp[o] >= 3 && rate_ge(S->echo_eq[o], S->echo_cmp[o], ECHO_PCT)) ||
                    (O->echo_cmp[o] >= 3 && rate_ge(O->echo_eq[o], O->echo_cmp[o], ECHO_PCT));
    if (!echo || o >= x->region || x->claimed[o])
        return FALSE;
    if (x->cls[o] == C_CONST || x->cls[o] == C_CONVC || x->cls[o] == C_LOW)
        return FALSE;
    /* changes within a conversation, or (one request per conversation)
     * differs between them */
    if (!x->chg[o] && !(S->cons_cmp[o] < 2 && x->cls[o] == C_VAR))
        return FALSE;
    return x->distinct[o] > 16 || (guint32)x->distinct[o] * 2 > S->cov[o];
}

/* An echoed byte that is not a constant of the protocol: part of an id
 * (its high bytes may be constant within a conversation). */
static gboolean echo_ext_byte(const mctx_t *x, int o)
{
    return o >= 0 && o < x->region && !x->claimed[o] && x->cls[o] == C_VAR && echoed_span(x, o, 1);
}

/* An echoed byte that is no constant of the protocol (its value may be
 * the same all through a conversation: the high bytes of an id). */
static gboolean echo_word_byte(const mctx_t *x, int o)
{
    return o >= 0 && o < x->region && !x->claimed[o] && x->cls[o] != C_CONST && x->cls[o] != C_NONE &&
           echoed_span(x, o, 1);
}

/* An echoed id narrower than a 32-bit word that one end of the word
 * holds: the whole word when its other bytes are echoed too and the
 * byte beside the id changes (an id whose high bytes stay the same for a
 * while). */
static void echo_align(const mctx_t *x, int *a, int *o)
{
    int i, wa = *a - *a % ID_WORD, wb = wa + ID_WORD;
    if (*o - *a >= ID_WORD || *o > wb || (*a != wa && *o != wb))
        return;
    /* the id has carried into the byte beside it (it changes within a
     * conversation): not a session id beside a short id */
    i = *o == wb ? *a - 1 : *o;
    if (!x->chg[i])
        return;
    for (i = wa; i < wb; i++)
        if ((i < *a || i >= *o) && !echo_word_byte(x, i))
            return;
    *a = wa;
    *o = wb;
}

/* Text: a byte in a run of printable characters (ASCII, or UTF-16LE
 * with its zero high bytes) in pct% of the messages. */
static gboolean text_byte(const mctx_t *x, int o, int pct)
{
    const dstat_t *S = x->S;
    return o < x->region && !x->claimed[o] && S->txt[o] >= TEXT_MIN_MSGS && rate_ge(S->txt[o], S->cov[o], pct);
}

/* A run of text bytes in most messages (TEXT_PCT%) is one string (a
 * name, a query, a path): no numbers, ids or boundaries inside it,
 * whatever its first letters look like (few values: an "enum"; echoed by
 * the reply: an "id").  Where the common region ends (the shortest kinds
 * end there), text in TEXT_TAIL_PCT% of the messages starts the string
 * bodies of the other kinds (TFTP's file names after the opcode, where
 * ACKs have their block number).  A run that never varies is left to the
 * constants (an ASCII magic).  A run to the end of the region goes on in
 * the longer messages (a string body): the header ends where it starts
 * (its bytes are claimed, with no field). */
static void text_runs(mctx_t *x)
{
    int o = 0, pass;
    for (pass = 0; pass < 2; pass++)
        for (o = 0; o < x->region; ) {
            int a = o, a0 = o, varies = 0, pct = pass ? TEXT_TAIL_PCT : TEXT_PCT;
            while (o < x->region && text_byte(x, o, pct))
                varies |= x->cls[o++] != C_CONST;
            /* a constant (magic, version), an echoed id or session or
             * a 1-byte type the reply answers before the string is no text, even when printable
             * in most messages (where a string is in a quarter of them,
             * the others' fields may be echoed; a string the reply
             * repeats is echoed all through) */
            while (a < o && (x->cls[a] == C_CONST || is_txid_byte(x, a) ||
                             (x->cls[a] == C_CONVC && has_relation(x, a))))
                a++;
            if (a < o && has_relation(x, a) && text_byte(x, a, TEXT_PCT))
                a++;
            if (varies && a < o && o == x->region && (pass ? x->cls[a] != C_CONVC : o - a >= TEXT_MIN))
                memset(x->claimed + a, WIP_F_FIELD, (gsize)(o - a));
            else if (varies && !pass && o - a >= TEXT_MIN)
                add_field(x, WIP_F_FIELD, a, o - a, 1, CONF_TEXT_ARG);
            o += o == a0;
        }
}

static void find_runs(mctx_t *x, wip_fkind_t k, gboolean (*pred)(const mctx_t *, int),
                      guint8 conf)
{
    int o = 0;
    while (o < NOFF) {
        int a;
        if (!pred(x, o)) { o++; continue; }
        a = o;
        while (o < NOFF && pred(x, o)) o++;
        if (k == WIP_F_TXID) {
            while (o - a < 8 && echo_ext_byte(x, a - 1)) a--;
            while (o - a < 8 && echo_ext_byte(x, o)) o++;
            echo_align(x, &a, &o);
        }
        /* one byte the same all through a conversation is no session id
         * (too few values to tell connections apart): a byte of a wider
         * field, left to the byte classes */
        if (k == WIP_F_SESSION && o - a < SESSION_MIN_W)
            continue;
        /* more echoed bytes than two 64-bit ids (a request id beside a
         * session id) hold: echoed content (a question the answer
         * repeats), one span */
        if (k == WIP_F_TXID && o - a > 2 * ID_MAX)
            add_field(x, WIP_F_FIELD, a, o - a, 1, CONF_GAP);
        else
            add_run(x, k, a, o, conf, TRUE);
    }
}

static gboolean is_session_byte(const mctx_t *x, int o)
{
    int nc = 0;
    if (o >= x->region || x->claimed[o] || x->cls[o] != C_CONVC)
        return FALSE;
    return conv_values_differ(x, o, &nc) && nc >= 2;
}

static gboolean is_const_byte(const mctx_t *x, int o)
{
    return o < x->region && !x->claimed[o] && x->cls[o] == C_CONST;
}

static int endian_hint(const mctx_t *x)
{
    guint i;
    /* a multi-byte length field: its order gave small values, the other
     * order of the same bytes would not.  Not a length prefix at offset 0
     * when the other numbers give an order: a transport's record marker
     * (NetBIOS before SMB2) is often in network order before a
     * little-endian body. */
    for (i = 0; i < x->out->n_fields; i++)
        if (x->out->f[i].kind == WIP_F_LENGTH && x->out->f[i].width > 1 &&
            (x->out->f[i].offset > 0 || x->hint < 0))
            return x->out->f[i].big_endian;
    if (x->hint >= 0)
        return x->hint;
    int be = 0, le = 0;
    for (i = 0; i < x->out->n_fields; i++) {
        const wip_field_t *f = &x->out->f[i];
        if (f->width > 1 && (f->kind == WIP_F_LENGTH || f->kind == WIP_F_SEQ ||
                             f->kind == WIP_F_TIMESTAMP)) {
            if (f->big_endian) be++; else le++;
        }
    }
    return (le == 0 && be == 0) ? -1 : le > be ? 0 : 1;
}

/* Request/reply relation of a byte: the reply's value is the request's
 * plus a constant (echo, | 0x80, + 1) for most pairs. */
static gboolean has_relation(const mctx_t *x, int o)
{
    const dstat_t *D[2] = { x->S, x->O };
    int i, j;
    for (i = 0; i < 2; i++) {
        if (D[i]->echo_cmp[o] < 3) continue;
        for (j = 0; j < 2; j++)
            if (rate_ge(D[i]->rel[o][j].cnt, D[i]->echo_cmp[o], ECHO_PCT))
                return TRUE;
    }
    return FALSE;
}

/* Unclaimed zero constants right before / after o (at most max). */
static int zeros_before(const mctx_t *x, int o, int max)
{
    int n = 0;
    while (n < max && o - n - 1 >= 0 && x->zero[o - n - 1] && !x->claimed[o - n - 1]) n++;
    return n;
}

/* Big endian: unclaimed small constants (below SMALL_CONST) right before
 * o in its 32-bit word, the most significant of them zero (at most max):
 * the high bytes of a number whose values start with 00 01 .. (a code of
 * 24 or 32 bits; numbers do not cross a word boundary). */
static int high_before(const mctx_t *x, int o, int max)
{
    int n = 0;
    while (n < max && o - n - 1 >= o - o % WORD_BYTES && !x->claimed[o - n - 1] && x->cls[o - n - 1] == C_CONST &&
           x->S->mode[o - n - 1] < SMALL_CONST)
        n++;
    while (n > 0 && !x->zero[o - n])
        n--;
    return n;
}

static int zeros_after(const mctx_t *x, int o, int max)
{
    int n = 0;
    while (n < max && o + n + 1 < x->region && x->zero[o + n + 1] && !x->claimed[o + n + 1]) n++;
    return n;
}

/* A byte that changes together with an unclaimed varying neighbour in
 * its aligned 16-bit word: part of a wider number, not a 1-byte type.
 * (Across a word boundary, bytes also change together where the type
 * changes the layout that follows it: a TFTP opcode's low byte and the
 * next byte, filename or block number.) */
static gboolean in_number(const mctx_t *x, int o)
{
    return (o % 2 == 1 && !x->claimed[o - 1] && (x->cls[o - 1] == C_LOW || x->cls[o - 1] == C_VAR) &&
            together(x->S, o - 1)) ||
           (o % 2 == 0 && o + 1 < x->region && !x->claimed[o + 1] && (x->cls[o + 1] == C_LOW || x->cls[o + 1] == C_VAR) &&
            together(x->S, o));
}

/* The message's first varying byte (after constants only) when it is an
 * enum wider than C_LOW allows (more than LOW_MAX values): at most TYPE_WIDE_MAX values, each seen
 * TYPE_WIDE_REPEAT times on average, changing within a conversation. */
static int wide_enum_lead(const mctx_t *x)
{
    int o;
    for (o = 0; o < x->region; o++) {
        if (x->cls[o] == C_CONST)
            continue;
        if (x->claimed[o] || x->cls[o] != C_VAR || !x->chg[o] || x->distinct[o] <= LOW_MAX ||
            x->distinct[o] > TYPE_WIDE_MAX ||
            (guint32)x->distinct[o] * TYPE_WIDE_REPEAT > x->S->cov[o])
            return -1;
        return o;
    }
    return -1;
}

/* Natural alignment: a 2/4/8-byte number starts at a multiple of its
 * width from offset 0 (C structs on the wire: MS-SMB2 2.2.1, RFC 1350's
 * 2-byte fields, XDR's 4-byte units), or from the end of the length field
 * (a record marker before the header proper: DNS over TCP's, RFC 1035
 * 4.2.2, NetBIOS's before SMB2), or it ends a multiple of its width before
 * the length field (packed headers laid out around their length: AMQP
 * 0-9-1's type, channel, size; Diameter's version, length). */
static gboolean aligned(const mctx_t *x, int o, int w)
{
    guint i;
    if (o < 0)
        return FALSE;
    if (w == 1 || w == 3 || o % w == 0)
        return TRUE;
    for (i = 0; i < x->out->n_fields; i++) {
        const wip_field_t *f = &x->out->f[i];
        int e = f->offset + f->width;
        if (f->kind == WIP_F_LENGTH &&
            ((o >= e && (o - e) % w == 0) || (o + w <= f->offset && (f->offset - o - w) % w == 0)))
            return TRUE;
    }
    return FALSE;
}

/* An enum byte that is the low byte of an aligned 16-bit word whose high
 * byte is an unclaimed zero constant, in the header's byte order (either
 * when it is unknown): a 2-byte opcode, 00 op big endian (TFTP, RFC 1350)
 * or op 00 little endian (SMB2's command, MS-SMB2 2.2.1). */
static gboolean word_enum(const mctx_t *x, int o, int be)
{
    return (be != 0 && o >= 1 && aligned(x, o - 1, 2) && x->zero[o - 1] && !x->claimed[o - 1]) ||
           (be != 1 && o + 1 < x->region && aligned(x, o, 2) && x->zero[o + 1] && !x->claimed[o + 1]);
}

/* The width and start of an enum at byte o with zero constants beside it
 * (its high bytes, zb before / za after), aligned: big endian first
 * unless the order is little (or only the other reading fits). */
static int type_width(const mctx_t *x, int o, int be, int *a, int *fbe)
{
    int zb = MAX(zeros_before(x, o, 3), be == 1 ? high_before(x, o, 3) : 0);
    int za = zeros_after(x, o, 3), wb = 1, wl = 1;
    if (zb) {
        /* a 24-bit code filling a word after a 1-byte field */
        wb = zb >= 3 && aligned(x, o - 3, 4) ? 4 : (zb >= 2 && (o + 1) % WORD_BYTES == 0) ? 3 :
             aligned(x, o - 1, 2) ? 2 : 1;
    }
    if (za)
        wl = za >= 3 && aligned(x, o, 4) ? 4 : aligned(x, o, 2) ? 2 : 1;
    if (wb > 1 && (be != 0 || wl == 1)) {
        *a = o - (wb - 1);
        *fbe = 1;
        return wb;
    }
    if (wl > 1 && be != 1) {
        *a = o;
        *fbe = 0;
        return wl;
    }
    *a = o;
    *fbe = 1;
    return 1;
}

static void find_type(mctx_t *x)
{
    int o, pick = -1, tier = 0, rel = 0, maxd = 0;
    int be = endian_hint(x);
    /* the type: the first enum byte with a request/reply relation or in an
     * aligned word with a zero high byte (a 2-byte opcode; not with fewer
     * values than an enum byte before it), unless a later such word has
     * more values; else the one with the most values (an opcode has more
     * than a version or flags byte) */
    int lead, a, w, fbe;
    for (o = 0; o < x->region; o++)
        if (!x->claimed[o] && x->cls[o] == C_LOW && !in_number(x, o)) {
            int we = word_enum(x, o, be) && x->distinct[o] >= maxd, t = we || has_relation(x, o);
            maxd = MAX(maxd, x->distinct[o]);
            if (pick < 0 || (t && !tier) || (!tier && x->distinct[o] > x->distinct[pick]) ||
                (tier && we && x->distinct[o] > x->distinct[pick])) {
                pick = o;
                tier = t;
                rel = has_relation(x, o);
            }
        }
    /* an opcode with more values than an enum byte: the message's first
     * varying byte, when it has more values than the pick */
    lead = wide_enum_lead(x);
    if (!rel && lead >= 0 && (pick < 0 || x->distinct[lead] > x->distinct[pick]))
        pick = lead;
    if (pick < 0)
        return;   /* other enums: after zero_extend (low_runs) */
    w = type_width(x, pick, be, &a, &fbe);
    add_field(x, WIP_F_TYPE, a, w, fbe, conf_of(x->S->cov[pick], 12));
}

/* Sparse data: unclaimed bytes each zero in most messages
 * (SPARSE_ZERO_PCT), not all of them always (padding, or fields that few
 * message kinds use).  Their few other values place no boundaries (what
 * is a field in one kind is padding in another): a run of SPARSE_MIN
 * bytes or more is one span, from a word boundary on when it starts inside
 * a word whose first bytes vary (the high bytes of a little-endian number). */
static gboolean sparse_byte(const mctx_t *x, int o)
{
    const dstat_t *S = x->S;
    return o < x->region && !x->claimed[o] && S->htot[o] >= 4 && S->mode[o] == 0 &&
           rate_ge(S->mode_cnt[o], S->htot[o], SPARSE_ZERO_PCT);
}

/* Word [o, o+4) holds only bytes that never vary (zero constants stay
 * one per word, outside a sparse span). */
static gboolean const_word(const mctx_t *x, int o)
{
    int i;
    for (i = o; i < o + WORD_BYTES; i++)
        if (i >= x->region || x->cls[i] != C_CONST)
            return FALSE;
    return TRUE;
}

static void sparse_runs(mctx_t *x)
{
    int o = 0;
    while (o < x->region) {
        int a, b, varies = 0;
        if (!sparse_byte(x, o)) {
            o++;
            continue;
        }
        a = o;
        while (o < x->region && sparse_byte(x, o))
            varies |= x->cls[o++] != C_CONST;
        b = o;
        if (a > 0 && !x->claimed[a - 1])
            a = (a + WORD_BYTES - 1) / WORD_BYTES * WORD_BYTES;
        if (b < x->region && !x->claimed[b])
            b = b / WORD_BYTES * WORD_BYTES;
        while (a + WORD_BYTES <= b && const_word(x, a))
            a += WORD_BYTES;
        while (b - WORD_BYTES >= a && const_word(x, b - WORD_BYTES))
            b -= WORD_BYTES;
        if (varies && b - a >= SPARSE_MIN)
            add_field(x, WIP_F_FIELD, a, b - a, 1, CONF_GAP);
    }
}

/* Enum-like bytes that are not the type: fields of their own, split
 * where two bytes change at different times (two fields). */
static void low_runs(mctx_t *x)
{
    int o;
    for (o = 0; o < x->region; o++) {
        int b = o;
        if (x->claimed[o] || x->cls[o] != C_LOW)
            continue;
        while (b < x->region && !x->claimed[b] && x->cls[b] == C_LOW && (b == o || !apart(x->S, b - 1))) b++;
        add_run(x, WIP_F_FIELD, o, b, conf_of(x->S->cov[o], 12), TRUE);
        o = b - 1;
    }
}


/* Unclaimed varying bytes right after zero constants (big endian) or
 * before them (little endian): one 2- or 4-byte number whose high bytes
 * are zero, not a zero constant plus a field.  The number is naturally
 * aligned (see aligned()): varying bytes that cross a word boundary
 * belong to two numbers (SMB2's credits 18:2, then flags 20:4 whose high
 * bytes are zero, not 18:4). */
static int ext_width(const mctx_t *x, int o, int r, int z, int be, int *a)
{
    int w, s, rw = MIN(r, WORD_BYTES - o % WORD_BYTES);
    /* big endian: a 3-byte number that fills a 32-bit word after a
     * 1-byte field (flags + 24-bit code; Diameter's AVP flags + length,
     * RFC 6733 4.1); its varying bytes end with the word */
    if (be && rw <= 2 && z + rw == 3) {
        *a = o + rw - 3;
        return 3;
    }
    for (w = 4; w >= 2; w -= 2)
        for (s = o - w + 1; s <= o; s++) {
            /* [s, s+w): zeros then varying bytes (be) or varying then zeros */
            int lo = be ? o - s : s + w - o;    /* bytes before o / from o */
            if (!aligned(x, s, w))
                continue;
            if (be ? (lo >= 1 && lo <= z && w - lo <= r) : (s == o && r < w && w - r <= z)) {
                *a = s;
                return w;
            }
        }
    return 0;
}

/* No byte order known: an aligned 16-bit word of a zero constant and a
 * varying byte is one number, read the way its zero byte says (00 xx big
 * endian, xx 00 little endian): TFTP's opcode 00 03 in a direction where
 * it only changes between transfers (RFC 1350). */
static void zero_words(mctx_t *x)
{
    int o;
    for (o = 0; o + 1 < x->region; o++) {
        int v0 = x->cls[o] != C_CONST && x->cls[o] != C_NONE, v1 = x->cls[o + 1] != C_CONST && x->cls[o + 1] != C_NONE;
        if (!aligned(x, o, 2) || !free_span(x, o, 2) || !((x->zero[o] && v1) || (v0 && x->zero[o + 1])))
            continue;
        add_field(x, WIP_F_FIELD, o, 2, x->zero[o], conf_of(x->S->cov[o], 12));
        o++;
    }
}

static void zero_extend(mctx_t *x)
{
    int o, be = endian_hint(x);
    if (be < 0) {
        zero_words(x);
        return;
    }
    for (o = 0; o < x->region; o++) {
        int r = 0, z, w, a;
        if (x->claimed[o] || x->cls[o] == C_CONST || x->cls[o] == C_NONE)
            continue;
        while (o + r < x->region && r < 4 && !x->claimed[o + r] &&
               x->cls[o + r] != C_CONST && x->cls[o + r] != C_NONE) r++;
        z = be ? MAX(zeros_before(x, o, 3), high_before(x, o, 3)) : zeros_after(x, o + r - 1, 3);
        if (z == 0 || (w = ext_width(x, o, r, z, be, &a)) == 0)
            continue;
        add_field(x, WIP_F_FIELD, a, w, be, conf_of(x->S->cov[o], 12));
        o = a + w - 1;
    }
}

/* The other direction's constant at o (>= 90% of its messages). */
static gboolean other_const(const mctx_t *x, int o, guint8 *v)
{
    const dstat_t *O = x->O;
    if (O->cov[o] < 4 || !rate_ge(O->mode_cnt[o], O->htot[o], CONST_PCT))
        return FALSE;
    *v = O->mode[o];
    return TRUE;
}

/* Is byte o inside a supported length window of the other direction? */
static gboolean other_len_at(const mctx_t *x, int o)
{
    const dstat_t *O = x->O;
    int off, lw, s;
    for (off = MAX(0, o - 3); off <= o; off++)
        for (lw = 0; lw < NLW; lw++) {
            if (off + LW_W[lw] <= o || off + LW_W[lw] > NOFF)
                continue;
            for (s = 0; s < NSLOT; s++) {
                const lslot_t *l = &O->len[off][lw][0][s];
                if (len_supported(l, O->n_len))
                    return TRUE;
            }
        }
    return FALSE;
}

/* A constant of this direction that the other direction has as another
 * small constant (zero high bytes, or both values < 0x20): a message type
 * (call 0 / reply 1), not magic. */
static void find_dir_type(mctx_t *x)
{
    int o, be = endian_hint(x);
    for (o = 0; o < x->region; o++) {
        guint8 ov;
        int zb, za, a = o, w = 1;
        if (!is_const_byte(x, o) || !other_const(x, o, &ov) || ov == x->S->mode[o] ||
            other_len_at(x, o))
            continue;
        zb = be != 0 ? zeros_before(x, o, 3) : 0;
        za = be == 0 ? zeros_after(x, o, 3) : 0;
        if (!(MAX(ov, x->S->mode[o]) < 0x20 || zb || za))
            continue;
        if (zb) { w = zb >= 3 ? 4 : 2; a = o - (w - 1); }
        else if (za) { w = za >= 3 ? 4 : 2; a = o; }
        /* only the first: after it the directions' layouts may differ */
        add_field(x, WIP_F_TYPE, a, w, a < o ? 1 : 0, conf_of(x->S->cov[o], 6));
        return;
    }
}

/* The width of the constant chunk at a (its run ends at o).  Fields of
 * real headers are naturally aligned (a 4-byte field at a multiple of 4,
 * a 2-byte one at an even offset: SMB2, NTP, X11, XDR), so a run of
 * constants is cut at its aligned words, not in chunks from its start.
 * A run of 3 or 4 printable ASCII constants (a text magic: "def",
 * "RFB ") stays whole; a run of one non-zero value (a marker of 0xFF bytes, as
 * BGP's) is one field up to MAGIC_UNIFORM_MAX bytes.  Zero runs are not
 * one field: zero padding and zero-valued fields (reserved words, ids
 * not used yet) are alike. */
static int magic_width(const mctx_t *x, int a, int o)
{
    const guint8 *v = x->S->mode;
    int r = o - a, w, i;
    for (i = a + 1; v[a] != 0 && i < o && i < a + MAGIC_UNIFORM_MAX && v[i] == v[a]; i++) ;
    if (i - a > WORD_BYTES && x->gran >= WORD_BYTES)
        return i - a;
    for (i = a; i < o && i < a + WORD_BYTES && v[i] >= 0x20 && v[i] < 0x7f; i++) ;
    if (i - a >= 3 && i == o)
        return i - a;
    /* a whole 2- or 4-byte run between changing bytes is one field
     * wherever it lies (packed headers: a session id after a 1-byte type) */
    if ((r == 4 || r == 2) && r <= x->gran)
        return r;
    w = r >= 4 ? 4 : r >= 2 ? 2 : 1;
    if (w > x->gran)
        w = x->gran;
    while (w > 1 && a % w)
        w /= 2;
    return w;
}

static void find_magic(mctx_t *x)
{
    int o = 0;
    while (o < NOFF) {
        int a, i;
        if (!is_const_byte(x, o)) { o++; continue; }
        a = o;
        while (o < NOFF && is_const_byte(x, o)) o++;
        while (a < o) {
            int w = magic_width(x, a, o);
            guint8 conf = conf_of(x->S->cov[a], 4);
            wip_field_t *f;
            if (x->out->n_convs < 2) conf /= 2;
            f = add_field(x, WIP_F_MAGIC, a, w, 1, conf);
            if (f) {
                guint32 v = 0;
                for (i = 0; i < MIN(w, 4); i++) v = (v << 8) | x->S->mode[a + i];
                f->magic = v;
            }
            a += w;
        }
    }
}

static int cmp_field(const void *a, const void *b)
{
    const wip_field_t *x = a, *y = b;
    return (int)x->offset - (int)y->offset;
}

/* A kind's model: its type byte is known; zero constants beside it are
 * its high bytes, aligned (type_width, as in find_type). */
static void kind_type(mctx_t *x, const kinds_t *K)
{
    int o = K->sel, a = o, w, be = endian_hint(x), fbe = 1;
    if (o >= x->region || x->claimed[o])
        return;
    w = type_width(x, o, be, &a, &fbe);
    add_field(x, WIP_F_TYPE, a, w, fbe, CONF_KIND_TYPE);
}

static gboolean is_typed(const wip_field_t *f)
{
    return f->kind != WIP_F_FIELD && f->kind != WIP_F_MAGIC && f->kind != WIP_F_NONE;
}

/* Precision first: untyped fields after the last field with evidence of a
 * meaning (a typed field or a constant) are payload of varying layout: no
 * boundaries inside, one field to the end of the last of them. */
static void prune_trailing(mctx_t *x)
{
    wip_hdr_model_t *m = x->out;
    guint i, n = 0;
    int ev_end = 0, t_end = 0;
    for (i = 0; i < m->n_fields; i++)
        if (is_typed(&m->f[i]) || m->f[i].kind == WIP_F_MAGIC)
            ev_end = MAX(ev_end, m->f[i].offset + m->f[i].width);
    for (i = 0; i < m->n_fields; i++) {
        const wip_field_t *f = &m->f[i];
        if (!is_typed(f) && f->offset >= ev_end) {
            t_end = MAX(t_end, f->offset + f->width);
            continue;
        }
        m->f[n++] = *f;
    }
    m->n_fields = n;
    if (t_end > ev_end && n < WIP_INFER_MAX_FIELDS) {
        int o;
        for (o = ev_end; o < t_end; o++)
            x->claimed[o] = 0;
        add_field(x, WIP_F_FIELD, ev_end, t_end - ev_end, 1, CONF_GAP);
    }
}

static void model_build(const wip_infer_t *inf, int d, const dstat_t *S, const kinds_t *K,
                        wip_hdr_model_t *out)
{
    mctx_t x;
    guint i;
    int o, end = 0;

    memset(out, 0, sizeof *out);
    memset(&x, 0, sizeof x);
    x.inf = inf;
    x.d = d;
    x.S = S;
    x.O = &inf->st[1 - x.d];
    x.n = x.S->n;
    x.out = out;
    out->n_msgs = x.S->n;
    out->n_convs = x.S->n_convs;
    if (x.n < 2)
        return;
    classify(&x);

    for (o = 0; o < NBER; o++)
        if (x.S->ber_ok[o] >= 4 && rate_ge(x.S->ber_ok[o], x.n, BER_PCT) && x.S->min_len < x.S->max_len) {
            out->ber = 1;
            out->ber_off = (guint8)o;
            break;
        }
    find_timestamp(&x);
    x.hint = order_evidence(&x);
    if (x.hint < 0)
        x.hint = other_len_order(&x);
    find_length(&x);
    text_runs(&x);
    /* BER/ASN.1 is byte oriented: constants one byte each */
    x.gran = out->ber ? 1 : 4;
    find_seq(&x);
    find_runs(&x, WIP_F_TXID, is_txid_byte, conf_of(x.S->cov[0], 6));
    find_runs(&x, WIP_F_SESSION, is_session_byte, conf_of(x.S->n_convs, 3));
    if (K)
        kind_type(&x, K);
    sparse_runs(&x);
    find_dir_type(&x);
    find_type(&x);
    zero_extend(&x);
    low_runs(&x);
    find_magic(&x);
    prune_trailing(&x);

    for (i = 0; i < out->n_fields; i++)
        if (out->f[i].offset + out->f[i].width > end)
            end = out->f[i].offset + out->f[i].width;
    /* a length that counts the body only tells where the header ends */
    for (i = 0; i < out->n_fields; i++) {
        const wip_field_t *f = &out->f[i];
        if (f->kind == WIP_F_LENGTH && f->len_scale == 1 && f->len_adjust > end &&
            f->len_adjust <= NOFF && (guint32)f->len_adjust <= x.S->min_len &&
            f->len_adjust <= x.region)
            end = f->len_adjust;
    }
    /* other boundaries: unclaimed gaps inside the header, by byte class */
    o = 0;
    while (o < end) {
        int a, c;
        if (x.claimed[o]) { o++; continue; }
        a = o;
        c = x.cls[o] == C_LOW ? C_VAR : x.cls[o];
        while (o < end && !x.claimed[o] && (x.cls[o] == C_LOW ? C_VAR : x.cls[o]) == c) o++;
        /* no evidence of inner boundaries: one field */
        add_field(&x, WIP_F_FIELD, a, o - a, 1, CONF_GAP);
    }
    end = 0;
    for (i = 0; i < out->n_fields; i++)
        if (out->f[i].offset + out->f[i].width > end)
            end = out->f[i].offset + out->f[i].width;
    out->hdr_len = (guint16)end;
    qsort(out->f, out->n_fields, sizeof out->f[0], cmp_field);
    wip_tlv_model(&inf->tlv[d], &inf->tlv[1 - d], out->f, out->n_fields, &out->tlv);
}

void wip_infer_model(const wip_infer_t *inf, int dir, wip_hdr_model_t *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!inf || inf->magic != INF_MAGIC)
        return;
    model_build(inf, dir_idx(dir), &inf->st[dir_idx(dir)], NULL, out);
}

/* The common model, then the kind's fields where the common one has none
 * (after its header, or in gaps between its fields). */
static gboolean overlaps(const wip_field_t *a, const wip_field_t *b)
{
    return a->offset < b->offset + b->width && b->offset < a->offset + a->width;
}

static gboolean untyped(const wip_field_t *f) { return f->kind == WIP_F_FIELD || f->kind == WIP_F_MAGIC; }

/* A kind whose messages vary in size by more than KIND_VAR_RATIO carries
 * a variable part (strings, lists) whose bytes a sample of one kind holds
 * at shifting offsets: its enum bytes, per-conversation constants and the
 * gaps between them are artifacts of repeated content, not fields.  From
 * such a kind only fields whose relation checks their own position in
 * every message are taken: constants, lengths, counters, echoed ids,
 * timestamps, and its type byte.  A kind of (near) fixed size (one
 * structure per message type) gives all of its fields. */
#define KIND_VAR_RATIO 2

static gboolean kind_field_ok(const wip_field_t *f, const dstat_t *KS, int sel)
{
    if ((guint64)KS->max_len <= (guint64)KIND_VAR_RATIO * KS->min_len)
        return TRUE;
    switch (f->kind) {
    case WIP_F_MAGIC: case WIP_F_LENGTH: case WIP_F_SEQ: case WIP_F_TXID: case WIP_F_TIMESTAMP:
        return TRUE;
    case WIP_F_TYPE:
        return f->offset <= sel && sel < f->offset + f->width;
    default:
        return FALSE;
    }
}

/* The common model, with the kind's typed fields (length, type, ids, ...)
 * in place of untyped common ones they overlap, and the kind's other
 * fields where the common one has none (those kind_field_ok takes). */
static void kind_merge(const wip_hdr_model_t *c, const wip_hdr_model_t *k, wip_hdr_model_t *out,
                       const dstat_t *KS, int sel)
{
    guint i, j, n;
    *out = *c;
    for (i = 0; i < k->n_fields; i++) {
        const wip_field_t *f = &k->f[i];
        gboolean ok = kind_field_ok(f, KS, sel);
        for (j = 0; j < out->n_fields && ok; j++)
            if (overlaps(f, &out->f[j]) && (untyped(f) || !untyped(&out->f[j])))
                ok = FALSE;
        if (!ok)
            continue;
        for (j = n = 0; j < out->n_fields; j++)   /* drop the untyped ones it overlaps */
            if (!overlaps(f, &out->f[j]))
                out->f[n++] = out->f[j];
        out->n_fields = n;
        if (n < WIP_INFER_MAX_FIELDS) {
            out->f[out->n_fields++] = *f;
            out->hdr_len = MAX(out->hdr_len, f->offset + f->width);
        }
    }
    qsort(out->f, out->n_fields, sizeof out->f[0], cmp_field);
}

const wip_hdr_model_t *wip_infer_kind_model(wip_infer_t *inf, int dir, const wip_hdr_model_t *common,
                                            const guint8 *buf, gsize len, gboolean visited)
{
    kinds_t *K;
    guint32 l, at;
    int k, d;
    if (!inf || inf->magic != INF_MAGIC || !buf || !common || common->ber)
        return common;
    d = dir_idx(dir);
    K = &inf->kinds[d];
    if (K->state != K_DECIDED || len <= K->sel || (k = kind_slot(K, buf[K->sel], FALSE)) < 0 ||
        K->st[k].n < KIND_MIN_MSGS)
        return common;
    l = K->st[k].n;
    at = K->model_at[k];
    /* first pass: every WIP_INFER_MODEL_EVERY messages of the kind at most */
    if (l != at && (visited || at == 0 || l - at >= MAX(WIP_INFER_MODEL_EVERY, at / 16))) {
        model_build(inf, d, &K->st[k], K, &K->model[k]);
        K->model_at[k] = l;
    }
    kind_merge(common, &K->model[k], &K->shown, &K->st[k], K->sel);
    return &K->shown;
}

gboolean wip_infer_msg_len(const wip_hdr_model_t *m, const guint8 *buf, gsize len,
                           guint32 *msg_len)
{
    guint i;
    if (!m || !buf)
        return FALSE;
    for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
        const wip_field_t *f = &m->f[i];
        guint64 v;
        gint64 total;
        if (f->kind != WIP_F_LENGTH)
            continue;
        if (f->width == 0 || f->width > 8 || (gsize)f->offset + f->width > len)
            return FALSE;
        v = rd_len(buf + f->offset, f->width, f->big_endian);
        if (v > G_MAXUINT32)
            return FALSE;
        total = (gint64)v * (f->len_scale ? f->len_scale : 1) + f->len_adjust;
        if (total < (gint64)f->offset + f->width || total > G_MAXUINT32)
            return FALSE;
        if (msg_len)
            *msg_len = (guint32)total;
        return TRUE;
    }
    return FALSE;
}

/* ------------------------------------------------------------------ */
/* Policy for the glue                                                 */

guint32 wip_infer_n_offered(const wip_infer_t *inf, int dir)
{
    return (inf && inf->magic == INF_MAGIC) ? inf->offered[dir_idx(dir)] : 0;
}

/* A young direction (fewer than WIP_INFER_YOUNG_MSGS messages learned)
 * is shown with a provisional model built from the counters of both
 * directions summed: request and reply headers mostly share their layout
 * (a version, a length that counts the same way, the same ids), and the
 * other direction's first messages come before this one's fourth.  Its
 * fields have WIP_INFER_PROVISIONAL_PCT% of their confidence, so a
 * provisional model never judges a message start (CONF_CONST_TRUSTED) nor
 * frames TCP by a length field (wip_frame.h): it is shown, nothing more.
 * The sum is written into one scratch area (dissection is one thread). */
static dstat_t pool_scratch;

/* Misra-Gries slots of two directions: the same key adds up (with its
 * distinct lengths), the NSLOT most voted keys are kept. */
static void pool_len_slots(lslot_t *out, const lslot_t *a, const lslot_t *b)
{
    lslot_t all[2 * NSLOT];
    int n = 0, i, j, k;
    for (i = 0; i < NSLOT; i++)
        if (a[i].cnt)
            all[n++] = a[i];
    for (i = 0; i < NSLOT; i++) {
        if (!b[i].cnt)
            continue;
        for (j = 0; j < n && all[j].k != b[i].k; j++) ;
        if (j == n) { all[n++] = b[i]; continue; }
        all[j].cnt += b[i].cnt;
        for (k = 0; k < b[i].nd && all[j].nd < 3; k++) {
            int e;
            for (e = 0; e < all[j].nd && all[j].l[e] != b[i].l[k]; e++) ;
            if (e == all[j].nd)
                all[j].l[all[j].nd++] = b[i].l[k];
        }
    }
    memset(out, 0, NSLOT * sizeof *out);
    for (k = 0; k < NSLOT; k++) {          /* the NSLOT largest counts */
        int best = -1;
        for (i = 0; i < n; i++)
            if (all[i].cnt && (best < 0 || all[i].cnt > all[best].cnt))
                best = i;
        if (best < 0)
            break;
        out[k] = all[best];
        all[best].cnt = 0;
    }
}

/* Counter deltas: the same merge, as length slots without lengths. */
static void pool_delta_slots(dslot_t *out, const dslot_t *a, const dslot_t *b)
{
    lslot_t la[NSLOT], lb[NSLOT], lo[NSLOT];
    int i;
    memset(la, 0, sizeof la);
    memset(lb, 0, sizeof lb);
    for (i = 0; i < NSLOT; i++) {
        la[i].k = a[i].d; la[i].cnt = a[i].cnt;
        lb[i].k = b[i].d; lb[i].cnt = b[i].cnt;
    }
    pool_len_slots(lo, la, lb);
    for (i = 0; i < NSLOT; i++) {
        out[i].d = lo[i].k;
        out[i].cnt = lo[i].cnt;
    }
}

#define POOL_SUM(field) for (i = 0; i < (int)G_N_ELEMENTS(P->field); i++) P->field[i] = A->field[i] + B->field[i]

/* Per-offset counters: summed, the mode taken again from the summed histogram. */
static void pool_bytes(dstat_t *P, const dstat_t *A, const dstat_t *B)
{
    int i, o, v;
    POOL_SUM(cov); POOL_SUM(htot); POOL_SUM(win_cmp); POOL_SUM(win_eq);
    POOL_SUM(cons_cmp); POOL_SUM(cons_diff); POOL_SUM(echo_cmp); POOL_SUM(echo_eq);
    POOL_SUM(txt);
    POOL_SUM(ber_ok);
    for (o = 0; o < NOFF; o++) {
        P->mode_cnt[o] = 0;
        P->mode[o] = 0;
        for (v = 0; v < 256; v++) {
            guint32 c = (guint32)A->hist[o][v] + B->hist[o][v];
            P->hist[o][v] = (guint16)MIN(c, G_MAXUINT16);
            if (P->hist[o][v] > P->mode_cnt[o]) {
                P->mode_cnt[o] = P->hist[o][v];
                P->mode[o] = (guint8)v;
            }
        }
        memcpy(P->rel[o], A->rel[o], sizeof P->rel[o]);
        for (v = 0; v < NTS; v++)
            P->ts_ok[o][v] = A->ts_ok[o][v] + B->ts_ok[o][v];
    }
}

/* Per-offset windows: length votes, counter deltas and growth counts. */
static void pool_windows(dstat_t *P, const dstat_t *A, const dstat_t *B)
{
    int o, lw, sc;
    for (o = 0; o < NOFF; o++)
        for (lw = 0; lw < NLW; lw++) {
            for (sc = 0; sc < NSCALE; sc++)
                pool_len_slots(P->len[o][lw][sc], A->len[o][lw][sc], B->len[o][lw][sc]);
            pool_delta_slots(P->seq[o][lw], A->seq[o][lw], B->seq[o][lw]);
            P->seq_pairs[o][lw] = A->seq_pairs[o][lw] + B->seq_pairs[o][lw];
            P->seq_inc[o][lw] = A->seq_inc[o][lw] + B->seq_inc[o][lw];
            P->seq_grow[o][lw] = A->seq_grow[o][lw] + B->seq_grow[o][lw];
        }
}

/* The counters of direction A (its framing hint and relation to the
 * other direction kept) with those of B added. */
static void pool_stats(dstat_t *P, const dstat_t *A, const dstat_t *B)
{
    *P = *A;
    P->n = A->n + B->n;
    P->n_rej = A->n_rej + B->n_rej;
    P->n_len = A->n_len + B->n_len;
    P->n_convs = MAX(A->n_convs, B->n_convs);
    P->min_len = MIN(A->min_len, B->min_len);
    P->max_len = MAX(A->max_len, B->max_len);
    pool_bytes(P, A, B);
    pool_windows(P, A, B);
}

/* A provisional model's untyped gaps: a word-aligned gap of several words
 * (no evidence of inner boundaries from so few messages) is shown as its
 * 32-bit words, the usual unit of binary headers (XDR, RFC 4506 sec. 3:
 * every item a multiple of four bytes; ONC RPC, NFS, SMB2, Diameter). */
#define YOUNG_WORD 4
static void young_words(wip_hdr_model_t *m)
{
    wip_field_t out[WIP_INFER_MAX_FIELDS];
    guint i, n = 0;
    for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
        const wip_field_t *f = &m->f[i];
        guint o = f->offset;
        if (f->kind != WIP_F_FIELD || f->offset % YOUNG_WORD || f->width <= YOUNG_WORD ||
            f->width % YOUNG_WORD) {
            if (n < WIP_INFER_MAX_FIELDS)
                out[n++] = *f;
            continue;
        }
        for (; o < (guint)f->offset + f->width && n < WIP_INFER_MAX_FIELDS; o += YOUNG_WORD) {
            out[n] = *f;
            out[n].offset = (guint16)o;
            out[n++].width = YOUNG_WORD;
        }
    }
    memcpy(m->f, out, n * sizeof out[0]);
    m->n_fields = n;
}

gboolean wip_infer_young(const wip_infer_t *inf, int dir)
{
    int d;
    if (!inf || inf->magic != INF_MAGIC)
        return FALSE;
    d = dir_idx(dir);
    return inf->st[d].n < WIP_INFER_YOUNG_MSGS && inf->st[1 - d].n > 0;
}

const wip_hdr_model_t *wip_infer_shown(wip_infer_t *inf, int dir, gboolean visited)
{
    int d;
    guint32 at, i;
    if (!wip_infer_young(inf, dir))
        return inf ? wip_infer_cached(inf, dir, visited) : NULL;
    d = dir_idx(dir);
    at = inf->st[d].n + inf->st[1 - d].n;
    if (inf->young_at[d] != at) {
        pool_stats(&pool_scratch, &inf->st[d], &inf->st[1 - d]);
        model_build(inf, d, &pool_scratch, NULL, &inf->young[d]);
        for (i = 0; i < inf->young[d].n_fields && i < WIP_INFER_MAX_FIELDS; i++)
            inf->young[d].f[i].confidence =
                (guint8)(inf->young[d].f[i].confidence * WIP_INFER_PROVISIONAL_PCT / 100);
        young_words(&inf->young[d]);
        inf->young_at[d] = at;
    }
    return &inf->young[d];
}

const wip_hdr_model_t *wip_infer_cached(wip_infer_t *inf, int dir, gboolean visited)
{
    int d = dir_idx(dir);
    guint32 l = inf->learned[d], at = inf->model_at[d];
    if (l != at && (visited || l <= WIP_INFER_FRESH_MAX || at == 0 ||
                    l - at >= MAX(WIP_INFER_MODEL_EVERY, at / 16))) {
        wip_infer_model(inf, dir, &inf->model[d]);
        inf->model_at[d] = l;
    }
    return &inf->model[d];
}

guint32 wip_infer_const_mismatch(const wip_hdr_model_t *m, const guint8 *buf, gsize len)
{
    guint i, k = 0;
    guint32 bits = 0;
    if (!m || !buf)
        return 0;
    for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
        const wip_field_t *f = &m->f[i];
        if (f->kind != WIP_F_MAGIC)
            continue;
        k++;
        if (f->offset >= 4 || f->confidence < CONF_CONST_TRUSTED || f->width > 4)
            continue;
        if ((gsize)f->offset + f->width > len)
            continue;
        if ((guint32)rd(buf + f->offset, f->width, 1) != f->magic)
            bits |= 1u << (k - 1);
    }
    return bits;
}

const char *wip_infer_no_header(const wip_hdr_model_t *m, const guint8 *buf, gsize len,
                                gboolean message_start)
{
    guint i;
    if (!m)
        return "no learner (too many ports)";
    if (message_start || m->n_fields == 0)
        return NULL;
    /* Not known to start a message (an unframed TCP segment): a segment
     * that does not start with the established magic is the middle of one. */
    for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
        const wip_field_t *f = &m->f[i];
        if (f->kind != WIP_F_MAGIC || f->offset >= 4 || f->confidence < CONF_CONST_TRUSTED || f->width > 4)
            continue;
        if ((gsize)f->offset + f->width > len || !buf ||
            (guint32)rd(buf + f->offset, f->width, 1) != f->magic)
            return "does not start with the learned constant: the middle of a message "
                   "(a TCP continuation segment)";
    }
    return NULL;
}

gboolean wip_infer_offer(wip_infer_t *inf, guint32 conv, int dir,
                         const guint8 *buf, gsize len, double ts, gboolean start_known)
{
    int d;
    guint32 rej;
    if (!inf || inf->magic != INF_MAGIC || !buf || len == 0)
        return TRUE;
    d = dir_idx(dir);
    inf->offered[d]++;
    if (inf->learned[d] >= WIP_INFER_LEARN_FULL && (inf->seen[d]++ % WIP_INFER_LEARN_EVERY) != 0)
        return wip_infer_no_header(wip_infer_cached(inf, dir, FALSE), buf, len, FALSE) == NULL;
    rej = inf->st[d].n_rej;
    if (start_known)
        wip_infer_learn_msg(inf, conv, dir, buf, len, ts);
    else
        wip_infer_learn(inf, conv, dir, buf, len, ts);
    inf->learned[d]++;
    return inf->st[d].n_rej == rej;
}

/* The other direction's model is read as last cached, never rebuilt
 * here: when models are rebuilt stays as it was (same output). */
gboolean wip_infer_tile_rule(wip_infer_t *inf, int dir, wip_frame_rule_t *r)
{
    int d;
    if (!inf || inf->magic != INF_MAGIC || !r)
        return FALSE;
    d = dir_idx(dir);
    return wip_frame_rule_tile(inf, dir, wip_infer_cached(inf, dir, FALSE),
                               inf->model_at[1 - d] ? &inf->model[1 - d] : NULL, r);
}

/* An unframed TCP segment that the rule of the model learned so far
 * (wip_infer_tile_rule) tiles exactly into
 * WIP_INFER_SPLIT_MIN or more messages: each is offered as a message of its
 * own, so a burst does not vote one wrong length (nor hide its other
 * headers) and the relation that split it is not weakened by it; else the
 * segment is offered as it is. */
gboolean wip_infer_offer_segment(wip_infer_t *inf, guint32 conv, int dir,
                                 const guint8 *buf, gsize len, double ts)
{
    wip_frame_rule_t r;
    wip_frame_starts_t st;
    guint i;
    if (!inf || inf->magic != INF_MAGIC || !buf || len == 0)
        return TRUE;
    if (!wip_infer_tile_rule(inf, dir, &r) ||
        !wip_frame_tile(&r, buf, len, &st) || st.n < WIP_INFER_SPLIT_MIN)
        return wip_infer_offer(inf, conv, dir, buf, len, ts, FALSE);
    for (i = 0; i < st.n; i++) {
        gsize end = i + 1 < st.n ? st.off[i + 1] : len;
        wip_infer_offer(inf, conv, dir, buf + st.off[i], end - st.off[i], ts, TRUE);
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* BER/ASN.1 messages                                                  */

static wip_field_t *ber_put(wip_field_t *out, guint max, guint *n, wip_fkind_t k, gsize off, int w, int be)
{
    if (*n >= max || w < 1 || w > 8)
        return NULL;
    return field_set(&out[(*n)++], k, off, w, be, CONF_BER);
}

guint wip_infer_ber_fields(const wip_hdr_model_t *m, const guint8 *buf, gsize len,
                           wip_field_t *out, guint max, guint *end)
{
    guint n = 0, i;
    gsize pos, lim;
    if (end) *end = 0;
    if (!m || !m->ber || !buf || !out || m->ber_off >= len)
        return 0;
    pos = m->ber_off;
    lim = MIN(len, (gsize)NOFF);
    while (pos < lim && n + 4 <= max) {
        guint32 cl = 0;
        int tl = 0, h = wip_ber_hdr(buf + pos, len - pos, &cl, &tl);
        int lb;
        wip_field_t *f;
        if (h <= 0)
            break;
        ber_put(out, max, &n, WIP_F_FIELD, pos, tl, 1);
        lb = h - tl;
        if (lb > 1)   /* long form: the count byte, then the length */
            ber_put(out, max, &n, WIP_F_FIELD, pos + tl, 1, 1);
        f = ber_put(out, max, &n, WIP_F_LENGTH, pos + tl + (lb > 1), lb > 1 ? lb - 1 : 1, 1);
        if (f) {
            /* the outer TLV's length counts the message after itself;
             * inner ones (scale 0) count their own content only */
            f->len_scale = pos == m->ber_off ? 1 : 0;
            f->len_adjust = (gint32)(pos + h);
        }
        if (buf[pos] & 0x20) {        /* constructed: its content is TLVs */
            pos += h;
            continue;
        }
        if (cl >= 1 && cl <= 8 && pos + h + cl <= len && pos + h < lim) {
            wip_fkind_t k = WIP_F_FIELD;
            int be = 1;
            for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
                const wip_field_t *g = &m->f[i];
                if (g->offset == pos + h && g->width == cl &&
                    (g->kind == WIP_F_TXID || g->kind == WIP_F_SEQ || g->kind == WIP_F_TYPE ||
                     g->kind == WIP_F_MAGIC ||
                     g->kind == WIP_F_SESSION || g->kind == WIP_F_TIMESTAMP)) {
                    k = g->kind;
                    be = g->big_endian;
                }
            }
            ber_put(out, max, &n, k, pos + h, (int)cl, be);
        }
        pos += (gsize)h + cl;
    }
    if (end) {
        gsize e = 0;
        for (i = 0; i < n; i++)
            e = MAX(e, (gsize)out[i].offset + out[i].width);
        *end = (guint)e;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Bodies of NUL-separated text arguments                              */

guint wip_infer_body_fields(const guint8 *buf, gsize len, guint start, wip_field_t *out, guint max)
{
    gsize i, lim, tok;
    guint n = 0, nul = 0, txt = 0;
    if (!buf || !out || start >= len)
        return 0;
    lim = MIN(len, (gsize)start + 512);
    for (i = start; i < lim; i++) {
        guint8 b = buf[i];
        if (b == 0) {
            nul++;
            if (i > start && buf[i - 1] == 0)
                return 0;   /* runs of NULs: binary padding, not separators */
        } else if (printable(b))
            txt++;
        else
            return 0;
    }
    if (nul == 0 || txt < 2 * nul || buf[start] == 0)
        return 0;
    tok = start;
    for (i = start; i < len && tok < NOFF && n < max; i++) {
        if (buf[i] == 0 || i + 1 == len) {
            gsize w = i + 1 - tok;
            field_set(&out[n++], WIP_F_FIELD, tok, (int)MIN(w, 255), 1, CONF_TEXT_ARG);
            tok = i + 1;
        }
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* What the TCP framing rule (wip_frame.c) reads of the learner         */

gboolean wip_infer_byte_fixed(const wip_infer_t *inf, int dir, guint off)
{
    const dstat_t *S;
    if (!inf || inf->magic != INF_MAGIC || off >= NOFF)
        return FALSE;
    S = &inf->st[dir_idx(dir)];
    return S->htot[off] > 0 && (guint64)S->mode_cnt[off] * 100 >= (guint64)S->htot[off] * 99;
}

guint32 wip_infer_longest(const wip_infer_t *inf, int dir)
{
    if (!inf || inf->magic != INF_MAGIC)
        return 0;
    return inf->st[dir_idx(dir)].max_len;
}
