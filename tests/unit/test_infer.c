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
        CHECK(f->width == 1 || f->width == 2 || f->width == 4 || f->width == 8);
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
    g_free(mem);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all infer tests passed\n");
    return 0;
}
