/* fuzz_frame.c - libFuzzer harness for the TCP framing core (wip_frame.c).
 *
 * Input: 16 bytes choose a framing rule (length field offset, width, byte
 * order, scale, adjustment, leading constants, BER, weak), the rest is a
 * stream cut into segments by the bytes' own values.  Checks: wip_infer_frame
 * terminates with n >= 1 and SKIP within the data, wip_infer_frame_need is
 * bounded, wip_frame_tile's starts tile the data, and the tracker's starts
 * are increasing and inside each segment; a wait judged plausible is never
 * beyond WIP_FRAME_WAIT_FACTOR times the longest plus WIP_FRAME_WAIT_SLACK,
 * and the rule judge asks to drop a rule only after WIP_FRAME_DROP_FAILS
 * failures in a row.  The segments are also learned as messages of two
 * directions: a young direction's provisional model (wip_infer_shown) has
 * fields of at most WIP_INFER_PROVISIONAL_PCT% confidence and frames TCP
 * only by a BER length; a segment offered unframed is learned as at most
 * as many messages as it has bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "wip_frame.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_frame: invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)
#define RULE_BYTES 16
#define YOUNG_SEL  0xe0   /* bits of rule byte 14 that select the learner check */

static void rule_from(const uint8_t *d, wip_frame_rule_t *r)
{
    static const guint8 widths[] = { 1, 2, 3, 4, 8 };
    guint i;
    memset(r, 0, sizeof *r);
    r->len.kind = WIP_F_LENGTH;
    r->len.offset = d[0] % 24;
    r->len.width = widths[d[1] % sizeof widths];
    r->len.big_endian = d[2] & 1;
    r->len.len_scale = (d[2] >> 1) & 1 ? 4 : ((d[2] >> 2) & 1 ? 0 : 1);
    r->len.len_adjust = (gint8)d[3];
    r->n_const = d[4] % 9;
    for (i = 0; i < r->n_const; i++) {
        r->const_off[i] = d[5 + i] % 8;
        r->const_val[i] = d[5 + i] >> 3;
    }
    r->ber = (d[13] & 3) == 0;
    r->ber_off = d[13] >> 5;
    r->tile_only = (d[14] & 3) == 0;
    r->min_len = (guint32)r->len.offset + r->len.width;
    r->max_len = 16 + (guint32)d[15] * 64;
}

static void check_frame(const wip_frame_rule_t *r, const uint8_t *b, size_t len)
{
    size_t pos = 0, k = 0;
    while (pos < len) {
        guint32 n = 0;
        wip_frame_res_t fr = wip_infer_frame(r, b + pos, len - pos, &n);
        CHECK(++k <= len + 1);
        if (fr == WIP_FRAME_NEED_MORE) {
            CHECK(wip_infer_frame_need(r, b + pos, len - pos) <= 64);
            break;
        }
        CHECK(n >= 1);
        if (fr == WIP_FRAME_SKIP)
            CHECK(n <= len - pos);
        else
            CHECK(n <= r->max_len);
        if (n > len - pos)
            break;
        pos += n;
    }
}

static void check_starts(const wip_frame_starts_t *st, size_t len)
{
    guint i;
    CHECK(st->n <= WIP_FRAME_MAX_STARTS);
    for (i = 0; i < st->n; i++) {
        CHECK(st->off[i] < len);
        CHECK(st->what[i] == WIP_FRAME_AT_MSG || st->what[i] == WIP_FRAME_AT_SKIP);
        if (i > 0)
            CHECK(st->off[i] > st->off[i - 1]);
    }
}

static void check_wait_judge(const wip_frame_rule_t *r, const uint8_t *b, size_t len)
{
    guint8 fails = 0, run = 0;
    size_t i;
    for (i = 0; i + 8 <= len; i += 8) {
        guint32 n, longest;
        gboolean ok = b[i] & 1;
        memcpy(&n, b + i, 4);
        memcpy(&longest, b + i + 4, 4);
        if (wip_frame_wait_plausible(r, n, longest))
            CHECK(n <= longest || (guint64)n <= (guint64)longest * WIP_FRAME_WAIT_FACTOR + WIP_FRAME_WAIT_SLACK);
        run = ok ? 0 : (guint8)(run + 1);
        if (wip_frame_judge(&fails, ok)) {
            CHECK(!ok && run >= WIP_FRAME_DROP_FAILS && fails == 0);
            run = 0;
        }
        CHECK(fails < WIP_FRAME_DROP_FAILS);
    }
}

static void check_young(const uint8_t *b, size_t len)
{
    static guint8 mem[1 << 21];
    wip_infer_t *inf;
    wip_frame_rule_t r;
    size_t pos = 0;
    int k = 0;
    if (wip_infer_size() > sizeof mem)
        abort();
    inf = wip_infer_init(mem);
    while (pos < len && k++ < 16) {
        size_t seg = MIN((size_t)(b[pos] & 0x3f) + 1, len - pos);
        int dir = (b[pos] & 0x40) ? 2 : 1;
        const wip_hdr_model_t *m;
        guint i;
        guint32 before = wip_infer_n_msgs(inf, dir);
        if (b[pos] & 0x20)     /* an unframed segment: split by the rule learned so far */
            wip_infer_offer_segment(inf, (guint32)(b[pos] >> 7), dir, b + pos, seg, 0);
        else
            wip_infer_offer(inf, (guint32)(b[pos] >> 7), dir, b + pos, seg, 0, TRUE);
        CHECK(wip_infer_n_msgs(inf, dir) >= before && wip_infer_n_msgs(inf, dir) - before <= seg);
        m = wip_infer_shown(inf, dir, FALSE);
        CHECK(m && m->n_fields <= WIP_INFER_MAX_FIELDS);
        if (wip_infer_young(inf, dir)) {
            for (i = 0; i < m->n_fields; i++)
                CHECK(m->f[i].confidence <= WIP_INFER_PROVISIONAL_PCT);
            CHECK(!wip_infer_frame_rule(inf, dir, m, &r) || m->ber);
        } else
            CHECK(m == wip_infer_cached(inf, dir, FALSE));
        pos += seg;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wip_frame_rule_t r;
    wip_frame_track_t t;
    wip_frame_starts_t st;
    size_t pos = RULE_BYTES;
    guint32 seq = 1;
    if (size < RULE_BYTES)
        return 0;
    rule_from(data, &r);
    if ((data[14] & YOUNG_SEL) == YOUNG_SEL)   /* one input in 8: a learner is slow to set up */
        check_young(data + RULE_BYTES, size - RULE_BYTES);
    check_frame(&r, data + RULE_BYTES, size - RULE_BYTES);
    check_wait_judge(&r, data + RULE_BYTES, size - RULE_BYTES);
    if (wip_frame_tile(&r, data + RULE_BYTES, size - RULE_BYTES, &st)) {
        CHECK(st.known && st.n >= 1 && st.off[0] == 0);
        check_starts(&st, size - RULE_BYTES);
    }
    memset(&t, 0, sizeof t);
    while (pos < size) {
        /* a segment: length from the byte at its start (1..256), sometimes a gap */
        size_t seg = MIN((size_t)data[pos] + 1, size - pos);
        gboolean gap = (data[pos] & 0x0f) == 0x0f;
        wip_frame_track(&t, (data[pos] & 0x30) == 0x30 ? NULL : &r, seq + (gap ? 7 : 0),
                        data + pos, seg, (data[pos] & 0x40) != 0, &st);
        if (st.known)
            check_starts(&st, seg);
        CHECK(t.n_carry <= WIP_FRAME_CARRY);
        seq += (guint32)seg + (gap ? 7 : 0);
        pos += seg;
    }
    return 0;
}
