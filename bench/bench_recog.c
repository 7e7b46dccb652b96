/* bench_recog.c - how fast is wip_recog_payload()?  Prints ns per payload
 * per protocol sample and for random buffers; no pass/fail. */
#include "wip_recog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *name;
    guint8 b[1600];
    gsize n;
    gboolean tcp;
} sample_t;

static sample_t samples[64];
static int nsamples;

static sample_t *add(const char *name, gboolean tcp)
{
    sample_t *s = &samples[nsamples++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->tcp = tcp;
    return s;
}
static void u8(sample_t *s, guint v) { s->b[s->n++] = (guint8)v; }
static void u16(sample_t *s, guint v) { u8(s, v >> 8); u8(s, v); }
static void u24(sample_t *s, guint v) { u8(s, v >> 16); u16(s, v & 0xffff); }
static void u32(sample_t *s, guint32 v) { u16(s, v >> 16); u16(s, v & 0xffff); }
static void str(sample_t *s, const char *t) { memcpy(s->b + s->n, t, strlen(t)); s->n += strlen(t); }
static void fill(sample_t *s, gsize l, guint8 seed) { gsize i; for (i = 0; i < l; i++) u8(s, (guint8)(seed + i * 37 + (i >> 3) * 11)); }
static void p16(sample_t *s, gsize at, guint v) { s->b[at] = (guint8)(v >> 8); s->b[at + 1] = (guint8)v; }
static void p24(sample_t *s, gsize at, guint v) { s->b[at] = (guint8)(v >> 16); p16(s, at + 1, v & 0xffff); }

static guint64 xs = 0x243F6A8885A308D3ull;
static guint64 rnd(void) { xs ^= xs >> 12; xs ^= xs << 25; xs ^= xs >> 27; return xs * 0x2545F4914F6CDD1Dull; }

static void build(void)
{
    sample_t *s;
    gsize a, h, e;
    int i;

    s = add("tls", TRUE);
    u8(s, 0x16); u16(s, 0x0301); a = s->n; u16(s, 0); h = s->n; u8(s, 1); u24(s, 0);
    u16(s, 0x0303); fill(s, 32, 1); u8(s, 32); fill(s, 32, 2); u16(s, 4); u16(s, 0xc02b); u16(s, 0xc02f); u8(s, 1); u8(s, 0);
    e = s->n; u16(s, 0); u16(s, 0); u16(s, 16); u16(s, 14); u8(s, 0); u16(s, 11); str(s, "example.com");
    p16(s, e, (guint)(s->n - e - 2)); p24(s, h + 1, (guint)(s->n - h - 4)); p16(s, a, (guint)(s->n - a - 2));

    s = add("dtls", FALSE);
    u8(s, 0x16); u16(s, 0xfeff); u16(s, 0); u16(s, 0); u32(s, 0); a = s->n; u16(s, 0);
    h = s->n; u8(s, 1); u24(s, 0); u16(s, 0); u24(s, 0); u24(s, 0);
    e = s->n; u16(s, 0xfefd); fill(s, 32, 3); u8(s, 0); u8(s, 0); u16(s, 2); u16(s, 0xc02b); u8(s, 1); u8(s, 0);
    p24(s, h + 1, (guint)(s->n - e)); p24(s, h + 9, (guint)(s->n - e)); p16(s, a, (guint)(s->n - a - 2));

    s = add("http", TRUE);
    str(s, "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n");
    s = add("http2", TRUE);
    str(s, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"); u24(s, 0); u8(s, 4); u8(s, 0); u32(s, 0);
    s = add("ssh", TRUE);
    str(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    s = add("sip", FALSE);
    str(s, "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
           "Max-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
           "Call-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n");
    s = add("rtp", FALSE);
    u8(s, 0x80); u8(s, 0); u16(s, 4711); u32(s, 160000); u32(s, 0x11223344); fill(s, 160, 9);
    s = add("rtcp", FALSE);
    u8(s, 0x80); u8(s, 200); u16(s, 6); u32(s, 1); u32(s, 2); u32(s, 3); u32(s, 4); u32(s, 5); u32(s, 6);
    u8(s, 0x81); u8(s, 202); u16(s, 5); u32(s, 1); u8(s, 1); u8(s, 10); str(s, "alice@host"); u16(s, 0); u16(s, 0);
    s = add("stun", FALSE);
    u16(s, 1); u16(s, 8); u32(s, 0x2112A442); fill(s, 12, 4); u16(s, 0x0024); u16(s, 4); u32(s, 0x6e7f1eff);
    s = add("turn", FALSE);
    u16(s, 3); u16(s, 8); u32(s, 0x2112A442); fill(s, 12, 5); u16(s, 0x0019); u16(s, 4); u32(s, 0x11000000);
    s = add("dns", FALSE);
    u16(s, 0x1234); u16(s, 0x0100); u16(s, 1); u16(s, 0); u16(s, 0); u16(s, 0);
    u8(s, 7); str(s, "example"); u8(s, 3); str(s, "com"); u8(s, 0); u16(s, 1); u16(s, 1);
    s = add("mqtt", TRUE);
    u8(s, 0x10); u8(s, 0); u16(s, 4); str(s, "MQTT"); u8(s, 4); u8(s, 2); u16(s, 60); u16(s, 9); str(s, "wipclient");
    s->b[1] = (guint8)(s->n - 2);
    s = add("resp", TRUE);
    str(s, "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
    s = add("smb", TRUE);
    u8(s, 0); u24(s, 0); u8(s, 0xfe); str(s, "SMB"); u8(s, 64); u8(s, 0); fill(s, 58, 0); fill(s, 40, 7);
    p24(s, 1, (guint)(s->n - 4));
    s = add("tpkt", TRUE);
    u8(s, 3); u8(s, 0); u16(s, 0); u8(s, 2); u8(s, 0xf0); u8(s, 0x80); fill(s, 40, 8); p16(s, 2, (guint)s->n);
    s = add("rdp", TRUE);
    u8(s, 3); u8(s, 0); u16(s, 0); u8(s, 0); u8(s, 0xe0); u16(s, 0); u16(s, 0); u8(s, 0);
    str(s, "Cookie: mstshash=eltons\r\n"); u8(s, 1); u8(s, 0); u16(s, 0x0800); u32(s, 0x03000000);
    s->b[4] = (guint8)(s->n - 5); p16(s, 2, (guint)s->n);
    s = add("xmpp", TRUE);
    str(s, "<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client' "
           "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
    s = add("mgcp", FALSE);
    str(s, "CRCX 1204 aaln/1@rgw-2567.whatever.net MGCP 1.0\r\nC: A3C47F21456789F0\r\nL: p:10, a:PCMU\r\nM: recvonly\r\n");
    s = add("oci", TRUE);
    str(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BroadsoftDocument protocol=\"OCI\" xmlns=\"C\">"
           "<sessionId xmlns=\"\">a1b2c3</sessionId><command xmlns=\"\"><userId>admin</userId></command></BroadsoftDocument>");
    s = add("json", TRUE);
    str(s, "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[1,2.5e3,{\"a\":true,\"b\":null}],\"id\":7}\n");
    s = add("protobuf", TRUE);
    u8(s, 0x08); u8(s, 0x96); u8(s, 0x01); u8(s, 0x12); u8(s, 0x07); str(s, "testing");
    u8(s, 0x1a); u8(s, 0x03); u8(s, 0x08); u8(s, 0xac); u8(s, 0x02);
    s = add("text", TRUE);
    for (i = 0; i < 12; i++) str(s, "the quick brown fox jumps over the lazy dog\r\n");
    s = add("random-64", FALSE);
    for (i = 0; i < 64; i++) u8(s, (guint)rnd());
    s = add("random-512", TRUE);
    for (i = 0; i < 512; i++) u8(s, (guint)rnd());
    s = add("random-1400", FALSE);
    for (i = 0; i < 1400; i++) u8(s, (guint)rnd());
    s = add("zeros-1400", FALSE);
    s->n = 1400;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 200000;
    int i;
    long k;
    double total_ns = 0;
    long total_calls = 0;
    volatile unsigned sink = 0;
    build();
    printf("%-12s %6s %-10s %5s %10s\n", "sample", "bytes", "claim", "conf", "ns/payload");
    for (i = 0; i < nsamples; i++) {
        sample_t *s = &samples[i];
        wip_recog_t r;
        double t0, t1;
        wip_recog_payload(s->b, s->n, s->tcp, &r);
        t0 = now_ns();
        for (k = 0; k < iters; k++) {
            wip_recog_payload(s->b, s->n, s->tcp, &r);
            sink += r.confidence;
        }
        t1 = now_ns();
        printf("%-12s %6zu %-10s %5u %10.1f\n", s->name, s->n, wip_proto_name(r.proto), r.confidence, (t1 - t0) / iters);
        total_ns += t1 - t0;
        total_calls += iters;
    }
    /* mixed: samples interleaved with fresh random buffers of 0-1500 bytes */
    {
        static guint8 rb[64][1504];
        gsize rl[64];
        double t0, t1;
        long calls = 0;
        for (i = 0; i < 64; i++) {
            gsize j;
            rl[i] = (gsize)(rnd() % 1501);
            for (j = 0; j < rl[i]; j++)
                rb[i][j] = (guint8)rnd();
        }
        t0 = now_ns();
        for (k = 0; k < iters / 4; k++) {
            wip_recog_t r;
            sample_t *s = &samples[k % nsamples];
            wip_recog_payload(s->b, s->n, s->tcp, &r);
            sink += r.confidence;
            wip_recog_payload(rb[k & 63], rl[k & 63], (k & 1) != 0, &r);
            sink += r.confidence;
            calls += 2;
        }
        t1 = now_ns();
        printf("%-12s %6s %-10s %5s %10.1f\n", "mixed", "-", "-", "-", (t1 - t0) / calls);
    }
    printf("overall (all samples above): %.1f ns/payload over %ld calls\n", total_ns / total_calls, total_calls);
    (void)sink;
    return 0;
}
