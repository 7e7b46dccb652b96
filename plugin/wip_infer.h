/* wip_infer.h - infer the header of an unknown binary protocol (pure C + GLib). */
#ifndef WIP_INFER_H
#define WIP_INFER_H

#include <glib.h>

typedef enum {
    WIP_F_NONE = 0, WIP_F_MAGIC, WIP_F_LENGTH, WIP_F_TYPE, WIP_F_SEQ,
    WIP_F_TXID, WIP_F_SESSION, WIP_F_TIMESTAMP, WIP_F_FIELD, WIP_F_COUNT
} wip_fkind_t;

const char *wip_fkind_name(wip_fkind_t k);  /* "magic", "length", ... */

typedef struct {
    wip_fkind_t kind;
    guint16 offset;        /* from message start */
    guint8  width;         /* bytes: 1, 2, 4 or 8 */
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

/* Bounds of the learner (additions; see wip_infer.c for the method). */
#define WIP_INFER_NOFF   48   /* leading byte offsets learned per message */
#define WIP_INFER_NCONV  64   /* conversations tracked at once (LRU replacement) */

typedef struct {
    guint n_fields;                    /* sorted by offset, non-overlapping */
    wip_field_t f[WIP_INFER_MAX_FIELDS];
    guint32 n_msgs;                    /* messages learned from */
    guint32 n_convs;                   /* conversations learned from */
    guint16 hdr_len;                   /* bytes covered by fields (body starts here) */
} wip_hdr_model_t;

/* One learner per port and transport: fixed size, no allocation after init. */
typedef struct wip_infer wip_infer_t;
gsize wip_infer_size(void);
wip_infer_t *wip_infer_init(void *mem);

/* Learn one message (first pass, in capture order).  conv: a small id of
 * the conversation (the glue numbers them); dir: 1 to port, 2 from port. */
void wip_infer_learn(wip_infer_t *inf, guint32 conv, int dir,
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

#endif
