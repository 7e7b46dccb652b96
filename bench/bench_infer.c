/* bench_infer.c - cost of wip_infer_learn / wip_infer_model.
 * usage: bench_infer [protocols]   (100-message conversations x 8) */
#include <time.h>
#include "../eval/wip_synth.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int np = argc > 1 ? atoi(argv[1]) : 50, j, i, rep;
    void *mem = g_malloc(wip_infer_size());
    long nlearn = 0, nmodel = 0, bytes = 0;
    double tl = 0, tm = 0, t0;
    volatile guint sink = 0;
    for (j = 0; j < np; j++) {
        syn_proto_t p;
        syn_msg_t *a;
        int n;
        wip_infer_t *inf;
        syn_proto_make(&p, 3000 + (guint64)j, j % 5 == 4);
        a = syn_trace(&p, 3000 + (guint64)j, 8, 100, &n);
        inf = wip_infer_init(mem);
        t0 = now();
        for (i = 0; i < n; i++) {
            wip_infer_learn(inf, a[i].conv, a[i].dir, a[i].buf, (gsize)a[i].len, a[i].ts);
            bytes += a[i].len;
        }
        tl += now() - t0;
        nlearn += n;
        t0 = now();
        for (rep = 0; rep < 20; rep++) {
            wip_hdr_model_t m;
            wip_infer_model(inf, 1 + (rep & 1), &m);
            sink += m.n_fields;
        }
        tm += now() - t0;
        nmodel += 20;
        g_free(a);
    }
    printf("learner size      %zu bytes (fixed, no allocation after init)\n", (size_t)wip_infer_size());
    printf("learn             %.0f ns/call  (%ld calls, mean %ld bytes/message)\n",
           tl * 1e9 / nlearn, nlearn, bytes / nlearn);
    printf("model             %.0f ns/call  (%ld calls)\n", tm * 1e9 / nmodel, nmodel);
    (void)sink;
    g_free(mem);
    return 0;
}
