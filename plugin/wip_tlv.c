/* wip_tlv.c - type-length-value chains in message bodies (see wip_tlv.h).
 *
 * Candidate layouts: a length field of 1, 2, 3 or 4 bytes (either byte
 * order) at offset 0-7 of the TLV, or the low 12 or 10 bits of a leading
 * big-endian 16-bit word whose high bits are flags (L2TP, RFC 2661 4.1);
 * it counts the whole TLV, the TLV from the length field on, or the value
 * after it; TLVs padded to 1 or 4 bytes.  The list is in order of
 * simplicity: of layouts that fit equally well the first one wins. */
#include "wip_tlv.h"
#include "wip_infer.h"
#include <string.h>

#define TLV_LEARN_MAX 250   /* messages learned per direction (the choice has settled) */
#define TLV_MAX_STEPS 255   /* TLVs walked per chain */
#define TLV_LEN_MAX   (1u << 20) /* longer buffers are not learned */
#define TLV_FIT_PCT   90    /* a layout fits this share of the messages with a body, */
#define TLV_MULTI_PCT 50    /* with chains of 2+ TLVs in this share, */
#define TLV_MIN_MSGS  6     /* in this many at least (both directions), */
#define TLV_MIN_VAR   2     /* with TLVs of several sizes in this many */
#define TLV_DEAD_MIN  2     /* a cell dies once it failed this often and in more than */
#define TLV_DEAD_PCT  10    /* this share of the messages, */
#define TLV_DEAD_MSGS 16    /* or after this many with chains of 2+ in too few */
#define TLV_WORD_ZERO_PCT 90 /* a header word after a leading length: high byte zero this often */
#define TLV_MIN_REC   2     /* later chains with a type of the first chain: this many, */
#define TLV_REC_PCT   30    /* and this share of them, */
#define TLV_INF_PCT   50    /* chains with types mostly other than 0 and the length: this share */
#define TLV_XWORDS_MAX 3
#define TLV_CONF      60

static void cands_init(wip_tlv_learn_t *L)
{
    static const guint8 lws[4] = { 1, 2, 4, 3 };
    guint n = 0;
    for (int pad = 1; pad <= 4; pad += 3) {
        for (int a = 0; a < 3; a++)          /* whole, value only, from the length on */
            for (int wi = 0; wi < 4; wi++) {
                int lw = lws[wi], lomax = lw == 1 ? 3 : 8 - lw;
                for (int lo = 0; lo <= lomax; lo++)
                    for (int be = 1; be >= (lw == 1 ? 1 : 0); be--) {
                        int adj = a == 0 ? 0 : a == 1 ? lo + lw : lo;
                        if (a == 2 && lo == 0)
                            continue;        /* the same as the whole TLV */
                        L->cand[n++] = (wip_tlv_cand_t){ (guint8)lo, (guint8)lw, (guint8)be, 0,
                                                         (guint8)adj, (guint8)pad };
                    }
            }
        for (int mb = 12; mb >= 10; mb -= 2)  /* a flags+length word */
            for (int a = 0; a < 2; a++)
                L->cand[n++] = (wip_tlv_cand_t){ 0, 2, 1, (guint8)mb, (guint8)(a ? 2 : 0), (guint8)pad };
    }
    g_assert(n <= WIP_TLV_NCAND);
    L->ncand = (guint16)n;
    for (guint c = 0, f; c < n; c++) {
        const wip_tlv_cand_t *k = &L->cand[c];
        for (f = 0; f < L->nfld; f++)
            if (L->fld[f].lo == k->lo && L->fld[f].lw == k->lw && L->fld[f].be == k->be &&
                L->fld[f].mbits == k->mbits)
                break;
        if (f == L->nfld) {
            g_assert(f < WIP_TLV_NFLD);
            L->fld[L->nfld++] = *k;
        }
        L->fi[c] = (guint8)f;
        L->hmin[c] = (guint8)(k->lo + k->lw + (k->lo == 0));
    }
    for (guint f = 0, i = 0; f < L->nfld; f++) {
        L->fbeg[f] = (guint8)i;
        for (guint c = 0; c < n; c++)
            if (L->fi[c] == f)
                L->fc[i++] = (guint8)c;
        L->fbeg[f + 1] = (guint8)i;
    }
    L->tr_c = L->tr_s = -1;
    L->ready = 1;
}

static inline guint32 rd_n(const guint8 *p, int w, int be)
{
    switch (w) {
    case 1: return p[0];
    case 2: return be ? (guint32)p[0] << 8 | p[1] : (guint32)p[1] << 8 | p[0];
    case 3: return be ? (guint32)p[0] << 16 | (guint32)p[1] << 8 | p[2]
                      : (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];
    case 4: return be ? (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3]
                      : (guint32)p[3] << 24 | (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];
    default: return 0;
    }
}

/* The size of the TLV at p (padding included in *adv), 0 if invalid. */
static inline guint32 tlv_size(const wip_tlv_cand_t *c, const guint8 *p, gsize avail, guint32 *adv)
{
    /* a TLV holds its type: before the length field, or after it */
    guint64 v, el, hmin = (guint64)c->lo + c->lw + (c->lo == 0), a;
    if (avail < hmin)
        return 0;
    v = rd_n(p + c->lo, c->lw, c->be);
    if (c->mbits && c->mbits < 32)
        v &= (1u << c->mbits) - 1;
    el = v + c->adj;
    if (el < hmin || el > avail)
        return 0;
    a = c->pad > 1 ? (el + c->pad - 1) / c->pad * c->pad : el;
    if (a > avail)
        return 0;
    *adv = (guint32)a;
    return (guint32)el;
}

/* Walk the chain from s: the number of TLVs when it lands exactly on len
 * (0: s is the end), -1 otherwise; *sig its sizes hashed, *var whether
 * they differ. */
static int walk(const wip_tlv_cand_t *c, const guint8 *buf, gsize len, gsize s, guint16 *sig, int *var)
{
    gsize p = s;
    int n = 0;
    guint32 h = 2166136261u, first = 0;
    *var = 0;
    while (p < len) {
        guint32 adv = 0, el = tlv_size(c, buf + p, len - p, &adv);
        if (el == 0 || n >= TLV_MAX_STEPS)
            return -1;
        if (n == 0)
            first = el;
        else if (el != first)
            *var = 1;
        h = (h ^ el) * 16777619u;
        p += adv;
        n++;
    }
    *sig = (guint16)(h ^ (h >> 16) ^ (guint32)n);
    return n;
}

/* The type of a TLV of el bytes at p: the bytes before its length field,
 * or after a leading one (up to 4). */
static inline guint32 tlv_type(const wip_tlv_cand_t *c, const guint8 *p, guint32 el)
{
    return c->lo ? rd_n(p, MIN(c->lo, 4), 1) : rd_n(p + c->lw, (int)MIN(el - c->lw, 4u), 1);
}

static inline guint8 hash8(guint32 t)
{
    t ^= t >> 16;
    return (guint8)(t ^ (t >> 8));
}

/* Evidence that the chain from s (landed, 2+ TLVs, counted in e) has
 * types: the type values recur across messages (the first chain's first
 * two seen again), and in half its TLVs at least are neither zero nor a
 * copy of the length. */
static void cell_types(const wip_tlv_cand_t *c, wip_tlv_cell_t *e, const guint8 *buf, gsize len, gsize s)
{
    gsize p = s;
    int i = 0, rec = 0, inf = 0;
    while (p < len) {
        guint32 adv = 0, el = tlv_size(c, buf + p, len - p, &adv), t;
        guint8 h;
        if (el == 0)
            break;
        t = tlv_type(c, buf + p, el);
        h = hash8(t);
        if (e->n2 == 1 && i < 2)
            *(i ? &e->t1 : &e->t0) = h;
        else
            rec |= h == e->t0 || h == e->t1;
        inf += t != 0 && t != el - c->adj;
        p += adv;
        i++;
    }
    if (rec && e->trec < 255) e->trec++;
    if (inf * 2 >= i && e->tinf < 255) e->tinf++;
}

static inline void cell_count(wip_tlv_learn_t *L, int s, wip_tlv_cell_t *e, int n, guint16 sig, int var)
{
    guint tot;
    if (n < 0) {
        if (e->nf < 255) e->nf++;
    } else if (n < 2) {
        if (e->n1 < 255) e->n1++;
    } else {
        if (e->n2 == 0) {
            e->sig = sig;
            L->s2 |= G_GUINT64_CONSTANT(1) << s;
        }
        else if (sig != e->sig && e->ndiff < 255)
            e->ndiff++;
        if (e->n2 < 255) e->n2++;
        if (var && e->nvar < 255) e->nvar++;
    }
    tot = (guint)e->n2 + e->n1 + e->nf;
    if ((e->nf >= TLV_DEAD_MIN && e->nf * 100u > tot * TLV_DEAD_PCT) ||
        (tot >= TLV_DEAD_MSGS && e->n2 * 100u < tot * TLV_MULTI_PCT)) {
        e->dead = 1;
        L->live--;
        L->live_s[s]--;
    }
}

/* A cell fits on its own counts (rate), whatever their number. */
static gboolean cell_rate_ok(const wip_tlv_cell_t *e)
{
    guint tot = (guint)e->n2 + e->n1 + e->nf;
    return !e->dead && e->n2 > 0 && e->nf * 100u <= tot * (100u - TLV_FIT_PCT) &&
           e->n2 * 100u >= tot * TLV_MULTI_PCT;
}

/* Of two layouts that fit alike, a big-endian length field that ends where
 * the other one does and is wider: the bytes above the narrower one are
 * always zero (its high bytes) or their low bits are (flags above it). */
static gboolean widens(const wip_tlv_cand_t *a, const wip_tlv_cand_t *b)
{
    return a->be && b->be && a->lo + a->lw == b->lo + b->lw && a->lw > b->lw;
}

/* The best cell: earliest start, most chains, simplest layout.  strict:
 * with enough chains, counting those of the other direction O (may be
 * NULL) where the same cell fits there too. */
static gboolean best_cell(const wip_tlv_learn_t *L, const wip_tlv_learn_t *O, gboolean strict, int smin,
                          int *bs, int *bc)
{
    for (int s = MAX(smin, 0); s < WIP_TLV_NSTART; s++) {
        int best = -1;
        guint bn = 0;
        if (L->live_s[s] == 0 || !(L->s2 >> s & 1))
            continue;          /* no cell fits: none alive, none with a chain of 2+ */
        for (int c = 0; c < L->ncand; c++) {
            const wip_tlv_cell_t *e = &L->cell[s][c];
            guint n2, nvar, ndiff, trec, tinf, later = 1;
            if (!cell_rate_ok(e))
                continue;
            n2 = e->n2, nvar = e->nvar, ndiff = e->ndiff, trec = e->trec, tinf = e->tinf;
            if (O && O->ready && O->ncand == L->ncand && cell_rate_ok(&O->cell[s][c])) {
                const wip_tlv_cell_t *o = &O->cell[s][c];
                n2 += o->n2;
                nvar += o->nvar;
                ndiff += o->ndiff + (o->sig != e->sig);
                trec += o->trec;
                tinf += o->tinf;
                later++;
            }
            later = n2 > later ? n2 - later : 0;   /* chains after each direction's first */
            if (strict && (n2 < TLV_MIN_MSGS || nvar < TLV_MIN_VAR || ndiff < 1 || trec < TLV_MIN_REC ||
                           trec * 100u < later * TLV_REC_PCT || tinf * 100u < n2 * TLV_INF_PCT))
                continue;
            if (e->n2 > bn || (e->n2 == bn && widens(&L->cand[c], &L->cand[best]))) {
                bn = e->n2;
                best = c;
            }
        }
        if (best >= 0) {
            *bs = s;
            *bc = best;
            return TRUE;
        }
    }
    return FALSE;
}

/* Statistics of the TLVs of the tracked cell: bytes zero per offset. */
static void track_msg(wip_tlv_learn_t *L, const guint8 *buf, gsize len)
{
    const wip_tlv_cand_t *c = &L->cand[L->tr_c];
    gsize p = (gsize)L->tr_s + WIP_TLV_START_MIN;
    guint16 sig;
    int var;
    if (p >= len || walk(c, buf, len, p, &sig, &var) < 2)
        return;
    while (p < len) {
        guint32 adv = 0, el = tlv_size(c, buf + p, len - p, &adv);
        if (el == 0)
            break;
        for (guint j = 0; j < WIP_TLV_XMAX && j < el; j++) {
            L->x_n[j]++;
            L->x_zero[j] += buf[p + j] == 0;
        }
        if (L->x_tlvs == 0 || el < L->x_min)
            L->x_min = el;
        L->x_tlvs++;
        p += adv;
    }
}

static void retrack(wip_tlv_learn_t *L)
{
    int s, c;
    if (!best_cell(L, NULL, FALSE, 0, &s, &c))
        return;
    if (s == L->tr_s && c == L->tr_c)
        return;
    L->tr_s = (gint16)s;
    L->tr_c = (gint16)c;
    memset(L->x_n, 0, sizeof L->x_n);
    memset(L->x_zero, 0, sizeof L->x_zero);
    L->x_tlvs = L->x_min = 0;
}

/* A chain that does not land on the end; on the direction's first
 * message no cell can die yet. */
static inline void cell_fail(wip_tlv_learn_t *L, int s, wip_tlv_cell_t *e)
{
    if (L->n == 1)
        e->nf = 1;
    else
        cell_count(L, s, e, -1, 0, 0);
}

/* Count the chain from off of layout c (whose length field reads v). */
static inline void learn_cell(wip_tlv_learn_t *L, int s, int c, guint32 v, const guint8 *buf, gsize len,
                              gsize off)
{
    wip_tlv_cell_t *e = &L->cell[s][c];
    const wip_tlv_cand_t *k = &L->cand[c];
    guint64 el = (guint64)v + k->adj, a = (el + k->pad - 1) & ~(guint64)(k->pad - 1);   /* pad: 1 or 4 */
    guint16 sig;
    int var, n;
    if (e->dead)
        return;
    if (el < L->hmin[c] || a > len - off) {
        cell_fail(L, s, e);
        return;
    }
    if (a == len - off) {      /* one TLV */
        cell_count(L, s, e, 1, 0, 0);
        return;
    }
    n = walk(k, buf, len, off, &sig, &var);
    cell_count(L, s, e, n, sig, var);
    if (n >= 2 && !e->dead)
        cell_types(k, e, buf, len, off);
}

/* Count the chains from start s of all live layouts: each length field is
 * read once, and when it says more than the rest of the message all its
 * layouts fail at once; only chains that go on past the first TLV are
 * walked. */
static void learn_start(wip_tlv_learn_t *L, int s, const guint8 *buf, gsize len)
{
    gsize off = (gsize)s + WIP_TLV_START_MIN, avail = len - off;
    for (guint f = 0; f < L->nfld; f++) {
        const wip_tlv_cand_t *k = &L->fld[f];
        guint32 v = G_MAXUINT32;   /* no length field: the TLV does not fit */
        if (avail >= (gsize)k->lo + k->lw) {
            v = rd_n(buf + off + k->lo, k->lw, k->be);
            if (k->mbits)
                v &= (1u << k->mbits) - 1;
        }
        if (v > avail) {           /* too long with any adjustment */
            for (guint i = L->fbeg[f]; i < L->fbeg[f + 1]; i++) {
                wip_tlv_cell_t *e = &L->cell[s][L->fc[i]];
                if (!e->dead)
                    cell_fail(L, s, e);
            }
            continue;
        }
        for (guint i = L->fbeg[f]; i < L->fbeg[f + 1]; i++)
            learn_cell(L, s, L->fc[i], v, buf, len, off);
    }
}

void wip_tlv_learn(wip_tlv_learn_t *L, const guint8 *buf, gsize len)
{
    if (!L || !buf || len > TLV_LEN_MAX)
        return;
    if (!L->ready) {
        cands_init(L);
        L->live = (guint32)WIP_TLV_NSTART * L->ncand;
        for (int s = 0; s < WIP_TLV_NSTART; s++)
            L->live_s[s] = L->ncand;
    }
    if (L->n >= TLV_LEARN_MAX || L->live == 0)
        return;
    L->n++;
    for (int s = 0; s < WIP_TLV_NSTART; s++) {
        if ((gsize)s + WIP_TLV_START_MIN >= len)
            break;             /* no body from here on: not counted */
        if (L->live_s[s])
            learn_start(L, s, buf, len);
    }
    if (L->tr_c >= 0)
        track_msg(L, buf, len);
    if (L->n < TLV_DEAD_MSGS || (L->n & 7) == 0)
        retrack(L);
}

/* Header words after a leading length field: while their high byte is
 * nearly always zero (type codes, vendor ids), at least one (the type). */
static void xwords(const wip_tlv_learn_t *L, int s, int c, wip_tlv_t *t)
{
    guint p = (guint)t->lo + t->lw, w = t->lw == 1 ? 1 : 2;
    t->xw = (guint8)w;
    t->nx = 1;
    if (s != L->tr_s || c != L->tr_c || L->x_tlvs == 0)
        return;
    t->nx = 0;
    while (t->nx < TLV_XWORDS_MAX && p + w <= L->x_min && p + w <= WIP_TLV_XMAX) {
        guint hb = t->be ? p : p + w - 1;
        if (t->nx > 0 && (L->x_n[hb] == 0 || L->x_zero[hb] * 100u < L->x_n[hb] * TLV_WORD_ZERO_PCT))
            break;
        t->nx++;
        p += w;
    }
}

void wip_tlv_model(const wip_tlv_learn_t *L, const wip_tlv_learn_t *O, const struct wip_field *f, guint nf,
                   wip_tlv_t *out)
{
    int s, c, smin = 0;
    memset(out, 0, sizeof *out);
    /* the message's own length field is the header's, not a TLV's */
    for (guint i = 0; f && i < nf; i++)
        if (f[i].kind == WIP_F_LENGTH && f[i].len_scale)
            smin = MAX(smin, f[i].offset + f[i].width);
    if (!L || !L->ready || !best_cell(L, O, TRUE, smin - WIP_TLV_START_MIN, &s, &c))
        return;
    const wip_tlv_cand_t *k = &L->cand[c];
    out->on = 1;
    out->off = (guint8)(s + WIP_TLV_START_MIN);
    out->lo = k->lo;
    out->lw = k->lw;
    out->be = k->be;
    out->mbits = k->mbits;
    out->adj = k->adj;
    out->pad = k->pad;
    out->conf = TLV_CONF;
    if (k->lo == 0)
        xwords(L, s, c, out);
}

static void cand_of(const wip_tlv_t *t, wip_tlv_cand_t *c)
{
    *c = (wip_tlv_cand_t){ t->lo, t->lw, t->be, t->mbits, t->adj, t->pad ? t->pad : 1 };
}

guint wip_tlv_count(const wip_tlv_t *t, const guint8 *buf, gsize len)
{
    wip_tlv_cand_t c;
    guint16 sig;
    int var, n;
    if (!t || !t->on || !buf || t->off >= len || t->lw < 1 || t->lw > 4 || len > G_MAXUINT32)
        return 0;
    cand_of(t, &c);
    n = walk(&c, buf, len, t->off, &sig, &var);
    return n > 0 ? (guint)n : 0;
}

static wip_field_t *put(wip_field_t *out, guint max, guint *n, wip_fkind_t k, gsize off, gsize w, int be,
                        guint8 conf)
{
    wip_field_t *f;
    if (*n >= max || w < 1 || w > 255 || off + w > G_MAXUINT16)
        return NULL;
    f = &out[(*n)++];
    memset(f, 0, sizeof *f);
    f->kind = k;
    f->offset = (guint16)off;
    f->width = (guint8)w;
    f->big_endian = (guint8)be;
    f->confidence = conf;
    return f;
}

/* The fields before the length field: a type of up to 4 bytes, then the
 * rest (flags) in words of up to 2 bytes. */
static void pre_fields(const wip_tlv_t *t, wip_field_t *out, guint max, guint *n, gsize p)
{
    guint lo = t->lo, w = lo >= 4 ? 4 : lo == 3 ? 2 : lo, q;
    if (t->lw == 1 && lo == 2)
        w = 1;                  /* flags, type, 1-byte length (BGP path attributes) */
    if (lo == 0)
        return;
    put(out, max, n, WIP_F_TYPE, p, w, t->be, t->conf);
    for (q = w; q < lo; ) {
        guint r = MIN(lo - q, 2u);
        put(out, max, n, WIP_F_FIELD, p + q, r, t->be, t->conf);
        q += r;
    }
}

guint wip_tlv_fields(const wip_tlv_t *t, const guint8 *buf, gsize len, struct wip_field *out, guint max,
                     guint *end)
{
    wip_tlv_cand_t c;
    guint n = 0;
    gsize p;
    if (end)
        *end = 0;
    if (!out || wip_tlv_count(t, buf, len) == 0)
        return 0;
    cand_of(t, &c);
    for (p = t->off; p < len && n < max; ) {
        guint32 adv = 0, el = tlv_size(&c, buf + p, len - p, &adv);
        gsize h = (gsize)t->lo + t->lw;
        wip_field_t *f;
        if (el == 0)
            break;
        pre_fields(t, out, max, &n, p);
        f = put(out, max, &n, WIP_F_LENGTH, p + t->lo, t->lw, t->be, t->conf);
        if (f)
            f->len_scale = 0;   /* counts its TLV, not the message */
        for (guint i = 0; t->lo == 0 && i < t->nx && h + t->xw <= el; i++, h += t->xw)
            put(out, max, &n, i + 1 == t->nx ? WIP_F_TYPE : WIP_F_FIELD, p + h, t->xw, t->be, t->conf);
        if (el > h)
            put(out, max, &n, WIP_F_FIELD, p + h, el - h, 1, t->conf);
        if (adv > el)
            put(out, max, &n, WIP_F_FIELD, p + el, adv - el, 1, t->conf);
        p += adv;
    }
    if (end)
        *end = n ? (guint)out[n - 1].offset + out[n - 1].width : 0;
    return n;
}
