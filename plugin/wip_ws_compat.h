/* wip_ws_compat.h - every Wireshark version difference the plugin cares
 * about, in one place.  Builds against 4.0 (Debian 12) and newer. */
#ifndef WIP_WS_COMPAT_H
#define WIP_WS_COMPAT_H

#include <ws_version.h>

#define WIP_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* 4.2+ tells the loader what kind of plugin this is. */
#if defined(__has_include)
#  if __has_include(<wsutil/plugins.h>)
#    include <wsutil/plugins.h>
#    define WIP_HAVE_PLUGIN_DESCRIBE 1
#  endif
#endif

/* 4.4 renamed the glib integer types in the tvb accessors; the old names
 * are deprecated there. */
#if WIP_WS_AT_LEAST(4, 4)
#  define wip_tvb_get_u8   tvb_get_uint8
#  define wip_tvb_get_ntohs tvb_get_ntohs
#else
#  define wip_tvb_get_u8   tvb_get_guint8
#  define wip_tvb_get_ntohs tvb_get_ntohs
#endif

/* Stats tree: the per-packet callback takes tap_flags_t since 3.6;
 * stats_tree_register_plugin() exists on 4.0 .. 4.6. */
#define WIP_TAP_FLAGS_PARAM , tap_flags_t flags _U_
#define wip_stats_tree_register(tap, abbr, name, packet, init, cleanup) \
    stats_tree_register_plugin((tap), (abbr), (name), 0, (packet), (init), (cleanup))

/* prefs_register_bool_preference() takes bool * from 4.2 (gboolean * on 4.0). */
#include <glib.h>
#if WIP_WS_AT_LEAST(4, 2)
#  include <stdbool.h>
typedef bool wip_pref_bool_t;
#else
typedef gboolean wip_pref_bool_t;
#endif

#endif
