/* wip_value.c - see wip_value.h. */
#include "wip_value.h"

#define NS_PER_S  G_GINT64_CONSTANT(1000000000)
#define NTP_FRAC_BITS 32

static const char *const TS_UNIT_NAME[WIP_TS_COUNT] = {
    "Unix seconds", "Unix milliseconds", "Unix microseconds", "Unix nanoseconds",
    "NTP seconds", "NTP 32.32",
};

const char *wip_ts_unit_name(wip_ts_unit_t u)
{
    return u < WIP_TS_COUNT ? TS_UNIT_NAME[u] : "?";
}

/* v as a time in unit u; FALSE when it cannot be one (out of range). */
static gboolean ts_in_unit(guint64 v, wip_ts_unit_t u, wip_ts_t *t)
{
    static const gint64 per_s[WIP_TS_NTP_S] = { 1, 1000, 1000000, 1000000000 };
    t->unit = u;
    if (u < WIP_TS_NTP_S) {
        if (v > (guint64)G_MAXINT64)
            return FALSE;
        gint64 d = per_s[u];
        t->secs = (gint64)v / d;
        t->nsecs = (gint32)(((gint64)v % d) * (NS_PER_S / d));
        return TRUE;
    }
    guint64 secs = u == WIP_TS_NTP_S ? v : v >> NTP_FRAC_BITS;
    guint64 frac = u == WIP_TS_NTP_S ? 0 : v & G_GUINT64_CONSTANT(0xffffffff);
    t->secs = (gint64)secs - WIP_NTP_UNIX_OFFSET;
    t->nsecs = (gint32)((frac * (guint64)NS_PER_S) >> NTP_FRAC_BITS);
    return TRUE;
}

gboolean wip_ts_decode(guint64 v, guint width, gint64 capture_secs, wip_ts_t *out)
{
    static const wip_ts_unit_t units4[] = { WIP_TS_UNIX_S, WIP_TS_NTP_S };
    static const wip_ts_unit_t units8[] = { WIP_TS_UNIX_S, WIP_TS_UNIX_MS, WIP_TS_UNIX_US,
                                            WIP_TS_UNIX_NS, WIP_TS_NTP_64 };
    const wip_ts_unit_t *units;
    guint n;
    if (width == 4) {
        units = units4;
        n = G_N_ELEMENTS(units4);
    } else if (width == 8) {
        units = units8;
        n = G_N_ELEMENTS(units8);
    } else {
        return FALSE;
    }
    gboolean found = FALSE;
    guint64 best = 0;
    for (guint i = 0; i < n; i++) {
        wip_ts_t t;
        if (!ts_in_unit(v, units[i], &t))
            continue;
        guint64 dist = t.secs > capture_secs ? (guint64)(t.secs - capture_secs)
                                             : (guint64)(capture_secs - t.secs);
        if (!found || dist < best) {
            *out = t;
            best = dist;
            found = TRUE;
        }
    }
    return found;
}
