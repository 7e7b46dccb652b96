/* wip_pkt.c - locate the IP and TCP/UDP headers of a frame (pure C). */
#include <string.h>
#include "wip_pkt.h"

#define WIP_SCAN_LIMIT 256

static guint16 rd16(const guint8 *b) { return (guint16)((b[0] << 8) | b[1]); }
static guint32 rd32(const guint8 *b)
{
    return ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
}

/* IPv4 header at off?  Returns its length, 0 if not. */
static guint try_ipv4(const guint8 *f, gsize len, gsize off, guint8 transport,
                      const guint8 *src, const guint8 *dst)
{
    if (off + 20 > len || (f[off] >> 4) != 4)
        return 0;
    guint ihl = (guint)(f[off] & 0x0f) * 4;
    if (ihl < 20 || off + ihl > len || f[off + 9] != transport)
        return 0;
    if ((rd16(f + off + 6) & 0x1fff) != 0)      /* not a first fragment */
        return 0;
    if (memcmp(f + off + 12, src, 4) != 0 || memcmp(f + off + 16, dst, 4) != 0)
        return 0;
    return ihl;
}

/* IPv6 header (plus simple extension headers) at off?  Returns the bytes
 * up to the transport header, 0 if not. */
static guint try_ipv6(const guint8 *f, gsize len, gsize off, guint8 transport,
                      const guint8 *src, const guint8 *dst)
{
    if (off + 40 > len || (f[off] >> 4) != 6)
        return 0;
    if (memcmp(f + off + 8, src, 16) != 0 || memcmp(f + off + 24, dst, 16) != 0)
        return 0;
    guint8 nh = f[off + 6];
    gsize pos = off + 40;
    for (int i = 0; i < 8 && nh != transport; i++) {
        if (pos + 8 > len)
            return 0;
        switch (nh) {
        case 0: case 43: case 60:           /* hop-by-hop, routing, dest opts */
            nh = f[pos];
            pos += ((gsize)f[pos + 1] + 1) * 8;
            break;
        case 44:                             /* fragment: only first fragments */
            if ((rd16(f + pos + 2) & 0xfff8) != 0)
                return 0;
            nh = f[pos];
            pos += 8;
            break;
        default:
            return 0;
        }
    }
    if (nh != transport || pos > len)
        return 0;
    return (guint)(pos - off);
}

/* Fills *out from the IP header at off (hl bytes up to the transport
 * header at l4) and the transport header. */
static void pkt_fill(const guint8 *frame, gsize len, guint8 transport,
                     const guint8 *src, const guint8 *dst, guint addr_len,
                     guint16 sport, guint16 dport, gsize off, guint hl, gsize l4,
                     wip_pkt_t *out, wip_pkt_loc_t *loc)
{
    memset(out, 0, sizeof(*out));
    out->transport = transport;
    out->ip_version = addr_len == 4 ? 4 : 6;
    memcpy(out->src, src, addr_len);
    memcpy(out->dst, dst, addr_len);
    out->sport = sport;
    out->dport = dport;
    gsize ip_payload;                  /* bytes after the IP header(s), as declared */
    if (addr_len == 4) {
        out->ttl = frame[off + 8];
        out->df = (frame[off + 6] & 0x40) != 0;
        out->ip_id = rd16(frame + off + 4);
        out->ip_len = rd16(frame + off + 2);
        ip_payload = out->ip_len >= hl ? out->ip_len - hl : 0;
    } else {
        out->ttl = frame[off + 7];
        out->ip_len = (guint16)MIN(65535u, rd16(frame + off + 4) + 40u);
        gsize ext = hl - 40;
        ip_payload = rd16(frame + off + 4) >= ext ? rd16(frame + off + 4) - ext : 0;
    }
    gsize payload_off, declared;
    if (transport == WIP_TRANSPORT_TCP) {
        const guint8 *t = frame + l4;
        out->seq = rd32(t + 4);
        out->ack = rd32(t + 8);
        out->th_len = (guint8)((t[12] >> 4) * 4);
        out->flags = (guint16)(((t[12] & 0x0f) << 8) | t[13]);
        out->window = rd16(t + 14);
        out->urgptr = rd16(t + 18);
        guint thl = out->th_len < 20 ? 20 : out->th_len;
        if (out->th_len >= 20 && l4 + out->th_len <= len) {
            out->opts_len = (guint8)(out->th_len - 20);
            memcpy(out->opts, t + 20, out->opts_len);
        }
        payload_off = l4 + thl;
        declared = ip_payload >= thl ? ip_payload - thl : 0;
    } else {
        guint16 ulen = rd16(frame + l4 + 4);
        payload_off = l4 + 8;
        declared = ulen >= 8 ? ulen - 8u : 0;
    }
    /* A zero IP length (TSO captures) means: trust the capture. */
    if (ip_payload == 0 && len > payload_off && transport == WIP_TRANSPORT_TCP)
        declared = len - payload_off;
    out->payload_len = (guint32)declared;
    if (payload_off < len) {
        gsize cap = len - payload_off;
        out->payload = frame + payload_off;
        out->payload_caplen = (guint32)(cap < declared ? cap : declared);
    }
    if (loc) {
        loc->ip_off = (guint)off;
        loc->l4_off = (guint)l4;
        loc->payload_off = (guint)payload_off;
    }
}

/* The first offset (below WIP_SCAN_LIMIT) with an IP header of these
 * addresses followed by the transport header with these ports: its IP
 * header length in *hl, or -1. */
static gssize pkt_locate(const guint8 *frame, gsize len, guint8 transport,
                         const guint8 *src, const guint8 *dst, guint addr_len,
                         guint16 sport, guint16 dport, guint *hl)
{
    gsize limit = len < WIP_SCAN_LIMIT ? len : WIP_SCAN_LIMIT;
    guint32 src4 = 0;
    if (addr_len == 4)
        memcpy(&src4, src, 4);
    for (gsize off = 0; off < limit; off++) {
        if (addr_len == 4) {
            /* the source address first: one load rules out most offsets */
            guint32 w;
            if (off + 20 > len)
                break;
            memcpy(&w, frame + off + 12, 4);
            if (w != src4)
                continue;
            *hl = try_ipv4(frame, len, off, transport, src, dst);
        } else {
            *hl = try_ipv6(frame, len, off, transport, src, dst);
        }
        if (*hl == 0)
            continue;
        gsize l4 = off + *hl;
        gsize need = transport == WIP_TRANSPORT_TCP ? 20 : 8;
        if (l4 + need > len)
            continue;
        if (rd16(frame + l4) != sport || rd16(frame + l4 + 2) != dport)
            continue;
        return (gssize)off;
    }
    return -1;
}

gboolean wip_pkt_parse(const guint8 *frame, gsize len, guint8 transport,
                       const guint8 *src, const guint8 *dst, guint addr_len,
                       guint16 sport, guint16 dport,
                       wip_pkt_t *out, wip_pkt_loc_t *loc)
{
    if (!frame || !out || (addr_len != 4 && addr_len != 16))
        return FALSE;
    guint hl = 0;
    gssize off = pkt_locate(frame, len, transport, src, dst, addr_len, sport, dport, &hl);
    if (off < 0)
        return FALSE;
    pkt_fill(frame, len, transport, src, dst, addr_len, sport, dport, (gsize)off, hl, (gsize)off + hl, out, loc);
    return TRUE;
}

gboolean wip_pkt_opts_kinds(const wip_pkt_t *p, guint8 *kinds, guint max, guint *n)
{
    guint i = 0, k = 0;
    gboolean ok = TRUE;
    while (i < p->opts_len) {
        guint8 kind = p->opts[i];
        if (k < max)
            kinds[k] = kind;
        k++;
        if (kind == 0)                   /* end of list */
            break;
        if (kind == 1) {                 /* NOP */
            i++;
            continue;
        }
        if (i + 1 >= p->opts_len || p->opts[i + 1] < 2) {
            ok = FALSE;
            break;
        }
        i += p->opts[i + 1];
    }
    if (n)
        *n = k < max ? k : max;
    return ok && i <= p->opts_len;
}

gboolean wip_pkt_opt_next(const wip_pkt_t *p, guint *i, guint8 *kind, guint8 *len)
{
    guint n = p->opts_len < sizeof p->opts ? p->opts_len : sizeof p->opts;
    while (*i < n && p->opts[*i] == 1)  /* NOP */
        (*i)++;
    if (*i >= n || p->opts[*i] == 0 || *i + 1 >= n)
        return FALSE;
    guint8 l = p->opts[*i + 1];
    if (l < 2 || *i + l > n)
        return FALSE;
    *kind = p->opts[*i];
    *len = l;
    *i += l;
    return TRUE;
}

guint16 wip_pkt_mss(const wip_pkt_t *p)
{
    guint i = 0;
    guint8 kind, len;
    while (wip_pkt_opt_next(p, &i, &kind, &len))
        if (kind == 2 && len == 4)
            return rd16(p->opts + i - 2);
    return 0;
}
