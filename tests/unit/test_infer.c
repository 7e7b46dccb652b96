/* test_infer.c - unit tests for the header inference core (wip_infer.c). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wip_infer.h"

static int failures = 0;
#define CHECK(c) do { if (!(c)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static guint64 rs = 88172645463325252ull;
static guint32 rnd(guint32 n)
{
    rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17;
    return n ? (guint32)(rs % n) : 0;
}

static void put(guint8 *b, guint64 v, int w, int be)
{
    int i;
    for (i = 0; i < w; i++) b[i] = (guint8)(v >> (be ? 8 * (w - 1 - i) : 8 * i));
}

static const wip_field_t *find(const wip_hdr_model_t *m, wip_fkind_t k)
{
    guint i;
    for (i = 0; i < m->n_fields; i++)
        if (m->f[i].kind == k) return &m->f[i];
    return NULL;
}

static void check_invariants(const wip_hdr_model_t *m)
{
    guint i;
    CHECK(m->n_fields <= WIP_INFER_MAX_FIELDS);
    for (i = 0; i < m->n_fields; i++) {
        const wip_field_t *f = &m->f[i];
        /* numbers 1/2/3/4/8 bytes; an untyped field: any span of the window */
        CHECK(f->width == 1 || f->width == 2 || f->width == 3 || f->width == 4 || f->width == 8 ||
              (f->kind == WIP_F_FIELD && f->width <= WIP_INFER_NOFF) ||
              (f->kind == WIP_F_MAGIC && f->width <= 16));   /* a uniform marker */
        CHECK(f->kind > WIP_F_NONE && f->kind < WIP_F_COUNT);
        CHECK(f->offset + f->width <= m->hdr_len);
        if (i > 0) CHECK(m->f[i - 1].offset + m->f[i - 1].width <= f->offset);
    }
}

static void dump(const char *what, const wip_hdr_model_t *m)
{
    guint i;
    printf("  %-28s", what);
    for (i = 0; i < m->n_fields; i++)
        printf(" %s@%u/%u%s", wip_fkind_name(m->f[i].kind), m->f[i].offset, m->f[i].width,
               m->f[i].width > 1 ? (m->f[i].big_endian ? "be" : "le") : "");
    printf(" hdr=%u msgs=%u convs=%u\n", m->hdr_len, m->n_msgs, m->n_convs);
}

/* Protocol A (big endian): magic CA FE 01 | len u16 (whole message) |
 * type u8 | seq u32 (step 1 per direction) | session u32 | txid u16 (echoed)
 * | body */
static int make_a(guint8 *b, int dir, guint32 seq, guint32 session, guint16 txid,
                  guint8 type, int body)
{
    int i, len = 16 + body;
    b[0] = 0xCA; b[1] = 0xFE; b[2] = 0x01;
    put(b + 3, (guint64)len, 2, 1);
    b[5] = (guint8)(dir == 2 ? type | 0x80 : type);
    put(b + 6, seq, 4, 1);
    put(b + 10, session, 4, 1);
    put(b + 14, txid, 2, 1);
    for (i = 0; i < body; i++) b[16 + i] = (guint8)rnd(256);
    return len;
}

static void feed_a(wip_infer_t *inf, int conv0, int nconv, int nmsg)
{
    guint8 buf[1024];
    int c, k;
    for (c = 0; c < nconv; c++) {
        guint32 session = 0x10000000u + rnd(0x7fffffff);
        guint32 seq[2] = { rnd(100), rnd(100) };
        guint16 txid = 0;
        guint8 type = 0;
        double t = 1.7e9 + c * 10;
        for (k = 0; k < nmsg; k++) {
            int dir = (k & 1) ? 2 : 1, len;
            if (dir == 1) { txid = (guint16)rnd(65536); type = (guint8)(1 + rnd(4)); }
            len = make_a(buf, dir, seq[dir - 1]++, session, txid, type, (int)rnd(300));
            wip_infer_learn(inf, (guint32)(conv0 + c), dir, buf, (gsize)len, t + k);
        }
    }
}

static void test_basic_be(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    int dir;
    feed_a(inf, 0, 4, 12);
    for (dir = 1; dir <= 2; dir++) {
        wip_infer_model(inf, dir, &m);
        dump(dir == 1 ? "protocol A, dir 1:" : "protocol A, dir 2:", &m);
        check_invariants(&m);
        CHECK(m.n_msgs == 24);
        CHECK(m.n_convs == 4);
        f = find(&m, WIP_F_MAGIC);
        CHECK(f && f->offset == 0 && f->width >= 2);
        if (f && f->width == 2) CHECK(f->magic == 0xCAFE);
        f = find(&m, WIP_F_LENGTH);
        CHECK(f && f->offset == 3 && f->width == 2 && f->big_endian && f->len_adjust == 0 &&
              f->len_scale == 1);
        f = find(&m, WIP_F_TYPE);
        CHECK(f && f->offset == 5 && f->width == 1);
        f = find(&m, WIP_F_SEQ);
        CHECK(f && f->offset == 6 && f->width == 4 && f->big_endian && f->step == 1);
        f = find(&m, WIP_F_SESSION);
        CHECK(f && f->offset == 10 && f->width == 4);
        f = find(&m, WIP_F_TXID);
        CHECK(f && f->offset == 14 && f->width == 2);
        CHECK(m.hdr_len == 16);
    }
    /* msg_len: from the length field, FALSE when too short */
    {
        guint8 b[64];
        guint32 ml = 0;
        wip_infer_model(inf, 1, &m);
        make_a(b, 1, 7, 1, 2, 3, 20);
        CHECK(wip_infer_msg_len(&m, b, 36, &ml) && ml == 36);
        CHECK(wip_infer_msg_len(&m, b, 5, &ml) && ml == 36);
        CHECK(!wip_infer_msg_len(&m, b, 4, &ml));
        CHECK(!wip_infer_msg_len(&m, b, 0, &ml));
        b[3] = 0; b[4] = 2;           /* 2 < end of the length field */
        CHECK(!wip_infer_msg_len(&m, b, 36, &ml));
    }
}

/* Protocol B (little endian): len u32 counts the body only (adjust 12) |
 * type u16 LE (values < 256) | seq u16 LE step 2 | ts u32 LE seconds |
 * body.  Also fed as TCP segments, split and coalesced. */
static int make_b(guint8 *b, guint16 seq, guint8 type, double ts, int body)
{
    int i;
    put(b, (guint64)body, 4, 0);
    put(b + 4, type, 2, 0);
    put(b + 6, seq, 2, 0);
    put(b + 8, (guint64)ts, 4, 0);
    for (i = 0; i < body; i++) b[12 + i] = (guint8)rnd(256);
    return 12 + body;
}

static void test_le_body_len_and_segments(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 buf[2048];
    int c, k, seg;
    for (seg = 0; seg < 2; seg++) {
        inf = wip_infer_init(mem);
        for (c = 0; c < 3; c++) {
            guint16 seq = (guint16)rnd(1000);
            for (k = 0; k < 20; k++) {
                double t = 1.7e9 + c * 100 + k * 0.5;
                int len = make_b(buf, seq, (guint8)(1 + rnd(5)), t, (int)rnd(400));
                seq += 2;
                if (seg && k % 8 == 3) {          /* split in two */
                    wip_infer_learn(inf, (guint32)c, 1, buf, 7, t);
                    wip_infer_learn(inf, (guint32)c, 1, buf + 7, (gsize)len - 7, t);
                } else if (seg && k % 8 == 6) {   /* coalesced with the next */
                    int len2 = make_b(buf + len, seq, 2, t, (int)rnd(100));
                    seq += 2; k++;
                    wip_infer_learn(inf, (guint32)c, 1, buf, (gsize)(len + len2), t);
                } else
                    wip_infer_learn(inf, (guint32)c, 1, buf, (gsize)len, t);
            }
        }
        wip_infer_model(inf, 1, &m);
        dump(seg ? "protocol B, TCP segments:" : "protocol B, messages:", &m);
        check_invariants(&m);
        f = find(&m, WIP_F_LENGTH);
        CHECK(f && f->offset == 0 && f->width == 4 && !f->big_endian && f->len_adjust == 12);
        f = find(&m, WIP_F_TIMESTAMP);
        CHECK(f && f->offset == 8 && f->width == 4 && !f->big_endian);
        f = find(&m, WIP_F_SEQ);
        CHECK(f && f->offset == 6 && f->width == 2 && !f->big_endian && f->step == 2);
        if (!seg) {
            f = find(&m, WIP_F_TYPE);
            CHECK(f && f->offset == 4 && f->width == 2 && !f->big_endian);
        }
        CHECK(m.hdr_len == 12);
        {   /* framing a coalesced buffer */
            guint32 ml = 0;
            int l1 = make_b(buf, 1, 1, 1.7e9, 30);
            make_b(buf + l1, 2, 1, 1.7e9, 50);
            CHECK(wip_infer_msg_len(&m, buf, (gsize)l1 + 62, &ml) && ml == 42);
            CHECK(wip_infer_msg_len(&m, buf + l1, 62, &ml) && ml == 62);
        }
        /* the other direction learned nothing */
        wip_infer_model(inf, 2, &m);
        CHECK(m.n_fields == 0 && m.n_msgs == 0);
    }
}

/* Random payloads: no length/seq/txid/session/type/magic/timestamp claims. */
static void test_random(void *mem)
{
    int round, claims = 0, models = 0;
    guint8 buf[600];
    for (round = 0; round < 20; round++) {
        wip_infer_t *inf = wip_infer_init(mem);
        int c, k, i, dir;
        int nmsg = round < 10 ? 10 : 100;
        for (c = 0; c < 4; c++)
            for (k = 0; k < nmsg; k++) {
                int len = 1 + (int)rnd(round & 1 ? 40 : 500);
                for (i = 0; i < len; i++) buf[i] = (guint8)rnd(256);
                wip_infer_learn(inf, (guint32)c, (k & 1) + 1, buf, (gsize)len, 1.7e9 + k);
            }
        for (dir = 1; dir <= 2; dir++) {
            wip_hdr_model_t m;
            guint32 ml;
            wip_infer_model(inf, dir, &m);
            check_invariants(&m);
            models++;
            for (i = 0; i < (int)m.n_fields; i++)
                if (m.f[i].kind != WIP_F_FIELD) claims++;
            CHECK(!wip_infer_msg_len(&m, buf, sizeof buf, &ml));
        }
    }
    for (round = 0; round < 10; round++) {   /* known messages: per-kind models too */
        wip_infer_t *inf = wip_infer_init(mem);
        int c, k, i, len = 0;
        for (c = 0; c < 4; c++)
            for (k = 0; k < 100; k++) {
                len = 1 + (int)rnd(round & 1 ? 40 : 500);
                for (i = 0; i < len; i++) buf[i] = (guint8)rnd(256);
                wip_infer_learn_msg(inf, (guint32)c, 1, buf, (gsize)len, 1.7e9 + k);
                if (k >= 90) {
                    const wip_hdr_model_t *m = wip_infer_kind_model(inf, 1, wip_infer_cached(inf, 1, TRUE),
                                                                    buf, (gsize)len, TRUE);
                    check_invariants(m);
                    models++;
                    for (i = 0; i < (int)m->n_fields; i++)
                        if (m->f[i].kind != WIP_F_FIELD) claims++;
                }
            }
    }
    printf("  random payloads: %d claims in %d models\n", claims, models);
    CHECK(claims == 0);
}

/* One conversation: a per-conversation constant cannot be told from a
 * magic; several conversations separate them. */
static void test_session_vs_magic(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    feed_a(inf, 0, 1, 20);
    wip_infer_model(inf, 1, &m);
    dump("protocol A, 1 conversation:", &m);
    check_invariants(&m);
    CHECK(find(&m, WIP_F_SESSION) == NULL);
    f = find(&m, WIP_F_LENGTH);
    CHECK(f && f->offset == 3);
    feed_a(inf, 1, 3, 20);
    wip_infer_model(inf, 1, &m);
    f = find(&m, WIP_F_SESSION);
    CHECK(f && f->offset == 10 && f->width == 4);
}

/* Few messages: precision before recall. */
static void test_little_evidence(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 buf[512];
    int len;
    wip_infer_model(inf, 1, &m);
    CHECK(m.n_fields == 0 && m.hdr_len == 0);
    len = make_a(buf, 1, 1, 5, 6, 7, 10);
    wip_infer_learn(inf, 1, 1, buf, (gsize)len, 1.7e9);
    wip_infer_model(inf, 1, &m);
    CHECK(m.n_fields == 0);
    len = make_a(buf, 1, 2, 5, 6, 7, 30);
    wip_infer_learn(inf, 1, 1, buf, (gsize)len, 1.7e9);
    wip_infer_model(inf, 1, &m);
    CHECK(find(&m, WIP_F_LENGTH) == NULL);   /* two messages are not enough */
    CHECK(find(&m, WIP_F_SEQ) == NULL);
    /* robustness: NULL / empty / huge */
    wip_infer_learn(inf, 1, 1, NULL, 10, 0);
    wip_infer_learn(inf, 1, 1, buf, 0, 0);
    wip_infer_learn(NULL, 1, 1, buf, 10, 0);
    wip_infer_model(NULL, 1, &m);
    CHECK(m.n_fields == 0);
    CHECK(!wip_infer_msg_len(NULL, buf, 10, NULL));
}

/* More conversations than slots, odd directions, tiny messages: bounded
 * and well-formed. */
static void test_many_convs_and_fuzz(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 buf[700];
    int i, k, dir;
    for (i = 0; i < 2000; i++) {
        int len = make_a(buf, (i & 1) + 1, (guint32)(i / 300), (guint32)(i / 3) * 2654435761u,
                         (guint16)i, (guint8)(i % 3), (int)rnd(200));
        wip_infer_learn(inf, (guint32)(i / 3), (i & 1) + 1, buf, (gsize)len, 1.7e9 + i);
    }
    wip_infer_model(inf, 1, &m);
    check_invariants(&m);
    CHECK(m.n_convs > WIP_INFER_NCONV);
    CHECK(find(&m, WIP_F_LENGTH) != NULL);
    for (k = 0; k < 3000; k++) {
        int len = (int)rnd(8);
        for (i = 0; i < len; i++) buf[i] = (guint8)rnd(4);
        dir = (int)rnd(4);   /* 0 and 3 count as direction 1 */
        wip_infer_learn(inf, rnd(200), dir, buf, (gsize)len, rnd(2) ? 0 : 1.7e9);
        if (k % 500 == 0) {
            wip_infer_model(inf, dir, &m);
            check_invariants(&m);
        }
    }
}

/* Framing with resynchronisation: whole messages, a burst, a header cut
 * by the end of the data, garbage before a header, absurd lengths. */
static void test_framing(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    wip_frame_rule_t r;
    guint8 b[2048];
    guint32 n = 0;
    int l1, l2;
    feed_a(inf, 0, 4, 12);
    wip_infer_model(inf, 1, &m);
    CHECK(wip_infer_frame_rule(inf, 1, &m, &r));
    CHECK(r.len.kind == WIP_F_LENGTH && r.len.offset == 3 && r.len.width == 2);
    CHECK(r.n_const >= 2 && r.const_val[0] == 0xCA && r.const_val[1] == 0xFE);
    l1 = make_a(b, 1, 1, 2, 3, 4, 40);
    l2 = make_a(b + l1, 1, 2, 2, 3, 4, 10);
    CHECK(wip_infer_frame(&r, b, (gsize)(l1 + l2), &n) == WIP_FRAME_MSG && n == (guint32)l1);
    CHECK(wip_infer_frame(&r, b + l1, (gsize)l2, &n) == WIP_FRAME_MSG && n == (guint32)l2);
    CHECK(wip_infer_frame(&r, b, 20, &n) == WIP_FRAME_MSG && n == (guint32)l1);   /* longer than the data */
    CHECK(wip_infer_frame(&r, b + l1, 4, &n) == WIP_FRAME_NEED_MORE);             /* header cut */
    CHECK(wip_infer_frame(&r, b + l1, 1, &n) == WIP_FRAME_NEED_MORE);
    /* 7 bytes of garbage, then a message: skip exactly the garbage */
    memmove(b + 7, b, (size_t)(l1 + l2));
    memset(b, 0x11, 7);
    CHECK(wip_infer_frame(&r, b, (gsize)(l1 + l2 + 7), &n) == WIP_FRAME_SKIP && n == 7);
    CHECK(wip_infer_frame(&r, b + 7, (gsize)(l1 + l2), &n) == WIP_FRAME_MSG && n == (guint32)l1);
    /* garbage only: skip all of it */
    memset(b, 0x11, 100);
    CHECK(wip_infer_frame(&r, b, 100, &n) == WIP_FRAME_SKIP && n == 100);
    /* the magic, then a length below the header: not plausible */
    l1 = make_a(b, 1, 1, 2, 3, 4, 40);
    b[3] = 0; b[4] = 1;
    CHECK(wip_infer_frame(&r, b, (gsize)l1, &n) == WIP_FRAME_SKIP && n >= 1);
    /* degenerate input */
    CHECK(wip_infer_frame(NULL, b, 10, &n) == WIP_FRAME_SKIP && n == 10);
    CHECK(wip_infer_frame(&r, b, 0, &n) == WIP_FRAME_SKIP && n == 1);
}

/* The glue's policy: offer / sampling / cache / message starts. */
static void test_policy(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    const wip_hdr_model_t *cm;
    guint8 b[512];
    int i, len;
    for (i = 0; i < 40; i++) {
        len = make_a(b, 1, (guint32)i, 77, (guint16)i, (guint8)(1 + i % 3), (int)rnd(100));
        CHECK(wip_infer_offer(inf, 1 + (guint32)(i % 4), 1, b, (gsize)len, 1.7e9 + i, FALSE));
    }
    CHECK(wip_infer_n_offered(inf, 1) == 40 && wip_infer_n_msgs(inf, 1) == 40);
    cm = wip_infer_cached(inf, 1, TRUE);
    CHECK(find(cm, WIP_F_MAGIC) && find(cm, WIP_F_LENGTH));
    /* a continuation segment: rejected by the gate, no header on it */
    memset(b, 0x42, 30);
    CHECK(!wip_infer_offer(inf, 1, 1, b, 30, 1.7e9, FALSE));
    CHECK(wip_infer_no_header(cm, b, 30, FALSE) != NULL);
    CHECK(wip_infer_no_header(cm, b, 30, TRUE) == NULL);      /* a datagram: shown, another kind */
    CHECK(wip_infer_const_mismatch(cm, b, 30) != 0);
    len = make_a(b, 1, 1, 2, 3, 4, 10);
    CHECK(wip_infer_no_header(cm, b, (gsize)len, FALSE) == NULL);
    CHECK(wip_infer_const_mismatch(cm, b, (gsize)len) == 0);
    /* a known message start skips the gate */
    memset(b, 0x42, 30);
    CHECK(wip_infer_offer(inf, 1, 1, b, 30, 1.7e9, TRUE));
    /* sampling after WIP_INFER_LEARN_FULL: offered, not all learned */
    for (i = 0; i < WIP_INFER_LEARN_FULL + 320; i++) {
        len = make_a(b, 2, (guint32)i, 77, (guint16)i, 1, 20);
        wip_infer_offer(inf, 1, 2, b, (gsize)len, 1.7e9 + i, TRUE);
    }
    CHECK(wip_infer_n_offered(inf, 2) == WIP_INFER_LEARN_FULL + 320);
    CHECK(wip_infer_n_msgs(inf, 2) == WIP_INFER_LEARN_FULL + 10);
    CHECK(wip_infer_no_header(NULL, b, 10, TRUE) != NULL);
}

/* ONC-RPC-like: 4-byte record mark (top bit: last fragment) | xid u32
 * (random, echoed in the reply) | msg type u32 (0 call, 1 reply) | ...
 * One call and one reply per conversation. */
static void test_record_mark_and_echo(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[512];
    int c, i, dir;
    for (c = 0; c < 12; c++) {
        guint32 xid = 0x10000 + rnd(0x7fffffff);
        for (dir = 1; dir <= 2; dir++) {
            int len = 40 + (int)rnd(60) * 4;
            put(b, 0x80000000u | (guint32)(len - 4), 4, 1);
            put(b + 4, xid, 4, 1);
            put(b + 8, dir == 1 ? 0 : 1, 4, 1);
            put(b + 12, 2, 4, 1);
            for (i = 16; i < len; i++) b[i] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, dir, b, (gsize)len, 1.7e9 + c);
        }
    }
    for (dir = 1; dir <= 2; dir++) {
        wip_infer_model(inf, dir, &m);
        dump(dir == 1 ? "record mark, calls:" : "record mark, replies:", &m);
        check_invariants(&m);
        f = find(&m, WIP_F_LENGTH);
        CHECK(f && f->offset == 0 && f->width == 4 && f->big_endian && f->len_adjust == 4);
        f = find(&m, WIP_F_TXID);
        CHECK(f && f->offset == 4 && f->width == 4);
        f = find(&m, WIP_F_TYPE);
        CHECK(f && f->offset == 8 && f->width == 4 && f->big_endian);
        f = find(&m, WIP_F_MAGIC);
        CHECK(f && f->offset == 12 && f->width == 4 && f->magic == 2);
        {
            guint32 ml = 0;
            put(b, 0x80000000u | 96, 4, 1);
            CHECK(wip_infer_msg_len(&m, b, 16, &ml) && ml == 100);
        }
    }
}

/* MySQL-like: 3-byte little-endian length (payload after the 4-byte
 * header) | 1-byte sequence | payload; and an NTP 32.32 timestamp. */
static void test_3byte_le_and_ntp(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[1024];
    int c, k, i;
    for (c = 0; c < 4; c++) {
        guint8 seq = (guint8)rnd(50);
        for (k = 0; k < 16; k++) {
            double t = 1.7e9 + c * 30 + k;
            guint64 ntp = ((guint64)(t + 2208988800.0) << 32) | rnd(0xffffffffu);
            int body = 12 + (int)rnd(500);
            put(b, (guint64)body, 3, 0);
            b[3] = seq++;
            b[4] = (guint8)(1 + rnd(3));
            for (i = 5; i < 4 + body; i++) b[i] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)(4 + body), t);
            /* direction 2, big endian: type | 3 zero bytes | NTP timestamp | 2-byte length */
            b[0] = (guint8)(1 + rnd(3));
            b[1] = b[2] = b[3] = 0;
            put(b + 4, ntp, 8, 1);
            put(b + 12, (guint64)body, 2, 1);
            for (i = 14; i < 14 + body; i++) b[i] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 2, b, (gsize)(14 + body), t);
        }
    }
    wip_infer_model(inf, 1, &m);
    dump("3-byte LE length, NTP:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_LENGTH);
    CHECK(f && f->offset == 0 && f->width == 3 && !f->big_endian && f->len_adjust == 4);
    f = find(&m, WIP_F_SEQ);
    CHECK(f && f->offset == 3 && f->width == 1 && f->step == 1);
    wip_infer_model(inf, 2, &m);
    dump("NTP timestamp:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_TIMESTAMP);
    CHECK(f && f->offset == 4 && f->width == 8 && f->big_endian);
    f = find(&m, WIP_F_LENGTH);
    CHECK(f && f->offset == 12 && f->width == 2 && f->big_endian && f->len_adjust == 14);
}

/* BER/ASN.1 (LDAP-like): SEQUENCE { INTEGER id, [APPLICATION n] {...} },
 * short and long form lengths. */
static int make_ber(guint8 *b, guint8 id, guint8 op, int body, int longform)
{
    int i, p = 0, inner = 2 + (body < 128 && !longform ? 2 : 4) + body, tot = 3 + inner;
    b[p++] = 0x30;
    if (tot < 128 && !longform) b[p++] = (guint8)tot;
    else { b[p++] = 0x82; b[p++] = (guint8)(tot >> 8); b[p++] = (guint8)tot; }
    b[p++] = 0x02; b[p++] = 0x01; b[p++] = id;
    b[p++] = op;
    if (body < 128 && !longform) b[p++] = (guint8)(body + 2);
    else { b[p++] = 0x82; b[p++] = (guint8)((body + 2) >> 8); b[p++] = (guint8)(body + 2); }
    b[p++] = 0x04; b[p++] = (guint8)(body & 0x7f);
    for (i = 0; i < body; i++) b[p++] = (guint8)('a' + rnd(26));
    return p;
}

static void test_ber(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    wip_frame_rule_t r;
    wip_field_t fl[WIP_INFER_NOFF];
    guint8 b[2048];
    guint32 cl = 0, n = 0;
    int c, k, len, tl = 0;
    guint nf, end = 0;
    CHECK(wip_ber_hdr((const guint8 *)"\x30\x05", 2, &cl, &tl) == 2 && cl == 5 && tl == 1);
    CHECK(wip_ber_hdr((const guint8 *)"\x30\x82\x01\x00", 4, &cl, NULL) == 4 && cl == 256);
    CHECK(wip_ber_hdr((const guint8 *)"\x30\x82\x01", 3, &cl, NULL) == 0);   /* cut */
    CHECK(wip_ber_hdr((const guint8 *)"\x30\x80", 2, &cl, NULL) == 0);       /* indefinite */
    CHECK(wip_ber_hdr((const guint8 *)"\x30", 1, &cl, NULL) == 0);
    for (c = 0; c < 4; c++)
        for (k = 0; k < 12; k++) {
            len = make_ber(b, (guint8)(k + 1), (guint8)(0x60 + rnd(4)), (int)rnd(100), k % 5 == 4);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("BER:", &m);
    check_invariants(&m);
    CHECK(m.ber == 1 && m.ber_off == 0);
    len = make_ber(b, 9, 0x63, 10, 0);
    nf = wip_infer_ber_fields(&m, b, (gsize)len, fl, WIP_INFER_NOFF, &end);
    /* 30 | len | 02 | 01 | id | 63 | len | 04 | len | value (10 > 8: none) */
    CHECK(nf == 9);
    if (nf == 9) {
        CHECK(fl[0].offset == 0 && fl[0].width == 1 && fl[0].kind == WIP_F_FIELD);
        CHECK(fl[1].offset == 1 && fl[1].kind == WIP_F_LENGTH && fl[1].len_scale == 1 &&
              fl[1].len_adjust == 2 && b[1] + 2 == len);
        CHECK(fl[4].offset == 4 && fl[4].width == 1);     /* the INTEGER's value */
        CHECK(fl[6].offset == 6 && fl[6].kind == WIP_F_LENGTH && fl[6].len_scale == 0);
        CHECK(end == 9);
    }
    len = make_ber(b, 9, 0x63, 300, 1);
    nf = wip_infer_ber_fields(&m, b, (gsize)len, fl, WIP_INFER_NOFF, &end);
    CHECK(nf >= 4 && fl[1].offset == 1 && fl[1].width == 1 && fl[2].offset == 2 && fl[2].width == 2 &&
          fl[2].kind == WIP_F_LENGTH);                     /* 82 | 2-byte length */
    /* framing by the BER length, long form included */
    CHECK(wip_infer_frame_rule(inf, 1, &m, &r) && r.ber);
    k = make_ber(b + len, 10, 0x61, 5, 0);
    CHECK(wip_infer_frame(&r, b, (gsize)(len + k), &n) == WIP_FRAME_MSG && n == (guint32)len);
    CHECK(wip_infer_frame(&r, b + len, (gsize)k, &n) == WIP_FRAME_MSG && n == (guint32)k);
    CHECK(wip_infer_frame(&r, b, 3, &n) == WIP_FRAME_NEED_MORE);
}

/* Bodies of NUL-separated text arguments. */
static void test_body_fields(void)
{
    wip_field_t fl[8];
    static const guint8 t[] = "HDR!H:host:1\0func\0payload";
    static const guint8 bin[] = "HDR!ab\x01\x02\0cd";
    static const guint8 pad[] = "HDR!ab\0\0cd";
    guint n = wip_infer_body_fields(t, sizeof t - 1, 4, fl, 8);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(fl[0].offset == 4 && fl[0].width == 9);
        CHECK(fl[1].offset == 13 && fl[1].width == 5);
        CHECK(fl[2].offset == 18 && fl[2].width == 7);
    }
    CHECK(wip_infer_body_fields(bin, sizeof bin - 1, 4, fl, 8) == 0);
    CHECK(wip_infer_body_fields(pad, sizeof pad - 1, 4, fl, 8) == 0);
    CHECK(wip_infer_body_fields(t, 12, 4, fl, 8) == 0);     /* no NUL */
    CHECK(wip_infer_body_fields(t, sizeof t - 1, 40, fl, 8) == 0);
}

/* Message kinds: a type byte whose values have layouts of their own (a
 * big-endian length at 2 after a constant, or a constant then a
 * little-endian length at 6); a rare third kind gets the common model. */
static int kind_msg(guint8 *b, int t)
{
    int len = 12 + (int)rnd(48), i;
    for (i = 0; i < len; i++) b[i] = (guint8)rnd(256);
    b[0] = (guint8)t;
    if (t == 1) { put(b + 2, (guint64)len, 2, 1); put(b + 4, 0xA0A1A2A3u, 4, 1); }
    else if (t == 2) { put(b + 2, 0xB0B1, 2, 1); put(b + 6, (guint64)len, 2, 0); }
    return len;
}

static const wip_field_t *field_at(const wip_hdr_model_t *m, wip_fkind_t k, int off)
{
    guint i;
    for (i = 0; i < m->n_fields; i++)
        if (m->f[i].kind == k && m->f[i].offset == off) return &m->f[i];
    return NULL;
}

static void test_kinds(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    guint8 a[64], b[64], c[64];
    const wip_hdr_model_t *common, *ma, *mb, *mc;
    wip_hdr_model_t cm;
    int conv, k, la, lb, lc;
    for (conv = 0; conv < 4; conv++)
        for (k = 0; k < 40; k++) {
            guint8 buf[64];
            int t = k == 20 ? 3 : 1 + (int)rnd(2);
            int len = kind_msg(buf, t);
            wip_infer_learn_msg(inf, (guint32)conv, 1, buf, (gsize)len, 1.7e9 + k);
        }
    la = kind_msg(a, 1);
    lb = kind_msg(b, 2);
    lc = kind_msg(c, 3);
    common = wip_infer_cached(inf, 1, TRUE);
    cm = *common;
    ma = wip_infer_kind_model(inf, 1, common, a, (gsize)la, TRUE);
    CHECK(ma != common);
    check_invariants(ma);
    CHECK(field_at(ma, WIP_F_TYPE, 0) != NULL);
    CHECK(field_at(ma, WIP_F_LENGTH, 2) && field_at(ma, WIP_F_LENGTH, 2)->width == 2 &&
          field_at(ma, WIP_F_LENGTH, 2)->big_endian);
    mb = wip_infer_kind_model(inf, 1, common, b, (gsize)lb, TRUE);
    CHECK(mb != common);
    check_invariants(mb);
    CHECK(field_at(mb, WIP_F_LENGTH, 6) && field_at(mb, WIP_F_LENGTH, 6)->width == 2 &&
          !field_at(mb, WIP_F_LENGTH, 6)->big_endian);
    /* the common model has at most one of the two lengths */
    CHECK(!(field_at(&cm, WIP_F_LENGTH, 2) && field_at(&cm, WIP_F_LENGTH, 6)));
    mc = wip_infer_kind_model(inf, 1, common, c, (gsize)lc, TRUE);
    CHECK(mc == common);   /* 4 messages: too few for a model of its own */
    CHECK(wip_infer_kind_model(inf, 2, common, a, (gsize)la, TRUE) == common);
    CHECK(wip_infer_kind_model(NULL, 1, common, a, (gsize)la, TRUE) == common);
}

/* A kind of widely varying size (MySQL column definitions: length-
 * prefixed names, the same few repeated) gives only the fields whose
 * relation checks their position (here none past the common header):
 * its repeated names look like enum bytes at fixed offsets, but they
 * shift with the names' lengths.  A fixed-size kind (one structure per
 * type) still gives its enum byte. */
static int varkind_msg(guint8 *b, int t, int k)
{
    static const char *names[] = { "id", "name", "ts", "v", "information_schema", "wipdb" };
    int len, i, o;
    b[0] = (guint8)t;
    if (t == 1) {
        len = 16;
        for (i = 3; i < len; i++) b[i] = (guint8)rnd(256);
        b[3] = 0;
        b[4] = 1;
        b[8] = (guint8)(0x10 * (1 + rnd(2)));
    } else {
        for (o = 3, i = 0; i < 3; i++) {
            const char *n = names[(k + i * (1 + (int)rnd(2))) % 6];
            b[o++] = (guint8)strlen(n);
            memcpy(b + o, n, strlen(n));
            o += (int)strlen(n);
        }
        len = o;
    }
    put(b + 1, (guint64)len, 2, 1);
    return len;
}

static void test_variable_kind(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    guint8 a[80], b[80];
    const wip_hdr_model_t *common, *ma, *mb;
    int conv, k, la, lb;
    guint i;
    guint64 saved = rs;   /* the tests after this one see the same numbers */
    for (conv = 0; conv < 4; conv++)
        for (k = 0; k < 40; k++) {
            guint8 buf[80];
            int len = varkind_msg(buf, 1 + (int)rnd(2), k);
            wip_infer_offer(inf, (guint32)conv, 1, buf, (gsize)len, 1.7e9 + k, TRUE);
        }
    la = varkind_msg(a, 1, 0);
    lb = varkind_msg(b, 2, 3);
    common = wip_infer_cached(inf, 1, TRUE);
    dump("variable kind: common", common);
    ma = wip_infer_kind_model(inf, 1, common, a, (gsize)la, TRUE);
    dump("variable kind: fixed kind", ma);
    CHECK(ma != common);
    CHECK(field_at(ma, WIP_F_TYPE, 8) != NULL);   /* the fixed kind's enum byte */
    mb = wip_infer_kind_model(inf, 1, common, b, (gsize)lb, TRUE);
    dump("variable kind: variable kind", mb);
    check_invariants(mb);
    CHECK(mb != common);
    for (i = 0; i < mb->n_fields; i++) {   /* the common model's fields, its constants, lengths */
        const wip_field_t *f = &mb->f[i], *g = field_at(common, f->kind, f->offset);
        CHECK((g && g->width == f->width) || f->kind == WIP_F_MAGIC || f->kind == WIP_F_LENGTH ||
              (f->kind == WIP_F_TYPE && f->offset == 0));   /* its type byte */
    }
    rs = saved;
}

/* No boundaries without evidence: magic, length, 10 random bytes, a type
 * byte (5 values), 7 random bytes, a byte of 2 values, random bytes.  The
 * random run before the type is one field (not 8 + 2 bytes), and after
 * the type (the last field with a meaning) the rest up to the 2-valued
 * byte is one field too (not 4 + 2 + 1 + 1 bytes). */
static gboolean inner_bound(int b)
{
    return (b > 4 && b < 14) || (b > 15 && b < 23);
}

static void test_trailing_untyped(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t mm, *m = &mm;
    guint i;
    int conv, k, j;
    for (conv = 0; conv < 6; conv++)
        for (k = 0; k < 30; k++) {
            guint8 buf[128];
            int len = 30 + (int)rnd(60);
            buf[0] = 0xCA; buf[1] = 0xFE;
            put(buf + 2, (guint64)len, 2, 1);
            for (j = 4; j < len; j++) buf[j] = (guint8)rnd(256);
            buf[14] = (guint8)(1 + rnd(5));
            buf[22] = (guint8)(1 + rnd(2));
            wip_infer_learn_msg(inf, (guint32)conv, 1, buf, (gsize)len, 1.7e9 + k);
        }
    wip_infer_model(inf, 1, m);
    dump("no boundary without evidence", m);
    check_invariants(m);
    CHECK(field_at(m, WIP_F_LENGTH, 2) != NULL);
    CHECK(field_at(m, WIP_F_TYPE, 14) != NULL);
    for (i = 0; i < m->n_fields; i++) {
        CHECK(!inner_bound(m->f[i].offset));
        CHECK(!inner_bound(m->f[i].offset + m->f[i].width));
    }
}

/* Issue 12 semantics.  X11-like, little endian: requests lead with an
 * opcode of ~30 values (more than an enum byte's 16), then a detail byte
 * mostly 0, a 2-byte length in 4-byte units; replies (1) carry a 2-byte
 * sequence number of the request they answer (requests without a reply
 * are skipped, so the step varies) whose high byte is mostly 0 (one
 * conversation passes 255) like the request length's beside it, and some
 * events (other first byte).  And an echoed 4-byte id whose high bytes stay the same
 * within a conversation (a base plus a counter). */
static int x11ish_req(guint8 *b, int op)
{
    int units = 1 + (int)rnd(6), i;
    b[0] = (guint8)op;
    b[1] = rnd(4) ? 0 : (guint8)rnd(8);
    put(b + 2, (guint64)units, 2, 0);
    for (i = 4; i < units * 4; i++) b[i] = (guint8)rnd(256);
    return units * 4;
}

static int x11ish_reply(guint8 *b, guint16 seq)
{
    int i, len = 32 + 4 * (int)rnd(4);
    b[0] = 1;
    b[1] = rnd(4) ? 0 : (guint8)rnd(3);
    if (!rnd(7)) {   /* an event: another layout */
        b[0] = (guint8)(2 + rnd(30));
        for (i = 1; i < len; i++) b[i] = (guint8)rnd(256);
        put(b + 2, seq, 2, 0);
        if (!rnd(3))
            b[3] = (guint8)rnd(256);   /* a buffer not framed right */
        return len;
    }
    put(b + 2, seq, 2, 0);
    put(b + 4, (guint64)(len - 32) / 4, 4, 0);
    for (i = 8; i < len; i++) b[i] = (guint8)rnd(256);
    return len;
}

static void test_semantics(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[512];
    int c, i, dir;
    for (c = 0; c < 6; c++) {
        guint16 seq = 0;
        for (i = 0; i < (c ? 30 : 330); i++) {   /* one long: its sequence passes 255 */
            int op = 1 + (int)(rnd(30) * rnd(30) / 30);   /* some opcodes more often */
            seq++;
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)x11ish_req(b, op), 1.7e9 + c);
            if (rnd(2))
                wip_infer_learn_msg(inf, (guint32)c, 2, b, (gsize)x11ish_reply(b, seq), 1.7e9 + c);
        }
    }
    wip_infer_model(inf, 1, &m);
    dump("x11-like requests:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_TYPE);
    CHECK(f && f->offset == 0 && f->width == 1);
    f = find(&m, WIP_F_LENGTH);
    CHECK(f && f->offset == 2 && f->width == 2 && !f->big_endian);
    wip_infer_model(inf, 2, &m);
    dump("x11-like replies:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_SEQ);
    CHECK(f && f->offset == 2 && f->width == 2 && !f->big_endian);

    inf = wip_infer_init(mem);
    for (c = 0; c < 4; c++) {
        /* both peers send requests, each with ids of its own (a few high
         * bits, then random, counting up); the other peer answers */
        guint32 id[2] = { 0x0d000000u + rnd(0xffffff), 0x0e000000u + rnd(0xffffff) };
        for (i = 0; i < 8; i++) {
            int peer = i & 1, r;
            for (r = 0; r < 2; r++) {
                int len = 24 + 4 * (int)rnd(8), k;
                dir = (peer ^ r) + 1;
                put(b, 0x01, 1, 1);
                put(b + 1, (guint64)len, 3, 1);
                b[4] = r ? 0x00 : 0x80;
                put(b + 5, 0x0101 + (i & 2), 3, 1);
                put(b + 8, 0, 4, 1);
                put(b + 12, id[peer], 4, 1);
                for (k = 16; k < len; k++) b[k] = (guint8)rnd(256);
                wip_infer_learn_msg(inf, (guint32)c, dir, b, (gsize)len, 1.7e9 + c);
            }
            id[peer]++;
        }
    }
    for (dir = 1; dir <= 2; dir++) {
        wip_infer_model(inf, dir, &m);
        dump(dir == 1 ? "echoed id, requests:" : "echoed id, answers:", &m);
        check_invariants(&m);
        f = find(&m, WIP_F_TXID);
        CHECK(f && f->offset == 12 && f->width == 4 && f->big_endian);
    }
}

/* Issue 12, precision.  Sparse data: after a little-endian header (type,
 * zero byte, 2-byte counter, 4-byte length, 4 varying bytes), bytes 12..32
 * are zero in most messages, some of them (12, 18, 24, 30) set in a few
 * (what is a field in one reply is padding in another): no boundary inside
 * (one span, here joined with the varying bytes before it).  Bytes that
 * are always zero stay constants of a word each (several zero-valued
 * fields, as in ONC RPC's credentials), also at the edge of a sparse run
 * (shape 2: words 12 and 16 always zero, then sparse bytes 20..32, as in
 * NTP client requests whose timestamps only some clients fill). */
enum { SPARSE_ALL, SPARSE_ZERO, SPARSE_LEAD_ZERO };

static int sparse_msg(guint8 *b, guint16 seq, int shape)
{
    int len = 32 + 4 * (int)rnd(3), i;
    memset(b, 0, (gsize)len);
    b[0] = (guint8)(1 + rnd(3));
    put(b + 2, seq, 2, 0);
    put(b + 4, (guint64)len, 4, 0);
    for (i = 8; i < 12; i++) b[i] = (guint8)rnd(256);
    for (i = 32; i < len; i++) b[i] = (guint8)rnd(256);
    if (shape != SPARSE_ZERO)
        for (i = shape == SPARSE_ALL ? 12 : 20; i < 32; i += shape == SPARSE_ALL ? 6 : 4)
            if (!rnd(8)) b[i] = (guint8)(1 + rnd(200));
    return len;
}

static void test_sparse(void *mem)
{
    wip_hdr_model_t m;
    guint8 b[64];
    guint i;
    int z, c, k;
    for (z = SPARSE_ALL; z <= SPARSE_LEAD_ZERO; z++) {
        wip_infer_t *inf = wip_infer_init(mem);
        int lo = z == SPARSE_LEAD_ZERO ? 20 : 12;
        for (c = 0; c < 5; c++)
            for (k = 0; k < 30; k++)
                wip_infer_learn_msg(inf, (guint32)c, 2, b, (gsize)sparse_msg(b, (guint16)(k + 1), z), 1.7e9);
        wip_infer_model(inf, 2, &m);
        dump(z == SPARSE_ZERO ? "zero fields:" : z == SPARSE_ALL ? "sparse padding:" : "zero words, then sparse:", &m);
        check_invariants(&m);
        CHECK(field_at(&m, WIP_F_LENGTH, 4) != NULL);
        if (z != SPARSE_ALL) {   /* zero constants: one per word */
            CHECK(field_at(&m, WIP_F_MAGIC, 12) && field_at(&m, WIP_F_MAGIC, 12)->width == 4);
            CHECK(field_at(&m, WIP_F_MAGIC, 16) && field_at(&m, WIP_F_MAGIC, 16)->width == 4);
            if (z == SPARSE_ZERO)
                continue;
        }
        CHECK(m.hdr_len >= 32);
        for (i = 0; i < m.n_fields; i++) {   /* one span: no boundary inside */
            CHECK(m.f[i].offset <= lo || m.f[i].offset >= 32);
            CHECK(m.f[i].offset + m.f[i].width <= lo || m.f[i].offset + m.f[i].width >= 32);
        }
    }
}

/* Bytes that change together are one number: a big-endian 2-byte id
 * assigned by the conversation's second message (both bytes change then,
 * and never again), another assigned by its fourth, then a 2-byte counter.
 * Each id is one 2-byte field (not a 1-byte "type" plus a byte), and the
 * boundary between them (they change at different times) is kept. */
static void test_together(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[64];
    guint i;
    int c, k;
    for (c = 0; c < 6; c++) {
        guint16 id1 = (guint16)(0x0101 + rnd(0xfe00)), id2 = (guint16)(0x0101 + rnd(0xfe00));
        for (k = 0; k < 5; k++) {
            int len = 12 + (int)rnd(20), j;
            b[0] = 0xC8; b[1] = 0x02;
            put(b + 2, (guint64)len, 2, 1);
            put(b + 4, k >= 1 ? id1 : 0, 2, 1);
            put(b + 6, k >= 3 ? id2 : 0, 2, 1);
            put(b + 8, (guint64)k, 2, 1);
            for (j = 10; j < len; j++) b[j] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
        }
    }
    wip_infer_model(inf, 1, &m);
    dump("ids changing together:", &m);
    check_invariants(&m);
    for (i = 0; i < m.n_fields; i++) {
        const wip_field_t *f = &m.f[i];
        CHECK(f->offset != 5 && f->offset != 7 && f->offset + f->width != 5 && f->offset + f->width != 7);
        CHECK(!(f->kind == WIP_F_TYPE && f->width == 1 && f->offset >= 4 && f->offset < 8));
    }
    CHECK(m.n_fields > 0);
    for (i = 0; i < m.n_fields; i++)
        if (m.f[i].offset + m.f[i].width == 6) break;
    CHECK(i < m.n_fields);   /* the boundary between the two ids */
}

/* ... but only inside an aligned 16-bit word: where a type byte changes,
 * the layout after it changes too, so the next byte changes with it (a
 * TFTP-like reader: big-endian opcode 00 01 = read request + file name,
 * then 00 04 = acknowledgement + block number; RFC 1350).  Bytes 1 and 2
 * change together in every pair where either changes, yet they belong to
 * two fields: no field joins them. */
static void test_together_unaligned(void *mem)
{
    static const char *names[4] = { "a.bin", "log.txt", "zz", "q" };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[64];
    guint i;
    int c, k;
    for (c = 0; c < 8; c++)
        for (k = 0; k < 2 + c % 5; k++) {
            int len = 4;
            b[0] = 0;
            b[1] = k == 0 ? 1 : 4;
            if (k == 0)
                len = 2 + g_snprintf((char *)b + 2, 40, "%s%c%s", names[c % 4], 0, "octet") + 1;
            else
                put(b + 2, (guint64)k, 2, 1);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
            b[1] = 3;   /* the server's data block k + 1 */
            put(b + 2, (guint64)k + 1, 2, 1);
            wip_infer_learn_msg(inf, (guint32)c, 2, b, 4, 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("opcode across a word boundary:", &m);
    check_invariants(&m);
    for (i = 0; i < m.n_fields; i++)
        CHECK(m.f[i].offset >= 2 || m.f[i].offset + m.f[i].width <= 2);
}

/* Issue 12, -2 never below one pass.  A server's messages 00 op 00 blk
 * (TFTP, RFC 1350: a 2-byte opcode, then a 2-byte block number counting
 * up from 1): data blocks (op 3) in most conversations, acknowledgements
 * (op 4, from block 0) in one, an error (op 5) ending another.  Once the
 * opcode varies between conversations, the 32-bit window 00 op 00 blk
 * still steps by one: a non-zero byte above a zero one is no high byte of
 * that counter (a counter with small low bytes has zero high bytes), so
 * the number stays at 2:2, apart from the opcode. */
static void test_counter_high_zero(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[64];
    guint i;
    int c, k, found = 0;
    for (c = 0; c < 6; c++)
        for (k = 0; k < 3 + c % 3; k++) {
            gsize len = 4;
            b[0] = 0;
            b[1] = c == 4 ? 4 : 3;
            put(b + 2, (guint64)(c == 4 ? k : k + 1), 2, 1);
            if (c == 5 && k == 0) {
                b[1] = 5;
                len = 2 + (gsize)g_snprintf((char *)b + 4, 40, "File not found") + 1;
            }
            wip_infer_learn_msg(inf, (guint32)c, 2, b, len, 1.7e9);
        }
    wip_infer_model(inf, 2, &m);
    dump("counter after an opcode:", &m);
    check_invariants(&m);
    for (i = 0; i < m.n_fields; i++) {
        CHECK(m.f[i].offset >= 2 || m.f[i].offset + m.f[i].width <= 2);
        found |= m.f[i].offset == 2 && m.f[i].width == 2;
    }
    CHECK(found);
}

/* A big-endian length prefix (a transport's record marker, as NetBIOS
 * session service's before SMB2, RFC 1002 section 4.3.1 / MS-SMB2 2.1)
 * before a little-endian body: the prefix's order says nothing of the
 * body's when the body's own numbers give an order (here the 8-byte
 * message id and two other counters, past a multiple of 256 in each conversation).  The 2-byte command after the zero status is
 * read little-endian: 16:2, not 15:2 big-endian over the status's zero. */
static void test_prefix_order(void *mem)
{
    static const guint8 cmds[5] = { 5, 6, 8, 9, 14 };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[200];
    guint i;
    int c, k, found = 0;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 12; k++) {
            int len = 64 + 8 * (int)rnd(40);
            memset(b, 0, sizeof b);
            put(b, (guint64)(len - 4), 4, 1);
            b[4] = 0xfe; b[5] = 'S'; b[6] = 'M'; b[7] = 'B';
            put(b + 8, 64, 2, 0);
            put(b + 10, 1, 2, 0);
            put(b + 16, cmds[rnd(5)], 2, 0);
            put(b + 18, 1 + rnd(3), 2, 0);
            put(b + 28, (guint64)(250 + 256 * c + k), 8, 0);
            put(b + 36, (guint64)(252 + 512 * c + k), 4, 0);   /* other counters */
            put(b + 44, (guint64)(251 + 768 * c + k), 4, 0);
            put(b + 40, 0x1000u + (guint64)c, 4, 0);
            for (i = 48; i < (guint)len; i++) b[i] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("BE prefix, LE body:", &m);
    check_invariants(&m);
    for (i = 0; i < m.n_fields; i++) {
        if (m.f[i].kind == WIP_F_LENGTH)
            CHECK(m.f[i].offset + m.f[i].width == 4 && m.f[i].big_endian);
        if (m.f[i].kind == WIP_F_TYPE)
            found |= m.f[i].offset == 16 && m.f[i].width == 2 && !m.f[i].big_endian;
    }
    CHECK(found);
}

/* Big endian numbers whose high bytes are small constants: a 1-byte flags
 * field, then a 24-bit code 00 01 xx filling the word (Diameter's command
 * code, RFC 6733 section 3; then a zero application id) is one 3-byte
 * field, not a 2-byte constant plus a byte.  A version byte 02 before a varying type byte is no high byte (a
 * number's most significant byte would be zero): the boundary stays. */
static void test_const_high_bytes(void *mem)
{
    static const guint8 codes[4] = { 0x01, 0x1a, 0x18, 0x16 };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[1100];
    guint i;
    int c, k, j, cut = 0;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 12; k++) {
            int len = 24 + 4 * (int)rnd(260);
            b[0] = 0x01;
            put(b + 1, (guint64)len, 3, 1);
            b[4] = (k & 1) ? 0x00 : 0x80;
            put(b + 5, 0x000100u | codes[rnd(4)], 3, 1);
            put(b + 8, 0, 4, 1);   /* an application id 0 */
            b[12] = 0x02;
            b[13] = (guint8)(1 + rnd(5));
            for (j = 14; j < len; j++) b[j] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("24-bit code after flags:", &m);
    check_invariants(&m);
    for (i = 0; i < m.n_fields; i++) {
        const wip_field_t *f = &m.f[i];
        CHECK(f->offset != 6 && f->offset != 7 && f->offset + f->width != 6 && f->offset + f->width != 7);
        cut |= f->offset == 13 || f->offset + f->width == 13;
    }
    CHECK(cut);
    for (i = 0; i < m.n_fields && m.f[i].offset != 5; i++) ;
    CHECK(i < m.n_fields && m.f[i].width == 3 && m.f[i].big_endian);
}

/* The field of model m that holds byte o, or NULL. */
static const wip_field_t *field_over(const wip_hdr_model_t *m, int o)
{
    guint i;
    for (i = 0; i < m->n_fields; i++)
        if (m->f[i].offset <= o && o < m->f[i].offset + m->f[i].width)
            return &m->f[i];
    return NULL;
}

/* TFTP (RFC 1350): a 2-byte big-endian opcode 00 op, then a block number
 * (the acknowledgement echoes the data block's, a request/reply relation
 * of bytes 2 and 3) or a file name.  The zero byte and the small enum in
 * one aligned 16-bit word are one 2-byte type at 0, not a constant, a
 * byte and a "type" on the echoed block number. */
static void tftp_msg(wip_infer_t *inf, int c, int d, guint8 op, guint16 blk, const char *text)
{
    guint8 b[600];
    int n = 4, i;
    b[0] = 0;
    b[1] = op;
    put(b + 2, blk, 2, 1);
    if (text) {
        n = 2 + g_snprintf((char *)b + 2, 60, "%s", text) + 1;
        if (op < 3)
            n += g_snprintf((char *)b + n, 40, "octet") + 1;
    } else if (op == 3)
        for (n = 4, i = (int)rnd(512); n < 4 + i; n++) b[n] = (guint8)rnd(256);
    wip_infer_learn_msg(inf, (guint32)c, d, b, (gsize)n, 1.7e9);
}

static void test_word_enum_type(void *mem)
{
    static const char *names[8] = { "small.txt", "gpl3.txt", "exact1k", "boot/x", "upload", "nosuch", "fw.bin", "cfg" };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    int c, k;
    for (c = 0; c < 8; c++) {
        int nb = 1 + (c * 5) % 6, up = c % 4 == 3;
        if (c % 4 == 1) {
            /* a file that is not there: the request twice, an error */
            tftp_msg(inf, c, 1, 1, 0, names[c]);
            tftp_msg(inf, c, 1, 1, 0, names[c]);
            {
                guint8 b[40];
                int n;
                b[0] = 0; b[1] = 5; b[2] = 0; b[3] = 1;
                n = 4 + g_snprintf((char *)b + 4, 30, "File not found") + 1;
                wip_infer_learn_msg(inf, (guint32)c, 2, b, (gsize)n, 1.7e9);
            }
            tftp_msg(inf, c, 1, 4, 1, NULL);
            continue;
        }
        tftp_msg(inf, c, 1, up ? 2 : 1, 0, names[c]);
        if (up)
            tftp_msg(inf, c, 2, 4, 0, NULL);
        for (k = 1; k <= nb; k++) {
            tftp_msg(inf, c, up ? 1 : 2, 3, (guint16)k, NULL);
            tftp_msg(inf, c, up ? 2 : 1, 4, (guint16)k, NULL);
        }
    }
    wip_infer_model(inf, 1, &m);
    dump("2-byte opcode 00 op:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_TYPE);
    CHECK(f && f->offset == 0 && f->width == 2 && f->big_endian);
}

/* The server's side of short TFTP transfers: its opcode changes only
 * between transfers (data, acknowledgements of an upload, an error), the
 * block numbers are too few to count: no byte order known, yet the aligned
 * words 00 op and 00 blk are numbers (big endian, as their zero bytes
 * say), not zero constants and single bytes. */
static void test_zero_words(void *mem)
{
    static const guint8 ops[8] = { 3, 3, 4, 3, 5, 3, 4, 3 };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[8];
    int c, k;
    for (c = 0; c < 8; c++)
        for (k = 0; k < 2; k++) {
            b[0] = 0; b[1] = ops[c]; b[2] = 0; b[3] = (guint8)(rnd(3) + (ops[c] != 4));
            wip_infer_learn_msg(inf, (guint32)c, 2, b, 4, 1.7e9);
        }
    wip_infer_model(inf, 2, &m);
    dump("zero-led words, no order:", &m);
    check_invariants(&m);
    f = field_over(&m, 1);
    CHECK(f && f->offset == 0 && f->width == 2 && f->big_endian);
    f = field_over(&m, 3);
    CHECK(f && f->offset == 2 && f->width == 2 && f->big_endian);
}

/* Naturally aligned numbers (MS-SMB2 2.2.1: after the 4-byte NetBIOS
 * length, a little-endian header with 2-byte fields at even and 4-byte
 * ones at multiple-of-4 offsets).  A small enum at 10 followed by zeros
 * (credit charge 10:2, then a zero status 12:4) is 10:2, not 10:4; the
 * credits 18:2 (both bytes vary) and the flags 20:4 (a varying low byte,
 * zero high bytes) stay two fields, not 18:4 + ...; the command 16:2 the
 * reply echoes is the type, not the credit charge the reply echoes too. */
static void test_aligned_words(void *mem)
{
    static const guint8 cmds[12] = { 0, 1, 3, 5, 6, 8, 9, 11, 14, 16, 17, 18 };
    static const guint16 credits[4] = { 1, 31, 256, 512 };
    static const guint8 flags[3] = { 0, 0x10, 0x08 };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[300];
    int c, k, d, i;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 24; k++) {
            guint8 cmd = cmds[rnd(12)], cc = (guint8)(k % 7 == 0 ? 0 : 1);
            for (d = 1; d <= 2; d++) {
                int len = 64 + (int)rnd(200);
                memset(b, 0, sizeof b);
                put(b, (guint64)(len - 4), 4, 1);
                b[4] = 0xfe; b[5] = 'S'; b[6] = 'M'; b[7] = 'B';
                put(b + 8, 64, 2, 0);
                b[10] = cc;
                b[16] = cmd;
                put(b + 18, credits[rnd(4)], 2, 0);
                b[20] = (guint8)(flags[rnd(3)] | (d == 2));
                /* the message id, a little-endian counter past 256 */
                put(b + 28, (guint64)(250 + 256 * c + k), 8, 0);
                put(b + 40, 0x1000u + (guint64)c, 4, 0);
                for (i = 48; i < len; i++) b[i] = (guint8)rnd(256);
                wip_infer_learn_msg(inf, (guint32)c, d, b, (gsize)len, 1.7e9);
            }
        }
    wip_infer_model(inf, 1, &m);
    dump("aligned LE words:", &m);
    check_invariants(&m);
    f = field_over(&m, 10);
    CHECK(f && f->offset == 10 && f->width == 2);
    f = field_over(&m, 20);
    CHECK(f && f->offset == 20 && f->width == 4 && !f->big_endian);
    f = field_over(&m, 18);
    CHECK(f && f->offset == 18 && f->offset + f->width <= 20);
    f = find(&m, WIP_F_TYPE);
    CHECK(f && f->offset == 16 && f->width == 2 && !f->big_endian);
}

/* The type's zero high bytes, aligned: a little-endian header (4-byte
 * length, 4-byte counter), version 07 00, then an opcode byte at 10 and
 * zeros 11..15: a 2-byte opcode at 10 (a 4-byte one would start at 8 or
 * 12), then a zero word. */
static void test_aligned_type(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[400];
    int c, k, i;
    for (c = 0; c < 4; c++) {
        guint32 seq = rnd(200);
        for (k = 0; k < 16; k++) {
            int len = 16 + (int)rnd(300);
            memset(b, 0, 16);
            put(b, (guint64)len, 4, 0);
            put(b + 4, seq++, 4, 0);
            b[8] = 7;
            b[10] = (guint8)(1 + rnd(8));
            for (i = 16; i < len; i++) b[i] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
        }
    }
    wip_infer_model(inf, 1, &m);
    dump("aligned LE type:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_TYPE);
    CHECK(f && f->offset == 10 && f->width == 2 && !f->big_endian);
}

/* MySQL (client/server protocol, packet header): a 3-byte little-endian
 * payload length, then a sequence id that is 0 in most client packets
 * (each command starts a new sequence) and 1 in some.  The 4-byte reading
 * of the length fails wherever the id is not 0: the length is 0:3. */
static void test_3byte_len_mostly_zero(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[700];
    int c, k, i;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 12; k++) {
            int body = 1 + (int)rnd(500);
            put(b, (guint64)body, 3, 0);
            b[3] = (guint8)(k % 6 == 5);
            b[4] = (guint8)(k % 6 == 5 ? 0x20 + rnd(64) : 1 + rnd(3));
            for (i = 5; i < 4 + body; i++) b[i] = (guint8)(0x20 + rnd(90));
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)(4 + body), 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("3-byte LE length, id 0:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_LENGTH);
    CHECK(f && f->offset == 0 && f->width == 3 && !f->big_endian && f->len_adjust == 4);
}

/* A packed header laid out around its length (AMQP 0-9-1 frames, section
 * 4.2.3: type 1 byte, channel 2 bytes, size 4 bytes, all big endian):
 * the channel 00 0n at offset 1 ends where the length starts, so it is
 * aligned to it: one 2-byte number, not a zero constant and a byte.  It
 * has fewer values than the type byte before it: no 2-byte opcode. */
static void test_packed_around_length(void *mem)
{
    static const guint8 types[4] = { 1, 2, 3, 8 };
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[400];
    int c, k, i;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 16; k++) {
            int body = 4 + (int)rnd(300);
            b[0] = types[rnd(4)];
            put(b + 1, (guint64)rnd(3), 2, 1);
            put(b + 3, (guint64)body, 4, 1);
            for (i = 7; i < 7 + body; i++) b[i] = (guint8)rnd(256);
            b[7 + body] = 0xce;
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)(8 + body), 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("packed around the length:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_LENGTH);
    CHECK(f && f->offset == 3 && f->width == 4 && f->big_endian);
    f = field_over(&m, 2);
    CHECK(f && f->offset == 1 && f->width == 2 && f->big_endian);
    /* the channel (3 values) after the frame type (4): no 2-byte opcode */
    f = find(&m, WIP_F_TYPE);
    CHECK(f && f->offset == 0 && f->width == 1);
}

/* Diameter AVPs (RFC 6733 4.1): code 4 bytes, flags 1 byte, length 3
 * bytes (00 00 xx for short AVPs), then data.  The length's varying byte
 * ends its word; the data after it, varying too, is no part of it: 25:3
 * (a 3-byte number after a 1-byte field), not a zero constant. */
static void test_3byte_after_flags(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[200];
    int c, k, i;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 16; k++) {
            int len = 40 + 4 * (int)rnd(30), alen = 12 + (int)rnd(20);
            b[0] = 1;
            put(b + 1, (guint64)len, 3, 1);
            for (i = 4; i < 20; i++) b[i] = (guint8)rnd(256);
            put(b + 20, 0x108, 4, 1);
            b[24] = 0x40;
            put(b + 25, (guint64)alen, 3, 1);
            for (i = 28; i < len; i++) b[i] = (guint8)(0x61 + rnd(26));
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9);
        }
    wip_infer_model(inf, 1, &m);
    dump("3-byte AVP length:", &m);
    check_invariants(&m);
    f = field_over(&m, 27);
    CHECK(f && f->offset == 25 && f->width == 3 && f->big_endian);
}

/* A kind's type byte with a zero byte before it at an odd offset (a
 * version 01 00, then the kind byte at 4 and zeros): not 3:2 big endian
 * across the version's word, the kind byte alone (2-byte numbers are
 * aligned, MS-SMB2 2.2.1's credit request after its command). */
static void test_kind_type_aligned(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    const wip_hdr_model_t *common, *mk;
    guint8 buf[80];
    int conv, k, i, len = 0;
    for (conv = 0; conv < 4; conv++)
        for (k = 0; k < 40; k++) {
            int t = 1 + (int)rnd(2);
            len = 16 + (int)rnd(60);
            for (i = 0; i < len; i++) buf[i] = (guint8)rnd(256);
            put(buf, (guint64)len, 2, 1);
            buf[2] = 1; buf[3] = 0; buf[4] = (guint8)t; buf[5] = buf[6] = buf[7] = 0;
            put(buf + (t == 1 ? 8 : 12), 0xA0A1A2A3u, 4, 1);
            wip_infer_learn_msg(inf, (guint32)conv, 1, buf, (gsize)len, 1.7e9 + k);
        }
    common = wip_infer_cached(inf, 1, TRUE);
    mk = wip_infer_kind_model(inf, 1, common, buf, (gsize)len, TRUE);
    CHECK(mk != common);
    dump("kind type after 01 00:", mk);
    check_invariants(mk);
    CHECK(field_over(mk, 4) && field_over(mk, 4)->offset == 4);
    CHECK(!field_over(mk, 3) || field_over(mk, 3)->offset + field_over(mk, 3)->width <= 4);
}

/* Is there a field boundary strictly inside (a, b)? */
static gboolean cut_inside(const wip_hdr_model_t *m, int a, int b)
{
    guint i;
    for (i = 0; i < m->n_fields; i++) {
        int s = m->f[i].offset, e = s + m->f[i].width;
        if ((s > a && s < b) || (e > a && e < b))
            return TRUE;
    }
    return FALSE;
}

/* Text is one string span: (a) a query after a 4-byte header (few first
 * words: its first bytes look like an enum); (b) TFTP-like: a file name
 * in a third of the requests where the others (ACKs) have the 2-byte
 * block number that the replies (DATA) carry too; (c) a fixed 24-byte
 * UTF-16LE name (its zero high bytes constant) before binary fields;
 * (d) a printable type byte ('A'..'D', the reply's | 0x80) before a
 * question the answer repeats: a type, then a string (no ids). */
static int text_msg(guint8 *b, int kind, int k)
{
    static const char *w[4] = { "SELECT ", "select ", "SHOW DB", "show db" };   /* 7 bytes each */
    int len, i, n;
    if (kind == 1) {
        b[0] = 0; b[1] = k % 3 == 0 ? 1 : 4;
        if (b[1] == 4) { put(b + 2, (guint64)(k / 3 + 1), 2, 1); return 4; }
        static const char *f[3] = { "file.bin", "test.txt", "data" };
        const char *name = f[rnd(3)];
        n = (int)strlen(name);
        memcpy(b + 2, name, (size_t)n);
        memcpy(b + 2 + n, "\0octet\0", 7);
        return 2 + n + 7;
    }
    if (kind == 3) {   /* a printable type the reply answers, then text */
        b[0] = (guint8)('A' + rnd(4));
        n = 8 + (int)rnd(30);
        for (i = 1; i <= n; i++) b[i] = (guint8)('a' + rnd(26));
        return n + 1;
    }
    if (kind == 2) {
        put(b, 1 + rnd(3), 2, 0);
        for (i = 0; i < 12; i++) { b[4 + 2 * i] = (guint8)('A' + rnd(26)); b[5 + 2 * i] = 0; }
        len = 32 + (int)rnd(40);
        for (i = 28; i < len; i++) b[i] = (guint8)rnd(256);
        put(b + 2, (guint64)len, 2, 0);
        return len;
    }
    b[0] = (guint8)(1 + rnd(3)); b[1] = 0;
    memcpy(b + 4, w[rnd(4)], 7);
    n = 20 + (int)rnd(40);
    for (i = 7; i < n; i++) b[4 + i] = (guint8)(i % 6 == 0 ? ' ' : 'a' + rnd(26));
    b[4 + n] = 0;
    len = 5 + n;
    put(b + 2, (guint64)len, 2, 1);
    return len;
}

static void test_text(void *mem)
{
    wip_hdr_model_t m;
    guint8 b[128];
    guint i;
    int kind, c, k;
    for (kind = 0; kind < 4; kind++) {
        wip_infer_t *inf = wip_infer_init(mem);
        int a = kind == 1 ? 2 : kind == 3 ? 1 : 4, e = kind == 1 ? 4 : kind == 2 ? 28 : kind == 3 ? 9 : 24;
        for (c = 0; c < 4; c++)
            for (k = 0; k < 24; k++) {
                int len = text_msg(b, kind, k);
                wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9 + k);
                if (kind == 3) {   /* the answer repeats the question */
                    b[0] |= 0x80;
                    wip_infer_learn_msg(inf, (guint32)c, 2, b, (gsize)len, 1.7e9 + k);
                }
                if (kind != 1)
                    continue;
                b[0] = 0; b[1] = 3;   /* DATA: the block number (the next one after an ACK) */
                put(b + 2, (guint64)(k / 3 + 1 + (k % 3 != 0)), 2, 1);
                for (i = 4; i < 36; i++) b[i] = (guint8)rnd(256);
                wip_infer_learn_msg(inf, (guint32)c, 2, b, 36, 1.7e9 + k);
            }
        wip_infer_model(inf, 1, &m);
        dump(kind == 0 ? "query text:" : kind == 1 ? "names in a third:" : kind == 2 ? "UTF-16LE name:" :
             "printable type, text:", &m);
        if (kind == 3)
            CHECK(field_at(&m, WIP_F_TYPE, 0) != NULL);
        check_invariants(&m);
        CHECK(!cut_inside(&m, a, e));
        if (kind != 2)   /* a string to the end of the region ends the header */
            CHECK(m.hdr_len <= a);
        for (i = 0; i < m.n_fields; i++)
            CHECK(m.f[i].offset < a || m.f[i].offset >= e || m.f[i].kind == WIP_F_FIELD);
    }
}

/* Constants take their real widths: a marker of 16 0xFF bytes is one
 * field (BGP, RFC 4271); a run of constants is cut at its naturally
 * aligned words (a zero byte at 19, then a 4-byte constant at 20, not 4
 * bytes from 19); a run of printable constants ("def") is one field. */
static void test_const_width(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[128];
    const wip_field_t *f;
    int c, k, j;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 16; k++) {
            int len = 32 + (int)rnd(80);
            memset(b, 0xff, 16);
            put(b + 16, (guint64)len, 2, 1);
            b[18] = (guint8)(1 + rnd(4));
            put(b + 19, 0x00000001u, 5, 1);
            memcpy(b + 24, "def", 3);
            for (j = 27; j < len; j++) b[j] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, (guint32)c, 1, b, (gsize)len, 1.7e9 + k);
        }
    wip_infer_model(inf, 1, &m);
    dump("marker, aligned, ASCII consts:", &m);
    check_invariants(&m);
    f = field_at(&m, WIP_F_MAGIC, 0);
    CHECK(f && f->width == 16);
    f = field_at(&m, WIP_F_MAGIC, 19);
    CHECK(f && f->width == 1);
    f = field_at(&m, WIP_F_MAGIC, 20);
    CHECK(f && f->width == 4 && f->magic == 1);
    f = field_at(&m, WIP_F_MAGIC, 24);
    CHECK(f && f->width == 3);
    /* a packed header: 4 constant bytes at 10, between a counter and a
     * changing body, are one field, not two aligned halves */
    inf = wip_infer_init(mem);
    for (c = 0; c < 2; c++)
        for (k = 0; k < 16; k++) {
            int len = 24 + (int)rnd(40);
            put(b, 0xc0de, 2, 1);
            b[2] = (guint8)(1 + rnd(3));
            put(b + 3, (guint64)len, 2, 1);
            b[5] = (guint8)(1 + rnd(4));
            put(b + 6, (guint64)(k + 1), 4, 1);
            put(b + 10, 0x7f8ddaafu, 4, 1);
            for (j = 14; j < len; j++) b[j] = (guint8)rnd(256);
            wip_infer_learn_msg(inf, 7, 1, b, (gsize)len, 1.7e9 + k);
        }
    wip_infer_model(inf, 1, &m);
    dump("packed 4-byte constant at 10:", &m);
    check_invariants(&m);
    f = field_over(&m, 10);
    CHECK(f && f->offset == 10 && f->width == 4);
}

/* Twenty binary bytes the answer repeats (a question, a key) are more
 * than ids hold: one echoed span, not ids of 8 + 8 + 4 bytes. */
static void test_echo_span(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[64];
    guint i;
    int c, k, j, d;
    for (c = 0; c < 4; c++)
        for (k = 0; k < 16; k++) {
            b[0] = (guint8)(1 + rnd(3));
            for (j = 1; j < 21; j++) b[j] = (guint8)rnd(256);
            for (j = 21; j < 24; j++) b[j] = (guint8)rnd(256);
            for (d = 1; d <= 2; d++) {
                if (d == 2) {
                    b[0] |= 0x80;
                    for (j = 21; j < 24; j++) b[j] = (guint8)rnd(256);
                }
                wip_infer_learn_msg(inf, (guint32)c, d, b, 24, 1.7e9 + k);
            }
        }
    wip_infer_model(inf, 1, &m);
    dump("20 echoed bytes:", &m);
    check_invariants(&m);
    for (i = 0; i < m.n_fields; i++)
        CHECK(m.f[i].kind != WIP_F_TXID);
    CHECK(!cut_inside(&m, 1, 21));
}

/* NTP server replies (RFC 5905 7.3): mode byte, stratum, poll, precision,
 * 12 bytes of root delay/dispersion/reference id, then four 32.32
 * timestamps: reference (a few minutes old), origin (the client's, here
 * random as chrony sends it), receive and transmit.  The three near the
 * capture time are each a timestamp (not only the first two). */
static void test_ntp_timestamps(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    guint8 b[48];
    int c, k, i;
    for (c = 0; c < 3; c++)
        for (k = 0; k < 12; k++) {
            double t = 1.7e9 + c * 100 + k * 8;
            guint64 s = (guint64)(t + 2208988800.0);
            b[0] = 0x24; b[1] = 2; b[2] = 6; b[3] = 0xe9;
            for (i = 4; i < 16; i++) b[i] = (guint8)(c * 16 + i);
            put(b + 16, ((s - 300 - c) << 32) | rnd(0xffffffffu), 8, 1);
            for (i = 24; i < 32; i++) b[i] = (guint8)rnd(256);
            put(b + 32, (s << 32) | rnd(0xffffffffu), 8, 1);
            put(b + 40, (s << 32) | rnd(0xffffffffu), 8, 1);
            wip_infer_learn_msg(inf, (guint32)c, 2, b, sizeof b, t);
        }
    wip_infer_model(inf, 2, &m);
    dump("NTP server timestamps:", &m);
    check_invariants(&m);
    CHECK(field_at(&m, WIP_F_TIMESTAMP, 16) && field_at(&m, WIP_F_TIMESTAMP, 16)->width == 8);
    CHECK(field_at(&m, WIP_F_TIMESTAMP, 32) && field_at(&m, WIP_F_TIMESTAMP, 32)->width == 8);
    CHECK(field_at(&m, WIP_F_TIMESTAMP, 40) && field_at(&m, WIP_F_TIMESTAMP, 40)->width == 8);
}

/* A 64-bit little-endian message id at a naturally aligned offset
 * (MS-SMB2 2.2.1 MessageId, Ceph msgr2's le64 seq): it counts from a
 * small start, so its high half is always zero; the reply echoes it (a
 * little-endian length after it gives the order).  One
 * 8-byte id, not a 4-byte id and a zero constant. */
static void test_id64(void *mem)
{
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m;
    const wip_field_t *f;
    guint8 b[1024];
    int c, k, d, i;
    for (c = 0; c < 4; c++) {
        guint32 id = (guint32)rnd(100);
        for (k = 0; k < 16; k++, id++)
            for (d = 1; d <= 2; d++) {
                memcpy(b, "\xfeSMB\x40\0\0\0", 8);
                int len = 300 + (int)rnd(600);
                put(b + 8, id, 8, 0);
                put(b + 16, (guint64)len, 4, 0);   /* little endian */
                for (i = 20; i < len; i++) b[i] = (guint8)rnd(256);
                wip_infer_learn_msg(inf, (guint32)c, d, b, (gsize)len, 1.7e9);
            }
    }
    wip_infer_model(inf, 1, &m);
    dump("64-bit message id:", &m);
    check_invariants(&m);
    f = find(&m, WIP_F_TXID);
    if (!f) f = find(&m, WIP_F_SEQ);
    CHECK(f && f->offset == 8 && f->width == 8 && !f->big_endian);
}

int main(void)
{
    void *mem = g_malloc(wip_infer_size());
    printf("wip_infer: learner %zu bytes (fixed)\n", (size_t)wip_infer_size());
    CHECK(wip_infer_init(NULL) == NULL);
    CHECK(strcmp(wip_fkind_name(WIP_F_LENGTH), "length") == 0);
    CHECK(strcmp(wip_fkind_name(WIP_F_TIMESTAMP), "timestamp") == 0);
    test_basic_be(mem);
    test_le_body_len_and_segments(mem);
    test_random(mem);
    test_session_vs_magic(mem);
    test_little_evidence(mem);
    test_many_convs_and_fuzz(mem);
    test_framing(mem);
    test_policy(mem);
    test_record_mark_and_echo(mem);
    test_3byte_le_and_ntp(mem);
    test_ber(mem);
    test_body_fields();
    test_kinds(mem);
    test_variable_kind(mem);
    test_trailing_untyped(mem);
    test_semantics(mem);
    test_sparse(mem);
    test_together(mem);
    test_together_unaligned(mem);
    test_counter_high_zero(mem);
    test_prefix_order(mem);
    test_const_high_bytes(mem);
    test_word_enum_type(mem);
    test_zero_words(mem);
    test_kind_type_aligned(mem);
    test_aligned_words(mem);
    test_aligned_type(mem);
    test_3byte_len_mostly_zero(mem);
    test_packed_around_length(mem);
    test_3byte_after_flags(mem);
    test_text(mem);
    test_const_width(mem);
    test_echo_span(mem);
    test_ntp_timestamps(mem);
    test_id64(mem);
    g_free(mem);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all infer tests passed\n");
    return 0;
}
