/* wip_infer.h - infer the header of an unknown binary protocol (pure C + GLib). */
#ifndef WIP_INFER_H
#define WIP_INFER_H

#include <glib.h>

typedef enum {
    WIP_F_NONE = 0, WIP_F_MAGIC, WIP_F_LENGTH, WIP_F_TYPE, WIP_F_SEQ,
    WIP_F_TXID, WIP_F_SESSION, WIP_F_TIMESTAMP, WIP_F_FIELD, WIP_F_COUNT
} wip_fkind_t;

const char *wip_fkind_name(wip_fkind_t k);  /* "magic", "length", ... */

typedef struct wip_field {
    wip_fkind_t kind;
    guint16 offset;        /* from message start */
    guint8  width;         /* bytes: 1, 2, 3, 4 or 8; WIP_F_FIELD: any span (a run
                            * of bytes without inner boundaries, up to 255) */
    guint8  big_endian;    /* 1 big, 0 little (meaningless for width 1) */
    guint8  confidence;    /* 0-100 */
    /* WIP_F_LENGTH: message length = value * len_scale + len_adjust, i.e.
     * what the value counts: len_adjust = bytes not counted */
    gint32  len_adjust;
    guint8  len_scale;
    guint32 magic;         /* WIP_F_MAGIC: the constant value */
    gint32  step;          /* WIP_F_SEQ: usual increment */
} wip_field_t;

#define WIP_INFER_MAX_FIELDS 16

#include "wip_tlv.h"   /* TLV chains in bodies (wip_hdr_model_t.tlv) */

/* Bounds of the learner (additions; see wip_infer.c for the method). */
#define WIP_INFER_NOFF   48   /* leading byte offsets learned per message */
#define WIP_INFER_NCONV  64   /* conversations tracked at once (LRU replacement) */
#define WIP_INFER_NKIND  4    /* message kinds (values of a type byte) learned apart, per direction */

typedef struct {
    guint n_fields;                    /* sorted by offset, non-overlapping */
    wip_field_t f[WIP_INFER_MAX_FIELDS];
    guint32 n_msgs;                    /* messages learned from */
    guint32 n_convs;                   /* conversations learned from */
    guint16 hdr_len;                   /* bytes covered by fields (body starts here) */
    /* BER/ASN.1: from ber_off on, each message is one constructed TLV
     * whose length spans the rest of it; its fields differ per message
     * (wip_infer_ber_fields) and f[] at or after ber_off only label them. */
    guint8  ber;
    guint8  ber_off;
    /* TLV chain: from tlv.off on, the body is a chain of TLVs of one
     * layout (wip_tlv.h); its fields differ per message (wip_tlv_fields). */
    wip_tlv_t tlv;
} wip_hdr_model_t;

/* The body of a message from start on, when it is printable text
 * arguments separated by single NULs (each with its NUL): one field per
 * argument starting in the first WIP_INFER_NOFF bytes, widths up to 255
 * (shown as byte spans).  Returns the number written (<= max). */
guint wip_infer_body_fields(const guint8 *buf, gsize len, guint start, wip_field_t *out, guint max);

/* A BER TLV header at p: returns its length (tag + length bytes), the
 * content length in *clen and the tag bytes in *tag_len; 0 if invalid or
 * cut (long-form lengths of 1-4 bytes, tags of up to 4 bytes). */
int wip_ber_hdr(const guint8 *p, gsize avail, guint32 *clen, int *tag_len);

/* The fields of one message of a BER model from ber_off on, within its
 * first WIP_INFER_NOFF bytes: tags, lengths (long form: the count byte,
 * then the length), primitive values of up to 8 bytes (labelled by f[] when
 * it has a field of the same offset and width).  Returns the number of
 * fields written (<= max), *end the end of the last one. */
guint wip_infer_ber_fields(const wip_hdr_model_t *m, const guint8 *buf, gsize len,
                           wip_field_t *out, guint max, guint *end);

/* One learner per port and transport: fixed size, no allocation after init. */
typedef struct wip_infer wip_infer_t;
gsize wip_infer_size(void);
wip_infer_t *wip_infer_init(void *mem);

/* Learn one message (first pass, in capture order).  conv: a small id of
 * the conversation (the glue numbers them); dir: 1 to port, 2 from port. */
void wip_infer_learn(wip_infer_t *inf, guint32 conv, int dir,
                     const guint8 *buf, gsize len, double ts);

/* Learn one buffer known to be exactly one message (UDP datagram, framed
 * TCP message): no continuation gate, no splitting. */
void wip_infer_learn_msg(wip_infer_t *inf, guint32 conv, int dir,
                         const guint8 *buf, gsize len, double ts);

/* The current hypothesis for messages in direction dir. */
void wip_infer_model(const wip_infer_t *inf, int dir, wip_hdr_model_t *out);

/* Messages learned / rejected (continuation segments that fail an
 * established leading constant) in direction dir. */
guint32 wip_infer_n_msgs(const wip_infer_t *inf, int dir);
guint32 wip_infer_n_rejected(const wip_infer_t *inf, int dir);

/* TCP framing: with an established length field, the length of the message
 * that starts at buf.  FALSE when the model has no length field or buf is
 * too short to hold it;  */
gboolean wip_infer_msg_len(const wip_hdr_model_t *m, const guint8 *buf, gsize len,
                           guint32 *msg_len);

/* ---- Policy for the dissector glue (sampling, model cache, message
 * starts, TCP framing).  All state lives in the learner; nothing allocates. */

#define WIP_INFER_LEARN_FULL   1024  /* learn every message up to this many per direction, */
#define WIP_INFER_LEARN_EVERY  32    /* then one in this many (the model has settled) */
#define WIP_INFER_FRESH_MAX    256   /* first pass: a fresh model per shown message up to this many */
#define WIP_INFER_MODEL_EVERY  8     /* else recompute the cached model every N messages (at least) */

/* First pass: offer one message (or TCP segment) in capture order.  Learns
 * it, or only counts it once the model has settled (sampling).  Returns
 * FALSE when the buffer is not a message start as far as the learner can
 * tell (a continuation segment), TRUE otherwise.  start_known: buf is
 * exactly one message (UDP datagram, framed TCP message). */
gboolean wip_infer_offer(wip_infer_t *inf, guint32 conv, int dir,
                         const guint8 *buf, gsize len, double ts, gboolean start_known);

/* First pass: offer an unframed TCP segment.  When the rule of
 * wip_infer_tile_rule tiles it exactly into WIP_INFER_SPLIT_MIN or more
 * messages (wip_frame_tile), each is offered as a message of its own
 * (start known) and TRUE is returned; else wip_infer_offer(..., FALSE). */
#define WIP_INFER_SPLIT_MIN 2
gboolean wip_infer_offer_segment(wip_infer_t *inf, guint32 conv, int dir,
                                 const guint8 *buf, gsize len, double ts);

/* Messages offered to the learner in direction dir (learned or sampled out). */
guint32 wip_infer_n_offered(const wip_infer_t *inf, int dir);

/* The cached model of direction dir: recomputed when anything was learned
 * since and (visited: a later pass, or early in the first pass) or enough
 * messages were learned since the last computation. */
const wip_hdr_model_t *wip_infer_cached(wip_infer_t *inf, int dir, gboolean visited);

/* A direction is young while it has learned fewer than
 * WIP_INFER_YOUNG_MSGS messages and the other direction has learned some. */
#define WIP_INFER_YOUNG_MSGS      4
#define WIP_INFER_PROVISIONAL_PCT 50  /* confidence of a provisional model's fields, percent */
gboolean wip_infer_young(const wip_infer_t *inf, int dir);

/* The model to show on a message of direction dir: wip_infer_cached, or
 * while the direction is young (wip_infer_young) a provisional model
 * learned from both directions, its fields at WIP_INFER_PROVISIONAL_PCT%
 * of their confidence (too low to judge message starts or to frame TCP). */
const wip_hdr_model_t *wip_infer_shown(wip_infer_t *inf, int dir, gboolean visited);

/* The model to show on the message at buf: that of its kind (the value of
 * the direction's type byte, chosen from its first messages) when that
 * kind has enough messages learned, else common (the direction's model).
 * Cached like wip_infer_cached. */
const wip_hdr_model_t *wip_infer_kind_model(wip_infer_t *inf, int dir, const wip_hdr_model_t *common,
                                            const guint8 *buf, gsize len, gboolean visited);

/* Why the model's header cannot be shown on buf as a message start, or
 * NULL when it can (a model without fields: an empty header marks the
 * message start).  message_start: the caller knows buf starts a message
 * (UDP datagram, TCP framed message); then a leading constant that differs
 * is no reason (another message kind). */
const char *wip_infer_no_header(const wip_hdr_model_t *m, const guint8 *buf, gsize len,
                                gboolean message_start);

/* Leading learned constants of the model that differ in buf (bit i: the
 * i-th magic field), 0 when all match or buf is too short to tell. */
guint32 wip_infer_const_mismatch(const wip_hdr_model_t *m, const guint8 *buf, gsize len);

/* For the TCP framing rule (wip_frame.h): the byte at offset off of
 * direction dir's messages is one value in at least 99% of them (never
 * varies: not a kind byte); the longest message learned in dir. */
gboolean wip_infer_byte_fixed(const wip_infer_t *inf, int dir, guint off);
guint32 wip_infer_longest(const wip_infer_t *inf, int dir);

#include "wip_frame.h"   /* TCP framing by the learned header */

#endif
