/* test_service.c - unit tests for the service-side decision (wip_service.c).
 * Plain C: prints what failed, returns nonzero on failure. */
#include "wip_service.h"

#include <stdio.h>
#include <string.h>

static int failures, checks;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; printf("FAIL: "); printf(__VA_ARGS__); printf("\n"); } } while (0)

#define SYN 0x02
#define RST 0x04
#define FIN 0x01
#define PSH 0x08
#define ACK 0x10

/* A frame from port sp to dp; w: which ports are wip ports (1 src, 2 dst),
 * s: which are other protocols' service ports. */
static wip_svc_in_t fr(gboolean tcp, int flags, guint16 sp, guint16 dp, int w, int s, guint32 n)
{
    wip_svc_in_t in;
    memset(&in, 0, sizeof in);
    in.is_tcp = tcp;
    in.have_flags = tcp && flags >= 0;
    in.flags = (guint16)(flags < 0 ? 0 : flags);
    in.src_port = sp;
    in.dst_port = dp;
    in.src_wip = (w & 1) != 0;
    in.dst_wip = (w & 2) != 0;
    in.src_svc = (s & 1) != 0;
    in.dst_svc = (s & 2) != 0;
    in.frame = n;
    return in;
}

/* Run a conversation through one record as the glue does; return the verdicts. */
static void run(const char *name, wip_svc_in_t *f, int nf, const int *want_verdict, const int *want_dir)
{
    wip_svc_conv_t rec;
    guint32 nrec = 0;
    memset(&rec, 0, sizeof rec);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < nf; i++) {
            wip_svc_out_t o;
            int need = wip_service_needs_conv(&f[i], nrec);
            /* the glue creates a record only on the first pass and when asked to */
            wip_svc_conv_t *r = need == WIP_SVC_CONV_CREATE || (need && rec.decided) ? &rec : NULL;
            if (wip_service_decide(&f[i], r, pass == 0, &o))
                nrec++;
            CHECK((int)o.verdict == want_verdict[i] && o.dir == want_dir[i],
                  "%s pass %d frame %d: verdict %d dir %d (%s), expected %d dir %d", name, pass + 1, i + 1,
                  o.verdict, o.dir, wip_service_reason_name(o.reason), want_verdict[i], want_dir[i]);
        }
    }
}

enum { W = WIP_SVC_WIP, C = WIP_SVC_CLIENT_PORT };

int main(void)
{
    /* curl --local-port 3414 to port 80 (a service port): SYN decides */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 3414, 80, 1, 2, 1), fr(TRUE, SYN | ACK, 80, 3414, 2, 1, 2),
                             fr(TRUE, ACK | PSH, 3414, 80, 1, 2, 3), fr(TRUE, ACK, 80, 3414, 2, 1, 4) };
        int v[] = { C, C, C, C }, d[] = { 0, 0, 0, 0 };
        run("http client from 3414", f, 4, v, d);
    }
    /* both ports in the wip range (client 3415 -> service 3414): the SYN
     * decides the direction of every frame, also the server's replies */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 3415, 3414, 3, 0, 1), fr(TRUE, SYN | ACK, 3414, 3415, 3, 0, 2),
                             fr(TRUE, ACK, 3415, 3414, 3, 0, 3), fr(TRUE, ACK | PSH, 3414, 3415, 3, 0, 4) };
        int v[] = { W, W, W, W }, d[] = { 1, 2, 1, 2 };
        run("both ports wip", f, 4, v, d);
    }
    /* L2TP-style peers, both on UDP 3414, told apart by address: the first
     * sender (address order +1 here) is the client, every later datagram
     * keeps its direction, whichever way the addresses compare */
    {
        wip_svc_in_t f[] = { fr(FALSE, -1, 3414, 3414, 3, 0, 1), fr(FALSE, -1, 3414, 3414, 3, 0, 2),
                             fr(FALSE, -1, 3414, 3414, 3, 0, 3), fr(FALSE, -1, 3414, 3414, 3, 0, 4) };
        f[0].addr_cmp = 1; f[1].addr_cmp = -1; f[2].addr_cmp = -1; f[3].addr_cmp = 1;
        int v[] = { W, W, W, W }, d[] = { 1, 2, 2, 1 };
        run("same-port udp peers, first sender higher address", f, 4, v, d);
        f[0].addr_cmp = -1; f[1].addr_cmp = 1; f[2].addr_cmp = 1; f[3].addr_cmp = -1;
        run("same-port udp peers, first sender lower address", f, 4, v, d);
    }
    /* the same over TCP: the SYN decides; without a record, the destination */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 3414, 3414, 3, 0, 1), fr(TRUE, SYN | ACK, 3414, 3414, 3, 0, 2),
                             fr(TRUE, ACK | PSH, 3414, 3414, 3, 0, 3) };
        f[0].addr_cmp = -1; f[1].addr_cmp = 1; f[2].addr_cmp = 1;
        int v[] = { W, W, W }, d[] = { 1, 2, 2 };
        run("same-port tcp peers", f, 3, v, d);
    }
    /* the same mid-stream: no evidence, the destination as before */
    {
        wip_svc_in_t f[] = { fr(TRUE, ACK | PSH, 3414, 3415, 3, 0, 1) };
        int v[] = { W }, d[] = { 1 };
        run("both ports wip, mid-stream", f, 1, v, d);
    }
    /* the same mid-stream (no SYN): the service port decides */
    {
        wip_svc_in_t f[] = { fr(TRUE, ACK | PSH, 3414, 8080, 1, 2, 1), fr(TRUE, ACK, 8080, 3414, 2, 1, 2) };
        int v[] = { C, C }, d[] = { 0, 0 };
        run("mid-stream client", f, 2, v, d);
    }
    /* client from 3414 to an unregistered port: only the SYN tells */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 3414, 40080, 1, 0, 1), fr(TRUE, SYN | ACK, 40080, 3414, 2, 0, 2),
                             fr(TRUE, ACK, 3414, 40080, 1, 0, 3), fr(TRUE, ACK | PSH, 40080, 3414, 2, 0, 4) };
        int v[] = { C, C, C, C }, d[] = { 0, 0, 0, 0 };
        run("client to unregistered port", f, 4, v, d);
    }
    /* an ordinary client of the service on 3414 */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 40000, 3414, 2, 0, 1), fr(TRUE, SYN | ACK, 3414, 40000, 1, 0, 2),
                             fr(TRUE, ACK, 40000, 3414, 2, 0, 3), fr(TRUE, ACK | PSH, 3414, 40000, 1, 0, 4) };
        int v[] = { W, W, W, W }, d[] = { 1, 2, 1, 2 };
        run("service on 3414", f, 4, v, d);
    }
    /* a client whose source port is a service port (80) connecting to 3414 */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 80, 3414, 2, 1, 1), fr(TRUE, SYN | ACK, 3414, 80, 1, 2, 2),
                             fr(TRUE, ACK | PSH, 80, 3414, 2, 1, 3), fr(TRUE, ACK, 3414, 80, 1, 2, 4) };
        int v[] = { W, W, W, W }, d[] = { 1, 2, 1, 2 };
        run("client from port 80 to 3414", f, 4, v, d);
    }
    /* nmap -g 53 FIN scan of 3414: packets without ACK are aimed at the service */
    {
        wip_svc_in_t f[] = { fr(TRUE, FIN, 53, 3414, 2, 1, 1) };
        int v[] = { W }, d[] = { 1 };
        run("FIN scan from port 53", f, 1, v, d);
    }
    /* DNS query from 3414 to 53 and its answer */
    {
        wip_svc_in_t f[] = { fr(FALSE, -1, 3414, 53, 1, 2, 1), fr(FALSE, -1, 53, 3414, 2, 1, 2) };
        int v[] = { C, C }, d[] = { 0, 0 };
        run("dns client from 3414", f, 2, v, d);
    }
    /* SIP from 5060 (a service port) to 3414: the first datagram decides */
    {
        wip_svc_in_t f[] = { fr(FALSE, -1, 5060, 3414, 2, 1, 1), fr(FALSE, -1, 3414, 5060, 1, 2, 2),
                             fr(FALSE, -1, 5060, 3414, 2, 1, 3) };
        int v[] = { W, W, W }, d[] = { 1, 2, 1 };
        run("sip from 5060 to 3414", f, 3, v, d);
    }
    /* UDP between 3414 and an ephemeral port: the wip port */
    {
        wip_svc_in_t f[] = { fr(FALSE, -1, 3414, 40000, 1, 0, 1), fr(FALSE, -1, 40000, 3414, 2, 0, 2) };
        int v[] = { W, W }, d[] = { 2, 1 };
        run("udp ephemeral", f, 2, v, d);
    }
    /* both ports wip ports */
    {
        wip_svc_in_t f[] = { fr(TRUE, SYN, 3414, 3414, 3, 0, 1) };
        int v[] = { W }, d[] = { 1 };
        run("both wip", f, 1, v, d);
    }
    /* no record needed for the common case (cost on scanner floods) */
    {
        wip_svc_in_t a = fr(TRUE, SYN, 40000, 3414, 2, 0, 1), b = fr(TRUE, RST | ACK, 3414, 40000, 1, 0, 2);
        CHECK(wip_service_needs_conv(&a, 0) == 0 && wip_service_needs_conv(&b, 0) == 0,
              "ordinary SYN / RST to and from 3414 need no conversation record");
        wip_svc_in_t c = fr(TRUE, SYN, 3414, 40080, 1, 0, 1);
        CHECK(wip_service_needs_conv(&c, 0) == WIP_SVC_CONV_CREATE, "SYN from 3414 must be remembered");
        CHECK(wip_service_needs_conv(&a, 1) == WIP_SVC_CONV_FIND, "with records, look");
    }
    printf("%s: %d checks, %d failures\n", failures ? "FAIL" : "OK", checks, failures);
    return failures ? 1 : 0;
}
