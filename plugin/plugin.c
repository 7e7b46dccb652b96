/* plugin.c - the exports every Wireshark plugin needs (4.0 .. 4.6). */
#include <glib.h>
#include <gmodule.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include "wip_ws_compat.h"

#ifndef WIP_VERSION  /* from project(VERSION) in CMakeLists.txt */
#error "WIP_VERSION must be defined by the build"
#endif

void proto_register_wip(void);
void proto_reg_handoff_wip(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = WIP_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#ifdef WIP_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void plugin_register(void)
{
    static proto_plugin plug_wip;

    plug_wip.register_protoinfo = proto_register_wip;
    plug_wip.register_handoff = proto_reg_handoff_wip;
    proto_register_plugin(&plug_wip);
}
