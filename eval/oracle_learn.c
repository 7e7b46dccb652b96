/* oracle_learn.c - learn the true messages of a capture (one per line:
 * "conv dir ts hexbytes", capture order) as known message boundaries, then
 * print, per message, the fields the glue would show with the whole
 * capture learned (-2): "M idx off width kind order" lines; with -v also
 * the direction models.  With ORACLE_ONEPASS set in the environment: the
 * fields as one pass shows them, each message right after it is learned.  Used by eval/oracle-binary.py: it scores the
 * models apart from the TCP framing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wip_infer.c"   /* the learner's internals: kinds */

#define MAXMSG 20000

static void emit(wip_infer_t *inf, guint i, int dir, const guint8 *msg, gsize mlen, gboolean visited);

static void show(const wip_hdr_model_t *m, const char *what)
{
    guint i;
    printf("# %s (%u msgs, %u convs): hdr_len %u%s\n", what, m->n_msgs, m->n_convs, m->hdr_len,
           m->ber ? " BER" : "");
    for (i = 0; i < m->n_fields; i++) {
        const wip_field_t *f = &m->f[i];
        printf("#   %-9s %2u:%-2u %s conf %3u", wip_fkind_name(f->kind), f->offset, f->width,
               f->width > 1 ? (f->big_endian ? "be" : "le") : "- ", f->confidence);
        if (f->kind == WIP_F_LENGTH) printf(" adjust %d scale %u", f->len_adjust, f->len_scale);
        if (f->kind == WIP_F_MAGIC) printf(" value 0x%x", f->magic);
        if (f->kind == WIP_F_SEQ) printf(" step %d", f->step);
        printf("\n");
    }
}

static const char *kname(wip_fkind_t k)
{
    switch (k) {
    case WIP_F_MAGIC: return "const";
    case WIP_F_LENGTH: return "length";
    case WIP_F_TYPE: return "type";
    case WIP_F_SEQ: return "seq";
    case WIP_F_TXID: return "id";
    case WIP_F_SESSION: return "session";
    case WIP_F_TIMESTAMP: return "timestamp";
    default: return "-";
    }
}

int main(int argc, char **argv)
{
    static char line[200000];
    static guint8 *msg[MAXMSG];
    static gsize mlen[MAXMSG];
    static int mdir[MAXMSG];
    guint n = 0, i, j;
    int verbose = argc > 1 && !strcmp(argv[1], "-v");
    int replay = argc > 2 && !strcmp(argv[2], "-r");
    wip_infer_t *inf = wip_infer_init(g_malloc(wip_infer_size()));
    while (n < MAXMSG && fgets(line, sizeof line, stdin)) {
        char *save, *a = strtok_r(line, " \n", &save), *b = strtok_r(NULL, " \n", &save);
        char *c = strtok_r(NULL, " \n", &save), *hex = strtok_r(NULL, " \n", &save);
        gsize k, hl;
        int sk = 1;
        if (replay && hex) {
            sk = atoi(hex);
            hex = strtok_r(NULL, " \n", &save);
        }
        if (!a || !b || !c || !hex) continue;
        hl = strlen(hex) / 2;
        msg[n] = g_malloc(hl + 1);
        for (k = 0; k < hl; k++) {
            unsigned v;
            sscanf(hex + 2 * k, "%2x", &v);
            msg[n][k] = (guint8)v;
        }
        mlen[n] = hl;
        mdir[n] = atoi(b);
        wip_infer_offer(inf, (guint32)atoi(a), mdir[n], msg[n], hl, atof(c), sk);
        if (getenv("ORACLE_ONEPASS"))
            emit(inf, n, mdir[n], msg[n], hl, FALSE);
        n++;
    }
    if (verbose) {
        show(wip_infer_cached(inf, 1, TRUE), "dir 1 (to port)");
        show(wip_infer_cached(inf, 2, TRUE), "dir 2 (from port)");
        for (i = 0; i < 2; i++) {
            const kinds_t *K = &inf->kinds[i];
            printf("# dir %u kinds: state %u byte %u values", i + 1, K->state, K->sel);
            for (j = 0; j < K->nk; j++)
                printf(" %02x(%u msgs)", K->val[j], K->st[j].n);
            printf("\n");
            for (j = 0; j < K->nk; j++)
                if (K->st[j].n >= KIND_MIN_MSGS) {
                    wip_hdr_model_t km;
                    char what[64];
                    model_build(inf, i, &K->st[j], K, &km);
                    snprintf(what, sizeof what, "dir %u kind %02x", i + 1, K->val[j]);
                    show(&km, what);
                }
        }
    }
    for (i = 0; i < n && !replay && !getenv("ORACLE_ONEPASS"); i++)
        emit(inf, i, mdir[i], msg[i], mlen[i], TRUE);
    return 0;
}

/* The fields shown for message i: with the whole capture learned
 * (visited, as -2) or as the first pass shows them right after learning it
 * (wip_infer_shown: the provisional model of a young direction). */
static void emit(wip_infer_t *inf, guint i, int dir, const guint8 *msg1, gsize mlen1, gboolean visited)
{
    guint j;
    const wip_hdr_model_t *m = visited ? wip_infer_cached(inf, dir, TRUE) : wip_infer_shown(inf, dir, FALSE);
    wip_field_t fl[WIP_INFER_NOFF];
    guint nf = 0, hdr_len;
    m = wip_infer_kind_model(inf, dir, m, msg1, mlen1, visited);
    for (j = 0; j < m->n_fields && nf < WIP_INFER_NOFF; j++)
        if (!m->ber || m->f[j].offset + m->f[j].width <= m->ber_off)
            fl[nf++] = m->f[j];
    if (m->ber) {
        guint end = 0;
        nf += wip_infer_ber_fields(m, msg1, mlen1, fl + nf, WIP_INFER_NOFF - nf, &end);
        hdr_len = MAX(m->ber_off, end);
    } else
        hdr_len = m->hdr_len;
    if (nf > 0 && hdr_len < mlen1)
        nf += wip_infer_body_fields(msg1, mlen1, hdr_len, fl + nf, WIP_INFER_NOFF - nf);
    printf("H %u %u\n", i, m->n_fields > 0 || m->ber ? 1u : 0u);
    for (j = 0; j < nf; j++)
        printf("M %u %u %u %s %s\n", i, fl[j].offset, fl[j].width, kname(fl[j].kind),
               fl[j].width > 1 ? (fl[j].big_endian ? "be" : "le") : "-");
}
