/* fuzz_recog.c - libFuzzer harness for plugin/wip_recog.c:
 * wip_recog_payload (stateless), wip_payload_describe, and the conversation
 * memory wip_conv_recog_update over a sequence of payloads.
 *
 * Input layout:
 *   byte 0     config: bit0 TCP, bit1 also classify the whole rest of the
 *              input as one payload
 *   records    [ctrl][len][len bytes]   ctrl: bit0 dir (0 -> 1 to port,
 *              1 -> 2 from port), bit1 second conversation, bit2 two-byte
 *              length (len = next 2 bytes big endian, else 1 byte),
 *              bit3 flip transport for this payload, bits 4-5 odd dir values
 *              (0, 3) to exercise robustness.  A short last record takes what
 *              is left.
 * Each payload is copied into its own exact-size heap buffer so ASan flags
 * any read past it (a sub-slice of the input would hide over-reads).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <math.h>
#include "wip_recog.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_recog: invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)
#define MAX_MSGS 64

static void check_recog(const wip_recog_t *r)
{
    CHECK((int)r->proto >= 0 && r->proto < WIP_P_COUNT);
    CHECK(r->confidence <= 100);
    CHECK(memchr(r->evidence, 0, sizeof r->evidence) != NULL);
    CHECK(r->evidence[0] != 0);     /* every verdict says why (a claim's text is kept) */
    const char *nm = wip_proto_name(r->proto);
    CHECK(nm != NULL && nm[0] != 0);
}

static void check_desc(const wip_payload_desc_t *d, size_t len)
{
    CHECK(d->printable_pct <= 100);
    CHECK(!isnan(d->entropy));
    CHECK(d->entropy >= 0.0 && d->entropy <= 8.0 + 1e-9);
    CHECK(memchr(d->first_line, 0, sizeof d->first_line) != NULL);
    if (!d->is_text)
        CHECK(d->first_line[0] == 0);
    if (len == 0)
        CHECK(!d->is_text && d->entropy == 0.0);
}

static void one_payload(const guint8 *buf, size_t len, gboolean tcp)
{
    wip_recog_t r;
    wip_payload_desc_t d;
    memset(&r, 0x5A, sizeof r);
    wip_recog_payload(buf, len, tcp, &r);
    check_recog(&r);
    if (len == 0)
        CHECK(r.proto == WIP_P_UNKNOWN);
    memset(&d, 0x5A, sizeof d);
    wip_payload_describe(buf, len, &d);
    check_desc(&d, len);
    CHECK(wip_payload_is_text(buf, len) == d.is_text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    guint8 cfg = data[0];
    gboolean tcp = cfg & 1;
    data++; size--;

    /* API edge cases */
    wip_recog_payload(NULL, 0, tcp, NULL);
    wip_payload_describe(NULL, 5, NULL);
    {
        wip_recog_t r;
        wip_recog_payload(NULL, 0, tcp, &r);
        check_recog(&r);
    }

    if (cfg & 2) {
        guint8 *whole = malloc(size ? size : 1);
        memcpy(whole, data, size);
        one_payload(whole, size, tcp);
        free(whole);
    }

    wip_conv_recog_t conv[2];
    wip_conv_recog_init(&conv[0]);
    wip_conv_recog_init(&conv[1]);
    size_t pos = 0;
    for (int n = 0; n < MAX_MSGS && pos < size; n++) {
        guint8 ctrl = data[pos++];
        size_t len;
        if (ctrl & 4) {
            if (pos + 2 > size) break;
            len = ((size_t)data[pos] << 8) | data[pos + 1];
            pos += 2;
        } else {
            if (pos + 1 > size) break;
            len = data[pos++];
        }
        if (len > size - pos)
            len = size - pos;
        guint8 *buf = malloc(len ? len : 1);
        memcpy(buf, data + pos, len);
        pos += len;

        gboolean t = (ctrl & 8) ? !tcp : tcp;
        int dir = (ctrl & 1) ? 2 : 1;
        switch ((ctrl >> 4) & 3) {
        case 2: dir = 0; break;
        case 3: dir = 3; break;
        default: break;
        }
        wip_conv_recog_t *c = &conv[(ctrl >> 1) & 1];

        one_payload(buf, len, t);

        wip_recog_t r;
        memset(&r, 0x5A, sizeof r);
        wip_conv_recog_update(c, len ? buf : NULL, len, t, dir, &r);
        check_recog(&r);
        CHECK((int)c->proto >= 0 && c->proto < WIP_P_COUNT);
        CHECK(c->confidence <= 100);
        free(buf);
    }
    return 0;
}
