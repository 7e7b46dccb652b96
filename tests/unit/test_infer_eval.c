/* test_infer_eval.c - the header inference evaluation on a small fixed
 * synthetic corpus (deterministic PRNG, no files).  Fails below the floor:
 * boundary F1 < 0.75 at 10 messages per conversation (whole messages, and
 * TCP segments framed by the learned length), F1 < 0.80 at 100, or any
 * claim on random-payload conversations.  The full table: eval/run.sh. */
#include "../../eval/wip_synth.h"

static int failures = 0;

static void row(void *mem, const char *name, int nmsg, int mode, double floor)
{
    syn_score_t s;
    int j, k;
    memset(&s, 0, sizeof s);
    for (j = 0; j < 40; j++)
        syn_run_one(2000 + (guint64)j, 0, 4, nmsg, mode, mem, &s, 0);
    for (j = 0; j < 20; j++)
        syn_run_one(90000 + (guint64)j, 1, 4, nmsg, mode, mem, &s, 0);
    printf("  %-14s %3d msgs/conv: P %.3f R %.3f F1 %.3f FPR %.3f | kinds ok:", name, nmsg,
           syn_p(&s), syn_r(&s), syn_f1(&s), syn_fpr(&s));
    for (k = 1; k < SYN_NKIND; k++)
        if (s.kind_n[k])
            printf(" %s %ld/%ld", wip_fkind_name((wip_fkind_t)k), s.kind_ok[k], s.kind_n[k]);
    printf(" | random claims %ld/%ld models\n", s.rnd_claims, s.rnd_models);
    if (syn_f1(&s) < floor) {
        fprintf(stderr, "FAIL: %s at %d msgs: F1 %.3f below floor %.2f\n", name, nmsg, syn_f1(&s), floor);
        failures++;
    }
    if (s.rnd_claims) {
        fprintf(stderr, "FAIL: %s at %d msgs: %ld claims on random payloads\n", name, nmsg, s.rnd_claims);
        failures++;
    }
}

int main(void)
{
    void *mem = g_malloc(wip_infer_size());
    printf("wip_infer evaluation, fixed corpus (40 protocols + 20 random, 4 conversations):\n");
    row(mem, "messages", 3, SYN_FEED_MSG, 0.0);
    row(mem, "messages", 10, SYN_FEED_MSG, 0.75);
    row(mem, "messages", 100, SYN_FEED_MSG, 0.80);
    row(mem, "tcp-framed", 10, SYN_FEED_GLUE, 0.75);
    row(mem, "tcp-framed", 100, SYN_FEED_GLUE, 0.80);
    row(mem, "tcp-raw", 100, SYN_FEED_RAW, 0.0);
    g_free(mem);
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("evaluation floor met\n");
    return 0;
}
