/* test_frame.c - unit tests for the TCP framing core (wip_frame.c): the
 * chain of lengths across message kinds, segments tiled by a weak rule,
 * and the first-pass tracker (bursts, a header cut by the segment end, a
 * message over several segments, resynchronisation after garbage and a gap). */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "wip_frame.h"

static int failures = 0;
#define CHECK(c) do { if (!(c)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

/* A protocol: kind byte (learned as the constant 0xAB), one byte, a 2-byte
 * big-endian length of the body after the 4-byte header. */
static void rule_init(wip_frame_rule_t *r)
{
    memset(r, 0, sizeof *r);
    r->len.kind = WIP_F_LENGTH;
    r->len.offset = 2;
    r->len.width = 2;
    r->len.big_endian = 1;
    r->len.len_scale = 1;
    r->len.len_adjust = 4;
    r->len.confidence = WIP_INFER_FRAME_MIN_CONF;
    r->n_const = 1;
    r->const_off[0] = 0;
    r->const_val[0] = 0xAB;
    r->min_len = 4;
    r->max_len = 4096;
}

static int msg(guint8 *b, guint8 kind, int body)
{
    b[0] = kind;
    b[1] = 0x5A;
    b[2] = (guint8)(body >> 8);
    b[3] = (guint8)body;
    memset(b + 4, 0x33, (size_t)body);
    return 4 + body;
}

static void test_chain(void)
{
    wip_frame_rule_t r;
    guint8 b[256];
    guint32 n = 0;
    int l1, l2, l3;
    rule_init(&r);
    /* another kind (0xAC) whose length lands on a learned-kind header */
    l1 = msg(b, 0xAC, 10);
    l2 = msg(b + l1, 0xAB, 3);
    CHECK(wip_infer_frame(&r, b, (gsize)(l1 + l2), &n) == WIP_FRAME_MSG && n == (guint32)l1);
    /* two other kinds landing exactly on the end of the data */
    l3 = msg(b + l1, 0xAD, 2);
    CHECK(wip_infer_frame(&r, b, (gsize)(l1 + l3), &n) == WIP_FRAME_MSG && n == (guint32)l1);
    /* another kind whose length lands nowhere: resynchronise instead */
    b[3] = 50;
    CHECK(wip_infer_frame(&r, b, (gsize)(l1 + l3), &n) == WIP_FRAME_SKIP);
}

static void test_tile(void)
{
    wip_frame_rule_t r;
    wip_frame_starts_t st;
    guint8 b[256];
    int l1, l2;
    rule_init(&r);
    r.n_const = 0;
    l1 = msg(b, 1, 8);
    l2 = msg(b + l1, 2, 20);
    CHECK(wip_frame_tile(&r, b, (gsize)(l1 + l2), &st) && st.known && st.n == 2 &&
          st.off[0] == 0 && st.off[1] == (guint32)l1);
    CHECK(!wip_frame_tile(&r, b, (gsize)(l1 + l2 + 1), &st));
    CHECK(!wip_frame_tile(&r, b, (gsize)(l1 + l2 - 1), &st));
    CHECK(!wip_frame_tile(NULL, b, 10, &st) && !wip_frame_tile(&r, b, 0, &st));
}

static void test_track(void)
{
    wip_frame_rule_t r;
    wip_frame_track_t t;
    wip_frame_starts_t st;
    guint8 s[512];
    int a, b, c, d;
    rule_init(&r);
    memset(&t, 0, sizeof t);
    /* not in sync and no hint: cannot tell */
    a = msg(s, 0xAB, 6);
    wip_frame_track(&t, &r, 1000, s, (gsize)a, FALSE, &st);
    CHECK(!st.known);
    /* segment 1 (seq 1): a burst, the third header cut after 2 bytes */
    a = msg(s, 0xAB, 6);
    b = msg(s + a, 0xAB, 1);
    c = msg(s + a + b, 0xAB, 30);
    wip_frame_track(&t, &r, 1, s, (gsize)(a + b + 2), TRUE, &st);
    CHECK(st.known && st.n == 3 && st.off[0] == 0 && st.off[1] == (guint32)a &&
          st.off[2] == (guint32)(a + b) && st.what[2] == WIP_FRAME_AT_MSG);
    /* segment 2: the rest of the cut message (its header completes it), then a message */
    d = msg(s + a + b + c, 0xAB, 5);
    wip_frame_track(&t, &r, (guint32)(1 + a + b + 2), s + a + b + 2, (gsize)(c - 2 + d), FALSE, &st);
    CHECK(st.known && st.n == 1 && st.off[0] == (guint32)(c - 2));
    /* a message over three segments: the middle one starts nothing */
    a = msg(s, 0xAB, 300);
    wip_frame_track(&t, &r, 5000, s, 100, TRUE, &st);        /* a gap: the hint syncs */
    CHECK(st.known && st.n == 1 && st.off[0] == 0);
    wip_frame_track(&t, &r, 5100, s + 100, 100, FALSE, &st);
    CHECK(st.known && st.n == 0);
    b = msg(s + a, 0xAB, 2);
    wip_frame_track(&t, &r, 5200, s + 200, (gsize)(a - 200 + b), FALSE, &st);
    CHECK(st.known && st.n == 1 && st.off[0] == (guint32)(a - 200));
    /* garbage where a header was due, then a header: skip, then the message */
    c = a - 200 + b;
    memset(s, 0x11, 7);
    a = msg(s + 7, 0xAB, 4);
    wip_frame_track(&t, &r, (guint32)(5200 + c), s, (gsize)(7 + a), FALSE, &st);
    CHECK(st.known && st.n == 2 && st.what[0] == WIP_FRAME_AT_SKIP && st.off[1] == 7 &&
          st.what[1] == WIP_FRAME_AT_MSG);
    /* no rule: out of sync, cannot tell */
    wip_frame_track(&t, NULL, 9000, s, 10, TRUE, &st);
    CHECK(!st.known && !t.synced);
    /* degenerate input */
    wip_frame_track(&t, &r, 1, NULL, 10, TRUE, &st);
    CHECK(!st.known);
    wip_frame_track(NULL, &r, 1, s, 10, TRUE, &st);
    CHECK(!st.known);
}

/* A weak rule frames a segment only when it tiles it exactly. */
static void test_track_tile_only(void)
{
    wip_frame_rule_t r;
    wip_frame_track_t t;
    wip_frame_starts_t st;
    guint8 s[256];
    int a, b;
    rule_init(&r);
    r.tile_only = 1;
    memset(&t, 0, sizeof t);
    a = msg(s, 0xAB, 12);
    b = msg(s + a, 0xAB, 0);
    wip_frame_track(&t, &r, 1, s, (gsize)(a + b), TRUE, &st);
    CHECK(st.known && st.n == 2 && st.off[1] == (guint32)a);
    wip_frame_track(&t, &r, (guint32)(1 + a + b), s, (gsize)(a + 3), FALSE, &st);
    CHECK(!st.known && !t.synced);
}

/* A kind without a length (fixed-size events beside replies whose length
 * counts 4-byte units after 32 bytes): the rule's fixed part frames it when
 * the chain lands on the end of the data. */
static void test_fixed_part(void)
{
    wip_frame_rule_t r;
    guint8 b[256];
    guint32 n = 0;
    memset(&r, 0, sizeof r);
    r.len.kind = WIP_F_LENGTH;
    r.len.offset = 4;
    r.len.width = 4;
    r.len.big_endian = 0;
    r.len.len_scale = 4;
    r.len.len_adjust = 32;
    r.min_len = 8;
    r.max_len = 4096;
    memset(b, 0, sizeof b);
    b[0] = 0x1c;                          /* an event: a timestamp where replies have the length */
    b[4] = 0x10; b[5] = 0x27; b[6] = 0xa0; b[7] = 0x7f;
    b[32] = 1;                            /* a reply with 2 units (8 bytes) after its 32 */
    b[36] = 2;
    CHECK(wip_infer_frame(&r, b, 72, &n) == WIP_FRAME_MSG && n == 32);
    CHECK(wip_infer_frame(&r, b + 32, 40, &n) == WIP_FRAME_MSG && n == 40);
    /* the chain does not land: no message there */
    CHECK(wip_infer_frame(&r, b, 71, &n) == WIP_FRAME_SKIP);
    /* a fixed part shorter than FRAME_FIXED_MIN is never a message */
    r.len.len_adjust = 4;
    r.min_len = 4;
    CHECK(wip_infer_frame(&r, b, 36, &n) == WIP_FRAME_SKIP);
}

/* Resynchronisation without constants: a candidate header whose message
 * is followed only by a cut header is no evidence. */
static void test_resync_strict(void)
{
    wip_frame_rule_t r;
    guint8 b[64];
    guint32 n = 0;
    int a;
    rule_init(&r);
    r.n_const = 0;
    memset(b, 0xEE, sizeof b);            /* lengths of 0xEEEE + 4: not plausible */
    a = msg(b + 5, 0x01, 3);              /* a message of 7 bytes at 5, then 2 bytes of a header */
    b[5 + a] = 0x01;
    b[5 + a + 1] = 0x00;
    CHECK(wip_infer_frame(&r, b, (gsize)(5 + a + 2), &n) == WIP_FRAME_SKIP && n != 5);
    /* the same message followed by a whole one: found */
    a += msg(b + 5 + a, 0x01, 0);
    CHECK(wip_infer_frame(&r, b, (gsize)(5 + a), &n) == WIP_FRAME_SKIP && n == 5);
}

/* TCP is asked to wait for a message up to the longest seen in its
 * direction; beyond (up to WIP_FRAME_WAIT_FACTOR times it plus
 * WIP_FRAME_WAIT_SLACK) only by an established length field or a BER
 * length: a rule frozen early at the threshold (X11: a 1044-byte "length"
 * read off a 20-byte request) is not waited for. */
static void test_wait_plausible(void)
{
    wip_frame_rule_t r;
    guint32 far = 416 * WIP_FRAME_WAIT_FACTOR + WIP_FRAME_WAIT_SLACK;
    rule_init(&r);
    r.len.confidence = WIP_FRAME_WAIT_CONF;
    CHECK(wip_frame_wait_plausible(&r, 416, 416));
    CHECK(wip_frame_wait_plausible(&r, far, 416));
    CHECK(!wip_frame_wait_plausible(&r, far + 1, 416));
    CHECK(!wip_frame_wait_plausible(&r, G_MAXUINT32, 1000));
    CHECK(wip_frame_wait_plausible(&r, G_MAXUINT32, G_MAXUINT32));
    r.len.confidence = WIP_INFER_FRAME_MIN_CONF + 3;      /* barely established */
    CHECK(wip_frame_wait_plausible(&r, 416, 416));
    CHECK(wip_frame_wait_plausible(&r, 416 * WIP_FRAME_WAIT_NEAR_PCT / 100, 416));   /* a little longer */
    CHECK(!wip_frame_wait_plausible(&r, 416 * WIP_FRAME_WAIT_NEAR_PCT / 100 + 1, 416));
    CHECK(!wip_frame_wait_plausible(&r, 1044, 416));
    r.ber = 1;                                          /* a BER length frames by itself */
    CHECK(wip_frame_wait_plausible(&r, 1044, 416));
    CHECK(!wip_frame_wait_plausible(NULL, 1, 416));
}

/* A frozen rule is dropped after WIP_FRAME_DROP_FAILS failing segments in
 * a row; a success in between starts the count again. */
static void test_judge(void)
{
    guint8 fails = 0;
    int i;
    for (i = 1; i < WIP_FRAME_DROP_FAILS; i++)
        CHECK(!wip_frame_judge(&fails, FALSE));
    CHECK(!wip_frame_judge(&fails, TRUE) && fails == 0);
    for (i = 1; i < WIP_FRAME_DROP_FAILS; i++)
        CHECK(!wip_frame_judge(&fails, FALSE));
    CHECK(wip_frame_judge(&fails, FALSE) && fails == 0);
    CHECK(!wip_frame_judge(NULL, FALSE));
}

/* A protocol whose requests and replies share one header: 0xC5, a kind
 * byte, a 2-byte big-endian length of the whole message, a 4-byte id the
 * reply echoes; bodies of varying length. */
static gsize young_msg(guint8 *b, guint8 kind, guint32 id, gsize body)
{
    gsize n = 8 + body;
    b[0] = 0xC5;
    b[1] = kind;
    b[2] = (guint8)(n >> 8);
    b[3] = (guint8)n;
    b[4] = (guint8)(id >> 24); b[5] = (guint8)(id >> 16); b[6] = (guint8)(id >> 8); b[7] = (guint8)id;
    memset(b + 8, (int)(0x40 + body), body);
    return n;
}

static const wip_field_t *field_of(const wip_hdr_model_t *m, wip_fkind_t k)
{
    for (guint i = 0; i < m->n_fields; i++)
        if (m->f[i].kind == k)
            return &m->f[i];
    return NULL;
}

/* XDR-style messages (RFC 4506: every item a multiple of four bytes): a
 * 4-byte big-endian length of the whole message, 16 bytes of words that
 * change from message to message, a constant version word.  The provisional model of a young
 * direction has no evidence of inner boundaries in them yet: it shows
 * them as four 32-bit words, not as one 16-byte field. */
static gsize words_msg(guint8 *b, guint32 seed, gsize body)
{
    gsize n = 24 + body;
    b[0] = 0; b[1] = 0; b[2] = (guint8)(n >> 8); b[3] = (guint8)n;
    for (guint i = 4; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (guint8)(seed >> 16);
    }
    b[20] = 0; b[21] = 0; b[22] = 0; b[23] = 2;   /* a version word */
    return n;
}

static void test_young_words(void)
{
    static guint8 mem[1 << 21];
    guint8 b[512];
    wip_infer_t *inf = wip_infer_init(mem);
    for (guint32 i = 0; i < 3; i++) {
        gsize n = words_msg(b, 17 + i, 8 + 40 * i);
        wip_infer_offer(inf, i, 1, b, n, 0, TRUE);
    }
    gsize n = words_msg(b, 99, 24);
    wip_infer_offer(inf, 0, 2, b, n, 0, TRUE);
    n = words_msg(b, 7, 64);
    wip_infer_offer(inf, 3, 1, b, n, 0, TRUE);
    CHECK(wip_infer_young(inf, 2));
    const wip_hdr_model_t *m = wip_infer_shown(inf, 2, FALSE);
    const wip_field_t *len = field_of(m, WIP_F_LENGTH);
    CHECK(len && len->offset == 0 && len->width == 4);
    guint words = 0;
    for (guint i = 0; i < m->n_fields; i++) {
        CHECK(m->f[i].kind != WIP_F_FIELD || m->f[i].offset % 4 || m->f[i].width <= 4);
        words += m->f[i].kind == WIP_F_FIELD && m->f[i].offset >= 4 && m->f[i].offset < 20 && m->f[i].width == 4;
    }
    CHECK(words == 4);
}

/* A young direction (one reply learned, four requests) is shown with the
 * provisional model of both directions: the leading constant and the
 * length at offset 2, at WIP_INFER_PROVISIONAL_PCT% of their confidence,
 * too weak to frame TCP or to call a segment the middle of a message; its
 * own model has no field yet.  Once it has WIP_INFER_YOUNG_MSGS messages,
 * or when the other direction has none, its own cached model is shown. */
static void test_young(void)
{
    static guint8 mem[1 << 21];
    guint8 b[512];
    wip_frame_rule_t r;
    CHECK(wip_infer_size() <= sizeof mem);
    wip_infer_t *inf = wip_infer_init(mem);
    CHECK(!wip_infer_young(inf, 2) && wip_infer_shown(inf, 2, FALSE) == wip_infer_cached(inf, 2, FALSE));
    for (guint32 i = 0; i < 4; i++) {
        gsize n = young_msg(b, 1, 0x9A3C5E00u + 0x01030507u * i, 10 + 90 * i);
        wip_infer_offer(inf, i, 1, b, n, 0, TRUE);
    }
    CHECK(!wip_infer_young(inf, 1));     /* four requests: not young */
    gsize n = young_msg(b, 2, 0x9A3C5E00u, 30);
    wip_infer_offer(inf, 0, 2, b, n, 0, TRUE);
    CHECK(wip_infer_young(inf, 2));
    CHECK(wip_infer_cached(inf, 2, FALSE)->n_fields == 0);
    const wip_hdr_model_t *m = wip_infer_shown(inf, 2, FALSE);
    CHECK(m != wip_infer_cached(inf, 2, FALSE) && m->n_msgs == 5);
    const wip_field_t *len = field_of(m, WIP_F_LENGTH), *mg = field_of(m, WIP_F_MAGIC);
    CHECK(len && len->offset == 2 && len->width == 2 && len->big_endian && len->len_adjust == 0);
    CHECK(mg && mg->offset == 0 && mg->magic == 0xC5);
    for (guint i = 0; i < m->n_fields; i++)
        CHECK(m->f[i].confidence <= WIP_INFER_PROVISIONAL_PCT);
    CHECK(!wip_infer_frame_rule(inf, 2, m, &r));
    CHECK(!wip_frame_rule_conf(inf, 2, m, WIP_FRAME_TILE_MIN_CONF, &r));
    b[0] = 0x11;   /* not the constant: still no reason to call it a continuation */
    CHECK(wip_infer_no_header(m, b, n, FALSE) == NULL);
    for (guint32 i = 1; i < WIP_INFER_YOUNG_MSGS; i++) {
        n = young_msg(b, 2, 100 + i, 20 + 5 * i);
        wip_infer_offer(inf, i, 2, b, n, 0, TRUE);
    }
    CHECK(!wip_infer_young(inf, 2) && wip_infer_shown(inf, 2, TRUE) == wip_infer_cached(inf, 2, TRUE));
    /* one direction only: nothing to borrow */
    inf = wip_infer_init(mem);
    n = young_msg(b, 2, 7, 12);
    wip_infer_offer(inf, 0, 2, b, n, 0, TRUE);
    CHECK(!wip_infer_young(inf, 2) && wip_infer_shown(inf, 2, FALSE) == wip_infer_cached(inf, 2, FALSE));
    CHECK(wip_infer_shown(NULL, 1, FALSE) == NULL && !wip_infer_young(NULL, 1));
}

/* A burst the length field learned so far tiles exactly is learned as
 * its messages (three more messages learned, the length field kept); a
 * segment that does not tile (a message cut by its end) as one buffer. */
static void test_offer_segment(void)
{
    static guint8 mem[1 << 21];
    guint8 b[1024];
    wip_infer_t *inf = wip_infer_init(mem);
    int i, n = 0;
    for (i = 0; i < 5; i++) {   /* too few for the learner's own split of bursts */
        int k = msg(b, 0xAB, 5 + 9 * i);
        CHECK(wip_infer_offer(inf, 1, 1, b, (gsize)k, 0, TRUE));
    }
    CHECK(wip_infer_n_msgs(inf, 1) == 5);
    const wip_hdr_model_t *m = wip_infer_cached(inf, 1, FALSE);
    CHECK(field_of(m, WIP_F_LENGTH) && field_of(m, WIP_F_LENGTH)->offset == 2);
    n += msg(b + n, 0xAB, 7);
    n += msg(b + n, 0xAB, 30);
    n += msg(b + n, 0xAB, 12);
    wip_infer_offer_segment(inf, 1, 1, b, (gsize)n - 3, 0);   /* the last message cut: one buffer */
    CHECK(wip_infer_n_msgs(inf, 1) == 6);
    CHECK(wip_infer_offer_segment(inf, 1, 1, b, (gsize)n, 0));
    CHECK(wip_infer_n_msgs(inf, 1) == 9);
    m = wip_infer_cached(inf, 1, FALSE);
    CHECK(field_of(m, WIP_F_LENGTH) && field_of(m, WIP_F_LENGTH)->offset == 2);
    CHECK(wip_infer_offer_segment(NULL, 1, 1, b, 4, 0));
}

/* A model with one length field: 2 bytes at offset 2, counting the body
 * after a 4-byte header, at confidence conf. */
static void len_model(wip_hdr_model_t *m, guint8 conf, gint32 adjust, guint8 be)
{
    memset(m, 0, sizeof *m);
    m->n_fields = 1;
    m->f[0].kind = WIP_F_LENGTH;
    m->f[0].offset = 2;
    m->f[0].width = 2;
    m->f[0].big_endian = be;
    m->f[0].len_scale = 1;
    m->f[0].len_adjust = adjust;
    m->f[0].confidence = conf;
    m->hdr_len = 4;
}

/* A length field too weak to tile on its own tiles when the other
 * direction's model has the same length relation (requests and replies
 * framed alike); not when the other counts differently, reads another
 * byte order, is weak too, or is missing; an established one needs none. */
static void test_rule_tile_pair(void)
{
    static guint8 mem[1 << 21];
    wip_infer_t *inf = wip_infer_init(mem);
    wip_hdr_model_t m, o;
    wip_frame_rule_t r;
    wip_frame_starts_t st;
    guint8 b[128];
    int n = 0;
    len_model(&m, WIP_FRAME_PAIR_MIN_CONF, 4, 1);
    len_model(&o, WIP_FRAME_PAIR_MIN_CONF, 4, 1);
    CHECK(!wip_frame_rule_conf(inf, 1, &m, WIP_FRAME_TILE_MIN_CONF, &r));
    CHECK(wip_frame_rule_tile(inf, 1, &m, &o, &r) && r.tile_only && r.len.offset == 2 && r.len.len_adjust == 4);
    n += msg(b + n, 0xAB, 7);
    n += msg(b + n, 0xAB, 19);
    CHECK(wip_frame_tile(&r, b, (gsize)n, &st) && st.n == 2);
    CHECK(!wip_frame_rule_tile(inf, 1, &m, NULL, &r) && r.len.width == 0);
    len_model(&o, WIP_FRAME_PAIR_MIN_CONF, 0, 1);        /* counts the header too */
    CHECK(!wip_frame_rule_tile(inf, 1, &m, &o, &r));
    len_model(&o, WIP_FRAME_PAIR_MIN_CONF, 4, 0);        /* little-endian */
    CHECK(!wip_frame_rule_tile(inf, 1, &m, &o, &r));
    len_model(&o, WIP_FRAME_PAIR_MIN_CONF - 1, 4, 1);    /* the other is weak too */
    CHECK(!wip_frame_rule_tile(inf, 1, &m, &o, &r));
    len_model(&m, WIP_FRAME_PAIR_MIN_CONF - 1, 4, 1);    /* this one below the floor */
    len_model(&o, WIP_INFER_FRAME_MIN_CONF, 4, 1);
    CHECK(!wip_frame_rule_tile(inf, 1, &m, &o, &r));
    len_model(&m, WIP_FRAME_TILE_MIN_CONF, 4, 1);        /* strong enough alone */
    CHECK(wip_frame_rule_tile(inf, 1, &m, NULL, &r) && r.tile_only);
    len_model(&m, WIP_INFER_FRAME_MIN_CONF, 4, 1);
    CHECK(wip_frame_rule_tile(inf, 1, &m, NULL, &r) && !r.tile_only);
    CHECK(!wip_infer_tile_rule(NULL, 1, &r));
    CHECK(!wip_infer_tile_rule(inf, 1, &r));             /* nothing learned: no rule */
}

/* Fixed-size messages: a 16-byte record (kind 0x01, zeros, a counter)
 * seen as four segments becomes a tile-only rule that splits a burst of
 * them, one kind byte differing allowed; random parts, a burst that is no
 * multiple, too few segments, sizes beyond WIP_FRAME_FIXED_MAX_SIZE, or
 * records without constant bytes give none. */
static void rec(guint8 *b, guint8 kind, guint8 ctr)
{
    memset(b, 0, 16);
    b[0] = kind;
    b[2] = ctr;
    b[9] = (guint8)(ctr * 37u);
}

static void test_fixed(void)
{
    wip_frame_fixed_t f;
    wip_frame_rule_t r;
    wip_frame_starts_t st;
    guint8 b[600];
    guint i;
    memset(&f, 0, sizeof f);
    rec(b, 1, 1);
    wip_frame_fixed_learn(&f, b, 8);                 /* another size first: gives way */
    for (i = 0; i < WIP_FRAME_FIXED_MIN_SEEN - 1; i++) {
        rec(b, 1, (guint8)(i + 1));
        wip_frame_fixed_learn(&f, b, 16);
    }
    CHECK(f.size == 16 && !wip_frame_fixed_rule(&f, &r));   /* one too few */
    for (i = 0; i < 4; i++)
        rec(b + 16 * i, 1, (guint8)(10 + i));
    wip_frame_fixed_learn(&f, b, 64);                /* a multiple: a burst, not a new size */
    CHECK(f.size == 16);
    wip_frame_fixed_learn(&f, b, 16);
    wip_frame_fixed_learn(&f, b, 40);                /* established: stays */
    CHECK(f.size == 16 && f.seen == WIP_FRAME_FIXED_MIN_SEEN);
    CHECK(wip_frame_fixed_rule(&f, &r) && r.tile_only && r.fixed == 16 && r.n_const == 8);
    rec(b + 16, 0, 11);                              /* one kind byte differs */
    CHECK(wip_frame_tile(&r, b, 64, &st) && st.n == 4 && st.off[3] == 48);
    CHECK(!wip_frame_tile(&r, b, 63, &st) && !wip_frame_tile(&r, b, 72, &st));
    b[16 + 5] = 0x77;                                /* a second byte differs: no record */
    CHECK(!wip_frame_tile(&r, b, 64, &st));
    for (i = 0; i < 64; i++)
        b[i] = (guint8)(i * 113u + 7u);
    CHECK(!wip_frame_tile(&r, b, 64, &st));
    /* random records: no constant bytes, no rule */
    memset(&f, 0, sizeof f);
    for (i = 0; i < 8; i++) {
        guint k;
        for (k = 0; k < 16; k++)
            b[k] = (guint8)((i + 1) * 71u + k * 29u + (k * i) * 13u);
        wip_frame_fixed_learn(&f, b, 16);
    }
    CHECK(f.seen == 8 && !wip_frame_fixed_rule(&f, &r));
    /* long segments (a TCP segment size) are no record */
    memset(&f, 0, sizeof f);
    memset(b, 0, sizeof b);
    for (i = 0; i < 8; i++)
        wip_frame_fixed_learn(&f, b, WIP_FRAME_FIXED_MAX_SIZE + 1);
    CHECK(f.seen == 0 && !wip_frame_fixed_rule(&f, &r));
    wip_frame_fixed_learn(NULL, b, 16);
    CHECK(!wip_frame_fixed_rule(NULL, &r));
}

/* The first payload byte of a TCP connection's direction starts a
 * message: relative sequence number 1, or the initial one + 1 (absolute
 * numbers); any later byte is not known to. */
static void test_stream_start(void)
{
    CHECK(wip_frame_stream_start(1, 0));
    CHECK(wip_frame_stream_start(1, 0x9abcdef0u));             /* relative numbers */
    CHECK(wip_frame_stream_start(0x9abcdef1u, 0x9abcdef0u));   /* absolute */
    CHECK(wip_frame_stream_start(0, 0xffffffffu));             /* wraps */
    CHECK(!wip_frame_stream_start(13, 0));
    CHECK(!wip_frame_stream_start(0x9abcdef0u + 1461, 0x9abcdef0u));
    CHECK(!wip_frame_stream_start(0, 0));
}

int main(void)
{
    test_stream_start();
    test_fixed();
    test_rule_tile_pair();
    test_young();
    test_young_words();
    test_offer_segment();
    test_wait_plausible();
    test_judge();
    test_fixed_part();
    test_resync_strict();
    test_chain();
    test_tile();
    test_track();
    test_track_tile_only();
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("test_frame: all passed\n");
    return 0;
}
