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
 *   WIP_MAX_INTERNED distinct evidence strings shared between frames
 *   (past it, a frame's evidence is its own per-frame copy).
 */
#include <string.h>
#include <glib.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/expert.h>
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
#define WIP_MAX_INTERNED  8192     /* distinct evidence strings shared between frames */
#define WIP_MODEL_EVERY   8        /* recompute a learner's model every N messages (at least) */
#define WIP_FRESH_MAX     256      /* first pass: a fresh model per shown message up to this many */
#define WIP_LEARN_FULL    1024     /* learn every message up to this many per direction, */
#define WIP_LEARN_EVERY   32       /* then one in this many (the model has settled) */
#define WIP_FRAME_MIN_CONF 60      /* length-field confidence that frames TCP */
#define WIP_MAX_MSG_LEN   (1u << 20) /* longest message an inferred length may ask TCP to reassemble */

static int proto_wip = -1;

static int hf_wip_port = -1;
static int hf_wip_direction = -1;
static int hf_wip_transport = -1;
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
static int hf_wip_hdr_conf = -1;
static int hf_wip_hdr_msgs = -1;
static int hf_wip_hdr_convs = -1;

static gint ett_wip = -1;
static gint ett_wip_payload = -1;
static gint ett_wip_probe = -1;
static gint ett_wip_hdr = -1;
static gint ett_wip_hdr_field = -1;

static expert_field ei_wip_no_headers = EI_INIT;
static expert_field ei_wip_probe_attributed = EI_INIT;
static expert_field ei_wip_probe_suspicious = EI_INIT;
static expert_field ei_wip_known_proto = EI_INIT;
static expert_field ei_wip_handoff_rejected = EI_INIT;
static expert_field ei_wip_hdr_short = EI_INIT;
static expert_field ei_wip_hdr_length_mismatch = EI_INIT;

static dissector_handle_t wip_handle;
static dissector_handle_t wip_post_handle;
static dissector_table_t tcp_port_table;
static dissector_table_t udp_port_table;
static guint8 port_cache[2][65536];     /* wip_port_is_ours(): 0 unknown, 1 wip's, 2 not */
static int wip_tap = -1;
static int proto_icmp = -1, proto_icmpv6 = -1;

/* preferences */
static const char *pref_nmap_probes = WIP_DEFAULT_NMAP_PROBES;
static wip_pref_bool_t pref_handoff = TRUE;
static wip_pref_bool_t pref_infer = TRUE;
static wip_pref_bool_t pref_frame_tcp = TRUE;

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

typedef struct {
    const char *tcp;        /* handle name over TCP (NULL: none) */
    const char *udp;        /* over UDP */
    guint16 tcp_port;       /* else: the dissector on this default tcp.port */
    guint16 udp_port;       /* else: the dissector on this default udp.port */
} wip_handoff_names_t;

static const wip_handoff_names_t handoff_names[WIP_P_COUNT] = {
    [WIP_P_TLS]       = { "tls",            NULL },
    [WIP_P_DTLS]      = { NULL,             "dtls" },
    [WIP_P_HTTP]      = { "http-over-tcp",  "http" },
    [WIP_P_HTTP2]     = { "http2",          NULL },
    [WIP_P_WEBSOCKET] = { "websocket",      NULL },
    [WIP_P_SSH]       = { "ssh",            NULL },
    [WIP_P_SIP]       = { "sip.tcp",        "sip" },
    [WIP_P_RTP]       = { "rtp.rfc4571",    "rtp" },
    [WIP_P_RTCP]      = { NULL,             "rtcp" },
    [WIP_P_STUN]      = { "stun-tcp",       "stun-udp" },
    [WIP_P_TURN]      = { "stun-tcp",       "stun-udp" },
    [WIP_P_DNS]       = { "dns",            "dns" },
    [WIP_P_MQTT]      = { "mqtt",           NULL },
    [WIP_P_RESP]      = { "resp",           NULL, 6379, 0 },
    [WIP_P_SMB]       = { "nbss",           NULL, 445, 0 },
    [WIP_P_TPKT]      = { "tpkt",           NULL },
    [WIP_P_RDP]       = { "tpkt",           NULL },
    [WIP_P_XMPP]      = { "xmpp",           NULL },
    [WIP_P_MGCP]      = { "mgcp",           "mgcp", 2427, 2427 },
    [WIP_P_OCI]       = { "xml",            "xml" },
    [WIP_P_JSON]      = { "json",           "json" },
    [WIP_P_PROTOBUF]  = { "protobuf",       "protobuf" },
    [WIP_P_TEXT]      = { "data-text-lines", "data-text-lines" },
};
static dissector_handle_t handoff_tcp[WIP_P_COUNT];
static dissector_handle_t handoff_udp[WIP_P_COUNT];
static dissector_handle_t q931_tpkt_handle;

/* ---- state kept per frame (file scope), decided on the first pass ---- */

enum {
    WIP_KEY_PASS = 0,          /* pinfo->pool: this dissection pass */
    WIP_KEY_PROBE = 1,         /* file scope: probe verdict of the frame */
    WIP_KEY_FRAME = 2,         /* file scope: the frame's payload verdict (first one seen) */
    WIP_KEY_PAYLOAD = 16       /* + call index: payload verdict of a port-dissector call */
};

typedef struct {
    guint8 proto;              /* wip_proto_t */
    guint8 confidence;
    guint8 binary_unknown;     /* went to header inference */
    guint8 continuation;       /* the learner saw no message start here */
    guint8 handed_off;         /* a Wireshark dissector took the payload */
    const char *evidence;      /* interned */
} wip_payload_store_t;

/* What a probe verdict says apart from the per-source counters: shared by
 * every frame with the same verdict (interned), so a million probes of one
 * scan cost 16 bytes each, not a copy of the evidence. */
typedef struct wip_probe_kind {
    guint8 tool, technique, confidence, attributed;
    guint8 n_evidence;
    const char *name;          /* interned, NULL if none */
    const char **evidence;     /* interned strings */
    const char *msg;           /* "likely nmap syn probe (80%)": expert info and summary */
    guint64 sig;               /* the core's sig of the verdict it was made from */
    const wip_probe_ev_src_t *src;  /* that verdict's evidence sources (kinds_by_sig entries) */
} wip_probe_kind_t;

typedef struct {
    const wip_probe_kind_t *k;
    guint32 probes, targets;
} wip_probe_store_t;

/* ---- per conversation (file scope) ---- */

typedef struct {
    wip_conv_recog_t recog;
    guint32 conv_id;           /* small id for the header learner */
    /* TCP framing by an inferred length field, frozen once established */
    gboolean framed[3];
    guint32 frame_from[3];     /* first frame number framed, by dir */
    wip_field_t len_rule[3];
} wip_conv_t;

/* ---- file-scope state, reset by the init routine ---- */

typedef struct {
    guint8 transport;
    guint16 port;
    wip_infer_t *inf;
    guint32 learned[3];        /* messages learned, by dir */
    guint32 seen[3];           /* messages offered after WIP_LEARN_FULL, by dir */
    wip_hdr_model_t model[3];  /* cached model, by dir */
    guint32 model_at[3];       /* learned[] when model[] was computed */
} wip_learner_t;

static wip_probe_tracker_t *probe_tracker;
static wip_learner_t *learners[WIP_MAX_LEARNERS];
static wmem_map_t *interned;
static wmem_map_t *interned_kinds;
static wmem_map_t *kinds_by_sig;  /* the core's verdict sig -> a kind (<= WIP_MAX_INTERNED) */
static guint32 n_convs;

static void wip_init(void)
{
    memset(port_cache, 0, sizeof port_cache);
    probe_tracker = NULL;
    memset(learners, 0, sizeof learners);
    interned = NULL;
    interned_kinds = NULL;
    kinds_by_sig = NULL;
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

/* Is wip the port table's dissector for this port (the preference, or
 * Decode As)?  Answers are cached per port and transport until the next
 * init (a new file or a redissection, which is also when the tables can
 * have changed): two table lookups per frame were a visible part of the
 * postdissector's cost. */
static gboolean wip_port_is_ours(dissector_table_t table, guint32 port)
{
    if (!table || port > 65535)
        return FALSE;
    guint8 *c = &port_cache[table == udp_port_table][port];
    if (!*c)
        *c = dissector_get_uint_handle(table, port) == wip_handle ? 1 : 2;
    return *c == 1;
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
static proto_tree *wip_label_tree(wip_pass_t *ps, proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                                  int dir, guint16 port, gint32 payload_len)
{
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

/* ---- conversations ---- */

static wip_conv_t *wip_conv(packet_info *pinfo, gboolean create)
{
    conversation_t *conv = find_or_create_conversation(pinfo);
    wip_conv_t *wc = (wip_conv_t *)conversation_get_proto_data(conv, proto_wip);
    if (!wc && create && n_convs < WIP_MAX_CONVS) {
        wc = wmem_new0(wmem_file_scope(), wip_conv_t);
        wip_conv_recog_init(&wc->recog);
        wc->conv_id = ++n_convs;
        conversation_add_proto_data(conv, proto_wip, wc);
    }
    return wc;
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

static const wip_hdr_model_t *wip_learner_model(wip_learner_t *l, int dir, gboolean fresh)
{
    if (l->model_at[dir] != l->learned[dir] &&
        (fresh || l->model_at[dir] == 0 ||
         l->learned[dir] - l->model_at[dir] >= MAX(WIP_MODEL_EVERY, l->model_at[dir] / 16))) {
        wip_infer_model(l->inf, dir, &l->model[dir]);
        l->model_at[dir] = l->learned[dir];
    }
    return &l->model[dir];
}

static const wip_field_t *wip_model_length(const wip_hdr_model_t *m)
{
    for (guint i = 0; i < m->n_fields; i++)
        if (m->f[i].kind == WIP_F_LENGTH)
            return &m->f[i];
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
    pi = proto_tree_add_double_format_value(pt, hf_wip_payload_entropy, tvb, 0, 0, d.entropy,
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

static int wip_hdr_hf(wip_fkind_t k)
{
    switch (k) {
    case WIP_F_MAGIC: return hf_wip_hdr_magic;
    case WIP_F_LENGTH: return hf_wip_hdr_length;
    case WIP_F_TYPE: return hf_wip_hdr_type;
    case WIP_F_SEQ: return hf_wip_hdr_seq;
    case WIP_F_TXID: return hf_wip_hdr_txid;
    case WIP_F_SESSION: return hf_wip_hdr_session;
    case WIP_F_TIMESTAMP: return hf_wip_hdr_timestamp;
    default: return hf_wip_hdr_field;
    }
}

/* The inferred header of one message, each item spanning its bytes. */
static void wip_add_inferred(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo,
                             const wip_hdr_model_t *m, gboolean whole_capture)
{
    if (!wt || m->n_fields == 0)
        return;
    guint len = tvb_reported_length(tvb);
    /* A segment that does not start with the established magic is the
     * middle of a message (before framing was known): no header here. */
    for (guint i = 0; i < m->n_fields; i++) {
        const wip_field_t *f = &m->f[i];
        if (f->kind != WIP_F_MAGIC || f->offset >= 4 || f->confidence < 60)
            continue;
        if ((guint)f->offset + f->width > tvb_captured_length(tvb) ||
            wip_read_uint(tvb, f->offset, f->width, f->big_endian) != f->magic) {
            proto_item *pi = proto_tree_add_uint(wt, hf_wip_hdr_msgs, tvb, 0, 0, m->n_msgs);
            proto_item_set_text(pi, "No inferred header: does not start with the magic 0x%0*x "
                                "(middle of a message, or another message kind)", f->width * 2, f->magic);
            proto_item_set_generated(pi);
            return;
        }
    }
    proto_item *hi = proto_tree_add_item(wt, hf_wip_hdr, tvb, 0, MIN(m->hdr_len, len), ENC_NA);
    proto_item_set_text(hi, "Inferred header (from %u messages in %u conversations%s)",
                        m->n_msgs, m->n_convs,
                        whole_capture ? ", whole capture" : ", learned so far");
    proto_tree *ht = proto_item_add_subtree(hi, ett_wip_hdr);
    proto_item *pi = proto_tree_add_uint(ht, hf_wip_hdr_msgs, tvb, 0, 0, m->n_msgs);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint(ht, hf_wip_hdr_convs, tvb, 0, 0, m->n_convs);
    proto_item_set_generated(pi);
    for (guint i = 0; i < m->n_fields; i++) {
        const wip_field_t *f = &m->f[i];
        if ((guint)f->offset + f->width > len) {
            expert_add_info_format(pinfo, hi, &ei_wip_hdr_short,
                                   "Message too short for the inferred %s field at offset %u",
                                   wip_fkind_name(f->kind), f->offset);
            break;
        }
        guint64 v = wip_read_uint(tvb, f->offset, f->width, f->big_endian);
        int hf = wip_hdr_hf(f->kind);
        const char *order = f->width == 1 ? "" : f->big_endian ? ", big-endian" : ", little-endian";
        proto_item *fi;
        if (f->kind == WIP_F_LENGTH) {
            gint64 expect = (gint64)v * (f->len_scale ? f->len_scale : 1) + f->len_adjust;
            char counts[64];
            guint scale = f->len_scale ? f->len_scale : 1;
            if (f->len_adjust == 0)
                g_snprintf(counts, sizeof counts, "the whole message%s", scale > 1 ? " in 4-byte units" : "");
            else if (f->len_adjust > 0)
                g_snprintf(counts, sizeof counts, "the message after its first %d bytes%s", f->len_adjust,
                           scale > 1 ? ", in 4-byte units" : "");
            else
                g_snprintf(counts, sizeof counts, "the message plus %d bytes%s", -f->len_adjust,
                           scale > 1 ? ", in 4-byte units" : "");
            fi = proto_tree_add_uint64_format_value(ht, hf, tvb, f->offset, f->width, v,
                        "%" G_GUINT64_FORMAT " (counts %s; %u bytes%s; confidence %u%%)",
                        v, counts, f->width, order, f->confidence);
            if (expect != (gint64)len && !pinfo->fragmented)
                expert_add_info_format(pinfo, fi, &ei_wip_hdr_length_mismatch,
                                       "Inferred length says %" G_GINT64_FORMAT " bytes, message has %u",
                                       expect, len);
        } else if (f->kind == WIP_F_MAGIC || f->kind == WIP_F_SESSION || f->kind == WIP_F_TXID ||
                   f->kind == WIP_F_FIELD) {
            fi = proto_tree_add_uint64_format_value(ht, hf, tvb, f->offset, f->width, v,
                        "0x%0*" G_GINT64_MODIFIER "x (%u byte%s%s; confidence %u%%)",
                        f->width * 2, v, f->width, f->width == 1 ? "" : "s", order, f->confidence);
        } else {
            fi = proto_tree_add_uint64_format_value(ht, hf, tvb, f->offset, f->width, v,
                        "%" G_GUINT64_FORMAT " (%u byte%s%s; confidence %u%%)",
                        v, f->width, f->width == 1 ? "" : "s", order, f->confidence);
        }
        proto_tree *ft = proto_item_add_subtree(fi, ett_wip_hdr_field);
        pi = proto_tree_add_uint(ft, hf_wip_hdr_conf, tvb, f->offset, f->width, f->confidence);
        proto_item_set_generated(pi);
    }
    if (m->hdr_len < len)
        proto_tree_add_item(ht, hf_wip_hdr_body, tvb, m->hdr_len, len - m->hdr_len, ENC_NA);
}

/* One message of unknown binary payload: learn (first pass) and show. */
static void wip_infer_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *wt, int dir, guint16 port,
                              wip_conv_t *wc, guint8 *continuation)
{
    wip_learner_t *l = wip_learner(wip_transport(pinfo), port, !PINFO_FD_VISITED(pinfo));
    if (!l)
        return;
    if (!PINFO_FD_VISITED(pinfo) && l->learned[dir] >= WIP_LEARN_FULL &&
        (l->seen[dir]++ % WIP_LEARN_EVERY) != 0) {
        /* Enough learned: sample.  A message that does not start with the
         * model's magic is a continuation, as the learner's gate would say. */
        const wip_hdr_model_t *m = wip_learner_model(l, dir, FALSE);
        for (guint i = 0; continuation && i < m->n_fields; i++) {
            const wip_field_t *f = &m->f[i];
            if (f->kind == WIP_F_MAGIC &&
                ((guint)f->offset + f->width > tvb_captured_length(tvb) ||
                 wip_read_uint(tvb, f->offset, f->width, f->big_endian) != f->magic))
                *continuation = 1;
        }
    } else if (!PINFO_FD_VISITED(pinfo)) {
        guint caplen = tvb_captured_length(tvb);
        guint32 rejected = wip_infer_n_rejected(l->inf, dir);
        wip_infer_learn(l->inf, wc ? wc->conv_id : 0, dir, tvb_get_ptr(tvb, 0, caplen), caplen,
                        nstime_to_sec(&pinfo->abs_ts));
        l->learned[dir]++;
        if (wip_infer_n_rejected(l->inf, dir) != rejected && continuation)
            *continuation = 1;   /* not a message start: no header to show */
        /* Freeze the TCP framing rule for this direction of the conversation. */
        if (wc && pref_frame_tcp && pinfo->ptype == PT_TCP && !wc->framed[dir]) {
            const wip_field_t *lf = wip_model_length(wip_learner_model(l, dir, FALSE));
            if (lf && lf->confidence >= WIP_FRAME_MIN_CONF) {
                wc->len_rule[dir] = *lf;
                wc->frame_from[dir] = pinfo->num + 1;
                wc->framed[dir] = TRUE;
            }
        }
    }
    if (wt && !(continuation && *continuation))
        wip_add_inferred(wt, tvb, pinfo,
                         wip_learner_model(l, dir, PINFO_FD_VISITED(pinfo) || l->learned[dir] <= WIP_FRESH_MAX),
                         PINFO_FD_VISITED(pinfo));
}

typedef struct {
    wip_conv_t *wc;
    int dir;
    guint16 port;
    proto_tree *wt;
} wip_pdu_ctx_t;

static guint wip_get_pdu_len(packet_info *pinfo _U_, tvbuff_t *tvb, int offset, void *data)
{
    wip_pdu_ctx_t *ctx = (wip_pdu_ctx_t *)data;
    const wip_field_t *f = &ctx->wc->len_rule[ctx->dir];
    guint avail = tvb_captured_length_remaining(tvb, offset);
    wip_hdr_model_t m;
    memset(&m, 0, sizeof m);
    m.n_fields = 1;
    m.f[0] = *f;
    guint32 msg_len = 0;
    /* A length the rule cannot give, or an absurd one (corrupted stream, or
     * another message kind), is not waited for: take the rest as is. */
    if (!wip_infer_msg_len(&m, tvb_get_ptr(tvb, offset, avail), avail, &msg_len) || msg_len == 0 ||
        msg_len > WIP_MAX_MSG_LEN)
        return tvb_reported_length_remaining(tvb, offset);
    return msg_len;
}

static int wip_dissect_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree _U_, void *data)
{
    wip_pdu_ctx_t *ctx = (wip_pdu_ctx_t *)data;
    wip_infer_message(tvb, pinfo, ctx->wt, ctx->dir, ctx->port, ctx->wc, NULL);
    return tvb_captured_length(tvb);
}

/* ---- port-table dissector: payload on the wip ports ---- */

static int dissect_wip(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (pinfo->flags.in_error_pkt)     /* quoted inside an ICMP error */
        return 0;
    guint16 port = 0;
    int dir = wip_direction_any(pinfo, &port);
    wip_pass_t *ps = wip_pass(pinfo);
    guint32 len = tvb_reported_length(tvb);
    guint caplen = tvb_captured_length(tvb);
    gboolean is_tcp = pinfo->ptype == PT_TCP;
    guint call = ++ps->calls;
    ps->payload_bytes += len;

    proto_tree *wt = wip_label_tree(ps, tree, tvb, pinfo, dir, port, (gint32)len);
    if (ps->item && call > 1)
        proto_item_append_text(ps->item, " (+%u more bytes)", len);

    wip_conv_t *wc = wip_conv(pinfo, !PINFO_FD_VISITED(pinfo));

    /* A TCP stream already framed by an inferred length field. */
    if (is_tcp && wc && wc->framed[dir] && pinfo->num >= wc->frame_from[dir] && pref_infer) {
        static const wip_payload_store_t framed = {
            .proto = WIP_P_UNKNOWN, .binary_unknown = 1,
            .evidence = "unknown binary protocol framed by its inferred length field" };
        wip_add_payload_verdict(wt, tvb, &framed, NULL);
        ps->payload_items = TRUE;
        if (!PINFO_FD_VISITED(pinfo) && !p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME))
            p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME, (void *)&framed);
        wip_pdu_ctx_t ctx = { wc, dir, port, wt };
        tcp_dissect_pdus(tvb, pinfo, tree, TRUE, 1, wip_get_pdu_len, wip_dissect_pdu, &ctx);
        return tvb_captured_length(tvb);
    }

    /* First pass: decide what this payload is; later passes read it back. */
    guint key = call == 1 ? WIP_KEY_FRAME : WIP_KEY_PAYLOAD + call;   /* call 1's verdict is the frame's */
    wip_payload_store_t *v = (wip_payload_store_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, key);
    if (!v) {
        const guint8 *bytes = tvb_get_ptr(tvb, 0, caplen);
        v = wip_recognise(wc, bytes, caplen, is_tcp, dir);
        if (v->proto == WIP_P_UNKNOWN)
            v->binary_unknown = !wip_payload_is_text(bytes, caplen);
        p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, key, v);
        if (key != WIP_KEY_FRAME && !p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME))
            p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME, v);
    }
    ps->payload_items = TRUE;

    dissector_handle_t h = NULL;
    const char *h_name = NULL;
    if (pref_handoff && v->proto != WIP_P_UNKNOWN && v->confidence > WIP_RECOG_WEAK_MAX - 1) {
        h = is_tcp ? handoff_tcp[v->proto] : handoff_udp[v->proto];
        h_name = is_tcp ? handoff_names[v->proto].tcp : handoff_names[v->proto].udp;
        if (!h) {   /* registered after our handoff: look it up on its port now */
            guint16 dport = is_tcp ? handoff_names[v->proto].tcp_port : handoff_names[v->proto].udp_port;
            if (dport)
                h = dissector_get_uint_handle(is_tcp ? tcp_port_table : udp_port_table, dport);
            if (h)
                h_name = proto_get_protocol_filter_name(dissector_handle_get_protocol_index(h));
        }
        if (v->proto == WIP_P_TPKT && q931_tpkt_handle && caplen > 4 && wip_tvb_get_u8(tvb, 4) == 0x08) {
            h = q931_tpkt_handle;
            h_name = "q931.tpkt";
        }
    }
    proto_tree *pt = wip_add_payload_verdict(wt, tvb, v, h ? h_name : NULL);
    if (pt)
        wip_add_description(pt, tvb);
    if (v->proto > WIP_P_TEXT && v->confidence > WIP_RECOG_WEAK_MAX && ps->item && call == 1)
        expert_add_info_format(pinfo, ps->item, &ei_wip_known_proto,
                               "%s on the wip-port (%u%%): %s", wip_proto_name((wip_proto_t)v->proto),
                               v->confidence, v->evidence ? v->evidence : "");

    if (h) {
        /* Media-type dissectors (xml, json, text, protobuf, websocket) read
         * their data argument as their own type: give TCP's only to the
         * dissectors that normally sit on tcp.port. */
        gboolean media = v->proto == WIP_P_OCI || v->proto == WIP_P_JSON || v->proto == WIP_P_TEXT ||
                         v->proto == WIP_P_PROTOBUF || v->proto == WIP_P_WEBSOCKET;
        int consumed = call_dissector_only(h, tvb, pinfo, tree, media ? NULL : data);
        if (consumed > 0) {
            if (v->proto != WIP_P_TEXT && !PINFO_FD_VISITED(pinfo))
                v->handed_off = 1;
            return consumed;
        }
        if (ps->item)
            expert_add_info_format(pinfo, ps->item, &ei_wip_handoff_rejected,
                                   "%s dissector rejected the payload", h_name);
    }
    if (v->binary_unknown && pref_infer) {
        guint8 cont = v->continuation;
        wip_infer_message(tvb, pinfo, wt, dir, port, wc, &cont);
        v->continuation = cont;     /* decided on the first pass, kept after */
    }
    call_data_dissector(tvb, pinfo, tree);
    return tvb_captured_length(tvb);
}

/* ---- postdissector: every frame ---- */

/* A tiny string builder for the per-frame summary: no printf on the hot
 * path.  Always NUL-terminated; truncates at the buffer's end. */
typedef struct {
    char *b;
    gsize n, cap;
} wip_sb_t;

static void wip_sb_str(wip_sb_t *sb, const char *s)
{
    gsize l = strlen(s), room = sb->cap - 1 - sb->n;
    if (l > room)
        l = room;
    memcpy(sb->b + sb->n, s, l);
    sb->n += l;
    sb->b[sb->n] = '\0';
}

static void wip_sb_uint(wip_sb_t *sb, guint32 v)
{
    char tmp[11];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k > 0 && sb->n + 1 < sb->cap)
        sb->b[sb->n++] = tmp[--k];
    sb->b[sb->n] = '\0';
}

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

static const char *wip_tcp_flags_str(guint16 f, char *buf, gsize n)
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

/* Interned probe verdicts: keyed by their values and interned string
 * pointers.  Scans repeat one verdict for many frames: the last one is
 * checked first, without hashing. */
static guint wip_kind_hash(gconstpointer key)
{
    const wip_probe_kind_t *k = (const wip_probe_kind_t *)key;
    guint h = ((guint)k->tool << 24) ^ ((guint)k->technique << 16) ^ ((guint)k->confidence << 8) ^
              k->attributed ^ g_direct_hash(k->name);
    for (guint i = 0; i < k->n_evidence; i++)
        h = h * 31 + g_direct_hash(k->evidence[i]);
    return h;
}

static gboolean wip_kind_equal(gconstpointer a, gconstpointer b)
{
    const wip_probe_kind_t *x = (const wip_probe_kind_t *)a, *y = (const wip_probe_kind_t *)b;
    return x->tool == y->tool && x->technique == y->technique && x->confidence == y->confidence &&
           x->attributed == y->attributed && x->name == y->name && x->n_evidence == y->n_evidence &&
           (x->n_evidence == 0 || memcmp(x->evidence, y->evidence, x->n_evidence * sizeof x->evidence[0]) == 0);
}

/* Does kind k say what verdict pv says?  Compared by the evidence
 * sources, so pv's texts need not be formatted. */
static gboolean wip_kind_is(const wip_probe_kind_t *k, const wip_probe_verdict_t *pv)
{
    if (k->tool != pv->tool || k->technique != pv->technique || k->confidence != pv->confidence ||
        k->attributed != (pv->attributed ? 1 : 0) ||
        k->n_evidence != MIN(pv->n_evidence, WIP_PROBE_MAX_EVIDENCE) ||
        strcmp(k->name ? k->name : "", pv->name) != 0)
        return FALSE;
    return wip_probe_verdict_same_src(pv, k->src, k->n_evidence);
}

static const wip_probe_kind_t *wip_probe_kind(wip_probe_verdict_t *pv)
{
    /* fast path: a kind made from a verdict with the same sig (scans
     * repeat verdicts), confirmed field by field */
    wip_probe_kind_t *hit = kinds_by_sig ? (wip_probe_kind_t *)wmem_map_lookup(kinds_by_sig, &pv->sig) : NULL;
    if (hit && wip_kind_is(hit, pv))
        return hit;
    wip_probe_verdict_text(pv);     /* a verdict not seen before: its texts */
    const char *ev[WIP_PROBE_MAX_EVIDENCE];
    wip_probe_kind_t k = { 0 };
    k.tool = (guint8)pv->tool;
    k.technique = (guint8)pv->technique;
    k.confidence = pv->confidence;
    k.attributed = pv->attributed ? 1 : 0;
    k.name = wip_intern(pv->name);
    k.n_evidence = (guint8)MIN(pv->n_evidence, WIP_PROBE_MAX_EVIDENCE);
    for (guint i = 0; i < k.n_evidence; i++)
        ev[i] = wip_intern(pv->evidence[i]);
    k.evidence = ev;
    if (!interned_kinds)
        interned_kinds = wmem_map_new(wmem_file_scope(), wip_kind_hash, wip_kind_equal);
    wip_probe_kind_t *nk = (wip_probe_kind_t *)wmem_map_lookup(interned_kinds, &k);
    if (!nk) {
        nk = wmem_new(wmem_file_scope(), wip_probe_kind_t);
        *nk = k;
        nk->sig = pv->sig;
        nk->evidence = k.n_evidence ? wmem_memdup(wmem_file_scope(), ev, k.n_evidence * sizeof ev[0]) : NULL;
        nk->msg = k.attributed
            ? wmem_strdup_printf(wmem_file_scope(), "likely %s %s probe (%u%%)",
                                 wip_tool_name((wip_tool_t)k.tool), wip_technique_name((wip_technique_t)k.technique),
                                 k.confidence)
            : wmem_strdup_printf(wmem_file_scope(), "suspicious %s %s probe (%u%%)",
                                 wip_tool_name((wip_tool_t)k.tool), wip_technique_name((wip_technique_t)k.technique),
                                 k.confidence);
        if (wmem_map_size(interned_kinds) < WIP_MAX_INTERNED)
            wmem_map_insert(interned_kinds, nk, nk);
    }
    if (!kinds_by_sig)
        kinds_by_sig = wmem_map_new(wmem_file_scope(), g_int64_hash, g_int64_equal);
    if (!hit && wmem_map_size(kinds_by_sig) < WIP_MAX_INTERNED) {
        wip_probe_kind_t *keyed = nk;
        if (nk->sig != pv->sig) {     /* found by value from another sig: own entry */
            keyed = wmem_new(wmem_file_scope(), wip_probe_kind_t);
            *keyed = *nk;
        }
        keyed->sig = pv->sig;
        keyed->src = k.n_evidence ? wmem_memdup(wmem_file_scope(), pv->ev_src, k.n_evidence * sizeof pv->ev_src[0])
                                  : NULL;
        wmem_map_insert(kinds_by_sig, &keyed->sig, keyed);
    }
    return nk;
}

static wip_probe_store_t *wip_probe_decide(wip_pkt_t *pkt, packet_info *pinfo, int dir)
{
    wip_probe_verdict_t pv;
    pkt->frame = pinfo->num;
    pkt->ts = nstime_to_sec(&pinfo->abs_ts);
    pkt->dir = (guint8)dir;
    wip_probe_classify_notext(wip_tracker(), svc_probes, pkt, &pv);
    if (!pv.is_probe)
        return NULL;
    const wip_probe_kind_t *shared = wip_probe_kind(&pv);
    wip_probe_store_t *s = wmem_new(wmem_file_scope(), wip_probe_store_t);
    s->k = shared;
    s->probes = pv.src_probes;
    s->targets = pv.src_targets;
    return s;
}

static void wip_add_probe(proto_tree *wt, tvbuff_t *tvb, packet_info *pinfo, proto_item *anchor,
                          const wip_probe_store_t *s)
{
    const char *tool = wip_tool_name((wip_tool_t)s->k->tool);
    const char *tech = wip_technique_name((wip_technique_t)s->k->technique);
    if (wt) {
        proto_item *pi = proto_tree_add_boolean(wt, hf_wip_probe, tvb, 0, 0, TRUE);
        proto_item_set_generated(pi);
        proto_item_append_text(pi, " (%s %s, %u%%)", tool, tech, s->k->confidence);
        proto_tree *pt = proto_item_add_subtree(pi, ett_wip_probe);
        pi = proto_tree_add_string(pt, hf_wip_probe_tool, tvb, 0, 0, tool);
        proto_item_set_generated(pi);
        pi = proto_tree_add_string(pt, hf_wip_probe_technique, tvb, 0, 0, tech);
        proto_item_set_generated(pi);
        if (s->k->name) {
            pi = proto_tree_add_string(pt, hf_wip_probe_name, tvb, 0, 0, s->k->name);
            proto_item_set_generated(pi);
        }
        pi = proto_tree_add_uint_format_value(pt, hf_wip_probe_conf, tvb, 0, 0, s->k->confidence,
                                              "%u%%", s->k->confidence);
        proto_item_set_generated(pi);
        for (guint i = 0; i < s->k->n_evidence; i++) {
            pi = proto_tree_add_string(pt, hf_wip_probe_evidence, tvb, 0, 0, s->k->evidence[i]);
            proto_item_set_generated(pi);
        }
        pi = proto_tree_add_uint(pt, hf_wip_scanner_probes, tvb, 0, 0, s->probes);
        proto_item_set_generated(pi);
        pi = proto_tree_add_uint(pt, hf_wip_scanner_targets, tvb, 0, 0, s->targets);
        proto_item_set_generated(pi);
        anchor = pt ? proto_tree_get_parent(pt) : anchor;
    }
    expert_add_info_format(pinfo, anchor, s->k->attributed ? &ei_wip_probe_attributed : &ei_wip_probe_suspicious,
                           "%s", s->k->msg);
}

static int dissect_wip_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (pinfo->ptype != PT_TCP && pinfo->ptype != PT_UDP)
        return 0;
    guint16 port = 0;
    int dir = wip_frame_direction(pinfo, &port);
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

    /* An ICMP error quoting a wip datagram: the ports are the quoted
     * packet's, and only some Wireshark versions show them to
     * postdissectors.  Not a wip frame. */
    for (wmem_list_frame_t *lf = wmem_list_head(pinfo->layers); lf; lf = wmem_list_frame_next(lf)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(lf));
        if (id == proto_icmp || id == proto_icmpv6)
            return 0;
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
                                  : (ps->calls ? (gint32)ps->payload_bytes : -1);

    proto_tree *wt = wip_label_tree(ps, tree, tvb, pinfo, dir, port, payload_len);
    if (!have_hdr && ps->item)
        expert_add_info(pinfo, ps->item, &ei_wip_no_headers);

    /* The frame's payload verdict, decided on the first pass: by the port
     * dissector, or here for payload it did not see (another dissector owns
     * the conversation, e.g. WebSocket after an HTTP Upgrade, or TCP kept
     * the segment for reassembly).  Later passes read it back, so columns
     * and fields do not depend on which dissectors ran in this pass. */
    wip_payload_store_t *fv = NULL;
    if (payload_len > 0) {
        fv = (wip_payload_store_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME);
        if (!fv && !PINFO_FD_VISITED(pinfo) && have_hdr && pkt.payload_caplen > 0) {
            fv = wip_recognise(wip_conv(pinfo, TRUE), pkt.payload, pkt.payload_caplen,
                               pinfo->ptype == PT_TCP, dir);
            fv->handed_off = !ps->calls;    /* some other dissector took it */
            p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_FRAME, fv);
        }
        if (fv && !ps->payload_items)
            wip_add_payload_verdict(wt, tvb, fv, NULL);
    }
    const char *proto_name = fv ? wip_proto_name((wip_proto_t)fv->proto) : NULL;

    /* Probe judgement: first pass, in frame order; stored per frame. */
    wip_probe_store_t *probe = NULL;
    if (!PINFO_FD_VISITED(pinfo)) {
        if (have_hdr) {
            probe = wip_probe_decide(&pkt, pinfo, dir);
            if (probe)
                p_add_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_PROBE, probe);
        }
    } else {
        probe = (wip_probe_store_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_wip, WIP_KEY_PROBE);
    }
    if (probe)
        wip_add_probe(wt, tvb, pinfo, ps->item, probe);

    /* Columns and summary: written last, after the payload's own dissector.
     * Built by hand (this runs for every frame), and only when a tree or
     * the columns will show it. */
    if (wt || pinfo->cinfo) {
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
            char fl[64];
            wip_sb_str(&sb, wip_tcp_flags_str(pkt.flags, fl, sizeof fl));
            wip_sb_str(&sb, ", no payload");
        } else {
            wip_sb_str(&sb, pinfo->ptype == PT_UDP ? "empty datagram" : "no payload");
        }
        if (probe) {
            wip_sb_str(&sb, "; ");
            wip_sb_str(&sb, probe->k->msg);
        }
        if (wt) {
            proto_item *pi = proto_tree_add_string(wt, hf_wip_summary, tvb, 0, 0, summary);
            proto_item_set_generated(pi);
        }
        if (pinfo->cinfo) {
            wip_sb_str(&sb, " | ");
            wip_col_prefix(pinfo, summary, sb.n);
        }
    }
    if (!(fv && fv->handed_off)) {
        col_set_writable(pinfo->cinfo, COL_PROTOCOL, TRUE);
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "WIP");
    }

    if (have_tap_listener(wip_tap)) {
        wip_tap_info_t *ti = wmem_new0(pinfo->pool, wip_tap_info_t);
        ti->dir = (guint8)dir;
        ti->transport = wip_transport(pinfo);
        ti->has_payload = payload_len > 0;
        ti->proto_name = payload_len > 0 ? (proto_name ? proto_name : "unknown") : NULL;
        ti->is_probe = probe != NULL;
        if (probe) {
            ti->tool = wip_tool_name((wip_tool_t)probe->k->tool);
            ti->technique = wip_technique_name((wip_technique_t)probe->k->technique);
        }
        copy_address_shallow(&ti->src, &pinfo->src);
        tap_queue_packet(wip_tap, pinfo, ti);
    }
    return tvb_captured_length(tvb);
}

/* ---- stats tree: tshark -q -z wip,tree ---- */

static int st_node_dir = -1, st_node_proto = -1, st_node_tool = -1, st_node_tech = -1, st_node_src = -1;
static const char *st_str_dir = "Packets by direction";
static const char *st_str_proto = "Payload protocol (frames with payload)";
static const char *st_str_tool = "Probes by tool";
static const char *st_str_tech = "Probes by tool and technique";
static const char *st_str_src = "Scanning sources (probes)";

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

static tap_packet_status wip_stats_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                          const void *p WIP_TAP_FLAGS_PARAM)
{
    const wip_tap_info_t *ti = (const wip_tap_info_t *)p;
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

static void wip_prefs_apply(void)
{
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
          { "Magic", "wip.hdr.magic", FT_UINT64, BASE_HEX, NULL, 0x0,
            "Constant in every message of every conversation", HFILL } },
        { &hf_wip_hdr_length,
          { "Length", "wip.hdr.length", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Field that gives the message length", HFILL } },
        { &hf_wip_hdr_type,
          { "Type", "wip.hdr.type", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Low-cardinality message type", HFILL } },
        { &hf_wip_hdr_seq,
          { "Sequence", "wip.hdr.seq", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Counter that advances by a constant step per message", HFILL } },
        { &hf_wip_hdr_txid,
          { "Transaction id", "wip.hdr.txid", FT_UINT64, BASE_HEX, NULL, 0x0,
            "Request value echoed in the reply", HFILL } },
        { &hf_wip_hdr_session,
          { "Session id", "wip.hdr.session", FT_UINT64, BASE_HEX, NULL, 0x0,
            "Constant within a conversation, different across conversations", HFILL } },
        { &hf_wip_hdr_timestamp,
          { "Timestamp", "wip.hdr.timestamp", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Value close to the capture time", HFILL } },
        { &hf_wip_hdr_field,
          { "Field", "wip.hdr.field", FT_UINT64, BASE_HEX, NULL, 0x0,
            "Other field boundary found", HFILL } },
        { &hf_wip_hdr_body,
          { "Body", "wip.hdr.body", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Bytes after the inferred header", HFILL } },
        { &hf_wip_hdr_conf,
          { "Confidence", "wip.hdr.confidence", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Confidence of this inferred field, 0-100", HFILL } },
        { &hf_wip_hdr_msgs,
          { "Messages learned from", "wip.hdr.messages", FT_UINT32, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_wip_hdr_convs,
          { "Conversations learned from", "wip.hdr.conversations", FT_UINT32, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
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
        { &ei_wip_known_proto,
          { "wip.payload.known", PI_PROTOCOL, PI_CHAT,
            "Known protocol on the wip-port", EXPFILL } },
        { &ei_wip_handoff_rejected,
          { "wip.payload.rejected", PI_UNDECODED, PI_NOTE,
            "The recognised protocol's dissector rejected the payload", EXPFILL } },
        { &ei_wip_hdr_short,
          { "wip.hdr.short", PI_MALFORMED, PI_NOTE,
            "Message too short for the inferred header", EXPFILL } },
        { &ei_wip_hdr_length_mismatch,
          { "wip.hdr.length_mismatch", PI_PROTOCOL, PI_NOTE,
            "Inferred length field disagrees with the message length", EXPFILL } },
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
    prefs_register_filename_preference(m, "nmap_service_probes", "nmap service probes file",
        "nmap-service-probes file whose probes are matched byte for byte: a regular file of at most 8 MiB; a file that cannot be used is reported (warning, and a row in -z wip,tree) and only the built-in set is used",
        &pref_nmap_probes, FALSE);

    wip_handle = register_dissector("wip", dissect_wip, proto_wip);
    register_init_routine(wip_init);
    wip_tap = register_tap("wip");
}

void proto_reg_handoff_wip(void)
{
    dissector_add_uint_range_with_preference("tcp.port", WIP_DEFAULT_PORTS, wip_handle);
    dissector_add_uint_range_with_preference("udp.port", WIP_DEFAULT_PORTS, wip_handle);
    tcp_port_table = find_dissector_table("tcp.port");
    udp_port_table = find_dissector_table("udp.port");

    /* Some dissectors register no handle name (resp, nbss, mgcp on 4.0):
     * take the one on their default port instead. */
    for (int p = 0; p < WIP_P_COUNT; p++) {
        if (handoff_names[p].tcp)
            handoff_tcp[p] = find_dissector_add_dependency(handoff_names[p].tcp, proto_wip);
        if (!handoff_tcp[p] && handoff_names[p].tcp_port)
            handoff_tcp[p] = dissector_get_default_uint_handle("tcp.port", handoff_names[p].tcp_port);
        if (handoff_names[p].udp)
            handoff_udp[p] = find_dissector_add_dependency(handoff_names[p].udp, proto_wip);
        if (!handoff_udp[p] && handoff_names[p].udp_port)
            handoff_udp[p] = dissector_get_default_uint_handle("udp.port", handoff_names[p].udp_port);
    }
    q931_tpkt_handle = find_dissector_add_dependency("q931.tpkt", proto_wip);
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");

    wip_post_handle = create_dissector_handle(dissect_wip_post, proto_wip);
    register_postdissector(wip_post_handle);

    wip_stats_tree_register("wip", "wip", "WIP (port 3414)", wip_stats_packet, wip_stats_init, wip_stats_cleanup);
    wip_load_svc_probes();
}
