/* wip_frame.c - TCP framing of an unknown binary protocol by its inferred
 * header: see wip_frame.h.  Pure C + GLib, no allocation; every read is
 * bounded by the length given. */
#include <string.h>
#include "wip_frame.h"

#define FRAME_BER_CONF        60     /* confidence of a BER TLV length that frames */
#define FRAME_CONST_CONF      60     /* a learned constant this sure makes a header plausible */
#define FRAME_LONGEST_FACTOR  4      /* plausible lengths: up to this many times the longest learned, */
#define FRAME_LONGEST_SLACK   4096   /* plus this */
#define FRAME_RESYNC_MAX      65536  /* bytes searched for the next plausible header */
#define FRAME_CHAIN_MAX       16     /* headers of other kinds chained to find the evidence */
#define FRAME_FIXED_MIN       8      /* a rule's fixed part this long may be a whole message */

static guint64 rd_len(const guint8 *p, int w, int be)
{
    guint64 v = 0;
    int i;
    for (i = 0; i < w; i++)
        v = (v << 8) | p[be ? i : w - 1 - i];
    /* a 4-byte length's top bit is a flag (ONC RPC record marks) */
    return w == 4 ? (v & 0x7fffffffu) : v;
}

gboolean wip_frame_rule_conf(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                             guint min_conf, wip_frame_rule_t *r)
{
    guint i;
    const wip_field_t *lf = NULL;
    guint32 longest;
    if (!inf || !m || !r)
        return FALSE;
    memset(r, 0, sizeof *r);
    for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++)
        if (m->f[i].kind == WIP_F_LENGTH) { lf = &m->f[i]; break; }
    if (m->ber && (!lf || lf->offset + lf->width > m->ber_off)) {
        /* the BER TLV's length frames the message */
        r->ber = 1;
        r->ber_off = m->ber_off;
        r->len.kind = WIP_F_LENGTH;
        r->len.offset = m->ber_off;
        r->len.width = 1;
        r->len.confidence = FRAME_BER_CONF;
        lf = &r->len;
    }
    if (!lf || (!r->ber && lf->confidence < min_conf))
        return FALSE;
    if (!r->ber)
        r->len = *lf;
    r->tile_only = !r->ber && lf->confidence < WIP_INFER_FRAME_MIN_CONF;
    /* leading constants (high confidence) make a header plausible */
    for (i = 0; i < m->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
        const wip_field_t *f = &m->f[i];
        int b;
        if (f->kind != WIP_F_MAGIC || f->offset >= 8 || f->confidence < FRAME_CONST_CONF || f->width > 4)
            continue;
        for (b = 0; b < f->width && r->n_const < 8 && f->offset + b < 8; b++) {
            int o = f->offset + b;
            /* only bytes that never vary: a byte that is one value in 90%
             * of the messages may be a kind (AMQP frame types) */
            if (!wip_infer_byte_fixed(inf, dir, (guint)o))
                continue;
            r->const_off[r->n_const] = (guint8)(f->offset + b);
            r->const_val[r->n_const] = (guint8)(f->magic >> (8 * (f->width - 1 - b)));
            r->n_const++;
        }
    }
    r->min_len = (guint32)lf->offset + lf->width;
    /* lengths far beyond the longest message seen are no evidence: waiting
     * for them would swallow the stream */
    r->max_len = WIP_INFER_MAX_MSG_LEN;
    longest = wip_infer_longest(inf, dir);
    if (longest > 0 && (guint64)longest * FRAME_LONGEST_FACTOR + FRAME_LONGEST_SLACK < WIP_INFER_MAX_MSG_LEN)
        r->max_len = longest * FRAME_LONGEST_FACTOR + FRAME_LONGEST_SLACK;
    return TRUE;
}

/* A message of a fixed-size rule at buf: its constants match but for
 * WIP_FRAME_FIXED_MISMATCH of them (a kind byte: X11 errors beside
 * replies); 1, 0 or -1 as frame_at_k. */
static int frame_fixed(const wip_frame_rule_t *r, const guint8 *buf, gsize avail, guint32 *n)
{
    guint i, bad = 0;
    if (avail < r->fixed)
        return -1;
    for (i = 0; i < r->n_const; i++)
        bad += buf[r->const_off[i]] != r->const_val[i];
    if (bad > WIP_FRAME_FIXED_MISMATCH)
        return 0;
    *n = r->fixed;
    return 1;
}

/* 1: a plausible header at buf (all of it available), 0: not, -1: cut;
 * any_const: the learned constants may differ (another message kind) */
static int frame_at_k(const wip_frame_rule_t *r, const guint8 *buf, gsize avail, guint32 *n, gboolean any_const)
{
    const wip_field_t *f = &r->len;
    guint i;
    guint64 v;
    gint64 total;
    if (r->fixed)
        return frame_fixed(r, buf, avail, n);
    for (i = 0; i < r->n_const; i++) {
        if (r->const_off[i] >= avail)
            return -1;
        if (buf[r->const_off[i]] != r->const_val[i] && !any_const)
            return 0;
    }
    if (r->ber) {
        guint32 cl = 0;
        int h;
        if ((gsize)r->ber_off + 2 > avail)
            return -1;
        if (!(buf[r->ber_off] & 0x20))
            return 0;
        h = wip_ber_hdr(buf + r->ber_off, avail - r->ber_off, &cl, NULL);
        if (h <= 0)
            return (gsize)r->ber_off + 6 > avail ? -1 : 0;
        total = (gint64)r->ber_off + h + cl;
        if (total > (gint64)r->max_len)
            return 0;
        *n = (guint32)total;
        return 1;
    }
    if ((gsize)f->offset + f->width > avail)
        return -1;
    v = rd_len(buf + f->offset, f->width, f->big_endian);
    if (v > G_MAXUINT32)
        return 0;
    total = (gint64)v * (f->len_scale ? f->len_scale : 1) + f->len_adjust;
    if (total < (gint64)r->min_len || total < (gint64)f->offset + f->width ||
        total > (gint64)r->max_len || total <= 0)
        return 0;
    *n = (guint32)total;
    return 1;
}

static int frame_at(const wip_frame_rule_t *r, const guint8 *buf, gsize avail, guint32 *n)
{
    return frame_at_k(r, buf, avail, n, FALSE);
}

/* One step of a chain: the length the rule reads at buf with its learned
 * constants ignored or, when that is no plausible length, the rule's fixed
 * part (what the length does not count: a message of a kind without a
 * variable part, e.g. fixed-size events beside replies with a length);
 * 0 when neither fits in the data. */
static guint32 chain_step(const wip_frame_rule_t *r, const guint8 *buf, gsize avail)
{
    guint32 n = 0;
    if (frame_at_k(r, buf, avail, &n, TRUE) > 0 && n > 0 && n <= avail)
        return n;
    if (!r->ber && r->len.len_scale && r->len.len_adjust >= FRAME_FIXED_MIN &&
        r->len.len_adjust >= (gint32)r->min_len && (guint32)r->len.len_adjust <= r->max_len &&
        (gsize)r->len.len_adjust <= avail)
        return (guint32)r->len.len_adjust;
    return 0;
}

/* A header the rule does not take (its learned constants differ: a kind
 * not seen yet; or its length is not plausible: a kind without one) still
 * frames when its length, and those of the headers it leads to, land
 * exactly on the end of the data or on a header with the learned
 * constants: the chain of lengths is the evidence. */
static gboolean frame_chain(const wip_frame_rule_t *r, const guint8 *buf, gsize avail, guint32 *n)
{
    gsize p = 0;
    int k;
    guint32 first = 0;
    for (k = 0; k < FRAME_CHAIN_MAX && p < avail; k++) {
        guint32 len = chain_step(r, buf + p, avail - p), l2;
        if (len == 0)
            return FALSE;
        if (k == 0)
            first = len;
        p += len;
        if (p == avail || (r->n_const && frame_at(r, buf + p, avail - p, &l2) > 0)) {
            *n = first;
            return TRUE;
        }
    }
    return FALSE;
}

wip_frame_res_t wip_infer_frame(const wip_frame_rule_t *r, const guint8 *buf, gsize avail,
                                guint32 *n)
{
    gsize p;
    int st;
    guint32 len = 0;
    if (!r || !buf || avail == 0 || r->len.width == 0 || r->len.width > 8) {
        if (n) *n = avail > G_MAXUINT32 ? G_MAXUINT32 : (guint32)(avail ? avail : 1);
        return WIP_FRAME_SKIP;
    }
    st = frame_at(r, buf, avail, &len);
    if (st == 0 && frame_chain(r, buf, avail, &len))
        st = 1;
    if (st > 0) {
        if (n) *n = len;
        return WIP_FRAME_MSG;
    }
    if (st < 0)
        return WIP_FRAME_NEED_MORE;
    /* resynchronise: the next offset where a plausible header starts (or
     * a plausible one is cut by the end of the data), whose message ends
     * inside the data or at a later plausible header */
    for (p = 1; p < avail && p < FRAME_RESYNC_MAX; p++) {
        guint32 l2;
        st = frame_at(r, buf + p, avail - p, &len);
        if (st == 0)
            continue;
        if (r->n_const)
            break;
        /* without constants one plausible length is weak evidence: the
         * message must end at the end of the data or at another header */
        if (st > 0 && (p + len == avail ||
                       (p + len < avail && frame_at(r, buf + p + len, avail - p - len, &l2) > 0)))
            break;
    }
    if (n) *n = p > G_MAXUINT32 ? G_MAXUINT32 : (guint32)p;
    return WIP_FRAME_SKIP;
}


guint32 wip_infer_frame_need(const wip_frame_rule_t *r, const guint8 *buf, gsize avail)
{
    guint32 need = 1;
    guint i;
    if (!r)
        return 1;
    for (i = 0; i < r->n_const; i++)
        need = MAX(need, (guint32)r->const_off[i] + 1);
    if (r->ber) {
        need = MAX(need, (guint32)r->ber_off + 2);
        /* a long-form length: its count byte says how many follow */
        if (buf && avail >= (gsize)r->ber_off + 2 && (buf[r->ber_off] & 0x1f) != 0x1f &&
            (buf[r->ber_off + 1] & 0x80))
            need = MAX(need, (guint32)r->ber_off + 2 + MIN(buf[r->ber_off + 1] & 0x7f, 4));
    } else
        need = MAX(need, (guint32)r->len.offset + r->len.width);
    return need;
}

gboolean wip_frame_wait_plausible(const wip_frame_rule_t *r, guint32 n, guint32 longest)
{
    if (!r)
        return FALSE;
    if ((guint64)n * 100 <= (guint64)longest * WIP_FRAME_WAIT_NEAR_PCT)
        return TRUE;
    return (r->ber || r->len.confidence >= WIP_FRAME_WAIT_CONF) &&
           (guint64)n <= (guint64)longest * WIP_FRAME_WAIT_FACTOR + WIP_FRAME_WAIT_SLACK;
}

gboolean wip_frame_judge(guint8 *fails, gboolean ok)
{
    if (!fails)
        return FALSE;
    if (ok) {
        *fails = 0;
        return FALSE;
    }
    if (++*fails < WIP_FRAME_DROP_FAILS)
        return FALSE;
    *fails = 0;
    return TRUE;
}

gboolean wip_infer_frame_rule(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                              wip_frame_rule_t *r)
{
    return wip_frame_rule_conf(inf, dir, m, WIP_INFER_FRAME_MIN_CONF, r);
}

/* Does model o have a length field of confidence >= min_conf that reads
 * and counts as f does? */
static gboolean same_length(const wip_hdr_model_t *o, const wip_field_t *f, guint min_conf)
{
    guint i;
    for (i = 0; o && i < o->n_fields && i < WIP_INFER_MAX_FIELDS; i++) {
        const wip_field_t *g = &o->f[i];
        if (g->kind != WIP_F_LENGTH || g->confidence < min_conf)
            continue;
        return g->offset == f->offset && g->width == f->width &&
               (f->width == 1 || g->big_endian == f->big_endian) &&
               g->len_scale == f->len_scale && g->len_adjust == f->len_adjust;
    }
    return FALSE;
}

gboolean wip_frame_rule_tile(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                             const wip_hdr_model_t *other, wip_frame_rule_t *r)
{
    if (wip_frame_rule_conf(inf, dir, m, WIP_FRAME_TILE_MIN_CONF, r))
        return TRUE;
    if (!wip_frame_rule_conf(inf, dir, m, WIP_FRAME_PAIR_MIN_CONF, r))
        return FALSE;
    if (r->ber || !same_length(other, &r->len, WIP_FRAME_PAIR_MIN_CONF)) {
        memset(r, 0, sizeof *r);
        return FALSE;
    }
    r->tile_only = 1;
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* Segments split by a rule, and the first-pass tracker                */

static void starts_add(wip_frame_starts_t *o, guint32 off, wip_frame_at_t what)
{
    if (o->n >= WIP_FRAME_MAX_STARTS)
        return;
    o->off[o->n] = off;
    o->what[o->n] = (guint8)what;
    o->n++;
}

gboolean wip_frame_tile(const wip_frame_rule_t *r, const guint8 *buf, gsize len, wip_frame_starts_t *out)
{
    wip_frame_starts_t t;
    gsize p = 0;
    if (!r || !buf || !out || len == 0)
        return FALSE;
    memset(&t, 0, sizeof t);
    while (p < len && t.n < WIP_FRAME_MAX_STARTS) {
        guint32 n = 0;
        if (frame_at(r, buf + p, len - p, &n) <= 0 || n == 0 || n > len - p)
            return FALSE;
        starts_add(&t, (guint32)p, WIP_FRAME_AT_MSG);
        p += n;
    }
    if (p != len)
        return FALSE;
    t.known = 1;
    *out = t;
    return TRUE;
}

/* Walk a segment from p, where a message starts (in sync). */
static void track_walk(wip_frame_track_t *t, const wip_frame_rule_t *r, guint32 seq,
                       const guint8 *buf, gsize len, gsize p, wip_frame_starts_t *out)
{
    t->synced = 0;
    t->n_carry = 0;
    out->known = 1;
    while (p < len) {
        guint32 n = 0;
        wip_frame_res_t fr = wip_infer_frame(r, buf + p, len - p, &n);
        if (fr == WIP_FRAME_NEED_MORE) {      /* a header cut by the segment end */
            starts_add(out, (guint32)p, WIP_FRAME_AT_MSG);
            if (len - p > WIP_FRAME_CARRY)
                return;
            memcpy(t->carry, buf + p, len - p);
            t->n_carry = (guint8)(len - p);
            t->carry_seq = seq + (guint32)p;
            t->next = seq + (guint32)len;
            t->synced = 1;
            return;
        }
        starts_add(out, (guint32)p, fr == WIP_FRAME_SKIP ? WIP_FRAME_AT_SKIP : WIP_FRAME_AT_MSG);
        if (out->n >= WIP_FRAME_MAX_STARTS || (fr == WIP_FRAME_SKIP && n >= len - p))
            return;                           /* nothing plausible up to the end: out of sync */
        if (fr == WIP_FRAME_MSG && n >= len - p) {
            t->next = seq + (guint32)p + n;   /* continues in later segments */
            t->synced = 1;
            return;
        }
        p += n;
    }
    t->next = seq + (guint32)len;
    t->synced = 1;
}

/* A header cut by the end of the previous segment: complete it with this
 * segment's first bytes.  Returns where the next message starts in this
 * segment (> len: none here), or -1 when the carried header is no header. */
static gint64 track_carry(wip_frame_track_t *t, const wip_frame_rule_t *r, guint32 seq,
                          const guint8 *buf, gsize len)
{
    guint8 tmp[2 * WIP_FRAME_CARRY];
    gsize k = MIN(len, sizeof tmp - t->n_carry);
    guint32 n = 0;
    memcpy(tmp, t->carry, t->n_carry);
    memcpy(tmp + t->n_carry, buf, k);
    if (wip_infer_frame(r, tmp, t->n_carry + k, &n) != WIP_FRAME_MSG)
        return -1;
    return (gint64)t->carry_seq + n - seq;
}

void wip_frame_track(wip_frame_track_t *t, const wip_frame_rule_t *rule, guint32 seq,
                     const guint8 *buf, gsize len, gboolean start_hint, wip_frame_starts_t *out)
{
    guint32 n0 = 0;
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!t || !buf || len == 0)
        return;
    if (!rule) {
        t->synced = 0;
        return;
    }
    if (rule->tile_only) {                    /* a weak rule: whole segments only */
        t->synced = wip_frame_tile(rule, buf, len, out) && (start_hint || (t->synced && t->next == seq));
        if (!t->synced)
            memset(out, 0, sizeof *out);
        t->next = seq + (guint32)len;
        t->n_carry = 0;
        return;
    }
    if (t->synced) {
        gint32 d = (gint32)(seq - t->next);
        gint64 p = d <= 0 ? -(gint64)d : -1;
        if (d == 0 && t->n_carry)
            p = track_carry(t, rule, seq, buf, len);
        if (d < 0 && (gint64)len <= p) {      /* inside the current message */
            out->known = 1;
            return;
        }
        if (p >= (gint64)len) {
            out->known = 1;
            t->next = seq + (guint32)p;       /* the carried message goes on */
            t->n_carry = 0;
            return;
        }
        if (p >= 0) {
            track_walk(t, rule, seq, buf, len, (gsize)p, out);
            return;
        }
        t->synced = 0;                        /* a gap, or a carried header that is none */
        t->n_carry = 0;
    }
    /* out of sync: the learner's judgement of a message start gets us back,
     * when the rule agrees that a header starts there */
    if (start_hint && wip_infer_frame(rule, buf, len, &n0) != WIP_FRAME_SKIP)
        track_walk(t, rule, seq, buf, len, 0, out);
}

/* ------------------------------------------------------------------ */
/* Fixed-size messages                                                 */

void wip_frame_fixed_learn(wip_frame_fixed_t *f, const guint8 *buf, gsize len)
{
    guint i, k;
    if (!f || !buf || len < WIP_FRAME_FIXED_MIN_SIZE || len > WIP_FRAME_FIXED_MAX_SIZE)
        return;
    k = (guint)MIN(len, (gsize)WIP_FRAME_FIXED_BYTES);
    if (f->size == len) {
        if (f->seen < G_MAXUINT16)
            f->seen++;
        for (i = 0; i < k; i++)
            if (buf[i] != f->val[i])
                f->same &= (guint16)~(1u << i);
        return;
    }
    /* an established size stays; a multiple of a candidate seen more than
     * once may be a burst of it */
    if (f->seen >= WIP_FRAME_FIXED_MIN_SEEN || (f->seen > 1 && len % f->size == 0))
        return;
    f->size = (guint16)len;
    f->seen = 1;
    f->same = (guint16)((1u << k) - 1);
    memcpy(f->val, buf, k);
}

gboolean wip_frame_fixed_rule(const wip_frame_fixed_t *f, wip_frame_rule_t *r)
{
    guint i, n = 0;
    if (!f || !r || f->seen < WIP_FRAME_FIXED_MIN_SEEN)
        return FALSE;
    for (i = 0; i < WIP_FRAME_FIXED_BYTES; i++)
        n += (f->same >> i) & 1u;
    if (n < WIP_FRAME_FIXED_MIN_CONST)
        return FALSE;
    memset(r, 0, sizeof *r);
    for (i = 0; i < WIP_FRAME_FIXED_BYTES && r->n_const < 8; i++) {
        if (!((f->same >> i) & 1u))
            continue;
        r->const_off[r->n_const] = (guint8)i;
        r->const_val[r->n_const] = f->val[i];
        r->n_const++;
    }
    r->fixed = f->size;
    r->min_len = r->max_len = f->size;
    r->tile_only = 1;
    return TRUE;
}

gboolean wip_frame_stream_start(guint32 seq, guint32 base_isn)
{
    return seq == 1 || seq == base_isn + 1;
}
