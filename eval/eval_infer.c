/* eval_infer.c - full evaluation of wip_infer on synthetic protocols.
 *
 * usage: eval_infer [-p protocols] [-c conversations] [-s seed0] [-v] [-n msgs]
 * Prints, for 3, 10 and 100 messages per conversation, and for message
 * delivery (UDP-like) and raw TCP segments (15% split, 10% coalesced):
 * boundary precision / recall / F1 / FPR, per-kind accuracy, and the
 * number of claims on random-payload conversations.
 */
#include "wip_synth.h"

static const char *KN[SYN_NKIND] = { "", "magic", "length", "type", "seq", "txid", "session", "tstamp" };

int main(int argc, char **argv)
{
    int nproto = 100, nconv = 4, verbose = 0, only_n = 0, i, k, seg;
    guint64 seed0 = 1000;
    static const int NS[3] = { 3, 10, 100 };
    void *mem = g_malloc(wip_infer_size());

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-p") && i + 1 < argc) nproto = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) nconv = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc) seed0 = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) only_n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-v")) verbose = 1;
        else { fprintf(stderr, "usage: %s [-p N] [-c N] [-s seed] [-n msgs] [-v]\n", argv[0]); return 2; }
    }
    printf("wip_infer evaluation: %d synthetic protocols x %d conversations, seeds %llu.., "
           "learner %zu bytes\n", nproto, nconv, (unsigned long long)seed0, (size_t)wip_infer_size());
    printf("messages/conv = total of both directions (requests and replies alternate)\n\n");
    for (seg = 0; seg < 3; seg++) {
        static const char *title[3] = {
            "whole messages (UDP-like):",
            "TCP segments (15% split in two, 10% coalesced), framed by the learned length once known:",
            "TCP segments as above, all learned raw (stress):" };
        printf("%s\n", title[seg]);
        printf("  msgs  P     R     F1    FPR   |");
        for (k = 1; k < SYN_NKIND; k++) printf(" %7s", KN[k]);
        printf(" lenadj | random claims\n");
        for (i = 0; i < 3; i++) {
            syn_score_t s;
            int j;
            if (only_n && NS[i] != only_n) continue;
            memset(&s, 0, sizeof s);
            for (j = 0; j < nproto; j++)
                syn_run_one(seed0 + (guint64)j, 0, nconv, NS[i], seg, mem, &s, verbose);
            for (j = 0; j < nproto / 2; j++)
                syn_run_one(seed0 + 50000 + (guint64)j, 1, nconv, NS[i], seg, mem, &s, verbose && j < 2);
            printf("  %4d  %.3f %.3f %.3f %.3f |", NS[i], syn_p(&s), syn_r(&s), syn_f1(&s), syn_fpr(&s));
            for (k = 1; k < SYN_NKIND; k++)
                if (s.kind_n[k]) printf("   %4.0f%%", 100.0 * s.kind_ok[k] / s.kind_n[k]);
                else printf("       -");
            printf("  %4.0f%% | %ld in %ld models\n",
                   s.kind_n[WIP_F_LENGTH] ? 100.0 * s.len_adj_ok / s.kind_n[WIP_F_LENGTH] : 0.0,
                   s.rnd_claims, s.rnd_models);
        }
        printf("\n");
    }
    printf("per-kind: share of true fields (both directions) found with the right kind,\n"
           "offset, width and byte order; lenadj: length with the right adjustment.\n");
    g_free(mem);
    return 0;
}
