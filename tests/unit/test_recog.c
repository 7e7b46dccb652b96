/* test_recog.c - unit tests for the recognition core (wip_recog.c).
 *
 * Plain C: prints what failed, returns nonzero on failure.
 *   1. table-driven positive and near-miss cases per protocol (stateless)
 *   2. conversation tests (HTTP Upgrade, h2c, RTP confirmation,
 *      continuation segments, wrong-guess correction, relocking)
 *   3. wip_payload_describe
 *   4. 1,000,000 random buffers (xorshift, fixed seed): no claim above
 *      WIP_RECOG_WEAK_MAX; claims per protocol are reported.
 */
#include "wip_recog.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

static int failures = 0;
static int checks = 0;

#define FAIL(...) do { failures++; printf("FAIL: "); printf(__VA_ARGS__); printf("\n"); } while (0)

/* ------------------------------------------------------------------ */
/* byte builder                                                        */

typedef struct {
    guint8 b[4096];
    gsize n;
} bb_t;

static void u8(bb_t *x, guint v) { x->b[x->n++] = (guint8)v; }
static void u16(bb_t *x, guint v) { u8(x, v >> 8); u8(x, v); }
static void u24(bb_t *x, guint v) { u8(x, v >> 16); u8(x, v >> 8); u8(x, v); }
static void u32(bb_t *x, guint32 v) { u16(x, v >> 16); u16(x, v & 0xffff); }
static void mem(bb_t *x, const void *p, gsize l) { memcpy(x->b + x->n, p, l); x->n += l; }
static void str(bb_t *x, const char *s) { mem(x, s, strlen(s)); }
static void fill(bb_t *x, gsize l, guint8 seed)
{
    gsize i;
    for (i = 0; i < l; i++)
        u8(x, (guint8)(seed + i * 37 + (i >> 3) * 11));
}
static void put16at(bb_t *x, gsize at, guint v) { x->b[at] = (guint8)(v >> 8); x->b[at + 1] = (guint8)v; }
static void put24at(bb_t *x, gsize at, guint v) { x->b[at] = (guint8)(v >> 16); x->b[at + 1] = (guint8)(v >> 8); x->b[at + 2] = (guint8)v; }

/* ------------------------------------------------------------------ */
/* samples                                                             */

/* TLS 1.2 ClientHello with SNI example.com, record version 0x0301 */
static void s_tls_ch(bb_t *x)
{
    gsize rec, hs, ext;
    u8(x, 0x16); u16(x, 0x0301); rec = x->n; u16(x, 0);
    hs = x->n; u8(x, 0x01); u24(x, 0);
    u16(x, 0x0303); fill(x, 32, 0x5a);          /* random */
    u8(x, 32); fill(x, 32, 0x11);               /* session id */
    u16(x, 8); u16(x, 0xc02b); u16(x, 0xc02f); u16(x, 0xc00a); u16(x, 0x009c);
    u8(x, 1); u8(x, 0);                          /* compression null */
    ext = x->n; u16(x, 0);
    u16(x, 0x0000); u16(x, 16); u16(x, 14); u8(x, 0); u16(x, 11); str(x, "example.com");   /* SNI */
    u16(x, 0x000a); u16(x, 8); u16(x, 6); u16(x, 0x001d); u16(x, 0x0017); u16(x, 0x0018);  /* groups */
    u16(x, 0x000d); u16(x, 8); u16(x, 6); u16(x, 0x0403); u16(x, 0x0503); u16(x, 0x0804);  /* sig algs */
    put16at(x, ext, (guint)(x->n - ext - 2));
    put24at(x, hs + 1, (guint)(x->n - hs - 4));
    put16at(x, rec, (guint)(x->n - rec - 2));
}
static void s_tls_ch_prefix(bb_t *x) { s_tls_ch(x); x->n = 60; }
static void s_tls_appdata(bb_t *x) { u8(x, 0x17); u16(x, 0x0303); u16(x, 64); fill(x, 64, 3); }
static void s_tls_two(bb_t *x)
{
    u8(x, 0x14); u16(x, 0x0303); u16(x, 1); u8(x, 1);
    u8(x, 0x16); u16(x, 0x0303); u16(x, 40); fill(x, 40, 9);
}
static void s_tls_badver(bb_t *x) { s_tls_ch(x); x->b[2] = 0x05; x->b[1] = 0x03; }
static void s_tls_badlen(bb_t *x) { s_tls_appdata(x); put16at(x, 3, 65); }           /* record says 65, 64 present */
static void s_tls_reclen0(bb_t *x) { u8(x, 0x17); u16(x, 0x0303); u16(x, 0); fill(x, 10, 1); }
static void s_tls_huge(bb_t *x) { u8(x, 0x17); u16(x, 0x0303); u16(x, 18433); fill(x, 100, 1); }
static void s_tls_garbage_after(bb_t *x) { s_tls_appdata(x); fill(x, 20, 0xf1); }

/* DTLS 1.2 ClientHello (epoch 0) */
static void s_dtls_ch(bb_t *x)
{
    gsize rec, hs, body;
    u8(x, 0x16); u16(x, 0xfeff); u16(x, 0); u16(x, 0); u32(x, 0); rec = x->n; u16(x, 0);
    hs = x->n; u8(x, 1); u24(x, 0); u16(x, 0); u24(x, 0); u24(x, 0);
    body = x->n;
    u16(x, 0xfefd); fill(x, 32, 0x21); u8(x, 0); u8(x, 0);   /* random, session id, cookie */
    u16(x, 4); u16(x, 0xc02b); u16(x, 0xc02f); u8(x, 1); u8(x, 0);
    u16(x, 0);
    put24at(x, hs + 1, (guint)(x->n - body));
    put24at(x, hs + 9, (guint)(x->n - body));
    put16at(x, rec, (guint)(x->n - rec - 2));
}
static void s_dtls_badfrag(bb_t *x) { s_dtls_ch(x); put24at(x, 13 + 9, 500); }      /* fragment length too long */
static void s_dtls_badver(bb_t *x) { s_dtls_ch(x); x->b[2] = 0xfe; x->b[1] = 0xfd; x->b[2] = 0x01; }

/* DNS */
static void dns_q_body(bb_t *x, guint16 id, gboolean edns)
{
    u16(x, id); u16(x, 0x0100); u16(x, 1); u16(x, 0); u16(x, 0); u16(x, edns ? 1 : 0);
    u8(x, 7); str(x, "example"); u8(x, 3); str(x, "com"); u8(x, 0);
    u16(x, 1); u16(x, 1);
    if (edns) { u8(x, 0); u16(x, 41); u16(x, 1232); u32(x, 0); u16(x, 0); }
}
static void s_dns_udp(bb_t *x) { dns_q_body(x, 0x1a2b, TRUE); }
static void s_dns_tcp(bb_t *x) { u16(x, 0); dns_q_body(x, 0x1a2b, TRUE); put16at(x, 0, (guint)(x->n - 2)); }
static void s_dns_tcp_partial(bb_t *x) { s_dns_tcp(x); x->n = 35; }                /* OPT record cut by the segment end */
static void s_dns_tcp_prefix_long(bb_t *x) { s_dns_tcp(x); put16at(x, 0, 200); }  /* complete message but prefix says 200 */
static void s_dns_resp(bb_t *x)
{
    u16(x, 0x1a2b); u16(x, 0x8180); u16(x, 1); u16(x, 1); u16(x, 0); u16(x, 0);
    u8(x, 7); str(x, "example"); u8(x, 3); str(x, "com"); u8(x, 0); u16(x, 1); u16(x, 1);
    u16(x, 0xc00c); u16(x, 1); u16(x, 1); u32(x, 3600); u16(x, 4); u32(x, 0x5db8d822);
}
static void s_dns_qd0(bb_t *x) { s_dns_udp(x); put16at(x, 4, 0); }
static void s_dns_z(bb_t *x) { s_dns_udp(x); put16at(x, 2, 0x0140); }
static void s_dns_badlabel(bb_t *x) { s_dns_udp(x); x->b[12] = 60; }                  /* label runs off the end */
static void s_dns_tcp_badprefix(bb_t *x) { s_dns_tcp(x); put16at(x, 0, (guint)(x->n - 5)); }
static void s_dns_trailing(bb_t *x) { s_dns_udp(x); fill(x, 7, 0x33); }
static void s_dns_fwdptr(bb_t *x) { s_dns_resp(x); x->b[29 + 1] = 0x40; }           /* answer name pointer points forward */

/* STUN / TURN */
static void s_stun_bind(bb_t *x)
{
    u16(x, 0x0001); u16(x, 0); u32(x, 0x2112A442); fill(x, 12, 0x77);
    u16(x, 0x8022); u16(x, 10); str(x, "wip-test 1"); u16(x, 0);     /* SOFTWARE + padding */
    u16(x, 0x0024); u16(x, 4); u32(x, 0x6e7f1eff);                   /* PRIORITY */
    u16(x, 0x8028); u16(x, 4); u32(x, 0xdeadbeef);                   /* FINGERPRINT */
    put16at(x, 2, (guint)(x->n - 20));
}
static void s_stun_resp(bb_t *x)
{
    u16(x, 0x0101); u16(x, 12); u32(x, 0x2112A442); fill(x, 12, 0x17);
    u16(x, 0x0020); u16(x, 8); u8(x, 0); u8(x, 1); u16(x, 0x1234); u32(x, 0x0102a443);   /* XOR-MAPPED-ADDRESS */
}
static void s_turn_alloc(bb_t *x)
{
    u16(x, 0x0003); u16(x, 8); u32(x, 0x2112A442); fill(x, 12, 0x42);
    u16(x, 0x0019); u16(x, 4); u8(x, 17); u8(x, 0); u16(x, 0);        /* REQUESTED-TRANSPORT UDP */
}
static void s_turn_chan(bb_t *x) { u16(x, 0x4001); u16(x, 100); fill(x, 100, 0x99); }
static void s_stun_badcookie(bb_t *x) { s_stun_bind(x); x->b[4] = 0x21; x->b[5] = 0x13; }
static void s_stun_badlen(bb_t *x) { s_stun_bind(x); put16at(x, 2, (guint)(x->n - 20 + 4)); }
static void s_stun_badattr(bb_t *x) { s_stun_bind(x); put16at(x, 22, 40); }           /* attribute overruns */

/* classic STUN (RFC 3489): no magic cookie */
static void s_stun3489_req(bb_t *x)
{
    u16(x, 0x0001); u16(x, 8); fill(x, 16, 0x3a);
    u16(x, 0x0003); u16(x, 4); u32(x, 0x00000006);                   /* CHANGE-REQUEST ip+port */
}
static void s_stun3489_resp(bb_t *x)
{
    u16(x, 0x0101); u16(x, 36); fill(x, 16, 0x3a);
    u16(x, 0x0001); u16(x, 8); u8(x, 0); u8(x, 1); u16(x, 40000); u32(x, 0xc0a80102);   /* MAPPED-ADDRESS */
    u16(x, 0x0004); u16(x, 8); u8(x, 0); u8(x, 1); u16(x, 3478); u32(x, 0xc0a80101);    /* SOURCE-ADDRESS */
    u16(x, 0x0005); u16(x, 8); u8(x, 0); u8(x, 1); u16(x, 3479); u32(x, 0xc0a80103);    /* CHANGED-ADDRESS */
}
static void s_stun3489_badfam(bb_t *x) { s_stun3489_resp(x); x->b[25] = 7; }
static void s_stun3489_badlen(bb_t *x) { s_stun3489_req(x); put16at(x, 2, 12); }
static void s_stun3489_unkattr(bb_t *x) { s_stun3489_req(x); put16at(x, 20, 0x0042); }
static void s_stun3489_resp_noaddr(bb_t *x) { u16(x, 0x0101); u16(x, 8); fill(x, 16, 0x3a); u16(x, 0x0003); u16(x, 4); u32(x, 0); }

/* databases, messaging, industrial, VPN, QUIC */
static void s_pg_startup(bb_t *x)
{
    u32(x, 0); u32(x, 0x00030000);
    static const char params[] = "user\0postgres\0database\0wip\0application_name\0psql\0";
    mem(x, params, sizeof params);     /* the final NUL of the literal ends the list */
    put16at(x, 2, (guint)x->n);
}
static void s_pg_ssl(bb_t *x) { u32(x, 8); u32(x, 80877103); }
static void s_pg_nouser(bb_t *x) { u32(x, 0); u32(x, 0x00030000); mem(x, "database\0wip\0\0", 15); put16at(x, 2, (guint)x->n); }
static void s_pg_badlen(bb_t *x) { s_pg_startup(x); put16at(x, 2, (guint)x->n + 4); }
static void s_mysql_greet(bb_t *x)
{
    u8(x, 0); u8(x, 0); u8(x, 0); u8(x, 0); u8(x, 10);
    mem(x, "10.11.6-MariaDB-0+deb12u1\0", 26);
    u32(x, 0x2a000000); fill(x, 8, 0x41); u8(x, 0);
    u16(x, 0xfff7); u8(x, 8); u16(x, 2); u16(x, 0x81ff); u8(x, 21); fill(x, 10, 0); fill(x, 12, 0x42); u8(x, 0);
    mem(x, "mysql_native_password\0", 22);
    x->b[0] = (guint8)(x->n - 4); x->b[1] = (guint8)((x->n - 4) >> 8);
}
static void s_mysql_badproto(bb_t *x) { s_mysql_greet(x); x->b[4] = 9; }

/* TDS and OpenVPN: bytes of test-captures/app-tds.pcap and app-openvpn-*.pcap */
static void hexb(bb_t *x, const char *h)
{
    while (h[0] && h[1]) {
        unsigned v;
        sscanf(h, "%2x", &v);
        u8(x, v);
        h += 2;
    }
}
#define S_TDS_PRELOGIN "1201003a0000000000001a00060100200001020021000c03002d00040400310001ff090000000000004d5353514c53657276657200152b000000"
#define S_TDS_PRERESP "0401002b0000010000001a00060100200001020021000103002200000400220001ff0f0007d00000020000"
#define S_TDS_BATCH "0101003e0000010016000000120000000200000000000000000001000000730065006c006500630074002000310020006100730020006f006e0065000a00"
#define S_TDS_LOGINRESP "0401007e00000100e31b0001066d0061007300740065007200066d0061007300740065007200ad32000174000004144d006900630072006f0073006f00660074002000530051004c0020005300650072007600650072000f0007d0e3130004043400300039003600043400300039003600fd000000000000000000000000"
static void s_tds_prelogin(bb_t *x) { hexb(x, S_TDS_PRELOGIN); }
static void s_tds_preresp(bb_t *x) { hexb(x, S_TDS_PRERESP); }
static void s_tds_batch(bb_t *x) { hexb(x, S_TDS_BATCH); }
static void s_tds_loginresp(bb_t *x) { hexb(x, S_TDS_LOGINRESP); }
static void s_tds_badlen(bb_t *x) { hexb(x, S_TDS_PRELOGIN); put16at(x, 2, (guint)x->n - 1); }
static void s_tds_badopt(bb_t *x) { hexb(x, S_TDS_PRELOGIN); x->b[8 + 5 + 1] = 0x7f; }   /* option offset beyond the body */
static void s_tds_window(bb_t *x) { hexb(x, S_TDS_PRELOGIN); x->b[7] = 1; }
static void s_tds_cut(bb_t *x) { hexb(x, S_TDS_LOGINRESP); x->n -= 3; put16at(x, 2, (guint)x->n); }   /* DONE token cut */
#define S_OVPN_RESET_C "3861e359a5149516c60000000000"
#define S_OVPN_RESET_S "407c5b2f434933ff6d010000000061e359a5149516c600000000"
#define S_OVPN_ACK "28fceaf937ef3797da0300000002000000010000000010c89b1c3c70150d"
#define S_OVPN_CTL "2061e359a5149516c601000000007c5b2f434933ff6d0000000116030101100100010c0303d3911ad0"
static void s_ovpn_reset_c(bb_t *x) { hexb(x, S_OVPN_RESET_C); }
static void s_ovpn_reset_s(bb_t *x) { hexb(x, S_OVPN_RESET_S); }
static void s_ovpn_ack(bb_t *x) { hexb(x, S_OVPN_ACK); }
static void s_ovpn_ctl(bb_t *x) { hexb(x, S_OVPN_CTL); }
static void s_ovpn_tcp(bb_t *x) { u16(x, 14); hexb(x, S_OVPN_RESET_C); }
static void s_ovpn_tcp_two(bb_t *x) { u16(x, 14); hexb(x, S_OVPN_RESET_C); u16(x, 30); hexb(x, S_OVPN_ACK); }
static void s_ovpn_tcp_badlen(bb_t *x) { u16(x, 15); hexb(x, S_OVPN_RESET_C); u8(x, 0); u8(x, 0); }
static void s_ovpn_reset_pid(bb_t *x) { hexb(x, S_OVPN_RESET_C); x->b[13] = 1; }      /* first packet id not 0 */
static void s_ovpn_reset_key(bb_t *x) { hexb(x, S_OVPN_RESET_C); x->b[0] = 0x39; }    /* hard reset with key id 1 */
static void s_ovpn_ack_extra(bb_t *x) { hexb(x, S_OVPN_ACK); u8(x, 0); }
static void s_ovpn_ack_bigid(bb_t *x) { hexb(x, S_OVPN_ACK); x->b[10] = 0x80; }
static void s_ovpn_ctl_notls(bb_t *x) { hexb(x, S_OVPN_CTL); x->b[26] = 0x42; }       /* not a TLS record inside */
static void s_mongo_msg(bb_t *x)
{
    static const guint8 doc[] = { 0x13, 0, 0, 0, 0x10, 'p', 'i', 'n', 'g', 0, 1, 0, 0, 0, 0x02, 'x', 0, 0, 0 };
    u32(x, 0); u32(x, 0x01000000); u32(x, 0); u8(x, 0xdd); u8(x, 0x07); u8(x, 0); u8(x, 0);   /* opCode 2013 LE */
    u32(x, 0); u8(x, 0); mem(x, doc, sizeof doc);
    x->b[0] = (guint8)x->n; x->b[1] = 0; x->b[2] = 0; x->b[3] = 0;
}
static void s_mongo_badlen(bb_t *x) { s_mongo_msg(x); x->b[0]++; }
static void s_amqp_hdr(bb_t *x) { mem(x, "AMQP\0\0\x09\x01", 8); }
static void s_amqp_start(bb_t *x)
{
    u8(x, 1); u16(x, 0); u32(x, 10); u16(x, 10); u16(x, 10); u8(x, 0); u8(x, 9); u32(x, 0); u8(x, 0xCE);
}
static void s_amqp_noend(bb_t *x) { s_amqp_start(x); x->b[x->n - 1] = 0xCD; }
static void s_bt_hs(bb_t *x) { u8(x, 19); str(x, "BitTorrent protocol"); fill(x, 8, 0); fill(x, 20, 0x61); fill(x, 20, 0x62); }
static void s_modbus_req(bb_t *x) { u16(x, 1); u16(x, 0); u16(x, 6); u8(x, 1); u8(x, 3); u16(x, 0); u16(x, 10); }
static void s_modbus_resp(bb_t *x) { u16(x, 1); u16(x, 0); u16(x, 7); u8(x, 1); u8(x, 3); u8(x, 4); u16(x, 1); u16(x, 2); }
static void s_modbus_badproto(bb_t *x) { s_modbus_req(x); x->b[3] = 1; }
static void s_modbus_badcount(bb_t *x) { s_modbus_resp(x); x->b[8] = 5; }
static void s_dnp3(bb_t *x)
{
    /* link header of a real DNP3 request: 05 64 len 0x0b ctrl 0xc4 dst 1 src 3, CRC-16/DNP */
    static const guint8 h[] = { 0x05, 0x64, 0x0b, 0xc4, 0x01, 0x00, 0x03, 0x00 };
    guint16 crc = 0;
    int i, k;
    mem(x, h, sizeof h);
    for (i = 0; i < 8; i++) { crc ^= h[i]; for (k = 0; k < 8; k++) crc = (crc & 1) ? (guint16)((crc >> 1) ^ 0xA6BC) : (guint16)(crc >> 1); }
    crc = (guint16)~crc;
    u8(x, crc & 0xff); u8(x, crc >> 8);
    fill(x, 8, 0x11);
}
static void s_dnp3_badcrc(bb_t *x) { s_dnp3(x); x->b[8] ^= 1; }
static void s_iec104_startdt(bb_t *x) { u8(x, 0x68); u8(x, 4); u8(x, 0x07); u8(x, 0); u8(x, 0); u8(x, 0); }
static void s_iec104_two(bb_t *x) { s_iec104_startdt(x); u8(x, 0x68); u8(x, 4); u8(x, 0x0b); u8(x, 0); u8(x, 0); u8(x, 0); }
static void s_iec104_badu(bb_t *x) { s_iec104_startdt(x); x->b[2] = 0x0f; }
static void s_quic_initial(bb_t *x)
{
    u8(x, 0xc3); u32(x, 1); u8(x, 8); fill(x, 8, 0x5a); u8(x, 0); u8(x, 0); u16(x, 0x4000 | 1180);
    fill(x, 1200 - x->n, 0x33);
}
static void s_quic_short_initial(bb_t *x) { s_quic_initial(x); x->n = 300; }
static void s_quic_badver(bb_t *x) { s_quic_initial(x); x->b[4] = 7; }
static void s_wg_init(bb_t *x) { u8(x, 1); u8(x, 0); u8(x, 0); u8(x, 0); fill(x, 144, 0x77); }
static void s_wg_init_long(bb_t *x) { s_wg_init(x); fill(x, 4, 0); }
static void s_ldap_bind(bb_t *x)
{
    static const guint8 m[] = { 0x30, 0x1d, 0x02, 0x01, 0x01, 0x60, 0x18, 0x02, 0x01, 0x03, 0x04, 0x0b,
        'c', 'n', '=', 'a', 'd', 'm', 'i', 'n', ',', 'd', 'c', 0x80, 0x06, 's', 'e', 'c', 'r', 'e', 't' };
    mem(x, m, sizeof m);
}
static void s_ldap_badlen(bb_t *x) { s_ldap_bind(x); x->b[1]++; }
static void s_ldap_v2(bb_t *x) { s_ldap_bind(x); x->b[9] = 2; }

/* SMB2: two NBSS messages in one segment (a compound reply, or pipelined requests) */
static void smb2_msg(bb_t *x, guint cmd, guint body)
{
    gsize i;
    u8(x, 0); u24(x, 64 + body);
    u8(x, 0xfe); str(x, "SMB"); u8(x, 64); u8(x, 0);                  /* protocol id, structure size 64 */
    for (i = 6; i < 12; i++) u8(x, 0);
    u8(x, cmd); u8(x, 0);                                              /* command */
    for (i = 14; i < 64; i++) u8(x, 0);
    for (i = 0; i < body; i++) u8(x, 0x10 + i);
}
static void s_smb2_two(bb_t *x) { smb2_msg(x, 5, 57); smb2_msg(x, 16, 41); }
static void s_smb2_two_cut(bb_t *x) { s_smb2_two(x); x->n -= 20; }

/* Kerberos AS-REQ (RFC 4120), over UDP and with the TCP record mark */
static void s_krb_asreq(bb_t *x)
{
    static const guint8 body[] = { 0xa1, 0x03, 0x02, 0x01, 0x05, 0xa2, 0x03, 0x02, 0x01, 0x0a,
        0xa4, 0x0c, 0x30, 0x0a, 0xa0, 0x07, 0x03, 0x05, 0x00, 0x50, 0x80, 0x00, 0x00, 0xa7, 0x02, 0x02, 0x00 };
    u8(x, 0x6a); u8(x, (guint)sizeof body + 2); u8(x, 0x30); u8(x, (guint)sizeof body); mem(x, body, sizeof body);
}
static void s_krb_asreq_tcp(bb_t *x) { bb_t y; memset(&y, 0, sizeof y); s_krb_asreq(&y); u32(x, (guint32)y.n); mem(x, y.b, y.n); }
static void s_krb_pvno4(bb_t *x) { s_krb_asreq(x); x->b[8] = 4; }
static void s_krb_wrongtype(bb_t *x) { s_krb_asreq(x); x->b[13] = 0x0c; }

/* WebSocket frames without the Upgrade */
static void s_ws_masked(bb_t *x)
{
    static const char msg[] = "hello from the wip test client";
    guint8 key[4] = { 0x37, 0xfa, 0x21, 0x3d };
    gsize i, l = strlen(msg);
    u8(x, 0x81); u8(x, 0x80 | (guint)l); mem(x, key, 4);
    for (i = 0; i < l; i++) u8(x, (guint8)(msg[i] ^ key[i & 3]));
}
static void s_ws_masked_junk(bb_t *x) { u8(x, 0x81); u8(x, 0x80 | 30); u32(x, 0x11223344); fill(x, 30, 0x9d); }

/* RTP / RTCP */
static void rtp_pkt(bb_t *x, guint pt, guint16 seq, guint32 ts, guint32 ssrc, gsize pl)
{
    u8(x, 0x80); u8(x, pt); u16(x, seq); u32(x, ts); u32(x, ssrc); fill(x, pl, (guint8)seq);
}
static void s_rtp_pcmu(bb_t *x) { rtp_pkt(x, 0, 4711, 160000, 0x11223344, 160); }
static void s_rtp_opus_ext(bb_t *x)
{
    u8(x, 0x90); u8(x, 111); u16(x, 9); u32(x, 960); u32(x, 0xcafef00d);
    u16(x, 0xBEDE); u16(x, 1); u8(x, 0x10); u8(x, 0x7f); u16(x, 0);
    fill(x, 80, 5);
}
static void s_rtp_v1(bb_t *x) { s_rtp_pcmu(x); x->b[0] = 0x40; }
static void s_rtp_pt72(bb_t *x) { s_rtp_pcmu(x); x->b[1] = 72; }
static void s_rtp_cc15(bb_t *x) { u8(x, 0x8f); u8(x, 0); u16(x, 1); u32(x, 1); u32(x, 1); fill(x, 20, 0); }
static void s_rtcp_sr_sdes(bb_t *x)
{
    u8(x, 0x81); u8(x, 200); u16(x, 12); u32(x, 0x11223344);
    u32(x, 0xe5d1a2b3); u32(x, 0x40000000); u32(x, 160000); u32(x, 100); u32(x, 16000);
    u32(x, 0x55667788); u32(x, 0); u32(x, 4711); u32(x, 20); u32(x, 0); u32(x, 0);   /* report block */
    u8(x, 0x81); u8(x, 202); u16(x, 6); u32(x, 0x11223344);
    u8(x, 1); u8(x, 14); str(x, "alice@host.com"); u8(x, 0); u8(x, 0); u8(x, 0); u8(x, 0);
}
static void s_rtcp_badlen(bb_t *x) { s_rtcp_sr_sdes(x); put16at(x, 2, 13); }
static void s_rtcp_v1(bb_t *x) { s_rtcp_sr_sdes(x); x->b[0] = 0x41; }

/* MQTT */
static void s_mqtt_connect(bb_t *x)
{
    gsize s = x->n;
    u8(x, 0x10); u8(x, 0);
    u16(x, 4); str(x, "MQTT"); u8(x, 4); u8(x, 0x02); u16(x, 60);
    u16(x, 9); str(x, "wipclient");
    x->b[s + 1] = (guint8)(x->n - s - 2);
}
static void s_mqtt_publish(bb_t *x)
{
    gsize s = x->n;
    u8(x, 0x32); u8(x, 0); u16(x, 17); str(x, "sensors/room1/tmp"); u16(x, 42); str(x, "{\"t\":21.5}");
    x->b[s + 1] = (guint8)(x->n - s - 2);
}
static void s_mqtt_subscribe(bb_t *x)
{
    gsize s = x->n;
    u8(x, 0x82); u8(x, 0); u16(x, 7); u16(x, 9); str(x, "sensors/#"); u8(x, 1);
    x->b[s + 1] = (guint8)(x->n - s - 2);
}
static void s_mqtt_two(bb_t *x) { u8(x, 0x20); u8(x, 2); u8(x, 0); u8(x, 0); s_mqtt_publish(x); }
static void s_mqtt_badrl(bb_t *x) { s_mqtt_connect(x); x->b[1]++; }
static void s_mqtt_badname(bb_t *x) { s_mqtt_connect(x); x->b[7] = 'X'; }
static void s_mqtt_badflags(bb_t *x) { s_mqtt_subscribe(x); x->b[0] = 0x80; }

/* SMB2 NEGOTIATE over NBSS */
static void s_smb2(bb_t *x)
{
    gsize i;
    u8(x, 0); u24(x, 0);
    u8(x, 0xfe); str(x, "SMB"); u8(x, 64); u8(x, 0); u16(x, 0); u32(x, 0);
    u16(x, 0); u16(x, 0x0100); u32(x, 0); u32(x, 0); u32(x, 0); u32(x, 0); u32(x, 0); u32(x, 0xfeff); u32(x, 0);
    for (i = 0; i < 16; i++) u8(x, 0);                          /* signature */
    u8(x, 36); u8(x, 0); u8(x, 2); u8(x, 0); u16(x, 0x0100); u16(x, 0); u32(x, 0x7f000000); fill(x, 16, 0x31);
    u32(x, 0); u16(x, 0); u16(x, 0);
    u8(x, 0x02); u8(x, 0x02); u8(x, 0x10); u8(x, 0x02);          /* dialects 0x0202 0x0210 LE */
    put24at(x, 1, (guint)(x->n - 4));
}
static void s_smb2_partial(bb_t *x) { s_smb2(x); put24at(x, 1, 1000); }
static void s_smb_badmagic(bb_t *x) { s_smb2(x); x->b[7] = 'X'; }
static void s_smb_badlen(bb_t *x) { s_smb2(x); put24at(x, 1, (guint)(x->n - 4 - 3)); }

/* TPKT / COTP / RDP / Q.931 */
static void s_cotp_cr(bb_t *x)
{
    u8(x, 3); u8(x, 0); u16(x, 0);
    u8(x, 0); u8(x, 0xe0); u16(x, 0); u16(x, 0x0001); u8(x, 0);
    u8(x, 0xc0); u8(x, 1); u8(x, 0x0a); u8(x, 0xc1); u8(x, 2); u16(x, 0x0100); u8(x, 0xc2); u8(x, 2); u16(x, 0x0102);
    x->b[4] = (guint8)(x->n - 5);
    put16at(x, 2, (guint)x->n);
}
static void s_cotp_dt(bb_t *x)
{
    u8(x, 3); u8(x, 0); u16(x, 0); u8(x, 2); u8(x, 0xf0); u8(x, 0x80);
    u8(x, 0x32); u8(x, 1); fill(x, 22, 4);
    put16at(x, 2, (guint)x->n);
}
static void s_rdp_cr(bb_t *x)
{
    u8(x, 3); u8(x, 0); u16(x, 0);
    u8(x, 0); u8(x, 0xe0); u16(x, 0); u16(x, 0); u8(x, 0);
    str(x, "Cookie: mstshash=eltons\r\n");
    u8(x, 0x01); u8(x, 0); u16(x, 0x0800); u32(x, 0x03000000);   /* rdpNegReq, protocols 3 LE */
    x->b[4] = (guint8)(x->n - 5);
    put16at(x, 2, (guint)x->n);
}
static void s_rdp_negreq_only(bb_t *x)
{
    u8(x, 3); u8(x, 0); u16(x, 0);
    u8(x, 0); u8(x, 0xe0); u16(x, 0); u16(x, 0x1234); u8(x, 0);
    u8(x, 0x01); u8(x, 0); u16(x, 0x0800); u32(x, 0x0b000000);
    x->b[4] = (guint8)(x->n - 5);
    put16at(x, 2, (guint)x->n);
}
static void s_q931_setup(bb_t *x)
{
    u8(x, 3); u8(x, 0); u16(x, 0);
    u8(x, 0x08); u8(x, 2); u16(x, 0x0001); u8(x, 0x05);           /* Q.931 SETUP, call ref len 2 */
    u8(x, 0x04); u8(x, 3); u8(x, 0x88); u8(x, 0x90); u8(x, 0xa5);  /* bearer capability */
    u8(x, 0x28); u8(x, 5); str(x, "alice");                         /* display */
    u8(x, 0x7e); u16(x, 12); u8(x, 5); fill(x, 11, 0x20);          /* user-user (H.225, 2-byte length) */
    put16at(x, 2, (guint)x->n);
}
static void s_tpkt_badlen(bb_t *x) { s_cotp_cr(x); put16at(x, 2, (guint)x->n - 2); }
static void s_tpkt_badver(bb_t *x) { s_cotp_cr(x); x->b[0] = 2; }
static void s_cotp_badli(bb_t *x) { s_cotp_cr(x); x->b[4] = 40; }
static void s_q931_badmt(bb_t *x) { s_q931_setup(x); x->b[8] = 0x99; }
static void s_rdp_partial_ok(bb_t *x) { s_rdp_cr(x); }

/* SMB over UDP is not a thing: first bytes only, as a partial TCP segment */

/* text protocols */
#define S_HTTP_GET "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"
#define S_HTTP_RESP "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello"
#define S_SIP_INVITE "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n"
#define S_SIP_200 "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n"
#define S_MGCP "CRCX 1204 aaln/1@rgw-2567.whatever.net MGCP 1.0\r\nC: A3C47F21456789F0\r\nL: p:10, a:PCMU\r\nM: recvonly\r\n"
#define S_XMPP "<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
#define S_OCI "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BroadsoftDocument protocol=\"OCI\" xmlns=\"C\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><sessionId xmlns=\"\">a1b2c3</sessionId><command xsi:type=\"AuthenticationRequest\" xmlns=\"\"><userId>admin</userId></command></BroadsoftDocument>"
#define S_CAP "<BroadsoftDocument protocol=\"CAP\" version=\"14.0\"><command commandType=\"registerAuthentication\"><registerRequest><userName>u</userName></registerRequest></command></BroadsoftDocument>\n"
#define S_JSON "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[1,2.5e3,{\"a\":true,\"b\":null}],\"id\":7}\n"
#define S_RESP_SET "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"

static void s_ws_frame(bb_t *x) { u8(x, 0x81); u8(x, 0x85); u32(x, 0x37fa213d); str(x, "\x7f\x9f\x4d\x51\x58"); }
static void s_pb(bb_t *x)
{
    u8(x, 0x08); u8(x, 0x96); u8(x, 0x01);                       /* 1: varint 150 */
    u8(x, 0x12); u8(x, 0x07); str(x, "testing");                  /* 2: "testing" */
    u8(x, 0x1a); u8(x, 0x03); u8(x, 0x08); u8(x, 0xac); u8(x, 0x02); /* 3: sub-message {1: 300} */
    u8(x, 0x25); u32(x, 0x0000803f);                              /* 4: fixed32 */
}
static void s_pb_wt3(bb_t *x) { s_pb(x); x->b[0] = 0x0b; }
static void s_pb_trunc(bb_t *x) { s_pb(x); x->b[4] = 0x20; }

/* a server that speaks first: SETTINGS (MAX_CONCURRENT_STREAMS 100) before the client preface */
static void s_h2_settings(bb_t *x)
{
    u8(x, 0); u8(x, 0); u8(x, 6); u8(x, 4); u8(x, 0); u32(x, 0);
    u8(x, 0); u8(x, 3); u32(x, 100);
}
static void s_h2_settings_len5(bb_t *x) { s_h2_settings(x); x->b[2] = 5; x->n--; }
static void s_h2_settings_stream(bb_t *x) { s_h2_settings(x); x->b[8] = 1; }

typedef struct {
    const char *name;
    void (*build)(bb_t *);
    const char *lit;        /* used when build is NULL */
    gboolean tcp;
    wip_proto_t proto;
    int min_conf;           /* positive: >= min_conf; */
    gboolean negative;      /* negative: result must NOT be proto (at any confidence) */
} tcase_t;

#define POS(n, f, t, p, c) { n, f, NULL, t, p, c, FALSE }
#define POSL(n, s, t, p, c) { n, NULL, s, t, p, c, FALSE }
#define NEG(n, f, t, p) { n, f, NULL, t, p, 0, TRUE }
#define NEGL(n, s, t, p) { n, NULL, s, t, p, 0, TRUE }

static const tcase_t cases[] = {
    /* TLS */
    POS("tls clienthello", s_tls_ch, TRUE, WIP_P_TLS, 95),
    POS("tls clienthello over udp", s_tls_ch, FALSE, WIP_P_TLS, 95),
    POS("tls clienthello first 60 bytes", s_tls_ch_prefix, TRUE, WIP_P_TLS, 80),
    POS("tls application data", s_tls_appdata, TRUE, WIP_P_TLS, 80),
    POS("tls ccs + encrypted finished", s_tls_two, TRUE, WIP_P_TLS, 85),
    NEG("tls version 0x0305", s_tls_badver, TRUE, WIP_P_TLS),
    NEG("tls record length > data (udp)", s_tls_badlen, FALSE, WIP_P_TLS),
    NEG("tls record length 0", s_tls_reclen0, TRUE, WIP_P_TLS),
    NEG("tls record length 18433", s_tls_huge, TRUE, WIP_P_TLS),
    NEG("tls record + garbage", s_tls_garbage_after, TRUE, WIP_P_TLS),
    NEG("tls clienthello prefix over udp", s_tls_ch_prefix, FALSE, WIP_P_TLS),
    /* DTLS */
    POS("dtls clienthello", s_dtls_ch, FALSE, WIP_P_DTLS, 90),
    NEG("dtls fragment too long", s_dtls_badfrag, FALSE, WIP_P_DTLS),
    NEG("dtls bad version", s_dtls_badver, FALSE, WIP_P_DTLS),
    NEG("dtls over tcp", s_dtls_ch, TRUE, WIP_P_DTLS),
    /* HTTP */
    POSL("http get", S_HTTP_GET, TRUE, WIP_P_HTTP, 90),
    POSL("http response", S_HTTP_RESP, TRUE, WIP_P_HTTP, 90),
    POSL("http options *", "OPTIONS * HTTP/1.0\r\n\r\n", TRUE, WIP_P_HTTP, 90),
    NEGL("http version 1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", TRUE, WIP_P_HTTP),
    NEGL("http unknown method", "GETX / HTTP/1.1\r\nHost: x\r\n\r\n", TRUE, WIP_P_HTTP),
    NEGL("http empty target", "GET  HTTP/1.1\r\nHost: x\r\n\r\n", TRUE, WIP_P_HTTP),
    NEGL("http lowercase method", "get / HTTP/1.1\r\n\r\n", TRUE, WIP_P_HTTP),
    NEGL("http bad status", "HTTP/1.1 20 OK\r\n\r\n", TRUE, WIP_P_HTTP),
    NEGL("http/2 preface is not http/1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", TRUE, WIP_P_HTTP),
    /* HTTP/2 */
    POSL("http2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00", TRUE, WIP_P_HTTP2, 95),
    NEGL("http2 preface typo", "PRI * HTTP/2.1\r\n\r\nSM\r\n\r\n", TRUE, WIP_P_HTTP2),
    /* a server that speaks first: SETTINGS (1 setting) before the client preface */
    POS("http2 server SETTINGS first", s_h2_settings, TRUE, WIP_P_HTTP2, 80),
    NEG("http2 SETTINGS length not a multiple of 6", s_h2_settings_len5, TRUE, WIP_P_HTTP2),
    NEG("http2 SETTINGS on a stream", s_h2_settings_stream, TRUE, WIP_P_HTTP2),
    /* WebSocket: never stateless */
    NEG("websocket frame alone", s_ws_frame, TRUE, WIP_P_WEBSOCKET),
    /* SSH */
    POSL("ssh 2.0 banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", TRUE, WIP_P_SSH, 90),
    POSL("ssh 1.99 banner", "SSH-1.99-Cisco-1.25\n", TRUE, WIP_P_SSH, 90),
    NEGL("ssh 3.0", "SSH-3.0-foo\r\n", TRUE, WIP_P_SSH),
    NEGL("ssh no software", "SSH-2.0-\r\n", TRUE, WIP_P_SSH),
    NEGL("ssh lowercase", "ssh-2.0-OpenSSH\r\n", TRUE, WIP_P_SSH),
    /* SIP */
    POSL("sip invite", S_SIP_INVITE, FALSE, WIP_P_SIP, 90),
    POSL("sip 200 ok", S_SIP_200, FALSE, WIP_P_SIP, 90),
    POSL("sip register tcp", "REGISTER sips:registrar.example.com SIP/2.0\r\nCSeq: 1 REGISTER\r\n\r\n", TRUE, WIP_P_SIP, 90),
    NEGL("sip http uri", "INVITE http://bob SIP/2.0\r\n\r\n", FALSE, WIP_P_SIP),
    NEGL("sip version 3.0", "INVITE sip:bob@x SIP/3.0\r\n\r\n", FALSE, WIP_P_SIP),
    NEGL("sip status 099", "SIP/2.0 099 Odd\r\n\r\n", FALSE, WIP_P_SIP),
    /* RTP */
    POS("rtp pcmu 20ms (single, weak)", s_rtp_pcmu, FALSE, WIP_P_RTP, 30),
    POS("rtp opus + one-byte ext (single, weak)", s_rtp_opus_ext, FALSE, WIP_P_RTP, 30),
    NEG("rtp version 1", s_rtp_v1, FALSE, WIP_P_RTP),
    NEG("rtp pt 72", s_rtp_pt72, FALSE, WIP_P_RTP),
    NEG("rtp cc 15 too short", s_rtp_cc15, FALSE, WIP_P_RTP),
    /* RTCP */
    POS("rtcp sr + sdes", s_rtcp_sr_sdes, FALSE, WIP_P_RTCP, 85),
    NEG("rtcp length mismatch", s_rtcp_badlen, FALSE, WIP_P_RTCP),
    NEG("rtcp version 1", s_rtcp_v1, FALSE, WIP_P_RTCP),
    /* STUN / TURN */
    POS("stun binding request", s_stun_bind, FALSE, WIP_P_STUN, 90),
    POS("stun binding response", s_stun_resp, FALSE, WIP_P_STUN, 90),
    POS("stun binding request tcp", s_stun_bind, TRUE, WIP_P_STUN, 90),
    POS("turn allocate", s_turn_alloc, FALSE, WIP_P_TURN, 90),
    POS("turn channeldata (weak)", s_turn_chan, FALSE, WIP_P_TURN, 20),
    NEG("stun bad cookie", s_stun_badcookie, FALSE, WIP_P_STUN),
    NEG("stun length+20 != len", s_stun_badlen, FALSE, WIP_P_STUN),
    NEG("stun attribute overrun", s_stun_badattr, FALSE, WIP_P_STUN),
    POS("classic stun binding request (change-request)", s_stun3489_req, FALSE, WIP_P_STUN, 80),
    POS("classic stun binding response (3 addresses)", s_stun3489_resp, FALSE, WIP_P_STUN, 90),
    NEG("classic stun address family 7", s_stun3489_badfam, FALSE, WIP_P_STUN),
    NEG("classic stun length != datagram", s_stun3489_badlen, FALSE, WIP_P_STUN),
    NEG("classic stun unknown attribute 0x0042", s_stun3489_unkattr, FALSE, WIP_P_STUN),
    NEG("classic stun response without an address", s_stun3489_resp_noaddr, FALSE, WIP_P_STUN),
    /* DNS */
    POS("dns query example.com udp", s_dns_udp, FALSE, WIP_P_DNS, 85),
    POS("dns query example.com tcp", s_dns_tcp, TRUE, WIP_P_DNS, 85),
    POS("dns query tcp partial", s_dns_tcp_partial, TRUE, WIP_P_DNS, 70),
    NEG("dns tcp prefix longer than complete message", s_dns_tcp_prefix_long, TRUE, WIP_P_DNS),
    POS("dns response with pointer", s_dns_resp, FALSE, WIP_P_DNS, 85),
    NEG("dns qdcount 0", s_dns_qd0, FALSE, WIP_P_DNS),
    NEG("dns z bit", s_dns_z, FALSE, WIP_P_DNS),
    NEG("dns label overrun", s_dns_badlabel, FALSE, WIP_P_DNS),
    NEG("dns tcp prefix too short", s_dns_tcp_badprefix, TRUE, WIP_P_DNS),
    NEG("dns trailing bytes", s_dns_trailing, FALSE, WIP_P_DNS),
    NEG("dns forward pointer", s_dns_fwdptr, FALSE, WIP_P_DNS),
    NEG("dns udp message over tcp (no prefix)", s_dns_udp, TRUE, WIP_P_DNS),
    /* MQTT */
    POS("mqtt connect", s_mqtt_connect, TRUE, WIP_P_MQTT, 90),
    POS("mqtt publish qos1", s_mqtt_publish, TRUE, WIP_P_MQTT, 75),
    POS("mqtt subscribe", s_mqtt_subscribe, TRUE, WIP_P_MQTT, 75),
    POS("mqtt connack + publish", s_mqtt_two, TRUE, WIP_P_MQTT, 75),
    NEG("mqtt remaining length off by one", s_mqtt_badrl, TRUE, WIP_P_MQTT),
    NEG("mqtt connect protocol MQTX", s_mqtt_badname, TRUE, WIP_P_MQTT),
    NEG("mqtt subscribe flags 0", s_mqtt_badflags, TRUE, WIP_P_MQTT),
    /* RESP */
    POSL("resp SET array", S_RESP_SET, TRUE, WIP_P_RESP, 90),
    POSL("resp +OK", "+OK\r\n", TRUE, WIP_P_RESP, 55),
    POSL("resp +PONG", "+PONG\r\n", TRUE, WIP_P_RESP, 70),
    /* look-alikes: POP3 (RFC 1939) replies are RESP-shaped lines */
    NEGL("pop3 greeting is not resp", "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n", TRUE, WIP_P_RESP),
    NEGL("pop3 dovecot greeting is not resp", "+OK Dovecot (Debian) ready.\r\n", TRUE, WIP_P_RESP),
    NEGL("pop3 -ERR is not resp", "-ERR [AUTH] Authentication failed.\r\n", TRUE, WIP_P_RESP),
    NEGL("resp-looking error alone is not resp", "-ERR unknown command 'FOO'\r\n", TRUE, WIP_P_RESP),
    /* databases, messaging, peer-to-peer, industrial, VPN, QUIC */
    POS("tds prelogin (freetds)", s_tds_prelogin, TRUE, WIP_P_TDS, 95),
    POS("tds prelogin response", s_tds_preresp, TRUE, WIP_P_TDS, 95),
    POS("tds sql batch", s_tds_batch, TRUE, WIP_P_TDS, 80),
    POS("tds login response tokens", s_tds_loginresp, TRUE, WIP_P_TDS, 80),
    NEG("tds length off by one", s_tds_badlen, TRUE, WIP_P_TDS),
    NEG("tds prelogin option beyond body", s_tds_badopt, TRUE, WIP_P_TDS),
    NEG("tds window not 0", s_tds_window, TRUE, WIP_P_TDS),
    NEG("tds response token cut", s_tds_cut, TRUE, WIP_P_TDS),
    NEG("tds over udp", s_tds_prelogin, FALSE, WIP_P_TDS),
    POS("openvpn client hard reset (udp)", s_ovpn_reset_c, FALSE, WIP_P_OPENVPN, 90),
    POS("openvpn server hard reset (udp)", s_ovpn_reset_s, FALSE, WIP_P_OPENVPN, 90),
    POS("openvpn ack (udp)", s_ovpn_ack, FALSE, WIP_P_OPENVPN, 80),
    POS("openvpn control with tls (udp)", s_ovpn_ctl, FALSE, WIP_P_OPENVPN, 90),
    POS("openvpn hard reset (tcp)", s_ovpn_tcp, TRUE, WIP_P_OPENVPN, 90),
    POS("openvpn two tcp records", s_ovpn_tcp_two, TRUE, WIP_P_OPENVPN, 90),
    NEG("openvpn reset without tcp prefix", s_ovpn_reset_c, TRUE, WIP_P_OPENVPN),
    NEG("openvpn tcp prefix wrong", s_ovpn_tcp_badlen, TRUE, WIP_P_OPENVPN),
    NEG("openvpn reset packet id 1", s_ovpn_reset_pid, FALSE, WIP_P_OPENVPN),
    NEG("openvpn reset key id 1", s_ovpn_reset_key, FALSE, WIP_P_OPENVPN),
    NEG("openvpn ack with a trailing byte", s_ovpn_ack_extra, FALSE, WIP_P_OPENVPN),
    NEG("openvpn ack of a huge packet id", s_ovpn_ack_bigid, FALSE, WIP_P_OPENVPN),
    NEG("openvpn control without tls record", s_ovpn_ctl_notls, FALSE, WIP_P_OPENVPN),
    POS("pgsql startup", s_pg_startup, TRUE, WIP_P_PGSQL, 95),
    POS("pgsql sslrequest", s_pg_ssl, TRUE, WIP_P_PGSQL, 90),
    NEG("pgsql startup without user", s_pg_nouser, TRUE, WIP_P_PGSQL),
    NEG("pgsql length wrong", s_pg_badlen, TRUE, WIP_P_PGSQL),
    NEG("pgsql over udp", s_pg_ssl, FALSE, WIP_P_PGSQL),
    POS("mysql server greeting", s_mysql_greet, TRUE, WIP_P_MYSQL, 95),
    NEG("mysql protocol 9", s_mysql_badproto, TRUE, WIP_P_MYSQL),
    POS("mongodb op_msg", s_mongo_msg, TRUE, WIP_P_MONGO, 95),
    NEG("mongodb length wrong", s_mongo_badlen, TRUE, WIP_P_MONGO),
    POS("amqp protocol header", s_amqp_hdr, TRUE, WIP_P_AMQP, 95),
    POS("amqp method frame", s_amqp_start, TRUE, WIP_P_AMQP, 80),
    NEG("amqp frame without frame-end", s_amqp_noend, TRUE, WIP_P_AMQP),
    POS("bittorrent handshake", s_bt_hs, TRUE, WIP_P_BITTORRENT, 95),
    NEGL("bittorrent name cut", "\x13" "BitTorrent protoco", TRUE, WIP_P_BITTORRENT),
    POSL("rtsp options", "OPTIONS rtsp://127.0.0.1:3414/test RTSP/1.0\r\nCSeq: 1\r\n\r\n", TRUE, WIP_P_RTSP, 95),
    POSL("rtsp reply", "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n", TRUE, WIP_P_RTSP, 95),
    NEGL("http is not rtsp", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", TRUE, WIP_P_RTSP),
    POS("modbus read holding registers", s_modbus_req, TRUE, WIP_P_MODBUS, 80),
    POS("modbus response", s_modbus_resp, TRUE, WIP_P_MODBUS, 80),
    NEG("modbus protocol id 1", s_modbus_badproto, TRUE, WIP_P_MODBUS),
    NEG("modbus byte count wrong", s_modbus_badcount, TRUE, WIP_P_MODBUS),
    POS("dnp3 link header", s_dnp3, TRUE, WIP_P_DNP3, 95),
    POS("dnp3 over udp", s_dnp3, FALSE, WIP_P_DNP3, 95),
    NEG("dnp3 crc wrong", s_dnp3_badcrc, TRUE, WIP_P_DNP3),
    POS("iec104 startdt act", s_iec104_startdt, TRUE, WIP_P_IEC104, 80),
    POS("iec104 two u frames", s_iec104_two, TRUE, WIP_P_IEC104, 80),
    NEG("iec104 two function bits", s_iec104_badu, TRUE, WIP_P_IEC104),
    POS("quic v1 initial", s_quic_initial, FALSE, WIP_P_QUIC, 90),
    NEG("quic initial shorter than 1200", s_quic_short_initial, FALSE, WIP_P_QUIC),
    NEG("quic unknown version", s_quic_badver, FALSE, WIP_P_QUIC),
    POS("wireguard handshake initiation", s_wg_init, FALSE, WIP_P_WIREGUARD, 90),
    NEG("wireguard initiation of 152 bytes", s_wg_init_long, FALSE, WIP_P_WIREGUARD),
    POS("ldap bind v3", s_ldap_bind, TRUE, WIP_P_LDAP, 90),
    NEG("ldap length wrong", s_ldap_badlen, TRUE, WIP_P_LDAP),
    NEG("ldap bind v2", s_ldap_v2, TRUE, WIP_P_LDAP),
    /* look-alikes and late joiners (issue 13) */
    POSL("mgcp response with parameters", "200 1203 OK\r\nI: 1F3B\r\nP: PS=1245, OS=62345, PR=780, OR=45123\r\n", FALSE, WIP_P_MGCP, 60),
    POSL("mgcp response with sdp", "200 1202 OK\r\nI: 1F3B\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n", FALSE, WIP_P_MGCP, 60),
    NEGL("ftp reply is not mgcp", "200 Command okay.\r\n", TRUE, WIP_P_MGCP),
    POSL("resp inline hset", "HSET user:1 name alice\r\n", TRUE, WIP_P_RESP, 55),
    POSL("resp inline lrange", "lrange wip:list 0 -1\r\n", TRUE, WIP_P_RESP, 55),
    NEGL("get line is not resp", "GET /index.html\r\n", TRUE, WIP_P_RESP),
    NEGL("lrange with one argument", "LRANGE wip:list\r\n", TRUE, WIP_P_RESP),
    POS("kerberos as-req over udp", s_krb_asreq, FALSE, WIP_P_KERBEROS, 95),
    POS("kerberos as-req over tcp", s_krb_asreq_tcp, TRUE, WIP_P_KERBEROS, 95),
    NEG("kerberos pvno 4", s_krb_pvno4, FALSE, WIP_P_KERBEROS),
    NEG("kerberos msg-type disagrees with the tag", s_krb_wrongtype, FALSE, WIP_P_KERBEROS),
    NEG("kerberos without the record mark over tcp", s_krb_asreq, TRUE, WIP_P_KERBEROS),
    POS("smb2: two nbss messages in one segment", s_smb2_two, TRUE, WIP_P_SMB, 90),
    POS("smb2: two nbss messages, the second cut", s_smb2_two_cut, TRUE, WIP_P_SMB, 80),
    POS("websocket masked text frame mid-stream", s_ws_masked, TRUE, WIP_P_WEBSOCKET, 70),
    NEG("websocket masked frame of binary junk", s_ws_masked_junk, TRUE, WIP_P_WEBSOCKET),
    NEG("websocket frame over udp", s_ws_masked, FALSE, WIP_P_WEBSOCKET),
    POSL("protobuf with varint length prefix", "\x0b\x08\x96\x01\x12\x06" "tested", TRUE, WIP_P_PROTOBUF, 30),
    /* SMTP */
    POSL("smtp ehlo", "EHLO client.example.org\r\n", TRUE, WIP_P_SMTP, 90),
    POSL("smtp greeting", "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n", TRUE, WIP_P_SMTP, 80),
    POSL("smtp ehlo reply", "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n", TRUE, WIP_P_SMTP, 90),
    POSL("smtp mail from", "MAIL FROM:<alice@example.org> SIZE=120\r\n", TRUE, WIP_P_SMTP, 90),
    NEGL("ehlo without a domain", "EHLO\r\n", TRUE, WIP_P_SMTP),
    NEGL("220 without SMTP (ftp greeting)", "220 (vsFTPd 3.0.3)\r\n", TRUE, WIP_P_SMTP),
    NEGL("smtp over udp", "EHLO client.example.org\r\n", FALSE, WIP_P_SMTP),
    /* FTP */
    POSL("ftp greeting", "220 (vsFTPd 3.0.3) FTP server ready\r\n", TRUE, WIP_P_FTP, 80),
    POSL("ftp pasv reply", "227 Entering Passive Mode (127,0,0,1,156,64).\r\n", TRUE, WIP_P_FTP, 90),
    POSL("ftp epsv reply", "229 Entering Extended Passive Mode (|||40000|)\r\n", TRUE, WIP_P_FTP, 90),
    POSL("ftp port", "PORT 127,0,0,1,156,65\r\n", TRUE, WIP_P_FTP, 90),
    POSL("ftp feat reply", "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n211 End\r\n", TRUE, WIP_P_FTP, 80),
    NEGL("ftp port with 300", "PORT 127,0,0,300,156,65\r\n", TRUE, WIP_P_FTP),
    NEGL("smtp greeting is not ftp", "220 mail.example.org ESMTP Postfix\r\n", TRUE, WIP_P_FTP),
    NEGL("user command alone is not ftp", "USER anonymous\r\n", TRUE, WIP_P_FTP),
    /* POP3 */
    POSL("pop3 apop greeting", "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n", TRUE, WIP_P_POP3, 80),
    POSL("pop3 capa reply", "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nUSER\r\nSASL PLAIN\r\n.\r\n", TRUE, WIP_P_POP3, 90),
    POSL("pop3 apop", "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n", TRUE, WIP_P_POP3, 90),
    NEGL("pop3 plain greeting alone (no conversation)", "+OK Dovecot (Debian) ready.\r\n", TRUE, WIP_P_RESP),
    NEGL("apop with a short digest", "APOP mrose c4c9334bac\r\n", TRUE, WIP_P_POP3),
    /* IMAP */
    POSL("imap greeting", "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot (Debian) ready.\r\n", TRUE, WIP_P_IMAP, 90),
    POSL("imap tagged login", "A001 LOGIN alice secret\r\n", TRUE, WIP_P_IMAP, 70),
    POSL("imap capability", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\nA1 OK Pre-login capabilities listed, post-login capabilities have more.\r\n", TRUE, WIP_P_IMAP, 90),
    NEGL("tag with an unknown command", "A001 FROBNICATE x\r\n", TRUE, WIP_P_IMAP),
    NEGL("ftp reply is not an imap command", "230 Login successful.\r\n", TRUE, WIP_P_IMAP),
    NEGL("words are not a tagged command", "OK STATUS\r\n", TRUE, WIP_P_IMAP),
    NEGL("select without a mailbox", "A7 SELECT\r\n", TRUE, WIP_P_IMAP),
    NEGL("smtp reply is not an imap command", "250 List of things\r\n", TRUE, WIP_P_IMAP),
    NEGL("star line without imap", "* hello world\r\n", TRUE, WIP_P_IMAP),
    /* IRC */
    POSL("irc registration", "NICK wipbot\r\nUSER wipbot 0 * :WIP test bot\r\n", TRUE, WIP_P_IRC, 90),
    POSL("irc USER alone (its own segment)", "USER wip 0 * :wip test user\r\n", TRUE, WIP_P_IRC, 80),
    NEGL("ftp USER is not irc", "USER anonymous\r\n", TRUE, WIP_P_IRC),
    NEGL("USER with two words is not irc", "USER wip 0 :wip\r\n", TRUE, WIP_P_IRC),
    NEGL("USER with an empty word is not irc", "USER wip  0 * :wip\r\n", TRUE, WIP_P_IRC),
    NEGL("NICK with two words is not irc", "NICK wip user\r\n", TRUE, WIP_P_IRC),
    POSL("irc server numerics", ":irc.example.net 001 wipbot :Welcome to the Internet Relay Network wipbot\r\n:irc.example.net 002 wipbot :Your host is irc.example.net\r\n:irc.example.net 003 wipbot :This server was created today\r\n", TRUE, WIP_P_IRC, 80),
    NEGL("nick alone", "NICK wipbot\r\n", TRUE, WIP_P_IRC),
    NEGL("numeric without prefix", "001 wipbot :Welcome\r\n002 wipbot :x\r\n", TRUE, WIP_P_IRC),
    POSL("resp :123", ":123\r\n", TRUE, WIP_P_RESP, 50),
    NEGL("resp bulk length wrong", "*3\r\n$3\r\nSET\r\n$4\r\nkey\r\n$5\r\nvalue\r\n", TRUE, WIP_P_RESP),
    NEGL("resp missing element", "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n", FALSE, WIP_P_RESP),
    NEGL("resp no crlf", "+OK\n", TRUE, WIP_P_RESP),
    NEGL("resp integer junk", ":12a\r\n", TRUE, WIP_P_RESP),
    /* SMB */
    POS("smb2 negotiate", s_smb2, TRUE, WIP_P_SMB, 90),
    POS("smb2 negotiate first segment", s_smb2_partial, TRUE, WIP_P_SMB, 80),
    NEG("smb magic wrong", s_smb_badmagic, TRUE, WIP_P_SMB),
    NEG("smb nbss length short", s_smb_badlen, TRUE, WIP_P_SMB),
    /* TPKT / RDP */
    POS("cotp connection request (s7 tsaps)", s_cotp_cr, TRUE, WIP_P_TPKT, 80),
    POS("cotp data", s_cotp_dt, TRUE, WIP_P_TPKT, 80),
    POS("q931 setup over tpkt", s_q931_setup, TRUE, WIP_P_TPKT, 80),
    POS("rdp cookie + negreq", s_rdp_cr, TRUE, WIP_P_RDP, 90),
    POS("rdp negreq only", s_rdp_negreq_only, TRUE, WIP_P_RDP, 90),
    POS("rdp (again)", s_rdp_partial_ok, TRUE, WIP_P_RDP, 90),
    NEG("tpkt length != payload", s_tpkt_badlen, TRUE, WIP_P_TPKT),
    NEG("tpkt version 2", s_tpkt_badver, TRUE, WIP_P_TPKT),
    NEG("cotp LI beyond tpkt", s_cotp_badli, TRUE, WIP_P_TPKT),
    NEG("q931 unknown message type", s_q931_badmt, TRUE, WIP_P_TPKT),
    NEG("rdp: bad tpkt not rdp", s_tpkt_badver, TRUE, WIP_P_RDP),
    /* XMPP */
    POSL("xmpp stream", S_XMPP, TRUE, WIP_P_XMPP, 90),
    NEGL("xmpp wrong namespace", "<stream:stream xmlns='foo:client' xmlns:stream='http://etherx.jabber.org/streams'>", TRUE, WIP_P_XMPP),
    NEGL("xmpp other element", "<streams:stream xmlns='jabber:client'>", TRUE, WIP_P_XMPP),
    /* MGCP */
    POSL("mgcp crcx", S_MGCP, FALSE, WIP_P_MGCP, 90),
    POSL("mgcp rqnt ncs", "RQNT 1205 aaln/1@rgw.example.net MGCP 1.0 NCS 1.0\r\nX: 0123456789AC\r\n", FALSE, WIP_P_MGCP, 90),
    NEGL("mgcp no @ in endpoint", "CRCX 1204 aaln/1 MGCP 1.0\r\n", FALSE, WIP_P_MGCP),
    NEGL("mgcp txid not numeric", "CRCX abc aaln/1@gw MGCP 1.0\r\n", FALSE, WIP_P_MGCP),
    NEGL("mgcp version 2.0", "CRCX 1 aaln/1@gw MGCP 2.0\r\n", FALSE, WIP_P_MGCP),
    /* OCI */
    POSL("oci authentication request", S_OCI, TRUE, WIP_P_OCI, 90),
    POSL("cap register", S_CAP, TRUE, WIP_P_OCI, 90),
    NEGL("oci other protocol", "<?xml version=\"1.0\"?><BroadsoftDocument protocol=\"XYZ\"></BroadsoftDocument>", TRUE, WIP_P_OCI),
    /* JSON */
    POSL("json rpc", S_JSON, TRUE, WIP_P_JSON, 85),
    POSL("json array", "[1, 2, {\"k\": \"v\\u00e9\"}, [true, false]]", TRUE, WIP_P_JSON, 85),
    NEGL("json trailing comma", "{\"a\":1,}", TRUE, WIP_P_JSON),
    NEGL("json unterminated", "{\"a\":[1,2", TRUE, WIP_P_JSON),
    NEGL("json bare string", "\"hello\"", TRUE, WIP_P_JSON),
    NEGL("json leading zero", "{\"a\":012}", TRUE, WIP_P_JSON),
    /* protobuf */
    POS("protobuf 4 fields (weak)", s_pb, TRUE, WIP_P_PROTOBUF, 25),
    NEG("protobuf wire type 3", s_pb_wt3, TRUE, WIP_P_PROTOBUF),
    NEG("protobuf length overrun", s_pb_trunc, TRUE, WIP_P_PROTOBUF),
    /* text */
    POSL("plain text", "hello world\nthis is just some text\n", TRUE, WIP_P_TEXT, 40),
    POSL("utf-8 text", "gr\xc3\xbc\xc3\x9f dich, caf\xc3\xa9\r\n", FALSE, WIP_P_TEXT, 40),
    NEGL("binary is not text", "\x01\x02\x03\x04hello\x00\xff", TRUE, WIP_P_TEXT),
};

static void get_sample(const tcase_t *t, bb_t *x)
{
    memset(x, 0, sizeof *x);
    if (t->build)
        t->build(x);
    else
        mem(x, t->lit, strlen(t->lit));
}

static int counts_pos[WIP_P_COUNT], counts_neg[WIP_P_COUNT];

static void run_table(void)
{
    gsize i;
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        const tcase_t *t = &cases[i];
        bb_t x;
        wip_recog_t r;
        get_sample(t, &x);
        memset(&r, 0xAA, sizeof r);
        {
            /* exact-size copy so that ASan/valgrind catch any read past len */
            guint8 *copy = g_memdup2(x.b, x.n);
            wip_recog_payload(copy, x.n, t->tcp, &r);
            g_free(copy);
        }
        if (getenv("WIP_TEST_VERBOSE"))
            printf("  %-40s %-9s %3u %s\n", t->name, wip_proto_name(r.proto), r.confidence, r.evidence);
        checks++;
        if (strlen(r.evidence) >= WIP_EVIDENCE_LEN)
            FAIL("%s: evidence not terminated", t->name);
        if (t->negative) {
            counts_neg[t->proto]++;
            if (r.proto == t->proto)
                FAIL("%s: claimed %s (%u) but must not: %s", t->name, wip_proto_name(r.proto), r.confidence, r.evidence);
        } else {
            counts_pos[t->proto]++;
            if (r.proto != t->proto || r.confidence < t->min_conf)
                FAIL("%s: got %s (%u) want %s >= %d: %s", t->name, wip_proto_name(r.proto), r.confidence,
                     wip_proto_name(t->proto), t->min_conf, r.evidence);
            if ((t->proto == WIP_P_RTP || t->proto == WIP_P_PROTOBUF || (t->proto == WIP_P_TURN && t->min_conf < 40)) &&
                r.confidence > WIP_RECOG_WEAK_MAX)
                FAIL("%s: weak protocol claimed with confidence %u", t->name, r.confidence);
        }
        /* every sample with len-1 and shorter prefixes: must not crash (ASan/valgrind find overreads) */
        {
            gsize k;
            for (k = 0; k < x.n; k++) {
                wip_recog_t r2;
                guint8 *copy = g_memdup2(x.b, k);
                wip_recog_payload(copy, k, t->tcp, &r2);
                wip_recog_payload(copy, k, !t->tcp, &r2);
                g_free(copy);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* conversation tests                                                  */

static void conv_step(wip_conv_recog_t *c, const void *p, gsize n, gboolean tcp, int dir, wip_recog_t *r)
{
    wip_conv_recog_update(c, (const guint8 *)p, n, tcp, dir, r);
}

static void expect(const char *what, const wip_recog_t *r, wip_proto_t p, int minc)
{
    checks++;
    if (r->proto != p || r->confidence < minc)
        FAIL("%s: got %s (%u) want %s >= %d: %s", what, wip_proto_name(r->proto), r->confidence,
             wip_proto_name(p), minc, r->evidence);
}

static void expect_ev(const char *what, const wip_recog_t *r, const char *sub)
{
    checks++;
    if (!strstr(r->evidence, sub))
        FAIL("%s: evidence \"%s\" lacks \"%s\"", what, r->evidence, sub);
}

static void test_conv_websocket(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    static const char req[] = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    static const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    static const guint8 cli[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
    static const guint8 srv[] = { 0x81, 0x05, 'H', 'e', 'l', 'l', 'o' };
    static const guint8 ping[] = { 0x89, 0x00 };
    guint8 big[300];
    wip_conv_recog_init(&c);
    conv_step(&c, req, strlen(req), TRUE, 1, &r);
    expect("ws: upgrade request is http", &r, WIP_P_HTTP, 90);
    conv_step(&c, resp, strlen(resp), TRUE, 2, &r);
    expect("ws: 101 response is http", &r, WIP_P_HTTP, 90);
    conv_step(&c, cli, sizeof cli, TRUE, 1, &r);
    expect("ws: masked client frame", &r, WIP_P_WEBSOCKET, 90);
    conv_step(&c, srv, sizeof srv, TRUE, 2, &r);
    expect("ws: unmasked server frame", &r, WIP_P_WEBSOCKET, 90);
    conv_step(&c, ping, sizeof ping, TRUE, 2, &r);
    expect("ws: server ping", &r, WIP_P_WEBSOCKET, 90);
    /* large binary frame split over two segments */
    memset(big, 0x5c, sizeof big);
    big[0] = 0x82; big[1] = 126; big[2] = 0x01; big[3] = 0x2c;   /* 300 bytes payload, 4-byte header */
    conv_step(&c, big, 100, TRUE, 2, &r);
    expect("ws: first part of big frame", &r, WIP_P_WEBSOCKET, 80);
    conv_step(&c, big + 100, 200, TRUE, 2, &r);
    expect("ws: rest of big frame inherits", &r, WIP_P_WEBSOCKET, 60);
    expect_ev("ws: continuation evidence", &r, "more of the websocket connection recognised earlier");
    /* client frame without mask violates RFC 6455: not a frame header, still websocket conversation */
    conv_step(&c, srv, sizeof srv, TRUE, 1, &r);
    expect("ws: unmasked client bytes inherit", &r, WIP_P_WEBSOCKET, 60);
    checks++;
    if (c.proto != WIP_P_WEBSOCKET || !c.locked)
        FAIL("ws: conversation state %s locked=%u", wip_proto_name(c.proto), c.locked);
}

static void test_conv_h2c(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    static const char req[] = "GET / HTTP/1.1\r\nHost: server.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                              "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    static const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
    static const guint8 settings[] = { 0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100 };
    guint8 pre[24 + 9];
    memcpy(pre, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
    memcpy(pre + 24, "\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9);
    wip_conv_recog_init(&c);
    conv_step(&c, req, strlen(req), TRUE, 1, &r);
    expect("h2c: request", &r, WIP_P_HTTP, 90);
    conv_step(&c, resp, strlen(resp), TRUE, 2, &r);
    expect("h2c: 101", &r, WIP_P_HTTP, 90);
    conv_step(&c, settings, sizeof settings, TRUE, 2, &r);
    expect("h2c: server SETTINGS", &r, WIP_P_HTTP2, 85);
    conv_step(&c, pre, sizeof pre, TRUE, 1, &r);
    expect("h2c: client preface", &r, WIP_P_HTTP2, 85);
    /* a 400 instead of 101 cancels the upgrade */
    wip_conv_recog_init(&c);
    conv_step(&c, req, strlen(req), TRUE, 1, &r);
    conv_step(&c, "HTTP/1.1 400 Bad Request\r\n\r\n", 28, TRUE, 2, &r);
    conv_step(&c, settings, sizeof settings, TRUE, 2, &r);
    checks++;
    if (r.proto == WIP_P_HTTP2)
        FAIL("h2c: upgrade refused but http2 claimed");
}

static void test_conv_rtp(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    bb_t x;
    int i;
    wip_conv_recog_init(&c);
    for (i = 0; i < 5; i++) {
        memset(&x, 0, sizeof x);
        /* dynamic PT 96, no extension: not claimed alone at all */
        rtp_pkt(&x, 96, (guint16)(65534 + i), 1000 + 160 * i, 0xabcdef01, 120);
        conv_step(&c, x.b, x.n, FALSE, 1, &r);
        if (i == 0 && r.proto == WIP_P_RTP && r.confidence > WIP_RECOG_WEAK_MAX)
            FAIL("rtp: first packet too confident (%u)", r.confidence);
        if (i == 1) {
            expect("rtp: second packet weak rtp", &r, WIP_P_RTP, 1);
            checks++;
            if (r.confidence > WIP_RECOG_WEAK_MAX)
                FAIL("rtp: second packet too confident (%u)", r.confidence);
        }
        if (i >= 2)
            expect("rtp: confirmed from 3rd packet (seq wraps)", &r, WIP_P_RTP, 80);
    }
    /* other direction, other SSRC, plus rtcp-mux and a STUN consent check in the same conversation */
    memset(&x, 0, sizeof x);
    rtp_pkt(&x, 0, 7, 0, 0x55667788, 160);
    conv_step(&c, x.b, x.n, FALSE, 2, &r);
    expect("rtp: other direction", &r, WIP_P_RTP, 80);
    memset(&x, 0, sizeof x);
    s_rtcp_sr_sdes(&x);
    conv_step(&c, x.b, x.n, FALSE, 2, &r);
    expect("rtp: rtcp-mux packet is rtcp", &r, WIP_P_RTCP, 80);
    memset(&x, 0, sizeof x);
    s_stun_bind(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("rtp: stun in media conversation", &r, WIP_P_STUN, 80);
    /* same SSRC, sequence jumps around: never confirmed */
    wip_conv_recog_init(&c);
    for (i = 0; i < 6; i++) {
        memset(&x, 0, sizeof x);
        rtp_pkt(&x, 96, (guint16)(i * 5000), 0, 0x01010101, 40);
        conv_step(&c, x.b, x.n, FALSE, 1, &r);
    }
    checks++;
    if (c.locked || r.confidence > WIP_RECOG_WEAK_MAX)
        FAIL("rtp: jumping sequence numbers confirmed (%s %u)", wip_proto_name(r.proto), r.confidence);
}

/* WebRTC-style multiplexing on one UDP 5-tuple (RFC 7983, RFC 5761):
 * each packet is named by its own bytes, never inherited. */
static void test_conv_media_mux(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    bb_t x;
    int i;
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_stun_bind(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("mux: ICE binding request", &r, WIP_P_STUN, 90);
    for (i = 0; i < 4; i++) {
        memset(&x, 0, sizeof x);
        rtp_pkt(&x, 111, (guint16)(100 + i), 960 * i, 0x0badcafe, 57 + i);   /* opus-like, no codec fit */
        conv_step(&c, x.b, x.n, FALSE, 1, &r);
        expect("mux: rtp after stun", &r, WIP_P_RTP, i < 2 ? 70 : 90);
        expect_ev("mux: rtp evidence", &r, "RFC 7983");
    }
    memset(&x, 0, sizeof x);
    s_rtcp_sr_sdes(&x);
    conv_step(&c, x.b, x.n, FALSE, 2, &r);
    expect("mux: rtcp (rfc 5761)", &r, WIP_P_RTCP, 80);
    memset(&x, 0, sizeof x);
    s_stun_bind(&x);
    conv_step(&c, x.b, x.n, FALSE, 2, &r);
    expect("mux: consent check after rtp", &r, WIP_P_STUN, 90);
    memset(&x, 0, sizeof x);
    s_stun3489_req(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("mux: classic stun after rtp", &r, WIP_P_STUN, 80);
    memset(&x, 0, sizeof x);
    s_dtls_ch(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("mux: dtls", &r, WIP_P_DTLS, 85);
    memset(&x, 0, sizeof x);
    s_turn_chan(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("mux: turn channel data", &r, WIP_P_TURN, 80);
    memset(&x, 0, sizeof x);
    rtp_pkt(&x, 111, 104, 960 * 4, 0x0badcafe, 60);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("mux: rtp again", &r, WIP_P_RTP, 90);
    /* a first byte in the RTP range that is not an RTP header: no claim inherited as STUN */
    {
        guint8 junk[40];
        memset(junk, 0x11, sizeof junk);
        junk[0] = 0x80; junk[1] = 0x55;     /* PT 85: neither RTP (outside the allowed set) nor RTCP */
        conv_step(&c, junk, sizeof junk, FALSE, 1, &r);
        checks++;
        if (r.proto == WIP_P_STUN || r.proto == WIP_P_TURN || r.proto == WIP_P_DTLS)
            FAIL("mux: 0x80 0x55 named %s (%u)", wip_proto_name(r.proto), r.confidence);
    }
}

/* POP3: a "+OK" greeting is POP3 only as the service's first words */
static void test_conv_pop3_greeting(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    static const char greet[] = "+OK Dovecot (Debian) ready.\r\n";
    wip_conv_recog_init(&c);
    conv_step(&c, greet, strlen(greet), TRUE, 2, &r);
    expect("pop3: greeting from the service before the client spoke", &r, WIP_P_POP3, 80);
    /* the same line as a reply to a client (RESP or POP3 alike): not claimed as either above text */
    wip_conv_recog_init(&c);
    conv_step(&c, "PING\r\n", 6, TRUE, 1, &r);
    conv_step(&c, greet, strlen(greet), TRUE, 2, &r);
    checks++;
    if ((r.proto == WIP_P_POP3 || r.proto == WIP_P_RESP) && r.confidence >= 50)
        FAIL("pop3: reply line after a client payload claimed as %s (%u)", wip_proto_name(r.proto), r.confidence);
    /* sent by the client side: not a greeting */
    wip_conv_recog_init(&c);
    conv_step(&c, greet, strlen(greet), TRUE, 1, &r);
    checks++;
    if (r.proto == WIP_P_POP3 && r.confidence >= 50)
        FAIL("pop3: '+OK' from the client side claimed (%u)", r.confidence);
}

static void test_conv_continuation(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    bb_t x;
    guint8 junk[700];
    gsize i;
    for (i = 0; i < sizeof junk; i++)
        junk[i] = (guint8)(i * 131 + 7);
    /* TLS: ClientHello locks, arbitrary continuation bytes inherit in both directions */
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_tls_ch(&x);
    conv_step(&c, x.b, x.n, TRUE, 1, &r);
    expect("cont: clienthello", &r, WIP_P_TLS, 90);
    conv_step(&c, junk, sizeof junk, TRUE, 2, &r);
    expect("cont: tls middle segment (other dir)", &r, WIP_P_TLS, 60);
    expect_ev("cont: tls evidence", &r, "more of the tls connection recognised earlier");
    conv_step(&c, junk + 3, 200, TRUE, 1, &r);
    expect("cont: tls middle segment (same dir)", &r, WIP_P_TLS, 60);
    /* HTTP: POST head, then a JSON body segment and a text segment stay http */
    wip_conv_recog_init(&c);
    conv_step(&c, "POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\n\r\n", 50, TRUE, 1, &r);
    expect("cont: post", &r, WIP_P_HTTP, 90);
    conv_step(&c, S_JSON, strlen(S_JSON), TRUE, 1, &r);
    expect("cont: json body inherits http", &r, WIP_P_HTTP, 60);
    conv_step(&c, "<html><body>partial", 19, TRUE, 2, &r);
    expect("cont: text inherits http", &r, WIP_P_HTTP, 60);
    /* DNS over TCP: message split over two segments */
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_dns_tcp(&x);
    conv_step(&c, x.b, 20, TRUE, 1, &r);
    expect("cont: dns first segment", &r, WIP_P_DNS, 60);
    conv_step(&c, x.b + 20, x.n - 20, TRUE, 1, &r);
    expect("cont: dns second segment", &r, WIP_P_DNS, 50);
    /* SSH: banner locks, binary packets inherit */
    wip_conv_recog_init(&c);
    conv_step(&c, "SSH-2.0-OpenSSH_9.2\r\n", 21, TRUE, 2, &r);
    expect("cont: ssh banner", &r, WIP_P_SSH, 90);
    conv_step(&c, junk, 300, TRUE, 1, &r);
    expect("cont: ssh binary packet", &r, WIP_P_SSH, 60);
    /* MGCP response lines are plain text: inherit */
    wip_conv_recog_init(&c);
    conv_step(&c, S_MGCP, strlen(S_MGCP), FALSE, 1, &r);
    conv_step(&c, "200 1204 OK\r\nI: FDE234C8\r\n\r\nv=0\r\n", 33, FALSE, 2, &r);
    expect("cont: mgcp response", &r, WIP_P_MGCP, 60);
    /* RDP: X.224 data after the connection request stays rdp */
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_rdp_cr(&x);
    conv_step(&c, x.b, x.n, TRUE, 1, &r);
    expect("cont: rdp cr", &r, WIP_P_RDP, 90);
    memset(&x, 0, sizeof x);
    s_cotp_dt(&x);
    conv_step(&c, x.b, x.n, TRUE, 1, &r);
    expect("cont: rdp data tpdu", &r, WIP_P_RDP, 80);
}

static void test_conv_correction(void)
{
    wip_conv_recog_t c;
    wip_recog_t r;
    bb_t x;
    int i;
    /* weak rtp guess, then DNS queries: corrected */
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_rtp_pcmu(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("fix: weak rtp guess", &r, WIP_P_RTP, 30);
    checks++;
    if (c.proto != WIP_P_RTP || c.locked)
        FAIL("fix: expected unlocked rtp guess, got %s locked=%u", wip_proto_name(c.proto), c.locked);
    for (i = 0; i < 3; i++) {
        memset(&x, 0, sizeof x);
        dns_q_body(&x, (guint16)(100 + i), FALSE);
        conv_step(&c, x.b, x.n, FALSE, 1, &r);
        expect("fix: dns after weak rtp", &r, WIP_P_DNS, 85);
    }
    checks++;
    if (c.proto != WIP_P_DNS || !c.locked)
        FAIL("fix: conversation not corrected to dns (%s)", wip_proto_name(c.proto));
    /* weak rtp guess, then payloads that match nothing: the guess is dropped */
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_rtp_pcmu(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    for (i = 0; i < 3; i++) {
        guint8 z[64];
        memset(z, 0x11 * (i + 1), sizeof z);
        z[0] = 0x05;
        conv_step(&c, z, sizeof z, FALSE, 2, &r);
    }
    checks++;
    if (c.proto == WIP_P_RTP)
        FAIL("fix: weak rtp guess survived contradicting payloads");
    /* locked XMPP, then TLS (STARTTLS): inherits at first, relocks after 3 clear TLS payloads */
    wip_conv_recog_init(&c);
    conv_step(&c, S_XMPP, strlen(S_XMPP), TRUE, 1, &r);
    expect("relock: xmpp", &r, WIP_P_XMPP, 90);
    memset(&x, 0, sizeof x);
    s_tls_ch(&x);
    conv_step(&c, x.b, x.n, TRUE, 1, &r);
    expect("relock: first tls inherits xmpp", &r, WIP_P_XMPP, 60);
    memset(&x, 0, sizeof x);
    s_tls_appdata(&x);
    conv_step(&c, x.b, x.n, TRUE, 2, &r);
    conv_step(&c, x.b, x.n, TRUE, 1, &r);
    expect("relock: third tls payload", &r, WIP_P_TLS, 80);
    checks++;
    if (c.proto != WIP_P_TLS)
        FAIL("relock: conversation still %s", wip_proto_name(c.proto));
    /* STUN then TURN ChannelData: ChannelData is turn with good confidence */
    wip_conv_recog_init(&c);
    memset(&x, 0, sizeof x);
    s_turn_alloc(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    memset(&x, 0, sizeof x);
    s_turn_chan(&x);
    conv_step(&c, x.b, x.n, FALSE, 1, &r);
    expect("turn: channeldata in turn conversation", &r, WIP_P_TURN, 80);
}

/* ------------------------------------------------------------------ */
/* describe                                                            */

static void test_describe(void)
{
    wip_payload_desc_t d;
    guint8 all[256];
    int i;
    wip_payload_describe((const guint8 *)S_HTTP_GET, strlen(S_HTTP_GET), &d);
    checks++;
    if (!d.is_text || d.printable_pct != 100 || strcmp(d.first_line, "GET /index.html HTTP/1.1") != 0 ||
        d.entropy < 3.0 || d.entropy > 6.0)
        FAIL("describe http: text=%d pct=%u ent=%.2f line=\"%s\"", d.is_text, d.printable_pct, d.entropy, d.first_line);
    for (i = 0; i < 256; i++)
        all[i] = (guint8)i;
    wip_payload_describe(all, 256, &d);
    checks++;
    if (d.is_text || d.entropy < 7.999 || d.entropy > 8.001 || d.first_line[0])
        FAIL("describe all bytes: text=%d ent=%.4f", d.is_text, d.entropy);
    memset(all, 'A', sizeof all);
    wip_payload_describe(all, 256, &d);
    checks++;
    if (!d.is_text || d.entropy != 0.0 || strlen(d.first_line) != sizeof d.first_line - 1)
        FAIL("describe AAAA: text=%d ent=%.4f line len %zu", d.is_text, d.entropy, strlen(d.first_line));
    wip_payload_describe(NULL, 0, &d);
    checks++;
    if (d.is_text || d.printable_pct || d.entropy != 0.0)
        FAIL("describe empty");
    /* wip_payload_is_text agrees with describe: at the 95% boundary (19
     * printable bytes of 20 is text, 18 is not), UTF-8, NULs, random. */
    {
        guint8 b[64];
        guint32 x = 2463534242u;
        memset(b, 'a', 20);
        b[7] = 0x01;
        checks++;
        if (!wip_payload_is_text(b, 20))
            FAIL("is_text: 19 of 20 printable should be text");
        b[9] = 0x02;
        checks++;
        if (wip_payload_is_text(b, 20))
            FAIL("is_text: 18 of 20 printable should not be text");
        memcpy(b, "caf\xc3\xa9 ok\n", 9);
        memset(b + 9, 'z', 11);
        checks++;
        if (!wip_payload_is_text(b, 20))
            FAIL("is_text: UTF-8 text");
        b[19] = 0;
        checks++;
        if (!wip_payload_is_text(b, 20))
            FAIL("is_text: a trailing NUL is allowed");
        b[10] = 0;
        checks++;
        if (wip_payload_is_text(b, 20))
            FAIL("is_text: an inner NUL is binary");
        checks++;
        if (wip_payload_is_text(NULL, 0) || wip_payload_is_text(b, 0))
            FAIL("is_text: empty");
        for (int k = 0; k < 200000; k++) {
            gsize n = 1 + k % 63;
            for (gsize j = 0; j < n; j++) {
                x ^= x << 13; x ^= x >> 17; x ^= x << 5;
                /* mostly printable, so both answers occur */
                b[j] = (x & 0xff) < 236 ? (guint8)(0x20 + (x >> 8) % 95) : (guint8)(x >> 16);
            }
            wip_payload_describe(b, n, &d);
            if (wip_payload_is_text(b, n) != d.is_text) {
                checks++;
                FAIL("is_text differs from describe (len %zu, case %d)", (size_t)n, k);
                break;
            }
        }
        checks++;
    }
    {
        wip_recog_t r;
        wip_recog_payload(NULL, 0, TRUE, &r);
        checks++;
        if (r.proto != WIP_P_UNKNOWN)
            FAIL("empty payload claimed");
    }
    checks++;
    if (strcmp(wip_proto_name(WIP_P_PROTOBUF), "protobuf") || strcmp(wip_proto_name(WIP_P_UNKNOWN), "unknown") ||
        strcmp(wip_proto_name(WIP_P_COUNT), "unknown") || strcmp(wip_proto_name(WIP_P_HTTP2), "http2"))
        FAIL("proto names");
}

/* ------------------------------------------------------------------ */
/* random buffers                                                      */

static guint64 xs_state = 0x9E3779B97F4A7C15ull;

static guint64 xorshift64s(void)
{
    guint64 x = xs_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    xs_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static void test_random(void)
{
    static guint8 buf[1504];
    long claims[WIP_P_COUNT][2];
    int maxc[WIP_P_COUNT];
    long total = 0, over = 0, iter;
    const long N = 1000000;
    /* WIP_TEST_EXACT=1: each random buffer in an exact-size heap block (for ASan runs) */
    gboolean exact = getenv("WIP_TEST_EXACT") != NULL;
    int p;
    clock_t t0 = clock();
    memset(claims, 0, sizeof claims);
    memset(maxc, 0, sizeof maxc);
    for (iter = 0; iter < N; iter++) {
        gsize len = (gsize)(xorshift64s() % 1501), i;
        int tcp;
        for (i = 0; i < len; i += 8) {
            guint64 v = xorshift64s();
            memcpy(buf + i, &v, 8);
        }
        for (tcp = 0; tcp < 2; tcp++) {
            wip_recog_t r;
            if (exact) {
                guint8 *copy = g_memdup2(buf, len);
                wip_recog_payload(copy, len, tcp, &r);
                g_free(copy);
            } else {
                wip_recog_payload(buf, len, tcp, &r);
            }
            if (r.proto == WIP_P_UNKNOWN || r.proto == WIP_P_TEXT)
                continue;
            claims[r.proto][tcp]++;
            if (getenv("WIP_TEST_VERBOSE")) printf("  claim len %zu %s: %s\n", len, wip_proto_name(r.proto), r.evidence);
            total++;
            if (r.confidence > maxc[r.proto])
                maxc[r.proto] = r.confidence;
            if (r.confidence > WIP_RECOG_WEAK_MAX) {
                if (over < 10)
                    printf("  random claim above %d: len %zu %s %s (%u): %s\n", WIP_RECOG_WEAK_MAX, len,
                           tcp ? "tcp" : "udp", wip_proto_name(r.proto), r.confidence, r.evidence);
                over++;
            }
        }
    }
    printf("random buffers: %ld buffers x (udp, tcp), lengths 0-1500, %.1f s: %ld claims other than unknown/text\n",
           N, (double)(clock() - t0) / CLOCKS_PER_SEC, total);
    for (p = WIP_P_TEXT + 1; p < WIP_P_COUNT; p++)
        if (claims[p][0] || claims[p][1])
            printf("  %-10s udp %ld tcp %ld (max confidence %d)\n", wip_proto_name((wip_proto_t)p), claims[p][0],
                   claims[p][1], maxc[p]);
    checks++;
    if (over)
        FAIL("random buffers: %ld claims with confidence > %d", over, WIP_RECOG_WEAK_MAX);
}

/* mutated samples (byte flips, truncation, length-field bumps) through the
 * stateless and the conversation entry points: exact-size heap copies so
 * that sanitizer builds catch out-of-bounds reads in the deep parsers. */
static void test_mutations(void)
{
    long iter, claims = 0;
    const long N = 200000;
    wip_conv_recog_t conv;
    wip_conv_recog_init(&conv);
    for (iter = 0; iter < N; iter++) {
        const tcase_t *t = &cases[xorshift64s() % G_N_ELEMENTS(cases)];
        bb_t x;
        guint8 *copy;
        wip_recog_t r;
        int m, nm = 1 + (int)(xorshift64s() % 4);
        get_sample(t, &x);
        for (m = 0; m < nm && x.n; m++) {
            guint64 v = xorshift64s();
            gsize at = (gsize)(v >> 8) % x.n;
            switch (v & 3) {
            case 0: x.b[at] ^= (guint8)(1u << ((v >> 4) & 7)); break;
            case 1: x.b[at] = (guint8)(v >> 40); break;
            case 2: x.n = at; break;
            default: x.b[at] = (guint8)(x.b[at] + 1 - 2 * ((v >> 5) & 1)); break;
            }
        }
        copy = g_memdup2(x.b, x.n);
        wip_recog_payload(copy, x.n, t->tcp, &r);
        if (r.proto != WIP_P_UNKNOWN && r.proto != WIP_P_TEXT)
            claims++;
        if (r.proto >= WIP_P_COUNT || r.confidence > 100 || strlen(r.evidence) >= WIP_EVIDENCE_LEN) {
            FAIL("mutation: bad result from %s", t->name);
            g_free(copy);
            return;
        }
        if ((iter & 63) == 0)
            wip_conv_recog_init(&conv);
        wip_conv_recog_update(&conv, copy, x.n, t->tcp, 1 + (int)(iter & 1), &r);
        if (r.proto >= WIP_P_COUNT || strlen(r.evidence) >= WIP_EVIDENCE_LEN)
            FAIL("mutation: bad conversation result from %s", t->name);
        g_free(copy);
    }
    checks++;
    printf("mutations: %ld mutated samples, %ld still claimed\n", N, claims);
}

int main(void)
{
    int p, npos = 0, nneg = 0;
    run_table();
    for (p = 0; p < WIP_P_COUNT; p++) {
        npos += counts_pos[p];
        nneg += counts_neg[p];
    }
    printf("table: %d positive and %d negative cases\n", npos, nneg);
    test_conv_websocket();
    test_conv_h2c();
    test_conv_rtp();
    test_conv_media_mux();
    test_conv_pop3_greeting();
    test_conv_continuation();
    test_conv_correction();
    test_describe();
    test_mutations();
    test_random();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
