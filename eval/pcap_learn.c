/* pcap_learn.c - learn from "conv dir ts hexpayload" lines on stdin (one
 * TCP segment or UDP datagram each, capture order), framing TCP streams by
 * the learned length once known, like the glue; print both models.
 * Used by eval/check-captures.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wip_infer.h"

static void show(const wip_infer_t *inf, int dir)
{
    wip_hdr_model_t m;
    guint i;
    wip_infer_model(inf, dir, &m);
    printf("dir %d (%u msgs, %u convs): hdr_len %u\n", dir, m.n_msgs, m.n_convs, m.hdr_len);
    for (i = 0; i < m.n_fields; i++) {
        const wip_field_t *f = &m.f[i];
        printf("  %-9s offset %2u width %u %s conf %3u", wip_fkind_name(f->kind), f->offset, f->width,
               f->width > 1 ? (f->big_endian ? "big   " : "little") : "-     ", f->confidence);
        if (f->kind == WIP_F_LENGTH) printf(" adjust %d scale %u", f->len_adjust, f->len_scale);
        if (f->kind == WIP_F_MAGIC) printf(" value 0x%x", f->magic);
        if (f->kind == WIP_F_SEQ) printf(" step %d", f->step);
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    static char line[70000];
    static guint8 buf[40000];
    static guint8 st[256][2][80000];
    static gsize stl[256][2];
    int tcp = argc > 1 && !strcmp(argv[1], "tcp");
    int framed[2] = { 0, 0 };
    wip_hdr_model_t model[2];
    wip_infer_t *inf = wip_infer_init(g_malloc(wip_infer_size()));
    while (fgets(line, sizeof line, stdin)) {
        unsigned conv; int dir; double ts; char *hex = NULL;
        gsize n = 0, i;
        char *save;
        char *a = strtok_r(line, " \n", &save), *b = strtok_r(NULL, " \n", &save);
        char *c = strtok_r(NULL, " \n", &save);
        hex = strtok_r(NULL, " \n", &save);
        if (!a || !b || !c || !hex) continue;
        conv = (unsigned)atoi(a) & 255; dir = atoi(b); ts = atof(c);
        for (i = 0; hex[2 * i] && hex[2 * i + 1] && n < sizeof buf; i++) {
            unsigned v; sscanf(hex + 2 * i, "%2x", &v); buf[n++] = (guint8)v;
        }
        if (!tcp || !framed[dir - 1]) {
            wip_infer_learn(inf, conv, dir, buf, n, ts);
            if (tcp) {
                guint k;
                wip_infer_model(inf, dir, &model[dir - 1]);
                for (k = 0; k < model[dir - 1].n_fields; k++)
                    if (model[dir - 1].f[k].kind == WIP_F_LENGTH) framed[dir - 1] = 1;
            }
            continue;
        }
        if (stl[conv][dir - 1] + n > sizeof st[0][0]) stl[conv][dir - 1] = 0;
        memcpy(st[conv][dir - 1] + stl[conv][dir - 1], buf, n);
        stl[conv][dir - 1] += n;
        for (;;) {
            guint32 ml;
            guint8 *s = st[conv][dir - 1];
            gsize *l = &stl[conv][dir - 1];
            if (!wip_infer_msg_len(&model[dir - 1], s, *l, &ml) || ml > *l) break;
            wip_infer_learn(inf, conv, dir, s, ml, ts);
            memmove(s, s + ml, *l - ml);
            *l -= ml;
        }
    }
    show(inf, 1);
    show(inf, 2);
    return 0;
}
