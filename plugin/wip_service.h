/* wip_service.h - which endpoint of a conversation is the wip-port service
 * (pure C + GLib).
 *
 * A frame with port 3414 on one side is not always traffic of the wip-port
 * service: an ephemeral or NAT source port can be 3414 too (curl
 * --local-port 3414 to port 80, a DNS query from 3414 to 53).  The service
 * is the side the conversation was opened towards:
 *   1. TCP: the destination of a SYN, the source of a SYN/ACK;
 *   2. TCP without ACK (SYN, FIN, NULL, Xmas scans): its destination;
 *   3. UDP: the destination of the first datagram of the conversation, when
 *      the other port is another protocol's service port (the glue keeps the
 *      first datagram's direction only for those conversations);
 *   4. otherwise (mid-stream, or no other evidence): the other side if its
 *      port is another protocol's service port (a port below
 *      WIP_SVC_PORT_MAX with its own Wireshark dissector), else the wip port.
 * Both ends on the same wip port (L2TP, IKE, NTP-style peers: 3414 to
 * 3414): the ends are told apart by address; the destination of the SYN
 * (TCP) or of the first datagram seen (UDP: the first sender is the
 * client) is the service, remembered by which address it has.
 * Rules 1-3 are remembered per conversation (wip_svc_conv_t) when they
 * disagree with rule 4, from the frame that decided.
 */
#ifndef WIP_SERVICE_H
#define WIP_SERVICE_H

#include <glib.h>

/* Ports from here up are ephemeral on Linux (32768-60999), BSD and Windows
 * (49152-65535): a dissector registered there says little about a client. */
#define WIP_SVC_PORT_MAX 32768

typedef enum {
    WIP_SVC_WIP = 1,          /* the wip port is the service */
    WIP_SVC_CLIENT_PORT = 2   /* the wip port is only a client's port */
} wip_svc_verdict_t;

typedef enum {
    WIP_SVC_BY_DEFAULT = 0,   /* no evidence against the wip port */
    WIP_SVC_BY_SYN,           /* SYN towards the service */
    WIP_SVC_BY_SYNACK,        /* SYN/ACK from the service */
    WIP_SVC_BY_OPENER,        /* TCP packet without ACK towards the service */
    WIP_SVC_BY_FIRST_DGRAM,   /* first UDP datagram towards the service */
    WIP_SVC_BY_SERVICE_PORT,  /* other side's port is another protocol's service port */
    WIP_SVC_BY_COUNT
} wip_svc_reason_t;

/* One frame, as the glue sees it. */
typedef struct {
    gboolean is_tcp;
    gboolean have_flags;      /* TCP flags known */
    guint16 flags;            /* TCP flags (WIP_TH_* of wip_pkt.h: SYN 0x02, RST 0x04, ACK 0x10) */
    guint16 src_port, dst_port;
    gboolean src_wip, dst_wip;        /* port is in the wip range (preference / Decode As) */
    gboolean src_svc, dst_svc;        /* port is another protocol's service port */
    guint32 frame;
    gint8 addr_cmp;           /* sign of source address minus destination address (any
                                 fixed order): tells the ends apart when both ports are equal */
} wip_svc_in_t;

/* Per conversation, kept by the glue (zeroed = nothing known). */
typedef struct {
    guint8 decided;           /* 0 none, else a wip_svc_verdict_t */
    guint8 reason;            /* wip_svc_reason_t */
    guint16 service_port;     /* port of the service endpoint */
    guint32 from_frame;       /* frame that decided */
    guint8 service_addr;      /* both ports equal: 1 the service has the lower address, 2 the higher */
} wip_svc_conv_t;

typedef struct {
    wip_svc_verdict_t verdict;
    wip_svc_reason_t reason;
    int dir;                  /* WIP_SVC_WIP: 1 to the wip port, 2 from it; else 0 */
    guint16 port;             /* the wip port of the frame (service or client's) */
    guint16 service_port;     /* the service's port */
} wip_svc_out_t;

/* Does this frame need its conversation's record (rec) to be decided?
 * 0: wip_service_decide(in, NULL, ...) gives the answer alone;
 * WIP_SVC_CONV_FIND: look the record up if the conversation has one;
 * WIP_SVC_CONV_CREATE: first pass, create it if missing (the frame may
 * decide the conversation).  n_records: records written so far. */
#define WIP_SVC_CONV_FIND   1
#define WIP_SVC_CONV_CREATE 2
int wip_service_needs_conv(const wip_svc_in_t *in, guint32 n_records);

/* Decide.  rec may be NULL; when given, it is read and (first pass,
 * update TRUE) written: returns TRUE if it wrote rec. */
gboolean wip_service_decide(const wip_svc_in_t *in, wip_svc_conv_t *rec, gboolean update,
                            wip_svc_out_t *out);

/* Short text for the reason ("SYN to it", ...). */
const char *wip_service_reason_name(wip_svc_reason_t r);

#endif
