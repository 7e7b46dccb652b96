/* test_tlv.c - unit tests for TLV chains in message bodies (wip_tlv.c):
 * Diameter-, L2TP-, RADIUS- and STUN-like bodies are learned with their
 * layout and walked per message; random, text and zero bodies and a header
 * piece followed by the rest of the message are not TLV chains. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wip_infer.h"

static int failures = 0;
#define CHECK(c) do { if (!(c)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static guint64 rs = 0x9e3779b97f4a7c15ull;
static guint32 rnd(guint32 n)
{
    rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17;
    return n ? (guint32)(rs % n) : 0;
}

static void put(guint8 *b, guint64 v, int w, int be)
{
    for (int i = 0; i < w; i++) b[i] = (guint8)(v >> (be ? 8 * (w - 1 - i) : 8 * i));
}

static void fill(guint8 *b, gsize n)
{
    for (gsize i = 0; i < n; i++) b[i] = (guint8)rnd(256);
}

/* Diameter (RFC 6733 3, 4.1): 20-byte header, AVPs code 4, flags 1,
 * length 3 (header + data, no padding), data padded to 4 bytes. */
static gsize diameter_msg(guint8 *b, gboolean req)
{
    gsize p = 20;
    int n = 2 + (int)rnd(6);
    for (int i = 0; i < n; i++) {
        guint32 dl = 1 + rnd(24);
        put(b + p, i == 0 ? 263 : 256 + rnd(40), 4, 1);   /* Session-Id first (RFC 6733 8.8) */
        b[p + 4] = 0x40;
        put(b + p + 5, 8 + dl, 3, 1);
        fill(b + p + 8, dl);
        p += 8 + dl;
        while (p % 4) b[p++] = 0;
    }
    b[0] = 1;
    put(b + 1, p, 3, 1);
    b[4] = req ? 0x80 : 0;
    put(b + 5, 257 + rnd(3), 3, 1);
    put(b + 8, 0, 4, 1);
    fill(b + 12, 8);
    return p;
}

/* L2TP control message (RFC 2661 3.1, 4.1): 12-byte header, AVPs with a
 * flags+length word (M bit, 10-bit length), vendor id 0, type, value. */
static int l2tp_min_avps = 1;
static gsize l2tp_msg(guint8 *b)
{
    gsize p = 12;
    int n = l2tp_min_avps + (int)rnd(8);
    for (int i = 0; i < n; i++) {
        guint32 vl = rnd(3) == 0 ? 2 : 1 + rnd(20);
        put(b + p, (rnd(2) ? 0x8000 : 0) | (6 + vl), 2, 1);
        put(b + p + 2, 0, 2, 1);
        put(b + p + 4, i == 0 ? 0 : 1 + rnd(40), 2, 1);     /* Message Type first (RFC 2661 4.4.1) */
        fill(b + p + 6, vl);
        p += 6 + vl;
    }
    put(b, 0xc802, 2, 1);
    put(b + 2, p, 2, 1);
    put(b + 4, 7, 2, 1);
    put(b + 6, 0, 2, 1);
    fill(b + 8, 4);
    return p;
}

/* RADIUS (RFC 2865 3, 5): 20-byte header, attributes type 1, length 1 (whole). */
static gsize radius_msg(guint8 *b)
{
    gsize p = 20;
    int n = 2 + (int)rnd(6);
    for (int i = 0; i < n; i++) {
        guint32 vl = 1 + rnd(16);
        static const guint8 types[12] = { 1, 2, 4, 5, 6, 7, 8, 18, 25, 26, 31, 44 };
        b[p] = types[rnd(12)];
        b[p + 1] = (guint8)(2 + vl);
        fill(b + p + 2, vl);
        p += 2 + vl;
    }
    b[0] = (guint8)(1 + rnd(3));
    b[1] = (guint8)rnd(256);
    put(b + 2, p, 2, 1);
    fill(b + 4, 16);
    return p;
}

/* STUN (RFC 5389 6, 15): 20-byte header, attributes type 2, length 2
 * (the value), value padded to 4 bytes. */
static gsize stun_msg(guint8 *b)
{
    gsize p = 20;
    int n = 2 + (int)rnd(5);
    for (int i = 0; i < n; i++) {
        guint32 vl = rnd(3) == 0 ? 4 : 1 + rnd(20);
        static const guint16 types[8] = { 0x0001, 0x0006, 0x0008, 0x0009, 0x0020, 0x8022, 0x8028, 0x8029 };
        put(b + p, types[rnd(8)], 2, 1);
        put(b + p + 2, vl, 2, 1);
        fill(b + p + 4, vl);
        p += 4 + vl;
        while (p % 4) b[p++] = 0;
    }
    put(b, 0x0001 + rnd(2) * 0x100, 2, 1);
    put(b + 2, p - 20, 2, 1);
    put(b + 4, 0x2112a442, 4, 1);
    fill(b + 8, 12);
    return p;
}

typedef gsize (*gen_fn)(guint8 *b);
static gsize diameter_req(guint8 *b) { return diameter_msg(b, TRUE); }
static gsize diameter_ans(guint8 *b) { return diameter_msg(b, FALSE); }

/* Learn n messages per direction (alternating), return both models. */
static void learn(void *mem, gen_fn g1, gen_fn g2, int n, wip_hdr_model_t *m1, wip_hdr_model_t *m2)
{
    static guint8 b[4096];
    wip_infer_t *inf = wip_infer_init(mem);
    for (int i = 0; i < n; i++) {
        gsize l = g1(b);
        wip_infer_learn_msg(inf, 1 + (guint32)(i % 3), 1, b, l, 1.7e9 + i);
        l = g2(b);
        wip_infer_learn_msg(inf, 1 + (guint32)(i % 3), 2, b, l, 1.7e9 + i + 0.5);
    }
    wip_infer_model(inf, 1, m1);
    wip_infer_model(inf, 2, m2);
}

/* Every TLV start of the message (from off) is the start of a field. */
static gboolean starts_found(const wip_tlv_t *t, const guint8 *b, gsize len, guint off, guint lo, guint lw,
                             guint adj, guint pad, guint mask)
{
    wip_field_t f[WIP_INFER_NOFF];
    guint end, n = wip_tlv_fields(t, b, len, f, WIP_INFER_NOFF, &end);
    gsize p = off;
    if (n == 0)
        return FALSE;
    while (p < len) {
        guint32 v = 0;
        gboolean hit = FALSE;
        for (guint i = 0; i < lw; i++) v = v << 8 | b[p + lo + i];
        v &= mask;
        for (guint i = 0; i < n; i++)
            hit |= f[i].offset == p;
        if (!hit)
            return FALSE;
        v += adj;
        p += (v + pad - 1) / pad * pad;
    }
    return end == len;
}

static void test_diameter(void *mem)
{
    wip_hdr_model_t m1, m2;
    guint8 b[4096];
    learn(mem, diameter_req, diameter_ans, 12, &m1, &m2);
    CHECK(m1.tlv.on && m2.tlv.on);
    CHECK(m1.tlv.off == 20 && m1.tlv.lo == 5 && m1.tlv.lw == 3 && m1.tlv.be && m1.tlv.adj == 0);
    CHECK(m1.tlv.pad == 4 && m1.tlv.mbits == 0);
    gsize l = diameter_msg(b, TRUE);
    CHECK(starts_found(&m1.tlv, b, l, 20, 5, 3, 0, 4, 0xffffff));
    CHECK(wip_tlv_count(&m1.tlv, b, l - 4) == 0);   /* cut: the chain does not land on the end */
}

/* The length is the low bits of a word with flags above them, not the
 * 1-byte length at offset 1 that fits alike (a wider big-endian field
 * ending where the narrower one ends wins), and the vendor and type words
 * after it are header fields. */
static void test_l2tp(void *mem)
{
    wip_hdr_model_t m1, m2;
    guint8 b[4096];
    learn(mem, l2tp_msg, l2tp_msg, 12, &m1, &m2);
    CHECK(m1.tlv.on && m2.tlv.on);
    CHECK(m1.tlv.off == 12 && m1.tlv.lo == 0 && m1.tlv.lw == 2 && m1.tlv.mbits >= 10);
    CHECK(m1.tlv.nx == 2 && m1.tlv.xw == 2);
    gsize l;
    do l = l2tp_msg(b); while (l == 12 + (gsize)(b[12] & 3) * 256 + b[13]);   /* 2+ AVPs */
    CHECK(starts_found(&m1.tlv, b, l, 12, 0, 2, 0, 1, 0x3ff));
    wip_field_t f[WIP_INFER_NOFF];
    guint end, n = wip_tlv_fields(&m1.tlv, b, l, f, WIP_INFER_NOFF, &end);
    CHECK(n >= 4 && f[0].kind == WIP_F_LENGTH && f[0].offset == 12 && f[1].offset == 14 &&
          f[2].kind == WIP_F_TYPE && f[2].offset == 16 && f[3].offset == 18);

    /* one pass: after 4 messages per direction the layout and its header
     * words are known (the TLVs are tracked from the first messages on) */
    l2tp_min_avps = 3;
    learn(mem, l2tp_msg, l2tp_msg, 4, &m1, &m2);
    l2tp_min_avps = 1;
    CHECK(m1.tlv.on && m1.tlv.off == 12 && m1.tlv.nx == 2);
}

static void test_radius_stun(void *mem)
{
    wip_hdr_model_t m1, m2;
    guint8 b[4096];
    learn(mem, radius_msg, radius_msg, 12, &m1, &m2);
    CHECK(m1.tlv.on && m1.tlv.off == 20 && m1.tlv.lo == 1 && m1.tlv.lw == 1 && m1.tlv.adj == 0);
    gsize l = radius_msg(b);
    CHECK(starts_found(&m1.tlv, b, l, 20, 1, 1, 0, 1, 0xff));
    learn(mem, stun_msg, stun_msg, 12, &m1, &m2);
    CHECK(m2.tlv.on && m2.tlv.off == 20 && m2.tlv.lo == 2 && m2.tlv.lw == 2 && m2.tlv.adj == 4 &&
          m2.tlv.pad == 4);
    l = stun_msg(b);
    CHECK(starts_found(&m2.tlv, b, l, 20, 2, 2, 4, 4, 0xffff));
}


/* IKEv2 (RFC 7296 3.1, 3.2): 28-byte header, payloads with a generic
 * header: next payload 1, critical 1, length 2 (whole payload). */
static gsize ike_msg(guint8 *b)
{
    static const guint8 types[6] = { 33, 34, 40, 41, 35, 36 };   /* SA, KE, Ni, N, IDi, IDr */
    gsize p = 28;
    int n = 2 + (int)rnd(4);
    fill(b, 16);
    b[17] = 0x20;
    b[18] = (guint8)(34 + rnd(4));
    b[19] = 0x08;
    put(b + 20, 0, 4, 1);
    for (int i = 0; i < n; i++) {
        guint32 dl = 4 + rnd(40);
        b[p] = i + 1 == n ? 0 : types[rnd(6)];
        b[p + 1] = 0;
        put(b + p + 2, 4 + dl, 2, 1);
        fill(b + p + 4, dl);
        p += 4 + dl;
    }
    b[16] = types[rnd(6)];
    put(b + 24, p, 4, 1);
    return p;
}

/* PPP LCP (RFC 1661 5, 6): code 1, id 1, length 2, options type 1,
 * length 1 (whole option). */
static gsize lcp_msg(guint8 *b)
{
    static const guint8 types[5] = { 1, 3, 5, 7, 8 };
    gsize p = 4;
    int n = 2 + (int)rnd(4);
    for (int i = 0; i < n; i++) {
        guint8 t = types[rnd(5)];
        guint32 dl = t == 1 ? 2 : t == 5 ? 4 : t == 3 ? 2 + rnd(3) : 0;
        b[p] = t;
        b[p + 1] = (guint8)(2 + dl);
        fill(b + p + 2, dl);
        p += 2 + dl;
    }
    b[0] = (guint8)(1 + rnd(4));
    b[1] = (guint8)rnd(256);
    put(b + 2, p, 2, 1);
    return p;
}

static void test_ike_lcp(void *mem)
{
    wip_hdr_model_t m1, m2;
    guint8 b[4096];
    learn(mem, ike_msg, ike_msg, 12, &m1, &m2);
    /* the critical byte is always zero: a 3-byte length ending where the 2-byte one does */
    CHECK(m1.tlv.on && m1.tlv.off == 28 && m1.tlv.lo + m1.tlv.lw == 4 && m1.tlv.adj == 0);
    gsize l = ike_msg(b);
    CHECK(starts_found(&m1.tlv, b, l, 28, 2, 2, 0, 1, 0xffff));
    learn(mem, lcp_msg, lcp_msg, 12, &m1, &m2);
    CHECK(m1.tlv.on && m1.tlv.off == 4 && m1.tlv.lo == 1 && m1.tlv.lw == 1 && m1.tlv.adj == 0);
    l = lcp_msg(b);
    CHECK(starts_found(&m1.tlv, b, l, 4, 1, 1, 0, 1, 0xff));
}

/* Bodies that are not TLV chains: random, text, zeros. */
static gsize random_msg(guint8 *b) { gsize l = 8 + rnd(300); fill(b, l); return l; }
static gsize text_msg(guint8 *b)
{
    gsize l = 12 + rnd(200);
    fill(b, 12);
    for (gsize i = 12; i < l; i++) b[i] = (guint8)(' ' + rnd(95));
    return l;
}
static gsize zero_msg(guint8 *b)
{
    gsize l = 16 + rnd(100);
    fill(b, 8);
    memset(b + 8, 0, l - 8);
    return l;
}

static void test_no_chain(void *mem)
{
    wip_hdr_model_t m1, m2;
    gen_fn g[3] = { random_msg, text_msg, zero_msg };
    for (int k = 0; k < 3; k++) {
        learn(mem, g[k], g[k], 200, &m1, &m2);
        CHECK(!m1.tlv.on && !m2.tlv.on);
    }
}


/* Bodies with structure that are not TLV chains (each after a 4-byte
 * header: type, pad, count). */
static gsize body_hdr(guint8 *b, int n) { b[0] = (guint8)rnd(4); b[1] = 0; put(b + 2, n, 2, 1); return 4; }

/* A count, then records x, y, w, h, a 4-byte code, then w*h data bytes:
 * the data's size follows from w and h, no length field says it (RFC 6143
 * 7.6.1 rectangles). */
static gsize rect_msg(guint8 *b)
{
    int n = 1 + (int)rnd(4);
    gsize p = body_hdr(b, n);
    for (int i = 0; i < n; i++) {
        guint32 w = 1 + rnd(4), h = 1 + rnd(4);
        put(b + p, rnd(640), 2, 1);
        put(b + p + 2, rnd(480), 2, 1);
        put(b + p + 4, w, 2, 1);
        put(b + p + 6, h, 2, 1);
        put(b + p + 8, rnd(3) ? 0 : 5, 4, 1);
        fill(b + p + 12, w * h);
        p += 12 + w * h;
    }
    return p;
}

/* An array of small 16-bit values. */
static gsize small16_msg(guint8 *b)
{
    int n = 2 + (int)rnd(20);
    gsize p = body_hdr(b, n);
    for (int i = 0; i < n; i++, p += 2)
        put(b + p, rnd(3) ? rnd(8) : 0, 2, 1);
    return p;
}

/* Pixel-like data: runs of repeated small bytes. */
static gsize pixel_msg(guint8 *b)
{
    gsize p = body_hdr(b, 0), l = p + 8 + rnd(120);
    while (p < l) {
        guint8 v = (guint8)rnd(4);
        for (guint32 r = 1 + rnd(6); r > 0 && p < l; r--)
            b[p++] = v;
    }
    return p;
}

/* One length field whose value spans the rest of the message. */
static gsize span_msg(guint8 *b)
{
    gsize l = 8 + rnd(100);
    body_hdr(b, 1);
    put(b + 4, l - 6, 2, 1);
    fill(b + 6, l - 6);
    return l;
}

/* Strings each prefixed by a 1-byte length, no type before them. */
static gsize lstr_msg(guint8 *b)
{
    int n = 1 + (int)rnd(6);
    gsize p = body_hdr(b, n);
    for (int i = 0; i < n; i++) {
        guint32 sl = 1 + rnd(12);
        b[p++] = (guint8)sl;
        for (guint32 j = 0; j < sl; j++) b[p++] = (guint8)('a' + rnd(26));
    }
    return p;
}

/* Zero-padded structures: small fields with zero bytes around them. */
static gsize zpad_msg(guint8 *b)
{
    int n = 1 + (int)rnd(6);
    gsize p = body_hdr(b, n);
    for (int i = 0; i < n; i++) {
        memset(b + p, 0, 8);
        b[p + 3] = (guint8)rnd(4);
        if (rnd(2)) b[p + 6] = (guint8)(1 + rnd(3));
        p += rnd(2) ? 8 : 4;
    }
    return p;
}

static void test_structured_not_tlv(void *mem)
{
    wip_hdr_model_t m1, m2;
    gen_fn g[6] = { rect_msg, small16_msg, pixel_msg, span_msg, lstr_msg, zpad_msg };
    for (int k = 0; k < 6 * 4; k++) {    /* each 4 times (other random bodies) */
        learn(mem, g[k % 6], g[k % 6], 60, &m1, &m2);
        if (m1.tlv.on || m2.tlv.on)
            fprintf(stderr, "structured body %d taken as TLVs: off %u lo %u lw %u adj %u pad %u\n", k % 6,
                    m1.tlv.off, m1.tlv.lo, m1.tlv.lw, m1.tlv.adj, m1.tlv.pad);
        CHECK(!m1.tlv.on && !m2.tlv.on);
    }
}

/* A header piece, then the rest of the message counted by a length in the
 * header (gearman-like: magic, type, body length, body): the message's
 * own length field, not a TLV chain. */
static gsize header_len_msg(guint8 *b)
{
    gsize l = 12 + rnd(100);
    memcpy(b, "\0REQ", 4);
    put(b + 4, rnd(30), 4, 1);
    put(b + 8, l - 12, 4, 1);
    fill(b + 12, l - 12);
    return l;
}

/* A zero byte, then a 1-byte length of the rest: a 1-byte "TLV" of a
 * length 0 has no type. */
static void test_header_not_tlv(void *mem)
{
    wip_hdr_model_t m1, m2;
    learn(mem, header_len_msg, header_len_msg, 40, &m1, &m2);
    CHECK(!m1.tlv.on && !m2.tlv.on);

    static wip_tlv_learn_t L, O;
    guint8 b[300];
    memset(&L, 0, sizeof L);
    memset(&O, 0, sizeof O);
    for (int i = 0; i < 40; i++) {
        gsize l = 8 + rnd(200);
        fill(b, l);
        b[2] = 0;
        b[3] = (guint8)(l - 4);
        wip_tlv_learn(&L, b, l);
        wip_tlv_learn(&O, b, l);
    }
    wip_tlv_t t;
    wip_tlv_model(&L, &O, NULL, 0, &t);
    CHECK(!t.on);
}

int main(void)
{
    void *mem = g_malloc(wip_infer_size());
    test_diameter(mem);
    test_l2tp(mem);
    test_radius_stun(mem);
    test_ike_lcp(mem);
    test_no_chain(mem);
    test_header_not_tlv(mem);
    test_structured_not_tlv(mem);
    g_free(mem);
    if (failures)
        fprintf(stderr, "%d failures\n", failures);
    else
        printf("test_tlv: all passed\n");
    return failures ? 1 : 0;
}
