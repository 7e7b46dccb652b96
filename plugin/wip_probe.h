/* wip_probe.h - scanner probe detection (pure C + GLib). */
#ifndef WIP_PROBE_H
#define WIP_PROBE_H

#include <glib.h>
#include "wip_pkt.h"

typedef enum {
    WIP_TOOL_NONE = 0, WIP_TOOL_NMAP, WIP_TOOL_MASSCAN, WIP_TOOL_ZMAP,
    WIP_TOOL_HPING3, WIP_TOOL_UNICORNSCAN, WIP_TOOL_ZGRAB, WIP_TOOL_LZR,
    WIP_TOOL_CENSYS, WIP_TOOL_SIPVICIOUS, WIP_TOOL_UNKNOWN, WIP_TOOL_COUNT
} wip_tool_t;

typedef enum {
    WIP_TECH_NONE = 0, WIP_TECH_SYN, WIP_TECH_CONNECT, WIP_TECH_NULL,
    WIP_TECH_FIN, WIP_TECH_XMAS, WIP_TECH_ACK, WIP_TECH_WINDOW,
    WIP_TECH_MAIMON, WIP_TECH_UDP, WIP_TECH_SERVICE_PROBE,
    WIP_TECH_OS_DETECT, WIP_TECH_BANNER_GRAB, WIP_TECH_SCRIPT, WIP_TECH_SIP_SCAN,
    WIP_TECH_COUNT
} wip_technique_t;

const char *wip_tool_name(wip_tool_t t);            /* "nmap", ... "unknown" */
const char *wip_technique_name(wip_technique_t t);  /* "syn", "service-probe", ... */

#define WIP_PROBE_MAX_EVIDENCE 8

/* Evidence as data: one matched feature, its id (wip_probe.c's evidence
 * table) and its number (a window, a TTL, a count; 0 if it has none).
 * Words only when shown: wip_probe_ev_text(). */
typedef struct {
    guint8 id;
    guint8 pad[3];
    guint32 num;
} wip_probe_ev_t;

/* What a verdict says, as plain data without pointers: equal verdicts are
 * equal bytes (the classifier zeroes it first), so a caller can share one
 * copy between frames (wip_probe_kind_hash/equal).  A new field is a
 * member here, its rendering and its registration in the glue. */
typedef struct wip_probe_kind {
    guint8 tool;                /* wip_tool_t */
    guint8 technique;           /* wip_technique_t */
    guint8 confidence;          /* 0-100 */
    guint8 attributed;          /* tool known with enough confidence: warning; else note */
    guint8 n_evidence;
    guint8 pad[3];
    char name[32];              /* nmap service probe name, "" if none */
    wip_probe_ev_t ev[WIP_PROBE_MAX_EVIDENCE];
} wip_probe_kind_t;

typedef struct {
    gboolean is_probe;          /* flag this frame */
    wip_probe_kind_t k;         /* zeros if not a probe */
    guint32 sig;                /* wip_probe_kind_hash(&k) | 1 (0 if not a probe) */
    guint32 src_probes;         /* probes from this source so far (incl. this one) */
    guint32 src_targets;        /* distinct target addresses from this source so far */
} wip_probe_verdict_t;

/* The words of evidence i of k into buf (NUL-terminated, truncated to
 * len): returns the length written. */
gsize wip_probe_ev_text(const wip_probe_kind_t *k, guint i, char *buf, gsize len);
/* "likely nmap syn probe (65%)" / "suspicious unknown null probe (35%)" */
gsize wip_probe_kind_msg(const wip_probe_kind_t *k, char *buf, gsize len);
guint wip_probe_kind_hash(gconstpointer k);
gboolean wip_probe_kind_equal(gconstpointer a, gconstpointer b);

/* nmap service probes (read from nmap-service-probes at run time) plus a
 * small built-in set. */
typedef struct wip_svc_probes wip_svc_probes_t;
wip_svc_probes_t *wip_svc_probes_new(void);                 /* built-ins only */
gboolean wip_svc_probes_load(wip_svc_probes_t *s, const char *path); /* add file's probes; FALSE unless WIP_SVC_LOAD_OK */

/* Loading with a reason: only a regular file of at most max_bytes is read
 * (stat first: /dev/zero, a FIFO or a directory is refused unread); a file
 * without one parsable "Probe" line is WIP_SVC_LOAD_UNPARSABLE.  err (may be
 * NULL) gets a one-line explanation. */
typedef enum {
    WIP_SVC_LOAD_OK = 0, WIP_SVC_LOAD_MISSING, WIP_SVC_LOAD_NOT_REGULAR,
    WIP_SVC_LOAD_TOO_LARGE, WIP_SVC_LOAD_UNREADABLE, WIP_SVC_LOAD_UNPARSABLE
} wip_svc_load_t;
#define WIP_SVC_PROBES_MAX_BYTES (8u * 1024 * 1024)   /* nmap 7.93's file: 2.5 MB */
wip_svc_load_t wip_svc_probes_load_ex(wip_svc_probes_t *s, const char *path, gsize max_bytes,
                                      char *err, gsize errlen);
void wip_svc_probes_free(wip_svc_probes_t *s);
/* name of the probe whose bytes equal buf exactly, or NULL */
const char *wip_svc_probes_match(const wip_svc_probes_t *s, guint8 transport,
                                 const guint8 *buf, gsize len);

/* Per-source / per-flow state in ONE fixed-size block: the glue allocates
 * wip_probe_tracker_size(max_sources, max_flows) bytes (wmem_file_scope)
 * and calls wip_probe_tracker_init() on it; it never grows. */
typedef struct wip_probe_tracker wip_probe_tracker_t;
gsize wip_probe_tracker_size(guint max_sources, guint max_flows);
wip_probe_tracker_t *wip_probe_tracker_init(void *mem, guint max_sources, guint max_flows);

/* Classify one packet (first pass only, in frame order).  svc may be NULL. */
void wip_probe_classify(wip_probe_tracker_t *t, const wip_svc_probes_t *svc,
                        const wip_pkt_t *p, wip_probe_verdict_t *out);

/* ---- additions (wip_probe.c) ---- */

/* Notes on wip_probe_classify():
 *  - dir 2 packets (from the wip port) are never probes; they update flow
 *    state (SYN/ACK seen, "SYN answered by RST with no data") and the
 *    verdict's src_probes/src_targets are those of the peer (the client).
 *  - src_probes/src_targets are filled for every packet whose source is
 *    tracked, flagged or not.
 *  - svc == NULL uses the built-in probes (a process-wide set made once).
 *  - technique WIP_TECH_WINDOW is never reported: -sA and -sW send the same
 *    packet; both are "ack" with a window-scan note in the evidence.
 *  - hping3 -X / -Y (only ECE / only CWR set, no control flag) are reported
 *    as technique "null": without SYN/FIN/RST/ACK the port-state inference is
 *    that of a NULL scan; FIN+PSH+URG is "xmas". */

/* Recommended caps: 16384 sources x 96 B + 65536 flows x 32 B + 48 B header
 * = 3,670,064 bytes per capture file. */
#define WIP_PROBE_DEFAULT_MAX_SOURCES 16384
#define WIP_PROBE_DEFAULT_MAX_FLOWS   65536

/* number of probes loaded (built-ins + file) */
guint wip_svc_probes_count(const wip_svc_probes_t *s);

/* Occupancy and eviction counters of a tracker; any out pointer may be NULL. */
void wip_probe_tracker_stats(const wip_probe_tracker_t *t, guint *sources, guint *flows,
                             guint64 *src_evictions, guint64 *flow_evictions);

/* Current counters of one source address (addr_len 4 or 16); FALSE (and
 * zeros) when the source is not (or no longer) tracked. */
gboolean wip_probe_source_counts(wip_probe_tracker_t *t, const guint8 *addr, guint addr_len,
                                 guint32 *probes, guint32 *targets);

#endif
