/* wip_value.h - what an inferred header field's bytes mean as a value
 * (pure C + GLib): timestamps decoded to a time in the unit that puts them
 * closest to the capture time. */
#ifndef WIP_VALUE_H
#define WIP_VALUE_H

#include <glib.h>

/* Timestamp encodings an inferred timestamp field is read in. */
typedef enum {
    WIP_TS_UNIX_S = 0,   /* seconds since 1970 */
    WIP_TS_UNIX_MS,      /* milliseconds since 1970 */
    WIP_TS_UNIX_US,      /* microseconds since 1970 */
    WIP_TS_UNIX_NS,      /* nanoseconds since 1970 */
    WIP_TS_NTP_S,        /* seconds since 1900 (NTP era 0) */
    WIP_TS_NTP_64,       /* NTP 32.32: seconds since 1900 and a binary fraction */
    WIP_TS_COUNT
} wip_ts_unit_t;

typedef struct {
    gint64 secs;         /* since 1970-01-01 UTC */
    gint32 nsecs;        /* 0 .. 999,999,999 */
    wip_ts_unit_t unit;
} wip_ts_t;

/* Unix seconds of the NTP epoch (1900-01-01): RFC 5905, 6. */
#define WIP_NTP_UNIX_OFFSET G_GINT64_CONSTANT(2208988800)

/* The value v of a width-byte field read as a time: of the encodings that
 * fit the width (4 bytes: Unix or NTP seconds; 8 bytes: Unix s/ms/us/ns or
 * NTP 32.32), the one whose time is closest to capture_secs (the packet's
 * time, Unix seconds).  FALSE for other widths. */
gboolean wip_ts_decode(guint64 v, guint width, gint64 capture_secs, wip_ts_t *out);

/* "Unix seconds", "NTP 32.32", ... */
const char *wip_ts_unit_name(wip_ts_unit_t u);

#endif
