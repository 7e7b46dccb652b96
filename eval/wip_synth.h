/* wip_synth.h - synthetic binary protocols with known layouts, and the
 * scorer for wip_infer (header-only: static functions, included by
 * tests/unit/test_infer_eval.c, eval/eval_infer.c and bench/bench_infer.c).
 *
 * Deterministic: everything derives from a 64-bit seed (splitmix64).
 *
 * Scoring (BinaryInferno / header-inference.md definitions):
 *   true boundaries  = start offset of every header field except offset 0,
 *                      plus the end of the header (body start);
 *   inferred         = start and end of every inferred field except 0;
 *   precision = correct inferred / inferred, recall = correct / true,
 *   FPR = false inferred boundaries / byte positions inside true fields
 *         (sum of width-1).  Summed over protocols and both directions.
 *   Per kind: a true magic/length/type/seq/txid/session/timestamp field is
 *   "right" when a field of that kind has the same offset and width, and
 *   the same byte order for multi-byte length/seq/timestamp/type.
 */
#ifndef WIP_SYNTH_H
#define WIP_SYNTH_H

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wip_infer.h"

typedef struct { guint64 s; } syn_rng_t;

static G_GNUC_UNUSED inline guint64 syn_next(syn_rng_t *r)
{
    guint64 z = (r->s += G_GUINT64_CONSTANT(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static G_GNUC_UNUSED inline guint32 syn_u(syn_rng_t *r, guint32 n) { return n ? (guint32)(syn_next(r) % n) : 0; }
static G_GNUC_UNUSED inline double syn_f(syn_rng_t *r) { return (double)(syn_next(r) >> 11) / 9007199254740992.0; }

/* other-field subkinds (truth kind WIP_F_FIELD) */
enum { SYN_X_NONE = 0, SYN_X_VERSION, SYN_X_FLAGS, SYN_X_CHECKSUM };
enum { SYN_TS_S4 = 0, SYN_TS_MS8, SYN_TS_US8 };
enum { SYN_LEN_WHOLE = 0, SYN_LEN_BODY, SYN_LEN_AFTER };

#define SYN_MAXF 16
#define SYN_MAXBODY 600

typedef struct {
    wip_fkind_t kind;
    int sub;                 /* SYN_X_* for WIP_F_FIELD, SYN_TS_* for timestamps */
    int off, w, be;
    guint8 cval[8];          /* magic / version bytes */
} syn_field_t;

typedef struct {
    int random;              /* random payloads: no structure at all */
    int nf;
    syn_field_t f[SYN_MAXF];
    int hdr_len, be;
    int len_mode, len_adjust;   /* truth: message length = value + len_adjust */
    int maxbody, text;
    int ntypes;
    guint16 types[8];
    int resp_or;             /* response type = request type | 0x80 */
    int step;
    guint8 flags[3];
} syn_proto_t;

static G_GNUC_UNUSED void syn_shuffle(syn_rng_t *r, syn_field_t *a, int n)
{
    int i;
    for (i = n - 1; i > 0; i--) {
        int j = (int)syn_u(r, (guint32)i + 1);
        syn_field_t t = a[i]; a[i] = a[j]; a[j] = t;
    }
}

static G_GNUC_UNUSED void syn_proto_make(syn_proto_t *p, guint64 seed, int random)
{
    syn_rng_t r = { seed * 7919 + 17 };
    syn_field_t rest[SYN_MAXF];
    int nr = 0, i, off = 0, lw;
    memset(p, 0, sizeof *p);
    memset(rest, 0, sizeof rest);
    p->random = random;
    if (random)
        return;
    p->be = syn_u(&r, 2);
    p->text = syn_u(&r, 10) < 3;
    p->maxbody = 16 + (int)syn_u(&r, 400);
    if (syn_u(&r, 10) < 8) {
        static const int mw[4] = { 1, 2, 4, 4 };
        syn_field_t *f = &p->f[p->nf++];
        f->kind = WIP_F_MAGIC; f->w = mw[syn_u(&r, 4)]; f->be = 1;
        for (i = 0; i < f->w; i++) f->cval[i] = (guint8)(1 + syn_u(&r, 255));
    }
    if (syn_u(&r, 10) < 9) {
        static const int lws[5] = { 1, 2, 2, 4, 4 };
        lw = lws[syn_u(&r, 5)];
        if (lw == 1) p->maxbody = 16 + (int)syn_u(&r, 150);
        rest[nr].kind = WIP_F_LENGTH; rest[nr].w = lw; nr++;
    }
    if (syn_u(&r, 100) < 85) {
        rest[nr].kind = WIP_F_TYPE; rest[nr].w = syn_u(&r, 5) ? 1 : 2; nr++;
    }
    if (syn_u(&r, 100) < 60) {
        static const int sw[4] = { 1, 2, 4, 4 };
        rest[nr].kind = WIP_F_SEQ; rest[nr].w = sw[syn_u(&r, 4)]; nr++;
    }
    if (syn_u(&r, 100) < 50) {
        rest[nr].kind = WIP_F_TXID; rest[nr].w = syn_u(&r, 2) ? 4 : 2; nr++;
    }
    if (syn_u(&r, 100) < 50) {
        static const int ssw[3] = { 2, 4, 8 };
        rest[nr].kind = WIP_F_SESSION; rest[nr].w = ssw[syn_u(&r, 3)]; nr++;
    }
    if (syn_u(&r, 100) < 35) {
        rest[nr].kind = WIP_F_TIMESTAMP; rest[nr].sub = (int)syn_u(&r, 3);
        rest[nr].w = rest[nr].sub == SYN_TS_S4 ? 4 : 8; nr++;
    }
    if (syn_u(&r, 100) < 30) {
        rest[nr].kind = WIP_F_FIELD; rest[nr].sub = SYN_X_VERSION; rest[nr].w = 1;
        rest[nr].cval[0] = (guint8)(1 + syn_u(&r, 9)); nr++;
    }
    if (syn_u(&r, 100) < 30) {
        rest[nr].kind = WIP_F_FIELD; rest[nr].sub = SYN_X_FLAGS; rest[nr].w = 1; nr++;
    }
    if (syn_u(&r, 100) < 20) {
        rest[nr].kind = WIP_F_FIELD; rest[nr].sub = SYN_X_CHECKSUM; rest[nr].w = 2; nr++;
    }
    if (nr == 0) { rest[nr].kind = WIP_F_LENGTH; rest[nr].w = 2; nr++; }
    syn_shuffle(&r, rest, nr);
    for (i = 0; i < nr && p->nf < SYN_MAXF; i++) p->f[p->nf++] = rest[i];
    for (i = 0; i < p->nf; i++) {
        p->f[i].off = off;
        if (p->f[i].kind != WIP_F_MAGIC) p->f[i].be = p->be;
        off += p->f[i].w;
    }
    p->hdr_len = off;
    p->len_mode = (int)syn_u(&r, 3);
    for (i = 0; i < p->nf; i++)
        if (p->f[i].kind == WIP_F_LENGTH) {
            p->len_adjust = p->len_mode == SYN_LEN_WHOLE ? 0 :
                            p->len_mode == SYN_LEN_BODY ? p->hdr_len :
                            p->f[i].off + p->f[i].w;
            if (p->f[i].w == 1 && p->len_adjust == 0 && p->maxbody + p->hdr_len > 255)
                p->maxbody = 255 - p->hdr_len;
        }
    p->ntypes = 2 + (int)syn_u(&r, 7);
    for (i = 0; i < p->ntypes; i++) {
        int j, dup;
        do {
            p->types[i] = (guint16)(1 + syn_u(&r, 0x7e));
            dup = 0;
            for (j = 0; j < i; j++) dup |= p->types[j] == p->types[i];
        } while (dup);
    }
    p->resp_or = syn_u(&r, 2);
    {
        static const int steps[6] = { 1, 1, 1, 2, 4, 3 };
        p->step = steps[syn_u(&r, 6)];
    }
    for (i = 0; i < 3; i++) p->flags[i] = (guint8)syn_u(&r, 256);
}

static G_GNUC_UNUSED void syn_put(guint8 *b, guint64 v, int w, int be)
{
    int i;
    for (i = 0; i < w; i++) {
        int sh = be ? 8 * (w - 1 - i) : 8 * i;
        b[i] = (guint8)(v >> sh);
    }
}

/* one message of a conversation */
typedef struct {
    guint32 conv;
    int dir;
    double ts;
    int len;
    guint8 buf[64 + SYN_MAXBODY];
} syn_msg_t;

typedef struct {
    guint64 session;
    guint64 seq[2];
    guint64 txid;
    guint16 last_type;
    double t;
} syn_conv_t;

/* Build message k of a conversation (k even: request, dir 1). */
static G_GNUC_UNUSED void syn_msg_make(const syn_proto_t *p, syn_rng_t *r, syn_conv_t *c, guint32 conv,
                         int k, syn_msg_t *m)
{
    int dir = (k & 1) ? 2 : 1, i, body;
    m->conv = conv;
    m->dir = dir;
    c->t += 0.02 + syn_f(r) * 1.5;
    m->ts = c->t;
    if (p->random) {
        m->len = 1 + (int)syn_u(r, 300);
        for (i = 0; i < m->len; i++) m->buf[i] = (guint8)syn_u(r, 256);
        return;
    }
    body = (int)syn_u(r, (guint32)p->maxbody + 1);
    m->len = p->hdr_len + body;
    if (dir == 1) {
        c->txid = syn_next(r);
        c->last_type = p->types[syn_u(r, (guint32)p->ntypes)];
    }
    for (i = 0; i < p->nf; i++) {
        const syn_field_t *f = &p->f[i];
        guint8 *b = m->buf + f->off;
        switch (f->kind) {
        case WIP_F_MAGIC: memcpy(b, f->cval, (size_t)f->w); break;
        case WIP_F_LENGTH: break;  /* below */
        case WIP_F_TYPE: {
            guint16 t = c->last_type;
            if (dir == 2 && p->resp_or) t |= 0x80;
            syn_put(b, t, f->w, f->be);
            break;
        }
        case WIP_F_SEQ:
            syn_put(b, c->seq[dir - 1], f->w, f->be);
            c->seq[dir - 1] += (guint64)p->step;
            break;
        case WIP_F_TXID: syn_put(b, c->txid, f->w, f->be); break;
        case WIP_F_SESSION: syn_put(b, c->session, f->w, f->be); break;
        case WIP_F_TIMESTAMP: {
            guint64 v = f->sub == SYN_TS_S4 ? (guint64)m->ts :
                        f->sub == SYN_TS_MS8 ? (guint64)(m->ts * 1e3) : (guint64)(m->ts * 1e6);
            syn_put(b, v, f->w, f->be);
            break;
        }
        default:
            if (f->sub == SYN_X_VERSION) b[0] = f->cval[0];
            else if (f->sub == SYN_X_FLAGS) b[0] = p->flags[syn_u(r, 3)];
            else syn_put(b, syn_next(r), f->w, 1);
            break;
        }
    }
    for (i = 0; i < body; i++)
        m->buf[p->hdr_len + i] = p->text ? (guint8)"abcdefghijklmnopqrstuvwxyz "[syn_u(r, 27)]
                                         : (guint8)syn_u(r, 256);
    for (i = 0; i < p->nf; i++)
        if (p->f[i].kind == WIP_F_LENGTH)
            syn_put(m->buf + p->f[i].off, (guint64)(m->len - p->len_adjust), p->f[i].w, p->f[i].be);
}

static G_GNUC_UNUSED void syn_conv_init(const syn_proto_t *p, syn_rng_t *r, syn_conv_t *c, double t0)
{
    int d;
    (void)p;
    memset(c, 0, sizeof *c);
    do c->session = syn_next(r); while ((c->session & 0xff) == 0);
    for (d = 0; d < 2; d++) {
        guint32 k = syn_u(r, 3);
        c->seq[d] = k == 0 ? 0 : k == 1 ? 1 : syn_u(r, 200);
    }
    c->t = t0;
}

/* All messages of nconv conversations of nmsg messages each, interleaved in
 * time order.  Returns a g_new array (caller g_free), count in *n. */
static G_GNUC_UNUSED int syn_cmp_ts(const void *a, const void *b)
{
    const syn_msg_t *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts ? 1 : 0;
}

static G_GNUC_UNUSED syn_msg_t *syn_trace(const syn_proto_t *p, guint64 seed, int nconv, int nmsg, int *n)
{
    syn_rng_t r = { seed * 104729 + 3 };
    syn_msg_t *a = g_new(syn_msg_t, (gsize)nconv * (gsize)nmsg);
    int c, k, i = 0;
    double base = 1.7e9 + syn_u(&r, 10000000);
    for (c = 0; c < nconv; c++) {
        syn_conv_t cs;
        syn_conv_init(p, &r, &cs, base + syn_f(&r) * 5.0);
        for (k = 0; k < nmsg; k++)
            syn_msg_make(p, &r, &cs, (guint32)(c + 1), k, &a[i++]);
    }
    qsort(a, (size_t)i, sizeof a[0], syn_cmp_ts);
    *n = i;
    return a;
}

/* Feed modes */
enum { SYN_FEED_MSG = 0, SYN_FEED_GLUE = 1, SYN_FEED_RAW = 2 };
#define SYN_MAXCONV 64

typedef struct {
    wip_infer_t *inf;
    int mode;
    int framed[2];                    /* GLUE: a length field is known */
    wip_hdr_model_t model[2];
    GByteArray *st[SYN_MAXCONV][2];   /* GLUE: per stream reassembly */
} syn_feeder_t;

/* What the glue does with one TCP segment: learn it as-is until a length
 * field is known, then reassemble the stream and learn whole messages. */
static G_GNUC_UNUSED void syn_segment(syn_feeder_t *F, guint32 conv, int dir, const guint8 *b, int len, double ts)
{
    int d = dir - 1;
    GByteArray *g;
    if (F->mode == SYN_FEED_MSG) {   /* a datagram: exactly one message */
        wip_infer_learn_msg(F->inf, conv, dir, b, (gsize)len, ts);
        return;
    }
    if (F->mode != SYN_FEED_GLUE || !F->framed[d]) {
        wip_infer_learn(F->inf, conv, dir, b, (gsize)len, ts);
        if (F->mode == SYN_FEED_GLUE) {
            guint i;
            wip_infer_model(F->inf, dir, &F->model[d]);
            for (i = 0; i < F->model[d].n_fields; i++)
                if (F->model[d].f[i].kind == WIP_F_LENGTH) F->framed[d] = 1;
        }
        return;   /* the stream restarts at the next segment */
    }
    if (conv >= SYN_MAXCONV) return;
    if (!F->st[conv][d]) F->st[conv][d] = g_byte_array_new();
    g = F->st[conv][d];
    g_byte_array_append(g, b, (guint)len);
    for (;;) {
        guint32 ml = 0;
        if (!wip_infer_msg_len(&F->model[d], g->data, g->len, &ml)) {
            if (g->len >= 64) g_byte_array_set_size(g, 0);   /* no sense: resync */
            break;
        }
        if (ml == 0 || ml > (1u << 20)) { g_byte_array_set_size(g, 0); break; }
        if (g->len < ml) break;
        wip_infer_learn_msg(F->inf, conv, dir, g->data, ml, ts);
        g_byte_array_remove_range(g, 0, ml);
    }
}

/* Feed a trace.  MSG: whole messages (UDP-like).  RAW: like TCP segments
 * per conversation+direction stream (15% split in two, 10% coalesced with
 * the next message of the stream), all learned as-is.  GLUE: the same
 * segments, framed by the learned length field once there is one. */
static G_GNUC_UNUSED void syn_feed(wip_infer_t *inf, const syn_msg_t *a, int n, int mode, guint64 seed)
{
    syn_rng_t r = { seed ^ G_GUINT64_CONSTANT(0x5151) };
    int i, c;
    guint8 *done = g_new0(guint8, (gsize)n + 1);
    guint8 tmp[2 * (64 + SYN_MAXBODY)];
    syn_feeder_t F;
    memset(&F, 0, sizeof F);
    F.inf = inf;
    F.mode = mode;
    for (i = 0; i < n; i++) {
        const syn_msg_t *m = &a[i];
        guint32 u = mode != SYN_FEED_MSG ? syn_u(&r, 100) : 99;
        if (done[i]) continue;
        if (u < 15 && m->len >= 2) {            /* split in two */
            int cut = 1 + (int)syn_u(&r, (guint32)m->len - 1);
            syn_segment(&F, m->conv, m->dir, m->buf, cut, m->ts);
            syn_segment(&F, m->conv, m->dir, m->buf + cut, m->len - cut, m->ts);
        } else if (u < 25) {                    /* coalesced with the next of its stream */
            int j;
            for (j = i + 1; j < n; j++)
                if (a[j].conv == m->conv && a[j].dir == m->dir) break;
            if (j < n) {
                memcpy(tmp, m->buf, (size_t)m->len);
                memcpy(tmp + m->len, a[j].buf, (size_t)a[j].len);
                syn_segment(&F, m->conv, m->dir, tmp, m->len + a[j].len, m->ts);
                done[j] = 1;
            } else
                syn_segment(&F, m->conv, m->dir, m->buf, m->len, m->ts);
        } else
            syn_segment(&F, m->conv, m->dir, m->buf, m->len, m->ts);
    }
    for (c = 0; c < SYN_MAXCONV; c++)
        for (i = 0; i < 2; i++)
            if (F.st[c][i]) g_byte_array_free(F.st[c][i], TRUE);
    g_free(done);
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */

#define SYN_NKIND 8   /* index by wip_fkind_t 1..7 */

typedef struct {
    long tp, inferred, truth, inner;          /* boundaries */
    long kind_n[SYN_NKIND], kind_ok[SYN_NKIND];
    long len_adj_ok;
    long rnd_models, rnd_claims;              /* random payloads */
    long protos;
} syn_score_t;

static G_GNUC_UNUSED void syn_score_model(const syn_proto_t *p, const wip_hdr_model_t *m, syn_score_t *s)
{
    guint8 tb[256], ib[256];
    guint i;
    int j, o;
    if (p->random) {
        s->rnd_models++;
        for (i = 0; i < m->n_fields; i++)
            if (m->f[i].kind != WIP_F_FIELD && m->f[i].kind != WIP_F_NONE)
                s->rnd_claims++;
        return;
    }
    memset(tb, 0, sizeof tb);
    memset(ib, 0, sizeof ib);
    for (j = 0; j < p->nf; j++) {
        tb[p->f[j].off] = 1;
        s->inner += p->f[j].w - 1;
    }
    tb[p->hdr_len] = 1;
    tb[0] = 0;
    for (i = 0; i < m->n_fields; i++) {
        ib[m->f[i].offset] = 1;
        ib[m->f[i].offset + m->f[i].width] = 1;
    }
    ib[0] = 0;
    for (o = 0; o < 256; o++) {
        s->truth += tb[o];
        s->inferred += ib[o];
        s->tp += tb[o] && ib[o];
    }
    for (j = 0; j < p->nf; j++) {
        const syn_field_t *f = &p->f[j];
        int ok = 0;
        if (f->kind == WIP_F_FIELD)
            continue;
        s->kind_n[f->kind]++;
        for (i = 0; i < m->n_fields; i++) {
            const wip_field_t *g = &m->f[i];
            if (g->kind != f->kind || g->offset != f->off || g->width != f->w)
                continue;
            if (f->w > 1 && f->kind != WIP_F_MAGIC && f->kind != WIP_F_TXID &&
                f->kind != WIP_F_SESSION && g->big_endian != f->be)
                continue;
            ok = 1;
            if (f->kind == WIP_F_LENGTH && g->len_scale == 1 && g->len_adjust == p->len_adjust)
                s->len_adj_ok++;
        }
        s->kind_ok[f->kind] += ok;
    }
}

static G_GNUC_UNUSED double syn_p(const syn_score_t *s) { return s->inferred ? (double)s->tp / s->inferred : 0; }
static G_GNUC_UNUSED double syn_r(const syn_score_t *s) { return s->truth ? (double)s->tp / s->truth : 0; }
static G_GNUC_UNUSED double syn_f1(const syn_score_t *s)
{
    double p = syn_p(s), r = syn_r(s);
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}
static G_GNUC_UNUSED double syn_fpr(const syn_score_t *s)
{
    return s->inner ? (double)(s->inferred - s->tp) / s->inner : 0;
}

/* Run one protocol: generate, learn, score both directions. */
static G_GNUC_UNUSED void syn_run_one(guint64 seed, int random, int nconv, int nmsg, int seg,
                        void *mem, syn_score_t *s, int verbose)
{
    syn_proto_t p;
    syn_msg_t *a;
    int n, d;
    wip_infer_t *inf;
    syn_proto_make(&p, seed, random);
    a = syn_trace(&p, seed, nconv, nmsg, &n);
    inf = wip_infer_init(mem);
    syn_feed(inf, a, n, seg, seed);
    for (d = 1; d <= 2; d++) {
        wip_hdr_model_t m;
        wip_infer_model(inf, d, &m);
        syn_score_model(&p, &m, s);
        if (verbose) {
            guint i;
            int j;
            printf("seed %llu dir %d %s:\n  truth:", (unsigned long long)seed, d,
                   random ? "random" : "");
            for (j = 0; j < p.nf; j++)
                printf(" %s@%d/%d%s", wip_fkind_name(p.f[j].kind), p.f[j].off, p.f[j].w,
                       p.f[j].w > 1 ? (p.f[j].be ? "be" : "le") : "");
            printf(" hdr=%d adj=%d\n  model:", p.hdr_len, p.len_adjust);
            for (i = 0; i < m.n_fields; i++)
                printf(" %s@%d/%d%s", wip_fkind_name(m.f[i].kind), m.f[i].offset, m.f[i].width,
                       m.f[i].width > 1 ? (m.f[i].big_endian ? "be" : "le") : "");
            printf(" hdr=%d\n", m.hdr_len);
        }
    }
    if (!random) s->protos++;
    g_free(a);
}

#endif
