/* test_value.c - unit tests for wip_value.c (timestamp decoding). */
#include <stdio.h>
#include "wip_value.h"

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
                                       printf(__VA_ARGS__); printf("\n"); } } while (0)

static void expect(guint64 v, guint width, gint64 now, wip_ts_unit_t unit, gint64 secs, gint32 nsecs)
{
    wip_ts_t t;
    gboolean ok = wip_ts_decode(v, width, now, &t);
    CHECK(ok && t.unit == unit && t.secs == secs && t.nsecs == nsecs,
          "v=%" G_GUINT64_FORMAT " width %u: got ok=%d %s %" G_GINT64_FORMAT ".%09d, want %s %" G_GINT64_FORMAT ".%09d",
          v, width, ok, ok ? wip_ts_unit_name(t.unit) : "-", ok ? t.secs : 0, ok ? t.nsecs : 0,
          wip_ts_unit_name(unit), secs, nsecs);
}

int main(void)
{
    const gint64 now = G_GINT64_CONSTANT(1764646518);          /* 2025-12-02 03:35:18 UTC */
    expect((guint64)now - 5, 4, now, WIP_TS_UNIX_S, now - 5, 0);
    expect((guint64)(now + WIP_NTP_UNIX_OFFSET), 4, now, WIP_TS_NTP_S, now, 0);
    expect((guint64)now * 1000 + 250, 8, now, WIP_TS_UNIX_MS, now, 250000000);
    expect((guint64)now * 1000000 + 7, 8, now, WIP_TS_UNIX_US, now, 7000);
    expect((guint64)now * 1000000000 + 42, 8, now, WIP_TS_UNIX_NS, now, 42);
    expect((guint64)now, 8, now, WIP_TS_UNIX_S, now, 0);
    /* NTP 32.32 with a half-second fraction: the top bit is set (>= 2^63) */
    guint64 ntp = ((guint64)(now + WIP_NTP_UNIX_OFFSET) << 32) | G_GUINT64_CONSTANT(0x80000000);
    expect(ntp, 8, now, WIP_TS_NTP_64, now, 500000000);
    wip_ts_t t;
    CHECK(!wip_ts_decode(12345, 2, now, &t), "a 2-byte field is no timestamp");
    CHECK(!wip_ts_decode(12345, 3, now, &t), "a 3-byte field is no timestamp");
    /* the maximum value decodes without overflow in some unit */
    CHECK(wip_ts_decode(G_MAXUINT64, 8, now, &t) && t.nsecs >= 0 && t.nsecs < 1000000000,
          "all-ones 8-byte value: unit %s nsecs %d", wip_ts_unit_name(t.unit), t.nsecs);
    if (fails == 0)
        printf("test_value: all passed\n");
    return fails ? 1 : 0;
}
