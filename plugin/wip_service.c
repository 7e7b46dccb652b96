/* wip_service.c - which endpoint of a conversation is the wip-port service.
 * Rules in wip_service.h.  Pure C + GLib, no allocation. */
#include "wip_service.h"

#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static const char *const reason_names[WIP_SVC_BY_COUNT] = {
    [WIP_SVC_BY_DEFAULT] = "no evidence against the wip port",
    [WIP_SVC_BY_SYN] = "SYN sent to it",
    [WIP_SVC_BY_SYNACK] = "SYN/ACK sent from it",
    [WIP_SVC_BY_OPENER] = "TCP packet without ACK sent to it",
    [WIP_SVC_BY_FIRST_DGRAM] = "first datagram of the conversation sent to it",
    [WIP_SVC_BY_SERVICE_PORT] = "its port is another protocol's service port",
};

const char *wip_service_reason_name(wip_svc_reason_t r)
{
    return (unsigned)r < WIP_SVC_BY_COUNT ? reason_names[r] : "?";
}

/* What this frame's own TCP flags say: 1 service is the destination, 2 the
 * source, 0 nothing. */
static int frame_evidence(const wip_svc_in_t *in, wip_svc_reason_t *why)
{
    if (!in->is_tcp || !in->have_flags)
        return 0;
    if ((in->flags & TH_SYN) && !(in->flags & TH_ACK)) {
        *why = WIP_SVC_BY_SYN;
        return 1;
    }
    if ((in->flags & TH_SYN) && (in->flags & TH_ACK)) {
        *why = WIP_SVC_BY_SYNACK;
        return 2;
    }
    if (!(in->flags & (TH_ACK | TH_RST))) {
        *why = WIP_SVC_BY_OPENER;   /* FIN, NULL, Xmas ... opens nothing, but is aimed at a service */
        return 1;
    }
    return 0;
}

/* Both ends on the same port, told apart by address. */
static gboolean same_port_peers(const wip_svc_in_t *in)
{
    return in->src_wip && in->dst_wip && in->src_port == in->dst_port && in->addr_cmp != 0;
}

/* 1 or 2 (wip_svc_conv_t.service_addr) for the frame's destination */
static guint8 dst_addr_side(const wip_svc_in_t *in)
{
    return in->addr_cmp > 0 ? 1 : 2;
}

/* Same-port peers: the record's side, else the SYN's or SYN/ACK's, else
 * the first datagram's destination (written on the first pass). */
static gboolean decide_same_port(const wip_svc_in_t *in, wip_svc_conv_t *rec, gboolean update,
                                 wip_svc_out_t *out)
{
    wip_svc_reason_t why = WIP_SVC_BY_DEFAULT;
    gboolean service_is_dst = TRUE, wrote = FALSE;
    int ev = frame_evidence(in, &why);
    if (rec && rec->decided && rec->service_addr && in->frame >= rec->from_frame) {
        service_is_dst = rec->service_addr == dst_addr_side(in);
        why = (wip_svc_reason_t)rec->reason;
    } else if ((ev && why != WIP_SVC_BY_OPENER) || (!in->is_tcp && !ev)) {
        service_is_dst = ev != 2;
        if (!in->is_tcp)
            why = (rec && update && !rec->decided) ? WIP_SVC_BY_FIRST_DGRAM : WIP_SVC_BY_DEFAULT;
        if (rec && update && !rec->decided) {
            rec->decided = WIP_SVC_WIP;
            rec->reason = (guint8)why;
            rec->service_port = in->dst_port;
            rec->service_addr = service_is_dst ? dst_addr_side(in) : (guint8)(3 - dst_addr_side(in));
            rec->from_frame = in->frame;
            wrote = TRUE;
        }
    } else {
        why = WIP_SVC_BY_DEFAULT;
    }
    out->verdict = WIP_SVC_WIP;
    out->reason = why;
    out->dir = service_is_dst ? 1 : 2;
    out->port = out->service_port = in->dst_port;
    return wrote;
}

int wip_service_needs_conv(const wip_svc_in_t *in, guint32 n_records)
{
    wip_svc_reason_t why;
    if (same_port_peers(in)) {
        /* the first datagram (UDP) or the SYN / SYN/ACK (TCP) decides */
        if (!in->is_tcp || (frame_evidence(in, &why) && why != WIP_SVC_BY_OPENER))
            return WIP_SVC_CONV_CREATE;
        return n_records > 0 ? WIP_SVC_CONV_FIND : 0;
    }
    if (in->src_wip == in->dst_wip) {
        /* both wip ports: a SYN or SYN/ACK says which one serves, and is
         * remembered; neither wip (Decode As): nothing to decide */
        if (in->src_wip && frame_evidence(in, &why) && why != WIP_SVC_BY_OPENER)
            return WIP_SVC_CONV_CREATE;
        return in->src_wip && n_records > 0 ? WIP_SVC_CONV_FIND : 0;
    }
    if (in->dst_wip ? in->src_svc : in->dst_svc)
        return WIP_SVC_CONV_CREATE;          /* rule 4 says client port: a record may say otherwise */
    /* rule 4 says wip: only a SYN from the wip port or a SYN/ACK to it
     * says otherwise, and must be remembered */
    int ev = frame_evidence(in, &why);
    if ((ev == 1 && in->src_wip && why != WIP_SVC_BY_OPENER) || (ev == 2 && in->dst_wip))
        return WIP_SVC_CONV_CREATE;
    return n_records > 0 ? WIP_SVC_CONV_FIND : 0;
}

/* Both ports are wip ports (a range of several, or the same port on
 * both ends without told-apart addresses): the side the SYN went to
 * serves, remembered from the SYN or SYN/ACK; without one, the
 * destination. */
static gboolean decide_both_wip(const wip_svc_in_t *in, wip_svc_conv_t *rec, gboolean update, wip_svc_out_t *out)
{
    gboolean service_is_dst, wrote = FALSE;
    wip_svc_reason_t why = WIP_SVC_BY_DEFAULT;
    int ev = frame_evidence(in, &why);
    if (rec && rec->decided && in->frame >= rec->from_frame && in->src_port != in->dst_port) {
        service_is_dst = in->dst_port == rec->service_port;
        why = (wip_svc_reason_t)rec->reason;
    } else if (ev && in->src_port != in->dst_port) {
        service_is_dst = ev == 1;
        if (rec && update && !rec->decided && why != WIP_SVC_BY_OPENER) {
            rec->decided = WIP_SVC_WIP;
            rec->reason = (guint8)why;
            rec->service_port = service_is_dst ? in->dst_port : in->src_port;
            rec->from_frame = in->frame;
            wrote = TRUE;
        }
    } else {
        service_is_dst = TRUE;
        why = WIP_SVC_BY_DEFAULT;
    }
    out->verdict = WIP_SVC_WIP;
    out->reason = why;
    out->dir = service_is_dst ? 1 : 2;
    out->port = out->service_port = service_is_dst ? in->dst_port : in->src_port;
    return wrote;
}

gboolean wip_service_decide(const wip_svc_in_t *in, wip_svc_conv_t *rec, gboolean update,
                            wip_svc_out_t *out)
{
    gboolean service_is_dst, wrote = FALSE;
    wip_svc_reason_t why = WIP_SVC_BY_DEFAULT;

    if (same_port_peers(in))
        return decide_same_port(in, rec, update, out);
    if (in->src_wip && in->dst_wip)
        return decide_both_wip(in, rec, update, out);
    if (in->src_wip == in->dst_wip) {
        /* the glue was reached by Decode As on neither: the destination's */
        out->verdict = WIP_SVC_WIP;
        out->reason = WIP_SVC_BY_DEFAULT;
        out->dir = 1;
        out->port = in->dst_port;
        out->service_port = in->dst_port;
        return FALSE;
    }
    int ev = frame_evidence(in, &why);
    if (rec && rec->decided && in->frame >= rec->from_frame) {
        service_is_dst = in->dst_port == rec->service_port;
        why = (wip_svc_reason_t)rec->reason;
    } else if (ev) {
        service_is_dst = ev == 1;
        if (rec && update && !rec->decided && why != WIP_SVC_BY_OPENER) {
            rec->decided = 1;
            wrote = TRUE;
        }
    } else if (!in->is_tcp && rec && update && !rec->decided && (in->dst_wip ? in->src_svc : in->dst_svc)) {
        /* the first datagram we see of a conversation with another
         * protocol's service port on the far side: its destination serves */
        service_is_dst = TRUE;
        why = WIP_SVC_BY_FIRST_DGRAM;
        rec->decided = 1;
        wrote = TRUE;
    } else if (in->dst_wip ? in->src_svc : in->dst_svc) {
        service_is_dst = !in->dst_wip;       /* the other protocol's port serves */
        why = WIP_SVC_BY_SERVICE_PORT;
    } else {
        service_is_dst = in->dst_wip;
        why = WIP_SVC_BY_DEFAULT;
    }
    gboolean wip_serves = service_is_dst ? in->dst_wip : in->src_wip;
    out->verdict = wip_serves ? WIP_SVC_WIP : WIP_SVC_CLIENT_PORT;
    out->reason = why;
    out->port = in->dst_wip ? in->dst_port : in->src_port;
    out->service_port = service_is_dst ? in->dst_port : in->src_port;
    out->dir = wip_serves ? (service_is_dst ? 1 : 2) : 0;
    if (wrote) {
        rec->decided = (guint8)out->verdict;
        rec->reason = (guint8)why;
        rec->service_port = out->service_port;
        rec->from_frame = in->frame;
    }
    return wrote;
}
