/* fuzz_pkt.c - libFuzzer harness for wip_pkt_parse() and the TCP option
 * helpers (plugin/wip_pkt.c).
 *
 * Input layout:
 *   byte 0      config: bit0 TCP (else UDP), bit1 IPv6 addresses,
 *               bit2 "take addresses/ports from the frame" (self-consistent:
 *               the harness reads them at the offset given by byte 1, so the
 *               parser usually finds a header), bit3 odd addr_len (must be
 *               rejected), bit4 pass loc == NULL
 *   byte 1      offset of the IP header guess (self-consistent mode)
 *   then        explicit mode: src, dst (4 or 16 bytes each), sport, dport
 *   rest        the frame (copied into an exact-size heap buffer so ASan sees
 *               any read past its end)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "wip_pkt.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_pkt: invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

static guint16 be16(const guint8 *b) { return (guint16)((b[0] << 8) | b[1]); }

static void check_pkt(const guint8 *frame, size_t len, const wip_pkt_t *p, const wip_pkt_loc_t *loc)
{
    CHECK(p->opts_len <= sizeof p->opts);
    CHECK(p->ip_version == 4 || p->ip_version == 6);
    if (p->payload) {
        CHECK(p->payload >= frame && p->payload <= frame + len);
        CHECK((size_t)(p->payload - frame) + p->payload_caplen <= len);
        CHECK(p->payload_caplen <= p->payload_len);
        /* touch every captured payload byte: ASan validates the range */
        volatile guint8 acc = 0;
        for (guint32 i = 0; i < p->payload_caplen; i++)
            acc ^= p->payload[i];
        (void)acc;
    } else {
        CHECK(p->payload_caplen == 0);
    }
    if (loc) {
        CHECK(loc->ip_off < len);
        CHECK(loc->ip_off < loc->l4_off);
        CHECK(loc->l4_off < loc->payload_off);
        CHECK(loc->l4_off < len);
        if (p->payload)
            CHECK(frame + loc->payload_off == p->payload);
    }
    guint8 kinds[8];
    guint n = 99;
    (void)wip_pkt_opts_kinds(p, kinds, sizeof kinds, &n);
    CHECK(n <= sizeof kinds);
    (void)wip_pkt_opts_kinds(p, kinds, 0, &n);
    CHECK(n == 0);
    (void)wip_pkt_opts_kinds(p, kinds, 1, NULL);
    (void)wip_pkt_mss(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    guint8 cfg = data[0];
    guint8 hint = data[1];
    data += 2; size -= 2;

    guint8 transport = (cfg & 1) ? WIP_TRANSPORT_TCP : WIP_TRANSPORT_UDP;
    guint addr_len = (cfg & 2) ? 16 : 4;
    gboolean self = (cfg & 4) != 0;
    guint8 src[16] = { 0 }, dst[16] = { 0 };
    guint16 sport = 0, dport = 0;

    if (!self) {
        size_t need = 2 * addr_len + 4;
        if (size < need)
            return 0;
        memcpy(src, data, addr_len);
        memcpy(dst, data + addr_len, addr_len);
        sport = be16(data + 2 * addr_len);
        dport = be16(data + 2 * addr_len + 2);
        data += need; size -= need;
    } else {
        /* read addresses/ports where an IP header at offset hint would
         * hold them; missing bytes stay zero */
        size_t o = hint;
        size_t a_off = addr_len == 4 ? o + 12 : o + 8;
        size_t ihl = addr_len == 4 ? 20 : 40;
        if (addr_len == 4 && o < size)
            ihl = (size_t)(data[o] & 0x0f) * 4;
        for (guint i = 0; i < addr_len; i++) {
            if (a_off + i < size) src[i] = data[a_off + i];
            if (a_off + addr_len + i < size) dst[i] = data[a_off + addr_len + i];
        }
        size_t l4 = o + ihl;
        if (l4 + 4 <= size) {
            sport = be16(data + l4);
            dport = be16(data + l4 + 2);
        }
    }

    guint8 *frame = malloc(size ? size : 1);
    if (!frame)
        return 0;
    if (size)
        memcpy(frame, data, size);

    guint al = (cfg & 8) ? (guint)(hint % 20) : addr_len;
    wip_pkt_t p;
    wip_pkt_loc_t loc;
    memset(&p, 0xA5, sizeof p);   /* parse must not depend on prior contents */
    gboolean ok = wip_pkt_parse(frame, size, transport, src, dst, al, sport, dport,
                                &p, (cfg & 16) ? NULL : &loc);
    if (al != 4 && al != 16)
        CHECK(!ok);
    if (ok) {
        CHECK(p.transport == transport);
        CHECK(p.sport == sport && p.dport == dport);
        CHECK(memcmp(p.src, src, al) == 0 && memcmp(p.dst, dst, al) == 0);
        check_pkt(frame, size, &p, (cfg & 16) ? NULL : &loc);
    }
    /* the other transport and the other address family on the same frame */
    ok = wip_pkt_parse(frame, size, transport == WIP_TRANSPORT_TCP ? WIP_TRANSPORT_UDP : WIP_TRANSPORT_TCP,
                       src, dst, addr_len, sport, dport, &p, &loc);
    if (ok)
        check_pkt(frame, size, &p, &loc);
    /* NULL frame must be refused */
    CHECK(!wip_pkt_parse(NULL, size, transport, src, dst, addr_len, sport, dport, &p, &loc));
    free(frame);
    return 0;
}
