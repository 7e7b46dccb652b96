/* fuzz_infer.c - libFuzzer harness for plugin/wip_infer.c: a sequence of
 * messages split from the input is learned (wip_infer_learn), then the model
 * of both directions is built (wip_infer_model, also mid-stream) and
 * wip_infer_msg_len, the framing rule (wip_infer_frame, with
 * resynchronisation), BER, TLV (the model's layout and one read from the
 * message's first bytes) and body fields and the message-start checks are
 * applied to every message.
 *
 * Input layout:
 *   byte 0    config: bit0 synthetic mode (below), bits1-2 timestamp mode
 *             (0: ~now + steps, 1: 32-bit seconds from the input, 2: 40-bit
 *             seconds from the input, 3: none (0.0)), bit3 model every 8
 *             messages, bit4 odd dir values allowed, bit5 learn through
 *             wip_infer_offer (odd lengths: known message starts)
 *   bytes 1-5 timestamp seed
 *   raw mode records: [ctrl][len][len bytes]
 *             ctrl: bit0 dir 2, bits1-6 conversation id (64+ ids: LRU
 *             replacement of WIP_INFER_NCONV = 64), bit7 two-byte length
 *   synthetic mode (reaches framing and the field finders): a header
 *             template with a length field, a counter and a session id is
 *             filled per message from the input; messages may be coalesced
 *             (2-3 per learn call) or split, as TCP does:
 *             [n][len_off][len_w/be/scale][adj][seq_off][tmpl_len][tmpl...]
 *             then per message [ctrl][body_len]; the body bytes come from
 *             the input (cycled).
 * Every learned buffer is copied into its own exact-size heap buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "wip_infer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_infer: invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

#define MAX_MSGS 160
#define MAX_BUF  4096

static void *g_mem;
/* WIP_FUZZ_INFER_TS_MAX=<seconds>: cap the timestamps fed to the learner
 * (to keep fuzzing past a known, not yet fixed, finding on huge timestamps;
 * see fuzz/README.md).  Unset: no cap. */
static double g_ts_max = -1.0;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    g_mem = malloc(wip_infer_size());      /* once; re-initialised per input */
    const char *e = getenv("WIP_FUZZ_INFER_TS_MAX");
    if (e && *e)
        g_ts_max = strtod(e, NULL);
    return 0;
}

typedef struct {
    guint8 *buf;
    guint32 len;
    guint8 dir;
} msg_t;

static msg_t g_msgs[MAX_MSGS];
static int g_n;
static int g_offer;

static void check_model(const wip_hdr_model_t *m)
{
    CHECK(m->n_fields <= WIP_INFER_MAX_FIELDS);
    int end = 0;
    for (guint i = 0; i < m->n_fields; i++) {
        const wip_field_t *f = &m->f[i];
        CHECK((int)f->kind > WIP_F_NONE && f->kind < WIP_F_COUNT);
        /* typed fields are integers; an untyped one may span a varying run */
        CHECK(f->width == 1 || f->width == 2 || f->width == 3 || f->width == 4 || f->width == 8 ||
              (f->kind == WIP_F_FIELD && f->width >= 1 && f->width <= WIP_INFER_NOFF) ||
              (f->kind == WIP_F_MAGIC && f->width <= 16));   /* a uniform marker (0xFF x 16) */
        CHECK(f->confidence <= 100);
        CHECK(wip_fkind_name(f->kind) != NULL);
        if (f->kind == WIP_F_LENGTH)
            CHECK(f->len_scale == 1 || f->len_scale == 4);   /* model fields; BER ones may be 0 */
        /* sorted by offset, non-overlapping */
        if (i > 0)
            CHECK(f->offset >= m->f[i - 1].offset + m->f[i - 1].width);
        if (f->offset + f->width > end)
            end = f->offset + f->width;
    }
    CHECK(m->hdr_len == end);
    CHECK(m->ber <= 1 && m->ber_off < 8);
    CHECK(m->tlv.on <= 1);
    if (m->tlv.on)
        CHECK(m->tlv.lw >= 1 && m->tlv.lw <= 4 && m->tlv.lo + m->tlv.lw <= 8 &&
              (m->tlv.pad == 1 || m->tlv.pad == 4) && m->tlv.off >= WIP_TLV_START_MIN &&
              m->tlv.off < WIP_TLV_START_MIN + WIP_TLV_NSTART);
}

/* The TLV walker on one buffer: fields inside it, after the chain start,
 * sorted and not overlapping, only when the chain lands on its end. */
static void check_tlv(const wip_tlv_t *t, const guint8 *b, guint32 len)
{
    wip_field_t fl[WIP_INFER_NOFF];
    guint end = 0xdead, i, n = wip_tlv_fields(t, b, len, fl, WIP_INFER_NOFF, &end);
    CHECK(n <= WIP_INFER_NOFF);
    if (n == 0) {
        CHECK(end == 0);
        return;
    }
    CHECK(wip_tlv_count(t, b, len) > 0 && end <= len);
    for (i = 0; i < n; i++) {
        CHECK(fl[i].width >= 1 && (guint32)fl[i].offset + fl[i].width <= len);
        CHECK(fl[i].offset >= t->off);
        if (i > 0) CHECK(fl[i].offset >= fl[i - 1].offset + fl[i - 1].width);
    }
}

/* The per-message API on one buffer: framing (termination, bounds),
 * BER and body fields (inside the buffer), message-start checks. */
static void check_message(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                          const guint8 *b, guint32 len)
{
    wip_frame_rule_t r;
    wip_field_t fl[WIP_INFER_NOFF];
    guint n, end = 0, i;
    (void)wip_infer_no_header(m, b, len, TRUE);
    (void)wip_infer_no_header(m, b, len, FALSE);
    (void)wip_infer_const_mismatch(m, b, len);
    n = wip_infer_ber_fields(m, b, len, fl, WIP_INFER_NOFF, &end);
    CHECK(n <= WIP_INFER_NOFF);
    for (i = 0; i < n; i++) {
        CHECK(fl[i].width >= 1 && fl[i].width <= 8);
        CHECK((guint32)fl[i].offset + fl[i].width <= len);
        CHECK(fl[i].offset < WIP_INFER_NOFF + 8);
        if (i > 0) CHECK(fl[i].offset >= fl[i - 1].offset + fl[i - 1].width);
    }
    check_tlv(&m->tlv, b, len);
    if (len >= 6) {   /* any layout, from the message itself */
        wip_tlv_t t = { 1, (guint8)(b[0] % 48), (guint8)(b[1] & 7), (guint8)((b[1] >> 3) % 6), (guint8)(b[2] & 1),
                        (guint8)(b[3] % 40), b[4], (guint8)(b[2] >> 1 & 7), (guint8)(b[5] & 3),
                        (guint8)(b[5] >> 2 & 7), 50 };
        check_tlv(&t, b, len);
    }
    n = wip_infer_body_fields(b, len, m->hdr_len, fl, WIP_INFER_NOFF);
    for (i = 0; i < n; i++) {
        CHECK(fl[i].width >= 1 && (guint32)fl[i].offset + fl[i].width <= len);
        CHECK(fl[i].offset >= m->hdr_len);
    }
    if (wip_infer_frame_rule(inf, dir, m, &r)) {
        guint32 pos = 0, k = 0;
        CHECK(r.n_const <= 8 && r.min_len <= r.max_len);
        while (pos < len) {
            guint32 fn = 0;
            wip_frame_res_t fr = wip_infer_frame(&r, b + pos, len - pos, &fn);
            CHECK(++k <= len + 1);
            if (fr == WIP_FRAME_NEED_MORE)
                break;
            CHECK(fn >= 1);
            if (fr == WIP_FRAME_SKIP)
                CHECK(fn <= len - pos);
            else
                CHECK(fn >= (guint32)r.len.offset + r.len.width && fn <= r.max_len);
            if (fn > len - pos)
                break;
            pos += fn;
        }
    }
}

static void add_msg(wip_infer_t *inf, guint32 conv, int dir, const guint8 *src, size_t len,
                    double ts, gboolean keep)
{
    guint8 *b = malloc(len ? len : 1);
    if (len)
        memcpy(b, src, len);
    if (g_offer) {   /* the glue's path: sampling, gate or whole messages */
        (void)wip_infer_offer(inf, conv, dir, len ? b : NULL, len, ts, (len & 1) != 0);
        (void)wip_infer_cached(inf, dir, (len & 2) != 0);
    } else
        wip_infer_learn(inf, conv, dir, len ? b : NULL, len, ts);
    if (keep && g_n < MAX_MSGS) {
        g_msgs[g_n].buf = b;
        g_msgs[g_n].len = (guint32)len;
        g_msgs[g_n].dir = (guint8)dir;
        g_n++;
    } else {
        free(b);
    }
}

/* models of dirs 1, 2 (into m[0], m[1] when given); odd dirs 0 / 3 share
 * state with dir 1, so they are built only when 'all' */
static void models(const wip_infer_t *inf, wip_hdr_model_t *keep, gboolean all)
{
    static const int dirs[] = { 1, 2, 0, 3 };
    for (unsigned i = 0; i < (all ? 4u : 2u); i++) {
        wip_hdr_model_t tmp, *m = (keep && i < 2) ? &keep[i] : &tmp;
        memset(m, 0xEE, sizeof *m);
        wip_infer_model(inf, dirs[i], m);
        check_model(m);
        (void)wip_infer_n_msgs(inf, dirs[i]);
        (void)wip_infer_n_rejected(inf, dirs[i]);
    }
}

static void wr(guint8 *p, guint64 v, int w, int be)
{
    for (int i = 0; i < w; i++)
        p[be ? w - 1 - i : i] = (guint8)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)
        return 0;
    guint8 cfg = data[0];
    guint64 tsr = 0;
    for (int i = 1; i <= 5; i++)
        tsr = (tsr << 8) | data[i];
    double ts;
    switch ((cfg >> 1) & 3) {
    case 0: ts = 1700000000.0 + (double)(tsr & 0xffff); break;
    case 1: ts = (double)(guint32)tsr + (double)data[5] / 256.0; break;
    case 2: ts = (double)tsr; break;           /* 40-bit seconds (pcapng can hold it) */
    default: ts = 0.0; break;
    }
    if (g_ts_max >= 0.0 && ts > g_ts_max)
        ts = g_ts_max;
    data += 6; size -= 6;

    wip_infer_t *inf = wip_infer_init(g_mem);
    CHECK(inf != NULL);
    g_n = 0;
    g_offer = (cfg & 32) != 0;

    /* API edge cases */
    wip_infer_learn(NULL, 0, 1, data, size, ts);
    wip_infer_learn(inf, 0, 1, NULL, 5, ts);
    wip_infer_model(inf, 1, NULL);
    CHECK(!wip_infer_msg_len(NULL, data, size, NULL));

    size_t pos = 0;
    if (!(cfg & 1)) {
        for (int k = 0; k < MAX_MSGS && pos < size; k++) {
            guint8 ctrl = data[pos++];
            size_t len;
            if (ctrl & 0x80) {
                if (pos + 2 > size) break;
                len = ((size_t)data[pos] << 8) | data[pos + 1];
                pos += 2;
            } else {
                if (pos + 1 > size) break;
                len = data[pos++];
            }
            if (len > size - pos)
                len = size - pos;
            int dir = (ctrl & 1) ? 2 : 1;
            if ((cfg & 16) && (ctrl & 0x40) && (ctrl & 0x20))
                dir = (ctrl & 1) ? 3 : 0;
            add_msg(inf, (ctrl >> 1) & 0x3f ? (guint32)((ctrl >> 1) & 0x3f) * 2654435761u : 0,
                    dir, data + pos, len, ts, TRUE);
            pos += len;
            ts += 0.001 * (ctrl & 7);
            if ((cfg & 8) && (k & 7) == 7)
                models(inf, NULL, FALSE);
        }
    } else {
        guint8 h[6];
        if (size < 6)
            goto done;
        memcpy(h, data, 6);
        pos = 6;
        int nmsg = h[0] % MAX_MSGS + 1;
        int loff = h[1] % 48;
        int lw = (h[2] & 3) == 0 ? 1 : (h[2] & 3) == 1 ? 2 : (h[2] & 3) == 2 ? 4 : 8;
        int lbe = (h[2] >> 2) & 1;
        int lsc = (h[2] & 8) ? 4 : 1;
        int adj = (gint8)h[3];
        int soff = h[4] % 48;
        size_t tl = h[5] % 49;
        if (size - pos < tl)
            tl = size - pos;
        guint8 tmpl[48] = { 0 };
        memcpy(tmpl, data + pos, tl);
        pos += tl;
        const guint8 *body = data + pos;
        size_t blen = size - pos;
        size_t bi = 0;
        guint32 seq = 0;
        guint8 acc[MAX_BUF];
        size_t an = 0;
        for (int k = 0; k < nmsg; k++) {
            guint8 ctrl, bl;
            if (pos + 2 > size)
                break;
            ctrl = data[pos];
            bl = data[pos + 1];
            pos += 2;
            int dir = (ctrl & 1) ? 2 : 1;
            guint32 conv = (ctrl >> 1) & 7;
            size_t mlen = tl + bl;
            if (mlen == 0 || mlen > 1024)
                continue;
            guint8 m[1024 + 48];
            memcpy(m, tmpl, tl);
            for (size_t i = tl; i < mlen; i++)
                m[i] = blen ? body[bi++ % blen] : (guint8)i;
            if (loff + lw <= (int)mlen) {
                gint64 v = ((gint64)mlen - adj) / lsc;
                wr(m + loff, (guint64)v, lw, lbe);
            }
            if (soff + 2 <= (int)mlen && soff != loff)
                wr(m + soff, seq++, 2, 1);
            switch ((ctrl >> 4) & 3) {
            case 0:                      /* one message per buffer */
                add_msg(inf, conv, dir, m, mlen, ts, TRUE);
                break;
            case 1:                      /* coalesce: flush when 3 queued or full */
                if (an + mlen > sizeof acc) {
                    add_msg(inf, conv, dir, acc, an, ts, TRUE);
                    an = 0;
                }
                memcpy(acc + an, m, mlen);
                an += mlen;
                if (ctrl & 0x40) {
                    add_msg(inf, conv, dir, acc, an, ts, TRUE);
                    an = 0;
                }
                break;
            case 2: {                    /* split in two segments */
                size_t cut = (size_t)(ctrl >> 6) * mlen / 4;
                if (cut == 0) cut = 1;
                add_msg(inf, conv, dir, m, cut > mlen ? mlen : cut, ts, TRUE);
                if (cut < mlen)
                    add_msg(inf, conv, dir, m + cut, mlen - cut, ts, TRUE);
                break;
            }
            default:                     /* both directions (request/response) */
                add_msg(inf, conv, 1, m, mlen, ts, TRUE);
                add_msg(inf, conv, 2, m, mlen, ts + 0.0001, TRUE);
                break;
            }
            ts += 0.01;
            if ((cfg & 8) && (k & 7) == 7)
                models(inf, NULL, FALSE);
        }
        if (an)
            add_msg(inf, 7, 1, acc, an, ts, TRUE);
    }

done:
    {
        wip_hdr_model_t m[2];
        models(inf, m, (cfg & 16) != 0);
        for (int i = 0; i < g_n; i++) {
            const wip_hdr_model_t *mm = &m[g_msgs[i].dir == 2 ? 1 : 0];
            guint32 ml = 0xdeadbeef;
            if (wip_infer_msg_len(mm, g_msgs[i].buf, g_msgs[i].len, &ml)) {
                /* the length covers at least its own field */
                guint k;
                for (k = 0; k < mm->n_fields; k++)
                    if (mm->f[k].kind == WIP_F_LENGTH)
                        break;
                CHECK(k < mm->n_fields);
                CHECK(ml >= (guint32)mm->f[k].offset + mm->f[k].width);
            }
            (void)wip_infer_msg_len(mm, g_msgs[i].buf, g_msgs[i].len, NULL);
            check_message(inf, g_msgs[i].dir == 2 ? 2 : 1, mm, g_msgs[i].buf, g_msgs[i].len);
            free(g_msgs[i].buf);
        }
        g_n = 0;
    }
    return 0;
}
