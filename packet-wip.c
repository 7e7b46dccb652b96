/* packet-wip.c - Wireshark glue for the BroadCloud WIP Port (3414/tcp+udp).
 *
 * Thin layer: registers fields, builds trees and columns, hands payload to
 * Wireshark's own dissectors.  Classification lives in the pure C core
 * under plugin/ (wip_pkt, wip_recog, wip_probe, wip_infer).
 *
 * Two entry points:
 *  - dissect_wip(): the port-table dissector on tcp.port / udp.port (range
 *    preferences wip.tcp.port / wip.udp.port, Decode As).  Called for
 *    payload only: recognises it and hands it off, or infers its header.
 *  - dissect_wip_post(): a postdissector, called for every frame.  It labels
 *    frames the port table never sees (SYN, RST, bare ACK, empty UDP),
 *    judges probes, and writes the columns last.
 *
 * Everything that depends on earlier packets is decided on the first pass
 * (!PINFO_FD_VISITED) and stored with p_add_proto_data(wmem_file_scope()).
 * State that spans packets lives in wmem_file_scope() with hard caps:
 *   WIP_MAX_CONVS conversations with recognition memory,
 *   the probe tracker (one fixed block: WIP_PROBE_DEFAULT_MAX_SOURCES
 *   sources, WIP_PROBE_DEFAULT_MAX_FLOWS flows),
 *   WIP_MAX_LEARNERS header learners (one fixed block each),
 *   WIP_MAX_INTERNED distinct payload evidence strings and as many probe
 *   verdicts shared between frames (past it, a frame keeps its own copy).
 */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/expert.h>
#include <epan/to_str.h>
#include <epan/proto_data.h>
#include <epan/address.h>
#include <epan/conversation.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/stats_tree.h>
#include <epan/dissectors/packet-tcp.h>
#include <wsutil/report_message.h>
#include "wip_ws_compat.h"
#include "wip_pkt.h"
#include "wip_recog.h"
#include "wip_probe.h"
#include "wip_infer.h"
#include "wip_service.h"
#include "wip_value.h"

void proto_register_wip(void);
void proto_reg_handoff_wip(void);

#define WIP_DEFAULT_PORTS "3414"
#define WIP_REGISTRATION \
    "IANA wip-port 3414/tcp and 3414/udp, \"BroadCloud WIP Port\" " \
    "(BroadCloud hosted PBX, later Cisco BroadWorks); protocol never published"
#define WIP_DEFAULT_NMAP_PROBES "/usr/share/nmap/nmap-service-probes"

/* Hard caps on state that spans packets (all per capture file). */
#define WIP_MAX_CONVS     262144   /* conversations with recognition memory */
#define WIP_MAX_LEARNERS  8        /* (transport, port) header learners */
#define WIP_MAX_INTERNED  8192     /* distinct evidence strings (and probe verdicts) shared between frames */
/* header inference policy (sampling, model cache, framing): wip_infer.h */

static int proto_wip = -1;

static int hf_wip_port = -1;
static int hf_wip_direction = -1;
static int hf_wip_transport = -1;
static int hf_wip_direction_name = -1;
static int hf_wip_transport_name = -1;
static int hf_wip_payload_len = -1;
static int hf_wip_registration = -1;
static int hf_wip_summary = -1;
static int hf_wip_payload_proto = -1;
static int hf_wip_payload_conf = -1;
static int hf_wip_payload_evidence = -1;
static int hf_wip_payload_handoff = -1;
static int hf_wip_payload_text = -1;
static int hf_wip_payload_printable = -1;
static int hf_wip_payload_entropy = -1;
static int hf_wip_payload_first_line = -1;
static int hf_wip_probe = -1;
static int hf_wip_probe_tool = -1;
static int hf_wip_probe_technique = -1;
static int hf_wip_probe_name = -1;
static int hf_wip_probe_conf = -1;
static int hf_wip_probe_evidence = -1;
static int hf_wip_scanner_probes = -1;
static int hf_wip_scanner_targets = -1;
static int hf_wip_hdr = -1;
static int hf_wip_hdr_magic = -1;
static int hf_wip_hdr_length = -1;
static int hf_wip_hdr_type = -1;
static int hf_wip_hdr_seq = -1;
static int hf_wip_hdr_txid = -1;
static int hf_wip_hdr_session = -1;
static int hf_wip_hdr_timestamp = -1;
static int hf_wip_hdr_field = -1;
static int hf_wip_hdr_body = -1;
static int hf_wip_hdr_arg = -1;
static int hf_wip_hdr_span = -1;
static int hf_wip_hdr_span_conf = -1;
static int hf_wip_hdr_magic_conf = -1;
static int hf_wip_hdr_length_conf = -1;
static int hf_wip_hdr_type_conf = -1;
static int hf_wip_hdr_seq_conf = -1;
static int hf_wip_hdr_txid_conf = -1;
static int hf_wip_hdr_session_conf = -1;
static int hf_wip_hdr_timestamp_conf = -1;
static int hf_wip_hdr_field_conf = -1;
static int hf_wip_hdr_arg_conf = -1;
static int hf_wip_nohdr = -1;
static int hf_wip_hdr_msgs = -1;
static int hf_wip_hdr_convs = -1;
static int hf_wip_client_port = -1;
static int hf_wip_service_side = -1;

static gint ett_wip = -1;
static gint ett_wip_payload = -1;
static gint ett_wip_probe = -1;
static gint ett_wip_hdr = -1;
static gint ett_wip_hdr_field = -1;

static expert_field ei_wip_no_headers = EI_INIT;
static expert_field ei_wip_probe_attributed = EI_INIT;
static expert_field ei_wip_probe_suspicious = EI_INIT;
static expert_field ei_wip_payload_known = EI_INIT;
static expert_field ei_wip_payload_rejected = EI_INIT;
static expert_field ei_wip_hdr_short = EI_INIT;
static expert_field ei_wip_hdr_length_mismatch = EI_INIT;
static expert_field ei_wip_hdr_none = EI_INIT;
static expert_field ei_wip_hdr_const_differs = EI_INIT;

static dissector_handle_t wip_handle;
static dissector_handle_t wip_locked_handle;
static dissector_handle_t wip_post_handle;
static dissector_table_t tcp_port_table;
static dissector_table_t udp_port_table;
static guint8 port_cache[2][65536];     /* wip_port_kind(): 0 unknown, else WIP_PORT_* */
static int wip_tap = -1;
static int proto_icmp = -1, proto_icmpv6 = -1, proto_tcp_id = -1, proto_udp_id = -1;

/* preferences */
static const char *pref_nmap_probes = WIP_DEFAULT_NMAP_PROBES;
static wip_pref_bool_t pref_handoff = TRUE;
static wip_pref_bool_t pref_infer = TRUE;
static wip_pref_bool_t pref_frame_tcp = TRUE;
static wip_pref_bool_t pref_infer_known = FALSE;

/* nmap service probes, loaded when the preference changes (not file state) */
static wip_svc_probes_t *svc_probes;
static char *svc_probes_loaded_path;

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

/* ---- hand-off: recognised protocol -> Wireshark dissector ---- */

/* Which Wireshark dissector takes each recognised protocol (names, fallback
 * ports, whether TCP conversations lock to it) comes from the protocol table
 * in wip_recog.h (wip_proto_info()); the handles are looked up once. */
static dissector_handle_t handoff_tcp[WIP_P_COUNT];
static dissector_handle_t handoff_udp[WIP_P_COUNT];
static dissector_handle_t q931_tpkt_handle;
static dissector_handle_t classicstun_handle;

/* ---- state kept per frame (file scope), decided on the first pass ---- */

enum {
    WIP_KEY_PASS = 0,          /* pinfo->pool: this dissection pass */
    WIP_KEY_PROBE = 1,         /* file scope: probe verdict of the frame */
    WIP_KEY_FRAME = 2,         /* file scope: the frame's payload verdict (first one seen) */
    WIP_KEY_PAYLOAD = 16,      /* + call index: payload verdict of a port-dissector call */
    WIP_KEY_STARTS = 3,        /* file scope: message starts in an unframed TCP segment (wip_keep_starts) */
    WIP_KEY_WAIT = 4           /* file scope: may TCP wait for the message cut by the frame's end (wip_framed_may_wait) */
};

typedef struct {
    guint8 proto;              /* wip_proto_t */
    guint8 confidence;
    guint8 binary_unknown;     /* went to header inference */
    guint8 continuation;       /* the learner saw no message start here */
    guint8 handed_off;         /* a Wireshark dissector took the payload */
    const char *evidence;      /* interned */
    const char *handoff;       /* name of the dissector it was handed to (static), NULL if none */
} wip_payload_store_t;

/* A probe verdict as shown: the core's verdict as data and its message
 * ("likely nmap syn probe (80%)"), rendered once per distinct verdict,
 * shared by every frame with the same one (up to WIP_MAX_INTERNED; past
 * that each frame keeps its own copy).  Evidence words are rendered only
 * where a tree shows them. */
typedef struct {
    wip_probe_kind_t k;        /* first: the key, hashed and compared by the core */
    char msg[48];
} wip_probe_shown_t;

typedef struct {
    const wip_probe_shown_t *v;
    guint32 probes, targets;
} wip_probe_store_t;

/* ---- per conversation (file scope) ---- */

typedef struct {
    wip_conv_recog_t recog;
    wip_svc_conv_t svc;        /* which side is the service, when the first pass learned it */
    const char *conv_handoff;  /* TCP: the dissector locked as the conversation's, from conv_handoff_from */
    dissector_handle_t conv_handle;
    guint32 conv_handoff_from;
    guint32 conv_id;           /* small id for the header learner */
    /* TCP framing by an inferred length field, frozen once established */
    struct wip_framing *fr;    /* NULL until a direction is framed */
} wip_conv_t;

/* ---- file-scope state, reset by the init routine ---- */

typedef struct {
    guint8 transport;
    guint16 port;
    wip_infer_t *inf;          /* learner, sampling and model cache (wip_infer.c) */
    wip_frame_fixed_t fixed[3]; /* first pass: sizes of the TCP segments taken as one message */
} wip_learner_t;

static wip_probe_tracker_t *probe_tracker;
static wip_learner_t *learners[WIP_MAX_LEARNERS];
static wmem_map_t *interned;
static wmem_map_t *shown_kinds;   /* probe verdicts shared between frames (<= WIP_MAX_INTERNED) */
static const wip_probe_shown_t *recent_shown[8];  /* the last ones, by the core's sig (checked first) */
static guint32 n_convs;
static guint32 n_svc_records;     /* conversations whose service side is remembered */

/* ---- limits: the caps on file-scope memory, made visible ----
 * When a cap is reached the analysis degrades instead of growing: a new
 * conversation gets no recognition memory (judged per packet), a new port
 * gets no header learner, the probe tracker forgets its oldest sources and
 * flows.  Each hit is counted on the first pass, shown under "Limits
 * reached" in -z wip,tree, and the first frame that hits a cap gets an
 * expert note saying what stopped. */
typedef enum {
    WIP_CAP_CONVS,          /* WIP_MAX_CONVS conversations with memory */
    WIP_CAP_LEARNERS,       /* WIP_MAX_LEARNERS header learners */
    WIP_CAP_SOURCES,        /* probe tracker: sources evicted */
    WIP_CAP_FLOWS,          /* probe tracker: flows evicted */
    WIP_CAP_COUNT
} wip_cap_t;

static const char *const cap_rows[WIP_CAP_COUNT] = {
    "frames of conversations without recognition memory (cap " G_STRINGIFY(WIP_MAX_CONVS) ")",
    "frames of ports without a header learner (cap " G_STRINGIFY(WIP_MAX_LEARNERS) ")",
    "probe tracker: sources forgotten (oldest first)",
    "probe tracker: flows forgotten (oldest first)",
};
static guint64 cap_hits[WIP_CAP_COUNT];      /* first pass */
static guint32 cap_first[WIP_CAP_COUNT];     /* frame of the first hit, 0 none */
static expert_field ei_wip_cap[WIP_CAP_COUNT] = { EI_INIT, EI_INIT, EI_INIT, EI_INIT };

static void wip_cap_hit(wip_cap_t k, const packet_info *pinfo)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    cap_hits[k]++;
    if (!cap_first[k])
        cap_first[k] = pinfo->num;
}

/* First pass, after the probe judgement: take the tracker's eviction
 * counters over (they only grow). */
static void wip_caps_from_tracker(const wip_probe_tracker_t *t, const packet_info *pinfo)
{
    guint64 ev[2] = { 0, 0 };
    if (!t || PINFO_FD_VISITED(pinfo))
        return;
    wip_probe_tracker_stats(t, NULL, NULL, &ev[0], &ev[1]);
    for (int i = 0; i < 2; i++) {
        wip_cap_t k = i ? WIP_CAP_FLOWS : WIP_CAP_SOURCES;
        if (ev[i] > cap_hits[k]) {
            cap_hits[k] = ev[i];
            if (!cap_first[k])
                cap_first[k] = pinfo->num;
        }
    }
}

/* The expert note on the frame that first hit a cap (every pass). */
static void wip_cap_notes(proto_item *anchor, packet_info *pinfo)
{
    for (int k = 0; k < WIP_CAP_COUNT; k++)
        if (cap_first[k] == pinfo->num)
            expert_add_info(pinfo, anchor, &ei_wip_cap[k]);
}

static void wip_init(void)
{
    memset(cap_hits, 0, sizeof cap_hits);
    memset(cap_first, 0, sizeof cap_first);
    n_svc_records = 0;
    memset(port_cache, 0, sizeof port_cache);
    probe_tracker = NULL;
    memset(learners, 0, sizeof learners);
    interned = NULL;
    shown_kinds = NULL;
    memset(recent_shown, 0, sizeof recent_shown);
    n_convs = 0;
}

static const char *wip_intern(const char *s)
{
    if (!s || !*s)
        return NULL;
    if (!interned)
        interned = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    const char *v = (const char *)wmem_map_lookup(interned, s);
    if (v)
        return v;
    char *copy = wmem_strdup(wmem_file_scope(), s);
    /* Past the cap the string is not shared: the frame keeps its own copy,
     * like any per-frame data (evidence with per-packet numbers, e.g. a
     * record length, can have a value per frame). */
    if (wmem_map_size(interned) < WIP_MAX_INTERNED)
        wmem_map_insert(interned, copy, copy);
    return copy;
}

/* ---- per-dissection (one pass over one frame) state, in pinfo->pool ---- */

typedef struct {
    proto_item *item;          /* first wip item of this frame */
    proto_tree *tree;
    guint32 payload_bytes;     /* payload seen by the port dissector */
    guint calls;               /* port dissector calls in this frame */
    gboolean payload_items;    /* payload verdict items added in this pass */
    gboolean len_shown;        /* wip.payload.len added */
    gboolean have_seq;         /* TCP: tcp_seq is the sequence number of this segment's own bytes */
    guint32 tcp_seq;
} wip_pass_t;

static wip_pass_t *wip_pass(packet_info *pinfo)
{
    wip_pass_t *ps = (wip_pass_t *)p_get_proto_data(pinfo->pool, pinfo, proto_wip, WIP_KEY_PASS);
    if (!ps) {
        ps = wmem_new0(pinfo->pool, wip_pass_t);
        p_add_proto_data(pinfo->pool, pinfo, proto_wip, WIP_KEY_PASS, ps);
    }
    return ps;
}

/* tap data for the stats tree */
typedef struct {
    guint8 dir;
    guint8 transport;
    gboolean has_payload;
    const char *proto_name;    /* NULL when no payload */
    gboolean is_probe;
    const char *tool, *technique;
    address src;
} wip_tap_info_t;

/* ---- is this frame on the wip ports? ---- */

enum { WIP_PORT_OURS = 1, WIP_PORT_NONE = 2, WIP_PORT_SERVICE = 3 };

/* Is wip the port table's dissector for this port (the preference, or
 * Decode As), another protocol's (a service port, below WIP_SVC_PORT_MAX),
 * or nobody's?  Answers are cached per port and transport until the next
 * init (a new file or a redissection, which is also when the tables can
 * have changed): two table lookups per frame were a visible part of the
 * postdissector's cost. */
static int wip_port_kind(dissector_table_t table, guint32 port)
{
    if (!table || port > 65535)
        return WIP_PORT_NONE;
    guint8 *c = &port_cache[table == udp_port_table][port];
    if (!*c) {
        dissector_handle_t h = dissector_get_uint_handle(table, port);
        *c = h == wip_handle ? WIP_PORT_OURS
           : (h && port < WIP_SVC_PORT_MAX) ? WIP_PORT_SERVICE : WIP_PORT_NONE;
    }
    return *c;
}

static gboolean wip_port_is_ours(dissector_table_t table, guint32 port)
{
    return wip_port_kind(table, port) == WIP_PORT_OURS;
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

/* Direction for a frame that reached dissect_wip (also via Decode As). */
static int wip_direction_any(packet_info *pinfo, guint16 *port)
{
    int dir = wip_frame_direction(pinfo, port);
    if (dir == 0) {
        *port = (guint16)MIN(pinfo->srcport, pinfo->destport);
        dir = pinfo->destport == *port ? WIP_DIR_TO_PORT : WIP_DIR_FROM_PORT;
    }
    return dir;
}

static guint8 wip_transport(packet_info *pinfo)
{
    return pinfo->ptype == PT_TCP ? WIP_TRANSPORT_TCP : WIP_TRANSPORT_UDP;
}

/* The first wip item of the frame: label and registration context. */
/* wip.transport (the IP protocol number) and its name for scripts
 * (wip.transport.name: "tcp" or "udp", as in Wireshark's filter names) */
static void wip_add_transport(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo)
{
    proto_item *pi = proto_tree_add_uint(wt, hf_wip_transport, tvb, 0, 0, wip_transport(pinfo));
    proto_item_set_generated(pi);
    pi = proto_tree_add_string(wt, hf_wip_transport_name, tvb, 0, 0, pinfo->ptype == PT_TCP ? "tcp" : "udp");
    proto_item_set_generated(pi);
}

static proto_tree *wip_label_tree(wip_pass_t *ps, proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                                  int dir, guint16 port, gint32 payload_len)
{
    if (ps->tree && payload_len >= 0 && !ps->len_shown) {
        /* TCP: the frame's own payload length, from the postdissector (the
         * port dissector's first call may see reassembled data, which
         * differs between one pass and -2) */
        proto_item *pi = proto_tree_add_uint(ps->tree, hf_wip_payload_len, tvb, 0, 0, (guint32)payload_len);
        proto_item_set_generated(pi);
        ps->len_shown = TRUE;
    }
    if (ps->tree || !tree)
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
    pi = proto_tree_add_string(wt, hf_wip_direction_name, tvb, 0, 0, val_to_str_const(dir, wip_direction_vals, "?"));
    proto_item_set_generated(pi);
    wip_add_transport(wt, tvb, pinfo);
    if (payload_len >= 0) {
        pi = proto_tree_add_uint(wt, hf_wip_payload_len, tvb, 0, 0, (guint32)payload_len);
        proto_item_set_generated(pi);
        ps->len_shown = TRUE;
    }
    pi = proto_tree_add_string(wt, hf_wip_registration, tvb, 0, 0, WIP_REGISTRATION);
    proto_item_set_generated(pi);
    ps->item = ti;
    ps->tree = wt;
    return wt;
}

/* ---- conversations ---- */

static wip_conv_t *wip_conv(packet_info *pinfo, gboolean create)
{
    conversation_t *conv = find_or_create_conversation(pinfo);
    wip_conv_t *wc = (wip_conv_t *)conversation_get_proto_data(conv, proto_wip);
    if (!wc && create && n_convs >= WIP_MAX_CONVS)
        wip_cap_hit(WIP_CAP_CONVS, pinfo);
    else if (!wc && create) {
        wc = wmem_new0(wmem_file_scope(), wip_conv_t);
        wip_conv_recog_init(&wc->recog);
        wc->conv_id = ++n_convs;
        conversation_add_proto_data(conv, proto_wip, wc);
    }
    return wc;
}

static wip_conv_t *wip_conv_find(packet_info *pinfo)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    return conv ? (wip_conv_t *)conversation_get_proto_data(conv, proto_wip) : NULL;
}

/* ---- service side: is the wip port this conversation's service? ---- */

/* The service-side decision for this frame (rules in wip_service.h): is
 * the wip port the service of the frame's conversation (out->dir: to or
 * from it), or only a client's port (an HTTP request from 3414 to 80, a
 * DNS query from 3414 to 53)?  Decided from the frame's TCP flags and the
 * ports, and where that is not enough from the conversation's record,
 * written on the first pass by the frame that decided (a SYN, a SYN/ACK,
 * the first datagram), so every pass gives the same answer.  The port
 * dissector, the postdissector and the probe glue all ask here: a
 * client-port frame gets no payload verdict, probe judgement, inference or
 * statistics. */
static wip_svc_verdict_t wip_service_side(packet_info *pinfo, gboolean have_flags, guint16 flags,
                                          wip_svc_out_t *out)
{
    gboolean tcp = pinfo->ptype == PT_TCP;
    dissector_table_t table = tcp ? tcp_port_table : udp_port_table;
    int ks = wip_port_kind(table, pinfo->srcport), kd = wip_port_kind(table, pinfo->destport);
    wip_svc_in_t in;
    in.is_tcp = tcp;
    in.have_flags = tcp && have_flags;
    in.flags = flags;
    in.src_port = (guint16)pinfo->srcport;
    in.dst_port = (guint16)pinfo->destport;
    in.src_wip = ks == WIP_PORT_OURS;
    in.dst_wip = kd == WIP_PORT_OURS;
    in.src_svc = ks == WIP_PORT_SERVICE;
    in.dst_svc = kd == WIP_PORT_SERVICE;
    in.frame = pinfo->num;
    int ac = cmp_address(&pinfo->src, &pinfo->dst);
    in.addr_cmp = (gint8)(ac > 0 ? 1 : ac < 0 ? -1 : 0);
    gboolean first = !PINFO_FD_VISITED(pinfo);
    wip_svc_conv_t *rec = NULL;
    int need = wip_service_needs_conv(&in, n_svc_records);
    if (need) {
        wip_conv_t *wc = (first && need == WIP_SVC_CONV_CREATE) ? wip_conv(pinfo, TRUE) : wip_conv_find(pinfo);
        if (wc)
            rec = &wc->svc;
    }
    if (wip_service_decide(&in, rec, first, out))
        n_svc_records++;
    return out->verdict;
}

/* A frame on a conversation where the wip port is only a client's port:
 * a label saying so, nothing else (no verdict, probe, inference, columns
 * or statistics). */
static void wip_client_port_label(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const wip_svc_out_t *so)
{
    if (!tree)
        return;
    const char *tp = pinfo->ptype == PT_TCP ? "tcp" : "udp";
    proto_item *ti = proto_tree_add_item(tree, proto_wip, tvb, 0, 0, ENC_NA);
    proto_item_append_text(ti, ", client port %u/%s, not the wip-port service", so->port, tp);
    proto_tree *wt = proto_item_add_subtree(ti, ett_wip);
    proto_item *pi = proto_tree_add_uint(wt, hf_wip_client_port, tvb, 0, 0, so->port);
    proto_item_set_generated(pi);
    wip_add_transport(wt, tvb, pinfo);
    char side[128];
    g_snprintf(side, sizeof side, "%u/%s is the service: %s", so->service_port, tp,
               wip_service_reason_name(so->reason));
    pi = proto_tree_add_string(wt, hf_wip_service_side, tvb, 0, 0, side);
    proto_item_set_generated(pi);
    char summary[96];
    g_snprintf(summary, sizeof summary, "client port %u, not the wip-port service", so->port);
    pi = proto_tree_add_string(wt, hf_wip_summary, tvb, 0, 0, summary);
    proto_item_set_generated(pi);
}

/* ---- TCP framing rules of a conversation, by direction ---- */

/* The rule may improve while the first pass learns: up to
 * WIP_FRAMING_VERSIONS rules per direction, each from a frame number on, so
 * every pass frames a frame with the rule the first pass used for it. */
#define WIP_FRAMING_VERSIONS 4
struct wip_framing {
    guint8 n[3];
    guint32 from[3][WIP_FRAMING_VERSIONS];
    wip_frame_rule_t rule[3][WIP_FRAMING_VERSIONS];
    wip_frame_track_t trk[3];  /* first pass: where the next message starts (unframed segments) */
    guint8 fails[3];           /* first pass: segments in a row the frozen rule failed on */
    guint8 n_dropped[3];
    wip_frame_rule_t dropped[3]; /* a rule dropped for failing: never frozen again */
};

static gboolean wip_rule_differs(const wip_frame_rule_t *a, const wip_frame_rule_t *b)
{
    return a->ber != b->ber || a->ber_off != b->ber_off || a->len.offset != b->len.offset ||
           a->len.width != b->len.width || a->len.big_endian != b->len.big_endian ||
           a->len.len_scale != b->len.len_scale || a->len.len_adjust != b->len.len_adjust;
}

static struct wip_framing *wip_framing(wip_conv_t *wc)
{
    if (!wc->fr)
        wc->fr = wmem_new0(wmem_file_scope(), struct wip_framing);
    return wc->fr;
}

static void wip_framing_update(wip_conv_t *wc, int dir, const wip_frame_rule_t *r, guint32 from)
{
    struct wip_framing *f = wip_framing(wc);
    guint k = f->n[dir];
    if (k > 0 && (k >= WIP_FRAMING_VERSIONS || !wip_rule_differs(&f->rule[dir][k - 1], r) ||
                  from <= f->from[dir][k - 1]))
        return;
    if (f->n_dropped[dir] && !wip_rule_differs(&f->dropped[dir], r))
        return;
    f->rule[dir][k] = *r;
    f->from[dir][k] = from;
    f->n[dir] = (guint8)(k + 1);
}

static const wip_frame_rule_t *wip_framing_rule(const wip_conv_t *wc, int dir, guint32 num)
{
    const struct wip_framing *f = wc->fr;
    if (!f || dir < 0 || dir > 2)
        return NULL;
    for (int k = f->n[dir] - 1; k >= 0; k--)
        if (num >= f->from[dir][k])
            return f->rule[dir][k].len.width || f->rule[dir][k].ber ? &f->rule[dir][k] : NULL;
    return NULL;
}

/* First pass: the frozen rule failed on one more segment; after
 * WIP_FRAME_DROP_FAILS in a row it is dropped from the next frame on (a
 * version without a rule: the segments are shown unframed again, the
 * learner sees them as they are) and never frozen again. */
static void wip_framing_judge(wip_conv_t *wc, int dir, const wip_frame_rule_t *r, gboolean ok, guint32 num)
{
    struct wip_framing *f = wip_framing(wc);
    if (dir < 1 || dir > 2 || !wip_frame_judge(&f->fails[dir], ok))
        return;
    guint k = f->n[dir];
    if (k == 0 || k >= WIP_FRAMING_VERSIONS || num + 1 <= f->from[dir][k - 1])
        return;
    f->dropped[dir] = *r;
    f->n_dropped[dir] = 1;
    memset(&f->rule[dir][k], 0, sizeof f->rule[dir][k]);
    f->from[dir][k] = num + 1;
    f->n[dir] = (guint8)(k + 1);
}

/* ---- header learners, one per (transport, port) ---- */

static wip_learner_t *wip_learner(guint8 transport, guint16 port, gboolean create)
{
    for (int i = 0; i < WIP_MAX_LEARNERS; i++) {
        wip_learner_t *l = learners[i];
        if (!l) {
            if (!create)
                return NULL;
            l = wmem_new0(wmem_file_scope(), wip_learner_t);
            l->transport = transport;
            l->port = port;
            l->inf = wip_infer_init(wmem_alloc0(wmem_file_scope(), wip_infer_size()));
            learners[i] = l;
            return l;
        }
        if (l->transport == transport && l->port == port)
            return l;
    }
    return NULL;
}


/* ---- probe verdicts ---- */

static wip_probe_tracker_t *wip_tracker(void)
{
    if (!probe_tracker) {
        gsize sz = wip_probe_tracker_size(WIP_PROBE_DEFAULT_MAX_SOURCES, WIP_PROBE_DEFAULT_MAX_FLOWS);
        probe_tracker = wip_probe_tracker_init(wmem_alloc0(wmem_file_scope(), sz),
                                               WIP_PROBE_DEFAULT_MAX_SOURCES,
                                               WIP_PROBE_DEFAULT_MAX_FLOWS);
    }
    return probe_tracker;
}

/* What became of the service-probes file: shown in -z wip,tree */
static char svc_probes_status[320];

/* Only a regular file of at most WIP_SVC_PROBES_MAX_BYTES is read; a file
 * that cannot be used is reported at once (report_warning: tshark's stderr,
 * a dialog in the GUI), except the default path without nmap installed,
 * which only the stats tree mentions. */
static void wip_load_svc_probes(void)
{
    const char *path = pref_nmap_probes ? pref_nmap_probes : "";
    if (svc_probes && g_strcmp0(path, svc_probes_loaded_path) == 0)
        return;
    if (svc_probes)
        wip_svc_probes_free(svc_probes);
    g_free(svc_probes_loaded_path);
    svc_probes = wip_svc_probes_new();
    guint builtin = wip_svc_probes_count(svc_probes);
    if (*path) {
        char err[256];
        wip_svc_load_t rc = wip_svc_probes_load_ex(svc_probes, path, WIP_SVC_PROBES_MAX_BYTES, err, sizeof err);
        /* the tree row names no path: stats_tree cuts node names at '/' */
        gsize pl = strlen(path);
        const char *why = strncmp(err, path, pl) == 0 && err[pl] == ':' ? err + pl + 2 : err;
        if (rc == WIP_SVC_LOAD_OK) {
            g_snprintf(svc_probes_status, sizeof svc_probes_status,
                       "nmap service probes file: %u probes read + %u built-in",
                       wip_svc_probes_count(svc_probes) - builtin, builtin);
        } else {
            g_snprintf(svc_probes_status, sizeof svc_probes_status,
                       "nmap service probes file NOT used (%s): built-in probes only", why);
            if (!(rc == WIP_SVC_LOAD_MISSING && strcmp(path, WIP_DEFAULT_NMAP_PROBES) == 0))
                report_warning("wip: preference wip.nmap_service_probes: %s; "
                               "only the %u built-in service probes are used", err, builtin);
        }
    } else {
        g_snprintf(svc_probes_status, sizeof svc_probes_status,
                   "nmap service probes: no file set; %u built-in", builtin);
    }
    svc_probes_loaded_path = g_strdup(path);
}

/* ---- payload: recognise, hand off, describe, infer ---- */

/* First pass: what is this payload?  In its conversation when there is
 * memory for it (wc), else on its own.  The verdict lives in file scope. */
static wip_payload_store_t *wip_recognise(wip_conv_t *wc, const guint8 *bytes, guint len,
                                          gboolean is_tcp, int dir)
{
    wip_recog_t r;
    if (wc)
        wip_conv_recog_update(&wc->recog, bytes, len, is_tcp, dir, &r);
    else
        wip_recog_payload(bytes, len, is_tcp, &r);
    wip_payload_store_t *v = wmem_new0(wmem_file_scope(), wip_payload_store_t);
    v->proto = (guint8)r.proto;
    v->confidence = r.confidence;
    v->evidence = wip_intern(r.evidence);
    return v;
}

static void wip_add_description(proto_tree *pt, tvbuff_t *tvb)
{
    guint caplen = tvb_captured_length(tvb);
    wip_payload_desc_t d;
    wip_payload_describe(tvb_get_ptr(tvb, 0, caplen), caplen, &d);
    proto_item *pi;
    pi = proto_tree_add_boolean(pt, hf_wip_payload_text, tvb, 0, 0, d.is_text);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint_format_value(pt, hf_wip_payload_printable, tvb, 0, 0,
                                          d.printable_pct, "%u%%", d.printable_pct);
    proto_item_set_generated(pi);
    pi = proto_tree_add_double_format_value(pt, hf_wip_payload_entropy, tvb, 0, 0, floor(d.entropy * 1000.0 + 0.5) / 1000.0,
                                            "%.2f bits/byte", d.entropy);
    proto_item_set_generated(pi);
    if (d.first_line[0]) {
        pi = proto_tree_add_string(pt, hf_wip_payload_first_line, tvb, 0, 0, d.first_line);
        proto_item_set_generated(pi);
    }
}

static proto_tree *wip_add_payload_verdict(proto_tree *wt, tvbuff_t *tvb, const wip_payload_store_t *v,
                                           const char *handoff)
{
    if (!wt)
        return NULL;
    proto_item *pi = proto_tree_add_string(wt, hf_wip_payload_proto, tvb, 0, tvb_captured_length(tvb),
                                           wip_proto_name((wip_proto_t)v->proto));
    proto_item_set_generated(pi);
    proto_tree *pt = proto_item_add_subtree(pi, ett_wip_payload);
    pi = proto_tree_add_uint_format_value(pt, hf_wip_payload_conf, tvb, 0, 0, v->confidence,
                                          "%u%%", v->confidence);
    proto_item_set_generated(pi);
    if (v->evidence) {
        pi = proto_tree_add_string(pt, hf_wip_payload_evidence, tvb, 0, 0, v->evidence);
        proto_item_set_generated(pi);
    }
    if (handoff) {
        pi = proto_tree_add_string(pt, hf_wip_payload_handoff, tvb, 0, 0, handoff);
        proto_item_set_generated(pi);
    }
    return pt;
}

static guint64 wip_read_uint(tvbuff_t *tvb, guint off, guint width, gboolean big)
{
    switch (width) {
    case 1: return wip_tvb_get_u8(tvb, off);
    case 2: return big ? tvb_get_ntohs(tvb, off) : tvb_get_letohs(tvb, off);
    case 3: return big ? tvb_get_ntoh24(tvb, off) : tvb_get_letoh24(tvb, off);
    case 4: return big ? tvb_get_ntohl(tvb, off) : tvb_get_letohl(tvb, off);
    case 8: return big ? tvb_get_ntoh64(tvb, off) : tvb_get_letoh64(tvb, off);
    default: return 0;
    }
}

/* Per inferred field kind: its value field and that field's confidence
 * (a child of the value, so -T fields/EK keep each confidence with its
 * field).  Kinds without a row are shown as wip.hdr.field. */
static int *const WIP_HDR_HF[WIP_F_COUNT][2] = {
    [WIP_F_MAGIC]     = { &hf_wip_hdr_magic,     &hf_wip_hdr_magic_conf },
    [WIP_F_LENGTH]    = { &hf_wip_hdr_length,    &hf_wip_hdr_length_conf },
    [WIP_F_TYPE]      = { &hf_wip_hdr_type,      &hf_wip_hdr_type_conf },
    [WIP_F_SEQ]       = { &hf_wip_hdr_seq,       &hf_wip_hdr_seq_conf },
    [WIP_F_TXID]      = { &hf_wip_hdr_txid,      &hf_wip_hdr_txid_conf },
    [WIP_F_SESSION]   = { &hf_wip_hdr_session,   &hf_wip_hdr_session_conf },
    [WIP_F_TIMESTAMP] = { &hf_wip_hdr_timestamp, &hf_wip_hdr_timestamp_conf },
    [WIP_F_FIELD]     = { &hf_wip_hdr_field,     &hf_wip_hdr_field_conf },
};

static int wip_hdr_hf(wip_fkind_t k, int which)
{
    int *const *row = (guint)k < WIP_F_COUNT && WIP_HDR_HF[k][0] ? WIP_HDR_HF[k] : WIP_HDR_HF[WIP_F_FIELD];
    return *row[which];
}

/* Expert infos of the wip layer all hang on its root item: -T ek flattens
 * the layer, and notes under different parents would become duplicate
 * _ws_expert keys there (the item's own text still says what is wrong). */
static proto_item *wip_expert_anchor(proto_tree *wt)
{
    return proto_tree_get_parent(wt);
}

/* No inferred header on this message: say why (wip.nohdr, expert note). */
static void wip_no_header(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, const wip_hdr_model_t *m,
                          const char *why)
{
    if (!wt)
        return;
    proto_item *pi = proto_tree_add_string_format_value(wt, hf_wip_nohdr, tvb, 0, 0, why,
                        "%s (%u messages learned)", why, m ? m->n_msgs : 0);
    proto_item_set_generated(pi);
    expert_add_info(pinfo, wip_expert_anchor(wt), &ei_wip_hdr_none);
}

/* The fields of one message: the model's, or for BER messages its fixed
 * prefix and then this message's TLVs, or for a TLV chain body (wip_tlv.c)
 * that lands on this message's end the fields before the chain and then
 * its TLVs; then the text arguments of its body.
 * *nhdr: how many are header fields, *hdr_len: where the body starts. */
static guint wip_message_fields(const wip_hdr_model_t *m, const guint8 *p, guint caplen,
                                wip_field_t *fl, guint *nhdr, guint *hdr_len)
{
    guint nf = 0;
    *hdr_len = m->hdr_len;
    for (guint i = 0; i < m->n_fields && nf < WIP_INFER_NOFF; i++)
        if (!m->ber || m->f[i].offset + m->f[i].width <= m->ber_off)
            fl[nf++] = m->f[i];
    if (m->ber) {
        guint end = 0;
        nf += wip_infer_ber_fields(m, p, caplen, fl + nf, WIP_INFER_NOFF - nf, &end);
        *hdr_len = MAX(m->ber_off, end);
    } else if (m->tlv.on && wip_tlv_count(&m->tlv, p, caplen) > 0) {
        /* a TLV chain to the message end: the header up to it, then its TLVs */
        guint end = 0;
        for (guint i = nf = 0; i < m->n_fields && nf < WIP_INFER_NOFF; i++)
            if (m->f[i].offset + m->f[i].width <= m->tlv.off)
                fl[nf++] = m->f[i];
        nf += wip_tlv_fields(&m->tlv, p, caplen, fl + nf, WIP_INFER_NOFF - nf, &end);
        *hdr_len = MAX(m->tlv.off, end);
    }
    *nhdr = nf;
    if (nf > 0 && *hdr_len < caplen)
        nf += wip_infer_body_fields(p, caplen, *hdr_len, fl + nf, WIP_INFER_NOFF - nf);
    return nf;
}

/* An inferred length field, with what it counts and a note when the
 * message it announces is not this one. */
static proto_item *wip_hdr_length_item(proto_tree *ht, proto_item *anchor, tvbuff_t *tvb, packet_info *pinfo,
                                       const wip_field_t *f, guint64 v, const char *order,
                                       guint len, gboolean continues)
{
    gint64 expect = (gint64)v * (f->len_scale ? f->len_scale : 1) + f->len_adjust;
    char counts[64];
    guint scale = f->len_scale ? f->len_scale : 1;
    if (f->len_scale == 0)
        g_snprintf(counts, sizeof counts, "the content of its TLV");
    else if (f->len_adjust == 0)
        g_snprintf(counts, sizeof counts, "the whole message%s", scale > 1 ? " in 4-byte units" : "");
    else if (f->len_adjust > 0)
        g_snprintf(counts, sizeof counts, "the message after its first %d bytes%s", f->len_adjust,
                   scale > 1 ? ", in 4-byte units" : "");
    else
        g_snprintf(counts, sizeof counts, "the message plus %d bytes%s", -f->len_adjust,
                   scale > 1 ? ", in 4-byte units" : "");
    proto_item *fi = proto_tree_add_uint64_format_value(ht, wip_hdr_hf(f->kind, 0), tvb, f->offset, f->width, v,
                "%" G_GUINT64_FORMAT " (counts %s; %u bytes%s; confidence %u%%)",
                v, counts, f->width, order, f->confidence);
    if (f->len_scale && expect != (gint64)len && !pinfo->fragmented && !(continues && expect > (gint64)len)) {
        proto_item_append_text(fi, " [says %" G_GINT64_FORMAT " bytes, the message has %u]", expect, len);
        expert_add_info(pinfo, anchor, &ei_wip_hdr_length_mismatch);
    }
    return fi;
}

/* An inferred timestamp: the time in the encoding that puts it closest to
 * the packet's time (wip_value.c), with the raw value and that encoding. */
static proto_item *wip_hdr_time_item(proto_tree *ht, tvbuff_t *tvb, packet_info *pinfo,
                                     const wip_field_t *f, guint64 v, const char *order)
{
    wip_ts_t t;
    nstime_t ns;
    const char *unit = "not a time in any known encoding";
    nstime_set_zero(&ns);
    if (wip_ts_decode(v, f->width, (gint64)pinfo->abs_ts.secs, &t)) {
        ns.secs = (time_t)t.secs;
        ns.nsecs = t.nsecs;
        unit = wip_ts_unit_name(t.unit);
    }
    return proto_tree_add_time_format_value(ht, hf_wip_hdr_timestamp, tvb, f->offset, f->width, &ns,
                "%s (raw %" G_GUINT64_FORMAT ", %s; %u bytes%s; confidence %u%%)",
                abs_time_to_str(pinfo->pool, &ns, ABSOLUTE_TIME_UTC, TRUE), v, unit, f->width, order,
                f->confidence);
}

/* The confidence of an inferred item, as its child. */
static void wip_hdr_conf_child(proto_item *it, tvbuff_t *tvb, const wip_field_t *f, int hf_conf)
{
    proto_tree *ft = proto_item_add_subtree(it, ett_wip_hdr_field);
    proto_item *pi = proto_tree_add_uint(ft, hf_conf, tvb, f->offset, f->width, f->confidence);
    proto_item_set_generated(pi);
}

/* Can a field of this width be read as one integer? */
static gboolean wip_width_is_int(guint width)
{
    return width == 1 || width == 2 || width == 3 || width == 4 || width == 8;
}

/* Bytes without a boundary inside found (an untyped field of another
 * width): the value is how many. */
static void wip_hdr_span_item(proto_tree *ht, tvbuff_t *tvb, const wip_field_t *f)
{
    proto_item *si = proto_tree_add_uint_format_value(ht, hf_wip_hdr_span, tvb, f->offset, f->width, f->width,
                        "%u bytes (no boundary found inside; confidence %u%%)", f->width, f->confidence);
    wip_hdr_conf_child(si, tvb, f, hf_wip_hdr_span_conf);
}

/* One inferred header field (not beyond the captured bytes), with its
 * confidence as a child field of its own kind. */
static void wip_hdr_field_item(proto_tree *ht, proto_item *anchor, tvbuff_t *tvb, packet_info *pinfo,
                               const wip_field_t *f, gboolean const_differs, guint len, gboolean continues)
{
    if (!wip_width_is_int(f->width)) {
        wip_hdr_span_item(ht, tvb, f);
        return;
    }
    guint64 v = wip_read_uint(tvb, f->offset, f->width, f->big_endian);
    if (f->kind == WIP_F_LENGTH && f->width == 4)
        v &= 0x7fffffffu;   /* the top bit of a 4-byte length is a flag (wip_infer.c) */
    int hf = wip_hdr_hf(f->kind, 0);
    const char *order = f->width == 1 ? "" : f->big_endian ? ", big-endian" : ", little-endian";
    proto_item *fi;
    if (f->kind == WIP_F_LENGTH) {
        fi = wip_hdr_length_item(ht, anchor, tvb, pinfo, f, v, order, len, continues);
    } else if (f->kind == WIP_F_TIMESTAMP) {
        fi = wip_hdr_time_item(ht, tvb, pinfo, f, v, order);
    } else if (f->kind == WIP_F_MAGIC || f->kind == WIP_F_SESSION || f->kind == WIP_F_TXID ||
               f->kind == WIP_F_FIELD) {
        fi = proto_tree_add_uint64_format_value(ht, hf, tvb, f->offset, f->width, v,
                    "0x%0*" G_GINT64_MODIFIER "x (%u byte%s%s; confidence %u%%)",
                    f->width * 2, v, f->width, f->width == 1 ? "" : "s", order, f->confidence);
        if (f->kind == WIP_F_MAGIC && const_differs) {
            proto_item_append_text(fi, " [the learned constant is 0x%0*x: another message kind]",
                                   f->width * 2, f->magic);
            expert_add_info(pinfo, anchor, &ei_wip_hdr_const_differs);
        }
    } else {
        fi = proto_tree_add_uint64_format_value(ht, hf, tvb, f->offset, f->width, v,
                    "%" G_GUINT64_FORMAT " (%u byte%s%s; confidence %u%%)",
                    v, f->width, f->width == 1 ? "" : "s", order, f->confidence);
    }
    wip_hdr_conf_child(fi, tvb, f, wip_hdr_hf(f->kind, 1));
}

/* A text argument of the body (with its NUL separator). */
static void wip_hdr_arg_item(proto_tree *ht, tvbuff_t *tvb, const wip_field_t *f)
{
    proto_item *ai = proto_tree_add_item(ht, hf_wip_hdr_arg, tvb, f->offset, f->width, ENC_ASCII | ENC_NA);
    proto_item_append_text(ai, " (text argument, %u bytes with its NUL; confidence %u%%)", f->width, f->confidence);
    wip_hdr_conf_child(ai, tvb, f, hf_wip_hdr_arg_conf);
}

/* The inferred header of one message, each item spanning its bytes.
 * Never throws: fields beyond the captured bytes are left out, with a note. */
static void wip_add_inferred(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, wip_learner_t *l, int dir,
                             const wip_hdr_model_t *m, gboolean whole_capture, gboolean continues)
{
    if (!wt)
        return;
    guint len = tvb_reported_length(tvb);
    guint caplen = tvb_captured_length(tvb);
    const guint8 *p = tvb_get_ptr(tvb, 0, caplen);
    m = wip_infer_kind_model(l->inf, dir, m, p, caplen, whole_capture);   /* the message kind's own model */
    wip_field_t fl[WIP_INFER_NOFF];
    guint nhdr, hdr_len;
    guint nf = wip_message_fields(m, p, caplen, fl, &nhdr, &hdr_len);
    proto_item *hi = proto_tree_add_item(wt, hf_wip_hdr, tvb, 0, MIN(hdr_len, caplen), ENC_NA);
    proto_item *anchor = wip_expert_anchor(wt);
    if (nf == 0) {
        proto_item_set_text(hi, "Inferred header: message start, no fields yet (%s)",
                            m->n_msgs < 2 ? "too few messages learned" : "none found in the messages learned");
        expert_add_info(pinfo, anchor, &ei_wip_hdr_none);
        return;
    }
    proto_item_set_text(hi, "Inferred header (from %u messages in %u conversations%s%s)",
                        m->n_msgs, m->n_convs,
                        whole_capture ? ", whole capture" : ", learned so far", m->ber ? ", BER/ASN.1" : "");
    proto_tree *ht = proto_item_add_subtree(hi, ett_wip_hdr);
    proto_item *pi = proto_tree_add_uint(ht, hf_wip_hdr_msgs, tvb, 0, 0, m->n_msgs);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint(ht, hf_wip_hdr_convs, tvb, 0, 0, m->n_convs);
    proto_item_set_generated(pi);
    guint32 differ = wip_infer_const_mismatch(m, p, caplen);
    guint magic_i = 0;
    for (guint i = 0; i < nf; i++) {
        const wip_field_t *f = &fl[i];
        if (i >= nhdr) {       /* a text argument of the body */
            wip_hdr_arg_item(ht, tvb, f);
            continue;
        }
        if ((guint)f->offset + f->width > caplen) {
            proto_item_append_text(hi, " [the %u-byte message ends before the %s field at offset %u: "
                                   "fields shown up to there]", caplen, wip_fkind_name(f->kind), f->offset);
            expert_add_info(pinfo, anchor, &ei_wip_hdr_short);
            break;
        }
        wip_hdr_field_item(ht, anchor, tvb, pinfo, f, f->kind == WIP_F_MAGIC && ((differ >> magic_i) & 1),
                           len, continues);
        if (f->kind == WIP_F_MAGIC)
            magic_i++;
    }
    if (hdr_len < caplen)
        proto_tree_add_uint_format_value(ht, hf_wip_hdr_body, tvb, hdr_len, caplen - hdr_len, len - hdr_len,
                                         "%u bytes", len - hdr_len);
}

/* An unframed TCP segment that starts a message: one header per message
 * the model's length field finds in it (a burst), the last one possibly
 * continuing in the next segment. */
static void wip_show_segment(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, wip_learner_t *l, int dir,
                             const wip_hdr_model_t *m)
{
    guint caplen = tvb_captured_length(tvb);
    wip_frame_rule_t rule;
    if (!wip_infer_frame_rule(l->inf, dir, m, &rule)) {
        wip_add_inferred(wt, tvb, pinfo, l, dir, m, PINFO_FD_VISITED(pinfo), TRUE);
        return;
    }
    guint off = 0;
    for (int k = 0; off < caplen && k < 64; k++) {
        guint32 n = 0;
        wip_frame_res_t r = wip_infer_frame(&rule, tvb_get_ptr(tvb, off, caplen - off), caplen - off, &n);
        if (r == WIP_FRAME_SKIP) {
            if (off == 0)   /* no plausible length: one message as it is */
                wip_add_inferred(wt, tvb, pinfo, l, dir, m, PINFO_FD_VISITED(pinfo), TRUE);
            else
                wip_no_header(wt, tvb_new_subset_remaining(tvb, off), pinfo, m,
                              "no plausible header after the previous message in this segment");
            return;
        }
        if (r == WIP_FRAME_NEED_MORE || off + n >= caplen) {
            wip_add_inferred(wt, off ? tvb_new_subset_remaining(tvb, off) : tvb, pinfo, l, dir, m,
                             PINFO_FD_VISITED(pinfo), TRUE);
            return;
        }
        wip_add_inferred(wt, tvb_new_subset_length(tvb, off, n), pinfo, l, dir, m, PINFO_FD_VISITED(pinfo), FALSE);
        off += n;
    }
}

/* Message starts of an unframed TCP segment, kept per frame: [0] the
 * count, then each offset, WIP_START_SKIP set where bytes without a
 * plausible header start (the TCP framing resynchronised after them). */
#define WIP_START_SKIP 0x80000000u

/* First pass: where messages start in an unframed TCP segment, from the
 * tracker of its direction (a message's length says where the next one
 * starts, across segments; the learner's judgement of a message start puts
 * it in sync).  Kept per frame when the tracker can tell; *continuation
 * then says whether none starts here. */
static void wip_keep_starts(tvbuff_t *tvb, packet_info *pinfo, wip_learner_t *l, wip_conv_t *wc, int dir,
                            gboolean start, guint8 *continuation)
{
    wip_pass_t *ps = wip_pass(pinfo);
    if (dir < 1 || dir > 2 || !pref_frame_tcp ||
        p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_STARTS))
        return;
    wip_frame_track_t *t = &wip_framing(wc)->trk[dir];
    guint caplen = tvb_captured_length(tvb);
    if (!ps->have_seq || caplen != tvb_reported_length(tvb)) {
        t->synced = 0;      /* bytes of the stream not seen: out of sync */
        return;
    }
    wip_frame_rule_t rule;
    wip_frame_fixed_t *fx = &l->fixed[dir];
    gboolean have = wip_infer_tile_rule(l->inf, dir, &rule) || wip_frame_fixed_rule(fx, &rule);
    wip_frame_starts_t st;
    const guint8 *p = tvb_get_ptr(tvb, 0, caplen);
    wip_frame_track(t, have ? &rule : NULL, ps->tcp_seq, p, caplen, start, &st);
    if (start && st.n <= 1)
        wip_frame_fixed_learn(fx, p, caplen);
    if (!st.known)
        return;
    guint32 *keep = (guint32 *)wmem_alloc(wmem_file_scope(), (st.n + 1) * sizeof *keep);
    keep[0] = st.n;
    for (guint i = 0; i < st.n; i++)
        keep[i + 1] = st.off[i] | (st.what[i] == WIP_FRAME_AT_SKIP ? WIP_START_SKIP : 0);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_STARTS, keep);
    if (continuation)
        *continuation = st.n == 0;
}

/* An unframed TCP segment by its kept message starts: one header per
 * message, a note on bytes skipped to resynchronise. */
static void wip_show_starts(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, wip_learner_t *l, int dir,
                            const wip_hdr_model_t *m, const guint32 *st)
{
    guint caplen = tvb_captured_length(tvb);
    if (st[0] == 0) {
        wip_no_header(wt, tvb, pinfo, m, "does not start a message (a TCP continuation segment)");
        return;
    }
    for (guint i = 0; i < st[0]; i++) {
        guint off = st[i + 1] & ~WIP_START_SKIP;
        guint end = i + 1 < st[0] ? (st[i + 2] & ~WIP_START_SKIP) : caplen;
        if (off >= caplen || end <= off)
            break;
        tvbuff_t *sub = tvb_new_subset_length(tvb, off, MIN(end, caplen) - off);
        if (st[i + 1] & WIP_START_SKIP)
            wip_no_header(wt, sub, pinfo, m, "no plausible header here (bytes skipped to resynchronise the TCP framing)");
        else
            wip_add_inferred(wt, sub, pinfo, l, dir, m, PINFO_FD_VISITED(pinfo), i + 1 == st[0]);
    }
}

/* The segment's first byte is the first payload byte of its direction of
 * a TCP connection captured from its handshake (relative sequence number
 * 1, or the initial one + 1): a message starts there, whatever the
 * learned gate says (a greeting or setup message of its own layout). */
static gboolean wip_tcp_stream_start(packet_info *pinfo)
{
    const wip_pass_t *ps = wip_pass(pinfo);
    if (pinfo->ptype != PT_TCP || !ps->have_seq)
        return FALSE;
    struct tcp_analysis *tcpd = get_tcp_conversation_data(NULL, pinfo);
    if (!tcpd || !tcpd->fwd || nstime_is_zero(&tcpd->ts_mru_syn))
        return FALSE;
    return wip_frame_stream_start(ps->tcp_seq, tcpd->fwd->base_seq);
}

/* One message of unknown binary payload: learn (first pass) and show.
 * message_start: the caller knows it starts a message (UDP, framed TCP). */
static void wip_infer_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *wt, int dir, guint16 port,
                              wip_conv_t *wc, guint8 *continuation, gboolean message_start,
                              gboolean may_frame)
{
    wip_learner_t *l = wip_learner(wip_transport(pinfo), port, !PINFO_FD_VISITED(pinfo));
    if (!l) {
        wip_cap_hit(WIP_CAP_LEARNERS, pinfo);   /* all learners taken by other ports */
        return;
    }
    guint caplen = tvb_captured_length(tvb);
    gboolean is_tcp = pinfo->ptype == PT_TCP;
    if (!PINFO_FD_VISITED(pinfo)) {
        const guint8 *p = tvb_get_ptr(tvb, 0, caplen);
        double ts = nstime_to_sec(&pinfo->abs_ts);
        guint32 conv = wc ? wc->conv_id : 0;
        gboolean start = is_tcp && !message_start ? wip_infer_offer_segment(l->inf, conv, dir, p, caplen, ts)
                                                  : wip_infer_offer(l->inf, conv, dir, p, caplen, ts, message_start);
        if (!start && is_tcp && !message_start && wip_tcp_stream_start(pinfo))
            start = TRUE;
        if (!start && !message_start && continuation)
            *continuation = 1;   /* not a message start: no header to show */
        if (is_tcp && !message_start && wc)
            wip_keep_starts(tvb, pinfo, l, wc, dir, start, continuation);
        /* Freeze the TCP framing rule for this direction of the conversation. */
        wip_frame_rule_t nr;
        if (wc && may_frame && pref_frame_tcp && is_tcp &&
            wip_infer_frame_rule(l->inf, dir, wip_infer_cached(l->inf, dir, FALSE), &nr))
            wip_framing_update(wc, dir, &nr, pinfo->num + 1);
    }
    if (!wt)
        return;
    const wip_hdr_model_t *m = wip_infer_shown(l->inf, dir, PINFO_FD_VISITED(pinfo));
    const guint32 *st = is_tcp && !message_start
        ? (const guint32 *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_STARTS) : NULL;
    if (st) {
        wip_show_starts(wt, tvb, pinfo, l, dir, m, st);
        return;
    }
    const char *why = (continuation && *continuation)
        ? "does not start a message (a TCP continuation segment)"
        : wip_infer_no_header(m, tvb_get_ptr(tvb, 0, caplen), caplen, message_start || !is_tcp);
    if (why)
        wip_no_header(wt, tvb, pinfo, m, why);
    else if (is_tcp && !message_start)
        wip_show_segment(wt, tvb, pinfo, l, dir, m);
    else
        wip_add_inferred(wt, tvb, pinfo, l, dir, m, PINFO_FD_VISITED(pinfo), FALSE);
}

/* With wip.infer_known: the inferred header also of payload a recogniser
 * claims, beside Wireshark's own dissection. */
static void wip_infer_known(tvbuff_t *tvb, packet_info *pinfo, proto_tree *wt, int dir, guint16 port,
                            wip_conv_t *wc, wip_payload_store_t *v)
{
    if (!pref_infer || !pref_infer_known || v->binary_unknown || v->proto == WIP_P_UNKNOWN)
        return;
    guint caplen = tvb_captured_length(tvb);
    if (caplen == 0 || wip_payload_is_text(tvb_get_ptr(tvb, 0, caplen), caplen))
        return;
    guint8 cont = v->continuation;
    wip_infer_message(tvb, pinfo, wt, dir, port, wc, &cont, pinfo->ptype != PT_TCP, FALSE);
    v->continuation = cont;
}

typedef struct {
    wip_conv_t *wc;
    int dir;
    guint16 port;
    proto_tree *wt;
    wip_pass_t *ps;
    tvbuff_t *whole;           /* the buffer TCP gave (for the verdict item) */
    const wip_frame_rule_t *rule;
} wip_pdu_ctx_t;

static const wip_payload_store_t wip_framed_verdict = {
    .proto = WIP_P_UNKNOWN, .binary_unknown = 1,
    .evidence = "unknown binary protocol framed by its inferred length field" };

static int wip_dissect_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree _U_, wip_pdu_ctx_t *ctx)
{
    guint caplen = tvb_captured_length(tvb);
    guint32 n = 0;
    if (wip_infer_frame(ctx->rule, tvb_get_ptr(tvb, 0, caplen), caplen, &n) == WIP_FRAME_MSG &&
        n == tvb_reported_length(tvb))
        wip_infer_message(tvb, pinfo, ctx->wt, ctx->dir, ctx->port, ctx->wc, NULL, TRUE, TRUE);
    else {
        wip_learner_t *l = wip_learner(wip_transport(pinfo), ctx->port, FALSE);
        wip_no_header(ctx->wt, tvb, pinfo, l ? wip_infer_cached(l->inf, ctx->dir, PINFO_FD_VISITED(pinfo)) : NULL,
                      "no plausible header here (bytes skipped to resynchronise the TCP framing)");
    }
    return tvb_captured_length(tvb);
}

/* May TCP wait for the n-byte message cut by the end of this frame?  Not
 * beyond what the direction has shown plausible (wip_frame_wait_plausible,
 * by the longest message learned so far): decided on the first pass, kept
 * per frame, so every pass frames alike. */
static gboolean wip_framed_may_wait(packet_info *pinfo, const wip_pdu_ctx_t *ctx, guint32 n)
{
    guint32 *d = (guint32 *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_WAIT);
    if (d && d[0] == n)
        return d[1] != 0;
    if (PINFO_FD_VISITED(pinfo))
        return TRUE;
    wip_learner_t *l = wip_learner(wip_transport(pinfo), ctx->port, FALSE);
    gboolean ok = wip_frame_wait_plausible(ctx->rule, n, l ? wip_infer_longest(l->inf, ctx->dir) : 0);
    if (!d) {
        d = (guint32 *)wmem_alloc(wmem_file_scope(), 2 * sizeof *d);
        p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_WAIT, d);
    }
    d[0] = n;
    d[1] = ok;
    return ok;
}

/* The payload verdict, once per pass, in a call that shows a message (a
 * call that only asks TCP for more bytes happens in the first pass alone). */
static void wip_framed_verdict_item(wip_pdu_ctx_t *ctx)
{
    if (!ctx->ps->payload_items) {
        wip_add_payload_verdict(ctx->wt, ctx->whole, &wip_framed_verdict, NULL);
        ctx->ps->payload_items = TRUE;
    }
}

/* A message whose inferred length is not plausible to wait for: the rest
 * of the segment as it is, with a note, and the rule judged to fail. */
static int wip_framed_unwaited(tvbuff_t *tvb, packet_info *pinfo, wip_pdu_ctx_t *ctx, guint off)
{
    wip_framed_verdict_item(ctx);
    wip_learner_t *l = wip_learner(wip_transport(pinfo), ctx->port, FALSE);
    wip_no_header(ctx->wt, tvb_new_subset_remaining(tvb, off), pinfo,
                  l ? wip_infer_cached(l->inf, ctx->dir, PINFO_FD_VISITED(pinfo)) : NULL,
                  "the inferred length says more bytes than any message seen in this direction: not reassembled");
    return tvb_reported_length(tvb);
}

/* First pass: how the frozen rule fared on a segment's first message. */
static void wip_framed_judge(packet_info *pinfo, const wip_pdu_ctx_t *ctx, gboolean ok)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    wip_framing_judge(ctx->wc, ctx->dir, ctx->rule, ok, pinfo->num);
}

/* A framed TCP stream: split into messages by the frozen rule, as
 * tcp_dissect_pdus does (a cut header: one more segment; a message longer
 * than the data: exactly its missing bytes, when plausible), skipping to
 * the next plausible header after a gap, and adding the payload verdict
 * only in calls that show a message (TCP calls again in the first pass only). */
static int wip_dissect_framed(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, wip_pdu_ctx_t *ctx)
{
    const wip_frame_rule_t *r = ctx->rule;
    guint rlen = tvb_reported_length(tvb), off = 0;
    while (off < rlen) {
        guint avail = tvb_captured_length_remaining(tvb, off);
        guint rem = tvb_reported_length_remaining(tvb, off);
        guint32 n = 0;
        const guint8 *p = tvb_get_ptr(tvb, off, avail);
        wip_frame_res_t fr = wip_infer_frame(r, p, avail, &n);
        gboolean may_wait = pinfo->can_desegment && avail == rem;
        if (fr == WIP_FRAME_MSG && n > rem && may_wait && !wip_framed_may_wait(pinfo, ctx, n)) {
            if (off == 0)
                wip_framed_judge(pinfo, ctx, FALSE);
            return wip_framed_unwaited(tvb, pinfo, ctx, off);
        }
        if (off == 0)
            wip_framed_judge(pinfo, ctx, fr != WIP_FRAME_SKIP);
        if (fr == WIP_FRAME_NEED_MORE) {
            /* the whole next segment, not just the header's missing bytes:
             * a reassembly extended twice within one frame is not
             * rebuilt in a second pass (-2) */
            guint32 need = wip_infer_frame_need(r, p, avail);
            if (may_wait && need > avail) {
                pinfo->desegment_offset = off;
                pinfo->desegment_len = DESEGMENT_ONE_MORE_SEGMENT;
                return rlen;
            }
            n = rem;                /* cannot wait: the rest as it is */
        } else if (fr == WIP_FRAME_MSG && n > rem && may_wait) {
            pinfo->desegment_offset = off;
            pinfo->desegment_len = n - rem;
            return rlen;
        }
        if (n == 0)
            n = rem;
        wip_framed_verdict_item(ctx);
        tvbuff_t *next = tvb_new_subset_length(tvb, off, (gint)MIN(n, rem));
        wip_dissect_pdu(next, pinfo, tree, ctx);
        off += MIN(n, rem);
    }
    return rlen;
}

/* First pass, after a successful hand-off: once the conversation is
 * locked to a stream protocol (wip_recog: a strong claim), that protocol's
 * dissector becomes the TCP conversation's dissector from this frame on.
 * TCP then gives it every later segment before the port table is asked,
 * exactly as Decode As would: its own reassembly (a certificate spanning
 * segments, a DNS length prefix alone in a segment, a RESP value cut
 * anywhere) sees every byte, and no recognition of later segments can take
 * a segment away from it.  wip's verdict for those frames is still made,
 * by the postdissector.  Media (RTP, RTCP, STUN, TURN, DTLS) and
 * media-type dissectors (JSON, XML, protobuf, text) are never locked:
 * they are judged per packet.  With wip.infer_known the conversation is
 * not locked: wip's port dissector then keeps seeing every segment to put
 * the inferred header beside the hand-off (an analysis mode; the handed-to
 * dissector's own reassembly across segments may then see less). */
static void wip_lock_conversation(packet_info *pinfo, wip_conv_t *wc, const wip_payload_store_t *v,
                                  dissector_handle_t h, const char *h_name)
{
    if (pinfo->ptype != PT_TCP || !wc || wc->conv_handoff || v->proto >= WIP_P_COUNT || pref_infer_known ||
        !(wip_proto_info((wip_proto_t)v->proto)->flags & WIP_PF_LOCK_TCP) ||
        !wc->recog.locked || wc->recog.proto != (wip_proto_t)v->proto)
        return;
    conversation_t *conv = find_or_create_conversation(pinfo);
    /* the protocol already manages its conversation (RDP switching to TLS
     * after its negotiation sets TLS as the conversation's dissector): a
     * lock from this frame on would override that switch */
    if (conversation_get_dissector(conv, pinfo->num))
        return;
    wc->conv_handle = h;
    wc->conv_handoff = h_name;
    wc->conv_handoff_from = pinfo->num;
    conversation_set_dissector_from_frame_number(conv, pinfo->num, wip_locked_handle);
}

/* The conversation dissector of a locked TCP conversation: the locked
 * protocol's dissector, called as the port table would call it under
 * Decode As (pinfo->match_uint the wip port: SSH, for one, tells client
 * from server by it). */
static int dissect_wip_locked(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    wip_conv_t *wc = wip_conv_find(pinfo);
    if (!wc || !wc->conv_handle)
        return 0;
    guint16 port = 0;
    wip_direction_any(pinfo, &port);
    guint32 saved = pinfo->match_uint;
    pinfo->match_uint = port;
    /* TCP lets only its direct child desegment (each call level takes one
     * off can_desegment): give it back, as Decode As would have it. */
    pinfo->can_desegment = pinfo->saved_can_desegment;
    int r = call_dissector_only(wc->conv_handle, tvb, pinfo, tree, data);
    pinfo->match_uint = saved;
    return r;
}

/* Name of the protocol right above TCP/UDP in this frame (the dissector
 * that took the payload when wip's port dissector did not run and no
 * conversation dissector is found), or the verdict's own protocol where it
 * is among the layers above (Wireshark 4.4+ demultiplexes a WebRTC
 * 5-tuple in its RTP conversation: udp:rtp:dtls); NULL if none. */
static const char *wip_layer_above_transport(packet_info *pinfo, const char *verdict)
{
    gboolean after = FALSE;
    const char *first = NULL;
    for (wmem_list_frame_t *lf = wmem_list_head(pinfo->layers); lf; lf = wmem_list_frame_next(lf)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(lf));
        if (after && id != proto_wip) {
            const char *n = proto_get_protocol_filter_name(id);
            if (verdict && n && strcmp(n, verdict) == 0)
                return n;   /* the verdict's own dissector (4.4+: udp:rtp:dtls) */
            if (!first)
                first = n;
        }
        if (id == proto_tcp_id || id == proto_udp_id)
            after = TRUE;
    }
    return first;
}

/* Name of the conversation dissector that took this frame's payload (the
 * locked protocol's, or one another dissector set: WebSocket after an HTTP
 * Upgrade, TLS after STARTTLS), NULL if none. */
static const char *wip_conv_dissector_name(packet_info *pinfo, const wip_conv_t *wc)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    dissector_handle_t h = conv ? conversation_get_dissector(conv, pinfo->num) : NULL;
    if (!h)
        return NULL;
    if (h == wip_locked_handle)
        return wc ? wc->conv_handoff : NULL;
    const char *n = dissector_handle_get_dissector_name(h);
    return n ? n : proto_get_protocol_filter_name(dissector_handle_get_protocol_index(h));
}

/* ---- port-table dissector: payload on the wip ports ---- */

/* The payload's verdict: decided on the first pass (call 1's is the
 * frame's), read back on later passes. */
static wip_payload_store_t *wip_payload_verdict(tvbuff_t *tvb, packet_info *pinfo, wip_conv_t *wc, guint call,
                                                gboolean is_tcp, int dir)
{
    guint caplen = tvb_captured_length(tvb);
    guint key = call == 1 ? WIP_KEY_FRAME : WIP_KEY_PAYLOAD + call;
    wip_payload_store_t *v = (wip_payload_store_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, key);
    if (v)
        return v;
    const guint8 *bytes = tvb_get_ptr(tvb, 0, caplen);
    v = wip_recognise(wc, bytes, caplen, is_tcp, dir);
    if (v->proto == WIP_P_UNKNOWN)
        v->binary_unknown = !wip_payload_is_text(bytes, caplen);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, key, v);
    if (key != WIP_KEY_FRAME && !p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME))
        p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME, v);
    return v;
}

/* The Wireshark dissector a verdict goes to (NULL: none), and its name. */
static dissector_handle_t wip_handoff_handle(tvbuff_t *tvb, const wip_payload_store_t *v, gboolean is_tcp,
                                             const char **h_name)
{
    guint caplen = tvb_captured_length(tvb);
    *h_name = NULL;
    if (!pref_handoff || v->proto == WIP_P_UNKNOWN || v->confidence <= WIP_RECOG_WEAK_MAX - 1)
        return NULL;
    const wip_proto_info_t *pi = wip_proto_info((wip_proto_t)v->proto);
    dissector_handle_t h = is_tcp ? handoff_tcp[v->proto] : handoff_udp[v->proto];
    *h_name = is_tcp ? pi->tcp_handoff : pi->udp_handoff;
    if (!h) {   /* registered after our handoff: look it up on its port now */
        guint16 dport = is_tcp ? pi->tcp_port : pi->udp_port;
        if (dport)
            h = dissector_get_uint_handle(is_tcp ? tcp_port_table : udp_port_table, dport);
        if (h)
            *h_name = proto_get_protocol_filter_name(dissector_handle_get_protocol_index(h));
    }
    if (v->proto == WIP_P_TPKT && q931_tpkt_handle && caplen > 4 && wip_tvb_get_u8(tvb, 4) == 0x08) {
        h = q931_tpkt_handle;
        *h_name = "q931.tpkt";
    }
    /* RFC 3489 STUN (no magic cookie) has its own Wireshark dissector */
    if (v->proto == WIP_P_STUN && classicstun_handle && caplen >= 20 && tvb_get_ntohl(tvb, 4) != 0x2112A442) {
        h = classicstun_handle;
        *h_name = "classicstun";
    }
    return h;
}

/* Hand the payload to h; on the first pass an accepted hand-off is
 * recorded and may lock the conversation.  Returns what h consumed. */
static int wip_call_handoff(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, wip_conv_t *wc,
                            wip_payload_store_t *v, dissector_handle_t h, const char *h_name)
{
    /* Media-type dissectors (xml, json, text, protobuf, websocket) read
     * their data argument as their own type: give TCP's only to the
     * dissectors that normally sit on tcp.port. */
    gboolean media = (wip_proto_info((wip_proto_t)v->proto)->flags & WIP_PF_MEDIA_TYPE) != 0;
    /* TCP lets only its direct child (wip) ask for more data; the
     * dissector wip hands to is what Decode As would make that child,
     * so it may: without this, a TLS certificate or a DNS answer
     * spanning segments was lost. */
    pinfo->can_desegment = pinfo->saved_can_desegment;
    int consumed = call_dissector_only(h, tvb, pinfo, tree, media ? NULL : data);
    if (consumed > 0 && !PINFO_FD_VISITED(pinfo)) {
        if (v->proto != WIP_P_TEXT)
            v->handed_off = 1;
        v->handoff = h_name;
        wip_lock_conversation(pinfo, wc, v, h, h_name);
    }
    return consumed;
}

static int dissect_wip(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (pinfo->flags.in_error_pkt)     /* quoted inside an ICMP error */
        return 0;
    guint16 port = 0;
    int dir = wip_direction_any(pinfo, &port);
    if (wip_frame_direction(pinfo, &port) != 0) {
        const struct tcpinfo *ti = pinfo->ptype == PT_TCP ? (const struct tcpinfo *)data : NULL;
        wip_svc_out_t so;
        if (wip_service_side(pinfo, ti != NULL, ti ? ti->flags : 0, &so) == WIP_SVC_CLIENT_PORT)
            return 0;       /* not the wip-port service: the other port's dissector, as without wip */
        dir = so.dir;
        port = so.port;
    }
    wip_pass_t *ps = wip_pass(pinfo);
    guint32 len = tvb_reported_length(tvb);
    gboolean is_tcp = pinfo->ptype == PT_TCP;
    guint call = ++ps->calls;
    ps->payload_bytes += len;
    if (is_tcp && data && call == 1) {
        const struct tcpinfo *sti = (const struct tcpinfo *)data;
        ps->have_seq = !sti->is_reassembled && sti->nxtseq - sti->seq >= len;
        ps->tcp_seq = sti->seq;
    }

    proto_tree *wt = wip_label_tree(ps, tree, tvb, pinfo, dir, port, is_tcp ? -1 : (gint32)len);
    if (ps->item && call > 1)
        proto_item_append_text(ps->item, " (+%u more bytes)", len);

    wip_conv_t *wc = wip_conv(pinfo, !PINFO_FD_VISITED(pinfo));

    /* A TCP stream already framed by an inferred length field. */
    const wip_frame_rule_t *frule = is_tcp && wc && pref_infer ? wip_framing_rule(wc, dir, pinfo->num) : NULL;
    if (frule) {
        if (!PINFO_FD_VISITED(pinfo) && !p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME))
            p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME, (void *)&wip_framed_verdict);
        wip_pdu_ctx_t ctx = { wc, dir, port, wt, ps, tvb, frule };
        return wip_dissect_framed(tvb, pinfo, tree, &ctx);
    }

    wip_payload_store_t *v = wip_payload_verdict(tvb, pinfo, wc, call, is_tcp, dir);
    ps->payload_items = TRUE;
    const char *h_name;
    dissector_handle_t h = wip_handoff_handle(tvb, v, is_tcp, &h_name);
    proto_tree *pt = wip_add_payload_verdict(wt, tvb, v, h ? h_name : NULL);
    if (pt)
        wip_add_description(pt, tvb);
    if (v->proto > WIP_P_TEXT && v->confidence > WIP_RECOG_WEAK_MAX && ps->item && call == 1)
        expert_add_info(pinfo, ps->item, &ei_wip_payload_known);

    wip_infer_known(tvb, pinfo, wt, dir, port, wc, v);
    if (h) {
        int consumed = wip_call_handoff(tvb, pinfo, tree, data, wc, v, h, h_name);
        if (consumed > 0)
            return consumed;
        if (ps->item) {
            proto_item_append_text(ps->item, " [the %s dissector rejected the payload]", h_name);
            expert_add_info(pinfo, ps->item, &ei_wip_payload_rejected);
        }
    }
    if (v->binary_unknown && pref_infer) {
        guint8 cont = v->continuation;
        wip_infer_message(tvb, pinfo, wt, dir, port, wc, &cont, !is_tcp, TRUE);
        v->continuation = cont;     /* decided on the first pass, kept after */
    }
    call_data_dissector(tvb, pinfo, tree);
    return tvb_captured_length(tvb);
}

/* ---- postdissector: every frame ---- */

/* Puts prefix (plen bytes) in front of the Info column: what
 * col_prepend_fstr(..., "%s", prefix) shows, at a fraction of its cost (no
 * printf; the new text is built once in pinfo->pool, which outlives the
 * columns' use, and the column points to it).  The fence ends up after the
 * whole text (a later writer can only append), not after the prefix plus
 * the old fence.  Truncated to the Info column's size, as Wireshark does. */
static void wip_col_prefix(packet_info *pinfo, const char *prefix, gsize plen)
{
    if (!col_get_writable(pinfo->cinfo, COL_INFO))
        return;
    const char *orig = col_get_text(pinfo->cinfo, COL_INFO);
    if (!orig) {
        col_prepend_fstr(pinfo->cinfo, COL_INFO, "%s", prefix);
        return;
    }
    gsize olen = strlen(orig);
    if (plen > COL_MAX_INFO_LEN - 1)
        plen = COL_MAX_INFO_LEN - 1;
    if (olen > COL_MAX_INFO_LEN - 1 - plen)
        olen = COL_MAX_INFO_LEN - 1 - plen;
    char *buf = (char *)wmem_alloc(pinfo->pool, plen + olen + 1);
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, orig, olen);
    buf[plen + olen] = '\0';
    col_clear_fence(pinfo->cinfo, COL_INFO);
    col_set_str(pinfo->cinfo, COL_INFO, buf);
    col_set_fence(pinfo->cinfo, COL_INFO);
}

static const char *wip_tcp_flags_str_uncached(guint16 f, char *buf, gsize n)
{
    static const struct { guint16 bit; const char name[4]; } names[] = {
        { WIP_TH_SYN, "SYN" }, { WIP_TH_FIN, "FIN" }, { WIP_TH_RST, "RST" },
        { WIP_TH_PSH, "PSH" }, { WIP_TH_ACK, "ACK" }, { WIP_TH_URG, "URG" },
        { WIP_TH_ECE, "ECE" }, { WIP_TH_CWR, "CWR" }, { WIP_TH_NS, "NS" },
        { WIP_TH_RES, "RES" },
    };
    gsize pos = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (!(f & names[i].bit))
            continue;
        gsize l = strlen(names[i].name);
        if (pos + l + 2 > n)
            break;
        if (pos)
            buf[pos++] = ',';
        memcpy(buf + pos, names[i].name, l);
        pos += l;
    }
    buf[pos] = '\0';
    return pos ? buf : "no flags";
}

/* A scan repeats one flag combination: the last text is kept. */
static const char *wip_tcp_flags_str(guint16 f)
{
    static guint32 last = G_MAXUINT32;
    static char buf[64];
    static const char *text;
    if (f != last) {
        text = wip_tcp_flags_str_uncached(f, buf, sizeof buf);
        last = f;
    }
    return text;
}

/* The shared copy of a verdict: scans repeat a few verdicts, so the last
 * ones are checked first, without hashing. */
static const wip_probe_shown_t *wip_probe_shown(const wip_probe_verdict_t *pv)
{
    const wip_probe_shown_t **recent = &recent_shown[pv->sig % G_N_ELEMENTS(recent_shown)];
    if (*recent && wip_probe_kind_equal(&(*recent)->k, &pv->k))
        return *recent;
    if (!shown_kinds)
        shown_kinds = wmem_map_new(wmem_file_scope(), wip_probe_kind_hash, wip_probe_kind_equal);
    wip_probe_shown_t *v = (wip_probe_shown_t *)wmem_map_lookup(shown_kinds, &pv->k);
    if (!v) {
        v = wmem_new(wmem_file_scope(), wip_probe_shown_t);
        v->k = pv->k;
        wip_probe_kind_msg(&v->k, v->msg, sizeof v->msg);
        if (wmem_map_size(shown_kinds) < WIP_MAX_INTERNED)
            wmem_map_insert(shown_kinds, &v->k, v);
    }
    return *recent = v;
}

static wip_probe_store_t *wip_probe_decide(wip_pkt_t *pkt, packet_info *pinfo, int dir)
{
    wip_probe_verdict_t pv;
    pkt->frame = pinfo->num;
    pkt->ts = nstime_to_sec(&pinfo->abs_ts);
    pkt->dir = (guint8)dir;
    wip_probe_classify(wip_tracker(), svc_probes, pkt, &pv);
    if (!pv.is_probe)
        return NULL;
    wip_probe_store_t *s = wmem_new(wmem_file_scope(), wip_probe_store_t);
    s->v = wip_probe_shown(&pv);
    s->probes = pv.src_probes;
    s->targets = pv.src_targets;
    return s;
}

static void wip_add_probe(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, proto_item *anchor,
                          const wip_probe_store_t *s)
{
    const wip_probe_kind_t *k = &s->v->k;
    if (wt) {
        const char *tool = wip_tool_name((wip_tool_t)k->tool);
        const char *tech = wip_technique_name((wip_technique_t)k->technique);
        proto_item *pi = proto_tree_add_boolean(wt, hf_wip_probe, tvb, 0, 0, TRUE);
        proto_item_set_generated(pi);
        proto_item_append_text(pi, " (%s %s, %u%%)", tool, tech, k->confidence);
        proto_tree *pt = proto_item_add_subtree(pi, ett_wip_probe);
        pi = proto_tree_add_string(pt, hf_wip_probe_tool, tvb, 0, 0, tool);
        proto_item_set_generated(pi);
        pi = proto_tree_add_string(pt, hf_wip_probe_technique, tvb, 0, 0, tech);
        proto_item_set_generated(pi);
        if (k->name[0]) {
            pi = proto_tree_add_string(pt, hf_wip_probe_name, tvb, 0, 0, k->name);
            proto_item_set_generated(pi);
        }
        pi = proto_tree_add_uint_format_value(pt, hf_wip_probe_conf, tvb, 0, 0, k->confidence,
                                              "%u%%", k->confidence);
        proto_item_set_generated(pi);
        for (guint i = 0; i < k->n_evidence; i++) {
            char ev[96];
            wip_probe_ev_text(k, i, ev, sizeof ev);
            pi = proto_tree_add_string(pt, hf_wip_probe_evidence, tvb, 0, 0, ev);
            proto_item_set_generated(pi);
        }
        pi = proto_tree_add_uint(pt, hf_wip_scanner_probes, tvb, 0, 0, s->probes);
        proto_item_set_generated(pi);
        pi = proto_tree_add_uint(pt, hf_wip_scanner_targets, tvb, 0, 0, s->targets);
        proto_item_set_generated(pi);
        /* the expert info stays on the WIP item: with the payload's
         * note beside it, -T ek gets one _ws_expert array, not two keys */
    }
    /* Only where something shows it: a tree (also the GUI's and a
     * filter's), the expert tap (-z expert, the Expert Info dialog) or an
     * Expert column.  Plain tshark has none of them, and the expert info
     * was a fifth of a scanner flood's cost. */
    static int expert_tap = -1;
    if (expert_tap < 0)
        expert_tap = find_tap_id("expert");
    if (anchor || have_tap_listener(expert_tap) || (pinfo->cinfo && col_get_text(pinfo->cinfo, COL_EXPERT)))
        expert_add_info(pinfo, anchor, k->attributed ? &ei_wip_probe_attributed : &ei_wip_probe_suspicious);
}

/* An ICMP error quoting a wip datagram: the ports are the quoted packet's,
 * and only some Wireshark versions show them to postdissectors.  Not a wip
 * frame. */
static gboolean wip_in_icmp(packet_info *pinfo)
{
    for (wmem_list_frame_t *lf = wmem_list_head(pinfo->layers); lf; lf = wmem_list_frame_next(lf)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(lf));
        if (id == proto_icmp || id == proto_icmpv6)
            return TRUE;
    }
    return FALSE;
}

/* The frame's own IP and TCP/UDP headers. */
static gboolean wip_frame_headers(tvbuff_t *tvb, packet_info *pinfo, wip_pkt_t *pkt)
{
    guint addr_len = pinfo->net_src.type == AT_IPv4 ? 4 : pinfo->net_src.type == AT_IPv6 ? 16 : 0;
    if (!addr_len || pinfo->net_dst.type != pinfo->net_src.type ||
        pinfo->net_src.len != (int)addr_len || pinfo->net_dst.len != (int)addr_len)
        return FALSE;
    guint caplen = tvb_captured_length(tvb);
    const guint8 *frame = tvb_get_ptr(tvb, 0, caplen);
    return wip_pkt_parse(frame, caplen, wip_transport(pinfo),
                         (const guint8 *)pinfo->net_src.data,
                         (const guint8 *)pinfo->net_dst.data, addr_len,
                         (guint16)pinfo->srcport, (guint16)pinfo->destport, pkt, NULL);
}

/* The service-side row of the tree, when a rule (not the default) decided. */
static void wip_add_service_side(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, const wip_svc_out_t *so)
{
    if (!wt || so->reason == WIP_SVC_BY_DEFAULT)
        return;
    char side[128];
    g_snprintf(side, sizeof side, "%u/%s is the service: %s", so->service_port,
               pinfo->ptype == PT_TCP ? "tcp" : "udp", wip_service_reason_name(so->reason));
    proto_item *si = proto_tree_add_string(wt, hf_wip_service_side, tvb, 0, 0, side);
    proto_item_set_generated(si);
}

/* The frame's payload verdict, decided on the first pass: by the port
 * dissector, or here for payload it did not see (another dissector owns
 * the conversation, e.g. WebSocket after an HTTP Upgrade, or TCP kept the
 * segment for reassembly).  Later passes read it back, so columns and
 * fields do not depend on which dissectors ran in this pass. */
static wip_payload_store_t *wip_post_payload(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo,
                                             const wip_pass_t *ps, const wip_pkt_t *pkt,
                                             gboolean have_hdr, int dir)
{
    wip_payload_store_t *fv = (wip_payload_store_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME);
    if (!fv && !PINFO_FD_VISITED(pinfo) && have_hdr && pkt->payload_caplen > 0) {
        wip_conv_t *wc = wip_conv(pinfo, TRUE);
        fv = wip_recognise(wc, pkt->payload, pkt->payload_caplen, pinfo->ptype == PT_TCP, dir);
        fv->handed_off = !ps->calls;    /* some other dissector took it */
        if (!ps->calls) {
            fv->handoff = wip_conv_dissector_name(pinfo, wc);
            if (!fv->handoff)
                fv->handoff = wip_layer_above_transport(pinfo, wip_proto_name((wip_proto_t)fv->proto));
        }
        p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME, fv);
    }
    if (fv && !ps->payload_items)
        wip_add_payload_verdict(wt, tvb, fv, fv->handoff);
    return fv;
}

/* Probe judgement: first pass, in frame order; stored per frame. */
static const wip_probe_store_t *wip_post_probe(packet_info *pinfo, wip_pkt_t *pkt, gboolean have_hdr, int dir)
{
    if (PINFO_FD_VISITED(pinfo))
        return (const wip_probe_store_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_PROBE);
    if (!have_hdr)
        return NULL;
    wip_probe_store_t *probe = wip_probe_decide(pkt, pinfo, dir);
    if (probe)
        p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_PROBE, probe);
    return probe;
}

/* Columns and summary: written last, after the payload's own dissector.
 * Built by hand (this runs for every frame), and only when a tree or the
 * columns will show it. */
/* The Info column's prefix adds only what the transport's own Info does
 * not say (ports, flags and lengths are there already): "WIP", the payload
 * verdict and the probe verdict, e.g. "WIP | ", "WIP tls | ",
 * "WIP: likely nmap syn probe (65%) | ". */
static void wip_post_info(packet_info *pinfo, gint32 payload_len, const char *proto_name,
                          const wip_probe_store_t *probe)
{
    char info[160];
    wip_sb_t sb = { info, 0, sizeof info };
    wip_sb_str(&sb, "WIP");
    if (payload_len > 0 && proto_name) {
        wip_sb_str(&sb, " ");
        wip_sb_str(&sb, proto_name);
    }
    if (probe) {
        wip_sb_str(&sb, ": ");
        wip_sb_str(&sb, probe->v->msg);
    }
    wip_sb_str(&sb, " | ");
    wip_col_prefix(pinfo, info, sb.n);
}

static void wip_post_summary(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, int dir, guint16 port,
                             gint32 payload_len, const char *proto_name, const wip_pkt_t *pkt,
                             gboolean have_hdr, const wip_probe_store_t *probe)
{
    if (pinfo->cinfo)
        wip_post_info(pinfo, payload_len, proto_name, probe);
    if (!wt)
        return;         /* the summary is a tree item only */
    char summary[200];
    wip_sb_t sb = { summary, 0, sizeof summary };
    wip_sb_str(&sb, dir == WIP_DIR_TO_PORT ? "WIP to " : "WIP from ");
    wip_sb_uint(&sb, port);
    wip_sb_str(&sb, ": ");
    if (payload_len > 0) {
        wip_sb_uint(&sb, (guint32)payload_len);
        wip_sb_str(&sb, payload_len == 1 ? " byte" : " bytes");
        if (proto_name) {
            wip_sb_str(&sb, " ");
            wip_sb_str(&sb, proto_name);
        }
    } else if (pinfo->ptype == PT_TCP && have_hdr) {
        wip_sb_str(&sb, wip_tcp_flags_str(pkt->flags));
        wip_sb_str(&sb, ", no payload");
    } else {
        wip_sb_str(&sb, pinfo->ptype == PT_UDP ? "empty datagram" : "no payload");
    }
    if (probe) {
        wip_sb_str(&sb, "; ");
        wip_sb_str(&sb, probe->v->msg);
    }
    proto_item *pi = proto_tree_add_string(wt, hf_wip_summary, tvb, 0, 0, summary);
    proto_item_set_generated(pi);
}

static void wip_post_tap(packet_info *pinfo, int dir, gint32 payload_len, const char *proto_name,
                         const wip_probe_store_t *probe)
{
    if (!have_tap_listener(wip_tap))
        return;
    wip_tap_info_t *ti = wmem_new0(pinfo->pool, wip_tap_info_t);
    ti->dir = (guint8)dir;
    ti->transport = wip_transport(pinfo);
    ti->has_payload = payload_len > 0;
    ti->proto_name = payload_len > 0 ? (proto_name ? proto_name : "unknown") : NULL;
    ti->is_probe = probe != NULL;
    if (probe) {
        ti->tool = wip_tool_name((wip_tool_t)probe->v->k.tool);
        ti->technique = wip_technique_name((wip_technique_t)probe->v->k.technique);
    }
    copy_address_shallow(&ti->src, &pinfo->src);
    tap_queue_packet(wip_tap, pinfo, ti);
}

/* The postdissector, in steps: is the frame ours, its headers, the service
 * side, the label, the payload verdict, the probe judgement, the summary
 * and columns, the tap. */
static int dissect_wip_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (pinfo->ptype != PT_TCP && pinfo->ptype != PT_UDP)
        return 0;
    guint16 port = 0;
    int dir = wip_frame_direction(pinfo, &port);
    gboolean on_ports = dir != 0;
    wip_pass_t *ps = (wip_pass_t *)p_get_proto_data(pinfo->pool, pinfo, proto_wip, WIP_KEY_PASS);
    if (dir == 0 && !(ps && ps->calls)) /* not ours (Decode As frames come via ps) */
        return 0;
    if (dir == 0)
        dir = wip_direction_any(pinfo, &port);
    /* The port dissector did not run in this pass (no payload, or another
     * dissector took it): nothing after this postdissector reads the
     * per-pass state, so it can live on the stack. */
    wip_pass_t local_ps;
    if (!ps) {
        memset(&local_ps, 0, sizeof local_ps);
        ps = &local_ps;
    }
    if (wip_in_icmp(pinfo))
        return 0;
    wip_pkt_t pkt;
    gboolean have_hdr = wip_frame_headers(tvb, pinfo, &pkt);
    gint32 payload_len = have_hdr ? (gint32)pkt.payload_len
                                  : (ps->calls ? (gint32)ps->payload_bytes : -1);

    /* Service side: where the wip port is only a client's port, a label
     * saying so and nothing else. */
    wip_svc_out_t so = { .verdict = WIP_SVC_WIP, .reason = WIP_SVC_BY_DEFAULT };
    if (on_ports) {
        if (wip_service_side(pinfo, have_hdr, have_hdr ? pkt.flags : 0, &so) == WIP_SVC_CLIENT_PORT) {
            wip_client_port_label(tree, tvb, pinfo, &so);
            return tvb_captured_length(tvb);
        }
        dir = so.dir;
        port = so.port;
    }

    proto_tree *wt = wip_label_tree(ps, tree, tvb, pinfo, dir, port, payload_len);
    wip_add_service_side(wt, tvb, pinfo, &so);
    if (!have_hdr && ps->item)
        expert_add_info(pinfo, ps->item, &ei_wip_no_headers);

    wip_payload_store_t *fv = payload_len > 0 ? wip_post_payload(wt, tvb, pinfo, ps, &pkt, have_hdr, dir) : NULL;
    const char *proto_name = fv ? wip_proto_name((wip_proto_t)fv->proto) : NULL;
    const wip_probe_store_t *probe = wip_post_probe(pinfo, &pkt, have_hdr, dir);
    if (probe)
        wip_add_probe(wt, tvb, pinfo, ps->item, probe);
    wip_caps_from_tracker(probe_tracker, pinfo);
    if (ps->item)
        wip_cap_notes(ps->item, pinfo);
    if (wt || pinfo->cinfo)
        wip_post_summary(wt, tvb, pinfo, dir, port, payload_len, proto_name, &pkt, have_hdr, probe);
    if (!(fv && fv->handed_off)) {
        col_set_writable(pinfo->cinfo, COL_PROTOCOL, TRUE);
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "WIP");
    }
    wip_post_tap(pinfo, dir, payload_len, proto_name, probe);
    return tvb_captured_length(tvb);
}

/* ---- stats tree: tshark -q -z wip,tree ---- */

static int st_node_dir = -1, st_node_proto = -1, st_node_tool = -1, st_node_tech = -1, st_node_src = -1;
static const char *st_str_dir = "Packets by direction";
static const char *st_str_proto = "Payload protocol (frames with payload)";
static const char *st_str_tool = "Probes by tool";
static const char *st_str_tech = "Probes by tool and technique";
static const char *st_str_src = "Scanning sources (probes)";
static const char *st_str_caps = "Limits reached (memory caps; analysis degraded)";

/* One node per scanning source, for the first WIP_ST_MAX_SOURCES sources
 * of the capture; later ones are counted under one node.  stats_tree
 * appends a new node by walking its parent's list of children, so a node
 * per source is quadratic: -z wip,tree took 10.7 s for 80,000 one-packet
 * scanners (2.3 s for 40,000) and would take about half an hour for a
 * million.  The names already given a node, per tree (the GUI can have
 * several), live from init (also called when the tree is rebuilt) to
 * cleanup. */
#define WIP_ST_MAX_SOURCES 10000
static const char *st_str_src_other = "other sources (after the first " G_STRINGIFY(WIP_ST_MAX_SOURCES) ")";
static GHashTable *st_sources;      /* stats_tree * -> set of source names */

static void wip_stats_cleanup(stats_tree *st)
{
    if (st_sources)
        g_hash_table_remove(st_sources, st);
}

static void wip_stats_init(stats_tree *st)
{
    if (!st_sources)
        st_sources = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify)g_hash_table_destroy);
    g_hash_table_replace(st_sources, st, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL));
    st_node_dir = stats_tree_create_node(st, st_str_dir, 0, STAT_DT_INT, TRUE);
    st_node_proto = stats_tree_create_node(st, st_str_proto, 0, STAT_DT_INT, TRUE);
    st_node_tool = stats_tree_create_node(st, st_str_tool, 0, STAT_DT_INT, TRUE);
    st_node_tech = stats_tree_create_node(st, st_str_tech, 0, STAT_DT_INT, TRUE);
    st_node_src = stats_tree_create_node(st, st_str_src, 0, STAT_DT_INT, TRUE);
    if (svc_probes_status[0]) {     /* a row that says which service probes are in use */
        stats_tree_create_node(st, svc_probes_status, 0, STAT_DT_INT, FALSE);
        tick_stat_node(st, svc_probes_status, 0, FALSE);
    }
}

/* "Limits reached": the cap counters, set (not ticked) from the file's
 * totals, so one pass, -2 and a GUI retap show the same numbers; the rows
 * appear once a cap is hit. */
static void wip_stats_caps(stats_tree *st)
{
    guint64 total = 0;
    for (int k = 0; k < WIP_CAP_COUNT; k++)
        total += cap_hits[k];
    if (!total)
        return;
    int parent = set_stat_node(st, st_str_caps, 0, TRUE, (gint)MIN(total, G_MAXINT));
    for (int k = 0; k < WIP_CAP_COUNT; k++)
        if (cap_hits[k])
            set_stat_node(st, cap_rows[k], parent, FALSE, (gint)MIN(cap_hits[k], G_MAXINT));
}

static tap_packet_status wip_stats_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                          const void *p WIP_TAP_FLAGS_PARAM)
{
    const wip_tap_info_t *ti = (const wip_tap_info_t *)p;
    wip_stats_caps(st);
    tick_stat_node(st, st_str_dir, 0, FALSE);
    tick_stat_node(st, ti->dir == WIP_DIR_TO_PORT ? "to wip-port" : "from wip-port", st_node_dir, FALSE);
    if (ti->proto_name) {
        tick_stat_node(st, st_str_proto, 0, FALSE);
        tick_stat_node(st, ti->proto_name, st_node_proto, FALSE);
    }
    if (ti->is_probe) {
        tick_stat_node(st, st_str_tool, 0, FALSE);
        tick_stat_node(st, ti->tool, st_node_tool, FALSE);
        tick_stat_node(st, st_str_tech, 0, FALSE);
        char buf[64];
        g_snprintf(buf, sizeof buf, "%s %s", ti->tool, ti->technique);
        tick_stat_node(st, buf, st_node_tech, FALSE);
        tick_stat_node(st, st_str_src, 0, FALSE);
        char *addr = address_to_str(pinfo->pool, &ti->src);
        GHashTable *seen = st_sources ? (GHashTable *)g_hash_table_lookup(st_sources, st) : NULL;
        if (seen && !g_hash_table_contains(seen, addr)) {
            if (g_hash_table_size(seen) < WIP_ST_MAX_SOURCES)
                g_hash_table_add(seen, g_strdup(addr));
            else
                addr = (char *)st_str_src_other;
        }
        tick_stat_node(st, addr, st_node_src, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

/* ---- registration ---- */

/* The port ranges wip.tcp.port / wip.udp.port own.  Wireshark 4.0 adds a
 * changed range (-o wip.tcp.port:4000, the Preferences dialog) to the port
 * table but leaves the ports of the old one there; each apply therefore
 * takes the old range out and puts the new one in (on 4.2+ Wireshark does
 * the same itself, and doing it twice changes nothing). */
static range_t *ports_applied[2];           /* [0] tcp.port, [1] udp.port */

static void wip_ports_apply(int i, const char *table)
{
    range_t *now = prefs_get_range_value("wip", table);
    if (!now)
        return;
    if (ports_applied[i] && ranges_are_equal(ports_applied[i], now))
        return;
    if (ports_applied[i]) {
        dissector_delete_uint_range(table, ports_applied[i], wip_handle);
        wmem_free(wmem_epan_scope(), ports_applied[i]);
    }
    ports_applied[i] = range_copy(wmem_epan_scope(), now);
    dissector_add_uint_range(table, ports_applied[i], wip_handle);
    memset(port_cache, 0, sizeof port_cache);
}

static void wip_prefs_apply(void)
{
    wip_ports_apply(0, "tcp.port");
    wip_ports_apply(1, "udp.port");
    wip_load_svc_probes();
}

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
        { &hf_wip_direction_name,
          { "Direction name", "wip.direction.name", FT_STRING, BASE_NONE, NULL, 0x0,
            "wip.direction as words, for scripts: \"to wip-port\" or \"from wip-port\"", HFILL } },
        { &hf_wip_transport_name,
          { "Transport name", "wip.transport.name", FT_STRING, BASE_NONE, NULL, 0x0,
            "wip.transport as a name, for scripts: \"tcp\" or \"udp\"", HFILL } },
        { &hf_wip_payload_len,
          { "Payload length", "wip.payload.len", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Bytes of TCP/UDP payload in this frame (as declared by the headers)", HFILL } },
        { &hf_wip_registration,
          { "Registration", "wip.registration", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the port is registered as", HFILL } },
        { &hf_wip_summary,
          { "Summary", "wip.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "The short summary the Info column starts with", HFILL } },
        { &hf_wip_payload_proto,
          { "Payload protocol", "wip.payload.proto", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the payload was recognised as (tls, http, ..., text, unknown)", HFILL } },
        { &hf_wip_payload_conf,
          { "Confidence", "wip.payload.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of the recognition, 0-100", HFILL } },
        { &hf_wip_payload_evidence,
          { "Evidence", "wip.payload.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What in the bytes decided the recognition", HFILL } },
        { &hf_wip_payload_handoff,
          { "Handed to", "wip.payload.handoff", FT_STRING, BASE_NONE, NULL, 0x0,
            "The Wireshark dissector the payload was handed to", HFILL } },
        { &hf_wip_payload_text,
          { "Text", "wip.payload.text", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Payload is mostly printable text", HFILL } },
        { &hf_wip_payload_printable,
          { "Printable", "wip.payload.printable", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Percentage of printable bytes", HFILL } },
        { &hf_wip_payload_entropy,
          { "Entropy", "wip.payload.entropy", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "Shannon entropy of the payload bytes, bits per byte (0-8)", HFILL } },
        { &hf_wip_payload_first_line,
          { "First line", "wip.payload.first_line", FT_STRING, BASE_NONE, NULL, 0x0,
            "First line of a text payload", HFILL } },
        { &hf_wip_probe,
          { "Probe", "wip.probe", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Present on frames judged to be a scanner probe", HFILL } },
        { &hf_wip_probe_tool,
          { "Tool", "wip.probe.tool", FT_STRING, BASE_NONE, NULL, 0x0,
            "nmap, masscan, zmap, hping3, unicornscan, zgrab, lzr, censys, sipvicious or unknown", HFILL } },
        { &hf_wip_probe_technique,
          { "Technique", "wip.probe.technique", FT_STRING, BASE_NONE, NULL, 0x0,
            "syn, connect, null, fin, xmas, ack, window, maimon, udp, service-probe, os-detect, banner-grab, script, sip-scan", HFILL } },
        { &hf_wip_probe_name,
          { "Service probe", "wip.probe.name", FT_STRING, BASE_NONE, NULL, 0x0,
            "Name of the recognised nmap service probe (GetRequest, SSLSessionReq, ...)", HFILL } },
        { &hf_wip_probe_conf,
          { "Confidence", "wip.probe.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of the probe judgement, 0-100", HFILL } },
        { &hf_wip_probe_evidence,
          { "Evidence", "wip.probe.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "One feature that matched", HFILL } },
        { &hf_wip_scanner_probes,
          { "Probes from this source", "wip.scanner.probes", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Probes from this source to the wip ports so far (first pass)", HFILL } },
        { &hf_wip_scanner_targets,
          { "Targets of this source", "wip.scanner.targets", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Distinct target addresses of this source so far (exact up to 4, then estimated)", HFILL } },
        { &hf_wip_hdr,
          { "Inferred header", "wip.hdr", FT_NONE, BASE_NONE, NULL, 0x0,
            "Header fields guessed from the bytes of unknown binary messages", HFILL } },
        { &hf_wip_hdr_magic,
          { "Magic", "wip.hdr.magic", FT_UINT64, BASE_DEC_HEX, NULL, 0x0,
            "Constant in every message of every conversation (the item's text shows it in hex at its real width)", HFILL } },
        { &hf_wip_hdr_length,
          { "Length", "wip.hdr.length", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Field that gives the message length (the item's text says what it counts)", HFILL } },
        { &hf_wip_hdr_type,
          { "Type", "wip.hdr.type", FT_UINT64, BASE_DEC_HEX, NULL, 0x0,
            "Low-cardinality message type", HFILL } },
        { &hf_wip_hdr_seq,
          { "Sequence", "wip.hdr.seq", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Counter that advances per message (a constant step, or small varying steps that only grow)", HFILL } },
        { &hf_wip_hdr_txid,
          { "Transaction id", "wip.hdr.txid", FT_UINT64, BASE_DEC_HEX, NULL, 0x0,
            "Request value echoed in the reply", HFILL } },
        { &hf_wip_hdr_session,
          { "Session id", "wip.hdr.session", FT_UINT64, BASE_DEC_HEX, NULL, 0x0,
            "Constant within a conversation, different across conversations", HFILL } },
        { &hf_wip_hdr_timestamp,
          { "Timestamp", "wip.hdr.timestamp", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
            "Value close to the capture time, read as the time it encodes (Unix s/ms/us/ns or NTP; the item's text has the raw value)", HFILL } },
        { &hf_wip_hdr_field,
          { "Field", "wip.hdr.field", FT_UINT64, BASE_DEC_HEX, NULL, 0x0,
            "Other field boundary found", HFILL } },
        { &hf_wip_hdr_arg,
          { "Text argument", "wip.hdr.arg", FT_STRINGZ, BASE_NONE, NULL, 0x0,
            "Printable text argument of the body, NUL-separated", HFILL } },
        { &hf_wip_hdr_span,
          { "Untyped bytes", "wip.hdr.span", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Header bytes with no field boundary found inside (the item spans them; value: how many)", HFILL } },
        { &hf_wip_hdr_span_conf,
          { "Confidence", "wip.hdr.span.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred span, 0-100", HFILL } },
        { &hf_wip_hdr_body,
          { "Body", "wip.hdr.body", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Bytes after the inferred header (the item spans them; value: how many)", HFILL } },
        { &hf_wip_hdr_magic_conf,
          { "Confidence", "wip.hdr.magic.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred magic, 0-100", HFILL } },
        { &hf_wip_hdr_length_conf,
          { "Confidence", "wip.hdr.length.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred length, 0-100", HFILL } },
        { &hf_wip_hdr_type_conf,
          { "Confidence", "wip.hdr.type.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred type, 0-100", HFILL } },
        { &hf_wip_hdr_seq_conf,
          { "Confidence", "wip.hdr.seq.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred sequence number, 0-100", HFILL } },
        { &hf_wip_hdr_txid_conf,
          { "Confidence", "wip.hdr.txid.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred transaction id, 0-100", HFILL } },
        { &hf_wip_hdr_session_conf,
          { "Confidence", "wip.hdr.session.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred session id, 0-100", HFILL } },
        { &hf_wip_hdr_timestamp_conf,
          { "Confidence", "wip.hdr.timestamp.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred timestamp, 0-100", HFILL } },
        { &hf_wip_hdr_field_conf,
          { "Confidence", "wip.hdr.field.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred field boundary, 0-100", HFILL } },
        { &hf_wip_hdr_arg_conf,
          { "Confidence", "wip.hdr.arg.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred text argument, 0-100", HFILL } },
        { &hf_wip_nohdr,
          { "No inferred header", "wip.nohdr", FT_STRING, BASE_NONE, NULL, 0x0,
            "Message without an inferred header, and why", HFILL } },
        { &hf_wip_hdr_msgs,
          { "Messages learned from", "wip.hdr.messages", FT_UINT32, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_wip_hdr_convs,
          { "Conversations learned from", "wip.hdr.conversations", FT_UINT32, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_wip_client_port,
          { "Client port (not the wip-port service)", "wip.client_port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The wip port on this frame is only a client's port: the service is the other side", HFILL } },
        { &hf_wip_service_side,
          { "Service side", "wip.service_side", FT_STRING, BASE_NONE, NULL, 0x0,
            "Which endpoint is the conversation's service, and what showed it", HFILL } },
    };
    static gint *ett[] = {
        &ett_wip, &ett_wip_payload, &ett_wip_probe, &ett_wip_hdr, &ett_wip_hdr_field,
    };
    static ei_register_info ei[] = {
        { &ei_wip_no_headers,
          { "wip.no_headers", PI_UNDECODED, PI_NOTE,
            "IP/TCP/UDP headers of this frame not found: packet-level analysis skipped", EXPFILL } },
        { &ei_wip_probe_attributed,
          { "wip.probe.attributed", PI_SECURITY, PI_WARN,
            "Likely scanner probe", EXPFILL } },
        { &ei_wip_probe_suspicious,
          { "wip.probe.suspicious", PI_SECURITY, PI_NOTE,
            "Suspicious packet, possibly a probe", EXPFILL } },
        { &ei_wip_payload_known,
          { "wip.payload.known", PI_PROTOCOL, PI_CHAT,
            "Known protocol on the wip-port", EXPFILL } },
        { &ei_wip_payload_rejected,
          { "wip.payload.rejected", PI_UNDECODED, PI_NOTE,
            "The recognised protocol's dissector rejected the payload", EXPFILL } },
        { &ei_wip_hdr_short,
          { "wip.hdr.short", PI_PROTOCOL, PI_NOTE,
            "Message ends before the inferred header does", EXPFILL } },
        { &ei_wip_hdr_length_mismatch,
          { "wip.hdr.length_mismatch", PI_PROTOCOL, PI_NOTE,
            "Inferred length field disagrees with the message length", EXPFILL } },
        { &ei_wip_hdr_none,
          { "wip.hdr.none", PI_PROTOCOL, PI_NOTE,
            "No inferred header on this message (why: in the item)", EXPFILL } },
        { &ei_wip_hdr_const_differs,
          { "wip.hdr.const_differs", PI_PROTOCOL, PI_NOTE,
            "A learned leading constant differs here (another message kind)", EXPFILL } },
        { &ei_wip_cap[WIP_CAP_CONVS],
          { "wip.cap.conversations", PI_UNDECODED, PI_NOTE,
            "Recognition memory full: new conversations from here on are judged per packet", EXPFILL } },
        { &ei_wip_cap[WIP_CAP_LEARNERS],
          { "wip.cap.learners", PI_UNDECODED, PI_NOTE,
            "All header learners in use: no header inference for this port", EXPFILL } },
        { &ei_wip_cap[WIP_CAP_SOURCES],
          { "wip.cap.sources", PI_UNDECODED, PI_NOTE,
            "Probe tracker full: the oldest scanning source is forgotten from here on", EXPFILL } },
        { &ei_wip_cap[WIP_CAP_FLOWS],
          { "wip.cap.flows", PI_UNDECODED, PI_NOTE,
            "Probe tracker full: the oldest flow is forgotten from here on", EXPFILL } },
    };

    proto_wip = proto_register_protocol("BroadCloud WIP Port", "WIP", "wip");
    proto_register_field_array(proto_wip, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert_wip = expert_register_protocol(proto_wip);
    expert_register_field_array(expert_wip, ei, array_length(ei));

    module_t *m = prefs_register_protocol(proto_wip, wip_prefs_apply);
    prefs_register_bool_preference(m, "handoff", "Hand recognised payload to its dissector",
        "Give payload recognised as a known protocol to Wireshark's dissector for it", &pref_handoff);
    prefs_register_bool_preference(m, "infer", "Infer headers of unknown binary payload",
        "Guess magic, length, type, sequence and id fields of unclaimed binary payload", &pref_infer);
    prefs_register_bool_preference(m, "frame_tcp", "Split TCP streams by an inferred length field",
        "Once a length field is established, reassemble and split TCP streams into messages by it",
        &pref_frame_tcp);
    prefs_register_bool_preference(m, "infer_known", "Infer headers of recognised payload too",
        "Also infer the header of binary payload a recogniser claims, shown beside Wireshark's own dissection",
        &pref_infer_known);
    prefs_register_filename_preference(m, "nmap_service_probes", "nmap service probes file",
        "nmap-service-probes file whose probes are matched byte for byte: a regular file of at most 8 MiB; a file that cannot be used is reported (warning, and a row in -z wip,tree) and only the built-in set is used",
        &pref_nmap_probes, FALSE);

    wip_handle = register_dissector("wip", dissect_wip, proto_wip);
    wip_locked_handle = create_dissector_handle(dissect_wip_locked, proto_wip);
    register_init_routine(wip_init);
    wip_tap = register_tap("wip");
}

void proto_reg_handoff_wip(void)
{
    dissector_add_uint_range_with_preference("tcp.port", WIP_DEFAULT_PORTS, wip_handle);
    dissector_add_uint_range_with_preference("udp.port", WIP_DEFAULT_PORTS, wip_handle);
    wip_ports_apply(0, "tcp.port");
    wip_ports_apply(1, "udp.port");
    tcp_port_table = find_dissector_table("tcp.port");
    udp_port_table = find_dissector_table("udp.port");

    /* Some dissectors register no handle name (resp, nbss, mgcp on 4.0):
     * take the one on their default port instead. */
    for (int p = 0; p < WIP_P_COUNT; p++) {
        const wip_proto_info_t *pi = wip_proto_info((wip_proto_t)p);
        if (pi->tcp_handoff)
            handoff_tcp[p] = find_dissector_add_dependency(pi->tcp_handoff, proto_wip);
        if (!handoff_tcp[p] && pi->tcp_port)
            handoff_tcp[p] = dissector_get_default_uint_handle("tcp.port", pi->tcp_port);
        if (pi->udp_handoff)
            handoff_udp[p] = find_dissector_add_dependency(pi->udp_handoff, proto_wip);
        if (!handoff_udp[p] && pi->udp_port)
            handoff_udp[p] = dissector_get_default_uint_handle("udp.port", pi->udp_port);
    }
    q931_tpkt_handle = find_dissector_add_dependency("q931.tpkt", proto_wip);
    classicstun_handle = find_dissector_add_dependency("classicstun", proto_wip);
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_tcp_id = proto_get_id_by_filter_name("tcp");
    proto_udp_id = proto_get_id_by_filter_name("udp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");

    wip_post_handle = create_dissector_handle(dissect_wip_post, proto_wip);
    register_postdissector(wip_post_handle);

    wip_stats_tree_register("wip", "wip", "WIP (port 3414)", wip_stats_packet, wip_stats_init, wip_stats_cleanup);
    wip_load_svc_probes();
}
