/* wip_pkt.h - packet metadata shared by the pure C core modules.
 *
 * No Wireshark types here: the glue (packet-wip.c) fills a wip_pkt_t from
 * the frame and hands it to the classifiers.
 */
#ifndef WIP_PKT_H
#define WIP_PKT_H

#include <string.h>
#include <glib.h>

#define WIP_TRANSPORT_TCP 6
#define WIP_TRANSPORT_UDP 17

#define WIP_DIR_TO_PORT   1   /* towards the wip-port side */
#define WIP_DIR_FROM_PORT 2   /* from the wip-port side */

/* TCP flag bits as in the 12-bit tcp.flags field */
#define WIP_TH_FIN 0x001
#define WIP_TH_SYN 0x002
#define WIP_TH_RST 0x004
#define WIP_TH_PSH 0x008
#define WIP_TH_ACK 0x010
#define WIP_TH_URG 0x020
#define WIP_TH_ECE 0x040
#define WIP_TH_CWR 0x080
#define WIP_TH_NS  0x100
#define WIP_TH_RES 0xE00

typedef struct wip_pkt {
    guint32 frame;          /* frame number (1-based) */
    double  ts;             /* absolute time, seconds */
    guint8  transport;      /* WIP_TRANSPORT_TCP or WIP_TRANSPORT_UDP */
    guint8  dir;            /* WIP_DIR_TO_PORT or WIP_DIR_FROM_PORT */
    guint8  ip_version;     /* 4 or 6; 0 when no IP header was found */
    guint8  ttl;            /* IPv4 TTL or IPv6 hop limit */
    gboolean df;            /* IPv4 don't-fragment bit */
    guint16 ip_id;          /* IPv4 identification */
    guint16 ip_len;         /* IPv4 total length / IPv6 payload length + 40 */
    guint8  src[16];        /* source address (IPv4 in the first 4 bytes) */
    guint8  dst[16];
    guint16 sport, dport;
    /* TCP only */
    guint32 seq, ack;       /* raw (absolute) values */
    guint16 flags;          /* WIP_TH_* bits */
    guint16 window;         /* raw window field, unscaled */
    guint16 urgptr;
    guint8  th_len;         /* TCP header length in bytes */
    guint8  opts_len;       /* bytes of TCP options */
    guint8  opts[40];
    /* payload */
    guint32 payload_len;    /* as declared by the IP/TCP/UDP headers */
    const guint8 *payload;  /* captured payload bytes (may be shorter) */
    guint32 payload_caplen;
} wip_pkt_t;

/* Where the headers were found, for the tree. */
typedef struct wip_pkt_loc {
    guint ip_off;
    guint l4_off;
    guint payload_off;
} wip_pkt_loc_t;

/*
 * Find the IPv4/IPv6 header followed by the TCP/UDP header of a frame whose
 * addresses and ports are known (from the dissection) and fill *out.
 * src/dst: addr_len bytes (4 or 16).  Looks at the first 256 bytes only.
 * Never reads past len.  Returns TRUE when found.
 */
gboolean wip_pkt_parse(const guint8 *frame, gsize len, guint8 transport,
                       const guint8 *src, const guint8 *dst, guint addr_len,
                       guint16 sport, guint16 dport,
                       wip_pkt_t *out, wip_pkt_loc_t *loc);

/* Convenience: does the TCP option list consist of exactly the given kinds
 * (e.g. "\x02" for MSS only)? */
gboolean wip_pkt_opts_kinds(const wip_pkt_t *p, guint8 *kinds, guint max, guint *n);

/* Walks the TCP options: the next option after *i (NOPs skipped), its
 * kind and length (header included); *i then points past it.  FALSE at the
 * end of the list, at an end-of-list option or at a malformed length. */
gboolean wip_pkt_opt_next(const wip_pkt_t *p, guint *i, guint8 *kind, guint8 *len);

/* A tiny text builder for the per-frame texts (summary, evidence): no
 * printf.  Always NUL-terminated; truncates at the buffer's end (cap >= 1). */
typedef struct {
    char *b;
    gsize n, cap;
} wip_sb_t;
static inline void wip_sb_add(wip_sb_t *sb, const char *s, gsize len)
{
    if (len > sb->cap - 1 - sb->n)
        len = sb->cap - 1 - sb->n;
    memcpy(sb->b + sb->n, s, len);
    sb->n += len;
    sb->b[sb->n] = '\0';
}

static inline void wip_sb_str(wip_sb_t *sb, const char *s)
{
    wip_sb_add(sb, s, strlen(s));
}

static inline void wip_sb_uint(wip_sb_t *sb, guint32 v)
{
    char tmp[10];
    gsize k = sizeof tmp;
    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    wip_sb_add(sb, tmp + k, sizeof tmp - k);
}

/* Value of the MSS option, 0 if absent. */
guint16 wip_pkt_mss(const wip_pkt_t *p);

#endif
