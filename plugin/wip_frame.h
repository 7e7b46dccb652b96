/* wip_frame.h - TCP framing of an unknown binary protocol by its inferred
 * header (pure C + GLib): the framing rule taken from a learned model,
 * where the message at a buffer ends (with resynchronisation after a gap),
 * the messages a segment holds when a weaker rule tiles it exactly, and a
 * first-pass tracker of the message starts of one direction of a stream. */
#ifndef WIP_FRAME_H
#define WIP_FRAME_H

#include <glib.h>
#include "wip_infer.h"

#define WIP_INFER_FRAME_MIN_CONF 60  /* length-field confidence that frames TCP */
#define WIP_FRAME_TILE_MIN_CONF  40  /* a weaker length field splits a segment only when its
                                      * messages tile the segment exactly (wip_frame_tile) */
#define WIP_FRAME_PAIR_MIN_CONF  30  /* weaker still: tiles when the other direction's model has the
                                      * same length relation at this confidence (wip_frame_rule_tile) */
#define WIP_INFER_MAX_MSG_LEN  (1u << 20) /* longest message a framing rule may ask TCP to reassemble */
#define WIP_FRAME_MAX_STARTS   64    /* message starts (and skips) kept per segment */
#define WIP_FRAME_CARRY        16    /* bytes of a cut header carried to the next segment */
#define WIP_FRAME_WAIT_FACTOR  8     /* TCP waits for a message up to this many times the longest */
#define WIP_FRAME_WAIT_SLACK   256   /* message seen in its direction, plus this many bytes, */
#define WIP_FRAME_WAIT_CONF    80    /* when the length field is this sure (else up to NEAR_PCT) */
#define WIP_FRAME_WAIT_NEAR_PCT 150  /* any rule: up to this share (percent) of the longest message seen */
#define WIP_FRAME_DROP_FAILS   3     /* segments in a row the rule fails on before it is dropped */

/* TCP framing rule: the length field and what a plausible header looks
 * like, frozen per conversation and direction once established. */
typedef struct {
    wip_field_t len;          /* the length field */
    guint8  n_const;          /* leading constant bytes checked for plausibility */
    guint8  const_off[8];
    guint8  const_val[8];
    guint32 min_len, max_len; /* plausible message lengths */
    guint8  ber, ber_off;     /* framed by a BER TLV at ber_off (len unused) */
    guint8  tile_only;        /* the length field is weak: only wip_frame_tile may use it */
    guint32 fixed;            /* no length field: every message is this long (wip_frame_fixed_rule) */
} wip_frame_rule_t;

/* A framing rule from the model when its length field is established
 * (confidence >= WIP_INFER_FRAME_MIN_CONF); FALSE when there is none. */
gboolean wip_infer_frame_rule(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                              wip_frame_rule_t *r);

/* The same with another confidence floor (WIP_FRAME_TILE_MIN_CONF: a rule
 * only good enough for wip_frame_tile). */
gboolean wip_frame_rule_conf(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                             guint min_conf, wip_frame_rule_t *r);

/* The rule that may tile a segment (tile_only unless established): a
 * length field of confidence >= WIP_FRAME_TILE_MIN_CONF, or of confidence
 * >= WIP_FRAME_PAIR_MIN_CONF when other (the model of the other direction,
 * may be NULL) has a length field of that confidence that counts the same
 * way (offset, width, byte order, scale, adjustment): requests and replies
 * framed alike corroborate each other while each direction is young. */
gboolean wip_frame_rule_tile(const wip_infer_t *inf, int dir, const wip_hdr_model_t *m,
                             const wip_hdr_model_t *other, wip_frame_rule_t *r);

/* The rule that may tile an unframed TCP segment of direction dir now (wip_infer.c):
 * wip_frame_rule_tile with this direction's cached model and the other
 * direction's model as last cached (not rebuilt); FALSE when none. */
gboolean wip_infer_tile_rule(wip_infer_t *inf, int dir, wip_frame_rule_t *r);

/* Fixed-size messages of one direction (X11 replies
 * and events of 32 bytes while no length field is known): evidence from
 * the segments that came as one message each. */
#define WIP_FRAME_FIXED_MIN_SEEN  4   /* segments of exactly one size before bursts of it are split */
#define WIP_FRAME_FIXED_MIN_SIZE  8   /* sizes considered: shorter says nothing, */
#define WIP_FRAME_FIXED_MAX_SIZE  256 /* longer is no short record (nor a TCP segment size) */
#define WIP_FRAME_FIXED_BYTES     16  /* leading bytes compared across them */
#define WIP_FRAME_FIXED_MIN_CONST 3   /* of which this many never varied: every part must match them */
#define WIP_FRAME_FIXED_MISMATCH  1   /* but for this many (a kind byte) */

typedef struct {
    guint16 size;             /* the candidate size (0: none) */
    guint16 seen;             /* segments of exactly that size */
    guint16 same;             /* bit i: byte i was one value (val[i]) in all of them */
    guint8  val[WIP_FRAME_FIXED_BYTES];
} wip_frame_fixed_t;

/* One segment taken as one message (not split).  A size seen fewer than
 * WIP_FRAME_FIXED_MIN_SEEN times gives way to another (not to a multiple
 * of it once seen twice: a burst of it); once seen that often it stays (other kinds of messages
 * come between). */
void wip_frame_fixed_learn(wip_frame_fixed_t *f, const guint8 *buf, gsize len);

/* A tile-only rule splitting a segment into messages of the candidate
 * size when it was seen WIP_FRAME_FIXED_MIN_SEEN times and at least
 * WIP_FRAME_FIXED_MIN_CONST of its leading bytes never varied (up to 8 of
 * them checked in every part, all but WIP_FRAME_FIXED_MISMATCH matching);
 * FALSE otherwise. */
gboolean wip_frame_fixed_rule(const wip_frame_fixed_t *f, wip_frame_rule_t *r);

typedef enum {
    WIP_FRAME_MSG = 0,    /* *n: a message of n bytes starts here */
    WIP_FRAME_NEED_MORE,  /* a plausible header cut by the end of the data */
    WIP_FRAME_SKIP        /* *n: no plausible header here; the next one is n bytes on
                           * (n == avail: none in the data) */
} wip_frame_res_t;

/* Where the message that starts at buf ends, with resynchronisation: never
 * returns MSG or SKIP with n == 0. */
wip_frame_res_t wip_infer_frame(const wip_frame_rule_t *r, const guint8 *buf, gsize avail,
                                guint32 *n);

/* How many bytes from buf a header of the rule needs to be judged (more
 * than avail after WIP_FRAME_NEED_MORE: ask TCP for exactly that many). */
guint32 wip_infer_frame_need(const wip_frame_rule_t *r, const guint8 *buf, gsize avail);

/* The message starts in one segment, decided on the first pass. */
typedef enum {
    WIP_FRAME_AT_MSG = 0,     /* a message (its header) starts here */
    WIP_FRAME_AT_SKIP         /* bytes from here have no plausible header (resynchronisation) */
} wip_frame_at_t;

typedef struct {
    guint8  known;            /* 0: the tracker cannot tell (not in sync, no rule) */
    guint8  n;
    guint32 off[WIP_FRAME_MAX_STARTS];
    guint8  what[WIP_FRAME_MAX_STARTS];   /* wip_frame_at_t */
} wip_frame_starts_t;

/* When the messages of the rule chained from buf end exactly at len (two
 * or more, or one of exactly len bytes): their starts into out (known = 1),
 * returns TRUE; FALSE otherwise (out untouched). */
gboolean wip_frame_tile(const wip_frame_rule_t *r, const guint8 *buf, gsize len, wip_frame_starts_t *out);

/* First-pass tracker of one direction of a TCP stream: the sequence number
 * where the next message starts, and the bytes of a header cut by the end
 * of the last segment. Zero-initialised: not in sync. */
typedef struct {
    guint32 next;             /* stream sequence number of the next message start */
    guint32 carry_seq;        /* sequence number of carry[0] */
    guint8  synced;
    guint8  n_carry;
    guint8  carry[WIP_FRAME_CARRY];
} wip_frame_track_t;

/* One segment (seq: its first byte's sequence number), in capture order.
 * rule: the rule now (NULL: none); start_hint: the learner judges the
 * segment to start a message (used to get in sync).  Fills out (known = 0
 * when the tracker cannot tell). */
void wip_frame_track(wip_frame_track_t *t, const wip_frame_rule_t *rule, guint32 seq,
                     const guint8 *buf, gsize len, gboolean start_hint, wip_frame_starts_t *out);

/* May TCP be asked to reassemble a message of n bytes framed by rule r,
 * given the longest message the learner has seen in its direction?  Up to
 * WIP_FRAME_WAIT_NEAR_PCT% of the longest always (the longest of the
 * messages learned so far, not yet of every kind); beyond it (up to
 * WIP_FRAME_WAIT_FACTOR times it plus WIP_FRAME_WAIT_SLACK) only by a BER
 * length or a length field of confidence >= WIP_FRAME_WAIT_CONF.  A wrong length rule frozen early
 * (barely established) reads long lengths from short messages: waiting for
 * them would swallow the rest of the direction without a header or a note. */
gboolean wip_frame_wait_plausible(const wip_frame_rule_t *r, guint32 n, guint32 longest);

/* A frozen rule judged on one segment (first pass): ok when a message
 * starts at the segment's first byte and is taken (or waited for).
 * Returns TRUE when the rule has failed on WIP_FRAME_DROP_FAILS segments
 * in a row and should be dropped (the counter then restarts). */
gboolean wip_frame_judge(guint8 *fails, gboolean ok);

/* A TCP segment whose sequence number seq is that of the first payload
 * byte of its direction (relative 1, or the initial sequence number
 * base_isn + 1), in a connection captured from its SYN: every message
 * stream starts with a message there (RFC 9293 section 3.4: the first
 * data octet is ISN + 1). */
gboolean wip_frame_stream_start(guint32 seq, guint32 base_isn);

#endif
