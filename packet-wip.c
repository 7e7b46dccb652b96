/* packet-wip.c - Wireshark glue for the BroadCloud WIP Port (3414/tcp+udp).
 *
 * Thin layer: registers fields, builds trees and columns.  Classification
 * lives in the pure C core under plugin/ (wip_*.c).
 *
 * Two entry points:
 *  - dissect_wip(): the port-table dissector on tcp.port / udp.port (range
 *    preference, Decode As).  Called for payload only.
 *  - dissect_wip_post(): a postdissector, called for every frame.  It labels
 *    frames the port table never sees (SYN, RST, bare ACK, empty UDP) and
 *    writes the columns last.
 *
 * Everything that depends on earlier packets is decided on the first pass
 * (!PINFO_FD_VISITED) and stored with p_add_proto_data(wmem_file_scope()).
 */
#include <string.h>
#include <glib.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/address.h>
#include "wip_ws_compat.h"
#include "wip_pkt.h"

void proto_register_wip(void);
void proto_reg_handoff_wip(void);

#define WIP_DEFAULT_PORTS "3414"
#define WIP_REGISTRATION \
    "IANA wip-port 3414/tcp and 3414/udp, \"BroadCloud WIP Port\" " \
    "(BroadCloud hosted PBX, later Cisco BroadWorks); protocol never published"

static int proto_wip = -1;

static int hf_wip_port = -1;
static int hf_wip_direction = -1;
static int hf_wip_transport = -1;
static int hf_wip_payload_len = -1;
static int hf_wip_registration = -1;
static int hf_wip_summary = -1;

static gint ett_wip = -1;

static expert_field ei_wip_no_headers = EI_INIT;

static dissector_handle_t wip_handle;
static dissector_handle_t wip_post_handle;
static dissector_table_t tcp_port_table;
static dissector_table_t udp_port_table;

static const value_string wip_direction_vals[] = {
    { WIP_DIR_TO_PORT,   "to wip-port" },
    { WIP_DIR_FROM_PORT, "from wip-port" },
    { 0, NULL }
};

static const value_string wip_transport_vals[] = {
    { WIP_TRANSPORT_TCP, "TCP" },
    { WIP_TRANSPORT_UDP, "UDP" },
    { 0, NULL }
};

/* ---- per-dissection (one pass over one frame) state, in pinfo->pool ---- */

typedef struct {
    proto_item *item;        /* first wip item of this frame */
    proto_tree *tree;
    guint32 payload_bytes;   /* payload seen by the port dissector */
    guint calls;             /* port dissector calls in this frame */
} wip_pass_t;

static wip_pass_t *wip_pass(packet_info *pinfo)
{
    wip_pass_t *ps = (wip_pass_t *)p_get_proto_data(pinfo->pool, pinfo, proto_wip, 0);
    if (!ps) {
        ps = wmem_new0(pinfo->pool, wip_pass_t);
        p_add_proto_data(pinfo->pool, pinfo, proto_wip, 0, ps);
    }
    return ps;
}

/* ---- is this frame on the wip ports? ---- */

static gboolean wip_port_is_ours(dissector_table_t table, guint32 port)
{
    return table && dissector_get_uint_handle(table, port) == wip_handle;
}

/* Which side is wip-port: returns the direction and sets *port. */
static int wip_frame_direction(packet_info *pinfo, guint16 *port)
{
    dissector_table_t table;
    if (pinfo->ptype == PT_TCP)
        table = tcp_port_table;
    else if (pinfo->ptype == PT_UDP)
        table = udp_port_table;
    else
        return 0;
    if (wip_port_is_ours(table, pinfo->destport)) {
        *port = (guint16)pinfo->destport;
        return WIP_DIR_TO_PORT;
    }
    if (wip_port_is_ours(table, pinfo->srcport)) {
        *port = (guint16)pinfo->srcport;
        return WIP_DIR_FROM_PORT;
    }
    return 0;
}

static guint8 wip_transport(packet_info *pinfo)
{
    return pinfo->ptype == PT_TCP ? WIP_TRANSPORT_TCP : WIP_TRANSPORT_UDP;
}

/* The first wip item of the frame: label and registration context. */
static proto_tree *wip_label_tree(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                                  int dir, guint16 port, gint32 payload_len)
{
    wip_pass_t *ps = wip_pass(pinfo);
    if (ps->tree)
        return ps->tree;
    proto_item *ti = proto_tree_add_item(tree, proto_wip, tvb, 0, 0, ENC_NA);
    proto_item_append_text(ti, ", %s %u/%s", val_to_str_const(dir, wip_direction_vals, "?"),
                           port, pinfo->ptype == PT_TCP ? "tcp" : "udp");
    proto_tree *wt = proto_item_add_subtree(ti, ett_wip);
    proto_item *pi;
    pi = proto_tree_add_uint(wt, hf_wip_port, tvb, 0, 0, port);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint(wt, hf_wip_direction, tvb, 0, 0, (guint32)dir);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint(wt, hf_wip_transport, tvb, 0, 0, wip_transport(pinfo));
    proto_item_set_generated(pi);
    if (payload_len >= 0) {
        pi = proto_tree_add_uint(wt, hf_wip_payload_len, tvb, 0, 0, (guint32)payload_len);
        proto_item_set_generated(pi);
    }
    pi = proto_tree_add_string(wt, hf_wip_registration, tvb, 0, 0, WIP_REGISTRATION);
    proto_item_set_generated(pi);
    ps->item = ti;
    ps->tree = wt;
    return wt;
}

/* ---- port-table dissector: payload on the wip ports ---- */

static int dissect_wip(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    guint16 port = 0;
    int dir = wip_frame_direction(pinfo, &port);
    if (dir == 0) {                 /* Decode As on a port outside the range */
        port = (guint16)MIN(pinfo->srcport, pinfo->destport);
        dir = pinfo->destport == port ? WIP_DIR_TO_PORT : WIP_DIR_FROM_PORT;
    }
    wip_pass_t *ps = wip_pass(pinfo);
    guint32 len = tvb_reported_length(tvb);
    ps->calls++;
    ps->payload_bytes += len;

    wip_label_tree(tree, tvb, pinfo, dir, port, (gint32)len);
    call_data_dissector(tvb, pinfo, tree);
    return tvb_captured_length(tvb);
}

/* ---- postdissector: every frame ---- */

static const char *wip_tcp_flags_str(guint16 f, char *buf, gsize n)
{
    static const struct { guint16 bit; const char *name; } names[] = {
        { WIP_TH_SYN, "SYN" }, { WIP_TH_FIN, "FIN" }, { WIP_TH_RST, "RST" },
        { WIP_TH_PSH, "PSH" }, { WIP_TH_ACK, "ACK" }, { WIP_TH_URG, "URG" },
        { WIP_TH_ECE, "ECE" }, { WIP_TH_CWR, "CWR" }, { WIP_TH_NS, "NS" },
        { WIP_TH_RES, "RES" },
    };
    buf[0] = '\0';
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (f & names[i].bit) {
            if (buf[0])
                g_strlcat(buf, ",", n);
            g_strlcat(buf, names[i].name, n);
        }
    }
    if (!buf[0])
        g_strlcpy(buf, "no flags", n);
    return buf;
}

static int dissect_wip_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (pinfo->ptype != PT_TCP && pinfo->ptype != PT_UDP)
        return 0;
    guint16 port = 0;
    int dir = wip_frame_direction(pinfo, &port);
    wip_pass_t *ps = (wip_pass_t *)p_get_proto_data(pinfo->pool, pinfo, proto_wip, 0);
    if (dir == 0 && !(ps && ps->calls)) /* not ours (Decode As frames come via ps) */
        return 0;
    if (dir == 0) {
        port = (guint16)MIN(pinfo->srcport, pinfo->destport);
        dir = pinfo->destport == port ? WIP_DIR_TO_PORT : WIP_DIR_FROM_PORT;
    }

    /* The frame's own IP and TCP/UDP headers. */
    wip_pkt_t pkt;
    gboolean have_hdr = FALSE;
    guint addr_len = pinfo->net_src.type == AT_IPv4 ? 4 : pinfo->net_src.type == AT_IPv6 ? 16 : 0;
    if (addr_len && pinfo->net_dst.type == pinfo->net_src.type &&
        pinfo->net_src.len == (int)addr_len && pinfo->net_dst.len == (int)addr_len) {
        guint caplen = tvb_captured_length(tvb);
        const guint8 *frame = tvb_get_ptr(tvb, 0, caplen);
        have_hdr = wip_pkt_parse(frame, caplen, wip_transport(pinfo),
                                 (const guint8 *)pinfo->net_src.data,
                                 (const guint8 *)pinfo->net_dst.data, addr_len,
                                 (guint16)pinfo->srcport, (guint16)pinfo->destport, &pkt, NULL);
    }
    gint32 payload_len = have_hdr ? (gint32)pkt.payload_len
                                  : (ps && ps->calls ? (gint32)ps->payload_bytes : -1);

    proto_tree *wt = wip_label_tree(tree, tvb, pinfo, dir, port, payload_len);
    if (!have_hdr && wt)
        expert_add_info(pinfo, ps ? ps->item : NULL, &ei_wip_no_headers);

    /* Columns: written last, so they hold whatever the payload's dissector set. */
    char what[96];
    if (payload_len > 0) {
        g_snprintf(what, sizeof what, "%d byte%s", payload_len, payload_len == 1 ? "" : "s");
    } else if (pinfo->ptype == PT_TCP && have_hdr) {
        char fl[64];
        g_snprintf(what, sizeof what, "%s, no payload", wip_tcp_flags_str(pkt.flags, fl, sizeof fl));
    } else {
        g_strlcpy(what, pinfo->ptype == PT_UDP ? "empty datagram" : "no payload", sizeof what);
    }
    char summary[160];
    g_snprintf(summary, sizeof summary, "WIP %s %u: %s",
               dir == WIP_DIR_TO_PORT ? "to" : "from", port, what);
    if (wt) {
        proto_item *pi = proto_tree_add_string(wt, hf_wip_summary, tvb, 0, 0, summary);
        proto_item_set_generated(pi);
    }
    if (!(ps && ps->calls))
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "WIP");
    col_prepend_fstr(pinfo->cinfo, COL_INFO, "%s | ", summary);
    return tvb_captured_length(tvb);
}

/* ---- registration ---- */

void proto_register_wip(void)
{
    static hf_register_info hf[] = {
        { &hf_wip_port,
          { "wip-port", "wip.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The port number of the wip-port side of this frame", HFILL } },
        { &hf_wip_direction,
          { "Direction", "wip.direction", FT_UINT8, BASE_DEC, VALS(wip_direction_vals), 0x0,
            "1: to wip-port, 2: from wip-port", HFILL } },
        { &hf_wip_transport,
          { "Transport", "wip.transport", FT_UINT8, BASE_DEC, VALS(wip_transport_vals), 0x0,
            "IP protocol number of the transport (6 TCP, 17 UDP)", HFILL } },
        { &hf_wip_payload_len,
          { "Payload length", "wip.payload.len", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Bytes of TCP/UDP payload in this frame (as declared by the headers)", HFILL } },
        { &hf_wip_registration,
          { "Registration", "wip.registration", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the port is registered as", HFILL } },
        { &hf_wip_summary,
          { "Summary", "wip.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "The short summary the Info column starts with", HFILL } },
    };
    static gint *ett[] = {
        &ett_wip,
    };
    static ei_register_info ei[] = {
        { &ei_wip_no_headers,
          { "wip.no_headers", PI_UNDECODED, PI_NOTE,
            "IP/TCP/UDP headers of this frame not found: packet-level analysis skipped", EXPFILL } },
    };

    proto_wip = proto_register_protocol("BroadCloud WIP Port", "WIP", "wip");
    proto_register_field_array(proto_wip, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert_wip = expert_register_protocol(proto_wip);
    expert_register_field_array(expert_wip, ei, array_length(ei));
    prefs_register_protocol(proto_wip, NULL);

    wip_handle = register_dissector("wip", dissect_wip, proto_wip);
}

void proto_reg_handoff_wip(void)
{
    dissector_add_uint_range_with_preference("tcp.port", WIP_DEFAULT_PORTS, wip_handle);
    dissector_add_uint_range_with_preference("udp.port", WIP_DEFAULT_PORTS, wip_handle);
    tcp_port_table = find_dissector_table("tcp.port");
    udp_port_table = find_dissector_table("udp.port");

    wip_post_handle = create_dissector_handle(dissect_wip_post, proto_wip);
    register_postdissector(wip_post_handle);
}
