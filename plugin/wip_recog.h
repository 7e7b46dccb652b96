/* wip_recog.h - recognise known protocols from payload bytes (pure C + GLib). */
#ifndef WIP_RECOG_H
#define WIP_RECOG_H

#include <glib.h>

/* Protocol flags (wip_proto_info()->flags). */
#define WIP_PF_MEDIA      0x01u  /* RTP/RTCP/STUN/TURN/DTLS: demultiplexed per packet (RFC 7983) */
#define WIP_PF_TEXTUAL    0x02u  /* text or JSON bodies in its conversation continue it */
#define WIP_PF_LOCK_TCP   0x04u  /* stream protocol: once a TCP conversation is locked to it, its
                                    dissector becomes the conversation's (as with Decode As) */
#define WIP_PF_MEDIA_TYPE 0x08u  /* handed to a media-type dissector (reads the data argument as
                                    its own type): no TCP data argument */

/* The recognised protocols: one row each, in detector order (a tie between
 * two claims goes to the earlier row).  Everything else derives from it:
 * the wip_proto_t enum, the names (wip.payload.proto), the detector list
 * and the locked-conversation fast path (wip_recog.c), the hand-off table
 * and the conversation lock (packet-wip.c).
 *   X(ID, name, detector, own detector (fast path of a locked conversation),
 *     TCP hand-off, UDP hand-off (Wireshark dissector names),
 *     TCP fallback port, UDP fallback port (the dissector on that port when
 *     the name is not registered), flags)
 * UNKNOWN and TEXT come first (code compares "proto > WIP_P_TEXT" for "a
 * real protocol").  To add a protocol: README, "Adding a protocol". */
#define WIP_PROTOCOL_TABLE(X) \
    X(UNKNOWN,   "unknown",   NULL,             NULL,      NULL,            NULL,       0,    0,    0) \
    X(TEXT,      "text",      NULL,             NULL,      "data-text-lines", "data-text-lines", 0, 0, WIP_PF_MEDIA_TYPE) \
    X(HTTP2,     "http2",     det_http2,        det_http2, "http2",         NULL,       0,    0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(HTTP,      "http",      det_http,         det_http,  "http-over-tcp", "http",     0,    0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(SIP,       "sip",       det_sip,          det_sip,   "sip.tcp",       "sip",      0,    0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(MGCP,      "mgcp",      det_mgcp,         det_mgcp,  "mgcp",          "mgcp",     2427, 2427, WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(SMTP,      "smtp",      det_smtp,         det_smtp,  "smtp",          NULL,       25,   0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(FTP,       "ftp",       det_ftp,          det_ftp,   "ftp",           NULL,       21,   0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(POP3,      "pop3",      det_pop3,         det_pop3,  "pop",           NULL,       110,  0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(IMAP,      "imap",      det_imap,         det_imap,  "imap",          NULL,       143,  0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(IRC,       "irc",       det_irc,          det_irc,   "irc",           NULL,       6667, 0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(SSH,       "ssh",       det_ssh,          det_ssh,   "ssh",           NULL,       0,    0,    WIP_PF_LOCK_TCP) \
    X(XMPP,      "xmpp",      det_xmpp,         det_xmpp,  "xmpp",          NULL,       0,    0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(OCI,       "oci",       det_oci,          det_oci,   "xml",           "xml",      0,    0,    WIP_PF_TEXTUAL | WIP_PF_MEDIA_TYPE) \
    X(TLS,       "tls",       det_tls,          det_tls,   "tls",           NULL,       0,    0,    WIP_PF_LOCK_TCP) \
    X(DTLS,      "dtls",      det_dtls,         NULL,      NULL,            "dtls",     0,    0,    WIP_PF_MEDIA) \
    X(STUN,      "stun",      det_stun_any,     NULL,      "stun-tcp",      "stun-udp", 0,    0,    WIP_PF_MEDIA) \
    X(SMB,       "smb",       det_smb,          det_smb,   "nbss",          NULL,       445,  0,    WIP_PF_LOCK_TCP) \
    X(TPKT,      "tpkt",      det_tpkt,         det_tpkt,  "tpkt",          NULL,       0,    0,    WIP_PF_LOCK_TCP) \
    X(RDP,       "rdp",       NULL,             det_tpkt,  "tpkt",          NULL,       0,    0,    WIP_PF_LOCK_TCP) \
    X(DNS,       "dns",       det_dns,          det_dns,   "dns",           "dns",      0,    0,    WIP_PF_LOCK_TCP) \
    X(RTCP,      "rtcp",      det_rtcp,         NULL,      NULL,            "rtcp",     0,    0,    WIP_PF_MEDIA) \
    X(MQTT,      "mqtt",      det_mqtt,         det_mqtt,  "mqtt",          NULL,       0,    0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(RESP,      "resp",      det_resp,         det_resp,  "resp",          NULL,       6379, 0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(JSON,      "json",      det_json,         NULL,      "json",          "json",     0,    0,    WIP_PF_MEDIA_TYPE) \
    X(TURN,      "turn",      det_turn_channel, NULL,      "stun-tcp",      "stun-udp", 0,    0,    WIP_PF_MEDIA) \
    X(RTP,       "rtp",       det_rtp,          NULL,      "rtp.rfc4571",   "rtp",      0,    0,    WIP_PF_MEDIA) \
    X(PGSQL,     "pgsql",     det_pgsql,        det_pgsql, "pgsql",         NULL,       5432, 0,    WIP_PF_LOCK_TCP) \
    X(MYSQL,     "mysql",     det_mysql,        NULL,      "mysql",         NULL,       3306, 0,    WIP_PF_LOCK_TCP) \
    X(MONGO,     "mongodb",   det_mongo,        det_mongo, "mongo",         NULL,       27017, 0,   WIP_PF_LOCK_TCP) \
    X(AMQP,      "amqp",      det_amqp,         det_amqp,  "amqp",          NULL,       5672, 0,    WIP_PF_LOCK_TCP) \
    X(BITTORRENT, "bittorrent", det_bittorrent, NULL,      "bittorrent.tcp", NULL,      0,    0,    WIP_PF_LOCK_TCP) \
    X(RTSP,      "rtsp",      det_rtsp,         det_rtsp,  "rtsp",          NULL,       554,  0,    WIP_PF_TEXTUAL | WIP_PF_LOCK_TCP) \
    X(MODBUS,    "modbus",    det_modbus,       det_modbus, "mbtcp",        NULL,       502,  0,    WIP_PF_LOCK_TCP) \
    X(DNP3,      "dnp3",      det_dnp3,         det_dnp3,  "dnp3.tcp",      "dnp3.udp", 20000, 20000, WIP_PF_LOCK_TCP) \
    X(IEC104,    "iec104",    det_iec104,       det_iec104, "iec60870_104", NULL,       2404, 0,    WIP_PF_LOCK_TCP) \
    X(LDAP,      "ldap",      det_ldap,         det_ldap,  "ldap",          "cldap",    389,  389,  WIP_PF_LOCK_TCP) \
    X(KERBEROS,  "kerberos",  det_kerberos,     det_kerberos, "kerberos.tcp", "kerberos.udp", 88, 88, WIP_PF_LOCK_TCP) \
    X(TDS,       "tds",       det_tds,          det_tds,   "tds",           NULL,       1433, 0,    WIP_PF_LOCK_TCP) \
    X(OPENVPN,   "openvpn",   det_openvpn,      det_openvpn, "openvpn.tcp", "openvpn.udp", 1194, 1194, WIP_PF_LOCK_TCP) \
    X(QUIC,      "quic",      det_quic,         NULL,      NULL,            "quic",     0,    443,  0) \
    X(WIREGUARD, "wireguard", det_wireguard,    NULL,      NULL,            "wg",       0,    0,    0) \
    X(WEBSOCKET, "websocket", det_websocket,    NULL,      "websocket",     NULL,       0,    0,    WIP_PF_TEXTUAL | WIP_PF_MEDIA_TYPE) \
    X(PROTOBUF,  "protobuf",  NULL,             NULL,      "protobuf",      "protobuf", 0,    0,    WIP_PF_MEDIA_TYPE)

typedef enum {
#define WIP_X_ENUM(id, name, det, own, tcp, udp, tport, uport, flags) WIP_P_##id,
    WIP_PROTOCOL_TABLE(WIP_X_ENUM)
#undef WIP_X_ENUM
    WIP_P_COUNT
} wip_proto_t;

G_STATIC_ASSERT(WIP_P_UNKNOWN == 0 && WIP_P_TEXT == 1);

/* What the table says about a protocol (never NULL: out of range gives
 * UNKNOWN's row). */
typedef struct {
    const char *name;
    const char *tcp_handoff, *udp_handoff;  /* Wireshark dissector names, NULL: none */
    guint16 tcp_port, udp_port;             /* fallback: the dissector on this port */
    guint flags;                            /* WIP_PF_* */
} wip_proto_info_t;

const wip_proto_info_t *wip_proto_info(wip_proto_t p);

/* Named confidence levels (0-100) of a claim. */
#define WIP_CONF_HINT      30   /* a shape many things share: never handed off */
#define WIP_CONF_TEXTLINE  50   /* text with lines, nothing more */
#define WIP_CONF_LIKELY    60   /* structure that holds, but short or cut */
#define WIP_CONF_STRUCT    80   /* lengths/fields that add up over the whole payload */
#define WIP_CONF_STRONG    90   /* a protocol's own signature (magic, version, keyword line) */
#define WIP_CONF_CERTAIN   95   /* signature and full structure */

/* lowercase short name as shown in wip.payload.proto ("tls", "unknown", ...) */
const char *wip_proto_name(wip_proto_t p);

#define WIP_EVIDENCE_LEN 128

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
