/* wip_recog.h - recognise known protocols from payload bytes (pure C + GLib). */
#ifndef WIP_RECOG_H
#define WIP_RECOG_H

#include <glib.h>

typedef enum {
    WIP_P_UNKNOWN = 0,
    WIP_P_TEXT,
    WIP_P_TLS, WIP_P_DTLS, WIP_P_HTTP, WIP_P_HTTP2, WIP_P_WEBSOCKET,
    WIP_P_SSH, WIP_P_SIP, WIP_P_RTP, WIP_P_RTCP, WIP_P_STUN, WIP_P_TURN,
    WIP_P_DNS, WIP_P_MQTT, WIP_P_RESP, WIP_P_SMB, WIP_P_TPKT, WIP_P_RDP,
    WIP_P_XMPP, WIP_P_MGCP, WIP_P_OCI, WIP_P_JSON, WIP_P_PROTOBUF,
    WIP_P_COUNT
} wip_proto_t;

/* lowercase short name as shown in wip.payload.proto ("tls", "unknown", ...) */
const char *wip_proto_name(wip_proto_t p);

#define WIP_EVIDENCE_LEN 96

typedef struct {
    wip_proto_t proto;
    guint8 confidence;                 /* 0-100 */
    guint8 floor;                      /* internal: a claim at or below this confidence
                                          cannot win, so its evidence is not written */
    char evidence[WIP_EVIDENCE_LEN];   /* plain words, NUL-terminated */
} wip_recog_t;

/* Stateless: what does this one payload look like? */
void wip_recog_payload(const guint8 *buf, gsize len, gboolean is_tcp, wip_recog_t *out);

/* Conversation memory: fixed size, no pointers, no allocation.  The glue
 * allocates one per conversation (wmem_file_scope) and calls
 * wip_conv_recog_init() once. */
typedef struct {
    wip_proto_t proto;          /* current identification (WIP_P_UNKNOWN if none) */
    guint8  confidence;
    guint8  locked;             /* confirmed: later partial segments inherit it */
    guint8  upgrade;            /* HTTP Upgrade seen: 1 websocket, 2 h2c */
    guint8  pad;
    guint32 msgs[3];            /* payloads seen, index by dir (1, 2) */
    guint32 rtp_ssrc;
    guint16 rtp_seq;
    guint8  rtp_hits;
    guint8  rtp_pt;
    guint32 misses;             /* payloads that contradicted proto */
    /* additions (private to wip_recog.c) */
    guint8  up_state;           /* HTTP Upgrade: 0 none, 1 requested, 2 switched */
    guint8  up_client_dir;      /* dir of the side that sent the Upgrade request */
    guint8  miss_proto;         /* proto the last contradicting payloads claimed */
    guint8  rtp_hits2;          /* RTP tracking for dir 2 (rtp_* above: dir 0/1) */
    guint32 rtp_ssrc2;
    guint16 rtp_seq2;
    guint16 pad2;
} wip_conv_recog_t;

void wip_conv_recog_init(wip_conv_recog_t *c);

/* Classify a payload in its conversation.  dir: 1 to wip-port, 2 from it.
 * Updates *c and fills *out (out->proto is what this payload should be
 * handed to). */
void wip_conv_recog_update(wip_conv_recog_t *c, const guint8 *buf, gsize len,
                           gboolean is_tcp, int dir, wip_recog_t *out);

/* Description of any payload, claimed or not. */
typedef struct {
    gboolean is_text;
    guint8   printable_pct;     /* 0-100 */
    double   entropy;           /* Shannon entropy, bits per byte, 0-8 */
    char     first_line[80];    /* first line of a text payload, "" otherwise */
} wip_payload_desc_t;

void wip_payload_describe(const guint8 *buf, gsize len, wip_payload_desc_t *out);

/* Just wip_payload_describe()'s is_text, without the histogram: stops at
 * the first byte that makes the payload binary. */
gboolean wip_payload_is_text(const guint8 *buf, gsize len);

/* Additions: confidence at or below this is a weak (unconfirmed) claim, e.g.
 * a single RTP-looking packet or a protobuf-looking walk. */
#define WIP_RECOG_WEAK_MAX 40
/* Confidence from which a stateless claim locks a conversation. */
#define WIP_RECOG_LOCK_MIN 70

#endif
