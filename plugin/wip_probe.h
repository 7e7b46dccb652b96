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
#define WIP_PROBE_EVIDENCE_LEN 64

/* Where one evidence text comes from: a constant format ("%s" takes s,
 * "%u" a then b), a constant or long-lived string and two numbers.  Equal
 * sources give equal texts, so a caller can compare verdicts without
 * formatting them (see wip_probe_classify_notext()). */
typedef struct {
    const char *fmt;
    const char *s;
    guint32 a, b;
} wip_probe_ev_src_t;

typedef struct {
    gboolean is_probe;          /* flag this frame */
    gboolean attributed;        /* tool known with enough confidence: warning; else note */
    wip_tool_t tool;
    wip_technique_t technique;
    guint8 confidence;          /* 0-100 */
    char name[32];              /* nmap service probe name, "" if none */
    guint n_evidence;
    char evidence[WIP_PROBE_MAX_EVIDENCE][WIP_PROBE_EVIDENCE_LEN];
    guint64 sig;                /* hash of the fields above (0 if not a probe): the same
                                   inputs give the same sig, so a caller can cache what
                                   it builds from a verdict by sig (compare the fields
                                   before trusting a match: a sig is not unique) */
    guint32 src_probes;         /* probes from this source so far (incl. this one) */
    guint32 src_targets;        /* distinct target addresses from this source so far */
    wip_probe_ev_src_t ev_src[WIP_PROBE_MAX_EVIDENCE];  /* sources of evidence[0..n_evidence) */
    gboolean text_ready;        /* evidence[] formatted */
} wip_probe_verdict_t;

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
/* The same without formatting the evidence texts (text_ready FALSE): a
 * caller that caches what it builds per verdict (by sig, confirmed with
 * wip_probe_verdict_same_src()) formats only verdicts it has not seen,
 * with wip_probe_verdict_text().  Scanner floods repeat a few verdicts. */
void wip_probe_classify_notext(wip_probe_tracker_t *t, const wip_svc_probes_t *svc,
                               const wip_pkt_t *p, wip_probe_verdict_t *out);
void wip_probe_verdict_text(wip_probe_verdict_t *v);
/* Do n sources equal the verdict's evidence sources (pointers, numbers,
 * and the strings s compared by value)? */
gboolean wip_probe_verdict_same_src(const wip_probe_verdict_t *v, const wip_probe_ev_src_t *src, guint n);

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
