/* wip_tlv.h - type-length-value chains in message bodies (pure C + GLib).
 *
 * Many binary protocols carry their body as a chain of TLVs, each with a
 * length field that says where the next one starts: RADIUS attributes
 * (RFC 2865), Diameter AVPs (RFC 6733 4.1), L2TP AVPs (RFC 2661 4.1),
 * DHCP options, IKE payloads, SCTP chunks, TLS extensions, STUN attributes,
 * PPP/LCP options, netlink attributes.  The learner counts, per candidate
 * TLV layout and chain start, the messages whose chain lands exactly on
 * the message end; a layout that does so in nearly all messages of a
 * direction, with varied chains, is the body's structure.  Fixed size, no
 * allocation. */
#ifndef WIP_TLV_H
#define WIP_TLV_H

#include <glib.h>

/* One TLV layout and where its chain starts (part of wip_hdr_model_t). */
typedef struct {
    guint8 on;      /* 1: the body is a TLV chain from off to the message end */
    guint8 off;     /* offset of the first TLV in the message */
    guint8 lo, lw;  /* length field: offset in the TLV, width 1-4 bytes */
    guint8 be;      /* its byte order */
    guint8 mbits;   /* 0: the whole field; else its low mbits bits (flags above) */
    guint8 adj;     /* TLV bytes = length + adj: 0 counts the whole TLV, lo
                     * from the length field on, lo+lw the value only */
    guint8 pad;     /* each TLV padded to a multiple of pad bytes (1 or 4) */
    guint8 nx, xw;  /* length first (lo 0): nx header words of xw bytes after it */
    guint8 conf;
} wip_tlv_t;

#define WIP_TLV_START_MIN 2    /* chain starts learned: 2 .. 47 */
#define WIP_TLV_NSTART    46
#define WIP_TLV_NCAND     240  /* candidate layouts (at most) */
#define WIP_TLV_XMAX      16   /* TLV header bytes with statistics */
#define WIP_TLV_NFLD      48   /* distinct length fields of the layouts (at most) */

typedef struct {
    guint8 lo, lw, be, mbits, adj, pad;
} wip_tlv_cand_t;

typedef struct {
    guint8  n2, n1, nf;  /* chains of >= 2 TLVs, of 1 (or none), not landing on the end */
    guint8  ndiff, nvar; /* chains other than the first one; with TLVs of 2+ sizes */
    guint8  dead;
    guint16 sig;         /* the first chain's TLV sizes, hashed */
    guint8  t0, t1;      /* the first chain's first two TLV types, hashed */
    guint8  trec;        /* later chains with a TLV of one of those types */
    guint8  tinf;        /* chains with a TLV whose type is neither 0 nor its length */
} wip_tlv_cell_t;

/* The learner of one direction (embedded in wip_infer_t; zero is empty). */
typedef struct {
    guint8  ready;
    guint16 ncand;
    guint32 n;           /* messages learned */
    guint32 live;        /* cells not dead */
    guint16 live_s[WIP_TLV_NSTART];  /* of them, per start */
    guint64 s2;          /* bit s: a cell of start s has counted a chain of 2+ TLVs */
    wip_tlv_cand_t cand[WIP_TLV_NCAND];
    guint8  nfld, fi[WIP_TLV_NCAND];  /* the length fields of the layouts (read once per start) */
    guint8  hmin[WIP_TLV_NCAND];      /* the layouts' smallest TLV */
    guint8  fc[WIP_TLV_NCAND], fbeg[WIP_TLV_NFLD + 1];  /* the layouts by length field */
    wip_tlv_cand_t fld[WIP_TLV_NFLD];
    wip_tlv_cell_t cell[WIP_TLV_NSTART][WIP_TLV_NCAND];
    /* the best cell so far (re-chosen per message up to 16, then every 8): TLV statistics */
    gint16  tr_c, tr_s;
    guint32 x_n[WIP_TLV_XMAX], x_zero[WIP_TLV_XMAX];
    guint32 x_tlvs, x_min;
} wip_tlv_learn_t;

/* Learn one message (exactly one, from its start). */
void wip_tlv_learn(wip_tlv_learn_t *L, const guint8 *buf, gsize len);

/* The layout for a direction (own learner L, the other direction's O,
 * may be NULL) whose header fields are f[0..nf): out->on 0 when none fits.
 * The chain starts after the header's message length field, if any. */
struct wip_field;
void wip_tlv_model(const wip_tlv_learn_t *L, const wip_tlv_learn_t *O, const struct wip_field *f, guint nf,
                   wip_tlv_t *out);

/* The TLVs of one message: number of TLVs when the chain from t->off lands
 * exactly on len, else 0. */
guint wip_tlv_count(const wip_tlv_t *t, const guint8 *buf, gsize len);

/* The fields of one message's chain (header fields, value and padding
 * spans of up to 255 bytes), when it lands exactly on len; 0 otherwise.
 * *end: the end of the last field written. */
guint wip_tlv_fields(const wip_tlv_t *t, const guint8 *buf, gsize len, struct wip_field *out, guint max,
                     guint *end);

#endif
